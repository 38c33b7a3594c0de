// Anomalies of the EtherNet/IP module (encapsulation framing, common packet format, CIP grammar, pairing, CIP I/O).
import { defineAnomalies } from '../../common/anomaly.js';

export const ENIP_ANOMALIES = defineAnomalies('enip', {
  bad_header: {
    severity: 'violation',
    description: 'An encapsulation header with an unknown command or a length above the cap (65,511): the direction is no longer parsed.',
  },
  nonzero_options: { severity: 'weird', description: 'The encapsulation options field is not 0 (the spec says discard such messages).' },
  request_status_nonzero: { severity: 'weird', description: 'A request carries a nonzero encapsulation status.' },
  encap_error_status: { severity: 'weird', description: 'A reply carries a nonzero encapsulation status (named in enip.encap_status).' },
  truncated: { severity: 'weird', description: 'A command, item, path or CIP message is shorter than its fields require.' },
  trailing_bytes: { severity: 'weird', description: 'Bytes after the last field a length announces (CPF items, CIP data of fixed layout).' },
  too_many_items: { severity: 'cap', description: 'More than 16 common packet format items: the rest are ignored.' },
  bad_item_length: { severity: 'weird', description: 'A CPF item length runs past the encapsulation data.' },
  missing_item: { severity: 'weird', description: 'SendRRData/SendUnitData without the address and data items the command needs.' },
  bad_path: { severity: 'weird', description: 'An EPATH with a reserved segment type or a segment running past the path size.' },
  too_many_segments: { severity: 'cap', description: 'An EPATH with more than 32 segments: the rest are ignored.' },
  bad_multiple_service: { severity: 'weird', description: 'A Multiple_Service_Packet whose count or offsets do not fit its data.' },
  too_many_services: { severity: 'cap', description: 'A Multiple_Service_Packet with more than 64 services: the rest are ignored.' },
  nested_too_deep: { severity: 'cap', description: 'Unconnected_Send/Multiple_Service_Packet nested more than 4 deep: the inner part is not decoded.' },
  response_without_request: { severity: 'weird', description: 'A reply that matches no pending request (sender context, connection and sequence).' },
  unexpected_request: { severity: 'weird', description: 'A message with the response bit set from the client, or a CIP request from the server.' },
  service_mismatch: { severity: 'weird', description: 'A CIP reply whose service differs from its request.' },
  pending_cap: { severity: 'cap', description: 'Too many unanswered requests: the oldest was given up as unanswered.' },
  io_connection_cap: { severity: 'cap', description: 'More than 256 CIP I/O connections on one flow: the rest are not counted.' },
  io_bad_packet: { severity: 'weird', description: 'A UDP datagram that is neither an encapsulation message nor CIP I/O (sequenced address + data items).' },
  io_sequence_gap: { severity: 'weird', description: 'A CIP I/O packet whose encapsulation sequence number is not the next one (loss or reordering).' },
  gap: { severity: 'weird', description: 'Capture loss in a TCP direction: its buffer is dropped and the next header is searched.' },
  resync_failed: {
    severity: 'violation',
    description: 'After capture loss no plausible encapsulation header was found within 4 KiB: the direction is no longer parsed.',
  },
});

export const A = ENIP_ANOMALIES.codes;

// Anomalies of the BACnet/IP module (BVLC framing, NPDU, APDU header, ASN.1 tags, request/response pairing).
import { defineAnomalies } from '../../common/anomaly.js';

export const BACNET_ANOMALIES = defineAnomalies('bacnet', {
  bad_bvlc_type: { severity: 'violation', description: 'The datagram does not start with BVLC type 0x81 (BACnet/IP): not parsed.' },
  bvlc_length_mismatch: { severity: 'weird', description: 'The BVLC length differs from the datagram length (the whole datagram is parsed, as Wireshark does).' },
  unknown_bvlc_function: { severity: 'weird', description: 'A BVLC function code outside the standard 0x00-0x0C.' },
  bad_npdu_version: { severity: 'violation', description: 'NPDU protocol version is not 1: the NPDU is not decoded.' },
  truncated: { severity: 'weird', description: 'A BVLC, NPDU or APDU ends before a field its header announces.' },
  npdu_reserved_bits: { severity: 'weird', description: 'Reserved bits of the NPDU control octet are set.' },
  invalid_address: { severity: 'weird', description: 'A source address the spec forbids: SLEN 0, SNET 0 or 0xFFFF, or DNET 0.' },
  unknown_pdu_type: { severity: 'weird', description: 'An APDU type above 7 (the reserved types 8-15).' },
  unknown_service: { severity: 'weird', description: 'A confirmed or unconfirmed service choice outside the standard list.' },
  bad_tag: { severity: 'weird', description: 'An ASN.1 tag that cannot be decoded where the service expects one (wrong tag, bad length).' },
  tag_depth_cap: { severity: 'cap', description: 'Constructed values nested deeper than 8 levels: the value is not decoded further.' },
  item_cap: { severity: 'cap', description: 'More properties, objects, table entries or values than exported per record (64): the rest are counted only.' },
  trailing_bytes: { severity: 'weird', description: 'Bytes after the last field a service defines.' },
  response_without_request: { severity: 'weird', description: 'An ACK, Error, Reject or Abort whose invoke id matches no pending confirmed request.' },
  service_mismatch: { severity: 'weird', description: 'A response carries another service choice than its request.' },
  duplicate_invoke_id: { severity: 'weird', description: 'A confirmed request reused the invoke id of one still unanswered.' },
  orphan_segment: { severity: 'weird', description: 'A segment or segment ACK of no segmented transfer in progress.' },
  pending_cap: { severity: 'cap', description: 'Too many unanswered requests or open segmented transfers: the oldest was given up.' },
  hint_cap: { severity: 'cap', description: 'More than 32 device identities on one flow: no asset hint for the rest.' },
});

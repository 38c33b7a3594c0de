// Anomalies of the OPC UA module (Part 6 connection protocol, secure conversation chunks, service decoding).
import { defineAnomalies } from '../../common/anomaly.js';

export const OPCUA_ANOMALIES = defineAnomalies('opcua', {
  bad_message_type: {
    severity: 'violation',
    description: 'A message header with an unknown type or chunk type: the direction is no longer parsed.',
  },
  invalid_message_size: {
    severity: 'violation',
    description: 'A message size below the minimum of its type: the direction is no longer parsed.',
  },
  message_too_large: { severity: 'cap', description: 'A chunk above 1 MiB: skipped without decoding.' },
  bad_chunk_type: { severity: 'weird', description: 'A chunk type other than F on a HEL, ACK, ERR, RHE, OPN or CLO message.' },
  truncated_message: { severity: 'weird', description: 'A message or structure ends before the fields it declares.' },
  invalid_string_length: { severity: 'weird', description: 'A string, byte string or array length is negative (other than -1) or beyond the message.' },
  unknown_node_id_encoding: { severity: 'weird', description: 'A NodeId with an undefined encoding byte: the body is not decoded further.' },
  unknown_service: { severity: 'weird', description: 'A message body whose type id is not a known service request or response.' },
  chunk_without_start: { severity: 'weird', description: 'An abort chunk for a request id with neither chunks accumulated nor a pending request.' },
  reassembly_cap: {
    severity: 'cap',
    description: 'Messages being reassembled hold over 4 MiB in one direction, or one has 4096 chunks, or 16 are open at once: dropped.',
  },
  response_without_request: { severity: 'weird', description: 'A response whose request id matches no pending request.' },
  duplicate_request_id: { severity: 'weird', description: 'A request reused the request id of one still unanswered.' },
  gap_resync_failed: {
    severity: 'violation',
    description: 'After capture loss no plausible message header was found within 64 KiB: the direction is no longer parsed.',
  },
  pending_cap: { severity: 'cap', description: 'Too many unanswered requests: the oldest was given up as unanswered.' },
  nesting_too_deep: { severity: 'cap', description: 'Variants or diagnostic infos nested deeper than 8 levels: not decoded further.' },
  items_capped: { severity: 'cap', description: 'More items than exported per record (32 nodes, 32 values, 16 endpoints): the rest are cut.' },
});

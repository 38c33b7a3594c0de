// Anomalies of the Modbus/TCP module (MBAP framing, PDU grammar, request/response pairing).
import { defineAnomalies } from '../../common/anomaly.js';

export const MODBUS_ANOMALIES = defineAnomalies('modbus', {
  bad_protocol_id: { severity: 'violation', description: 'MBAP protocol identifier is not 0: the direction is no longer parsed.' },
  invalid_length: {
    severity: 'violation',
    description: 'MBAP length below 2 or above the cap (254, or 2048 for UMAS fc 90): the direction is no longer parsed.',
  },
  oversized_adu: { severity: 'weird', description: 'MBAP length above the 254 bytes of the spec (accepted for UMAS, fc 90).' },
  truncated_pdu: { severity: 'weird', description: 'The PDU is shorter than its function code requires.' },
  trailing_bytes: { severity: 'weird', description: 'The PDU has bytes after the fields its function code defines.' },
  byte_count_mismatch: { severity: 'weird', description: 'A byte count field disagrees with the quantity or the PDU length.' },
  quantity_out_of_range: { severity: 'weird', description: 'A quantity of 0 or above the spec maximum (125 registers, 2000 coils...).' },
  invalid_coil_value: { severity: 'weird', description: 'Write single coil with a value other than 0x0000 or 0xFF00.' },
  unknown_function_code: { severity: 'weird', description: 'A function code that is neither public, user-defined nor UMAS.' },
  unknown_exception_code: { severity: 'weird', description: 'An exception response with an undefined exception code.' },
  response_without_request: { severity: 'weird', description: 'A response whose transaction id matches no pending request.' },
  duplicate_transaction_id: { severity: 'weird', description: 'A request reused the transaction id of one still unanswered.' },
  unit_id_mismatch: { severity: 'weird', description: 'A response came from another unit id than its request addressed.' },
  function_mismatch: { severity: 'weird', description: 'A response carries another function code than its request.' },
  gap_resync_failed: {
    severity: 'violation',
    description: 'After capture loss no plausible MBAP header was found within 2 KiB: the direction is no longer parsed.',
  },
  pending_cap: { severity: 'cap', description: 'Too many unanswered requests: the oldest was given up as unanswered.' },
  values_capped: { severity: 'cap', description: 'More values than exported per record (125 registers, 2000 coils): the rest are cut.' },
  unit_hint_cap: { severity: 'cap', description: 'More than 32 unit ids on one flow: no asset hint for the rest.' },
});

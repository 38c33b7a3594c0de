// Anomalies of the IEC 60870-5-104 module (APCI framing, ASDU grammar, sequence numbers, command pairing).
import { defineAnomalies } from '../../common/anomaly.js';

export const IEC104_ANOMALIES = defineAnomalies('iec104', {
  bad_start: { severity: 'violation', description: 'An APDU does not start with 0x68: the direction is no longer parsed.' },
  invalid_length: { severity: 'violation', description: 'APDU length below 4 or above 253: the direction is no longer parsed.' },
  invalid_control: {
    severity: 'weird',
    description: 'A U-format control field that is not exactly one of the six functions, an S/U frame with an ASDU, or non-zero reserved bits.',
  },
  short_asdu: { severity: 'weird', description: 'An I-format APDU with fewer than the 6 bytes of an ASDU header.' },
  unknown_type_id: { severity: 'weird', description: 'A type identification not defined by IEC 60870-5-101/104.' },
  unknown_cause: { severity: 'weird', description: 'A cause of transmission that is 0 or not defined by the standard.' },
  zero_objects: { severity: 'weird', description: 'The variable structure qualifier says 0 information objects.' },
  truncated_asdu: { severity: 'weird', description: 'The ASDU is shorter than its type, object count and SQ bit require.' },
  trailing_bytes: { severity: 'weird', description: 'The ASDU has bytes after the information objects its header announces.' },
  nonstandard_header: {
    severity: 'weird',
    description: 'The ASDU only fits with a 1-byte cause of transmission or a 1-byte common address (not IEC 104): parsed so.',
  },
  invalid_time: { severity: 'weird', description: 'A CP56Time2a/CP24Time2a time tag with a field out of range (ms, minute, hour, day, month).' },
  bad_test_pattern: { severity: 'weird', description: 'C_TS_NA_1 carries a fixed test pattern other than 0x55AA.' },
  send_seq_gap: { severity: 'weird', description: 'An I-format send sequence number skips ahead of the next expected one.' },
  send_seq_repeat: { severity: 'weird', description: 'An I-format send sequence number repeats or goes back.' },
  recv_seq_unsent: { severity: 'weird', description: 'A receive sequence number acknowledges I-frames the peer has not sent.' },
  response_without_request: {
    severity: 'weird',
    description: 'A confirmation or termination (COT 7/9/10, U-format con) that matches no pending activation.',
  },
  gap_resync_failed: {
    severity: 'violation',
    description: 'After capture loss no plausible APCI header was found within 2 KiB: the direction is no longer parsed.',
  },
  pending_cap: { severity: 'cap', description: 'Too many unanswered activations: the oldest was given up as unanswered.' },
  objects_capped: { severity: 'cap', description: 'More information objects than exported per record (64): the rest are counted, not listed.' },
  hint_cap: { severity: 'cap', description: 'More than 32 common addresses on one flow: no asset hint for the rest.' },
});

export const A = IEC104_ANOMALIES.codes;

// Anomalies of the flow layer: flow table and detection (`flow.*`) and TCP stream reassembly (`tcp.*`; the decoder's
// `tcp.*` codes are about headers, these are about the byte stream, and the names do not overlap).

import { defineAnomalies } from '../common/anomaly.js';

export const FLOW_ANOMALIES = defineAnomalies('flow', {
  table_full: {
    severity: 'cap',
    description: 'The flow table was full: the least recently seen live flow was ended early (endReason evicted).',
  },
  buffer_cap: {
    severity: 'cap',
    description:
      'The table-wide budget for out-of-order TCP data was exhausted: the stream skipped ahead and reported a gap.',
  },
  detect_cap: {
    severity: 'cap',
    description:
      'Protocol detection buffered its per-direction limit of first bytes without a decision: the flow is unknown.',
  },
  detect_buffer_cap: {
    severity: 'cap',
    description: 'The table-wide budget for detection buffers was exhausted: the flow was declared unknown.',
  },
  protocol_error: {
    severity: 'violation',
    description: 'A protocol probe or session threw: the session was detached and the flow continues unparsed.',
  },
});

export const TCP_STREAM_ANOMALIES = defineAnomalies('tcp', {
  gap: {
    severity: 'weird',
    description: 'Bytes of a TCP stream were never seen (capture loss): the stream resumed after the hole.',
  },
  overlap_mismatch: {
    severity: 'weird',
    description: 'Two copies of the same TCP sequence range carried different bytes (possible evasion or corruption).',
  },
  out_of_order_cap: {
    severity: 'cap',
    description:
      'A direction buffered its limit of out-of-order bytes or segments: the stream skipped to the buffered data.',
  },
  data_after_fin: {
    severity: 'weird',
    description: 'Data beyond the FIN of a direction, or on a connection already closed by FINs: dropped.',
  },
  data_after_rst: {
    severity: 'weird',
    description: 'Data on a connection already closed by RST: dropped.',
  },
  syn_with_data: {
    severity: 'weird',
    description: 'A SYN carried payload (TCP Fast Open or crafted traffic); the data is kept.',
  },
  seq_jump: {
    severity: 'violation',
    description:
      'The stream resumed more than 16 MiB past the expected sequence number: not counted as missing bytes (two connections interleaved on the same ports, or crafted segments); the session resynchronises.',
  },
  bad_seq: {
    severity: 'weird',
    description: 'A segment lay more than 1 GiB away from the expected sequence number: dropped.',
  },
});

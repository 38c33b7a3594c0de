// Anomalies of the NetBIOS name service module (message grammar, first-level name encoding, caps).
import { defineAnomalies } from '../../common/anomaly.js';

export const NBNS_ANOMALIES = defineAnomalies('nbns', {
  truncated_message: {
    severity: 'weird',
    description: 'The message ends inside the question or a record (parsed as far as it goes) or inside the header (no transaction).',
  },
  bad_name: { severity: 'weird', description: 'A name with a compression loop, a pointer outside the message or a reserved label type.' },
  bad_name_encoding: { severity: 'weird', description: 'The first label is not 32 letters A-P (RFC 1001 first-level encoding): the name is kept as sent.' },
  bad_rdata: { severity: 'weird', description: 'NB record data not a multiple of 6 bytes, or node status data shorter than its name count.' },
  trailing_bytes: { severity: 'weird', description: 'Bytes after the last record the header counts.' },
  duplicate_transaction_id: { severity: 'weird', description: 'A request reused the transaction id of one still unanswered (the earlier one is unanswered).' },
  addresses_cap: { severity: 'cap', description: 'More than 16 addresses in one NB record: the rest are not exported.' },
  status_names_cap: { severity: 'cap', description: 'More than 32 names in a node status response: the rest are not exported.' },
  pending_cap: { severity: 'cap', description: 'Too many unanswered requests: the oldest was given up as unanswered.' },
  hint_memory_cap: { severity: 'cap', description: 'The per-flow memory of hints already emitted was full and was cleared: later hints may repeat.' },
});

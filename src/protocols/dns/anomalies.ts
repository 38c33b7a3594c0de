// Anomalies of the DNS module (DNS, mDNS, LLMNR: message grammar, TCP framing, query/response pairing, caps).
import { defineAnomalies } from '../../common/anomaly.js';

export const DNS_ANOMALIES = defineAnomalies('dns', {
  truncated_message: {
    severity: 'weird',
    description: 'The message ends inside a question or a record (parsed as far as it goes) or inside the header (no transaction).',
  },
  bad_name: {
    severity: 'weird',
    description: 'A name with a compression loop, a pointer outside the message, a reserved label type or over 255 octets: the rest of the message is not parsed.',
  },
  bad_rdata: { severity: 'weird', description: 'A record whose data does not fit its type (A not 4 bytes, AAAA not 16, a name running past the data).' },
  trailing_bytes: { severity: 'weird', description: 'Bytes after the last record the header counts.' },
  multiple_questions: { severity: 'weird', description: 'More than one question in a message: only the first is described.' },
  response_without_query: { severity: 'weird', description: 'A unicast DNS response whose id and question match no pending query.' },
  retransmitted_query: { severity: 'weird', description: 'A query repeated (same id and question) while the first is unanswered: one transaction.' },
  bad_tcp_length: { severity: 'violation', description: 'DNS over TCP length prefix below 12 (no header): the direction is no longer parsed.' },
  not_dns: {
    severity: 'violation',
    description: 'DNS over TCP message with a reserved opcode or more than 16 questions: the direction is no longer parsed.',
  },
  answers_cap: { severity: 'cap', description: 'More than 32 answer records: the rest are not exported.' },
  data_capped: { severity: 'cap', description: 'Record data longer than exported (TXT over 512 bytes, opaque data over 64 bytes): cut.' },
  pending_cap: { severity: 'cap', description: 'Too many unanswered queries: the oldest was given up as unanswered.' },
  hint_memory_cap: { severity: 'cap', description: 'The per-flow memory of hints already emitted was full and was cleared: later hints may repeat.' },
});

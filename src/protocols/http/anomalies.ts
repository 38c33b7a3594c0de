// Anomalies of the HTTP/1.x module (message heads, body framing, request/response pairing).
import { defineAnomalies } from '../../common/anomaly.js';

export const HTTP_ANOMALIES = defineAnomalies('http', {
  bad_start_line: {
    severity: 'violation',
    description: 'A message does not start with a request line (method, target, HTTP/1.x) or a status line: the direction is no longer parsed.',
  },
  bad_header_line: { severity: 'weird', description: 'A header line without a colon or with an empty name: the line is ignored.' },
  bad_content_length: { severity: 'violation', description: 'A Content-Length that is not a decimal number, or two that differ: the direction is no longer parsed.' },
  bad_chunk: { severity: 'violation', description: 'A chunked body with a malformed chunk-size line: the direction is no longer parsed.' },
  response_without_request: { severity: 'weird', description: 'A response arrived while no request was waiting (capture started mid-flow).' },
  gap: { severity: 'weird', description: 'Capture loss outside a body of known length: the direction is no longer parsed.' },
  head_too_long: { severity: 'cap', description: 'A message head over 16 KiB: only the first 16 KiB are parsed.' },
  uri_too_long: { severity: 'cap', description: 'A request target over 2048 characters: it is cut to 2048.' },
  header_value_too_long: { severity: 'cap', description: 'A Host, User-Agent, Server or Content-Type value over 512 characters: it is cut.' },
  pending_cap: { severity: 'cap', description: 'More than 32 requests waiting for responses: the oldest is given up as unanswered.' },
  hint_cap: { severity: 'cap', description: 'More than 16 distinct asset hints on one flow: no more hints from it.' },
});

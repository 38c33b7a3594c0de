// Anomalies of the TLS handshake module (record framing, hello and certificate grammar).
import { defineAnomalies } from '../../common/anomaly.js';

export const TLS_ANOMALIES = defineAnomalies('tls', {
  bad_record: {
    severity: 'violation',
    description: 'A record header with an unknown content type, a major version other than 3, or a length over 2^14 + 2048: the direction is no longer parsed.',
  },
  malformed_hello: { severity: 'weird', description: 'A ClientHello or ServerHello whose fields or extensions run past their lengths: what was read is kept.' },
  malformed_certificate: { severity: 'weird', description: 'A Certificate message whose first certificate does not parse as X.509 DER down to the subject.' },
  unexpected_handshake: { severity: 'weird', description: 'The first handshake message is not a ClientHello (client) or ServerHello (server).' },
  gap: { severity: 'weird', description: 'Capture loss during the handshake: the direction is no longer parsed.' },
  handshake_too_long: { severity: 'cap', description: 'A handshake message over 64 KiB: the direction is no longer parsed.' },
  too_many_values: { severity: 'cap', description: 'More than 16 ALPN protocols or an SNI/ALPN/subject over 255 characters: the rest is cut.' },
});

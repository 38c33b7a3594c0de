// TLS module descriptor: the cleartext handshake (hello messages, SNI, ALPN, versions, JA3, TLS <= 1.2 certificate).
import type { Direction, ProbeResult, ProtocolModule } from '../protocol.js';
import { TLS_ANOMALIES } from './anomalies.js';
import { MAX_RECORD_LENGTH, TlsSession } from './session.js';

/**
 * A handshake record (0x16), version 3.x, a plausible length, whose first message is a ClientHello (client) or a
 * ServerHello (server).
 */
export function probeTls(data: Uint8Array, dir: Direction): ProbeResult {
  if (data.length >= 1 && data[0] !== 0x16) return 'no_match';
  if (data.length >= 2 && data[1] !== 0x03) return 'no_match';
  if (data.length >= 3 && data[2] > 0x04) return 'no_match';
  if (data.length >= 5) {
    const len = (data[3] << 8) | data[4];
    if (len < 4 || len > MAX_RECORD_LENGTH) return 'no_match';
  }
  if (data.length < 6) return 'need_more';
  return data[5] === (dir === 0 ? 1 : 2) ? 'match' : 'no_match';
}

export const tlsModule: ProtocolModule = {
  id: 'tls',
  name: 'TLS handshake',
  transports: ['tcp'],
  ports: [443, 8443],
  anomalies: TLS_ANOMALIES.definitions,
  probe: probeTls,
  createSession: (ctx) => new TlsSession(ctx),
};

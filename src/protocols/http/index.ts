// HTTP/1.x module descriptor: request/response pairs, Host/User-Agent/Server identity (RFC 9110, RFC 9112).
import type { Direction, ProbeResult, ProtocolModule } from '../protocol.js';
import { HTTP_ANOMALIES } from './anomalies.js';
import { KNOWN_METHODS } from './codes.js';
import { httpVersionAt } from './parse.js';
import { HttpSession } from './session.js';

const STATUS_PREFIX = 'HTTP/1.';

/** Client bytes must start with a known method and a space; server bytes with `HTTP/1.` and a digit. */
export function probeHttp(data: Uint8Array, dir: Direction): ProbeResult {
  if (dir === 1) {
    const n = Math.min(data.length, STATUS_PREFIX.length);
    for (let i = 0; i < n; i++) if (data[i] !== STATUS_PREFIX.charCodeAt(i)) return 'no_match';
    if (data.length < 8) return 'need_more';
    return httpVersionAt(data, 0, data.length) >= 0 ? 'match' : 'no_match';
  }
  let partial = false;
  for (const m of KNOWN_METHODS) {
    const n = Math.min(data.length, m.length + 1);
    let i = 0;
    while (i < n && data[i] === (i < m.length ? m.charCodeAt(i) : 0x20)) i++;
    if (i === n) {
      if (n === m.length + 1) return 'match';
      partial = true;
    }
  }
  return partial ? 'need_more' : 'no_match';
}

export const httpModule: ProtocolModule = {
  id: 'http',
  name: 'HTTP/1.x',
  transports: ['tcp'],
  ports: [80, 8080, 8000],
  anomalies: HTTP_ANOMALIES.definitions,
  probe: probeHttp,
  createSession: (ctx) => new HttpSession(ctx),
};

// SSH module descriptor: identification strings of both sides (RFC 4253 4.2); the encrypted rest is not read.
import type { ProbeResult, ProtocolModule } from '../protocol.js';
import { SSH_ANOMALIES } from './anomalies.js';
import { SshSession } from './session.js';

const PREFIX = [0x53, 0x53, 0x48, 0x2d]; // "SSH-"

/** Either side's bytes start with `SSH-` (a server sending other lines first is not detected). */
export function probeSsh(data: Uint8Array): ProbeResult {
  const n = Math.min(data.length, PREFIX.length);
  for (let i = 0; i < n; i++) if (data[i] !== PREFIX[i]) return 'no_match';
  return n < PREFIX.length ? 'need_more' : 'match';
}

export const sshModule: ProtocolModule = {
  id: 'ssh',
  name: 'SSH',
  transports: ['tcp'],
  ports: [22],
  anomalies: SSH_ANOMALIES.definitions,
  probe: probeSsh,
  createSession: (ctx) => new SshSession(ctx),
};

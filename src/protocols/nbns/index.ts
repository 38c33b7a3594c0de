// NetBIOS name service module descriptor (RFC 1001/1002, UDP 137): name queries, registrations, releases, refreshes,
// node status.
import type { Direction, ProbeResult, ProtocolModule, Transport } from '../protocol.js';
import { walkMessage } from '../dns/parse.js';
import { NBNS_ANOMALIES } from './anomalies.js';
import { NBNS_PORT, OPCODES, TYPE_NB, TYPE_NBSTAT } from './codes.js';
import { HEADER_LENGTH } from './parse.js';
import { NbnsSession } from './session.js';

/**
 * Matches one whole name service datagram: a defined opcode, at most one question, answer and additional record and
 * no authority record (RFC 1002 §4.2 packet layouts), a first name of 32 letters A-P of type NB or NBSTAT, and every
 * counted record inside the datagram with nothing after.
 */
export function probeNbns(data: Uint8Array, _dir: Direction, transport: Transport): ProbeResult {
  if (transport !== 'udp' || data.length < HEADER_LENGTH + 38) return 'no_match';
  if (OPCODES[(data[2] >> 3) & 0x0f] === undefined) return 'no_match';
  const qd = (data[4] << 8) | data[5];
  const an = (data[6] << 8) | data[7];
  const ns = (data[8] << 8) | data[9];
  const ar = (data[10] << 8) | data[11];
  if (qd > 1 || an > 1 || ns > 0 || ar > 1 || qd + an !== 1) return 'no_match';
  if (data[12] !== 32) return 'no_match';
  for (let i = 13; i < 45; i++) if (data[i] < 0x41 || data[i] > 0x50) return 'no_match';
  let o = 45;
  while (o < data.length && data[o] !== 0 && o < 45 + 255) o += 1 + data[o];
  if (o + 5 > data.length) return 'no_match';
  const type = (data[o + 1] << 8) | data[o + 2];
  if (type !== TYPE_NB && type !== TYPE_NBSTAT) return 'no_match';
  return walkMessage(data, 0, data.length) === data.length ? 'match' : 'no_match';
}

export const nbnsModule: ProtocolModule = {
  id: 'nbns',
  name: 'NetBIOS name service',
  transports: ['udp'],
  ports: [NBNS_PORT],
  anomalies: NBNS_ANOMALIES.definitions,
  probe: probeNbns,
  createSession: (ctx) => new NbnsSession(ctx),
};

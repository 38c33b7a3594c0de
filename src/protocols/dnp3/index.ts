// DNP3 module descriptor (IEEE 1815-2012 over TCP and UDP, port 20000): link frames with CRCs, transport
// reassembly, application layer with object decoding.
import type { Direction, ProbeResult, ProtocolModule, Transport } from '../protocol.js';
import { DNP3_ANOMALIES } from './anomalies.js';
import { LINK_HEADER_SIZE, LINK_START_0, LINK_START_1, validLinkHeader } from './parse.js';
import { Dnp3Session } from './session.js';

/** Matches a first link header with its start octets, a length of at least 5 and a good CRC-16/DNP. */
export function probeDnp3(data: Uint8Array, _dir: Direction, transport: Transport): ProbeResult {
  if (data.length >= 1 && data[0] !== LINK_START_0) return 'no_match';
  if (data.length >= 2 && data[1] !== LINK_START_1) return 'no_match';
  if (data.length >= 3 && data[2] < 5) return 'no_match';
  if (data.length < LINK_HEADER_SIZE) return transport === 'udp' && data.length > 0 ? 'no_match' : 'need_more';
  return validLinkHeader(data, 0) ? 'match' : 'no_match';
}

export const dnp3Module: ProtocolModule = {
  id: 'dnp3',
  name: 'DNP3',
  transports: ['tcp', 'udp'],
  category: 'industrial',
  ports: [20000],
  anomalies: DNP3_ANOMALIES.definitions,
  probe: probeDnp3,
  createSession: (ctx) => new Dnp3Session(ctx),
};

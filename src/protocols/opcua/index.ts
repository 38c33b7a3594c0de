// OPC UA binary (UA TCP, Part 6 §7) module descriptor: connection protocol, secure conversation, services.
import type { Direction, ProbeResult, ProtocolModule, Transport } from '../protocol.js';
import { OPCUA_ANOMALIES } from './anomalies.js';
import { chunkTypeAt, MAX_CHUNK_SIZE, messageTypeAt, MIN_SIZE, u32le } from './parse.js';
import { OpcuaSession } from './session.js';

/**
 * Matches when the bytes start with a UA TCP header: a known message type, chunk F (or C/A on MSG), a size at least
 * the type's minimum and within the chunk cap; HEL only from the client and ACK only from the server; when the whole
 * first chunk is there, what follows must start another plausible header. OPC UA runs on many ports: ports only order.
 */
export function probeOpcua(data: Uint8Array, dir: Direction, transport: Transport): ProbeResult {
  if (transport !== 'tcp') return 'no_match';
  const n = Math.min(data.length, 3);
  const prefix = ['HEL', 'ACK', 'ERR', 'RHE', 'OPN', 'CLO', 'MSG'];
  if (!prefix.some((p) => { for (let i = 0; i < n; i++) if (data[i] !== p.charCodeAt(i)) return false; return true; })) return 'no_match';
  if (data.length < 8) return 'need_more';
  const type = messageTypeAt(data, 0);
  const chunk = chunkTypeAt(data, 0);
  if (type === null || chunk === null) return 'no_match';
  if (chunk !== 'F' && type !== 'MSG') return 'no_match';
  if ((type === 'HEL' && dir !== 0) || (type === 'ACK' && dir !== 1)) return 'no_match';
  const size = u32le(data, 4);
  if (size < MIN_SIZE[type] || size > MAX_CHUNK_SIZE) return 'no_match';
  if (type === 'HEL' && data.length >= 12 && u32le(data, 8) > 0xff) return 'no_match';
  if (data.length >= size + 3) {
    const next = messageTypeAt(data, size);
    if (next === null) return 'no_match';
  }
  return 'match';
}

export const opcuaModule: ProtocolModule = {
  id: 'opcua',
  name: 'OPC UA Binary',
  transports: ['tcp'],
  category: 'industrial',
  ports: [4840],
  anomalies: OPCUA_ANOMALIES.definitions,
  probe: probeOpcua,
  createSession: (ctx) => new OpcuaSession(ctx),
};

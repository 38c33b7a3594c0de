// The EtherNet/IP (with CIP) module descriptor: TCP/UDP 44818 encapsulation, UDP 2222 CIP I/O (ODVA CIP Vol. 2).
import type { ProbeResult, ProtocolModule, Transport } from '../protocol.js';
import { ENIP_ANOMALIES } from './anomalies.js';
import { CMD_LIST_IDENTITY, CMD_LIST_INTERFACES, CMD_LIST_SERVICES, CMD_NOP, CMD_REGISTER_SESSION, CMD_SEND_RR_DATA, CMD_SEND_UNIT_DATA, ENCAP_COMMANDS } from './codes.js';
import { ENCAP_HEADER_LENGTH, parseIoPacket, u16, u32 } from './parse.js';
import { EnipSession } from './session.js';

/**
 * Strict: a known command, options 0, a length that fits the command (RegisterSession 4, list requests 0, SendRRData
 * and SendUnitData at least 16: handle, timeout, two CPF items), status 0 in requests, and on UDP the whole message in
 * the datagram; or, on UDP, a CIP I/O datagram (sequenced address item then connected data item).
 */
export function probeEnip(data: Uint8Array, dir: 0 | 1, transport: Transport): ProbeResult {
  if (transport === 'udp' && data.length >= 2 && u16(data, 0) === 2) return parseIoPacket(data) !== null ? 'match' : 'no_match';
  if (data.length < ENCAP_HEADER_LENGTH) return transport === 'udp' ? 'no_match' : 'need_more';
  const command = u16(data, 0);
  const length = u16(data, 2);
  if (ENCAP_COMMANDS[command] === undefined || command === CMD_NOP) return 'no_match';
  if (u32(data, 20) !== 0) return 'no_match';
  const status = u32(data, 8);
  if (dir === 0 && status !== 0) return 'no_match';
  if (transport === 'udp' && ENCAP_HEADER_LENGTH + length !== data.length) return 'no_match';
  switch (command) {
    case CMD_REGISTER_SESSION:
      if (length !== 4) return 'no_match';
      if (data.length >= 26 && u16(data, 24) !== 1) return 'no_match';
      return 'match';
    case CMD_LIST_IDENTITY:
    case CMD_LIST_SERVICES:
    case CMD_LIST_INTERFACES:
      if (dir === 0 && length !== 0) return 'no_match';
      if (length === 0) return 'match';
      if (length < 2) return 'no_match';
      if (data.length >= 26 && u16(data, 24) > 16) return 'no_match';
      return 'match';
    case CMD_SEND_RR_DATA:
    case CMD_SEND_UNIT_DATA:
      if (length < 16 && status === 0) return 'no_match';
      if (data.length >= 32 && (u16(data, 30) < 2 || u16(data, 30) > 16)) return status === 0 ? 'no_match' : 'match';
      return 'match';
    default:
      return dir === 0 && u32(data, 4) === 0 ? 'no_match' : 'match';
  }
}

export const enipModule: ProtocolModule = {
  id: 'enip',
  name: 'EtherNet/IP (CIP)',
  transports: ['tcp', 'udp'],
  category: 'industrial',
  ports: [44818, 2222],
  anomalies: ENIP_ANOMALIES.definitions,
  probe: probeEnip,
  createSession: (ctx) => new EnipSession(ctx),
};

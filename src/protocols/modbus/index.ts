// Modbus/TCP (and Modbus over UDP) module descriptor: MBAP framing, public function codes, MEI, Schneider UMAS.
import type { ProbeResult, ProtocolModule, Transport, Direction } from '../protocol.js';
import { MODBUS_ANOMALIES } from './anomalies.js';
import { ModbusSession, plausibleHeader } from './session.js';

/** At most this many ADUs are checked by the probe. */
const PROBE_MAX_ADUS = 4;

/**
 * Matches when the bytes start with whole ADUs of plausible headers (protocol id 0, length 2-254, a known or
 * user-defined function code, exceptions only from the server), up to four of them, and nothing but the start of a
 * further plausible one after them. An incomplete first ADU asks for more bytes.
 */
export function probeModbus(data: Uint8Array, dir: Direction, transport: Transport): ProbeResult {
  let off = 0;
  let whole = 0;
  while (whole < PROBE_MAX_ADUS) {
    const left = data.length - off;
    if (left === 0) break;
    if (left < 8) {
      if (transport === 'udp') return 'no_match';
      // Check what is there of the next header.
      if (left >= 4 && (data[off + 2] !== 0 || data[off + 3] !== 0)) return 'no_match';
      return whole > 0 ? 'match' : 'need_more';
    }
    if (!plausibleHeader(data, off, dir)) return 'no_match';
    const total = 6 + ((data[off + 4] << 8) | data[off + 5]);
    if (left < total) {
      if (transport === 'udp') return 'no_match';
      return whole > 0 ? 'match' : 'need_more';
    }
    off += total;
    whole++;
  }
  return whole > 0 ? 'match' : 'need_more';
}

export const modbusModule: ProtocolModule = {
  id: 'modbus',
  name: 'Modbus/TCP',
  transports: ['tcp', 'udp'],
  category: 'industrial',
  ports: [502],
  anomalies: MODBUS_ANOMALIES.definitions,
  probe: probeModbus,
  createSession: (ctx) => new ModbusSession(ctx),
};

// IEC 60870-5-104 (telecontrol over TCP, port 2404): the module descriptor and its probe.
import type { ProtocolModule, ProbeResult } from '../protocol.js';
import { IEC104_ANOMALIES } from './anomalies.js';
import { isKnownType } from './codes.js';
import { Iec104Session, plausibleHeader } from './session.js';

/**
 * Strict: a start octet 0x68, a length of 4..253 consistent with the control field (S/U frames are exactly 4, with
 * zero reserved octets; I frames carry at least a 6-byte ASDU with a known type id), and, when the chunk holds more
 * than the first APDU, a second APDU header.
 */
export function probeIec104(bytes: Uint8Array): ProbeResult {
  // Skip what the session skips: up to 4 TCP keep-alive bytes (0x00) at the start of a mid-flow capture.
  let skip = 0;
  while (skip < bytes.length && skip < 4 && bytes[skip] === 0) skip++;
  const data = skip === 0 ? bytes : bytes.subarray(skip);
  if (data.length < 3) return data.length === 0 || data[0] === 0x68 ? 'need_more' : 'no_match';
  if (!plausibleHeader(data, 0)) return 'no_match';
  const len = data[1];
  if (len === 4) {
    if (data.length < 6) return 'need_more';
    if (data[2] === 0x01) {
      if (data[3] !== 0 || (data[4] & 1) !== 0) return 'no_match';
    } else if (data[3] !== 0 || data[4] !== 0 || data[5] !== 0) return 'no_match';
  } else {
    if (data.length < 9) return 'need_more';
    if ((data[4] & 1) !== 0 || !isKnownType(data[6]) || (data[7] & 0x7f) === 0 || (data[8] & 0x3f) === 0) return 'no_match';
  }
  const next = 2 + len;
  if (data.length >= next + 3 && !plausibleHeader(data, next)) return 'no_match';
  return 'match';
}

export const iec104Module: ProtocolModule = {
  id: 'iec104',
  name: 'IEC 60870-5-104',
  transports: ['tcp'],
  category: 'industrial',
  ports: [2404],
  anomalies: IEC104_ANOMALIES.definitions,
  probe: (data) => probeIec104(data),
  createSession: (ctx) => new Iec104Session(ctx),
};

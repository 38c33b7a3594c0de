// S7comm module descriptor: Siemens S7 communication (and S7comm-plus headers) over COTP over TPKT (RFC 1006), TCP 102.
import type { Direction, ProbeResult, ProtocolModule, Transport } from '../protocol.js';
import { S7COMM_ANOMALIES } from './anomalies.js';
import { COTP_CC, COTP_CR, COTP_DT, ROSCTR, S7PLUS_PROTOCOL_ID, S7PLUS_VERSIONS, S7_PROTOCOL_ID, TSAP_CONNECTION_TYPES } from './codes.js';
import { newCotp, parseCotp, tpktLength } from './parse.js';
import { S7Session } from './session.js';

const PROBE_FRAMES = 4;

/** True when a TSAP (hex) looks like an S7 one: two bytes with a known connection type, or a SIMATIC name (S7comm-plus). */
function s7Tsap(tsap: string): boolean {
  if (tsap.length === 4) return parseInt(tsap.slice(0, 2), 16) in TSAP_CONNECTION_TYPES;
  return tsap.startsWith('53494d41544943'); // "SIMATIC"
}

/**
 * Walks up to four TPKT frames: a CR/CC with an S7 TSAP or a DT whose payload starts like an S7comm / S7comm-plus
 * header is a match; any other DT payload (MMS, IEC 61850 over the same TPKT/COTP) is not.
 */
export function probeS7(data: Uint8Array, _dir: Direction, transport: Transport): ProbeResult {
  if (transport !== 'tcp') return 'no_match';
  const cotp = newCotp();
  let off = 0;
  for (let i = 0; i < PROBE_FRAMES; i++) {
    const len = tpktLength(data, off, data.length);
    if (len === -2) return 'no_match';
    if (len === -1) return 'need_more';
    if (data.length - off < Math.min(len, 12)) return 'need_more';
    const end = Math.min(off + len, data.length);
    if (!parseCotp(data, off + 4, end, cotp)) return end < off + len ? 'need_more' : 'no_match';
    if (cotp.type === COTP_CR || cotp.type === COTP_CC) {
      if (end < off + len) return 'need_more';
      if (s7Tsap(cotp.dstTsap) || s7Tsap(cotp.srcTsap)) return 'match';
    } else if (cotp.type === COTP_DT) {
      const p = cotp.dataOffset;
      if (p >= end) {
        if (end < off + len) return 'need_more';
      } else if (data[p] === S7_PROTOCOL_ID) {
        if (end - p < 2) return 'need_more';
        return ROSCTR[data[p + 1]] !== undefined ? 'match' : 'no_match';
      } else if (data[p] === S7PLUS_PROTOCOL_ID) {
        if (end - p < 2) return 'need_more';
        return S7PLUS_VERSIONS[data[p + 1]] !== undefined ? 'match' : 'no_match';
      } else if (cotp.eot) {
        return 'no_match';
      }
    } else if (cotp.type !== 0x08 && cotp.type !== 0x0c && cotp.type !== 0x07) {
      return 'no_match';
    }
    off += len;
    if (off >= data.length) return 'need_more';
  }
  return 'no_match';
}

export const s7commModule: ProtocolModule = {
  id: 's7comm',
  name: 'Siemens S7comm / S7comm-plus (ISO-on-TCP)',
  transports: ['tcp'],
  category: 'industrial',
  ports: [102],
  anomalies: S7COMM_ANOMALIES.definitions,
  probe: probeS7,
  createSession: (ctx) => new S7Session(ctx),
};

// Pure decoders for TPKT (RFC 1006), COTP (ISO 8073 / X.224 CR, CC, DT, DR, ER), S7comm (protocol id 0x32) and the
// S7comm-plus header (0x72). Every read is bounded by the enclosing length field; problems are pushed as anomaly codes.
import { hexOfRange } from '../../common/hex.js';
import {
  AREA_DB,
  AREA_DI,
  BLOCK_TYPES,
  COTP_CC,
  COTP_CR,
  COTP_DR,
  COTP_DT,
  COTP_ER,
  COTP_PARAM_DST_TSAP,
  COTP_PARAM_SRC_TSAP,
  COTP_PARAM_TPDU_SIZE,
  DATA_TRANSPORT_SIZES,
  FUNC_DOWNLOAD_BLOCK,
  FUNC_DOWNLOAD_ENDED,
  FUNC_END_UPLOAD,
  FUNC_PI_SERVICE,
  FUNC_PLC_STOP,
  FUNC_READ_VAR,
  FUNC_REQUEST_DOWNLOAD,
  FUNC_SETUP_COMMUNICATION,
  FUNC_START_UPLOAD,
  FUNC_UPLOAD,
  FUNC_WRITE_VAR,
  GROUP_BLOCK,
  GROUP_CPU,
  GROUP_CYCLIC,
  GROUP_TIME,
  ROSCTR_ACK,
  ROSCTR_ACK_DATA,
  ROSCTR_JOB,
  ROSCTR_USERDATA,
  S7PLUS_OP_REQUEST,
  S7PLUS_OP_RESPONSE,
  S7PLUS_OP_RESPONSE2,
  S7PLUS_SYSTEM_EVENT,
  S7_PROTOCOL_ID,
  SUB_BLOCK_INFO,
  SUB_LIST_BLOCKS,
  SUB_LIST_BLOCKS_OF_TYPE,
  SUB_READ_SZL,
  SYNTAX_DBREAD,
  SYNTAX_S7ANY,
  SZL_COMPONENT_FIELDS,
  CPU_MODES,
  TPKT_HEADER_LENGTH,
  TPKT_VERSION,
  codeName,
  UD_TYPE_RESPONSE,
} from './codes.js';
import { S7COMM_ANOMALIES } from './anomalies.js';
import type { CotpTpdu, S7DataItem, S7Item, S7Pdu, S7PlusPdu, S7Userdata, SzlIdentity } from './types.js';

const A = S7COMM_ANOMALIES.codes;

/** Smallest legal TPKT frame: 4-byte header + a 3-byte COTP DT header. */
export const TPKT_MIN_LENGTH = 7;
const MAX_ITEMS = 255;
const MAX_SZL_RECORDS = 256;
const MAX_PI_BLOCKS = 64;

/** TPKT frame length at `off`: -1 when fewer than 4 bytes, -2 when the header is not TPKT. */
export function tpktLength(b: Uint8Array, off: number, end: number): number {
  if (end - off < TPKT_HEADER_LENGTH) return -1;
  if (b[off] !== TPKT_VERSION || b[off + 1] !== 0) return -2;
  const len = (b[off + 2] << 8) | b[off + 3];
  return len < TPKT_MIN_LENGTH ? -2 : len;
}

export function newCotp(): CotpTpdu {
  return {
    type: 0, eot: false, dataOffset: 0, dataEnd: 0, dstRef: 0, srcRef: 0, srcTsap: '', dstTsap: '', tpduSize: 0,
    reason: -1, connectionType: -1, rack: -1, slot: -1,
  };
}

const hexOf = hexOfRange;

/**
 * Decodes the COTP TPDU of a TPKT frame (`off`..`end` is the COTP part) into `out` (reused). Returns false when the
 * length indicator does not fit (out.type is then still set when readable).
 */
export function parseCotp(b: Uint8Array, off: number, end: number, out: CotpTpdu): boolean {
  out.eot = false;
  out.dataOffset = out.dataEnd = end;
  out.reason = -1;
  if (end - off < 2) return false;
  const li = b[off];
  out.type = b[off + 1] >> 4;
  const hEnd = off + 1 + li;
  if (hEnd > end || li < 1) return false;
  out.dataOffset = hEnd;
  out.dataEnd = end;
  if (out.type === COTP_DT) {
    if (li < 2) return false;
    out.eot = (b[off + 2] & 0x80) !== 0;
    return true;
  }
  if (out.type === COTP_CR || out.type === COTP_CC || out.type === COTP_DR) {
    if (li < 6) return false;
    out.dstRef = (b[off + 2] << 8) | b[off + 3];
    out.srcRef = (b[off + 4] << 8) | b[off + 5];
    if (out.type === COTP_DR) {
      out.reason = b[off + 6];
      return true;
    }
    out.srcTsap = out.dstTsap = '';
    out.tpduSize = 0;
    out.connectionType = out.rack = out.slot = -1;
    let p = off + 7;
    for (let guard = 0; p + 2 <= hEnd && guard < 32; guard++) {
      const code = b[p];
      const len = b[p + 1];
      const v = p + 2;
      if (v + len > hEnd) return false;
      if (code === COTP_PARAM_TPDU_SIZE && len === 1 && b[v] < 16) out.tpduSize = 1 << b[v];
      else if (code === COTP_PARAM_SRC_TSAP) out.srcTsap = hexOf(b, v, v + len);
      else if (code === COTP_PARAM_DST_TSAP) {
        out.dstTsap = hexOf(b, v, v + len);
        if (len === 2) {
          out.connectionType = b[v];
          out.rack = b[v + 1] >> 5;
          out.slot = b[v + 1] & 0x1f;
        }
      }
      p = v + len;
    }
    return true;
  }
  if (out.type === COTP_ER) {
    if (li >= 4) out.reason = b[off + 4];
    return true;
  }
  return true;
}

export function newS7Pdu(): S7Pdu {
  return {
    rosctr: 0, redundancy: 0, pduRef: 0, paramLength: 0, dataLength: 0, errorClass: -1, errorCode: -1, func: -1,
    itemCount: 0, items: [], dataItems: [], amqCalling: -1, amqCalled: -1, pduLength: -1, functionStatus: -1,
    uploadId: -1, filename: '', blockType: '', blockNumber: -1, filesystem: '', blockLength: -1, piService: '',
    piBlocks: [], userdata: null, szlId: -1, szlIndex: -1, continuation: false, szlRecordCount: -1, identity: null, blockCounts: null, clock: '',
    cycleTimebase: -1, cycleFactor: -1,
  };
}

const u16 = (b: Uint8Array, o: number) => (b[o] << 8) | b[o + 1];
const u32 = (b: Uint8Array, o: number) => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;

/** Printable ASCII text of `off`..`end`, up to the first NUL, trailing blanks removed. */
export function asciiText(b: Uint8Array, off: number, end: number): string {
  let s = '';
  for (let i = off; i < end; i++) {
    const c = b[i];
    if (c === 0) break;
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
  }
  return s.trimEnd();
}

function digitsValue(b: Uint8Array, off: number, end: number): number {
  let v = 0;
  for (let i = off; i < end; i++) {
    const c = b[i] - 0x30;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return end > off ? v : -1;
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** Block type name from its two ASCII hex characters ('0A' → DB), '' when not a block type. */
function blockTypeAt(b: Uint8Array, o: number): string {
  const hi = hexDigit(b[o]);
  const lo = hexDigit(b[o + 1]);
  if (hi < 0 || lo < 0) return '';
  const e = BLOCK_TYPES[(hi << 4) | lo];
  return e === undefined ? `unknown_${(hi << 4) | lo}` : e.name;
}

/** A block reference `TTNNNNNF` (type, 5-digit number, file system) at `o`; fills the PDU's block fields. */
function blockRef(b: Uint8Array, o: number, end: number, pdu: S7Pdu, withFs: boolean): boolean {
  if (end - o < 7 + (withFs ? 1 : 0)) return false;
  const type = blockTypeAt(b, o);
  const num = digitsValue(b, o + 2, o + 7);
  if (type === '' || num < 0) return false;
  pdu.blockType = type;
  pdu.blockNumber = num;
  if (withFs) pdu.filesystem = String.fromCharCode(b[o + 7]);
  return true;
}

/** File name of a block transfer (`_0A00001P`): keeps it and its block type, number and file system. */
function fileName(b: Uint8Array, o: number, end: number, pdu: S7Pdu): number {
  if (o >= end) return o;
  const len = b[o];
  const s = o + 1;
  const e = Math.min(s + len, end);
  pdu.filename = asciiText(b, s, e);
  if (e - s >= 9 && b[s] === 0x5f) blockRef(b, s + 1, e, pdu, true);
  return e;
}

function parseItems(b: Uint8Array, p: number, pEnd: number, count: number, items: S7Item[], anomalies: string[]): number {
  for (let i = 0; i < count && i < MAX_ITEMS; i++) {
    if (p + 3 > pEnd || b[p] !== 0x12) {
      anomalies.push(A.bad_item);
      return p;
    }
    const len = b[p + 1];
    const next = p + 2 + len;
    if (next > pEnd || len < 1) {
      anomalies.push(A.bad_item);
      return p;
    }
    const syntax = b[p + 2];
    const item: S7Item = { syntax, transportSize: -1, length: -1, db: -1, area: -1, byte: -1, bit: -1 };
    if (syntax === SYNTAX_S7ANY && len >= 10) {
      item.transportSize = b[p + 3];
      item.length = u16(b, p + 4);
      item.db = u16(b, p + 6);
      item.area = b[p + 8];
      const addr = (b[p + 9] << 16) | (b[p + 10] << 8) | b[p + 11];
      item.byte = addr >> 3;
      item.bit = addr & 7;
      if (item.area !== AREA_DB && item.area !== AREA_DI) item.db = -1;
    } else if (syntax === SYNTAX_DBREAD && len >= 7) {
      item.length = b[p + 4];
      item.db = u16(b, p + 5);
      item.area = AREA_DB;
      item.byte = u16(b, p + 7);
      item.bit = 0;
    }
    items.push(item);
    p = next;
  }
  return p;
}

/** Data items (return code, transport size, length, bytes, pad to even except after the last). */
function parseDataItems(b: Uint8Array, d: number, dEnd: number, count: number, out: S7DataItem[], anomalies: string[]): void {
  for (let i = 0; i < count && i < MAX_ITEMS; i++) {
    if (d + 4 > dEnd) {
      if (d + 1 <= dEnd && b[d] !== 0xff && d + 1 === dEnd) out.push({ returnCode: b[d], transportSize: 0, length: 0 });
      else anomalies.push(A.truncated);
      return;
    }
    const ts = b[d + 1];
    let len = u16(b, d + 2);
    const tsEntry = DATA_TRANSPORT_SIZES[ts];
    if (tsEntry !== undefined && tsEntry.bits) len = (len + 7) >> 3;
    out.push({ returnCode: b[d], transportSize: ts, length: len });
    d += 4 + len;
    if (d > dEnd) {
      anomalies.push(A.truncated);
      return;
    }
    if ((len & 1) === 1 && i < count - 1) d++;
  }
}

function parseSzlIdentity(b: Uint8Array, s: number, e: number, pdu: S7Pdu): void {
  if (e - s < 8) return;
  pdu.szlId = u16(b, s);
  pdu.szlIndex = u16(b, s + 2);
  const recLen = u16(b, s + 4);
  const count = u16(b, s + 6);
  pdu.szlRecordCount = count;
  const list = pdu.szlId & 0xff;
  let r = s + 8;
  const id: SzlIdentity = {};
  let found = false;
  for (let i = 0; i < count && i < MAX_SZL_RECORDS && recLen > 0 && r + recLen <= e; i++, r += recLen) {
    const idx = u16(b, r);
    if (list === 0x11 && recLen >= 28) {
      const ausbg = u16(b, r + 24);
      const ausbe = u16(b, r + 26);
      // Index 1: module order number and version (Ausbg1); 6 and 7: basic hardware / firmware as 'V' x.y.z.
      if (idx === 0x0001) {
        const t = asciiText(b, r + 2, r + 22);
        if (t !== '') id.order_number = t;
        if (ausbg < 0x100 && id.hardware === undefined) id.hardware = String(ausbg);
      } else if (idx === 0x0006 && ausbg >> 8 === 0x56) {
        id.hardware = `V${ausbg & 0xff}.${ausbe >> 8}.${ausbe & 0xff}`;
      } else if (idx === 0x0007 && ausbg >> 8 === 0x56) {
        id.firmware = `V${ausbg & 0xff}.${ausbe >> 8}.${ausbe & 0xff}`;
      } else if (idx === 0x0081 && ausbg >> 8 >= 0x41 && ausbg >> 8 <= 0x5a) {
        id.boot_loader = `${String.fromCharCode(ausbg >> 8)}${ausbg & 0xff}.${ausbe >> 8}.${ausbe & 0xff}`;
      } else continue;
      found = true;
    } else if (list === 0x1c && recLen >= 34) {
      const key = SZL_COMPONENT_FIELDS[idx] as keyof SzlIdentity | undefined;
      if (key === undefined) continue;
      const t = asciiText(b, r + 2, r + 2 + (key === 'serial' || key === 'memory_card_serial' ? 24 : 32));
      if (t === '') continue;
      (id as Record<string, string>)[key] = t;
      found = true;
    } else if (pdu.szlId === 0x0424 && recLen >= 4) {
      id.cpu_mode = codeName(CPU_MODES, b[r + 3]);
      found = true;
    } else if (pdu.szlId === 0x0131 && idx === 0x0001 && recLen >= 14) {
      id.max_pdu = u16(b, r + 2);
      id.max_connections = u16(b, r + 4);
      id.mpi_rate = u32(b, r + 6);
      id.bus_rate = u32(b, r + 10);
      found = true;
    }
  }
  if (found) pdu.identity = id;
}

const bcd = (v: number) => ((v >> 4) > 9 || (v & 15) > 9 ? -1 : (v >> 4) * 10 + (v & 15));
const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** S7 timestamp: reserved, year (century ignored), month, day, hour, minute, second (BCD), 3 BCD digits of ms. */
function bcdClock(b: Uint8Array, o: number): string {
  const y = bcd(b[o + 2]);
  const mo = bcd(b[o + 3]);
  const d = bcd(b[o + 4]);
  const h = bcd(b[o + 5]);
  const mi = bcd(b[o + 6]);
  const sec = bcd(b[o + 7]);
  const ms1 = bcd(b[o + 8]);
  const ms2 = b[o + 9] >> 4;
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 || ms1 < 0 || ms2 > 9) return '';
  return `${y < 90 ? 2000 + y : 1900 + y}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(sec, 2)}.${pad(ms1 * 10 + ms2, 3)}`;
}

function parseUserdata(b: Uint8Array, p: number, pEnd: number, d: number, dEnd: number, pdu: S7Pdu, anomalies: string[]): void {
  if (pEnd - p < 8 || b[p] !== 0x00 || b[p + 1] !== 0x01 || b[p + 2] !== 0x12) {
    anomalies.push(A.bad_userdata_param);
    return;
  }
  const plen = b[p + 3];
  const ud: S7Userdata = {
    method: b[p + 4], type: b[p + 5] >> 4, group: b[p + 5] & 0x0f, subfunction: b[p + 6], sequence: b[p + 7],
    dataUnitRef: -1, lastDataUnit: -1, errorCode: -1, returnCode: -1, transportSize: -1, dataLength: -1,
  };
  pdu.userdata = ud;
  if (plen >= 8 && p + 12 <= pEnd) {
    ud.dataUnitRef = b[p + 8];
    ud.lastDataUnit = b[p + 9];
    ud.errorCode = u16(b, p + 10);
  }
  if (ud.type !== UD_TYPE_RESPONSE && ud.dataUnitRef >= 0) pdu.continuation = true;
  if (dEnd - d < 4) return;
  ud.returnCode = b[d];
  ud.transportSize = b[d + 1];
  ud.dataLength = u16(b, d + 2);
  const s = d + 4;
  let e = s + ud.dataLength;
  if (e > dEnd) {
    anomalies.push(A.truncated);
    e = dEnd;
  }
  const response = ud.type === UD_TYPE_RESPONSE;
  if (ud.group === GROUP_CPU && ud.subfunction === SUB_READ_SZL) {
    if (!response && e - s >= 4 && !pdu.continuation) {
      pdu.szlId = u16(b, s);
      pdu.szlIndex = u16(b, s + 2);
    } else if (response && ud.returnCode === 0xff) {
      // A continuation of a multi-part answer has no SZL header: the session keeps this only when the id matches.
      parseSzlIdentity(b, s, e, pdu);
    }
  } else if (ud.group === GROUP_BLOCK) {
    if (ud.subfunction === SUB_LIST_BLOCKS && response && ud.returnCode === 0xff) {
      const counts: Record<string, number> = {};
      for (let r = s; r + 4 <= e && r - s < 4 * 16; r += 4) counts[blockTypeAt(b, r) || `unknown_${b[r + 1]}`] = u16(b, r + 2);
      pdu.blockCounts = counts;
    } else if (ud.subfunction === SUB_LIST_BLOCKS_OF_TYPE && !response && e - s >= 2) {
      pdu.blockType = blockTypeAt(b, s);
    } else if (ud.subfunction === SUB_BLOCK_INFO && !response && e - s >= 7) {
      blockRef(b, s, e, pdu, e - s >= 8);
    }
  } else if (ud.group === GROUP_TIME && ud.returnCode === 0xff && e - s >= 10) {
    const reads = ud.subfunction === 0x01 || ud.subfunction === 0x03;
    if (reads === response) pdu.clock = bcdClock(b, s);
  } else if (ud.group === GROUP_CYCLIC && !response && ud.subfunction === 0x01 && e - s >= 4) {
    pdu.itemCount = u16(b, s);
    pdu.cycleTimebase = b[s + 2];
    pdu.cycleFactor = b[s + 3];
    parseItems(b, s + 4, e, pdu.itemCount, pdu.items, anomalies);
  }
}

/** Decodes one S7comm PDU (`off` at the 0x32 byte, `end` the end of the TSDU). */
export function parseS7(b: Uint8Array, off: number, end: number, anomalies: string[]): S7Pdu | null {
  if (end - off < 10 || b[off] !== S7_PROTOCOL_ID) {
    anomalies.push(A.truncated);
    return null;
  }
  const pdu = newS7Pdu();
  pdu.rosctr = b[off + 1];
  pdu.redundancy = u16(b, off + 2);
  pdu.pduRef = u16(b, off + 4);
  pdu.paramLength = u16(b, off + 6);
  pdu.dataLength = u16(b, off + 8);
  let p = off + 10;
  if (pdu.rosctr === ROSCTR_ACK || pdu.rosctr === ROSCTR_ACK_DATA) {
    if (end - off < 12) {
      anomalies.push(A.truncated);
      return pdu;
    }
    pdu.errorClass = b[off + 10];
    pdu.errorCode = b[off + 11];
    p = off + 12;
  } else if (pdu.rosctr !== ROSCTR_JOB && pdu.rosctr !== ROSCTR_USERDATA) {
    anomalies.push(A.unknown_rosctr);
    return pdu;
  }
  let pEnd = p + pdu.paramLength;
  let d = pEnd;
  let dEnd = d + pdu.dataLength;
  if (dEnd > end) {
    anomalies.push(A.truncated);
    if (pEnd > end) pEnd = end;
    if (d > end) d = end;
    dEnd = end;
  }
  if (pdu.rosctr === ROSCTR_USERDATA) {
    parseUserdata(b, p, pEnd, d, dEnd, pdu, anomalies);
    return pdu;
  }
  if (pEnd - p < 1) return pdu;
  const f = b[p];
  pdu.func = f;
  const job = pdu.rosctr === ROSCTR_JOB;
  switch (f) {
    case FUNC_SETUP_COMMUNICATION:
      if (pEnd - p >= 8) {
        pdu.amqCalling = u16(b, p + 2);
        pdu.amqCalled = u16(b, p + 4);
        pdu.pduLength = u16(b, p + 6);
      }
      break;
    case FUNC_READ_VAR:
    case FUNC_WRITE_VAR:
      if (pEnd - p < 2) break;
      pdu.itemCount = b[p + 1];
      if (job) {
        parseItems(b, p + 2, pEnd, pdu.itemCount, pdu.items, anomalies);
        if (f === FUNC_WRITE_VAR) parseDataItems(b, d, dEnd, pdu.itemCount, pdu.dataItems, anomalies);
      } else if (f === FUNC_READ_VAR) {
        parseDataItems(b, d, dEnd, pdu.itemCount, pdu.dataItems, anomalies);
      } else {
        for (let i = 0; i < pdu.itemCount && d + i < dEnd; i++) pdu.dataItems.push({ returnCode: b[d + i], transportSize: 0, length: 0 });
      }
      break;
    case FUNC_REQUEST_DOWNLOAD:
    case FUNC_DOWNLOAD_BLOCK:
    case FUNC_DOWNLOAD_ENDED:
    case FUNC_START_UPLOAD:
    case FUNC_UPLOAD:
    case FUNC_END_UPLOAD: {
      if (pEnd - p >= 2) pdu.functionStatus = b[p + 1];
      if (pEnd - p >= 8) pdu.uploadId = u32(b, p + 4);
      if (job && f !== FUNC_UPLOAD && f !== FUNC_END_UPLOAD && pEnd - p >= 9) {
        const q = fileName(b, p + 8, pEnd, pdu);
        if (f === FUNC_REQUEST_DOWNLOAD && q + 8 <= pEnd && b[q] >= 7) pdu.blockLength = digitsValue(b, q + 2, q + 8);
      } else if (!job && f === FUNC_START_UPLOAD && pEnd - p >= 9) {
        const len = b[p + 8];
        if (p + 9 + len <= pEnd) pdu.blockLength = digitsValue(b, p + 9, p + 9 + len);
      }
      break;
    }
    case FUNC_PI_SERVICE: {
      if (!job || pEnd - p < 10) break;
      const blen = u16(b, p + 8);
      const bs = p + 10;
      const be = Math.min(bs + blen, pEnd);
      if (be < pEnd) {
        const nlen = b[be];
        pdu.piService = asciiText(b, be + 1, Math.min(be + 1 + nlen, pEnd));
      }
      if (pdu.piService === '_INSE' || pdu.piService === '_DELE') {
        for (let q = bs + 2; q + 8 <= be && pdu.piBlocks.length < MAX_PI_BLOCKS; q += 8) {
          if (pdu.piBlocks.length === 0) blockRef(b, q, be, pdu, true);
          pdu.piBlocks.push(asciiText(b, q, q + 8));
        }
      }
      break;
    }
    case FUNC_PLC_STOP:
      if (job && pEnd - p >= 7) {
        const nlen = b[p + 6];
        pdu.piService = asciiText(b, p + 7, Math.min(p + 7 + nlen, pEnd));
      }
      break;
    default:
      break;
  }
  return pdu;
}

/** Decodes the visible header of an S7comm-plus PDU (`off` at the 0x72 byte). */
export function parseS7Plus(b: Uint8Array, off: number, end: number, anomalies: string[]): S7PlusPdu | null {
  if (end - off < 4) {
    anomalies.push(A.s7plus_truncated);
    return null;
  }
  const pdu: S7PlusPdu = { version: b[off + 1], dataLength: u16(b, off + 2), opcode: -1, func: -1, sequence: -1, integrity: false };
  let o = off + 4;
  if ((pdu.version === 2 || pdu.version === 3) && o < end && b[o] === 0x20) {
    pdu.integrity = true;
    o += 33;
  }
  if (pdu.version === S7PLUS_SYSTEM_EVENT) return pdu;
  if (o >= end) {
    anomalies.push(A.s7plus_truncated);
    return pdu;
  }
  pdu.opcode = b[o];
  if ((pdu.opcode === S7PLUS_OP_REQUEST || pdu.opcode === S7PLUS_OP_RESPONSE || pdu.opcode === S7PLUS_OP_RESPONSE2) && o + 9 <= end) {
    pdu.func = u16(b, o + 3);
    pdu.sequence = u16(b, o + 7);
  }
  return pdu;
}

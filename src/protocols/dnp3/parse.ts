// DNP3 parsing (IEEE 1815-2012): CRC-16/DNP, data link frames (§9.2), transport headers (§8.2) and application
// fragments (§4.2): control, function code, IIN, object headers with their qualifiers and the values of common groups.
// Pure: bytes in, typed PDU plus anomaly codes out; every read is bounded by the fragment's end.
import { DNP3_ANOMALIES } from './anomalies.js';
import {
  ATTRIBUTE_IDENTITY,
  COMMAND_STATUS,
  CROB_OP_TYPES,
  CROB_TCC,
  DEVICE_ATTRIBUTES,
  FC_AUTHENTICATE_RESPONSE,
  FC_RESPONSE,
  FC_UNSOLICITED_RESPONSE,
  FUNCTION_CODES,
  RANGE_NAMES,
  functionInfo,
  groupName,
  objectLayout,
  type ObjectLayout,
} from './codes.js';
import type { AppFragment, Dnp3Point, ObjectHeader } from './types.js';

const A = DNP3_ANOMALIES.codes;

export const LINK_START_0 = 0x05;
export const LINK_START_1 = 0x64;
export const LINK_HEADER_SIZE = 10;
/** Link length counts control, addresses and user data (not CRCs): 5 + at most 250 user-data octets. */
export const LINK_MIN_LENGTH = 5;
export const MAX_USER_DATA = 250;
/** Largest link frame: header plus 250 user-data octets in 16 blocks with their CRCs. */
export const MAX_FRAME_SIZE = LINK_HEADER_SIZE + MAX_USER_DATA + 2 * 16;
export const MAX_OBJECT_HEADERS = 64;
export const MAX_OBJECTS_PER_HEADER = 65536;
export const MAX_POINTS = 100;

const CRC_TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = (c & 1) !== 0 ? (c >>> 1) ^ 0xa6bc : c >>> 1;
    t[i] = c;
  }
  return t;
})();

/** CRC-16/DNP (poly 0x3D65 reflected, init 0, final xor 0xFFFF) of b[off, off+len). */
export function crc16Dnp(b: Uint8Array, off: number, len: number): number {
  let crc = 0;
  for (let i = off; i < off + len; i++) crc = (crc >>> 8) ^ CRC_TABLE[(crc ^ b[i]) & 0xff];
  return ~crc & 0xffff;
}

/** True when the 2 octets after b[off, off+len) hold that block's CRC (little-endian). */
export function crcOk(b: Uint8Array, off: number, len: number): boolean {
  return crc16Dnp(b, off, len) === (b[off + len] | (b[off + len + 1] << 8));
}

/** Total octets of a link frame whose length octet is `length` (≥ 5): header, data blocks and their CRCs. */
export function frameSize(length: number): number {
  const data = length - LINK_MIN_LENGTH;
  return LINK_HEADER_SIZE + data + 2 * Math.ceil(data / 16);
}

/** A plausible link header at b[off] (10 octets there): start octets, length ≥ 5, good header CRC. */
export function validLinkHeader(b: Uint8Array, off: number): boolean {
  return b[off] === LINK_START_0 && b[off + 1] === LINK_START_1 && b[off + 2] >= LINK_MIN_LENGTH && crcOk(b, off, 8);
}

/**
 * Copies the user data of the frame at b[off] (header already checked, whole frame present) into `out` without its
 * CRCs. Returns the user-data length, or -1 when a data block's CRC is wrong.
 */
export function extractUserData(b: Uint8Array, off: number, out: Uint8Array): number {
  const n = b[off + 2] - LINK_MIN_LENGTH;
  let src = off + LINK_HEADER_SIZE;
  let dst = 0;
  while (dst < n) {
    const block = Math.min(16, n - dst);
    if (!crcOk(b, src, block)) return -1;
    out.set(b.subarray(src, src + block), dst);
    dst += block;
    src += block + 2;
  }
  return n;
}

function u16(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}
function u32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}
function u48(b: Uint8Array, o: number): number {
  return u32(b, o) + u16(b, o + 4) * 0x100000000;
}
function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
function readUint(b: Uint8Array, o: number, size: number): number {
  return size === 1 ? b[o] : size === 2 ? u16(b, o) : u32(b, o);
}

function printable(b: Uint8Array, off: number, end: number): string {
  let s = '';
  let text = true;
  for (let i = off; i < end; i++) if (b[i] < 0x20 || b[i] > 0x7e) text = false;
  if (text) {
    for (let i = off; i < end; i++) s += String.fromCharCode(b[i]);
    return s;
  }
  for (let i = off; i < end; i++) s += b[i].toString(16).padStart(2, '0');
  return s;
}

const VIEW = new DataView(new ArrayBuffer(8));
function f32(b: Uint8Array, o: number): number {
  for (let i = 0; i < 4; i++) VIEW.setUint8(i, b[o + i]);
  return VIEW.getFloat32(0, true);
}
function f64(b: Uint8Array, o: number): number {
  for (let i = 0; i < 8; i++) VIEW.setUint8(i, b[o + i]);
  return VIEW.getFloat64(0, true);
}

/** Whether objects after a header carry data (not only headers, or indexes), for this function and group. */
function headerHasData(func: number, group: number, prefix: number): boolean {
  if (func >= FC_RESPONSE) return true;
  if (functionInfo(func).requestData) return true;
  if (prefix >= 4) return true; // a size prefix always precedes data
  if ((func === 11 || func === 12) && group === 50) return true; // freeze at time: the time object
  return group === 120;
}

/** Decodes one fixed-layout object at b[o] into a point. */
function fixedPoint(b: Uint8Array, o: number, group: number, variation: number, index: number, l: ObjectLayout): Dnp3Point {
  const p: Dnp3Point = { group, variation, index };
  let v = o;
  if (l.kind === 'crob') {
    const code = b[o];
    p.control_code = code;
    p.op_type = CROB_OP_TYPES[code & 0x0f] ?? `unknown_${code & 0x0f}`;
    p.tcc = CROB_TCC[code >> 6];
    p.queue = (code & 0x10) !== 0;
    p.clear = (code & 0x20) !== 0;
    p.count = b[o + 1];
    p.on_time_ms = u32(b, o + 2);
    p.off_time_ms = u32(b, o + 6);
    p.status = b[o + 10] & 0x7f;
    p.status_name = COMMAND_STATUS[p.status] ?? `unknown_${p.status}`;
    return p;
  }
  if (l.flags) {
    p.flags = b[v];
    v++;
  }
  switch (l.kind) {
    case 'bit':
      p.value = ((p.flags ?? 0) & 0x80) !== 0;
      break;
    case 'dbit':
      p.value = ((p.flags ?? 0) >> 6) & 3;
      break;
    case 'u8':
      p.value = b[v];
      break;
    case 'u16':
      p.value = u16(b, v);
      v += 2;
      break;
    case 'u32':
      p.value = group === 121 || group === 122 ? u32(b, v + 3) : u32(b, v);
      v += 4;
      break;
    case 'i16':
      p.value = (u16(b, v) << 16) >> 16;
      v += 2;
      break;
    case 'i32':
      p.value = u32(b, v) | 0;
      v += 4;
      break;
    case 'f32':
      p.value = f32(b, v);
      v += 4;
      break;
    case 'f64':
      p.value = f64(b, v);
      v += 8;
      break;
    case 'time':
      p.value = isoTime(u48(b, v));
      v += 6;
      break;
    default:
      p.value = printable(b, o, o + l.size);
  }
  if (typeof p.value === 'number' && !Number.isFinite(p.value)) p.value = null;
  if (l.status) {
    p.status = b[v] & 0x7f;
    p.status_name = COMMAND_STATUS[p.status] ?? `unknown_${p.status}`;
  }
  if (l.time === 48) p.time = isoTime(u48(b, v));
  else if (l.time === 16) p.rel_time_ms = u16(b, v);
  return p;
}

/** A g70 file-transfer object of `size` octets at b[o] (size-prefixed). */
function filePoint(b: Uint8Array, o: number, size: number, variation: number, index: number): Dnp3Point {
  const p: Dnp3Point = { group: 70, variation, index };
  const end = o + size;
  if ((variation === 3 || variation === 7) && size >= 4) {
    // file command / file descriptor: name offset and size, then fixed fields, then the name.
    const nameOff = u16(b, o);
    const nameLen = u16(b, o + 2);
    const start = o + nameOff;
    if (nameOff > 0 && start + nameLen <= end) p.file_name = printable(b, start, start + nameLen);
    p.attr = variation === 3 ? 'file_command' : 'file_descriptor';
  } else if ((variation === 4 || variation === 6) && size >= 9) {
    p.handle = u32(b, o);
    if (variation === 6) p.block = u32(b, o + 4) & 0x7fffffff;
    const status = b[variation === 4 ? o + 12 : o + 8];
    if (variation === 4 ? size >= 13 : true) p.status = status;
    p.attr = variation === 4 ? 'file_command_status' : 'file_transport_status';
  } else if (variation === 5 && size >= 8) {
    p.handle = u32(b, o);
    p.block = u32(b, o + 4) & 0x7fffffff;
    p.data_length = size - 8;
    p.attr = 'file_transport';
  } else if (variation === 2) {
    p.attr = 'file_authentication';
  }
  return p;
}

/** The application header length for a function code: 4 octets with IIN for responses, else 2. */
export function isResponseCode(func: number): boolean {
  return func === FC_RESPONSE || func === FC_UNSOLICITED_RESPONSE || func === FC_AUTHENTICATE_RESPONSE;
}

/** Parses one reassembled application fragment b[off, end). Never throws; problems become anomaly codes. */
export function parseApplication(b: Uint8Array, off: number, end: number): AppFragment {
  const frag: AppFragment = {
    fir: false,
    fin: false,
    con: false,
    uns: false,
    seq: 0,
    func: -1,
    iin1: -1,
    iin2: -1,
    objects: [],
    points: [],
    pointsTotal: 0,
    anomalies: [],
    length: end - off,
  };
  if (end - off < 2) {
    frag.anomalies.push(A.truncated_application);
    return frag;
  }
  const ac = b[off];
  frag.fir = (ac & 0x80) !== 0;
  frag.fin = (ac & 0x40) !== 0;
  frag.con = (ac & 0x20) !== 0;
  frag.uns = (ac & 0x10) !== 0;
  frag.seq = ac & 0x0f;
  const func = b[off + 1];
  frag.func = func;
  if (FUNCTION_CODES[func] === undefined) frag.anomalies.push(A.unknown_function_code);
  let o = off + 2;
  if (isResponseCode(func)) {
    if (end - off < 4) {
      frag.anomalies.push(A.truncated_application);
      return frag;
    }
    frag.iin1 = b[off + 2];
    frag.iin2 = b[off + 3];
    o = off + 4;
  }
  parseObjects(b, o, end, func, frag);
  return frag;
}

function pushPoint(frag: AppFragment, p: Dnp3Point): void {
  frag.pointsTotal++;
  if (frag.points.length < MAX_POINTS) frag.points.push(p);
}

function parseObjects(b: Uint8Array, off: number, end: number, func: number, frag: AppFragment): void {
  let o = off;
  let headers = 0;
  while (o < end) {
    if (headers >= MAX_OBJECT_HEADERS) {
      frag.anomalies.push(A.object_header_cap);
      return;
    }
    headers++;
    if (end - o < 3) {
      frag.anomalies.push(A.truncated_object);
      return;
    }
    const group = b[o];
    const variation = b[o + 1];
    const qualifier = b[o + 2];
    o += 3;
    const prefix = (qualifier >> 4) & 0x07;
    const rangeCode = qualifier & 0x0f;
    const range = RANGE_NAMES[rangeCode];
    if (range === undefined || prefix === 7 || (qualifier & 0x80) !== 0) {
      frag.anomalies.push(A.unknown_qualifier);
      return;
    }
    const h: ObjectHeader = { group, variation, name: groupName(group), qualifier, range, count: 0 };
    let startIndex = 0;
    if (rangeCode <= 5) {
      const rangeSize = [1, 2, 4][rangeCode % 3];
      if (end - o < 2 * rangeSize) {
        frag.objects.push(h);
        frag.anomalies.push(A.truncated_object);
        return;
      }
      const start = readUint(b, o, rangeSize);
      const stop = readUint(b, o + rangeSize, rangeSize);
      o += 2 * rangeSize;
      h.start = start;
      h.stop = stop;
      if (stop < start) {
        frag.objects.push(h);
        frag.anomalies.push(A.invalid_range);
        return;
      }
      h.count = stop - start + 1;
      startIndex = start;
    } else if (rangeCode !== 6) {
      const rangeSize = rangeCode === 7 || rangeCode === 11 ? 1 : rangeCode === 8 ? 2 : 4;
      if (end - o < rangeSize) {
        frag.objects.push(h);
        frag.anomalies.push(A.truncated_object);
        return;
      }
      h.count = readUint(b, o, rangeSize);
      o += rangeSize;
    }
    frag.objects.push(h);
    if (rangeCode === 6) continue;
    const hasData = headerHasData(func, group, prefix);
    if (!hasData && prefix === 0) continue; // a header alone (read, freeze, assign class...)
    if (h.count > MAX_OBJECTS_PER_HEADER) {
      frag.anomalies.push(A.object_count_cap);
      return;
    }
    const next = parseHeaderObjects(b, o, end, group, variation, prefix, h.count, startIndex, hasData, frag);
    if (next < 0) return;
    o = next;
  }
}

/** Decodes the objects after one header; returns the offset after them, or -1 when parsing must stop. */
function parseHeaderObjects(
  b: Uint8Array,
  off: number,
  end: number,
  group: number,
  variation: number,
  prefix: number,
  count: number,
  startIndex: number,
  hasData: boolean,
  frag: AppFragment,
): number {
  const layout = objectLayout(group, variation);
  let o = off;
  // Packed bits (g1v1, g3v1, g10v1, g80v1, g12v3): the whole range in ceil(count * bits / 8) octets.
  if (hasData && prefix === 0 && layout !== null && layout.bits > 0) {
    const bytes = Math.ceil((count * layout.bits) / 8);
    if (end - o < bytes) {
      frag.anomalies.push(A.truncated_object);
      return -1;
    }
    for (let i = 0; i < count; i++) {
      if (frag.points.length >= MAX_POINTS) {
        frag.pointsTotal += count - i;
        break;
      }
      const bit = i * layout.bits;
      const raw = (b[o + (bit >> 3)] >> (bit & 7)) & (layout.bits === 2 ? 3 : 1);
      pushPoint(frag, { group, variation, index: startIndex + i, value: layout.bits === 2 ? raw : raw === 1 });
    }
    return o + bytes;
  }
  const prefixSize = prefix === 0 ? 0 : [0, 1, 2, 4, 1, 2, 4][prefix];
  for (let i = 0; i < count; i++) {
    let index = startIndex + i;
    let size = -1;
    if (prefixSize > 0) {
      if (end - o < prefixSize) {
        frag.anomalies.push(A.truncated_object);
        return -1;
      }
      const v = readUint(b, o, prefixSize);
      o += prefixSize;
      if (prefix <= 3) index = v;
      else size = v;
    }
    if (!hasData) {
      frag.pointsTotal++;
      if (frag.points.length < MAX_POINTS) frag.points.push({ group, variation, index });
      continue;
    }
    if (size >= 0) {
      if (end - o < size) {
        frag.anomalies.push(A.truncated_object);
        return -1;
      }
      if (group === 70) pushPoint(frag, filePoint(b, o, size, variation, index));
      else if (layout !== null && layout.bits === 0 && size >= layout.size) pushPoint(frag, fixedPoint(b, o, group, variation, index, layout));
      else pushPoint(frag, { group, variation, index, data_length: size });
      o += size;
      continue;
    }
    if (group === 0) {
      // Device attribute: data type code, length, value.
      if (end - o < 2 || end - o - 2 < b[o + 1]) {
        frag.anomalies.push(A.truncated_object);
        return -1;
      }
      const type = b[o];
      const len = b[o + 1];
      const p: Dnp3Point = { group, variation, index, attr: DEVICE_ATTRIBUTES[variation] ?? `attribute_${variation}` };
      if ((type === 2 || type === 3) && len >= 1 && len <= 4) {
        let v = 0;
        for (let k = len - 1; k >= 0; k--) v = v * 256 + b[o + 2 + k];
        if (type === 3 && v >= 2 ** (8 * len - 1)) v -= 2 ** (8 * len);
        p.value = v;
      } else if (type === 4 && (len === 4 || len === 8)) {
        p.value = len === 4 ? f32(b, o + 2) : f64(b, o + 2);
      } else {
        p.value = printable(b, o + 2, o + 2 + len);
      }
      pushPoint(frag, p);
      o += 2 + len;
      continue;
    }
    if (layout === null || layout.bits > 0) {
      frag.anomalies.push(A.unknown_object_size);
      return -1;
    }
    if (end - o < layout.size) {
      frag.anomalies.push(A.truncated_object);
      return -1;
    }
    if (frag.points.length < MAX_POINTS) pushPoint(frag, fixedPoint(b, o, group, variation, index, layout));
    else frag.pointsTotal++;
    o += layout.size;
  }
  return o;
}

/** Identity fields carried by device attribute (g0) points, or null when none. */
export function attributeIdentity(points: readonly Dnp3Point[]): Record<string, string> | null {
  let out: Record<string, string> | null = null;
  for (const p of points) {
    if (p.group !== 0) continue;
    const field = ATTRIBUTE_IDENTITY[p.variation];
    if (field === undefined || p.value === undefined || p.value === null) continue;
    out ??= {};
    out[field] = String(p.value);
  }
  return out;
}

// Pure IEC 60870-5-104 APDU parser: APCI (104 §5) and ASDU with every standard information element (101 §7.2.6).
import { A } from './anomalies.js';
import { DOUBLE_STATES, STEP_STATES, isKnownCot, isKnownType, typeEntry, type TypeEntry } from './codes.js';
import type { Apdu, Asdu, InfoObject } from './types.js';

export const APDU_START = 0x68;
export const APCI_LENGTH = 6;
export const MIN_APDU_LENGTH = 4;
export const MAX_APDU_LENGTH = 253;
/** Objects listed per ASDU in the exported record; the VSQ allows up to 127. */
export const MAX_OBJECTS = 64;

/** Parses one complete APDU at b[off..off+2+b[off+1]); the caller has checked start byte and length. */
export function parseApdu(b: Uint8Array, off: number, anomalies: string[]): Apdu {
  const length = b[off + 1];
  const end = off + 2 + length;
  const c1 = b[off + 2];
  const c2 = b[off + 3];
  const c3 = b[off + 4];
  const c4 = b[off + 5];
  const apdu: Apdu = { format: 'I', length, sendSeq: -1, recvSeq: -1, uControl: 0, asdu: null };
  if ((c1 & 1) === 0) {
    apdu.sendSeq = (c1 >> 1) | (c2 << 7);
    apdu.recvSeq = (c3 >> 1) | (c4 << 7);
    if ((c3 & 1) !== 0) anomalies.push(A.invalid_control);
    if (length < APCI_LENGTH - 2 + 6) anomalies.push(A.short_asdu);
    else apdu.asdu = parseAsdu(b, off + APCI_LENGTH, end, anomalies);
    return apdu;
  }
  if ((c1 & 3) === 1) {
    apdu.format = 'S';
    apdu.recvSeq = (c3 >> 1) | (c4 << 7);
    if (c1 !== 1 || c2 !== 0 || (c3 & 1) !== 0 || length !== 4) anomalies.push(A.invalid_control);
    return apdu;
  }
  apdu.format = 'U';
  apdu.uControl = c1;
  if (!isSingleUFunction(c1) || c2 !== 0 || c3 !== 0 || c4 !== 0 || length !== 4) anomalies.push(A.invalid_control);
  return apdu;
}

function isSingleUFunction(c1: number): boolean {
  return c1 === 0x07 || c1 === 0x0b || c1 === 0x13 || c1 === 0x23 || c1 === 0x43 || c1 === 0x83;
}

/** Bytes the objects of an ASDU need after its header, or -1 when the type has a variable size. */
function objectsSize(t: TypeEntry, n: number, sq: boolean): number {
  if (t.size < 0) return -1;
  const each = t.size + t.time;
  return sq ? 3 + each * n : (3 + each) * n;
}

/** Parses the ASDU in b[off..end). */
export function parseAsdu(b: Uint8Array, off: number, end: number, anomalies: string[]): Asdu {
  const typeId = b[off];
  const vsq = b[off + 1];
  const sq = (vsq & 0x80) !== 0;
  const n = vsq & 0x7f;
  const t = typeEntry(typeId);
  const known = isKnownType(typeId);
  if (!known) anomalies.push(A.unknown_type_id);
  if (n === 0) anomalies.push(A.zero_objects);
  // Standard header is 6 bytes (COT 2, CA 2). Some 101-derived stacks send 1-byte COT and/or CA: accept a variant
  // only when the standard layout does not fit the length and the variant fits it exactly.
  let cotSize: 1 | 2 = 2;
  let caSize: 1 | 2 = 2;
  const body = end - off;
  const need = known ? objectsSize(t, n, sq) : -1;
  if (need >= 0 && n > 0 && body - 6 !== need) {
    if (body - 5 === need) {
      caSize = 1;
      anomalies.push(A.nonstandard_header);
    } else if (body - 4 === need) {
      cotSize = 1;
      caSize = 1;
      anomalies.push(A.nonstandard_header);
    }
  }
  let o = off + 2;
  const cotByte = b[o];
  const cot = cotByte & 0x3f;
  let originator = 0;
  o++;
  if (cotSize === 2) originator = b[o++];
  let ca = b[o++];
  if (caSize === 2) ca |= b[o++] << 8;
  if (cot === 0 || !isKnownCot(cot)) anomalies.push(A.unknown_cause);
  const asdu: Asdu = {
    typeId,
    sq,
    numObjects: n,
    cot,
    negative: (cotByte & 0x40) !== 0,
    test: (cotByte & 0x80) !== 0,
    originator,
    commonAddress: ca,
    cotSize,
    caSize,
    objects: [],
    objectsDecoded: 0,
  };
  if (!known) return asdu;
  let baseIoa = 0;
  let truncated = false;
  for (let i = 0; i < n; i++) {
    let ioa: number;
    if (!sq || i === 0) {
      if (o + 3 > end) {
        truncated = true;
        break;
      }
      ioa = b[o] | (b[o + 1] << 8) | (b[o + 2] << 16);
      o += 3;
      baseIoa = ioa;
    } else {
      ioa = (baseIoa + i) & 0xffffff;
    }
    let size = t.size;
    if (size < 0) size = o + 4 <= end ? 4 + b[o + 3] : 4; // F_SG_NA_1: NOF, NOS, LOS + LOS bytes
    if (o + size + t.time > end) {
      truncated = true;
      break;
    }
    const obj = decodeElement(t, b, o, ioa, anomalies);
    o += size;
    if (t.time === 7) decodeCp56(b, o, obj, false, anomalies);
    else if (t.time === 3) decodeCp24(b, o, obj, anomalies);
    o += t.time;
    asdu.objectsDecoded++;
    if (asdu.objects.length < MAX_OBJECTS) asdu.objects.push(obj);
  }
  if (truncated) anomalies.push(A.truncated_asdu);
  else if (o < end) anomalies.push(A.trailing_bytes);
  if (asdu.objectsDecoded > MAX_OBJECTS) anomalies.push(A.objects_capped);
  return asdu;
}

function qualityFlags(q: number, ov: boolean): string[] | undefined {
  if ((q & 0xf9) === 0) return undefined;
  const f: string[] = [];
  if (ov && (q & 0x01) !== 0) f.push('ov');
  if ((q & 0x08) !== 0) f.push('ei');
  if ((q & 0x10) !== 0) f.push('bl');
  if ((q & 0x20) !== 0) f.push('sb');
  if ((q & 0x40) !== 0) f.push('nt');
  if ((q & 0x80) !== 0) f.push('iv');
  return f.length > 0 ? f : undefined;
}

function withFlag(flags: string[] | undefined, flag: string): string[] {
  return flags === undefined ? [flag] : [...flags, flag];
}

const u16 = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8);
const i16 = (b: Uint8Array, o: number) => ((b[o] | (b[o + 1] << 8)) << 16) >> 16;
const u24 = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8) | (b[o + 2] << 16);
const i32 = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24);
const u32 = (b: Uint8Array, o: number) => i32(b, o) >>> 0;
const F32 = new Float32Array(1);
const F32_BYTES = new Uint8Array(F32.buffer);
function f32(b: Uint8Array, o: number): number | null {
  // IEEE 754 short floating point, little endian on the wire (§7.2.6.8); the host is little endian too (Node on x86/ARM).
  F32_BYTES[0] = b[o];
  F32_BYTES[1] = b[o + 1];
  F32_BYTES[2] = b[o + 2];
  F32_BYTES[3] = b[o + 3];
  const v = F32[0];
  if (!Number.isFinite(v)) return null;
  if (v === 0) return 0;
  // Round to the 7 significant digits a float32 holds, so 171.3 is exported as 171.3, not 171.3000030517578.
  const e = Math.floor(Math.log10(Math.abs(v)));
  const scale = POW10[6 - e + POW10_BIAS];
  return scale === undefined ? v : Math.round(v * scale) / scale;
}
const POW10_BIAS = 60;
const POW10: readonly number[] = Array.from({ length: 121 }, (_, i) => 10 ** (i - POW10_BIAS));
const normalized = (b: Uint8Array, o: number) => i16(b, o) / 32768;

function command(obj: InfoObject, c: number, states: readonly string[] | null): InfoObject {
  if (states === null) obj.value = c & 1;
  else {
    obj.value = c & 3;
    obj.state = states[c & 3];
  }
  obj.qualifier = (c >> 2) & 0x1f;
  obj.se = (c & 0x80) !== 0 ? 'select' : 'execute';
  return obj;
}

function setpoint(obj: InfoObject, value: number | null, qos: number): InfoObject {
  obj.value = value;
  obj.qualifier = qos & 0x7f;
  obj.se = (qos & 0x80) !== 0 ? 'select' : 'execute';
  return obj;
}

function parameter(obj: InfoObject, value: number | null, qpm: number): InfoObject {
  obj.value = value;
  obj.qualifier = qpm & 0x3f;
  if ((qpm & 0xc0) !== 0) obj.flags = [...((qpm & 0x40) !== 0 ? ['lpc'] : []), ...((qpm & 0x80) !== 0 ? ['pop'] : [])];
  return obj;
}

function qoiName(q: number): string {
  if (q === 20) return 'station';
  if (q >= 21 && q <= 36) return `group_${q - 20}`;
  return q === 0 ? 'not_used' : `qoi_${q}`;
}

function decodeElement(t: TypeEntry, b: Uint8Array, o: number, ioa: number, anomalies: string[]): InfoObject {
  const obj: InfoObject = { ioa };
  switch (t.element) {
    case 'siq':
      obj.value = b[o] & 1;
      obj.flags = qualityFlags(b[o] & 0xf0, false);
      break;
    case 'diq':
      obj.value = b[o] & 3;
      obj.state = DOUBLE_STATES[b[o] & 3];
      obj.flags = qualityFlags(b[o] & 0xf0, false);
      break;
    case 'vti_qds':
      obj.value = ((b[o] & 0x7f) << 25) >> 25;
      obj.flags = qualityFlags(b[o + 1], true);
      if ((b[o] & 0x80) !== 0) obj.flags = withFlag(obj.flags, 'transient');
      break;
    case 'bsi_qds':
      obj.value = u32(b, o);
      obj.flags = qualityFlags(b[o + 4], true);
      break;
    case 'nva_qds':
      obj.value = normalized(b, o);
      obj.flags = qualityFlags(b[o + 2], true);
      break;
    case 'sva_qds':
      obj.value = i16(b, o);
      obj.flags = qualityFlags(b[o + 2], true);
      break;
    case 'float_qds':
      obj.value = f32(b, o);
      obj.flags = qualityFlags(b[o + 4], true);
      break;
    case 'bcr': {
      obj.value = i32(b, o);
      const s = b[o + 4];
      obj.seq = s & 0x1f;
      const f: string[] = [];
      if ((s & 0x20) !== 0) f.push('cy');
      if ((s & 0x40) !== 0) f.push('ca');
      if ((s & 0x80) !== 0) f.push('iv');
      if (f.length > 0) obj.flags = f;
      break;
    }
    case 'sep_cp16':
      obj.value = b[o] & 3;
      obj.state = DOUBLE_STATES[b[o] & 3];
      obj.flags = qualityFlags(b[o] & 0xf8, false);
      obj.elapsed_ms = u16(b, o + 1);
      break;
    case 'spe_qdp_cp16':
    case 'oci_qdp_cp16':
      obj.value = b[o];
      obj.flags = qualityFlags(b[o + 1] & 0xf8, false);
      obj.elapsed_ms = u16(b, o + 2);
      break;
    case 'scd_qds':
      obj.value = u32(b, o);
      obj.flags = qualityFlags(b[o + 4], true);
      break;
    case 'nva':
      obj.value = normalized(b, o);
      break;
    case 'sco':
      return command(obj, b[o], null);
    case 'dco':
      return command(obj, b[o], DOUBLE_STATES);
    case 'rco':
      return command(obj, b[o], STEP_STATES);
    case 'nva_qos':
      return setpoint(obj, normalized(b, o), b[o + 2]);
    case 'sva_qos':
      return setpoint(obj, i16(b, o), b[o + 2]);
    case 'float_qos':
      return setpoint(obj, f32(b, o), b[o + 4]);
    case 'bsi':
      obj.value = u32(b, o);
      break;
    case 'coi':
      obj.qualifier = b[o] & 0x7f;
      obj.qualifier_name = ['local_power_on', 'local_manual_reset', 'remote_reset'][b[o] & 0x7f] ?? `coi_${b[o] & 0x7f}`;
      if ((b[o] & 0x80) !== 0) obj.flags = ['lpc'];
      break;
    case 'qoi':
      obj.qualifier = b[o];
      obj.qualifier_name = qoiName(b[o]);
      break;
    case 'qcc':
      obj.qualifier = b[o];
      obj.qualifier_name = `${['no_counter', 'group_1', 'group_2', 'group_3', 'group_4', 'general'][b[o] & 0x3f] ?? `rqt_${b[o] & 0x3f}`}/${['read', 'freeze', 'freeze_reset', 'reset'][b[o] >> 6]}`;
      break;
    case 'none':
      break;
    case 'cp56':
      decodeCp56(b, o, obj, false, anomalies);
      break;
    case 'fbp':
      obj.value = u16(b, o);
      if (obj.value !== 0x55aa) anomalies.push(A.bad_test_pattern);
      break;
    case 'qrp':
      obj.qualifier = b[o];
      obj.qualifier_name = ['not_used', 'general_reset', 'reset_event_buffer'][b[o]] ?? `qrp_${b[o]}`;
      break;
    case 'cp16':
      obj.elapsed_ms = u16(b, o);
      break;
    case 'tsc':
      obj.value = u16(b, o);
      break;
    case 'nva_qpm':
      return parameter(obj, normalized(b, o), b[o + 2]);
    case 'sva_qpm':
      return parameter(obj, i16(b, o), b[o + 2]);
    case 'float_qpm':
      return parameter(obj, f32(b, o), b[o + 4]);
    case 'qpa':
      obj.qualifier = b[o];
      break;
    case 'file_ready': // NOF, LOF, FRQ
      obj.file = u16(b, o);
      obj.length = u24(b, o + 2);
      obj.qualifier = b[o + 5];
      break;
    case 'section_ready': // NOF, NOS, LOF, SRQ
      obj.file = u16(b, o);
      obj.section = b[o + 2];
      obj.length = u24(b, o + 3);
      obj.qualifier = b[o + 6];
      break;
    case 'call_select': // NOF, NOS, SCQ
    case 'ack_file': // NOF, NOS, AFQ
      obj.file = u16(b, o);
      obj.section = b[o + 2];
      obj.qualifier = b[o + 3];
      break;
    case 'last_section': // NOF, NOS, LSQ, CHS
      obj.file = u16(b, o);
      obj.section = b[o + 2];
      obj.qualifier = b[o + 3];
      obj.value = b[o + 4];
      break;
    case 'segment': // NOF, NOS, LOS, segment
      obj.file = u16(b, o);
      obj.section = b[o + 2];
      obj.length = b[o + 3];
      break;
    case 'directory': // NOF, LOF, SOF (+ CP56 creation time)
      obj.file = u16(b, o);
      obj.length = u24(b, o + 2);
      obj.qualifier = b[o + 5];
      break;
    case 'query_log': // NOF, range start CP56, range stop CP56
      obj.file = u16(b, o);
      decodeCp56(b, o + 2, obj, false, anomalies);
      decodeCp56(b, o + 9, obj, true, anomalies);
      break;
  }
  if (obj.flags === undefined) delete obj.flags;
  return obj;
}

const pad2 = (n: number) => (n < 10 ? '0' : '') + n;
const pad3 = (n: number) => (n < 10 ? '00' : n < 100 ? '0' : '') + n;

/** CP56Time2a (§7.2.6.18) at b[o..o+7) into obj.time (or time_end), ISO text without zone, null when out of range. */
export function decodeCp56(b: Uint8Array, o: number, obj: InfoObject, end: boolean, anomalies: string[]): void {
  const ms = u16(b, o);
  const min = b[o + 2] & 0x3f;
  const hour = b[o + 3] & 0x1f;
  const day = b[o + 4] & 0x1f;
  const month = b[o + 5] & 0x0f;
  const year = 2000 + (b[o + 6] & 0x7f);
  let text: string | null = null;
  if (ms > 59999 || min > 59 || hour > 23 || day < 1 || day > 31 || month < 1 || month > 12) anomalies.push(A.invalid_time);
  else {
    const sec = Math.floor(ms / 1000);
    text = `${year}-${pad2(month)}-${pad2(day)}T${pad2(hour)}:${pad2(min)}:${pad2(sec)}.${pad3(ms - sec * 1000)}`;
  }
  if (end) {
    obj.time_end = text;
    return;
  }
  obj.time = text;
  if ((b[o + 2] & 0x80) !== 0) obj.time_iv = true;
  if ((b[o + 3] & 0x80) !== 0) obj.time_su = true;
}

/** CP24Time2a (§7.2.6.19): minutes and milliseconds of the hour, as `MM:SS.mmm`. */
export function decodeCp24(b: Uint8Array, o: number, obj: InfoObject, anomalies: string[]): void {
  const ms = u16(b, o);
  const min = b[o + 2] & 0x3f;
  if (ms > 59999 || min > 59) {
    anomalies.push(A.invalid_time);
    obj.time = null;
  } else {
    const sec = Math.floor(ms / 1000);
    obj.time = `${pad2(min)}:${pad2(sec)}.${pad3(ms - sec * 1000)}`;
  }
  if ((b[o + 2] & 0x80) !== 0) obj.time_iv = true;
}

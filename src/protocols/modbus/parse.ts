// Modbus/TCP ADU parser: MBAP header (spec "MODBUS Messaging on TCP/IP" §3.1.3) and every public function code's
// request and response PDU (Application Protocol spec §6), fc 43 MEI 13/14, UMAS (fc 90) header. Pure; never throws.
import {
  EXCEPTION_BIT,
  EXCEPTION_CODES,
  FC_UMAS,
  FUNCTION_CODES,
  MEI_READ_DEVICE_ID,
  deviceObjectName,
  isUserDefined,
} from './codes.js';
import { MODBUS_ANOMALIES } from './anomalies.js';
import type { DeviceIdObject, FileSubRequest, FileSubResponse, ModbusAdu, ModbusFields } from './types.js';

const A = MODBUS_ANOMALIES.codes;

export const MBAP_HEADER_LENGTH = 7;
/** Largest MBAP length of the spec: unit id + 253-byte PDU. */
export const MAX_MBAP_LENGTH = 254;
/** UMAS program blocks exceed the spec (about 1 KiB, negotiated by init_comm): allowed for fc 90 only. */
export const MAX_UMAS_MBAP_LENGTH = 2048;
export const MAX_REGISTER_VALUES = 125;
export const MAX_COIL_VALUES = 2000;
/** Opaque data (diagnostics, UMAS, user-defined, CANopen) is exported as hex up to this many bytes. */
export const MAX_DATA_BYTES = 64;
const MAX_FILE_SUBREQUESTS = 35;

/** MBAP length cap for a function code byte. */
export function maxLengthFor(funcCode: number): number {
  return (funcCode & 0x7f) === FC_UMAS ? MAX_UMAS_MBAP_LENGTH : MAX_MBAP_LENGTH;
}

/**
 * Parses one ADU at b[off..off+6+length). The caller has checked that the bytes are all there and the length is at
 * least 2 (unit id and function code).
 */
export function parseAdu(b: Uint8Array, off: number, isResponse: boolean): ModbusAdu {
  const length = (b[off + 4] << 8) | b[off + 5];
  const funcCode = b[off + 7];
  const adu: ModbusAdu = {
    transactionId: (b[off] << 8) | b[off + 1],
    protocolId: (b[off + 2] << 8) | b[off + 3],
    length,
    unitId: b[off + 6],
    funcCode,
    func: funcCode & 0x7f,
    exceptionCode: -1,
    isResponse,
    fields: {},
    anomalies: [],
  };
  if (length > MAX_MBAP_LENGTH) adu.anomalies.push(A.oversized_adu);
  const p = new Cursor(b, off + 8, off + 6 + length, adu.anomalies);
  if (isResponse && (funcCode & EXCEPTION_BIT) !== 0) {
    if (p.need(1)) {
      adu.exceptionCode = p.u8();
      if (EXCEPTION_CODES[adu.exceptionCode] === undefined) adu.anomalies.push(A.unknown_exception_code);
    }
    p.finish();
    return adu;
  }
  if (!isResponse && (funcCode & EXCEPTION_BIT) !== 0) adu.anomalies.push(A.unknown_function_code);
  else if (FUNCTION_CODES[adu.func] === undefined && !isUserDefined(adu.func)) adu.anomalies.push(A.unknown_function_code);
  if (isResponse) parseResponse(adu.func, p, adu.fields);
  else parseRequest(adu.func, p, adu.fields);
  p.finish();
  return adu;
}

/** Bounded reader over one PDU; a short read records `truncated_pdu` once and yields zeros. */
class Cursor {
  truncated = false;
  constructor(
    readonly b: Uint8Array,
    public off: number,
    readonly end: number,
    readonly anomalies: string[],
  ) {}

  get left(): number {
    return this.end - this.off;
  }

  need(n: number): boolean {
    if (this.end - this.off >= n) return true;
    if (!this.truncated) {
      this.truncated = true;
      this.anomalies.push(A.truncated_pdu);
    }
    return false;
  }

  u8(): number {
    return this.b[this.off++];
  }

  u16(): number {
    const v = (this.b[this.off] << 8) | this.b[this.off + 1];
    this.off += 2;
    return v;
  }

  hex(n: number, fields: ModbusFields): string {
    const take = Math.min(n, MAX_DATA_BYTES);
    let s = '';
    for (let i = 0; i < take; i++) s += (this.b[this.off + i] < 16 ? '0' : '') + this.b[this.off + i].toString(16);
    if (take < n) fields.data_truncated = true;
    this.off += n;
    return s;
  }

  /** Rest of the PDU as hex (opaque data). */
  rest(fields: ModbusFields): string {
    return this.hex(this.left, fields);
  }

  registers(n: number, fields: ModbusFields): number[] {
    const take = Math.min(n, MAX_REGISTER_VALUES);
    const out = new Array<number>(take);
    for (let i = 0; i < take; i++) out[i] = (this.b[this.off + 2 * i] << 8) | this.b[this.off + 2 * i + 1];
    if (take < n) this.capped(fields);
    this.off += 2 * n;
    return out;
  }

  bits(byteCount: number, quantity: number, fields: ModbusFields): number[] {
    const n = Math.min(quantity, byteCount * 8);
    const take = Math.min(n, MAX_COIL_VALUES);
    const out = new Array<number>(take);
    for (let i = 0; i < take; i++) out[i] = (this.b[this.off + (i >> 3)] >> (i & 7)) & 1;
    if (take < n) this.capped(fields);
    this.off += byteCount;
    return out;
  }

  capped(fields: ModbusFields): void {
    if (fields.values_truncated !== true) {
      fields.values_truncated = true;
      this.anomalies.push(A.values_capped);
    }
  }

  finish(): void {
    if (this.off < this.end && !this.truncated) this.anomalies.push(A.trailing_bytes);
  }
}

function checkQuantity(p: Cursor, q: number, max: number): void {
  if (q === 0 || q > max) p.anomalies.push(A.quantity_out_of_range);
}

function parseRequest(fc: number, p: Cursor, f: ModbusFields): void {
  switch (fc) {
    case 1:
    case 2:
    case 3:
    case 4:
      if (!p.need(4)) return;
      f.address = p.u16();
      f.quantity = p.u16();
      checkQuantity(p, f.quantity, fc <= 2 ? 2000 : 125);
      return;
    case 5:
    case 6: {
      if (!p.need(4)) return;
      f.address = p.u16();
      f.quantity = 1;
      const v = p.u16();
      if (fc === 5 && v !== 0 && v !== 0xff00) p.anomalies.push(A.invalid_coil_value);
      f.write_values = [fc === 5 ? (v === 0xff00 ? 1 : 0) : v];
      return;
    }
    case 15:
    case 16: {
      if (!p.need(5)) return;
      f.address = p.u16();
      f.quantity = p.u16();
      f.byte_count = p.u8();
      checkQuantity(p, f.quantity, fc === 15 ? 1968 : 123);
      const want = fc === 15 ? (f.quantity + 7) >> 3 : 2 * f.quantity;
      if (f.byte_count !== want) p.anomalies.push(A.byte_count_mismatch);
      const bc = Math.min(f.byte_count, p.left);
      if (bc < f.byte_count) p.need(f.byte_count);
      f.write_values = fc === 15 ? p.bits(bc, f.quantity, f) : p.registers(bc >> 1, f);
      if (fc === 16 && (bc & 1) === 1) p.off++;
      return;
    }
    case 8:
      if (!p.need(2)) return;
      f.sub_function = p.u16();
      f.request_data = p.rest(f);
      return;
    case 20:
    case 21:
      parseFileRequest(fc, p, f);
      return;
    case 22:
      if (!p.need(6)) return;
      f.address = p.u16();
      f.quantity = 1;
      f.and_mask = p.u16();
      f.or_mask = p.u16();
      return;
    case 23: {
      if (!p.need(9)) return;
      f.address = p.u16();
      f.quantity = p.u16();
      f.write_address = p.u16();
      f.write_quantity = p.u16();
      f.byte_count = p.u8();
      checkQuantity(p, f.quantity, 125);
      checkQuantity(p, f.write_quantity, 121);
      if (f.byte_count !== 2 * f.write_quantity) p.anomalies.push(A.byte_count_mismatch);
      const bc = Math.min(f.byte_count, p.left);
      if (bc < f.byte_count) p.need(f.byte_count);
      f.write_values = p.registers(bc >> 1, f);
      if ((bc & 1) === 1) p.off++;
      return;
    }
    case 24:
      if (!p.need(2)) return;
      f.address = p.u16();
      return;
    case 43:
      if (!p.need(1)) return;
      f.mei_type = p.u8();
      if (f.mei_type === MEI_READ_DEVICE_ID) {
        if (!p.need(2)) return;
        f.read_device_id_code = p.u8();
        f.object_id = p.u8();
      } else {
        f.request_data = p.rest(f);
      }
      return;
    case FC_UMAS:
      if (!p.need(2)) return;
      f.umas_session = p.u8();
      f.umas_code = p.u8();
      f.request_data = p.rest(f);
      return;
    case 7:
    case 11:
    case 12:
    case 17:
      return;
    default:
      f.request_data = p.rest(f);
  }
}

function parseResponse(fc: number, p: Cursor, f: ModbusFields): void {
  switch (fc) {
    case 1:
    case 2:
    case 3:
    case 4: {
      if (!p.need(1)) return;
      f.byte_count = p.u8();
      const bc = Math.min(f.byte_count, p.left);
      if (bc < f.byte_count) p.anomalies.push(A.byte_count_mismatch);
      if (fc <= 2) f.read_values = p.bits(bc, bc * 8, f);
      else {
        if ((bc & 1) === 1) p.anomalies.push(A.byte_count_mismatch);
        f.read_values = p.registers(bc >> 1, f);
        if ((bc & 1) === 1) p.off++;
      }
      return;
    }
    case 5:
    case 6:
      if (!p.need(4)) return;
      f.address = p.u16();
      f.quantity = 1;
      {
        const v = p.u16();
        f.write_values = [fc === 5 ? (v === 0xff00 ? 1 : 0) : v];
      }
      return;
    case 15:
    case 16:
      if (!p.need(4)) return;
      f.address = p.u16();
      f.quantity = p.u16();
      return;
    case 7:
      if (!p.need(1)) return;
      f.exception_status = p.u8();
      return;
    case 8:
      if (!p.need(2)) return;
      f.sub_function = p.u16();
      f.response_data = p.rest(f);
      return;
    case 11:
      if (!p.need(4)) return;
      f.status = p.u16();
      f.event_count = p.u16();
      return;
    case 12: {
      if (!p.need(7)) return;
      f.byte_count = p.u8();
      f.status = p.u16();
      f.event_count = p.u16();
      f.message_count = p.u16();
      if (f.byte_count !== p.left + 6) p.anomalies.push(A.byte_count_mismatch);
      f.events = p.hex(Math.min(Math.max(f.byte_count - 6, 0), p.left), f);
      return;
    }
    case 17:
      parseReportServerId(p, f);
      return;
    case 20:
      parseFileReadResponse(p, f);
      return;
    case 21:
      parseFileRequest(fc, p, f, true);
      return;
    case 22:
      if (!p.need(6)) return;
      f.address = p.u16();
      f.quantity = 1;
      f.and_mask = p.u16();
      f.or_mask = p.u16();
      return;
    case 23: {
      if (!p.need(1)) return;
      f.byte_count = p.u8();
      const bc = Math.min(f.byte_count, p.left);
      if (bc < f.byte_count || (bc & 1) === 1) p.anomalies.push(A.byte_count_mismatch);
      f.read_values = p.registers(bc >> 1, f);
      if ((bc & 1) === 1) p.off++;
      return;
    }
    case 24: {
      if (!p.need(4)) return;
      f.byte_count = p.u16();
      f.fifo_count = p.u16();
      if (f.fifo_count > 31) p.anomalies.push(A.quantity_out_of_range);
      const n = Math.min(f.fifo_count, p.left >> 1);
      if (f.byte_count !== 2 + 2 * f.fifo_count || n < f.fifo_count) p.anomalies.push(A.byte_count_mismatch);
      f.read_values = p.registers(n, f);
      return;
    }
    case 43:
      if (!p.need(1)) return;
      f.mei_type = p.u8();
      if (f.mei_type === MEI_READ_DEVICE_ID) parseDeviceId(p, f);
      else f.response_data = p.rest(f);
      return;
    case FC_UMAS:
      if (!p.need(2)) return;
      f.umas_session = p.u8();
      f.umas_status = p.u8();
      f.response_data = p.rest(f);
      return;
    default:
      f.response_data = p.rest(f);
  }
}

/** fc 20 request, fc 21 request and its echo: sub-requests of 7 bytes (+ data for fc 21). */
function parseFileRequest(fc: number, p: Cursor, f: ModbusFields, echo = false): void {
  if (!p.need(1)) return;
  f.byte_count = p.u8();
  if (f.byte_count !== p.left) p.anomalies.push(A.byte_count_mismatch);
  const end = Math.min(p.end, p.off + f.byte_count);
  const subs: FileSubRequest[] = [];
  while (end - p.off >= 7) {
    if (subs.length >= MAX_FILE_SUBREQUESTS) {
      p.capped(f);
      p.off = end;
      break;
    }
    const sub: FileSubRequest = { reference_type: p.u8(), file_number: p.u16(), record_number: p.u16(), record_length: p.u16() };
    if (fc === 21) {
      const n = Math.min(sub.record_length, (end - p.off) >> 1);
      if (n < sub.record_length) p.anomalies.push(A.byte_count_mismatch);
      sub.values = p.registers(n, f);
    }
    subs.push(sub);
  }
  if (p.off < end) {
    p.anomalies.push(A.byte_count_mismatch);
    p.off = end;
  }
  if (echo) f.file_responses = subs.map((s) => ({ reference_type: s.reference_type, values: s.values ?? [] }));
  else f.file_requests = subs;
}

/** fc 20 response: sub-responses of (length, reference type, registers). */
function parseFileReadResponse(p: Cursor, f: ModbusFields): void {
  if (!p.need(1)) return;
  f.byte_count = p.u8();
  if (f.byte_count !== p.left) p.anomalies.push(A.byte_count_mismatch);
  const end = Math.min(p.end, p.off + f.byte_count);
  const subs: FileSubResponse[] = [];
  while (end - p.off >= 2) {
    if (subs.length >= MAX_FILE_SUBREQUESTS) {
      p.capped(f);
      break;
    }
    const len = p.u8();
    const ref = p.u8();
    const dataBytes = Math.min(Math.max(len - 1, 0), end - p.off);
    if (len < 1 || dataBytes !== len - 1 || (dataBytes & 1) === 1) p.anomalies.push(A.byte_count_mismatch);
    subs.push({ reference_type: ref, values: p.registers(dataBytes >> 1, f) });
    if ((dataBytes & 1) === 1) p.off++;
  }
  p.off = end;
  f.file_responses = subs;
}

/** fc 43 / MEI 14 response. */
function parseDeviceId(p: Cursor, f: ModbusFields): void {
  if (!p.need(5)) return;
  f.read_device_id_code = p.u8();
  f.conformity_level = p.u8();
  f.more_follows = p.u8() === 0xff;
  f.next_object_id = p.u8();
  const count = p.u8();
  const objects: DeviceIdObject[] = [];
  for (let i = 0; i < count; i++) {
    if (!p.need(2)) break;
    const id = p.u8();
    const len = p.u8();
    if (!p.need(len)) break;
    objects.push({ id, name: deviceObjectName(id), value: latin1(p.b, p.off, len) });
    p.off += len;
  }
  f.objects = objects;
}

/** fc 17 response: byte count, server id (device-specific length), run indicator (0x00/0xFF), additional data. */
function parseReportServerId(p: Cursor, f: ModbusFields): void {
  if (!p.need(1)) return;
  f.byte_count = p.u8();
  if (f.byte_count !== p.left) p.anomalies.push(A.byte_count_mismatch);
  const n = Math.min(f.byte_count, p.left);
  const start = p.off;
  // Most devices send a one-byte server id then the run indicator; longer ids cannot be told apart, so the raw bytes
  // are kept as well.
  if (n >= 2 && (p.b[start + 1] === 0x00 || p.b[start + 1] === 0xff)) {
    f.server_id = p.b[start];
    f.run_indicator = p.b[start + 1] === 0xff ? 'on' : 'off';
  } else if (n >= 2 && (p.b[start + n - 1] === 0x00 || p.b[start + n - 1] === 0xff)) {
    f.run_indicator = p.b[start + n - 1] === 0xff ? 'on' : 'off';
  }
  const text = printableRun(p.b, start, start + n);
  if (text !== null) f.server_id_text = text;
  f.server_id_data = p.hex(n, f);
}

function latin1(b: Uint8Array, off: number, len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) s += String.fromCharCode(b[off + i]);
  return s.replace(/\0+$/, '');
}

/** The longest run of printable ASCII of at least 4 characters, or null. */
function printableRun(b: Uint8Array, start: number, end: number): string | null {
  let best = -1;
  let bestLen = 0;
  let runStart = start;
  for (let i = start; i <= end; i++) {
    const c = i < end ? b[i] : 0;
    if (c >= 0x20 && c < 0x7f) continue;
    if (i - runStart > bestLen) {
      bestLen = i - runStart;
      best = runStart;
    }
    runStart = i + 1;
  }
  return bestLen >= 4 ? latin1(b, best, bestLen).trim() : null;
}

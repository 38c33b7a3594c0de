// OPC UA binary parsing: message header and chunk fields (Part 6 §7.1 connection protocol, §6.7 secure conversation)
// and, for plaintext bodies, the service structures of Part 4 in the binary encoding of Part 6 §5.2. Pure and total.
import { OPCUA_ANOMALIES } from './anomalies.js';
import {
  APPLICATION_TYPES, attributeName, BUILTIN_TYPES, encodingOf, IDENTITY_TOKENS, REQUEST_TYPES, SECURITY_MODES,
  SECURITY_POLICY_PREFIX, SERVICE_BY_ENCODING, SERVICE_FAULT,
} from './codes.js';
import type {
  ApplicationDescription, Chunk, ChunkType, EndpointDescription, HelloFields, MessageType, NodeItem,
  ServiceMessage, TypedValue, VariantValue,
} from './types.js';

const A = OPCUA_ANOMALIES.codes;

export const HEADER_LENGTH = 8;
/** Chunks above this are skipped, not buffered (common servers negotiate 64 KiB; the spec allows more). */
export const MAX_CHUNK_SIZE = 1 << 20;
/** Smallest legal size per message type (header plus fixed fields). */
export const MIN_SIZE: Readonly<Record<MessageType, number>> = {
  HEL: 32, ACK: 28, ERR: 16, RHE: 16, OPN: 24, CLO: 24, MSG: 24,
};
export const MAX_ITEMS = 32;
export const MAX_ENDPOINTS = 16;
const MAX_STRING_CHARS = 256;
const MAX_BYTES_HEX = 32;
const MAX_DEPTH = 8;
/** Loops over arrays stop after this many elements even when only skipping. */
const MAX_SKIP_ELEMENTS = 100_000;

/** The message type at b[off..off+3), or null. */
export function messageTypeAt(b: Uint8Array, off: number): MessageType | null {
  const c0 = b[off], c1 = b[off + 1], c2 = b[off + 2];
  if (c0 === 0x4d && c1 === 0x53 && c2 === 0x47) return 'MSG';
  if (c0 === 0x4f && c1 === 0x50 && c2 === 0x4e) return 'OPN';
  if (c0 === 0x43 && c1 === 0x4c && c2 === 0x4f) return 'CLO';
  if (c0 === 0x48 && c1 === 0x45 && c2 === 0x4c) return 'HEL';
  if (c0 === 0x41 && c1 === 0x43 && c2 === 0x4b) return 'ACK';
  if (c0 === 0x45 && c1 === 0x52 && c2 === 0x52) return 'ERR';
  if (c0 === 0x52 && c1 === 0x48 && c2 === 0x45) return 'RHE';
  return null;
}

export function chunkTypeAt(b: Uint8Array, off: number): ChunkType | null {
  const c = b[off + 3];
  return c === 0x46 ? 'F' : c === 0x43 ? 'C' : c === 0x41 ? 'A' : null;
}

export function u32le(b: Uint8Array, off: number): number {
  return (b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (b[off + 3] << 24)) >>> 0;
}

/** Why the 8-byte header at b[off] cannot be framed (null when it can). */
export function headerProblem(b: Uint8Array, off: number): string | null {
  const type = messageTypeAt(b, off);
  if (type === null || chunkTypeAt(b, off) === null) return A.bad_message_type;
  if (u32le(b, off + 4) < MIN_SIZE[type]) return A.invalid_message_size;
  return null;
}

/** Bounded little-endian reader over b[off..end); a failed read sets `bad` and returns zeros from then on. */
export class Reader {
  bad: string | null = null;
  constructor(
    readonly b: Uint8Array,
    public off: number,
    readonly end: number,
  ) {}

  private need(n: number): boolean {
    if (this.bad !== null) return false;
    if (this.off + n > this.end) {
      this.bad = A.truncated_message;
      this.off = this.end;
      return false;
    }
    return true;
  }

  get left(): number {
    return this.end - this.off;
  }

  u8(): number {
    if (!this.need(1)) return 0;
    return this.b[this.off++];
  }

  u16(): number {
    if (!this.need(2)) return 0;
    const v = this.b[this.off] | (this.b[this.off + 1] << 8);
    this.off += 2;
    return v;
  }

  u32(): number {
    if (!this.need(4)) return 0;
    const v = u32le(this.b, this.off);
    this.off += 4;
    return v;
  }

  i32(): number {
    return this.u32() | 0;
  }

  skip(n: number): void {
    if (this.need(n)) this.off += n;
  }

  f32(): number {
    if (!this.need(4)) return 0;
    const v = new DataView(this.b.buffer, this.b.byteOffset + this.off, 4).getFloat32(0, true);
    this.off += 4;
    return v;
  }

  f64(): number {
    if (!this.need(8)) return 0;
    const v = new DataView(this.b.buffer, this.b.byteOffset + this.off, 8).getFloat64(0, true);
    this.off += 8;
    return v;
  }

  i64(signed: boolean): string {
    if (!this.need(8)) return '0';
    const dv = new DataView(this.b.buffer, this.b.byteOffset + this.off, 8);
    this.off += 8;
    return (signed ? dv.getBigInt64(0, true) : dv.getBigUint64(0, true)).toString();
  }

  /** DateTime (100 ns ticks since 1601) as Unix seconds; null for 0 and out-of-range values. */
  unixTime(): number | null {
    if (!this.need(8)) return null;
    const lo = u32le(this.b, this.off);
    const hi = u32le(this.b, this.off + 4);
    this.off += 8;
    if ((lo === 0 && hi === 0) || hi >= 0x80000000) return null;
    const ms = (hi * 4294967296 + lo) / 10000 - 11644473600000;
    if (ms < -8.64e15 || ms > 8.64e15) return null;
    return Math.round(ms * 1000) / 1e6;
  }

  /** DateTime as ISO text (Variant values); null for 0 and out-of-range values. */
  dateTime(): string | null {
    const s = this.unixTime();
    return s === null ? null : new Date(s * 1000).toISOString();
  }

  /** Length prefix of a String/ByteString/array: -1 (null) or a length that fits in what is left; else null. */
  length(elementSize = 1): number | null {
    const n = this.i32();
    if (this.bad !== null) return null;
    if (n === -1) return -1;
    if (n < -1 || n * elementSize > this.left) {
      this.bad = A.invalid_string_length;
      this.off = this.end;
      return null;
    }
    return n;
  }

  string(): string | null {
    const n = this.length();
    if (n === null || n < 0) return null;
    const s = decodeUtf8(this.b, this.off, Math.min(n, MAX_STRING_CHARS * 4));
    this.off += n;
    return s.length > MAX_STRING_CHARS ? s.slice(0, MAX_STRING_CHARS) : s;
  }

  /** Skips a String or ByteString; returns its length (-1 for null, 0 on failure). */
  skipBytes(): number {
    const n = this.length();
    if (n === null) return 0;
    if (n > 0) this.off += n;
    return n;
  }

  byteStringHex(): string | null {
    const n = this.length();
    if (n === null || n < 0) return null;
    let s = '';
    for (let i = 0; i < Math.min(n, MAX_BYTES_HEX); i++) s += this.b[this.off + i].toString(16).padStart(2, '0');
    this.off += n;
    return n > MAX_BYTES_HEX ? `${s}...` : s;
  }

  /** An array length; -1 reads as 0. */
  count(minElementSize = 1): number {
    const n = this.length(minElementSize);
    return n === null || n < 0 ? 0 : n;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: false });
function decodeUtf8(b: Uint8Array, off: number, n: number): string {
  let ascii = true;
  for (let i = off; i < off + n; i++) if (b[i] >= 0x80) { ascii = false; break; }
  if (ascii) {
    let s = '';
    for (let i = off; i < off + n; i++) s += String.fromCharCode(b[i]);
    return s;
  }
  return utf8.decode(b.subarray(off, off + n));
}

/** A NodeId or ExpandedNodeId (Part 6 §5.2.2.9-10) as text; `numeric` is the id when it is numeric in namespace 0. */
export interface NodeIdResult {
  text: string;
  numeric: number;
}

export function readNodeId(r: Reader, expanded: boolean): NodeIdResult {
  const enc = r.u8();
  let ns = 0;
  let text: string;
  let numeric = -1;
  switch (enc & 0x3f) {
    case 0: {
      const id = r.u8();
      text = `i=${id}`;
      numeric = id;
      break;
    }
    case 1: {
      ns = r.u8();
      const id = r.u16();
      text = `i=${id}`;
      if (ns === 0) numeric = id;
      break;
    }
    case 2: {
      ns = r.u16();
      const id = r.u32();
      text = `i=${id}`;
      if (ns === 0) numeric = id;
      break;
    }
    case 3:
      ns = r.u16();
      text = `s=${r.string() ?? ''}`;
      break;
    case 4: {
      ns = r.u16();
      text = `g=${guid(r)}`;
      break;
    }
    case 5:
      ns = r.u16();
      text = `b=${r.byteStringHex() ?? ''}`;
      break;
    default:
      if (r.bad === null) r.bad = A.unknown_node_id_encoding;
      r.off = r.end;
      return { text: '', numeric: -1 };
  }
  if (!expanded && (enc & 0xc0) !== 0 && r.bad === null) {
    r.bad = A.unknown_node_id_encoding;
    r.off = r.end;
  }
  let prefix = ns !== 0 ? `ns=${ns};` : '';
  if ((enc & 0x80) !== 0) {
    const uri = r.string();
    prefix = `nsu=${uri ?? ''};`;
    numeric = -1;
  }
  if ((enc & 0x40) !== 0) {
    const server = r.u32();
    prefix = `svr=${server};${prefix}`;
    numeric = -1;
  }
  return { text: prefix + text, numeric };
}

/** Skips a NodeId without building its text (authentication tokens, reference types...). */
export function skipNodeId(r: Reader): void {
  const enc = r.u8();
  switch (enc & 0x3f) {
    case 0: r.skip(1); break;
    case 1: r.skip(3); break;
    case 2: r.skip(6); break;
    case 3: case 5: r.skip(2); r.skipBytes(); break;
    case 4: r.skip(18); break;
    default:
      if (r.bad === null) r.bad = A.unknown_node_id_encoding;
      r.off = r.end;
      return;
  }
  if ((enc & 0xc0) !== 0 && r.bad === null) {
    r.bad = A.unknown_node_id_encoding;
    r.off = r.end;
  }
}

function guid(r: Reader): string {
  const d1 = r.u32(), d2 = r.u16(), d3 = r.u16();
  let d4 = '';
  for (let i = 0; i < 8; i++) {
    d4 += r.u8().toString(16).padStart(2, '0');
    if (i === 1) d4 += '-';
  }
  return `${d1.toString(16).padStart(8, '0')}-${d2.toString(16).padStart(4, '0')}-${d3.toString(16).padStart(4, '0')}-${d4}`;
}

function localizedText(r: Reader): string | null {
  const mask = r.u8();
  if ((mask & 1) !== 0) r.skipBytes();
  return (mask & 2) !== 0 ? r.string() : null;
}

function qualifiedName(r: Reader): string {
  const ns = r.u16();
  const name = r.string() ?? '';
  return ns !== 0 ? `${ns}:${name}` : name;
}

/** ExtensionObject: the type id and body length; the body is skipped. */
function extensionObject(r: Reader): { type_id: string; numeric: number; length: number; body: number } {
  const id = readNodeId(r, false);
  const enc = r.u8();
  let length = 0;
  let body = -1;
  if (enc === 1 || enc === 2) {
    const n = r.length();
    if (n !== null && n > 0) {
      body = r.off;
      length = n;
      r.off += n;
    }
  }
  return { type_id: id.text, numeric: id.numeric, length, body };
}

function diagnosticInfo(r: Reader, depth: number, anomalies: string[]): void {
  for (let d = depth; r.bad === null; d++) {
    if (d >= MAX_DEPTH) {
      anomalies.push(A.nesting_too_deep);
      r.off = r.end;
      return;
    }
    const mask = r.u8();
    if ((mask & 0x01) !== 0) r.skip(4);
    if ((mask & 0x02) !== 0) r.skip(4);
    if ((mask & 0x08) !== 0) r.skip(4);
    if ((mask & 0x04) !== 0) r.skip(4);
    if ((mask & 0x10) !== 0) r.skipBytes();
    if ((mask & 0x20) !== 0) r.skip(4);
    if ((mask & 0x40) === 0) return;
  }
}

function skipDiagnosticInfos(r: Reader, anomalies: string[]): void {
  const n = r.count();
  for (let i = 0; i < n && i < MAX_SKIP_ELEMENTS && r.bad === null; i++) diagnosticInfo(r, 0, anomalies);
}

function stringArray(r: Reader, cap: number): string[] {
  const out: string[] = [];
  const n = r.count(4);
  for (let i = 0; i < n && i < MAX_SKIP_ELEMENTS && r.bad === null; i++) {
    const s = r.string();
    if (i < cap && s !== null) out.push(s);
  }
  return out;
}

function scalar(r: Reader, type: number, depth: number, anomalies: string[]): VariantValue {
  switch (type) {
    case 0: return null;
    case 1: return r.u8() !== 0;
    case 2: return (r.u8() << 24) >> 24;
    case 3: return r.u8();
    case 4: return (r.u16() << 16) >> 16;
    case 5: return r.u16();
    case 6: return r.i32();
    case 7: return r.u32();
    case 8: return r.i64(true);
    case 9: return r.i64(false);
    case 10: return r.f32();
    case 11: return r.f64();
    case 12: case 16: return r.string();
    case 13: return r.dateTime();
    case 14: return guid(r);
    case 15: return r.byteStringHex();
    case 17: return readNodeId(r, false).text;
    case 18: return readNodeId(r, true).text;
    case 19: return statusText(r.u32());
    case 20: return qualifiedName(r);
    case 21: return localizedText(r);
    case 22: {
      const e = extensionObject(r);
      return { type_id: e.type_id, length: e.length };
    }
    case 23: {
      const dv = dataValue(r, depth + 1, anomalies);
      return dv === null ? null : (dv as unknown as { readonly [k: string]: unknown });
    }
    case 24: {
      const v = variant(r, depth + 1, anomalies);
      return v === null ? null : (v as unknown as { readonly [k: string]: unknown });
    }
    case 25:
      diagnosticInfo(r, depth + 1, anomalies);
      return null;
    default:
      r.bad ??= A.truncated_message;
      r.off = r.end;
      return null;
  }
}

function statusText(code: number): string {
  return `0x${code.toString(16).padStart(8, '0')}`;
}

/** Variant (Part 6 §5.2.2.16): scalar or array (capped), with array dimensions skipped. */
export function variant(r: Reader, depth: number, anomalies: string[]): TypedValue | null {
  if (depth >= MAX_DEPTH) {
    anomalies.push(A.nesting_too_deep);
    r.off = r.end;
    return null;
  }
  const mask = r.u8();
  const type = mask & 0x3f;
  const typeName = type < BUILTIN_TYPES.length ? BUILTIN_TYPES[type] : `unknown_${type}`;
  if (type >= BUILTIN_TYPES.length) {
    r.bad ??= A.truncated_message;
    r.off = r.end;
    return null;
  }
  if ((mask & 0x80) === 0) return { type: typeName, value: scalar(r, type, depth, anomalies) };
  const n = r.count();
  const values: VariantValue[] = [];
  for (let i = 0; i < n && i < MAX_SKIP_ELEMENTS && r.bad === null; i++) {
    const v = scalar(r, type, depth, anomalies);
    if (i < MAX_ITEMS) values.push(v);
  }
  if (n > MAX_ITEMS) anomalies.push(A.items_capped);
  if ((mask & 0x40) !== 0) {
    const dims = r.count(4);
    r.skip(dims * 4);
  }
  return { type: typeName, value: values, array_length: n };
}

/** DataValue (Part 6 §5.2.2.17). */
export function dataValue(r: Reader, depth: number, anomalies: string[]): TypedValue | null {
  const mask = r.u8();
  let v: TypedValue | null = null;
  if ((mask & 0x01) !== 0) v = variant(r, depth, anomalies);
  let status: number | null = null;
  if ((mask & 0x02) !== 0) status = r.u32();
  if ((mask & 0x04) !== 0) r.skip(8);
  if ((mask & 0x10) !== 0) r.skip(2);
  if ((mask & 0x08) !== 0) r.skip(8);
  if ((mask & 0x20) !== 0) r.skip(2);
  if (v === null) v = { type: 'Null', value: null };
  if (status === null) return v;
  return v.array_length !== undefined
    ? { type: v.type, value: v.value, array_length: v.array_length, status: statusText(status) }
    : { type: v.type, value: v.value, status: statusText(status) };
}

/** One chunk's fields; every field is set in the constructor so all chunks share one shape. */
class ChunkRecord implements Chunk {
  hello: HelloFields | undefined = undefined;
  error_code: number | undefined = undefined;
  reason: string | null | undefined = undefined;
  server_uri: string | null | undefined = undefined;
  endpoint_url: string | null | undefined = undefined;
  secure_channel_id: number | undefined = undefined;
  security_policy_uri: string | null | undefined = undefined;
  sender_certificate_length: number | undefined = undefined;
  receiver_thumbprint_length: number | undefined = undefined;
  token_id: number | undefined = undefined;
  sequence_number: number | undefined = undefined;
  request_id: number | undefined = undefined;
  body_offset = -1;
  readonly anomalies: string[] = [];
  constructor(
    readonly type: MessageType,
    readonly chunk: ChunkType,
    readonly size: number,
  ) {}
}

/** A copy of a chunk with the error of an abort chunk's body. */
export function withError(c: Chunk, error_code: number, reason: string | null): Chunk {
  const out = Object.assign(new ChunkRecord(c.type, c.chunk, c.size), c);
  out.error_code = error_code;
  out.reason = reason;
  return out;
}

/**
 * Parses the fixed part of one chunk b[off..off+size): transport fields, security and sequence headers. `encrypted`
 * says whether the sequence header and body are encrypted (OPN: from its policy; MSG/CLO: from the session's view).
 */
export function parseChunk(b: Uint8Array, off: number, size: number, encrypted: (type: MessageType, policy: string | null) => boolean): Chunk {
  const type = messageTypeAt(b, off) as MessageType;
  const c = new ChunkRecord(type, chunkTypeAt(b, off) as ChunkType, size);
  const r = new Reader(b, off + HEADER_LENGTH, off + size);
  if (c.chunk !== 'F' && type !== 'MSG') c.anomalies.push(A.bad_chunk_type);
  switch (type) {
    case 'HEL':
    case 'ACK': {
      const version = r.u32();
      const receive_buffer_size = r.u32();
      const send_buffer_size = r.u32();
      const max_message_size = r.u32();
      const max_chunk_count = r.u32();
      c.hello =
        type === 'HEL'
          ? { version, receive_buffer_size, send_buffer_size, max_message_size, max_chunk_count, endpoint_url: r.string() }
          : { version, receive_buffer_size, send_buffer_size, max_message_size, max_chunk_count };
      if (r.bad !== null) c.anomalies.push(r.bad);
      return c;
    }
    case 'ERR':
      c.error_code = r.u32();
      c.reason = r.string();
      if (r.bad !== null) c.anomalies.push(r.bad);
      return c;
    case 'RHE':
      c.server_uri = r.string();
      c.endpoint_url = r.string();
      if (r.bad !== null) c.anomalies.push(r.bad);
      return c;
    default:
      break;
  }
  c.secure_channel_id = r.u32();
  if (type === 'OPN') {
    const n = r.length();
    if (n !== null && n >= 0) {
      c.security_policy_uri = decodeUtf8(b, r.off, Math.min(n, 1024));
      r.off += n;
    } else c.security_policy_uri = null;
    c.sender_certificate_length = r.skipBytes();
    c.receiver_thumbprint_length = r.skipBytes();
  } else c.token_id = r.u32();
  if (r.bad !== null) {
    c.anomalies.push(r.bad);
    return c;
  }
  if (encrypted(type, c.security_policy_uri ?? null)) return c;
  const sequence_number = r.u32();
  const request_id = r.u32();
  if (r.bad !== null) {
    c.anomalies.push(r.bad);
    return c;
  }
  c.sequence_number = sequence_number;
  c.request_id = request_id;
  c.body_offset = r.off - off;
  return c;
}

/** Short name of a security policy URI (`None`, `Basic256Sha256`...). */
export function policyName(uri: string | null | undefined): string | null {
  if (uri === null || uri === undefined) return null;
  return uri.startsWith(SECURITY_POLICY_PREFIX) ? uri.slice(SECURITY_POLICY_PREFIX.length) : uri;
}

function enumName(list: readonly string[], v: number): string {
  return v >= 0 && v < list.length ? list[v] : `unknown_${v}`;
}

function applicationDescription(r: Reader): ApplicationDescription {
  const application_uri = r.string();
  const product_uri = r.string();
  const application_name = localizedText(r);
  const application_type = enumName(APPLICATION_TYPES, r.u32());
  r.skipBytes(); // gateway server uri
  r.skipBytes(); // discovery profile uri
  const discovery_urls = stringArray(r, 4);
  return { application_uri, product_uri, application_name, application_type, discovery_urls };
}

function endpointDescriptions(r: Reader, anomalies: string[]): { list: EndpointDescription[]; count: number } {
  const n = r.count();
  const list: EndpointDescription[] = [];
  for (let i = 0; i < n && i < MAX_SKIP_ELEMENTS && r.bad === null; i++) {
    const endpoint_url = r.string();
    const server = applicationDescription(r);
    r.skipBytes(); // server certificate
    const security_mode = enumName(SECURITY_MODES, r.u32());
    const security_policy = policyName(r.string());
    const tokens = r.count();
    for (let t = 0; t < tokens && t < MAX_SKIP_ELEMENTS && r.bad === null; t++) {
      r.skipBytes();
      r.skip(4);
      r.skipBytes();
      r.skipBytes();
      r.skipBytes();
    }
    r.skipBytes(); // transport profile uri
    const security_level = r.u8();
    if (i < MAX_ENDPOINTS) list.push({ endpoint_url, security_mode, security_policy, security_level, server });
  }
  if (n > MAX_ENDPOINTS) anomalies.push(A.items_capped);
  return { list, count: n };
}

const ENC = {
  readReq: encodingOf('Read', 'request'),
  readResp: encodingOf('Read', 'response'),
  writeReq: encodingOf('Write', 'request'),
  writeResp: encodingOf('Write', 'response'),
  callReq: encodingOf('Call', 'request'),
  callResp: encodingOf('Call', 'response'),
  browseReq: encodingOf('Browse', 'request'),
  translateReq: encodingOf('TranslateBrowsePathsToNodeIds', 'request'),
  historyReadReq: encodingOf('HistoryRead', 'request'),
  monitoredReq: encodingOf('CreateMonitoredItems', 'request'),
  deleteNodesReq: encodingOf('DeleteNodes', 'request'),
  registerNodesReq: encodingOf('RegisterNodes', 'request'),
  getEndpointsReq: encodingOf('GetEndpoints', 'request'),
  getEndpointsResp: encodingOf('GetEndpoints', 'response'),
  findServersResp: encodingOf('FindServers', 'response'),
  createSessionReq: encodingOf('CreateSession', 'request'),
  createSessionResp: encodingOf('CreateSession', 'response'),
  activateSessionReq: encodingOf('ActivateSession', 'request'),
  openReq: encodingOf('OpenSecureChannel', 'request'),
  createSubscriptionResp: encodingOf('CreateSubscription', 'response'),
} as const;

class ServiceBuilder {
  request_handle: number | null = null;
  timestamp: number | null = null;
  service_result: number | null = null;
  items: NodeItem[] = [];
  item_count: number | null = null;
  results: number[] = [];
  values: TypedValue[] = [];
  application: ApplicationDescription | null = null;
  endpoints: EndpointDescription[] = [];
  endpoint_count: number | null = null;
  endpoint_url: string | null = null;
  session_name: string | null = null;
  security_mode: string | null = null;
  request_type: string | null = null;
  identity_token: string | null = null;
  user_name: string | null = null;
  subscription_id: number | null = null;
}

function requestHeader(r: Reader, s: ServiceBuilder, anomalies: string[]): void {
  skipNodeId(r); // authentication token
  s.timestamp = r.unixTime();
  s.request_handle = r.u32();
  r.skip(4); // return diagnostics
  r.skipBytes(); // audit entry id
  r.skip(4); // timeout hint
  extensionObject(r);
  void anomalies;
}

function responseHeader(r: Reader, s: ServiceBuilder, anomalies: string[]): void {
  s.timestamp = r.unixTime();
  s.request_handle = r.u32();
  s.service_result = r.u32();
  diagnosticInfo(r, 0, anomalies);
  stringArray(r, 0);
  extensionObject(r);
}

/** Reads an array of `n` operations with `each`, keeping the first MAX_ITEMS results. */
function items(r: Reader, s: ServiceBuilder, anomalies: string[], each: () => NodeItem | null): void {
  const n = r.count();
  s.item_count = n;
  for (let i = 0; i < n && i < MAX_SKIP_ELEMENTS && r.bad === null; i++) {
    const item = each();
    if (item !== null && i < MAX_ITEMS) s.items.push(item);
  }
  if (n > MAX_ITEMS) anomalies.push(A.items_capped);
}

function readValueId(r: Reader): NodeItem {
  const node = readNodeId(r, false).text;
  const attribute_id = r.u32();
  r.skipBytes(); // index range
  qualifiedName(r); // data encoding
  return { node, attribute: attributeName(attribute_id), attribute_id };
}

function statusCodes(r: Reader, s: ServiceBuilder, anomalies: string[]): void {
  const n = r.count(4);
  s.item_count = n;
  for (let i = 0; i < n && r.bad === null; i++) {
    const c = r.u32();
    if (i < MAX_ITEMS) s.results.push(c);
  }
  if (n > MAX_ITEMS) anomalies.push(A.items_capped);
}

function serviceBody(id: number, r: Reader, s: ServiceBuilder, anomalies: string[]): void {
  switch (id) {
    case ENC.readReq:
      r.skip(8); // max age
      r.skip(4); // timestamps to return
      items(r, s, anomalies, () => readValueId(r));
      return;
    case ENC.readResp: {
      const n = r.count();
      s.item_count = n;
      for (let i = 0; i < n && i < MAX_SKIP_ELEMENTS && r.bad === null; i++) {
        const v = dataValue(r, 0, anomalies);
        if (v !== null && i < MAX_ITEMS) s.values.push(v);
      }
      if (n > MAX_ITEMS) anomalies.push(A.items_capped);
      return;
    }
    case ENC.writeReq:
      items(r, s, anomalies, () => {
        const node = readNodeId(r, false).text;
        const attribute_id = r.u32();
        r.skipBytes();
        const value = dataValue(r, 0, anomalies) ?? undefined;
        return { node, attribute: attributeName(attribute_id), attribute_id, value };
      });
      return;
    case ENC.writeResp:
      statusCodes(r, s, anomalies);
      return;
    case ENC.callReq:
      items(r, s, anomalies, () => {
        const node = readNodeId(r, false).text;
        const method = readNodeId(r, false).text;
        const args = r.count();
        for (let i = 0; i < args && i < MAX_SKIP_ELEMENTS && r.bad === null; i++) {
          const v = variant(r, 0, anomalies);
          if (v !== null && s.values.length < MAX_ITEMS) s.values.push(v);
        }
        return { node, method };
      });
      return;
    case ENC.callResp: {
      const n = r.count();
      s.item_count = n;
      for (let i = 0; i < n && i < MAX_SKIP_ELEMENTS && r.bad === null; i++) {
        const status = r.u32();
        if (i < MAX_ITEMS) s.results.push(status);
        const inputs = r.count(4);
        r.skip(inputs * 4);
        skipDiagnosticInfos(r, anomalies);
        const outs = r.count();
        for (let o = 0; o < outs && o < MAX_SKIP_ELEMENTS && r.bad === null; o++) {
          const v = variant(r, 0, anomalies);
          if (v !== null && s.values.length < MAX_ITEMS) s.values.push(v);
        }
      }
      return;
    }
    case ENC.browseReq:
      skipNodeId(r); // view id
      r.skip(8 + 4); // view timestamp, version
      r.skip(4); // requested max references per node
      items(r, s, anomalies, () => {
        const node = readNodeId(r, false).text;
        r.skip(4);
        skipNodeId(r); // reference type
        r.skip(1 + 4 + 4);
        return { node };
      });
      return;
    case ENC.translateReq:
      items(r, s, anomalies, () => {
        const node = readNodeId(r, false).text;
        const elements = r.count();
        for (let i = 0; i < elements && i < MAX_SKIP_ELEMENTS && r.bad === null; i++) {
          skipNodeId(r);
          r.skip(2);
          qualifiedName(r);
        }
        return { node };
      });
      return;
    case ENC.historyReadReq:
      extensionObject(r);
      r.skip(4 + 1);
      items(r, s, anomalies, () => {
        const node = readNodeId(r, false).text;
        r.skipBytes();
        qualifiedName(r);
        r.skipBytes();
        return { node };
      });
      return;
    case ENC.monitoredReq:
      s.subscription_id = r.u32();
      r.skip(4);
      items(r, s, anomalies, () => {
        const item = readValueId(r);
        r.skip(4 + 4 + 8);
        extensionObject(r);
        r.skip(4 + 1);
        return item;
      });
      return;
    case ENC.deleteNodesReq:
      items(r, s, anomalies, () => {
        const node = readNodeId(r, false).text;
        r.skip(1);
        return { node };
      });
      return;
    case ENC.registerNodesReq:
      items(r, s, anomalies, () => ({ node: readNodeId(r, false).text }));
      return;
    case ENC.getEndpointsReq:
      s.endpoint_url = r.string();
      return;
    case ENC.getEndpointsResp: {
      const e = endpointDescriptions(r, anomalies);
      s.endpoints = e.list;
      s.endpoint_count = e.count;
      if (e.list.length > 0) s.application = e.list[0].server;
      return;
    }
    case ENC.findServersResp: {
      const n = r.count();
      for (let i = 0; i < n && i < MAX_SKIP_ELEMENTS && r.bad === null; i++) {
        const app = applicationDescription(r);
        if (i === 0) s.application = app;
      }
      s.item_count = n;
      return;
    }
    case ENC.createSessionReq:
      s.application = applicationDescription(r);
      r.skipBytes(); // server uri
      s.endpoint_url = r.string();
      s.session_name = r.string();
      return;
    case ENC.createSessionResp: {
      skipNodeId(r); // session id
      skipNodeId(r); // authentication token
      r.skip(8);
      r.skipBytes();
      r.skipBytes();
      const e = endpointDescriptions(r, anomalies);
      s.endpoints = e.list;
      s.endpoint_count = e.count;
      if (e.list.length > 0) s.application = e.list[0].server;
      return;
    }
    case ENC.activateSessionReq: {
      r.skipBytes();
      r.skipBytes(); // client signature
      const certs = r.count(8);
      for (let i = 0; i < certs && i < MAX_SKIP_ELEMENTS && r.bad === null; i++) {
        r.skipBytes();
        r.skipBytes();
      }
      stringArray(r, 0);
      const token = extensionObject(r);
      s.identity_token = token.numeric >= 0 ? (IDENTITY_TOKENS[token.numeric] ?? `unknown_${token.numeric}`) : token.type_id || null;
      if (token.numeric === 324 && token.body >= 0) {
        const t = new Reader(r.b, token.body, token.body + token.length);
        t.skipBytes(); // policy id
        s.user_name = t.string();
      }
      return;
    }
    case ENC.openReq:
      r.skip(4);
      s.request_type = enumName(REQUEST_TYPES, r.u32());
      s.security_mode = enumName(SECURITY_MODES, r.u32());
      return;
    case ENC.createSubscriptionResp:
      s.subscription_id = r.u32();
      return;
    default:
      return;
  }
}

/** Decodes a plaintext service body b[off..end): type id, request/response header, the service's own fields. */
export function parseService(b: Uint8Array, off: number, end: number): ServiceMessage {
  const r = new Reader(b, off, end);
  const anomalies: string[] = [];
  const s = new ServiceBuilder();
  const id = readNodeId(r, true);
  let kind: ServiceMessage['kind'] = 'unknown';
  let service = null;
  if (r.bad === null) {
    if (id.numeric === SERVICE_FAULT) kind = 'fault';
    else {
      const known = id.numeric >= 0 ? SERVICE_BY_ENCODING.get(id.numeric) : undefined;
      if (known !== undefined) {
        kind = known.kind;
        service = known.entry;
      } else anomalies.push(A.unknown_service);
    }
    if (kind === 'request') requestHeader(r, s, anomalies);
    else if (kind === 'response' || kind === 'fault') responseHeader(r, s, anomalies);
    if (kind === 'request' || kind === 'response') serviceBody(id.numeric, r, s, anomalies);
  }
  if (r.bad !== null) anomalies.push(r.bad);
  return {
    type_id: id.text,
    encoding_id: id.numeric,
    kind,
    service,
    request_handle: s.request_handle,
    timestamp: s.timestamp,
    service_result: s.service_result,
    items: s.items,
    item_count: s.item_count,
    results: s.results,
    values: s.values,
    application: s.application,
    endpoints: s.endpoints,
    endpoint_count: s.endpoint_count,
    endpoint_url: s.endpoint_url,
    session_name: s.session_name,
    security_mode: s.security_mode,
    request_type: s.request_type,
    identity_token: s.identity_token,
    user_name: s.user_name,
    subscription_id: s.subscription_id,
    anomalies,
  };
}

/** True when a body parses as a known service with a plausible header: used to tell Sign from SignAndEncrypt. */
export function looksPlaintext(b: Uint8Array, off: number, end: number): boolean {
  const r = new Reader(b, off, end);
  const enc = r.u8();
  if (enc !== 1 && enc !== 0 && enc !== 2) return false;
  r.off = off;
  const id = readNodeId(r, false);
  if (r.bad !== null) return false;
  return id.numeric === SERVICE_FAULT || SERVICE_BY_ENCODING.has(id.numeric);
}

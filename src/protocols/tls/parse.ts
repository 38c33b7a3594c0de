// TLS handshake bodies (RFC 8446 4.1.2-4.1.3, RFC 5246 7.4): ClientHello and ServerHello with the SNI (RFC 6066 3),
// ALPN (RFC 7301) and supported_versions extensions, and the subject of an X.509 certificate (RFC 5280 4.1, DER).
import { DN_ATTRIBUTES, isGrease } from './codes.js';
import { TLS_ANOMALIES } from './anomalies.js';
import type { ClientHello, ServerHello } from './types.js';

const A = TLS_ANOMALIES.codes;
export const MAX_ALPN = 16;
export const MAX_TEXT = 255;
const RANDOM_LENGTH = 32;

const EXT_SERVER_NAME = 0;
const EXT_SUPPORTED_GROUPS = 10;
const EXT_EC_POINT_FORMATS = 11;
const EXT_ALPN = 16;
const EXT_SUPPORTED_VERSIONS = 43;

const u16 = (b: Uint8Array, o: number) => (b[o] << 8) | b[o + 1];

function ascii(b: Uint8Array, off: number, end: number, anomalies: string[]): string {
  if (end - off > MAX_TEXT) {
    anomalies.push(A.too_many_values);
    end = off + MAX_TEXT;
  }
  let s = '';
  for (let i = off; i < end; i++) {
    const c = b[i];
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '\uFFFD';
  }
  return s;
}

/** Body of a ClientHello at b[off, end) (after the 4-byte handshake header). Null when the fixed part is cut. */
export function parseClientHello(b: Uint8Array, off: number, end: number, anomalies: string[]): ClientHello | null {
  let o = off + 2 + RANDOM_LENGTH;
  if (o + 1 > end) return malformed(anomalies);
  o += 1 + b[o]; // session id
  if (o + 2 > end) return malformed(anomalies);
  const cipherEnd = o + 2 + u16(b, o);
  if (cipherEnd > end) return malformed(anomalies);
  const legacyVersion = u16(b, off);
  const hello: ClientHello = { legacyVersion, maxVersion: legacyVersion, alpn: [], ciphers: [], extensions: [], groups: [], pointFormats: [] };
  for (let c = o + 2; c + 1 < cipherEnd; c += 2) hello.ciphers.push(u16(b, c));
  o = cipherEnd;
  if (o + 1 > end) return malformedKeep(hello, anomalies);
  o += 1 + b[o]; // compression methods
  if (o > end) return malformedKeep(hello, anomalies);
  if (o === end) return hello; // no extensions (SSL 3.0 style)
  if (o + 2 > end) return malformedKeep(hello, anomalies);
  let extEnd = o + 2 + u16(b, o);
  const cut = extEnd > end;
  if (cut) {
    anomalies.push(A.malformed_hello);
    extEnd = end;
  }
  o += 2;
  while (o + 4 <= extEnd) {
    const type = u16(b, o);
    const len = u16(b, o + 2);
    const v = o + 4;
    o = v + len;
    if (o > extEnd) {
      if (!cut) anomalies.push(A.malformed_hello);
      break;
    }
    hello.extensions.push(type);
    switch (type) {
      case EXT_SERVER_NAME:
        if (len >= 5 && b[v + 2] === 0) {
          const nameLen = u16(b, v + 3);
          if (v + 5 + nameLen <= o) hello.sni = ascii(b, v + 5, v + 5 + nameLen, anomalies);
          else anomalies.push(A.malformed_hello);
        }
        break;
      case EXT_ALPN:
        readAlpn(b, v, o, hello.alpn, anomalies);
        break;
      case EXT_SUPPORTED_VERSIONS:
        for (let i = v + 1; i + 1 < Math.min(o, v + 1 + (len > 0 ? b[v] : 0)); i += 2) {
          const ver = u16(b, i);
          if (!isGrease(ver) && ver > hello.maxVersion && ver <= 0x03ff) hello.maxVersion = ver;
        }
        break;
      case EXT_SUPPORTED_GROUPS:
        if (len >= 2) for (let i = v + 2; i + 1 < Math.min(o, v + 2 + u16(b, v)); i += 2) hello.groups.push(u16(b, i));
        break;
      case EXT_EC_POINT_FORMATS:
        if (len >= 1) for (let i = v + 1; i < Math.min(o, v + 1 + b[v]); i++) hello.pointFormats.push(b[i]);
        break;
      default:
        break;
    }
  }
  return hello;
}

function readAlpn(b: Uint8Array, v: number, end: number, out: string[], anomalies: string[]): void {
  if (end - v < 2) return;
  const listEnd = Math.min(end, v + 2 + u16(b, v));
  for (let i = v + 2; i < listEnd; ) {
    const n = b[i];
    if (i + 1 + n > listEnd) {
      anomalies.push(A.malformed_hello);
      return;
    }
    if (out.length >= MAX_ALPN) {
      anomalies.push(A.too_many_values);
      return;
    }
    out.push(ascii(b, i + 1, i + 1 + n, anomalies));
    i += 1 + n;
  }
}

/** Body of a ServerHello at b[off, end). Null when the fixed part is cut. */
export function parseServerHello(b: Uint8Array, off: number, end: number, anomalies: string[]): ServerHello | null {
  let o = off + 2 + RANDOM_LENGTH;
  if (o + 1 > end) return malformed(anomalies);
  o += 1 + b[o];
  if (o + 3 > end) return malformed(anomalies);
  const legacyVersion = u16(b, off);
  const hello: ServerHello = { legacyVersion, version: legacyVersion, cipher: u16(b, o) };
  o += 3; // cipher suite, compression method
  if (o === end) return hello;
  if (o + 2 > end) return malformedKeep(hello, anomalies);
  let extEnd = o + 2 + u16(b, o);
  const cut = extEnd > end;
  if (cut) {
    anomalies.push(A.malformed_hello);
    extEnd = end;
  }
  o += 2;
  while (o + 4 <= extEnd) {
    const type = u16(b, o);
    const len = u16(b, o + 2);
    const v = o + 4;
    o = v + len;
    if (o > extEnd) {
      if (!cut) anomalies.push(A.malformed_hello);
      break;
    }
    if (type === EXT_SUPPORTED_VERSIONS && len === 2) {
      hello.version = u16(b, v);
    } else if (type === EXT_ALPN) {
      const list: string[] = [];
      readAlpn(b, v, o, list, anomalies);
      if (list.length > 0) hello.alpn = list[0];
    }
  }
  return hello;
}

function malformed(anomalies: string[]): null {
  anomalies.push(A.malformed_hello);
  return null;
}

function malformedKeep<T>(hello: T, anomalies: string[]): T {
  anomalies.push(A.malformed_hello);
  return hello;
}

/** A DER header reader: after read(), `tag` and the value at [valueOff, end). */
class Der {
  tag = 0;
  valueOff = 0;
  end = 0;
  constructor(private readonly b: Uint8Array) {}

  /** Reads the TLV at b[off, limit): tag, length (short form or up to 3 length bytes). Returns the tag, -1 when malformed. */
  read(off: number, limit: number): number {
    const b = this.b;
    if (limit - off < 2) return -1;
    let len = b[off + 1];
    let v = off + 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n < 1 || n > 3 || v + n > limit) return -1;
      len = 0;
      for (let i = 0; i < n; i++) len = (len << 8) | b[v + i];
      v += n;
    }
    if (v + len > limit) return -1;
    this.tag = b[off];
    this.valueOff = v;
    this.end = v + len;
    return this.tag;
  }
}

const SEQUENCE = 0x30;
const SET = 0x31;
const OID = 0x06;

/**
 * Subject of the DER certificate at b[off, end) in RFC 4514 order (last RDN first): `CN=plc.example,O=ACME,C=DE`.
 * Null when the structure does not parse.
 */
export function certificateSubject(b: Uint8Array, off: number, end: number): string | null {
  const d = new Der(b);
  if (d.read(off, end) !== SEQUENCE) return null; // Certificate
  if (d.read(d.valueOff, d.end) !== SEQUENCE) return null; // tbsCertificate
  const tbsEnd = d.end;
  // version [0] (optional), serialNumber, signature, issuer, validity, then subject.
  let tag = d.read(d.valueOff, tbsEnd);
  if (tag === 0xa0) tag = d.read(d.end, tbsEnd);
  for (let skip = 0; skip < 4 && tag >= 0; skip++) tag = d.read(d.end, tbsEnd);
  if (tag !== SEQUENCE) return null;
  const rdns: string[] = [];
  const nameEnd = d.end;
  for (let r = d.valueOff; r < nameEnd && rdns.length < 32; ) {
    if (d.read(r, nameEnd) !== SET) return null;
    const setEnd = d.end;
    r = setEnd;
    const parts: string[] = [];
    for (let a = d.valueOff; a < setEnd; ) {
      if (d.read(a, setEnd) !== SEQUENCE) return null;
      const attrEnd = d.end;
      a = attrEnd;
      if (d.read(d.valueOff, attrEnd) !== OID) return null;
      const oid = oidString(b, d.valueOff, d.end);
      const valueTag = d.read(d.end, attrEnd);
      if (valueTag < 0) return null;
      parts.push(`${DN_ATTRIBUTES[oid] ?? oid}=${dnValue(b, valueTag, d.valueOff, d.end)}`);
    }
    rdns.push(parts.join('+'));
  }
  return rdns.reverse().join(',');
}

function oidString(b: Uint8Array, off: number, end: number): string {
  if (off >= end) return '';
  const first = b[off];
  let s = first < 80 ? `${Math.floor(first / 40)}.${first % 40}` : `2.${first - 80}`;
  let v = 0;
  for (let i = off + 1; i < end && i < off + 64; i++) {
    v = v * 128 + (b[i] & 0x7f);
    if ((b[i] & 0x80) === 0) {
      s += `.${v}`;
      v = 0;
    }
  }
  return s;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });
const utf16 = new TextDecoder('utf-16be', { fatal: false });

function dnValue(b: Uint8Array, tag: number, off: number, end: number): string {
  if (end - off > MAX_TEXT) end = off + MAX_TEXT;
  let s: string;
  if (tag === 0x1e) s = utf16.decode(b.subarray(off, end));
  else if (tag === 0x0c) s = utf8.decode(b.subarray(off, end));
  else s = String.fromCharCode(...b.subarray(off, end));
  // RFC 4514 2.4 escapes, and no control characters in exported text.
  return s.replace(/[,+"\\<>;]/g, (c) => `\\${c}`).replace(/\p{Cc}/gu, '\uFFFD');
}

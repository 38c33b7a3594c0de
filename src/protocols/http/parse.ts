// HTTP/1.x message heads (RFC 9112 sections 2-6): start line and the few header fields Lantern exports.
import { HTTP_ANOMALIES } from './anomalies.js';
import type { HttpHead } from './types.js';

const A = HTTP_ANOMALIES.codes;
export const MAX_URI_CHARS = 2048;
export const MAX_VALUE_CHARS = 512;
const MAX_METHOD_LENGTH = 32;
const SP = 0x20;
const HTAB = 0x09;
const CR = 0x0d;
const LF = 0x0a;
const COLON = 0x3a;

/** RFC 9110 tchar. */
const TCHAR = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~") TCHAR[c.charCodeAt(0)] = 1;
for (let c = 0x30; c <= 0x39; c++) TCHAR[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TCHAR[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TCHAR[c] = 1;

export function isTchar(c: number): boolean {
  return TCHAR[c] === 1;
}

/** `HTTP/1.` followed by a digit at b[off]: the minor version, or -1. */
export function httpVersionAt(b: Uint8Array, off: number, end: number): number {
  if (end - off < 8) return -1;
  if (b[off] !== 0x48 || b[off + 1] !== 0x54 || b[off + 2] !== 0x54 || b[off + 3] !== 0x50 || b[off + 4] !== 0x2f) return -1;
  if (b[off + 5] !== 0x31 || b[off + 6] !== 0x2e) return -1;
  const d = b[off + 7] - 0x30;
  return d >= 0 && d <= 9 ? d : -1;
}

function latin1(b: Uint8Array, off: number, end: number): string {
  let s = '';
  for (let i = off; i < end; i++) s += String.fromCharCode(b[i]);
  return s;
}

function lineEnd(b: Uint8Array, off: number, end: number): number {
  for (let i = off; i < end; i++) if (b[i] === LF) return i;
  return end;
}

/** End of b[off, end) without a trailing CR and blanks. */
function trimEnd(b: Uint8Array, off: number, end: number): number {
  while (end > off && (b[end - 1] === CR || b[end - 1] === SP || b[end - 1] === HTAB)) end--;
  return end;
}

/** Start of b[off, end) after leading blanks. */
function trimStart(b: Uint8Array, off: number, end: number): number {
  while (off < end && (b[off] === SP || b[off] === HTAB)) off++;
  return off;
}

/**
 * Parses the head at b[off, end) (start line and header lines, the blank line optional). Returns null when the start
 * line is neither a request line nor a status line. `cut`: the head went over the cap and b holds only its start.
 */
export function parseHead(b: Uint8Array, off: number, end: number, cut: boolean): HttpHead | null {
  const head: HttpHead = {
    isRequest: false,
    method: '',
    uri: '',
    minor: 0,
    status: 0,
    contentLength: -1,
    chunked: false,
    anomalies: cut ? [A.head_too_long] : [],
  };
  const le = lineEnd(b, off, end);
  const e = trimEnd(b, off, le);
  if (!startLine(b, trimStart(b, off, e), e, head)) return null;
  let o = le + 1;
  // A header line cut by the cap is dropped: its value may be incomplete.
  const lastWhole = cut ? lastLf(b, off, end) : end;
  while (o < lastWhole) {
    const lineE = lineEnd(b, o, end);
    const lend = trimEnd(b, o, lineE);
    const ls = trimStart(b, o, lend);
    o = lineE + 1;
    if (ls >= lend) {
      if (lineE < end) break; // blank line: end of head
      continue;
    }
    header(b, ls, lend, head);
  }
  return head;
}

function lastLf(b: Uint8Array, off: number, end: number): number {
  for (let i = end - 1; i >= off; i--) if (b[i] === LF) return i;
  return off;
}

/** True when b[off, end) (one line, its line end included or not) is a request line or a status line. */
export function isStartLine(b: Uint8Array, off: number, end: number): boolean {
  const e = trimEnd(b, off, end > off && b[end - 1] === LF ? end - 1 : end);
  return startLine(b, trimStart(b, off, e), e, null);
}

/** Checks the start line at b[s, e) and, when `head` is given, fills its start-line fields. */
function startLine(b: Uint8Array, s: number, e: number, head: HttpHead | null): boolean {
  const minor = httpVersionAt(b, s, e);
  if (minor >= 0) {
    // HTTP/1.x SP 3DIGIT [SP reason]
    const p = s + 8;
    if (e - p < 4 || b[p] !== SP) return false;
    let status = 0;
    for (let i = p + 1; i < p + 4; i++) {
      const d = b[i] - 0x30;
      if (d < 0 || d > 9) return false;
      status = status * 10 + d;
    }
    if ((p + 4 < e && b[p + 4] !== SP) || status < 100) return false;
    if (head !== null) {
      head.minor = minor;
      head.status = status;
    }
    return true;
  }
  let m = s;
  while (m < e && isTchar(b[m])) m++;
  if (m === s || m - s > MAX_METHOD_LENGTH || m >= e || b[m] !== SP) return false;
  let v = e - 8;
  if (v <= m + 1 || b[v - 1] !== SP) return false;
  const vminor = httpVersionAt(b, v, e);
  if (vminor < 0) return false;
  let us = m + 1;
  v--;
  while (us < v && b[us] === SP) us++;
  while (v > us && b[v - 1] === SP) v--;
  if (us >= v) return false;
  if (head === null) return true;
  head.isRequest = true;
  head.method = latin1(b, s, m);
  head.minor = vminor;
  if (v - us > MAX_URI_CHARS) {
    head.anomalies.push(A.uri_too_long);
    v = us + MAX_URI_CHARS;
  }
  head.uri = latin1(b, us, v);
  return true;
}

/** Case-insensitive compare of b[s, e) with a lowercase ASCII name. */
function nameIs(b: Uint8Array, s: number, e: number, name: string): boolean {
  if (e - s !== name.length) return false;
  for (let i = 0; i < name.length; i++) if ((b[s + i] | 0x20) !== name.charCodeAt(i)) return false;
  return true;
}

function header(b: Uint8Array, s: number, e: number, head: HttpHead): void {
  let c = s;
  while (c < e && b[c] !== COLON) c++;
  if (c === s || c === e) {
    head.anomalies.push(A.bad_header_line);
    return;
  }
  let ne = c;
  while (ne > s && (b[ne - 1] === SP || b[ne - 1] === HTAB)) ne--;
  const ve = trimEnd(b, c + 1, e);
  const vs = trimStart(b, c + 1, ve);
  switch (ne - s) {
    case 4:
      if (nameIs(b, s, ne, 'host')) head.host = value(b, vs, ve, head);
      return;
    case 6:
      if (nameIs(b, s, ne, 'server')) head.server = value(b, vs, ve, head);
      return;
    case 10:
      if (nameIs(b, s, ne, 'user-agent')) head.userAgent = value(b, vs, ve, head);
      return;
    case 12:
      if (nameIs(b, s, ne, 'content-type')) head.contentType = value(b, vs, ve, head);
      return;
    case 14:
      if (nameIs(b, s, ne, 'content-length')) contentLength(b, vs, ve, head);
      return;
    case 17:
      if (nameIs(b, s, ne, 'transfer-encoding')) head.chunked = /(^|[\s,])chunked\s*$/i.test(latin1(b, vs, ve));
      return;
    default:
      return;
  }
}

function value(b: Uint8Array, s: number, e: number, head: HttpHead): string {
  if (e - s > MAX_VALUE_CHARS) {
    head.anomalies.push(A.header_value_too_long);
    e = s + MAX_VALUE_CHARS;
  }
  return latin1(b, s, e);
}

function contentLength(b: Uint8Array, s: number, e: number, head: HttpHead): void {
  // RFC 9112 6.3: a list of identical values is allowed ("5, 5").
  let n = -1;
  let cur = -1;
  for (let i = s; i <= e; i++) {
    const c = i < e ? b[i] : COLON;
    if (c >= 0x30 && c <= 0x39) {
      cur = (cur < 0 ? 0 : cur * 10) + (c - 0x30);
      if (cur > Number.MAX_SAFE_INTEGER / 10) cur = Number.NaN;
    } else if (c === 0x2c || c === COLON) {
      if (cur < 0 || Number.isNaN(cur) || (n >= 0 && cur !== n)) {
        head.anomalies.push(A.bad_content_length);
        head.contentLength = -2;
        return;
      }
      n = cur;
      cur = -1;
    } else if (c !== SP && c !== HTAB) {
      head.anomalies.push(A.bad_content_length);
      head.contentLength = -2;
      return;
    }
  }
  if (head.contentLength >= 0 && head.contentLength !== n) {
    head.anomalies.push(A.bad_content_length);
    head.contentLength = -2;
    return;
  }
  if (head.contentLength !== -2) head.contentLength = n;
}

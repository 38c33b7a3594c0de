// DNS domain names (RFC 1035 §3.1 labels, §4.1.4 compression pointers), read into text or only skipped. Shared with
// NetBIOS name service, whose names use the same grammar (RFC 1002 §4.1).
import { ipv6GroupsString } from '../../common/ip.js';

/** A name is at most 255 octets on the wire (RFC 1035 §2.3.4). */
export const MAX_NAME_OCTETS = 255;
/** Compression pointers followed per name before the name counts as a loop. */
export const MAX_POINTERS = 32;

export const NAME_OK = 0;
/** The name runs past the end of the message. */
export const NAME_TRUNCATED = 1;
/** A pointer loop, a pointer outside the message, a reserved label type, or more than 255 octets. */
export const NAME_BAD = 2;

/**
 * Reads names of one message; one reader is reused for every name (no allocation unless text is asked for). Text is
 * lower-cased ASCII, labels joined by `.`, the root is `.`; `.` and `\` inside a label and bytes outside 0x20-0x7E are
 * escaped as in master files (`\.`, `\\`, `\DDD`).
 */
export class NameReader {
  /** Offset just after the name where it started (after its first pointer, if any). */
  next = 0;
  status = NAME_OK;
  text = '';

  /** The name at `off` of the message b[start, end); pointers are relative to `start`. */
  read(b: Uint8Array, start: number, end: number, off: number, build: boolean): void {
    let pos = off;
    let next = -1;
    let pointers = 0;
    let octets = 1;
    let s = '';
    this.status = NAME_OK;
    for (;;) {
      if (pos >= end) {
        this.status = NAME_TRUNCATED;
        break;
      }
      const len = b[pos];
      if (len === 0) {
        if (next < 0) next = pos + 1;
        break;
      }
      const kind = len & 0xc0;
      if (kind === 0xc0) {
        if (pos + 1 >= end) {
          this.status = NAME_TRUNCATED;
          break;
        }
        if (next < 0) next = pos + 2;
        const target = start + (((len & 0x3f) << 8) | b[pos + 1]);
        if (++pointers > MAX_POINTERS || target >= end) {
          this.status = NAME_BAD;
          break;
        }
        pos = target;
        continue;
      }
      octets += len + 1;
      if (kind !== 0 || octets > MAX_NAME_OCTETS) {
        this.status = NAME_BAD;
        break;
      }
      if (pos + 1 + len > end) {
        this.status = NAME_TRUNCATED;
        break;
      }
      if (build) {
        if (s.length > 0) s += '.';
        s += labelText(b, pos + 1, pos + 1 + len);
      }
      pos += 1 + len;
    }
    this.next = next < 0 ? end : next;
    this.text = build ? (s.length === 0 ? '.' : s) : '';
  }
}

function labelText(b: Uint8Array, off: number, end: number): string {
  let s = '';
  for (let i = off; i < end; i++) {
    const c = b[i];
    if (c >= 0x41 && c <= 0x5a) s += String.fromCharCode(c + 32);
    else if (c === 0x2e) s += '\\.';
    else if (c === 0x5c) s += '\\\\';
    else if (c >= 0x20 && c <= 0x7e) s += String.fromCharCode(c);
    else s += '\\' + (c < 10 ? '00' : c < 100 ? '0' : '') + c;
  }
  return s;
}

/**
 * The address a reverse-mapping name stands for (`4.3.2.1.in-addr.arpa` → `1.2.3.4`, 32 nibbles of `ip6.arpa` → RFC
 * 5952 text), or null when the name is not a whole reverse name of an address.
 */
export function reverseAddress(name: string): string | null {
  if (name.endsWith('.in-addr.arpa')) {
    const parts = name.slice(0, -'.in-addr.arpa'.length).split('.');
    if (parts.length !== 4) return null;
    for (const p of parts) if (!/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255) return null;
    return `${parts[3]}.${parts[2]}.${parts[1]}.${parts[0]}`;
  }
  if (name.endsWith('.ip6.arpa')) {
    const parts = name.slice(0, -'.ip6.arpa'.length).split('.');
    if (parts.length !== 32) return null;
    const groups: number[] = [];
    for (let g = 0; g < 8; g++) {
      let v = 0;
      for (let k = 0; k < 4; k++) {
        const p = parts[31 - (g * 4 + k)];
        if (!/^[0-9a-f]$/.test(p)) return null;
        v = (v << 4) | parseInt(p, 16);
      }
      groups.push(v);
    }
    return ipv6GroupsString(groups);
  }
  return null;
}

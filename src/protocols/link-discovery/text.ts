// Shared field decoding for the LLDP and CDP parsers: bounded text with control characters replaced, addresses.
import type { AnomalyCounter } from '../../common/anomaly.js';
import { ipv4String, ipv6String } from '../../common/ip.js';
import { macString } from '../../decode/format.js';
import { LINK_DISCOVERY_ANOMALIES } from './anomalies.js';

export const MAX_TLVS = 64;
export const MAX_STRING_CHARS = 512;
export const MAX_ADDRESSES = 16;

const A = LINK_DISCOVERY_ANOMALIES.codes;
const utf8 = new TextDecoder('utf-8', { fatal: false });

/**
 * UTF-8 text of b[off, end): trailing NULs dropped (some devices pad), CR/LF/TAB become spaces, other control
 * characters U+FFFD; longer than MAX_STRING_CHARS is cut and counted.
 */
export function decodeText(b: Uint8Array, off: number, end: number, anomalies: AnomalyCounter): string {
  while (end > off && b[end - 1] === 0) end--;
  let s = cleanControls(utf8.decode(b.subarray(off, end))).trim();
  if (s.length > MAX_STRING_CHARS) {
    anomalies.add(A.string_too_long);
    s = s.slice(0, MAX_STRING_CHARS);
  }
  return s;
}

/** An address of `len` bytes as text: IPv4 (4), IPv6 (16), MAC (6); null for other lengths. */
export function addressText(b: Uint8Array, off: number, len: number): string | null {
  if (len === 4) return ipv4String(((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0);
  if (len === 16) return ipv6String(b, off);
  if (len === 6) return macString(b, off);
  return null;
}

export function pushAddress(list: string[], addr: string | null, anomalies: AnomalyCounter): void {
  if (addr === null || addr === '0.0.0.0' || addr === '::' || list.includes(addr)) return;
  if (list.length >= MAX_ADDRESSES) {
    anomalies.add(A.too_many_addresses);
    return;
  }
  list.push(addr);
}

/** Names of the set bits of `mask`, bit 0 first; unknown bits as `bit_<n>`. */
export function bitNames(mask: number, names: readonly string[], width: number): string[] {
  const out: string[] = [];
  for (let bit = 0; bit < width; bit++) {
    if ((mask & (1 << bit)) !== 0) out.push(bit < names.length ? names[bit] : `bit_${bit}`);
  }
  return out;
}

function cleanControls(s: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && (c < 0x7f || c > 0x9f)) continue;
    out += s.slice(from, i) + (c === 0x09 || c === 0x0a || c === 0x0d ? ' ' : '\uFFFD');
    from = i + 1;
  }
  return from === 0 ? s : out + s.slice(from);
}

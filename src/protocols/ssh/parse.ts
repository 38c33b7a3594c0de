// SSH identification string (RFC 4253 4.2): `SSH-protoversion-softwareversion SP comments`.
import type { SshBanner } from './types.js';

export const MAX_BANNER_BYTES = 255;

/** The banner at b[off, end) (line end excluded). Null when it does not start with `SSH-`. */
export function parseBanner(b: Uint8Array, off: number, end: number): SshBanner | null {
  if (end - off < 4 || b[off] !== 0x53 || b[off + 1] !== 0x53 || b[off + 2] !== 0x48 || b[off + 3] !== 0x2d) return null;
  let text = '';
  for (let i = off; i < end; i++) {
    const c = b[i];
    text += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '\uFFFD';
  }
  const dash = text.indexOf('-', 4);
  if (dash < 0) return { text, protoVersion: '', software: '' };
  return { text, protoVersion: text.slice(4, dash), software: text.slice(dash + 1).trim() };
}

/** RFC 4253 protoversions: 2.0, and 1.99 for servers that also speak SSH 1. */
export function wellFormed(banner: SshBanner): boolean {
  return /^\d+\.\d+$/.test(banner.protoVersion) && banner.software !== '' && !/^\s/.test(banner.software);
}

// Byte-length helpers for messages capped in bytes (syslog): cut on a UTF-8 character boundary, never inside one.

export function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** `s` cut to at most `maxBytes` bytes of UTF-8, at a character boundary. */
export function cutUtf8(s: string, maxBytes: number): string {
  if (maxBytes <= 0) return '';
  const b = Buffer.from(s, 'utf8');
  if (b.length <= maxBytes) return s;
  let end = maxBytes;
  // Back off continuation bytes (10xxxxxx) to the start of the character that does not fit.
  while (end > 0 && (b[end] & 0xc0) === 0x80) end--;
  return b.toString('utf8', 0, end);
}

/** `s` cut to at most `max` characters (UTF-16 units, never splitting a surrogate pair). */
export function cutChars(s: string, max: number): string {
  if (s.length <= max) return s;
  const c = s.charCodeAt(max - 1);
  return s.slice(0, c >= 0xd800 && c <= 0xdbff ? max - 1 : max);
}

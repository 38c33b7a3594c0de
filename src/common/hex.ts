// Annotated hex for tests and golden data: `hex\`00 06  # length\`` → bytes. `#` starts a comment to end of line.

export function hexToBytes(text: string): Uint8Array {
  const digits = text
    .split('\n')
    .map((line) => {
      const hash = line.indexOf('#');
      return hash >= 0 ? line.slice(0, hash) : line;
    })
    .join('')
    .replace(/[\s:|]/g, '');
  if (digits.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(digits)) {
    throw new Error(`hexToBytes: not an even run of hex digits: ${digits.slice(0, 40)}`);
  }
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(digits.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Tagged-template form: hex`...`. */
export function hex(strings: TemplateStringsArray, ...values: unknown[]): Uint8Array {
  let text = strings[0];
  for (let i = 0; i < values.length; i++) text += String(values[i]) + strings[i + 1];
  return hexToBytes(text);
}

export function bytesToHex(bytes: Uint8Array): string {
  return hexOfRange(bytes, 0, bytes.length);
}

/** Lowercase hex of b[off, end), no separators (opaque protocol fields in exported records). */
export function hexOfRange(b: Uint8Array, off: number, end: number): string {
  let s = '';
  for (let i = off; i < end; i++) s += (b[i] < 16 ? '0' : '') + b[i].toString(16);
  return s;
}

// Copying frame bytes without making a view per frame (the hot path of keeping and exporting).

const bufferCopy = Buffer.prototype.copy;

/** Copies src[from, from + n) to dst at `at`: a loop for short runs, else Buffer#copy called on a plain Uint8Array. */
export function copyBytes(src: Uint8Array, from: number, n: number, dst: Buffer, at: number): void {
  if (n < 32) {
    for (let i = 0; i < n; i++) dst[at + i] = src[from + i];
    return;
  }
  bufferCopy.call(src, dst, at, from, from + n);
}

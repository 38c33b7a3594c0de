// Streaming pcapng writer (little-endian): SHB, IDBs registered on demand, EPBs (draft-ietf-opsawg-pcapng §4.1-4.3).

import { closeSync, openSync, writeSync } from 'node:fs';

const BLOCK_SHB = 0x0a0d0d0a;
const BLOCK_IDB = 0x00000001;
const BLOCK_EPB = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const OPT_ENDOFOPT = 0;
const OPT_SHB_USERAPPL = 4;
const OPT_IF_TSRESOL = 9;
const EPB_FIXED_LENGTH = 32;
const DEFAULT_BUFFER_BYTES = 4 << 20;
const TWO_POW_16 = 0x10000;
const TWO_POW_32 = 0x100000000;

export interface PcapngWriterOptions {
  /** Written as shb_userappl in the Section Header Block. */
  application?: string;
  /** Size of the write buffer; blocks are handed to the OS in chunks of about this size. */
  bufferBytes?: number;
}

/**
 * Writes one pcapng section to `path` (created or truncated). Interfaces are keyed by (link type, snap length,
 * timestamp resolution): addInterface returns the existing id for a key seen before, else writes a new IDB.
 * Timestamps are given as seconds + nanoseconds and stored at the interface's resolution (ns or µs, truncated).
 */
export class PcapngWriter {
  private fd: number;
  private readonly buf: Buffer;
  private used = 0;
  private readonly interfaceKeys = new Map<string, number>();
  private readonly interfaceNs: boolean[] = [];
  private closed = false;
  /** Bytes written to the file so far, including what is still buffered. */
  bytesWritten = 0;
  packetsWritten = 0;

  constructor(path: string, options: PcapngWriterOptions = {}) {
    this.buf = Buffer.allocUnsafe(Math.max(options.bufferBytes ?? DEFAULT_BUFFER_BYTES, 4096));
    this.fd = openSync(path, 'w');
    this.writeSectionHeader(options.application);
  }

  get interfaceCount(): number {
    return this.interfaceNs.length;
  }

  addInterface(linkType: number, snapLen: number, tsResolNs: boolean): number {
    const key = `${linkType}/${snapLen}/${tsResolNs ? 9 : 6}`;
    const known = this.interfaceKeys.get(key);
    if (known !== undefined) return known;
    const id = this.interfaceNs.length;
    this.interfaceKeys.set(key, id);
    this.interfaceNs.push(tsResolNs);
    const total = 32;
    this.reserve(total);
    const b = this.buf;
    let o = this.used;
    o = b.writeUInt32LE(BLOCK_IDB, o);
    o = b.writeUInt32LE(total, o);
    o = b.writeUInt16LE(linkType & 0xffff, o);
    o = b.writeUInt16LE(0, o);
    o = b.writeUInt32LE(snapLen >>> 0, o);
    o = b.writeUInt16LE(OPT_IF_TSRESOL, o);
    o = b.writeUInt16LE(1, o);
    b[o] = tsResolNs ? 9 : 6;
    b[o + 1] = 0;
    b[o + 2] = 0;
    b[o + 3] = 0;
    o += 4;
    o = b.writeUInt16LE(OPT_ENDOFOPT, o);
    o = b.writeUInt16LE(0, o);
    o = b.writeUInt32LE(total, o);
    this.commit(o);
    return id;
  }

  writePacket(
    ifId: number,
    tsSec: number,
    tsNsec: number,
    data: Uint8Array,
    offset: number,
    caplen: number,
    origLen: number,
  ): void {
    if (ifId < 0 || ifId >= this.interfaceNs.length) throw new RangeError(`pcapng writer: unknown interface ${ifId}`);
    const padded = (caplen + 3) & ~3;
    const total = EPB_FIXED_LENGTH + padded;
    let tsHigh: number;
    let tsLow: number;
    if (this.interfaceNs[ifId]) {
      // tsSec * 1e9 overflows 2^53 for real dates, so split tsSec in 16-bit halves and carry by hand.
      const secHi = Math.floor(tsSec / TWO_POW_16);
      const a = secHi * 1e9;
      const aHi = Math.floor(a / TWO_POW_16);
      const low = (a - aHi * TWO_POW_16) * TWO_POW_16 + (tsSec - secHi * TWO_POW_16) * 1e9 + tsNsec;
      const carry = Math.floor(low / TWO_POW_32);
      tsHigh = aHi + carry;
      tsLow = low - carry * TWO_POW_32;
    } else {
      const us = tsSec * 1e6 + Math.floor(tsNsec / 1000);
      tsHigh = Math.floor(us / TWO_POW_32);
      tsLow = us - tsHigh * TWO_POW_32;
    }
    const inline = total <= this.buf.length;
    this.reserve(inline ? total : EPB_FIXED_LENGTH);
    const b = this.buf;
    let o = this.used;
    o = b.writeUInt32LE(BLOCK_EPB, o);
    o = b.writeUInt32LE(total, o);
    o = b.writeUInt32LE(ifId, o);
    o = b.writeUInt32LE(tsHigh, o);
    o = b.writeUInt32LE(tsLow, o);
    o = b.writeUInt32LE(caplen, o);
    o = b.writeUInt32LE(origLen >>> 0, o);
    if (inline) {
      o += copyBytes(data, offset, caplen, b, o);
      for (; o < this.used + 28 + padded; o++) b[o] = 0;
      o = b.writeUInt32LE(total, o);
      this.commit(o);
    } else {
      this.commit(o);
      this.flush();
      writeSync(this.fd, data, offset, caplen);
      this.bytesWritten += caplen;
      const tail = padded - caplen;
      for (let i = 0; i < tail; i++) b[i] = 0;
      b.writeUInt32LE(total, tail);
      this.commit(tail + 4);
    }
    this.packetsWritten++;
  }

  /** Hands buffered blocks to the OS. */
  flush(): void {
    let o = 0;
    while (o < this.used) o += writeSync(this.fd, this.buf, o, this.used - o);
    this.used = 0;
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    closeSync(this.fd);
    this.closed = true;
    this.fd = -1;
  }

  private writeSectionHeader(application: string | undefined): void {
    const appl = application === undefined ? null : Buffer.from(application, 'utf8');
    const optBytes = appl === null ? 0 : 4 + ((appl.length + 3) & ~3) + 4;
    const total = 28 + optBytes;
    this.reserve(total);
    const b = this.buf;
    let o = this.used;
    o = b.writeUInt32LE(BLOCK_SHB, o);
    o = b.writeUInt32LE(total, o);
    o = b.writeUInt32LE(BYTE_ORDER_MAGIC, o);
    o = b.writeUInt16LE(1, o);
    o = b.writeUInt16LE(0, o);
    o = b.writeInt32LE(-1, o); // section length unknown (-1 as a 64-bit value)
    o = b.writeInt32LE(-1, o);
    if (appl !== null) {
      o = b.writeUInt16LE(OPT_SHB_USERAPPL, o);
      o = b.writeUInt16LE(appl.length, o);
      b.set(appl, o);
      o += appl.length;
      while (o & 3) b[o++] = 0;
      o = b.writeUInt16LE(OPT_ENDOFOPT, o);
      o = b.writeUInt16LE(0, o);
    }
    o = b.writeUInt32LE(total, o);
    this.commit(o);
  }

  private reserve(n: number): void {
    if (this.closed) throw new Error('pcapng writer: write after close');
    if (this.used + n > this.buf.length) this.flush();
  }

  private commit(end: number): void {
    this.bytesWritten += end - this.used;
    this.used = end;
  }
}

const bufferCopy = Buffer.prototype.copy;

/** Copies without making a view: Buffer#copy accepts any Uint8Array as its source when called on it. */
function copyBytes(src: Uint8Array, from: number, n: number, dst: Buffer, at: number): number {
  if (n < 32) {
    for (let i = 0; i < n; i++) dst[at + i] = src[from + i];
    return n;
  }
  return bufferCopy.call(src, dst, at, from, from + n);
}

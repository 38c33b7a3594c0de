// Streaming pcapng writer to a Writable (draft-ietf-opsawg-pcapng §4.1-4.3, little-endian): SHB with comments, one
// IDB per source interface (ns timestamps, if_name, if_description), EPBs; the last EPB can still take a comment.
import type { Writable } from 'node:stream';
import { copyBytes } from './copy-bytes.js';

const BLOCK_SHB = 0x0a0d0d0a;
const BLOCK_IDB = 0x00000001;
const BLOCK_EPB = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;
const OPT_SHB_USERAPPL = 4;
const OPT_IF_NAME = 2;
const OPT_IF_DESCRIPTION = 3;
const OPT_IF_TSRESOL = 9;
const EPB_HEADER_LENGTH = 28;
/** An option value is at most 65535 bytes; texts are cut well below (with a marker). */
const MAX_OPTION_TEXT_BYTES = 16384;
const CHUNK_BYTES = 1024 * 1024;
const TWO_POW_16 = 0x10000;
const TWO_POW_32 = 0x100000000;

function padded(n: number): number {
  return (n + 3) & ~3;
}

function optionText(text: string): Buffer {
  const b = Buffer.from(text, 'utf8');
  if (b.length <= MAX_OPTION_TEXT_BYTES) return b;
  // Cut on a character boundary: decoding the cut bytes drops a broken last character.
  return Buffer.from(`${b.subarray(0, MAX_OPTION_TEXT_BYTES - 16).toString('utf8').replace(/\uFFFD$/, '')} [cut]`, 'utf8');
}

function optionsLength(values: readonly Buffer[]): number {
  if (values.length === 0) return 0;
  let n = 4;
  for (const v of values) n += 4 + padded(v.length);
  return n;
}

/**
 * Blocks are assembled in a chunk buffer handed to `out` when full (a new chunk is then allocated, since a Writable
 * keeps the chunk it was given). The last EPB stays in the buffer until the next block, so `commentLastPacket` can
 * still add an option to it. `pace()` waits for `out` to drain when it asked to.
 */
export class PcapngStreamWriter {
  packets = 0;
  /** Bytes handed to `out` plus what is buffered. */
  bytes = 0;
  private buf = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  private lastEpb = -1;
  private interfaces = 0;
  private needDrain = false;
  private failed: Error | null = null;

  constructor(
    private readonly out: Writable,
    opts: { application?: string; comments?: readonly string[] } = {},
  ) {
    out.on('error', (err: Error) => {
      this.failed ??= err;
    });
    const values: { code: number; value: Buffer }[] = [];
    if (opts.application !== undefined) values.push({ code: OPT_SHB_USERAPPL, value: optionText(opts.application) });
    for (const c of opts.comments ?? []) values.push({ code: OPT_COMMENT, value: optionText(c) });
    const total = 28 + optionsLength(values.map((v) => v.value));
    const o = this.reserve(total);
    const b = this.buf;
    b.writeUInt32LE(BLOCK_SHB, o);
    b.writeUInt32LE(total, o + 4);
    b.writeUInt32LE(BYTE_ORDER_MAGIC, o + 8);
    b.writeUInt16LE(1, o + 12);
    b.writeUInt16LE(0, o + 14);
    // Section length unknown: -1 as a 64-bit value.
    b.writeInt32LE(-1, o + 16);
    b.writeInt32LE(-1, o + 20);
    const end = this.writeOptions(o + 24, values);
    b.writeUInt32LE(total, end);
    this.commit(o + total);
  }

  /** The error `out` reported, if any (the export then stops). */
  get error(): Error | null {
    return this.failed;
  }

  /** Writes an IDB (nanosecond timestamps); returns its id. */
  addInterface(linkType: number, name?: string, description?: string): number {
    const values: { code: number; value: Buffer }[] = [];
    if (name !== undefined && name !== '') values.push({ code: OPT_IF_NAME, value: optionText(name) });
    if (description !== undefined && description !== '') values.push({ code: OPT_IF_DESCRIPTION, value: optionText(description) });
    values.push({ code: OPT_IF_TSRESOL, value: Buffer.from([9]) });
    const total = 20 + optionsLength(values.map((v) => v.value));
    const o = this.reserve(total);
    const b = this.buf;
    b.writeUInt32LE(BLOCK_IDB, o);
    b.writeUInt32LE(total, o + 4);
    b.writeUInt16LE(linkType & 0xffff, o + 8);
    b.writeUInt16LE(0, o + 10);
    // Snap length 0: no limit (the frames keep the length they were captured with).
    b.writeUInt32LE(0, o + 12);
    const end = this.writeOptions(o + 16, values);
    b.writeUInt32LE(total, end);
    this.commit(o + total);
    return this.interfaces++;
  }

  /** Size of the EPB a packet of `caplen` bytes takes (for byte caps). */
  static packetBlockLength(caplen: number): number {
    return EPB_HEADER_LENGTH + padded(caplen) + 4;
  }

  writePacket(ifId: number, tsSec: number, tsNsec: number, data: Uint8Array, offset: number, caplen: number, origLen: number): void {
    const total = EPB_HEADER_LENGTH + padded(caplen) + 4;
    const o = this.reserve(total);
    const b = this.buf;
    // tsSec * 1e9 passes 2^53 for real dates: split tsSec in 16-bit halves and carry by hand.
    const secHi = Math.floor(tsSec / TWO_POW_16);
    const a = secHi * 1e9;
    const aHi = Math.floor(a / TWO_POW_16);
    const low = (a - aHi * TWO_POW_16) * TWO_POW_16 + (tsSec - secHi * TWO_POW_16) * 1e9 + tsNsec;
    const carry = Math.floor(low / TWO_POW_32);
    b.writeUInt32LE(BLOCK_EPB, o);
    b.writeUInt32LE(total, o + 4);
    b.writeUInt32LE(ifId, o + 8);
    b.writeUInt32LE(aHi + carry, o + 12);
    b.writeUInt32LE(low - carry * TWO_POW_32, o + 16);
    b.writeUInt32LE(caplen, o + 20);
    b.writeUInt32LE(origLen >>> 0, o + 24);
    copyBytes(data, offset, caplen, b, o + EPB_HEADER_LENGTH);
    for (let i = o + EPB_HEADER_LENGTH + caplen; i < o + total - 4; i++) b[i] = 0;
    b.writeUInt32LE(total, o + total - 4);
    this.commit(o + total);
    this.lastEpb = o;
    this.packets++;
  }

  /** Adds an opt_comment to the last packet written (false when there is none). */
  commentLastPacket(text: string): boolean {
    if (this.lastEpb < 0) return false;
    const o = this.lastEpb;
    const b = this.buf;
    const oldTotal = b.readUInt32LE(o + 4);
    const caplen = b.readUInt32LE(o + 20);
    const value = optionText(text);
    const optStart = o + EPB_HEADER_LENGTH + padded(caplen);
    const total = EPB_HEADER_LENGTH + padded(caplen) + optionsLength([value]) + 4;
    if (oldTotal !== EPB_HEADER_LENGTH + padded(caplen) + 4 || o + oldTotal !== this.used) return false;
    if (o + total > b.length) {
      const grown = Buffer.allocUnsafe(o + total);
      b.copy(grown, 0, 0, this.used);
      this.buf = grown;
    }
    const end = this.writeOptions(optStart, [{ code: OPT_COMMENT, value }]);
    this.buf.writeUInt32LE(total, o + 4);
    this.buf.writeUInt32LE(total, end);
    this.commit(o + total);
    return true;
  }

  /** Resolves once `out` can take more (after it asked to drain); rejects when `out` failed or closed. */
  async pace(): Promise<void> {
    if (this.failed) throw this.failed;
    if (this.out.destroyed) throw new Error('the output closed before the export ended');
    if (this.needDrain || this.out.writableNeedDrain) {
      this.needDrain = false;
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.out.off('drain', done);
          this.out.off('close', done);
          this.out.off('error', done);
          resolve();
        };
        this.out.on('drain', done);
        this.out.on('close', done);
        this.out.on('error', done);
      });
    }
    if (this.failed) throw this.failed;
  }

  /** Hands every buffered block to `out` and ends it; resolves when it finished. */
  async end(): Promise<void> {
    if (this.failed) throw this.failed;
    this.flush(this.used);
    this.buf = Buffer.allocUnsafe(0);
    this.used = 0;
    this.lastEpb = -1;
    if (this.out.destroyed) throw new Error('the output closed before the export ended');
    const done = new Promise<void>((resolve, reject) => {
      this.out.once('finish', () => resolve());
      this.out.once('error', (err: Error) => reject(err));
      this.out.once('close', () => resolve());
    });
    this.out.end();
    await done;
  }

  /**
   * Offset in buf where `n` bytes can be written. When they do not fit, what precedes the last EPB goes to `out` and
   * the last EPB moves to the front of a fresh buffer (it may still take a comment).
   */
  private reserve(n: number): number {
    if (this.used + n <= this.buf.length) return this.used;
    const keepFrom = this.lastEpb >= 0 ? this.lastEpb : this.used;
    const kept = this.used - keepFrom;
    const old = this.buf;
    this.flush(keepFrom);
    this.buf = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, kept + n));
    old.copy(this.buf, 0, keepFrom, keepFrom + kept);
    this.used = kept;
    this.lastEpb = kept > 0 ? 0 : -1;
    return this.used;
  }

  private commit(end: number): void {
    this.bytes += end - this.used;
    this.used = end;
  }

  /** Hands buf[0, upTo) to `out`; the caller replaces buf, which `out` now holds. */
  private flush(upTo: number): void {
    if (upTo === 0 || this.out.destroyed) return;
    if (!this.out.write(this.buf.subarray(0, upTo))) this.needDrain = true;
  }

  private writeOptions(o: number, values: readonly { code: number; value: Buffer }[]): number {
    if (values.length === 0) return o;
    const b = this.buf;
    for (const { code, value } of values) {
      b.writeUInt16LE(code, o);
      b.writeUInt16LE(value.length, o + 2);
      value.copy(b, o + 4);
      for (let i = o + 4 + value.length; i < o + 4 + padded(value.length); i++) b[i] = 0;
      o += 4 + padded(value.length);
    }
    b.writeUInt16LE(OPT_ENDOFOPT, o);
    b.writeUInt16LE(0, o + 2);
    return o + 4;
  }
}

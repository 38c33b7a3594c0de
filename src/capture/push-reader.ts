// The buffer both capture readers (pcap, pcapng) are built on: push() for streams, reserve()/commit() for file reads.
import type { AnomalyCounter } from '../common/anomaly.js';
import { CAPTURE_ANOMALIES } from './anomalies.js';
import { newFrame, type Frame, type FrameHandler } from './frame.js';

/** One capture interface: the single link of a pcap file, or one pcapng Interface Description Block. */
export interface CaptureInterface {
  /** File-wide index (pcapng: over all sections, in order); frames carry it as Frame.interfaceId. */
  id: number;
  /** pcapng section (0-based) that described it; 0 for pcap. */
  section: number;
  linkType: number;
  /** 0 when the file sets no limit. */
  snapLen: number;
  /** Timestamp unit as written in the file: `10^-6`, `10^-9`, `2^-10`, ... */
  tsResolution: string;
  /** FCS bytes at the end of every frame, when the file says (pcap link-type field bits, pcapng if_fcslen). */
  fcsLength?: number;
  /** pcapng if_name. */
  name?: string;
  /** Frames delivered for this interface. */
  frames: number;
}

/** Counters from the last pcapng Interface Statistics Block of an interface (u64 values as numbers, exact to 2^53). */
export interface InterfaceStats {
  id: number;
  ifRecv?: number;
  ifDrop?: number;
  filterAccept?: number;
  osDrop?: number;
  usrDeliv?: number;
}

/** Streams may hand over any chunk size; copying them in slices bounds the buffer by the record cap plus this. */
const MAX_PUSH_SLICE = 1024 * 1024;

/**
 * A push parser over a growable buffer it owns. `push(chunk)` (or, for files, a read straight into `writeBuffer` at
 * `writeOffset` followed by `commit(n)`) appends bytes and parses every complete record; the incomplete remainder is
 * kept and moved to the front of the buffer only when room is needed. Frames are views into that buffer, valid
 * during onFrame only. `end()` reports whether the input stopped mid-record.
 */
export abstract class PushReader {
  frames = 0;
  truncated = false;
  /** Bytes skipped while resynchronising after a bad record or block. */
  skippedBytes = 0;

  protected buf: Buffer;
  /**
   * The same memory as a plain Uint8Array: what frames expose. A Node Buffer's slice() is a view, not a copy, so a
   * consumer that keeps bytes with slice() (an out-of-order segment, a fragment) would see them overwritten by the
   * next read; Uint8Array's slice() copies.
   */
  protected view: Uint8Array;
  /** First unparsed byte in buf. */
  protected pos = 0;
  /** End of the valid bytes in buf. */
  protected fill = 0;
  /** Stream offset of buf[0]. */
  protected base = 0;
  protected readonly frame: Frame = newFrame();
  /** Set after a bad record or block: parse() resynchronises before reading on. */
  protected resyncing = false;
  /** Set by scan() when it stopped on a plausible record or block. */
  protected scanFound = false;
  private ended = false;

  constructor(
    protected readonly handler: FrameHandler,
    protected readonly anomalies: AnomalyCounter,
    initialCapacity = 64 * 1024,
  ) {
    this.buf = Buffer.allocUnsafe(Math.max(initialCapacity, 64));
    this.view = plainView(this.buf);
  }

  /** Appends a chunk (any size, even one byte) and parses what became complete. The chunk is copied. */
  push(chunk: Uint8Array): void {
    if (this.ended) return;
    for (let off = 0; off < chunk.length; ) {
      const n = Math.min(chunk.length - off, MAX_PUSH_SLICE);
      this.reserve(n);
      this.buf.set(n === chunk.length ? chunk : chunk.subarray(off, off + n), this.fill);
      this.fill += n;
      off += n;
      this.parse(false);
    }
  }

  /** Makes room for at least `min` more bytes at writeOffset (moving the unparsed remainder to the front, or growing). */
  reserve(min: number): void {
    if (this.buf.length - this.fill >= min) return;
    if (this.pos > 0) {
      this.buf.copyWithin(0, this.pos, this.fill);
      this.base += this.pos;
      this.fill -= this.pos;
      this.pos = 0;
    }
    if (this.buf.length - this.fill < min) {
      const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.fill + min));
      this.buf.copy(grown, 0, 0, this.fill);
      this.buf = grown;
      this.view = plainView(grown);
    }
  }

  /** Where a file read may write directly (after reserve). */
  get writeBuffer(): Buffer {
    return this.buf;
  }

  get writeOffset(): number {
    return this.fill;
  }

  get writeSpace(): number {
    return this.buf.length - this.fill;
  }

  /** Declares `n` bytes written at writeOffset and parses them. */
  commit(n: number): void {
    if (this.ended || n <= 0) return;
    this.fill += n;
    this.parse(false);
  }

  /** End of input: parses what is left and classifies any remainder. Returns whether the input stopped mid-record. */
  end(): boolean {
    if (this.ended) return this.truncated;
    this.ended = true;
    this.parse(true);
    if (this.pos < this.fill) {
      this.truncated = true;
      this.anomalies.add(CAPTURE_ANOMALIES.codes.truncated);
      this.pos = this.fill;
    }
    return this.truncated;
  }

  /** Stream offset of the first byte not yet parsed. */
  get offset(): number {
    return this.base + this.pos;
  }

  abstract get linkTypes(): number[];
  abstract get interfaces(): CaptureInterface[];

  /**
   * Parses complete records from buf[pos, fill), advancing pos past each one before its frame is handed out. With
   * `ending`, no more bytes will come: a subclass consumes whatever it can classify (skipped garbage); bytes left
   * after it returns are a truncated record.
   */
  protected abstract parse(ending: boolean): void;

  /**
   * Scans forward from `from` for the next plausible record or block. Returns where it stopped: on one it found
   * (scanFound set), on a candidate that needs more bytes (not ending), or where too few bytes remain.
   */
  protected abstract scan(from: number, ending: boolean): number;

  /** The format's `resync` and `resync_failed` anomaly codes. */
  protected abstract readonly resyncCodes: { readonly resync: string; readonly resync_failed: string };

  /** Skips to the next plausible record; bytes passed over are gone for good, so the scan always progresses. */
  protected resync(ending: boolean): boolean {
    const p = this.scan(this.pos, ending);
    this.skippedBytes += p - this.pos;
    this.pos = p;
    if (this.scanFound) {
      this.resyncing = false;
      this.anomalies.add(this.resyncCodes.resync);
      return true;
    }
    if (ending) this.giveUp();
    return false;
  }

  protected giveUp(): void {
    this.anomalies.add(this.resyncCodes.resync_failed);
    this.skippedBytes += this.fill - this.pos;
    this.pos = this.fill;
    this.resyncing = false;
  }
}

function plainView(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

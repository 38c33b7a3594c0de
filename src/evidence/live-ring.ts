// The live ring: tcpdump's classic pcap byte stream (draft-ietf-opsawg-pcap), teed as it passes through Node, cut at
// record boundaries into segment files of about `segmentBytes`, each starting with the stream's file header and
// indexed as it is written. Segments are kept captures; the oldest go when the rings exceed their share of the budget.
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { PCAP_FILE_HEADER_LENGTH, PCAP_MAGIC_BIG_ENDIAN, PCAP_MAGIC_MODIFIED, PCAP_MAGIC_NANOSECOND, PCAP_MODIFIED_RECORD_HEADER_LENGTH, PCAP_RECORD_HEADER_LENGTH, pcapMagic } from '../capture/read-pcap.js';
import { IndexBuilder, type CaptureIndex } from './capture-index.js';
import { EVIDENCE_ANOMALIES } from './anomalies.js';
import { copyBytes } from './copy-bytes.js';

/** Largest record the ring accepts, as the pcap reader's absolute cap. */
const MAX_RECORD_BYTES = 16 * 1024 * 1024;
const WRITE_BUFFER_BYTES = 256 * 1024;

/** What a ring needs from the evidence keeper. */
export interface RingHost {
  readonly segmentBytes: number;
  /** A new segment's identity and absolute path. */
  allocateSegment(iface: string): { id: string; seq: number; path: string };
  segmentOpened(seg: RingSegment): void;
  /** The segment is complete (closed, at least one frame): it joins the kept captures. */
  segmentClosed(seg: RingSegment): void;
  /** An empty segment was deleted. */
  segmentDropped(seg: RingSegment): void;
  anomaly(code: string): void;
  /** Capture time [from, to] was not kept. */
  notKept(name: string, from: number, to: number): void;
  now(): number;
}

/** One segment file being written. */
export class RingSegment {
  /** Bytes written, buffered ones included. */
  bytes = 0;
  /** Bytes handed to the OS (what an export may read). */
  flushedBytes = 0;
  readonly builder = new IndexBuilder();
  readonly openedAt: number;
  private fd: number;
  private readonly buf = Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
  private used = 0;
  closed = false;

  constructor(
    readonly id: string,
    readonly seq: number,
    readonly path: string,
    readonly iface: string,
    header: Uint8Array,
    now: number,
  ) {
    this.openedAt = now;
    this.fd = openSync(path, 'w');
    this.append(header, 0, header.length);
  }

  get name(): string {
    return `live:${this.iface}`;
  }

  /** Appends src[from, from + n); throws on a write error. */
  append(src: Uint8Array, from: number, n: number): void {
    if (this.used + n > this.buf.length) this.flush();
    if (n > this.buf.length) {
      writeAll(this.fd, src, from, n);
      this.flushedBytes += n;
    } else {
      copyBytes(src, from, n, this.buf, this.used);
      this.used += n;
    }
    this.bytes += n;
  }

  flush(): void {
    if (this.used === 0 || this.closed) return;
    writeAll(this.fd, this.buf, 0, this.used);
    this.flushedBytes += this.used;
    this.used = 0;
  }

  index(): CaptureIndex {
    return this.builder.snapshot('pcap', PCAP_FILE_HEADER_LENGTH, true);
  }

  close(): void {
    if (this.closed) return;
    try {
      this.flush();
    } finally {
      this.closed = true;
      closeSync(this.fd);
    }
  }

  discard(): void {
    if (!this.closed) {
      this.closed = true;
      try {
        closeSync(this.fd);
      } catch {
        // Already unusable; the file goes anyway.
      }
    }
    rmSync(this.path, { force: true });
  }
}

function writeAll(fd: number, src: Uint8Array, from: number, n: number): void {
  let done = 0;
  while (done < n) done += writeSync(fd, src, from + done, n - done);
}

/** The keeper of one live interface: one run per tcpdump start (each stream has a header of its own). */
export class LiveRing {
  private current: RingRun | null = null;

  constructor(
    private readonly host: RingHost,
    readonly iface: string,
  ) {}

  begin(): RingRun {
    this.current?.end();
    this.current = new RingRun(this.host, this.iface);
    return this.current;
  }

  /** Writes buffered bytes out, so an export sees every frame received so far. */
  flush(): void {
    this.current?.flush();
  }

  end(): void {
    this.current?.end();
    this.current = null;
  }
}

/** One tcpdump stream: parses record headers as bytes arrive (across chunk boundaries) to cut and index segments. */
export class RingRun {
  private readonly header = Buffer.alloc(PCAP_FILE_HEADER_LENGTH);
  private headerFill = 0;
  private le = true;
  private hl = PCAP_RECORD_HEADER_LENGTH;
  private fracLimit = 1_000_000;
  private fracToNs = 1000;
  private readonly rec = Buffer.alloc(PCAP_MODIFIED_RECORD_HEADER_LENGTH);
  private recFill = 0;
  private recStart = 0;
  private bodyRemain = 0;
  private seg: RingSegment | null = null;
  private stopped = false;
  private ended = false;
  /** Capture time of the last record kept, and when (wall clock) keeping stopped early. */
  private lastTime = -1;
  private stoppedAt = -1;

  constructor(
    private readonly host: RingHost,
    readonly iface: string,
  ) {}

  write(chunk: Uint8Array): void {
    if (this.stopped || this.ended) return;
    try {
      this.take(chunk);
    } catch {
      this.stop(EVIDENCE_ANOMALIES.codes.ring_write_failed);
    }
  }

  private take(chunk: Uint8Array): void {
    const n = chunk.length;
    let p = 0;
    while (p < n && !this.stopped) {
      if (this.headerFill < PCAP_FILE_HEADER_LENGTH) {
        const k = Math.min(PCAP_FILE_HEADER_LENGTH - this.headerFill, n - p);
        copyBytes(chunk, p, k, this.header, this.headerFill);
        this.headerFill += k;
        p += k;
        if (this.headerFill === PCAP_FILE_HEADER_LENGTH) this.start();
        continue;
      }
      const seg = this.seg!;
      if (this.bodyRemain > 0) {
        const k = Math.min(this.bodyRemain, n - p);
        seg.append(chunk, p, k);
        this.bodyRemain -= k;
        p += k;
        continue;
      }
      if (this.recFill === 0) {
        if (seg.bytes >= this.host.segmentBytes) this.rotate();
        this.recStart = this.seg!.bytes;
      }
      const k = Math.min(this.hl - this.recFill, n - p);
      copyBytes(chunk, p, k, this.rec, this.recFill);
      this.seg!.append(chunk, p, k);
      this.recFill += k;
      p += k;
      if (this.recFill === this.hl) this.record();
    }
  }

  private start(): void {
    const kind = pcapMagic(this.header, 0);
    if (kind < 0) {
      this.host.anomaly(EVIDENCE_ANOMALIES.codes.ring_not_pcap);
      this.stopped = true;
      return;
    }
    this.le = (kind & PCAP_MAGIC_BIG_ENDIAN) === 0;
    this.hl = (kind & PCAP_MAGIC_MODIFIED) !== 0 ? PCAP_MODIFIED_RECORD_HEADER_LENGTH : PCAP_RECORD_HEADER_LENGTH;
    const ns = (kind & PCAP_MAGIC_NANOSECOND) !== 0;
    this.fracLimit = ns ? 1_000_000_000 : 1_000_000;
    this.fracToNs = ns ? 1 : 1000;
    this.openSegment();
  }

  private record(): void {
    const r = this.rec;
    const le = this.le;
    let sec = le ? r.readUInt32LE(0) : r.readUInt32BE(0);
    let frac = le ? r.readUInt32LE(4) : r.readUInt32BE(4);
    const caplen = le ? r.readUInt32LE(8) : r.readUInt32BE(8);
    this.recFill = 0;
    if (caplen > MAX_RECORD_BYTES) {
      this.stop(EVIDENCE_ANOMALIES.codes.ring_bad_record);
      return;
    }
    if (frac >= this.fracLimit) {
      sec += Math.floor(frac / this.fracLimit);
      frac %= this.fracLimit;
    }
    this.seg!.builder.add(sec, frac * this.fracToNs, this.recStart, 0);
    this.lastTime = sec + (frac * this.fracToNs) / 1e9;
    this.bodyRemain = caplen;
  }

  private openSegment(): void {
    const { id, seq, path } = this.host.allocateSegment(this.iface);
    this.seg = new RingSegment(id, seq, path, this.iface, this.header, this.host.now());
    this.host.segmentOpened(this.seg);
  }

  private rotate(): void {
    this.closeSegment();
    this.openSegment();
  }

  private closeSegment(): void {
    const seg = this.seg;
    if (seg === null) return;
    this.seg = null;
    try {
      seg.close();
    } catch {
      this.host.anomaly(EVIDENCE_ANOMALIES.codes.ring_write_failed);
    }
    if (seg.builder.frames === 0) {
      seg.discard();
      this.host.segmentDropped(seg);
    } else {
      this.host.segmentClosed(seg);
    }
  }

  private stop(code: string): void {
    this.host.anomaly(code);
    this.stopped = true;
    this.stoppedAt = this.host.now();
    this.closeSegment();
  }

  flush(): void {
    if (this.stopped || this.ended || this.seg === null) return;
    try {
      this.seg.flush();
    } catch {
      this.stop(EVIDENCE_ANOMALIES.codes.ring_write_failed);
    }
  }

  /** The stream ended: the last segment joins the kept captures. What went unkept after a stop becomes a gap. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.stoppedAt >= 0 && this.lastTime >= 0) {
      // Live capture time runs with the wall clock: the span not kept is about as long as the wall time since.
      this.host.notKept(`live:${this.iface}`, this.lastTime, this.lastTime + Math.max(0, this.host.now() - this.stoppedAt));
    }
    this.closeSegment();
  }
}

// The evidence export: the frames of kept captures that match a query, read through the sparse index (only the
// segments overlapping the window) and merged across captures in time order into one pcapng, with caps.
import { closeSync, openSync, readSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { AnomalyCounter } from '../common/anomaly.js';
import type { Frame, FrameHandler } from '../capture/frame.js';
import { PCAP_MAGIC_BIG_ENDIAN, PCAP_MAGIC_MODIFIED, PCAP_MODIFIED_RECORD_HEADER_LENGTH, PCAP_RECORD_HEADER_LENGTH, PcapReader, pcapMagic } from '../capture/read-pcap.js';
import { PcapngReader } from '../capture/read-pcapng.js';
import { readRange, type CaptureIndex } from './capture-index.js';
import type { EvidenceGap, KeptInterface } from './catalog.js';
import { FrameMatcher, type EvidenceQuery } from './frame-match.js';
import { PcapngStreamWriter } from './pcapng-out.js';
import { copyBytes } from './copy-bytes.js';

/** One capture an export may read. */
export interface ExportSource {
  id: string;
  name: string;
  /** Absolute path of the file. */
  path: string;
  index: CaptureIndex;
  interfaces: readonly KeptInterface[];
  /** Bytes of the file that may be read (an open live segment: what was written so far); Infinity: all. */
  limit: number;
}

export interface ExportCaps {
  maxFrames: number;
  /** Bytes of the output; the first packet is always written. */
  maxBytes: number;
}

export interface ExportResult {
  frames: number;
  bytes: number;
  /** Which cap cut the export, or null. */
  truncated: 'frames' | 'bytes' | null;
  /** The captures read, with the frames each gave. */
  captures: { id: string; name: string; frames: number }[];
  /** Captures that could not be read to the end (file gone or unreadable), as gaps. */
  gaps: EvidenceGap[];
  /** Bytes of kept captures read (preambles included). */
  scannedBytes: number;
}

/** Captures merged at once; the export reads at most this many overlapping in time. */
export const MAX_MERGE_CAPTURES = 64;
const CHUNK_BYTES = 1024 * 1024;
const TIME_SLACK_SECONDS = 1e-6;
/** The export yields to the event loop after reading this much, so a server keeps answering meanwhile. */
const YIELD_EVERY_BYTES = 8 * 1024 * 1024;

interface Run {
  start: number;
  end: number;
  /** Seconds of the record before the run (pcap: restores the reader's last time); -1 for none. */
  prevSec: number;
}

/** The byte ranges of `source` to read for [from, to): consecutive overlapping segments merged. */
export function runsOf(index: CaptureIndex, limit: number, from: number, to: number): Run[] {
  const n = index.offsets.length;
  const endOf = (i: number): number => (i + 1 < n ? index.offsets[i + 1] : limit);
  const runs: Run[] = [];
  let lastOverlap = -1;
  // Segment times are floats (sub-microsecond rounding at today's dates); frames are then tested exactly, so the
  // segment test may only err on the side of reading one more segment.
  const lo = from - TIME_SLACK_SECONDS;
  const hi = to + TIME_SLACK_SECONDS;
  for (let i = 0; i < n; i++) {
    if (!(index.maxTimes[i] >= lo && index.minTimes[i] < hi)) continue;
    if (!index.seekable) {
      lastOverlap = i;
      continue;
    }
    const prev = runs.length > 0 ? runs[runs.length - 1] : null;
    if (prev !== null && prev.end === index.offsets[i]) prev.end = endOf(i);
    else runs.push({ start: index.offsets[i], end: endOf(i), prevSec: index.prevSecs[i] });
  }
  if (!index.seekable && lastOverlap >= 0) runs.push({ start: 0, end: endOf(lastOverlap), prevSec: -1 });
  return runs;
}

/**
 * Which sources an export reads: those with a segment in the window, at most MAX_MERGE_CAPTURES overlapping at once
 * (in order of their first frame in the window; the rest are returned as skipped).
 */
export function planSources(sources: readonly ExportSource[], from: number, to: number): { read: ExportSource[]; skipped: ExportSource[] } {
  const inWindow = sources
    .filter((s) => s.index.first !== null && runsOf(s.index, s.limit, from, to).length > 0)
    .sort((a, b) => Math.max(a.index.first!, from) - Math.max(b.index.first!, from));
  const read: ExportSource[] = [];
  const skipped: ExportSource[] = [];
  let active: ExportSource[] = [];
  for (const s of inWindow) {
    const start = Math.max(s.index.first!, from);
    active = active.filter((a) => a.index.last! >= start);
    if (active.length >= MAX_MERGE_CAPTURES) {
      skipped.push(s);
      continue;
    }
    active.push(s);
    read.push(s);
  }
  return { read, skipped };
}

/** Matched frames of one cursor, copied out of the reader's buffer (which the next read overwrites). */
class MatchQueue {
  data = Buffer.allocUnsafe(64 * 1024);
  used = 0;
  count = 0;
  head = 0;
  readonly tsSec: number[] = [];
  readonly tsNsec: number[] = [];
  readonly t: number[] = [];
  readonly ifId: number[] = [];
  readonly linkType: number[] = [];
  readonly off: number[] = [];
  readonly caplen: number[] = [];
  readonly origLen: number[] = [];

  push(f: Frame): void {
    const i = this.count;
    if (this.used + f.caplen > this.data.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.data.length * 2, this.used + f.caplen));
      this.data.copy(grown, 0, 0, this.used);
      this.data = grown;
    }
    copyBytes(f.buf, f.offset, f.caplen, this.data, this.used);
    this.tsSec[i] = f.tsSec;
    this.tsNsec[i] = f.tsNsec;
    this.t[i] = f.tsSec + f.tsNsec / 1e9;
    this.ifId[i] = f.interfaceId;
    this.linkType[i] = f.linkType;
    this.off[i] = this.used;
    this.caplen[i] = f.caplen;
    this.origLen[i] = f.origLen;
    this.used += f.caplen;
    this.count++;
  }

  get empty(): boolean {
    return this.head >= this.count;
  }

  reset(): void {
    this.used = 0;
    this.count = 0;
    this.head = 0;
  }
}

/** Reads one source run by run, chunk by chunk, queueing the frames that match. */
class CaptureCursor implements FrameHandler {
  readonly queue = new MatchQueue();
  /** Output interface id of each of this capture's interface ids. */
  readonly outIf: number[] = [];
  frames = 0;
  done = false;
  failed = false;
  scanned = 0;
  private readonly runs: Run[];
  private runIdx = -1;
  private pos = 0;
  private end = 0;
  private fd = -1;
  private reader: PcapReader | PcapngReader | null = null;
  private preamble: Buffer | null = null;
  /** Stream bytes pushed ahead of the run's data: frames before it are the preamble's. */
  private skipBelow = 0;
  private readonly anomalies = new AnomalyCounter();

  constructor(
    readonly source: ExportSource,
    private readonly matcher: FrameMatcher,
  ) {
    this.runs = runsOf(source.index, source.limit, matcher.from, matcher.to);
  }

  get headTime(): number {
    return this.queue.empty ? Infinity : this.queue.t[this.queue.head];
  }

  onFrame(f: Frame): void {
    if (f.streamOffset < this.skipBelow) return;
    if (this.matcher.inWindow(f) && this.matcher.matches(f)) this.queue.push(f);
  }

  /** Reads until a matched frame is queued or the source is done. */
  advance(): void {
    if (this.queue.empty) this.queue.reset();
    while (this.queue.empty && !this.done) this.readChunk();
  }

  private readChunk(): void {
    try {
      if (this.reader === null || this.pos >= this.end) {
        if (!this.startRun()) {
          this.finish();
          return;
        }
      }
      const reader = this.reader!;
      const want = Math.min(CHUNK_BYTES, this.end - this.pos);
      reader.reserve(want);
      const n = readSync(this.fd, reader.writeBuffer, reader.writeOffset, Math.min(want, reader.writeSpace), this.pos);
      if (n === 0) {
        // The file ends before the index said (a live segment not yet written, or a file cut short).
        this.pos = this.end;
        return;
      }
      this.pos += n;
      this.scanned += n;
      reader.commit(n);
    } catch {
      this.failed = true;
      this.finish();
    }
  }

  private startRun(): boolean {
    this.runIdx++;
    if (this.runIdx >= this.runs.length) return false;
    const run = this.runs[this.runIdx];
    if (this.fd < 0) this.fd = openSync(this.source.path, 'r');
    const index = this.source.index;
    this.reader = index.format === 'pcap' ? new PcapReader(this, this.anomalies, CHUNK_BYTES + 64 * 1024) : new PcapngReader(this, this.anomalies, CHUNK_BYTES + 64 * 1024);
    this.pos = run.start;
    this.end = run.end;
    this.skipBelow = 0;
    if (run.start > 0) {
      const preamble = this.preambleFor(run.start);
      this.reader.push(preamble);
      this.skipBelow = preamble.length;
      if (index.format === 'pcap' && run.prevSec >= 0) {
        const record = lastTimeRecord(preamble, run.prevSec);
        if (record !== null) {
          this.reader.push(record);
          this.skipBelow += record.length;
        }
      }
    }
    return true;
  }

  /** The bytes that restore the reader's state at `offset` (see capture-index.ts). */
  private preambleFor(offset: number): Buffer {
    const index = this.source.index;
    const structure = index.structure;
    if (this.preamble === null) {
      if (structure === undefined) {
        this.preamble = readRange(this.source.path, 0, index.preambleEnd);
      } else {
        const parts: Buffer[] = [];
        for (let i = 0; i < structure.length && parts.length * 2 === i; i += 2) {
          const block = readRange(this.source.path, structure[i], structure[i] + structure[i + 1]);
          if (block !== null) parts.push(block);
        }
        this.preamble = parts.length * 2 === structure.length ? Buffer.concat(parts) : null;
      }
      if (this.preamble === null) throw new Error('preamble unreadable');
      this.scanned += this.preamble.length;
    }
    if (structure === undefined) return this.preamble;
    let n = 0;
    for (let i = 0; i < structure.length && structure[i] < offset; i += 2) n += structure[i + 1];
    return this.preamble.subarray(0, n);
  }

  private finish(): void {
    this.done = true;
    this.reader = null;
    if (this.fd >= 0) {
      try {
        closeSync(this.fd);
      } catch {
        // Closing a read-only descriptor cannot lose data.
      }
      this.fd = -1;
    }
  }

  close(): void {
    this.finish();
  }
}

/**
 * An empty pcap record carrying only a time: replayed after the preamble, it gives the reader the time of the record
 * before the seek point, which its resynchronisation uses to judge candidate records. Null when the header is no pcap.
 */
function lastTimeRecord(preamble: Buffer, sec: number): Buffer | null {
  if (preamble.length < 4) return null;
  const kind = pcapMagic(preamble, 0);
  if (kind < 0) return null;
  const record = Buffer.alloc((kind & PCAP_MAGIC_MODIFIED) !== 0 ? PCAP_MODIFIED_RECORD_HEADER_LENGTH : PCAP_RECORD_HEADER_LENGTH);
  if ((kind & PCAP_MAGIC_BIG_ENDIAN) !== 0) record.writeUInt32BE(sec >>> 0, 0);
  else record.writeUInt32LE(sec >>> 0, 0);
  return record;
}

export interface WriteEvidenceOptions extends ExportCaps {
  /** SHB comments: what the file is (query, window, gaps). */
  comments?: string[];
  application?: string;
}

/**
 * Writes the frames of `sources` matching `query` to `out` as pcapng, in time order (each capture in file order,
 * captures merged by time), and ends `out`. Stops at the caps, saying so in a comment on the last packet.
 */
export async function writeEvidence(sources: readonly ExportSource[], query: EvidenceQuery, out: Writable, opts: WriteEvidenceOptions): Promise<ExportResult> {
  const matcher = new FrameMatcher(query);
  const writer = new PcapngStreamWriter(out, { application: opts.application, comments: opts.comments });
  const pending = [...sources].sort((a, b) => Math.max(a.index.first ?? 0, query.from) - Math.max(b.index.first ?? 0, query.from));
  const active: CaptureCursor[] = [];
  const all: CaptureCursor[] = [];
  let next = 0;
  let truncated: ExportResult['truncated'] = null;
  let scannedAtYield = 0;
  const scanned = (): number => all.reduce((n, c) => n + c.scanned, 0);
  try {
    for (;;) {
      let minT = Infinity;
      for (const c of active) if (c.headTime < minT) minT = c.headTime;
      // A capture joins the merge once the merge reaches its first frame in the window.
      while (next < pending.length && (active.length === 0 || Math.max(pending[next].index.first ?? 0, query.from) <= minT)) {
        const c = new CaptureCursor(pending[next++], matcher);
        all.push(c);
        c.advance();
        if (!c.queue.empty) {
          active.push(c);
          if (c.headTime < minT) minT = c.headTime;
        }
        if (scanned() - scannedAtYield >= YIELD_EVERY_BYTES) {
          scannedAtYield = scanned();
          await writer.pace();
          await new Promise(setImmediate);
        }
      }
      if (active.length === 0) break;
      let best = 0;
      for (let i = 1; i < active.length; i++) if (active[i].headTime < active[best].headTime) best = i;
      const c = active[best];
      const q = c.queue;
      const h = q.head;
      if (writer.packets >= opts.maxFrames) {
        truncated = 'frames';
        break;
      }
      if (writer.packets > 0 && writer.bytes + PcapngStreamWriter.packetBlockLength(q.caplen[h]) > opts.maxBytes) {
        truncated = 'bytes';
        break;
      }
      const ifId = q.ifId[h];
      let outId = c.outIf[ifId];
      if (outId === undefined) {
        const iface = c.source.interfaces[ifId];
        outId = writer.addInterface(q.linkType[h], iface?.name, `${c.source.name} (interface ${ifId})`);
        c.outIf[ifId] = outId;
      }
      writer.writePacket(outId, q.tsSec[h], q.tsNsec[h], q.data, q.off[h], q.caplen[h], q.origLen[h]);
      c.frames++;
      q.head++;
      if (q.empty) {
        c.advance();
        if (q.empty) active.splice(best, 1);
        const s = scanned();
        if (s - scannedAtYield >= YIELD_EVERY_BYTES) {
          scannedAtYield = s;
          await writer.pace();
          await new Promise(setImmediate);
        }
      }
    }
    if (truncated !== null) {
      const what = truncated === 'frames' ? `${opts.maxFrames} frames` : `${opts.maxBytes} bytes`;
      writer.commentLastPacket(`Lantern: this export stopped at its cap of ${what}; later matching packets were left out.`);
    }
    await writer.end();
  } finally {
    for (const c of all) c.close();
  }
  const gaps: EvidenceGap[] = [];
  for (const c of all) {
    if (!c.failed) continue;
    const s = c.source.index;
    gaps.push({ from: Math.max(s.first ?? query.from, query.from), to: Math.min(s.last ?? query.to, query.to), reason: 'missing', capture: c.source.name });
  }
  return {
    frames: writer.packets,
    bytes: writer.bytes,
    truncated,
    captures: all.filter((c) => c.frames > 0 || !c.failed).map((c) => ({ id: c.source.id, name: c.source.name, frames: c.frames })),
    gaps,
    scannedBytes: scanned(),
  };
}

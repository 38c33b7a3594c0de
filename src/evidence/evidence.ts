// Evidence keeping for `lantern serve` (docs/decisions/0013-evidence-packets.md): the captures the server ingested,
// kept under DATA/evidence/ with a sparse time index each, within a disk budget (oldest kept first out, each
// deletion leaving a gap record), and exported as pcapng for a window and hosts.
import { createHash, randomUUID } from 'node:crypto';
import { closeSync, createReadStream, linkSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Writable } from 'node:stream';
import { constants as zlibConstants, createGunzip } from 'node:zlib';
import { AnomalyCounter } from '../common/anomaly.js';
import type { Frame, FrameHandler } from '../capture/frame.js';
import { readCaptureFile, type CaptureResult } from '../capture/open-capture.js';
import { lanternVersion } from '../cli/version.js';
import { EVIDENCE_ANOMALIES } from './anomalies.js';
import { IndexBuilder, parseIndex, seekPlan, type CaptureFormat, type CaptureIndex } from './capture-index.js';
import { addGapRecord, emptyCatalog, loadCatalog, saveCatalog, windowGaps, type CatalogCounters, type CatalogData, type EvidenceGap, type GapReason, type KeepMethod, type KeptCapture } from './catalog.js';
import { planSources, writeEvidence, type ExportResult, type ExportSource } from './export.js';
import type { EvidenceQuery } from './frame-match.js';
import { LiveRing, type RingHost, type RingSegment } from './live-ring.js';

export const DEFAULT_EVIDENCE_BUDGET_BYTES = 2 * 1024 * 1024 * 1024;
/** Share of the budget the live rings may hold together, so a busy link cannot push out every uploaded capture. */
export const DEFAULT_RING_SHARE = 0.5;
/** Live segments rotate at this size (or an eighth of the rings' share, when smaller). */
export const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_EXPORT_FRAMES = 1_000_000;
export const DEFAULT_MAX_EXPORT_BYTES = 256 * 1024 * 1024;
/** The fingerprint hashes this much of the start and of the end of a capture. */
const FINGERPRINT_EDGE_BYTES = 64 * 1024;

export interface EvidenceOptions {
  /** Bytes all kept captures may take together (default 2 GiB). */
  budgetBytes?: number;
  /** Fraction of the budget for the live rings (default 0.5). */
  ringShare?: number;
  segmentBytes?: number;
  /** Wall clock, seconds (tests). */
  now?: () => number;
  /** One line per event worth telling the operator (a capture not kept, a catalogue rebuilt). */
  log?: (line: string) => void;
}

export interface ExportRequest extends EvidenceQuery {
  maxFrames?: number;
  maxBytes?: number;
  /** First SHB comment: what the export is for (`alert al_x: S7 program download`). */
  title?: string;
}

export interface EvidenceExport extends ExportResult {
  from: number;
  to: number;
}

export interface EvidenceCoverage {
  captures: { id: string; name: string; kind: 'file' | 'live'; first: number; last: number; bytes: number; open: boolean }[];
  gaps: EvidenceGap[];
}

export interface EvidenceStats {
  budget_bytes: number;
  ring_budget_bytes: number;
  bytes: number;
  ring_bytes: number;
  captures: number;
  open_segments: number;
  counters: CatalogCounters;
  anomalies: Record<string, number>;
}

/** The session a capture file is read through while the sensor ingests it (see `Evidence.tap`). */
export class KeepSession implements FrameHandler {
  readonly builder = new IndexBuilder();

  constructor(
    private readonly evidence: Evidence,
    readonly path: string,
    readonly name: string,
    private readonly next: FrameHandler,
  ) {}

  onFrame(frame: Frame): void {
    this.builder.add(frame.tsSec, frame.tsNsec, frame.streamOffset, frame.interfaceId);
    this.next.onFrame(frame);
  }

  /** Keeps the file once it was read (null: the read failed, nothing is kept). Never rejects. */
  end(result: CaptureResult | null): Promise<KeptCapture | null> {
    return this.evidence.keepIndexed(this.path, this.name, this.builder, result);
  }
}

export class Evidence implements RingHost {
  readonly root: string;
  readonly anomalies = new AnomalyCounter();
  readonly budgetBytes: number;
  readonly ringBudgetBytes: number;
  readonly segmentBytes: number;
  private data: CatalogData;
  private readonly catalogPath: string;
  private readonly open = new Set<RingSegment>();
  private readonly rings: LiveRing[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private readonly clock: () => number;
  private readonly log: (line: string) => void;
  /** Files found in the folders that the catalogue does not name (a crash, a lost catalogue): indexed by `recover`. */
  private readonly orphans: string[] = [];

  constructor(dataDir: string, options: EvidenceOptions = {}) {
    this.root = join(dataDir, 'evidence');
    this.budgetBytes = options.budgetBytes ?? DEFAULT_EVIDENCE_BUDGET_BYTES;
    this.ringBudgetBytes = Math.floor(this.budgetBytes * (options.ringShare ?? DEFAULT_RING_SHARE));
    this.segmentBytes = options.segmentBytes ?? Math.max(64 * 1024, Math.min(DEFAULT_SEGMENT_BYTES, Math.floor(this.ringBudgetBytes / 8)));
    this.clock = options.now ?? (() => Date.now() / 1000);
    this.log = options.log ?? (() => {});
    for (const d of ['captures', 'ring', 'tmp']) mkdirSync(join(this.root, d), { recursive: true });
    this.catalogPath = join(this.root, 'catalog.json');
    const loaded = loadCatalog(this.catalogPath);
    if (loaded === undefined) {
      this.anomalies.add(EVIDENCE_ANOMALIES.codes.catalog_unreadable);
      this.log('evidence: the catalogue is unreadable: kept captures will be indexed again');
    }
    this.data = loaded ?? emptyCatalog();
    this.reconcile();
  }

  /** Folder for temporary files (export spools). */
  get tmpDir(): string {
    return join(this.root, 'tmp');
  }

  now(): number {
    return this.clock();
  }

  /**
   * The sensor's hook: the capture at `path` is read through the returned handler, which indexes each frame and
   * passes it to `next`; `end(result)` then keeps the file (hard link, else copy; gzip is decompressed).
   */
  tap(path: string, name: string, next: FrameHandler): KeepSession {
    return new KeepSession(this, path, name, next);
  }

  /** Keeps a capture read elsewhere: reads it once more to index it (the second pass the tap saves). */
  async keepFile(path: string, name = basename(path)): Promise<KeptCapture | null> {
    const { builder, result } = await indexCapture(path);
    return this.keepIndexed(path, name, builder, result);
  }

  /** Indexes the files `reconcile` found unnamed (after a crash or a lost catalogue); resolves with how many. */
  async recover(): Promise<number> {
    let n = 0;
    while (this.orphans.length > 0) {
      const path = this.orphans.shift()!;
      const live = /^live-(.+)-\d+\.pcap$/.exec(basename(path));
      const { builder, result } = await indexCapture(path);
      const kept = await this.keepIndexed(path, live ? `live:${live[1]}` : basename(path), builder, result, live ? 'live' : 'file');
      if (kept !== null) n++;
      rmSync(path, { force: true });
    }
    return n;
  }

  /** The keeper of a live interface (the LiveSource `keep` option). */
  liveRing(iface: string): LiveRing {
    const ring = new LiveRing(this, iface);
    this.rings.push(ring);
    return ring;
  }

  /** Ends every live ring (their last segments join the catalogue) and saves it. */
  close(): void {
    for (const r of this.rings) r.end();
    this.save();
  }

  keepIndexed(path: string, name: string, builder: IndexBuilder, result: CaptureResult | null, kind: 'file' | 'live' = 'file'): Promise<KeptCapture | null> {
    const run = () => this.keep(path, name, builder, result, kind);
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async keep(path: string, name: string, builder: IndexBuilder, result: CaptureResult | null, kind: 'file' | 'live'): Promise<KeptCapture | null> {
    if (result === null || builder.frames === 0) return null;
    const first = builder.first;
    const last = builder.last;
    let dest = '';
    let indexPath = '';
    try {
      const size = statSync(path).size;
      const fingerprint = fingerprintOf(path, size, builder.frames, first, last);
      const same = this.data.captures.find((c) => c.fingerprint === fingerprint);
      if (same !== undefined) {
        this.anomalies.add(EVIDENCE_ANOMALIES.codes.duplicate);
        this.data.counters.duplicates++;
        this.save();
        return same;
      }
      if (!result.compressed && size > this.budgetBytes) return this.refuse(name, first, last, `it is larger (${size} bytes) than the evidence budget`);
      const seq = this.data.next_seq++;
      const id = captureId(seq);
      const format: CaptureFormat = result.format;
      const file = join('captures', `${id}.${format}`);
      dest = join(this.root, file);
      indexPath = join(this.root, 'captures', `${id}.idx.json`);
      let how: KeepMethod;
      if (result.compressed) {
        await gunzipTo(path, dest);
        how = 'gunzip';
      } else {
        try {
          linkSync(path, dest);
          how = 'link';
        } catch {
          await copyFile(path, dest);
          how = 'copy';
        }
      }
      const bytes = statSync(dest).size;
      if (bytes > this.budgetBytes) {
        rmSync(dest, { force: true });
        return this.refuse(name, first, last, `decompressed, it is larger (${bytes} bytes) than the evidence budget`);
      }
      const plan = seekPlan(dest, format, builder.firstOffset, builder.maxInterfaceId);
      const index = builder.snapshot(format, builder.firstOffset, plan.seekable, plan.structure);
      writeFileSync(indexPath, JSON.stringify(index));
      const kept: KeptCapture = {
        id,
        seq,
        name,
        kind,
        file,
        index: join('captures', `${id}.idx.json`),
        format,
        bytes,
        frames: builder.frames,
        first,
        last,
        kept_at: this.now(),
        how,
        interfaces: result.interfaces.map((i) => (i.name === undefined ? { link_type: i.linkType } : { link_type: i.linkType, name: i.name })),
        fingerprint,
      };
      this.data.captures.push(kept);
      this.data.counters.kept++;
      this.data.counters.kept_bytes += bytes;
      this.enforce();
      this.save();
      return kept;
    } catch (err) {
      if (dest !== '') rmSync(dest, { force: true });
      if (indexPath !== '') rmSync(indexPath, { force: true });
      this.anomalies.add(EVIDENCE_ANOMALIES.codes.keep_failed);
      this.log(`evidence: could not keep ${name}: ${err instanceof Error ? err.message : String(err)}`);
      this.addGap({ from: first, to: last, reason: 'not_kept', capture: name, at: this.now() });
      this.data.counters.not_kept++;
      this.save();
      return null;
    }
  }

  private refuse(name: string, first: number, last: number, why: string): null {
    this.anomalies.add(EVIDENCE_ANOMALIES.codes.over_budget);
    this.log(`evidence: ${name} is not kept: ${why}`);
    this.addGap({ from: first, to: last, reason: 'not_kept', capture: name, at: this.now() });
    this.data.counters.not_kept++;
    this.save();
    return null;
  }

  private addGap(gap: EvidenceGap & { at: number }): void {
    if (addGapRecord(this.data, gap)) this.anomalies.add(EVIDENCE_ANOMALIES.codes.gaps_folded);
  }

  /** Deletes the oldest kept captures until the rings fit their share and everything fits the budget. */
  private enforce(): void {
    for (;;) {
      let total = 0;
      let ring = 0;
      for (const c of this.data.captures) {
        total += c.bytes;
        if (c.kind === 'live') ring += c.bytes;
      }
      for (const s of this.open) {
        total += s.bytes;
        ring += s.bytes;
      }
      let victim: KeptCapture | undefined;
      let reason: GapReason;
      if (ring > this.ringBudgetBytes && (victim = this.data.captures.find((c) => c.kind === 'live')) !== undefined) reason = 'ring_rotated';
      else if (total > this.budgetBytes && (victim = this.data.captures[0]) !== undefined) reason = victim.kind === 'live' ? 'ring_rotated' : 'evicted';
      else return;
      this.remove(victim, reason);
    }
  }

  private remove(c: KeptCapture, reason: GapReason): void {
    rmSync(join(this.root, c.file), { force: true });
    rmSync(join(this.root, c.index), { force: true });
    this.data.captures.splice(this.data.captures.indexOf(c), 1);
    this.addGap({ from: c.first, to: c.last, reason, capture: c.name, at: this.now() });
    if (reason === 'ring_rotated') {
      this.anomalies.add(EVIDENCE_ANOMALIES.codes.ring_rotated);
      this.data.counters.ring_rotated++;
      this.data.counters.ring_rotated_bytes += c.bytes;
    } else if (reason === 'evicted') {
      this.anomalies.add(EVIDENCE_ANOMALIES.codes.evicted);
      this.data.counters.evicted++;
      this.data.counters.evicted_bytes += c.bytes;
    } else {
      this.anomalies.add(EVIDENCE_ANOMALIES.codes.missing_file);
    }
  }

  private save(): void {
    try {
      saveCatalog(this.catalogPath, this.data);
    } catch (err) {
      this.log(`evidence: cannot save the catalogue: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** At start: drops entries whose file is gone (a gap each), deletes stray index files, lists unnamed captures. */
  private reconcile(): void {
    for (const c of [...this.data.captures]) {
      let ok: boolean;
      try {
        ok = statSync(join(this.root, c.file)).isFile();
      } catch {
        ok = false;
      }
      if (!ok) this.remove(c, 'missing');
    }
    const named = new Set<string>();
    for (const c of this.data.captures) {
      named.add(c.file);
      named.add(c.index);
    }
    for (const dir of ['captures', 'ring']) {
      for (const f of readdirSync(join(this.root, dir))) {
        const rel = join(dir, f);
        // A seq in a file name is never handed out again (the catalogue may be the one that was lost).
        const seq = /^k(\d+)\.|^live-.+-(\d+)\.pcap/.exec(f);
        if (seq !== null) this.data.next_seq = Math.max(this.data.next_seq, Number(seq[1] ?? seq[2]) + 1);
        if (named.has(rel)) continue;
        if (f.endsWith('.idx.json')) rmSync(join(this.root, rel), { force: true });
        else this.orphans.push(join(this.root, rel));
      }
    }
    for (const f of readdirSync(this.tmpDir)) rmSync(join(this.tmpDir, f), { force: true, recursive: true });
    this.save();
  }

  // RingHost: the live rings' segments.

  allocateSegment(iface: string): { id: string; seq: number; path: string } {
    const seq = this.data.next_seq++;
    const safe = iface.replace(/[^A-Za-z0-9_.-]/g, '_');
    return { id: captureId(seq), seq, path: join(this.root, 'ring', `live-${safe}-${seq}.pcap`) };
  }

  segmentOpened(seg: RingSegment): void {
    this.open.add(seg);
    this.enforce();
    this.save();
  }

  segmentClosed(seg: RingSegment): void {
    this.open.delete(seg);
    const index = seg.index();
    const file = join('ring', basename(seg.path));
    const indexFile = join('ring', `${basename(seg.path)}.idx.json`);
    try {
      writeFileSync(join(this.root, indexFile), JSON.stringify(index));
    } catch {
      this.anomalies.add(EVIDENCE_ANOMALIES.codes.keep_failed);
      this.addGap({ from: index.first!, to: index.last!, reason: 'not_kept', capture: seg.name, at: this.now() });
      rmSync(seg.path, { force: true });
      this.save();
      return;
    }
    this.data.captures.push({
      id: seg.id,
      seq: seg.seq,
      name: seg.name,
      kind: 'live',
      file,
      index: indexFile,
      format: 'pcap',
      bytes: seg.bytes,
      frames: index.frames,
      first: index.first!,
      last: index.last!,
      kept_at: this.now(),
      how: 'ring',
      interfaces: [{ link_type: linkTypeOfSegment(seg.path), name: seg.iface }],
      fingerprint: `ring:${seg.id}`,
    });
    this.data.counters.kept++;
    this.data.counters.kept_bytes += seg.bytes;
    // Catalogue order is keep order; a segment holds the seq it got when opened, so keep the list sorted by it.
    this.data.captures.sort((a, b) => a.seq - b.seq);
    this.enforce();
    this.save();
  }

  segmentDropped(seg: RingSegment): void {
    this.open.delete(seg);
  }

  anomaly(code: string): void {
    this.anomalies.add(code);
  }

  notKept(name: string, from: number, to: number): void {
    this.addGap({ from, to, reason: 'not_kept', capture: name, at: this.now() });
    this.data.counters.not_kept++;
    this.save();
  }

  // Export.

  /** What an export of the window would read, and its gaps, without reading packets. */
  coverage(from: number, to: number): EvidenceCoverage {
    const { sources, gaps } = this.sources(from, to, false);
    const plan = planSources(sources, from, to);
    const captures = sources.map((s) => {
      const c = this.data.captures.find((x) => x.id === s.id);
      return { id: s.id, name: s.name, kind: c?.kind ?? ('live' as const), first: s.index.first!, last: s.index.last!, bytes: c?.bytes ?? s.limit, open: c === undefined };
    });
    return { captures, gaps: [...gaps, ...plan.skipped.map((s) => skippedGap(s, from, to))].sort((a, b) => a.from - b.from) };
  }

  /**
   * Writes the frames matching the request to `out` as pcapng and ends it. Exports run one at a time; live rings are
   * flushed first so the newest frames are in. The gaps are known before the first byte (they are also written into
   * the file's section header comments); the truncation only at the end.
   */
  exportEvidence(req: ExportRequest, out: Writable): Promise<EvidenceExport> {
    const run = () => this.runExport(req, out);
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async runExport(req: ExportRequest, out: Writable): Promise<EvidenceExport> {
    for (const r of this.rings) r.flush();
    const { from, to } = req;
    const { sources, gaps } = this.sources(from, to, true);
    const plan = planSources(sources, from, to);
    if (plan.skipped.length > 0) this.anomalies.add(EVIDENCE_ANOMALIES.codes.export_merge_cap, plan.skipped.length);
    const allGaps = [...gaps, ...plan.skipped.map((s) => skippedGap(s, from, to))].sort((a, b) => a.from - b.from);
    const comments = [
      req.title ?? 'Lantern evidence export',
      `Window: ${iso(from)} to ${iso(to)} (capture time, end exclusive)`,
      `Hosts: ${(req.hosts ?? []).length === 0 ? 'any' : req.hosts!.map((h) => (h.b === undefined ? h.a : `${h.a} <-> ${h.b}`)).join(', ')}${req.ports?.length ? `; ports ${req.ports.join(', ')}` : ''}${req.protocol !== undefined ? `; IP protocol ${req.protocol}` : ''}`,
      allGaps.length === 0 ? 'Gaps: none' : `Gaps (packets of these spans may be missing): ${allGaps.slice(0, 50).map((g) => `${iso(g.from)} to ${iso(g.to)} ${g.reason}${g.capture ? ` (${g.capture})` : ''}`).join('; ')}${allGaps.length > 50 ? `; and ${allGaps.length - 50} more` : ''}`,
    ];
    const result = await writeEvidence(plan.read, req, out, {
      maxFrames: req.maxFrames ?? DEFAULT_MAX_EXPORT_FRAMES,
      maxBytes: req.maxBytes ?? DEFAULT_MAX_EXPORT_BYTES,
      comments,
      application: `Lantern ${lanternVersion()}`,
    });
    if (result.truncated === 'frames') this.anomalies.add(EVIDENCE_ANOMALIES.codes.export_frame_cap);
    if (result.truncated === 'bytes') this.anomalies.add(EVIDENCE_ANOMALIES.codes.export_byte_cap);
    return { ...result, from, to, gaps: [...allGaps, ...result.gaps].sort((a, b) => a.from - b.from) };
  }

  /** Kept captures (and open live segments) overlapping the window, with their indexes; the window's gaps. */
  private sources(from: number, to: number, flush: boolean): { sources: ExportSource[]; gaps: EvidenceGap[] } {
    const sources: ExportSource[] = [];
    const broken: EvidenceGap[] = [];
    for (const c of [...this.data.captures]) {
      if (!(c.last >= from && c.first < to)) continue;
      const index = this.readIndex(c);
      if (index === null) {
        broken.push({ from: Math.max(c.first, from), to: Math.min(c.last, to), reason: 'missing', capture: c.name });
        continue;
      }
      sources.push({ id: c.id, name: c.name, path: join(this.root, c.file), index, interfaces: c.interfaces, limit: Infinity });
    }
    const covered: { first: number; last: number }[] = this.data.captures.map((c) => ({ first: c.first, last: c.last }));
    for (const seg of this.open) {
      if (flush) seg.flush();
      const index = seg.index();
      if (index.first === null) continue;
      covered.push({ first: index.first, last: index.last! });
      if (!(index.last! >= from && index.first < to)) continue;
      sources.push({ id: seg.id, name: seg.name, path: seg.path, index, interfaces: [{ link_type: linkTypeOfSegment(seg.path), name: seg.iface }], limit: seg.flushedBytes });
    }
    return { sources, gaps: [...windowGaps(this.data, from, to, covered), ...broken].sort((a, b) => a.from - b.from) };
  }

  private readIndex(c: KeptCapture): CaptureIndex | null {
    try {
      return parseIndex(JSON.parse(readFileSync(join(this.root, c.index), 'utf8')));
    } catch {
      return null;
    }
  }

  /** The kept captures, oldest kept first. */
  list(): readonly KeptCapture[] {
    return this.data.captures;
  }

  stats(): EvidenceStats {
    let bytes = 0;
    let ring = 0;
    for (const c of this.data.captures) {
      bytes += c.bytes;
      if (c.kind === 'live') ring += c.bytes;
    }
    for (const s of this.open) {
      bytes += s.bytes;
      ring += s.bytes;
    }
    return {
      budget_bytes: this.budgetBytes,
      ring_budget_bytes: this.ringBudgetBytes,
      bytes,
      ring_bytes: ring,
      captures: this.data.captures.length,
      open_segments: this.open.size,
      counters: { ...this.data.counters },
      anomalies: this.anomalies.toJSON(),
    };
  }

  /** A fresh path for an export spool. */
  spoolPath(): string {
    return join(this.tmpDir, `${randomUUID()}.pcapng`);
  }
}

/** Reads a capture only to index it (the second pass); a capture that cannot be read gives a null result. */
async function indexCapture(path: string): Promise<{ builder: IndexBuilder; result: CaptureResult | null }> {
  const builder = new IndexBuilder();
  const handler = { onFrame: (f: Frame) => builder.add(f.tsSec, f.tsNsec, f.streamOffset, f.interfaceId) };
  try {
    return { builder, result: await readCaptureFile(path, handler, new AnomalyCounter(), { yieldEveryBytes: 4 * 1024 * 1024 }) };
  } catch {
    return { builder, result: null };
  }
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kib: 1024, kb: 1e3, m: 1024 ** 2, mib: 1024 ** 2, mb: 1e6, g: 1024 ** 3, gib: 1024 ** 3, gb: 1e9, t: 1024 ** 4, tib: 1024 ** 4, tb: 1e12 };

/** `2GiB`, `500M`, `1.5 GB`, `1048576` → bytes (K, M, G, T and KiB... binary; KB, MB... decimal); null when not a size. */
export function parseByteSize(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (m === null) return null;
  const unit = SIZE_UNITS[m[2].toLowerCase()];
  if (unit === undefined) return null;
  const n = Math.floor(Number(m[1]) * unit);
  return Number.isSafeInteger(n) ? n : null;
}

function captureId(seq: number): string {
  return `k${String(seq).padStart(6, '0')}`;
}

function iso(t: number): string {
  return Number.isFinite(t) && Math.abs(t) < 8.64e12 ? new Date(t * 1000).toISOString() : String(t);
}

function skippedGap(s: ExportSource, from: number, to: number): EvidenceGap {
  return { from: Math.max(s.index.first!, from), to: Math.min(s.index.last!, to), reason: 'merge_cap', capture: s.name };
}

/** The link type in a live segment's pcap header (the ring wrote it; Ethernet when unreadable). */
function linkTypeOfSegment(path: string): number {
  try {
    const fd = openSync(path, 'r');
    try {
      const h = Buffer.alloc(24);
      if (readSync(fd, h, 0, 24, 0) < 24) return 1;
      const le = h[0] === 0xd4 || h[0] === 0x4d || h[0] === 0x34;
      return (le ? h.readUInt32LE(20) : h.readUInt32BE(20)) & 0xffff;
    } finally {
      closeSync(fd);
    }
  } catch {
    return 1;
  }
}

/** Size, frames, times and SHA-256 of the first and last 64 KiB. */
function fingerprintOf(path: string, size: number, frames: number, first: number, last: number): string {
  const h = createHash('sha256');
  h.update(`${size}/${frames}/${first}/${last}/`);
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(Math.min(FINGERPRINT_EDGE_BYTES, size));
    h.update(buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)));
    if (size > FINGERPRINT_EDGE_BYTES) h.update(buf.subarray(0, readSync(fd, buf, 0, buf.length, Math.max(0, size - FINGERPRINT_EDGE_BYTES))));
  } finally {
    closeSync(fd);
  }
  return h.digest('base64url').slice(0, 32);
}

/**
 * Decompresses a gzip capture into `dest`, as the reader decompressed it (a stream cut short or corrupt keeps what
 * inflated before the break: the index was built from the same bytes).
 */
function gunzipTo(src: string, dest: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let fd: number;
    try {
      fd = openSync(dest, 'w');
    } catch (err) {
      reject(err);
      return;
    }
    const input = createReadStream(src, { highWaterMark: 1024 * 1024 });
    const gz = createGunzip({ finishFlush: zlibConstants.Z_SYNC_FLUSH });
    let settled = false;
    const done = (err: unknown): void => {
      if (settled) return;
      settled = true;
      input.destroy();
      gz.destroy();
      try {
        closeSync(fd);
      } catch {
        // Nothing was lost: every chunk was written synchronously.
      }
      if (err === null) resolve();
      else reject(err);
    };
    gz.on('data', (chunk: Buffer) => {
      try {
        let o = 0;
        while (o < chunk.length) o += writeSync(fd, chunk, o, chunk.length - o);
      } catch (err) {
        done(err);
      }
    });
    gz.on('end', () => done(null));
    // A corrupt or cut stream: the reader stopped there too, so what was written is the capture it read.
    gz.on('error', () => done(null));
    input.on('error', (err) => done(err));
    input.pipe(gz);
  });
}

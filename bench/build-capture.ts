// Builds the benchmark capture: every capture of the ICS corpus, pass after pass, time-shifted end to end, as pcapng.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AnomalyCounter } from '../src/common/anomaly.js';
import { linkTypeName } from '../src/common/link-types.js';
import type { Frame, FrameHandler } from '../src/capture/frame.js';
import { readCaptureFile } from '../src/capture/open-capture.js';
import { PcapngWriter } from '../src/capture/write-pcapng.js';

/** Bump when the layout of the built file changes, so stale copies are rebuilt. */
export const BENCH_CAPTURE_VERSION = 'lantern-bench-corpus/1';
export const FULL_TARGET_BYTES = 1_050_000_000;
export const QUICK_TARGET_BYTES = 200_000_000;
export const BENCH_DIR = '/tmp/lantern-bench';
const SNAP_LEN = 262144;
const GAP_BETWEEN_FILES_SEC = 1;
// Corpus files are often stitched from captures years apart, and a few go back in time: a gap longer than an hour
// is cut to an hour and a step back becomes a 1 µs step forward, so time always increases and spans days, not ages.
const MAX_GAP_SEC = 3600;
const BACKWARD_STEP_NSEC = 1000;

export interface BenchCaptureInfo {
  version: string;
  path: string;
  targetBytes: number;
  bytes: number;
  frames: number;
  /** Distinct corpus files that contributed frames. */
  files: number;
  /** Files read in total (counting every pass). */
  fileReads: number;
  /** Complete passes over the corpus, plus the fraction of the last one. */
  passes: number;
  skippedFiles: string[];
  /** Frames not after the previous one in their file; each re-bases the rest of the file to 1 µs after the last. */
  nonIncreasing: number;
  /** Gaps longer than MAX_GAP_SEC inside a file, cut to that. */
  gapsCapped: number;
  /** Frames longer than the snap length, left out. */
  droppedFrames: number;
  interfaces: { id: number; linkType: number; name: string }[];
  buildSeconds: number;
  manifestSha256: string;
  firstTimestamp: string;
  lastTimestamp: string;
}

export interface BenchCaptureOptions {
  path: string;
  targetBytes: number;
  corpusDir: string;
  force?: boolean;
  log?: (line: string) => void;
}

export function defaultBenchPath(quick: boolean): string {
  if (quick) return process.env.LANTERN_BENCH_QUICK_FILE ?? join(BENCH_DIR, 'corpus-200m.pcapng');
  return process.env.LANTERN_BENCH_FILE ?? join(BENCH_DIR, 'corpus-1g.pcapng');
}

export function defaultCorpusDir(): string {
  return process.env.LANTERN_CORPUS_DIR ?? resolve(process.cwd(), '../shared/data/ics-corpus');
}

function sidecarPath(path: string): string {
  return `${path}.json`;
}

function manifestFiles(corpusDir: string): { files: string[]; sha256: string } {
  const text = readFileSync(join(corpusDir, 'MANIFEST.tsv'), 'utf8');
  const files: string[] = [];
  for (const line of text.split('\n').slice(1)) {
    const localPath = line.split('\t')[0];
    if (localPath) files.push(localPath);
  }
  return { files, sha256: createHash('sha256').update(text).digest('hex') };
}

/** The built file's description, if `path` holds a complete build for these settings. */
export function existingBenchCapture(path: string, targetBytes: number, corpusDir: string): BenchCaptureInfo | null {
  try {
    const info = JSON.parse(readFileSync(sidecarPath(path), 'utf8')) as BenchCaptureInfo;
    if (info.version !== BENCH_CAPTURE_VERSION || info.targetBytes !== targetBytes) return null;
    if (statSync(path).size !== info.bytes) return null;
    if (existsSync(join(corpusDir, 'MANIFEST.tsv')) && manifestFiles(corpusDir).sha256 !== info.manifestSha256) return null;
    return info;
  } catch {
    return null;
  }
}

function formatTs(sec: number, nsec: number): string {
  return `${new Date(sec * 1000).toISOString().slice(0, 19)}.${String(nsec).padStart(9, '0')}Z`;
}

/** Rewrites frames into one pcapng, shifting each input so it starts 1 s after the previous one ended. */
class ShiftingWriter implements FrameHandler {
  private readonly interfaceByLink = new Map<number, number>();
  private lastLink = -1;
  private lastIf = -1;
  private shiftSec = 0;
  private shiftNsec = 0;
  private startOfInput = true;
  private wroteAny = false;
  lastSec = 0;
  lastNsec = 0;
  firstSec = 0;
  firstNsec = 0;
  frames = 0;
  framesThisInput = 0;
  nonIncreasing = 0;
  gapsCapped = 0;
  dropped = 0;
  done = false;
  readonly interfaces: { id: number; linkType: number; name: string }[] = [];

  constructor(
    readonly writer: PcapngWriter,
    private readonly targetBytes: number,
    private readonly onDone: () => void,
  ) {}

  beginInput(): void {
    this.startOfInput = true;
    this.framesThisInput = 0;
  }

  onFrame(f: Frame): void {
    if (this.done) return;
    if (f.caplen > SNAP_LEN) {
      this.dropped++;
      return;
    }
    if (this.startOfInput) {
      this.startOfInput = false;
      if (this.wroteAny) this.rebase(f, this.lastSec + GAP_BETWEEN_FILES_SEC, this.lastNsec);
    }
    let sec = f.tsSec + this.shiftSec;
    let nsec = f.tsNsec + this.shiftNsec;
    if (nsec >= 1e9) {
      nsec -= 1e9;
      sec++;
    }
    if (this.wroteAny) {
      if (sec < this.lastSec || (sec === this.lastSec && nsec <= this.lastNsec)) {
        this.nonIncreasing++;
        sec = this.lastSec;
        nsec = this.lastNsec + BACKWARD_STEP_NSEC;
        if (nsec >= 1e9) {
          nsec -= 1e9;
          sec++;
        }
        this.rebase(f, sec, nsec);
      } else if (sec - this.lastSec > MAX_GAP_SEC) {
        this.gapsCapped++;
        sec = this.lastSec + MAX_GAP_SEC;
        nsec = this.lastNsec;
        this.rebase(f, sec, nsec);
      }
    }
    if (!this.wroteAny) {
      this.wroteAny = true;
      this.firstSec = sec;
      this.firstNsec = nsec;
    }
    this.writer.writePacket(this.interfaceFor(f.linkType), sec, nsec, f.buf, f.offset, f.caplen, f.origLen);
    this.lastSec = sec;
    this.lastNsec = nsec;
    this.frames++;
    this.framesThisInput++;
    if (this.writer.bytesWritten >= this.targetBytes) {
      this.done = true;
      this.onDone();
    }
  }

  /** From this frame on, shift the input so that this frame lands at (sec, nsec). */
  private rebase(f: Frame, sec: number, nsec: number): void {
    let ns = nsec - f.tsNsec;
    let s = sec - f.tsSec;
    if (ns < 0) {
      ns += 1e9;
      s--;
    }
    this.shiftSec = s;
    this.shiftNsec = ns;
  }

  private interfaceFor(linkType: number): number {
    if (linkType === this.lastLink) return this.lastIf;
    let id = this.interfaceByLink.get(linkType);
    if (id === undefined) {
      id = this.writer.addInterface(linkType, SNAP_LEN, true);
      this.interfaceByLink.set(linkType, id);
      this.interfaces.push({ id, linkType, name: linkTypeName(linkType) });
    }
    this.lastLink = linkType;
    this.lastIf = id;
    return id;
  }
}

/** Returns the capture at opts.path, building it first unless a complete build for these settings is there. */
export async function ensureBenchCapture(opts: BenchCaptureOptions): Promise<{ info: BenchCaptureInfo; reused: boolean }> {
  const log = opts.log ?? (() => {});
  if (!opts.force) {
    const info = existingBenchCapture(opts.path, opts.targetBytes, opts.corpusDir);
    if (info !== null) return { info, reused: true };
  }
  const { files, sha256 } = manifestFiles(opts.corpusDir);
  mkdirSync(dirname(opts.path), { recursive: true });
  rmSync(sidecarPath(opts.path), { force: true });
  const partial = `${opts.path}.partial`;
  const started = process.hrtime.bigint();
  const writer = new PcapngWriter(partial, { application: `Lantern benchmark (${BENCH_CAPTURE_VERSION})`, bufferBytes: 8 << 20 });
  let abort = new AbortController();
  const shifter = new ShiftingWriter(writer, opts.targetBytes, () => abort.abort());
  const skipped = new Set<string>();
  const contributing = new Set<string>();
  let fileReads = 0;
  let passes = 0;
  try {
    while (!shifter.done) {
      const framesBeforePass = shifter.frames;
      let index = 0;
      for (; index < files.length && !shifter.done; index++) {
        const rel = files[index];
        if (skipped.has(rel)) continue;
        abort = new AbortController();
        shifter.beginInput();
        fileReads++;
        try {
          await readCaptureFile(join(opts.corpusDir, rel), shifter, new AnomalyCounter(), { signal: abort.signal });
        } catch (err) {
          if (!shifter.done && shifter.framesThisInput === 0) {
            skipped.add(rel);
            log(`  skipped ${rel}: ${err instanceof Error ? err.message : String(err)}`);
          }
        }
        if (shifter.framesThisInput > 0) contributing.add(rel);
        else skipped.add(rel);
      }
      if (shifter.done) passes += index / files.length;
      else passes++;
      if (!shifter.done && shifter.frames === framesBeforePass) throw new Error(`no frames could be read from ${opts.corpusDir}`);
      if (!shifter.done) log(`  pass ${passes}: ${shifter.frames} frames, ${(writer.bytesWritten / 1e6).toFixed(0)} MB`);
    }
  } finally {
    writer.close();
  }
  renameSync(partial, opts.path);
  const info: BenchCaptureInfo = {
    version: BENCH_CAPTURE_VERSION,
    path: opts.path,
    targetBytes: opts.targetBytes,
    bytes: writer.bytesWritten,
    frames: shifter.frames,
    files: contributing.size,
    fileReads,
    passes: Math.round(passes * 1000) / 1000,
    skippedFiles: [...skipped].sort(),
    nonIncreasing: shifter.nonIncreasing,
    gapsCapped: shifter.gapsCapped,
    droppedFrames: shifter.dropped,
    interfaces: shifter.interfaces,
    buildSeconds: Number(process.hrtime.bigint() - started) / 1e9,
    manifestSha256: sha256,
    firstTimestamp: formatTs(shifter.firstSec, shifter.firstNsec),
    lastTimestamp: formatTs(shifter.lastSec, shifter.lastNsec),
  };
  writeFileSync(sidecarPath(opts.path), JSON.stringify(info, null, 2) + '\n');
  return { info, reused: false };
}

export function describeBenchCapture(info: BenchCaptureInfo, reused: boolean): string {
  const lines = [
    `${reused ? 'Reusing' : 'Built'} ${info.path}`,
    `  ${(info.bytes / 1e6).toFixed(1)} MB, ${info.frames} frames, ${info.files} corpus files, ${info.passes} passes (${info.fileReads} file reads)`,
    `  interfaces: ${info.interfaces.map((i) => `${i.id}=${i.name}`).join(' ')}`,
    `  time span ${info.firstTimestamp} .. ${info.lastTimestamp}; ${info.gapsCapped} gaps > ${MAX_GAP_SEC} s cut, ${info.nonIncreasing} frames not after the previous moved 1 µs after it`,
    `  built in ${info.buildSeconds.toFixed(1)} s (${(info.bytes / 1e6 / info.buildSeconds).toFixed(0)} MB/s)`,
  ];
  if (info.skippedFiles.length > 0) {
    const shown = info.skippedFiles.slice(0, 3).join(', ');
    const more = info.skippedFiles.length > 3 ? `, ... (all in ${sidecarPath(info.path)})` : '';
    lines.push(`  skipped ${info.skippedFiles.length} corpus files without readable frames: ${shown}${more}`);
  }
  if (info.droppedFrames > 0) lines.push(`  left out ${info.droppedFrames} frames longer than ${SNAP_LEN} bytes`);
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const quick = argv.includes('--quick');
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const path = value('--out') ?? defaultBenchPath(quick);
  const targetBytes = Number(value('--bytes') ?? (quick ? QUICK_TARGET_BYTES : FULL_TARGET_BYTES));
  const corpusDir = value('--corpus') ?? defaultCorpusDir();
  if (!Number.isFinite(targetBytes) || targetBytes <= 0) {
    process.stderr.write('usage: build-capture [--quick] [--out PATH] [--bytes N] [--corpus DIR] [--force]\n');
    return 2;
  }
  if (!existsSync(join(corpusDir, 'MANIFEST.tsv'))) {
    process.stderr.write(`build-capture: no corpus at ${corpusDir} (set LANTERN_CORPUS_DIR)\n`);
    return 2;
  }
  const { info, reused } = await ensureBenchCapture({
    path,
    targetBytes,
    corpusDir,
    force: argv.includes('--force'),
    log: (line) => process.stderr.write(line + '\n'),
  });
  process.stdout.write(describeBenchCapture(info, reused) + '\n');
  return 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}

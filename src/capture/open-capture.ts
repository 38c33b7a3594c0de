// Opens a capture by its magic bytes only (pcap, pcapng, or either inside gzip) and runs the matching push reader.
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { constants as zlibConstants, createGunzip, type Gunzip } from 'node:zlib';
import type { AnomalyCounter } from '../common/anomaly.js';
import { CAPTURE_ANOMALIES } from './anomalies.js';
import type { FrameHandler } from './frame.js';
import type { CaptureInterface, InterfaceStats } from './push-reader.js';
import { PcapReader, pcapMagic } from './read-pcap.js';
import { PcapngReader } from './read-pcapng.js';

export type { CaptureInterface, InterfaceStats } from './push-reader.js';

export interface CaptureResult {
  format: 'pcap' | 'pcapng';
  compressed: boolean;
  /** Frames handed to the handler. */
  frames: number;
  /** Bytes of the input file consumed (the compressed size for gzip). */
  fileBytes: number;
  /** The input stopped mid-record (or an I/O or gzip error cut it short); every complete frame was delivered. */
  truncated: boolean;
  /** Reading stopped early because the signal was aborted; the counts cover what was read. */
  aborted: boolean;
  /** Distinct link types of the interfaces seen, in order of appearance. */
  linkTypes: number[];
  interfaces: CaptureInterface[];
  /** pcapng Interface Statistics Block counters, for the interfaces that had one. */
  interfaceStats?: InterfaceStats[];
  /** Bytes passed over while resynchronising after bad records or blocks. */
  skippedBytes: number;
  /** pcapng: sections read. */
  sections?: number;
  /** pcapng: blocks read past without use (name resolution, decryption secrets, custom, unknown). */
  skippedBlocks?: number;
}

export type CaptureErrorCode =
  | 'capture.not_found'
  | 'capture.is_directory'
  | 'capture.unreadable'
  | 'capture.not_a_capture'
  | 'capture.empty'
  | 'capture.aborted';

/** Why an input could not be read at all. Raised before any frame is handed out. */
export class CaptureError extends Error {
  constructor(
    readonly code: CaptureErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CaptureError';
  }
}

export interface ReadOptions {
  /** Called with the input bytes consumed so far: after every file chunk; for streams at most once per MiB. */
  onProgress?: (fileBytesRead: number) => void;
  /** Aborting stops reading between chunks; the result then has aborted = true. */
  signal?: AbortSignal;
  /** A file is read in a synchronous loop that yields to the event loop after this many bytes (default 64 MiB); a
   * server answering requests meanwhile (`lantern serve`) wants it far smaller. */
  yieldEveryBytes?: number;
}

/** File reads go straight into the reader's buffer in chunks of this size. */
const FILE_CHUNK_BYTES = 4 * 1024 * 1024;
/** The synchronous file loop yields to the event loop after this many bytes (progress timers, Ctrl-C). */
const YIELD_EVERY_BYTES = 64 * 1024 * 1024;
const STREAM_PROGRESS_EVERY_BYTES = 1024 * 1024;
const GZIP_READ_CHUNK_BYTES = 1024 * 1024;
const MAGIC_BYTES = 4;

type Kind = 'pcap' | 'pcapng' | 'gzip';
type Reader = PcapReader | PcapngReader;

/** Format from the first bytes (at least 4, or 2 for gzip); null when it is none of them. */
function detect(b: Uint8Array, n: number): Kind | null {
  if (n >= 2 && b[0] === 0x1f && b[1] === 0x8b) return 'gzip';
  if (n < MAGIC_BYTES) return null;
  if (pcapMagic(b, 0) >= 0) return 'pcap';
  if (b[0] === 0x0a && b[1] === 0x0d && b[2] === 0x0d && b[3] === 0x0a) return 'pcapng';
  return null;
}

function notACapture(label: string, b: Uint8Array, n: number): CaptureError {
  const shown = Array.from(b.subarray(0, Math.min(n, MAGIC_BYTES)), (x) => x.toString(16).padStart(2, '0')).join(' ');
  const why = n < MAGIC_BYTES ? `only ${n} byte${n === 1 ? '' : 's'} long` : `it starts with ${shown}`;
  return new CaptureError('capture.not_a_capture', `${label} is not a pcap, pcapng or gzip file (${why})`);
}

function newReader(kind: 'pcap' | 'pcapng', handler: FrameHandler, anomalies: AnomalyCounter, capacity?: number): Reader {
  return kind === 'pcap' ? new PcapReader(handler, anomalies, capacity) : new PcapngReader(handler, anomalies, capacity);
}

function resultOf(
  reader: Reader,
  compressed: boolean,
  fileBytes: number,
  aborted: boolean,
  cutShort: boolean,
): CaptureResult {
  const result: CaptureResult = {
    format: reader instanceof PcapReader ? 'pcap' : 'pcapng',
    compressed,
    frames: reader.frames,
    fileBytes,
    truncated: reader.truncated || cutShort,
    aborted,
    linkTypes: reader.linkTypes,
    interfaces: reader.interfaces,
    skippedBytes: reader.skippedBytes,
  };
  if (reader instanceof PcapngReader) {
    const stats = reader.interfaceStats;
    if (stats.length > 0) result.interfaceStats = stats;
    result.sections = reader.sections;
    result.skippedBlocks = reader.skippedBlocks;
  }
  return result;
}

function errnoOf(err: unknown): string {
  return (err as NodeJS.ErrnoException | null)?.code ?? 'error';
}

/**
 * Reads a capture file. Plain pcap/pcapng files are read synchronously with readSync straight into the reader's
 * buffer; gzip files and non-regular files (FIFOs, devices) go through the stream path.
 */
export async function readCaptureFile(
  path: string,
  handler: FrameHandler,
  anomalies: AnomalyCounter,
  opts: ReadOptions = {},
): Promise<CaptureResult> {
  let isFile: boolean;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new CaptureError('capture.is_directory', `${path} is a directory, not a capture file`);
    isFile = st.isFile();
  } catch (err) {
    if (err instanceof CaptureError) throw err;
    const code = errnoOf(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new CaptureError('capture.not_found', `${path}: no such file`);
    throw new CaptureError('capture.unreadable', `${path}: cannot read (${code})`);
  }
  if (!isFile) return consumeStream(createReadStream(path), true, path, handler, anomalies, opts);

  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new CaptureError('capture.unreadable', `${path}: cannot open (${errnoOf(err)})`);
  }
  let closed = false;
  try {
    const head = Buffer.alloc(MAGIC_BYTES);
    let n = 0;
    try {
      while (n < MAGIC_BYTES) {
        const got = readSync(fd, head, n, MAGIC_BYTES - n, n);
        if (got === 0) break;
        n += got;
      }
    } catch (err) {
      throw new CaptureError('capture.unreadable', `${path}: cannot read (${errnoOf(err)})`);
    }
    if (n === 0) throw new CaptureError('capture.empty', `${path} is empty`);
    const kind = detect(head, n);
    if (kind === null) throw notACapture(path, head, n);
    if (kind === 'gzip') {
      closeSync(fd);
      closed = true;
      const source = createReadStream(path, { highWaterMark: GZIP_READ_CHUNK_BYTES });
      return await consumeStream(source, true, path, handler, anomalies, opts);
    }
    return await readPlainFile(fd, kind, handler, anomalies, opts);
  } finally {
    if (!closed) closeSync(fd);
  }
}

async function readPlainFile(
  fd: number,
  kind: 'pcap' | 'pcapng',
  handler: FrameHandler,
  anomalies: AnomalyCounter,
  opts: ReadOptions,
): Promise<CaptureResult> {
  const reader = newReader(kind, handler, anomalies, FILE_CHUNK_BYTES + 64 * 1024);
  const { onProgress, signal } = opts;
  let filePos = 0;
  let sinceYield = 0;
  let aborted = false;
  let readFailed = false;
  for (;;) {
    if (signal?.aborted) {
      aborted = true;
      break;
    }
    reader.reserve(FILE_CHUNK_BYTES);
    let n: number;
    try {
      n = readSync(fd, reader.writeBuffer, reader.writeOffset, reader.writeSpace, filePos);
    } catch {
      anomalies.add(CAPTURE_ANOMALIES.codes.read_error);
      readFailed = true;
      break;
    }
    if (n === 0) break;
    filePos += n;
    reader.commit(n);
    onProgress?.(filePos);
    sinceYield += n;
    if (sinceYield >= (opts.yieldEveryBytes ?? YIELD_EVERY_BYTES)) {
      sinceYield = 0;
      await new Promise(setImmediate);
    }
  }
  if (!aborted) reader.end();
  return resultOf(reader, false, filePos, aborted, readFailed);
}

/** Reads a capture from a stream (stdin, a tcpdump pipe); gzip is detected and decompressed. Any chunk size works. */
export function readCaptureStream(
  stream: NodeJS.ReadableStream,
  handler: FrameHandler,
  anomalies: AnomalyCounter,
  opts: ReadOptions = {},
): Promise<CaptureResult> {
  return consumeStream(stream, false, 'input', handler, anomalies, opts);
}

/** First bytes of a stream, kept until the format can be told. */
class Sniff {
  readonly head = Buffer.alloc(MAGIC_BYTES);
  length = 0;

  /** Takes bytes from chunk until MAGIC_BYTES are held; returns how many it took. */
  take(chunk: Uint8Array): number {
    const n = Math.min(MAGIC_BYTES - this.length, chunk.length);
    this.head.set(chunk.subarray(0, n), this.length);
    this.length += n;
    return n;
  }

  get full(): boolean {
    return this.length === MAGIC_BYTES;
  }
}

function consumeStream(
  source: NodeJS.ReadableStream,
  ownsSource: boolean,
  label: string,
  handler: FrameHandler,
  anomalies: AnomalyCounter,
  opts: ReadOptions,
): Promise<CaptureResult> {
  const { onProgress, signal } = opts;
  return new Promise<CaptureResult>((resolve, reject) => {
    const outer = new Sniff();
    const inner = new Sniff();
    let gunzip: Gunzip | null = null;
    /** Decompressed bytes, and the last 4 compressed bytes (a complete gzip ends with ISIZE, the size mod 2^32). */
    let inflated = 0;
    const tail = new Uint8Array(4);
    let reader: Reader | null = null;
    let fileBytes = 0;
    let reported = 0;
    let done = false;
    let sourceEnded = false;
    let cutShort = false;
    let waitingForDrain = false;

    const cleanup = (): void => {
      done = true;
      source.removeListener('data', onData);
      source.removeListener('end', onSourceEnd);
      source.removeListener('close', onSourceEnd);
      source.removeListener('error', onSourceError);
      signal?.removeEventListener('abort', onAbort);
      if (gunzip) {
        gunzip.removeAllListeners();
        gunzip.on('error', () => {});
        gunzip.destroy();
      }
      if (ownsSource) (source as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      else source.pause();
    };

    const fail = (err: unknown): void => {
      if (done) return;
      cleanup();
      reject(err);
    };

    const finish = (aborted: boolean): void => {
      if (done) return;
      cleanup();
      if (onProgress && fileBytes !== reported) onProgress(fileBytes);
      if (!reader) {
        if (aborted) reject(new CaptureError('capture.aborted', `${label}: aborted before any data was read`));
        else if (outer.length === 0) reject(new CaptureError('capture.empty', `${label} is empty`));
        else if (gunzip && inner.length === 0) reject(new CaptureError('capture.empty', `${label}: the gzip data is empty`));
        else if (gunzip) reject(notACapture(`${label} (decompressed)`, inner.head, inner.length));
        else reject(notACapture(label, outer.head, outer.length));
        return;
      }
      try {
        if (!aborted) reader.end();
      } catch (err) {
        reject(err);
        return;
      }
      resolve(resultOf(reader, gunzip !== null, fileBytes, aborted, cutShort));
    };

    /** Bytes of the capture itself (decompressed when gzip). */
    const feedCapture = (chunk: Uint8Array, sniff: Sniff, compressed: boolean): void => {
      if (reader) {
        reader.push(chunk);
        return;
      }
      const took = sniff.take(chunk);
      if (!sniff.full) return;
      const kind = detect(sniff.head, sniff.length);
      if (kind === 'gzip' && !compressed) {
        startGunzip();
        feedRaw(Buffer.from(sniff.head));
        if (took < chunk.length) feedRaw(chunk.subarray(took));
      } else if (kind === 'pcap' || kind === 'pcapng') {
        const r = newReader(kind, handler, anomalies);
        reader = r;
        r.push(sniff.head);
        if (took < chunk.length) r.push(chunk.subarray(took));
      } else {
        fail(notACapture(compressed ? `${label} (decompressed)` : label, sniff.head, sniff.length));
      }
    };

    const feedRaw = (chunk: Uint8Array): void => {
      if (gunzip) {
        if (chunk.length >= 4) tail.set(chunk.subarray(chunk.length - 4));
        else {
          tail.copyWithin(0, chunk.length);
          tail.set(chunk, 4 - chunk.length);
        }
        if (!gunzip.write(chunk) && !waitingForDrain) {
          waitingForDrain = true;
          source.pause();
          gunzip.once('drain', () => {
            waitingForDrain = false;
            if (!done) source.resume();
          });
        }
      } else {
        feedCapture(chunk, outer, false);
      }
    };

    const startGunzip = (): void => {
      // Z_SYNC_FLUSH at the end: a stream cut short yields every byte it can instead of an error that drops the
      // last output (and races with it); the cut is then seen by the ISIZE check below.
      const gz = createGunzip({ finishFlush: zlibConstants.Z_SYNC_FLUSH });
      gunzip = gz;
      gz.on('data', (chunk: Buffer) => {
        if (done) return;
        inflated += chunk.length;
        try {
          feedCapture(chunk, inner, true);
        } catch (err) {
          fail(err);
        }
      });
      gz.on('end', () => {
        if (reader && (inflated % 4294967296 !== ((tail[0] | (tail[1] << 8) | (tail[2] << 16) | (tail[3] << 24)) >>> 0))) {
          anomalies.add(CAPTURE_ANOMALIES.codes.gzip_truncated);
          cutShort = true;
        }
        finish(false);
      });
      gz.on('error', (err: NodeJS.ErrnoException) => {
        if (done) return;
        if (!reader) {
          fail(new CaptureError('capture.not_a_capture', `${label}: corrupt gzip data (${err.message})`));
          return;
        }
        anomalies.add(CAPTURE_ANOMALIES.codes.gzip_corrupt);
        cutShort = true;
        finish(false);
      });
    };

    function onData(chunk: Buffer | string): void {
      if (done) return;
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
      fileBytes += bytes.length;
      try {
        feedRaw(bytes);
      } catch (err) {
        fail(err);
        return;
      }
      if (onProgress && fileBytes - reported >= STREAM_PROGRESS_EVERY_BYTES) {
        reported = fileBytes;
        onProgress(fileBytes);
      }
    }

    function onSourceEnd(): void {
      if (done || sourceEnded) return;
      sourceEnded = true;
      if (gunzip) gunzip.end();
      else finish(false);
    }

    function onSourceError(err: NodeJS.ErrnoException): void {
      if (done) return;
      if (!reader) {
        fail(new CaptureError('capture.unreadable', `${label}: cannot read (${err.code ?? err.message})`));
        return;
      }
      anomalies.add(CAPTURE_ANOMALIES.codes.read_error);
      cutShort = true;
      finish(false);
    }

    function onAbort(): void {
      finish(true);
    }

    if (signal?.aborted) {
      finish(true);
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    source.on('data', onData);
    source.on('end', onSourceEnd);
    source.on('close', onSourceEnd);
    source.on('error', onSourceError);
    source.resume();
  });
}

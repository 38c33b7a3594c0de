// A sparse time index of one kept capture: segments of consecutive records (byte offset of the first, min/max frame
// time, frame count), so an export reads only the segments overlapping its window instead of the whole file.
//
// Seeking into the middle of a capture needs the reader's state at that point. For classic pcap that is the file
// header (and the time of the previous record, which its resynchronisation heuristics use); for pcapng it is the
// sections and interfaces described so far. Both are restored by replaying a *preamble* ahead of the segment's
// bytes. Packet blocks change no reader state, so for most files the preamble is every byte before the first frame.
// A pcapng file may describe an interface after its first packet (writers that add interfaces as they meet them) or
// start a new section (files concatenated): a frame then names an interface the first bytes never described. For
// those files the Section Header and Interface Description Blocks are listed by a walk over the block headers, and
// the preamble of a seek is the ones before its offset. A file whose walk stumbles (damaged blocks) is marked not
// seekable: its exports read it from the start, which is slower but gives the same frames.
import { closeSync, openSync, readSync } from 'node:fs';
import { AnomalyCounter } from '../common/anomaly.js';
import type { FrameHandler } from '../capture/frame.js';
import { PcapngReader } from '../capture/read-pcapng.js';

/** A segment ends after this many bytes of records... */
export const SEGMENT_BYTES = 1024 * 1024;
/** ...or this many frames, whichever comes first. */
export const SEGMENT_FRAMES = 16384;
/** Segments per capture; past it, neighbours merge in pairs and the thresholds double (a 100 GB file still fits). */
export const MAX_SEGMENTS = 32768;
/** A preamble longer than this (megabytes of blocks before the first packet) is not replayed: the file reads whole. */
export const MAX_PREAMBLE_BYTES = 1024 * 1024;

export type CaptureFormat = 'pcap' | 'pcapng';

/** The index as kept beside the capture (JSON): parallel arrays, one entry per segment, by byte offset. */
export interface CaptureIndex {
  version: 1;
  format: CaptureFormat;
  /** Bytes before the first frame (replayed ahead of a seek). */
  preambleEnd: number;
  /** False when no preamble restores the reader's state (a damaged pcapng): exports read from the start. */
  seekable: boolean;
  /**
   * pcapng whose interfaces or sections are not all described before the first packet: the Section Header and
   * Interface Description Blocks as [offset, length] pairs, flattened; a seek replays those before its offset.
   */
  structure?: number[];
  frames: number;
  /** Earliest and latest frame time (seconds, float); null without frames. */
  first: number | null;
  last: number | null;
  /** Byte offset of each segment's first record; a segment ends where the next begins (the last at end of file). */
  offsets: number[];
  minTimes: number[];
  maxTimes: number[];
  frameCounts: number[];
  /** Seconds field of the record just before the segment (-1 for the first): restores the pcap reader's last time. */
  prevSecs: number[];
}

/** Builds the index from the frames as a reader hands them out (in stream order). No allocation per frame. */
export class IndexBuilder {
  frames = 0;
  first = Infinity;
  last = -Infinity;
  /** Highest interface id any frame named (-1 before the first frame). */
  maxInterfaceId = -1;
  firstOffset = -1;
  private readonly offsets: number[] = [];
  private readonly minTimes: number[] = [];
  private readonly maxTimes: number[] = [];
  private readonly frameCounts: number[] = [];
  private readonly prevSecs: number[] = [];
  private segBytes: number;
  private segFrames: number;
  private curStart = -1;
  private curFrames = 0;
  private curMin = Infinity;
  private curMax = -Infinity;
  private curPrevSec = -1;
  private lastSec = -1;

  constructor(segmentBytes = SEGMENT_BYTES, segmentFrames = SEGMENT_FRAMES, private readonly maxSegments = MAX_SEGMENTS) {
    this.segBytes = segmentBytes;
    this.segFrames = segmentFrames;
  }

  add(tsSec: number, tsNsec: number, offset: number, interfaceId: number): void {
    const t = tsSec + tsNsec / 1e9;
    if (this.curStart < 0) {
      this.firstOffset = offset;
      this.open(offset);
    } else if (this.curFrames >= this.segFrames || offset - this.curStart >= this.segBytes) {
      this.close();
      this.open(offset);
    }
    this.curFrames++;
    if (t < this.curMin) this.curMin = t;
    if (t > this.curMax) this.curMax = t;
    if (t < this.first) this.first = t;
    if (t > this.last) this.last = t;
    if (interfaceId > this.maxInterfaceId) this.maxInterfaceId = interfaceId;
    this.lastSec = tsSec;
    this.frames++;
  }

  /** The index so far (the open segment included); the builder can go on afterwards. */
  snapshot(format: CaptureFormat, preambleEnd: number, seekable: boolean, structure?: number[]): CaptureIndex {
    const n = this.offsets.length;
    const idx: CaptureIndex = {
      version: 1,
      format,
      preambleEnd,
      seekable,
      frames: this.frames,
      first: this.frames > 0 ? this.first : null,
      last: this.frames > 0 ? this.last : null,
      offsets: this.offsets.slice(0, n),
      minTimes: this.minTimes.slice(0, n),
      maxTimes: this.maxTimes.slice(0, n),
      frameCounts: this.frameCounts.slice(0, n),
      prevSecs: this.prevSecs.slice(0, n),
    };
    if (structure !== undefined) idx.structure = structure;
    if (this.curStart >= 0) {
      idx.offsets.push(this.curStart);
      idx.minTimes.push(this.curMin);
      idx.maxTimes.push(this.curMax);
      idx.frameCounts.push(this.curFrames);
      idx.prevSecs.push(this.curPrevSec);
    }
    return idx;
  }

  private open(offset: number): void {
    this.curStart = offset;
    this.curFrames = 0;
    this.curMin = Infinity;
    this.curMax = -Infinity;
    this.curPrevSec = this.lastSec;
  }

  private close(): void {
    this.offsets.push(this.curStart);
    this.minTimes.push(this.curMin);
    this.maxTimes.push(this.curMax);
    this.frameCounts.push(this.curFrames);
    this.prevSecs.push(this.curPrevSec);
    if (this.offsets.length >= this.maxSegments) this.coarsen();
  }

  /** Merges neighbouring segments in pairs and doubles the thresholds: the index stays bounded, only coarser. */
  private coarsen(): void {
    const n = this.offsets.length;
    let w = 0;
    for (let r = 0; r < n; r += 2, w++) {
      const pair = r + 1 < n;
      this.offsets[w] = this.offsets[r];
      this.prevSecs[w] = this.prevSecs[r];
      this.minTimes[w] = pair ? Math.min(this.minTimes[r], this.minTimes[r + 1]) : this.minTimes[r];
      this.maxTimes[w] = pair ? Math.max(this.maxTimes[r], this.maxTimes[r + 1]) : this.maxTimes[r];
      this.frameCounts[w] = pair ? this.frameCounts[r] + this.frameCounts[r + 1] : this.frameCounts[r];
    }
    for (const a of [this.offsets, this.prevSecs, this.minTimes, this.maxTimes, this.frameCounts]) a.length = w;
    this.segBytes *= 2;
    this.segFrames *= 2;
  }
}

const NO_FRAMES: FrameHandler = { onFrame: () => {} };

/** How seeks into a kept capture restore the reader's state. */
export interface SeekPlan {
  seekable: boolean;
  structure?: number[];
}

/**
 * How a seek into the capture at `path` restores the reader's state (see the top of this file): replaying bytes
 * [0, firstOffset) when they describe every interface the frames name, else (pcapng) the structural blocks a walk
 * over the file lists. Reads the preamble, and the whole file only in the second case.
 */
export function seekPlan(path: string, format: CaptureFormat, firstOffset: number, maxInterfaceId: number): SeekPlan {
  if (firstOffset < 0) return { seekable: false };
  if (format === 'pcap') return { seekable: firstOffset <= MAX_PREAMBLE_BYTES };
  if (firstOffset <= MAX_PREAMBLE_BYTES) {
    const head = readRange(path, 0, firstOffset);
    if (head === null) return { seekable: false };
    const reader = new PcapngReader(NO_FRAMES, new AnomalyCounter());
    reader.push(head);
    if (maxInterfaceId < reader.interfaces.length) return { seekable: true };
  }
  const structure = structuralBlocks(path);
  return structure === null ? { seekable: false } : { seekable: true, structure };
}

/** Structural blocks a walk may list, and the bytes they may take (they are replayed ahead of every seek). */
const MAX_STRUCTURAL_BLOCKS = 8192;
const WALK_CHUNK_BYTES = 4 * 1024 * 1024;
const PCAPNG_BLOCK_SHB = 0x0a0d0d0a;
const PCAPNG_BLOCK_IDB = 1;

/**
 * The Section Header and Interface Description Blocks of a pcapng file, as flattened [offset, length] pairs, by
 * hopping from block header to block header; null when a block length is implausible (the reader resynchronised
 * there, which a replay cannot reproduce) or the blocks exceed the caps.
 */
export function structuralBlocks(path: string): number[] | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const chunk = Buffer.allocUnsafe(WALK_CHUNK_BYTES);
    let chunkStart = 0;
    let chunkLen = 0;
    let pos = 0;
    let le = true;
    let bytes = 0;
    const out: number[] = [];
    for (;;) {
      if (pos + 12 > chunkStart + chunkLen) {
        chunkStart = pos;
        chunkLen = readSync(fd, chunk, 0, WALK_CHUNK_BYTES, pos);
        // The end, or a last block cut short (the reader reported it truncated: nothing to replay there).
        if (chunkLen < 12) return out;
      }
      const o = pos - chunkStart;
      const isShb = chunk[o] === 0x0a && chunk[o + 1] === 0x0d && chunk[o + 2] === 0x0d && chunk[o + 3] === 0x0a;
      if (isShb) {
        const m = chunk.readUInt32LE(o + 8);
        if (m === 0x1a2b3c4d) le = true;
        else if (m === 0x4d3c2b1a) le = false;
        else return null;
      } else if (pos === 0) {
        return null;
      }
      const type = isShb ? PCAPNG_BLOCK_SHB : le ? chunk.readUInt32LE(o) : chunk.readUInt32BE(o);
      const len = le ? chunk.readUInt32LE(o + 4) : chunk.readUInt32BE(o + 4);
      if (len < 12 || (len & 3) !== 0 || len > 16 * 1024 * 1024) return null;
      if (type === PCAPNG_BLOCK_SHB || type === PCAPNG_BLOCK_IDB) {
        out.push(pos, len);
        bytes += len;
        if (out.length / 2 > MAX_STRUCTURAL_BLOCKS || bytes > MAX_PREAMBLE_BYTES) return null;
      }
      pos += len;
    }
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** Bytes [from, to) of a file, or null when it is shorter or unreadable. */
export function readRange(path: string, from: number, to: number): Buffer | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const out = Buffer.alloc(to - from);
    let n = 0;
    while (n < out.length) {
      const got = readSync(fd, out, n, out.length - n, from + n);
      if (got === 0) return null;
      n += got;
    }
    return out;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** The index read back from its JSON; null when it is not one (the capture is then re-indexed or dropped). */
export function parseIndex(value: unknown): CaptureIndex | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Partial<CaptureIndex>;
  if (v.version !== 1 || (v.format !== 'pcap' && v.format !== 'pcapng')) return null;
  const arrays = [v.offsets, v.minTimes, v.maxTimes, v.frameCounts, v.prevSecs];
  if (!arrays.every((a) => Array.isArray(a) && a.length === v.offsets!.length && a.every((x) => typeof x === 'number'))) return null;
  if (typeof v.preambleEnd !== 'number' || typeof v.seekable !== 'boolean' || typeof v.frames !== 'number') return null;
  if (v.structure !== undefined && !(Array.isArray(v.structure) && v.structure.length % 2 === 0 && v.structure.every((x) => typeof x === 'number'))) return null;
  return v as CaptureIndex;
}

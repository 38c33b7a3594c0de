// Protocol detection for one flow: buffers (copies) the first bytes of each direction up to a cap and runs the
// candidate probes on each new chunk; ports only order the candidates, a probe's `match` decides.

import type { AnomalyCounter } from '../common/anomaly.js';
import type { Direction, ProtocolModule, Transport } from '../protocols/protocol.js';
import { FLOW_ANOMALIES } from './anomalies.js';

export const DETECT_NEED_MORE = 0;
export const DETECT_MATCH = 1;
export const DETECT_UNKNOWN = 2;

const MIN_BUFFER = 256;

/** Caps shared by every Detection of a table; `used` counts allocated buffer bytes table-wide. */
export class DetectBudget {
  used = 0;

  constructor(
    readonly maxBytesPerDirection: number,
    readonly maxBytesTotal: number,
  ) {}
}

export class Detection {
  /** Set when feed() returns DETECT_MATCH. */
  matched: ProtocolModule | null = null;
  private readonly alive: Uint8Array;
  private aliveCount: number;
  private buf0: Uint8Array | null = null;
  private buf1: Uint8Array | null = null;
  private len0 = 0;
  private len1 = 0;
  /** Buffered chunks in order of arrival: (dir, start, end, ts) quadruples; start/end index buf0/buf1. */
  private chunks: number[] = [];

  constructor(
    readonly candidates: readonly ProtocolModule[],
    readonly transport: Transport,
  ) {
    this.alive = new Uint8Array(candidates.length).fill(1);
    this.aliveCount = candidates.length;
  }

  /**
   * One chunk of one direction (TCP: the next stream bytes; UDP: one datagram), borrowed. Returns DETECT_MATCH
   * (see `matched`; the chunk itself is not buffered: the caller replays the buffered chunks, then delivers it),
   * DETECT_UNKNOWN, or DETECT_NEED_MORE (the chunk was buffered).
   */
  feed(
    budget: DetectBudget,
    anomalies: AnomalyCounter,
    dir: Direction,
    buf: Uint8Array,
    off: number,
    end: number,
    ts: number,
  ): number {
    if (this.aliveCount === 0) return DETECT_UNKNOWN;
    const have = dir === 0 ? this.len0 : this.len1;
    const take = Math.min(end - off, budget.maxBytesPerDirection - have);
    let b = dir === 0 ? this.buf0 : this.buf1;
    const capacity = b === null ? 0 : b.length;
    if (have + take > capacity) {
      let size = Math.max(MIN_BUFFER, capacity * 2);
      while (size < have + take) size *= 2;
      size = Math.min(size, budget.maxBytesPerDirection);
      if (budget.used + size - capacity > budget.maxBytesTotal) {
        anomalies.add(FLOW_ANOMALIES.codes.detect_buffer_cap);
        return DETECT_UNKNOWN;
      }
      const grown = new Uint8Array(size);
      if (b !== null) grown.set(b.subarray(0, have));
      budget.used += size - capacity;
      b = grown;
      if (dir === 0) this.buf0 = b;
      else this.buf1 = b;
    }
    b!.set(buf.subarray(off, off + take), have);
    if (dir === 0) this.len0 = have + take;
    else this.len1 = have + take;

    const view = this.transport === 'tcp' ? b!.subarray(0, have + take) : buf.subarray(off, end);
    const candidates = this.candidates;
    for (let i = 0; i < candidates.length; i++) {
      if (this.alive[i] === 0) continue;
      let verdict: string;
      try {
        verdict = candidates[i].probe(view, dir, this.transport);
      } catch {
        anomalies.add(FLOW_ANOMALIES.codes.protocol_error);
        verdict = 'no_match';
      }
      if (verdict === 'match') {
        this.matched = candidates[i];
        return DETECT_MATCH;
      }
      if (verdict !== 'need_more') {
        this.alive[i] = 0;
        this.aliveCount--;
      }
    }
    if (this.aliveCount === 0) return DETECT_UNKNOWN;
    if (take < end - off || have + take >= budget.maxBytesPerDirection) {
      anomalies.add(FLOW_ANOMALIES.codes.detect_cap);
      return DETECT_UNKNOWN;
    }
    this.chunks.push(dir, have, have + take, ts);
    return DETECT_NEED_MORE;
  }

  get chunkCount(): number {
    return this.chunks.length / 4;
  }

  chunkDir(i: number): Direction {
    return this.chunks[4 * i] as Direction;
  }

  /** Capture time of the packet that brought the i-th chunk. */
  chunkTs(i: number): number {
    return this.chunks[4 * i + 3];
  }

  /** The i-th buffered chunk (a view of the detection buffer). */
  chunkView(i: number): Uint8Array {
    const c = this.chunks;
    const b = c[4 * i] === 0 ? this.buf0! : this.buf1!;
    return b.subarray(c[4 * i + 1], c[4 * i + 2]);
  }

  /** A gap in one direction: its buffered bytes no longer lead to what follows, so they are dropped. */
  dropDirection(dir: Direction): void {
    if (dir === 0) this.len0 = 0;
    else this.len1 = 0;
    const kept: number[] = [];
    const c = this.chunks;
    for (let i = 0; i < c.length; i += 4) {
      if (c[i] !== dir) kept.push(c[i], c[i + 1], c[i + 2], c[i + 3]);
    }
    this.chunks = kept;
  }

  /** Returns the buffers to the budget. */
  release(budget: DetectBudget): void {
    budget.used -= (this.buf0 === null ? 0 : this.buf0.length) + (this.buf1 === null ? 0 : this.buf1.length);
    this.buf0 = null;
    this.buf1 = null;
    this.len0 = 0;
    this.len1 = 0;
    this.chunks = [];
  }
}

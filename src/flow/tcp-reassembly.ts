// TCP stream reassembly for one direction of a connection (RFC 9293 sequence space), with gaps reported, not hidden.
//
// Design. Each direction keeps `nextSeq`, the sequence number of the next byte it expects, learnt from the SYN
// (ISN + 1) or, when the capture started mid-connection, from the first segment seen (a "mid-stream pickup"; an earlier
// segment that arrives later is then taken for a retransmission). All comparisons use serial-number arithmetic,
// `(a - b) | 0`, so the 2^32 wrap-around is invisible; sequence numbers are kept as int32 (small integers to V8, so
// no heap number is boxed per field). A segment's place relative to `nextSeq`:
//
// - in order: delivered to the sink as a borrowed view of the packet buffer, no copy. Then the pending list is drained.
// - ahead (a hole before it): copied into `pending`, a singly linked list sorted by sequence whose segments never
//   overlap (an arriving segment is cut into the pieces no pending segment covers; the covered parts are compared
//   byte by byte with the buffered copy: first arrival wins among buffered data).
// - wholly old: a retransmission, dropped (a 1-byte segment at nextSeq - 1 is a keep-alive, not counted).
// - partly old: the old part is cut off and counted as an overlap; the rest is in order.
//
// Differing copies of the same bytes (`tcp.overlap_mismatch`) are caught where both copies are at hand: between a
// buffered segment and a new segment (in either order of arrival: the drain compares a pending segment with the
// in-order segment that overtook it), and for a retransmission that repeats exactly (same seq, same length) one of the
// last RECENT_SLOTS delivered segments, by a hash of the segment (of HASH_SAMPLES words spread over it when it is
// longer than 64 bytes). What cannot be compared: retransmissions re-cut at other boundaries, the old part of a partly
// old segment, differences in bytes the sampled hash skips (segments over 64 bytes), and anything older than the last
// RECENT_SLOTS deliveries.
//
// Bytes the capture's snap length cut from an in-order segment are a gap at once (the sink hears of them in place).
//
// A hole is given up on (reported as a gap: `tcp.gap`, counters, sink.streamGap, then resynchronise at the next
// buffered byte) when (a) the peer acknowledges bytes at or beyond the start of the first buffered segment (or the
// FIN): the receiver got the missing bytes, only the capture lost them, they will not come again; (b) buffering the
// next segment would pass a cap (bytes or segments per direction, bytes table-wide); (c) the flow ends (flushPending).
// After a gap the sink gets the buffered data that follows it, in order.
//
// Data beyond a direction's FIN is dropped (`tcp.data_after_fin`); segments more than MAX_SEQ_DISTANCE away from
// nextSeq are dropped (`tcp.bad_seq`). Retransmitted SYNs carry nothing new and fall out as old data.

import type { AnomalyCounter } from '../common/anomaly.js';
import { TCP_FLAG } from '../decode/packet.js';
import type { Direction } from '../protocols/protocol.js';
import { FLOW_ANOMALIES, TCP_STREAM_ANOMALIES } from './anomalies.js';
import type { FlowCounters } from './flow-counters.js';

/** Segments farther than this from the expected sequence number are dropped as implausible. */
export const MAX_SEQ_DISTANCE = 1 << 30;
/**
 * A hole bigger than this is not capture loss but a jump of the sequence space (two connections interleaved on the
 * same ports, a crafted segment): reported as `tcp.seq_jump` and kept out of the missing-bytes total.
 */
export const MAX_PLAUSIBLE_GAP = 16 * 1024 * 1024;
/** Delivered segments remembered (seq, length, hash) to catch exact retransmissions with different bytes. */
export const RECENT_SLOTS = 2;
/** 4-byte words sampled by the hash of a remembered segment (segments up to 4 * HASH_SAMPLES bytes: every byte). */
export const HASH_SAMPLES = 16;

const A = TCP_STREAM_ANOMALIES.codes;

/** Where reassembled bytes and gaps go. */
export interface StreamSink<O> {
  /** Bytes buf[off, end) continue the stream; the view is borrowed for the duration of the call. */
  streamData(stream: TcpStream<O>, buf: Uint8Array, off: number, end: number, ts: number): void;
  /** `bytes` of the stream were never seen; the next streamData starts after the hole. */
  streamGap(stream: TcpStream<O>, bytes: number, ts: number): void;
}

/** Shared by every stream of a table: sink, counters, caps and the table-wide buffered byte count. */
export class ReassemblyEnv<O> {
  bufferedTotal = 0;

  constructor(
    readonly sink: StreamSink<O>,
    readonly counters: FlowCounters,
    readonly anomalies: AnomalyCounter,
    readonly maxBytesPerDirection: number,
    readonly maxSegmentsPerDirection: number,
    readonly maxBytesTotal: number,
  ) {}
}

class PendingSegment {
  next: PendingSegment | null = null;

  constructor(
    readonly seq: number,
    readonly data: Uint8Array,
  ) {}
}

function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/**
 * A 32-bit hash of a segment: little-endian words of 4 bytes, in two interleaved multiply-xor lanes (short dependency
 * chains). Segments up to HASH_SAMPLES * 4 bytes are hashed whole; longer ones through HASH_SAMPLES evenly spread words
 * (the last always included).
 */
export function sampleHash(buf: Uint8Array, off: number, end: number): number {
  const len = end - off;
  let h0 = len | 0;
  let h1 = 0x9e3779b9 | 0;
  if (len <= HASH_SAMPLES * 4) {
    let i = off;
    for (; i + 8 <= end; i += 8) {
      h0 = Math.imul(h0 ^ (buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24)), 0x01000193);
      h1 = Math.imul(h1 ^ (buf[i + 4] | (buf[i + 5] << 8) | (buf[i + 6] << 16) | (buf[i + 7] << 24)), 0x01000193);
    }
    for (; i < end; i++) h0 = Math.imul(h0 ^ buf[i], 0x01000193);
  } else {
    // Word k starts at off + floor((k + 1) * (len - 4) / HASH_SAMPLES), in 24.8 fixed point.
    const step = Math.floor(((len - 4) * 256) / HASH_SAMPLES);
    let pos = step;
    for (let k = 0; k < HASH_SAMPLES; k += 2) {
      const a = off + (pos >>> 8);
      const b = off + ((pos + step) >>> 8);
      pos += 2 * step;
      h0 = Math.imul(h0 ^ (buf[a] | (buf[a + 1] << 8) | (buf[a + 2] << 16) | (buf[a + 3] << 24)), 0x01000193);
      h1 = Math.imul(h1 ^ (buf[b] | (buf[b + 1] << 8) | (buf[b + 2] << 16) | (buf[b + 3] << 24)), 0x01000193);
    }
    h0 = Math.imul(h0 ^ (buf[end - 4] | (buf[end - 3] << 8) | (buf[end - 2] << 16) | (buf[end - 1] << 24)), 0x01000193);
  }
  return Math.imul(h0 ^ (h1 >>> 15), 0x85ebca6b) ^ h1;
}

export class TcpStream<O> {
  /** True once nextSeq is known (from a SYN, or from the first segment mid-stream). */
  seqKnown = false;
  synSeen = false;
  isn = 0;
  nextSeq = 0;
  finSeen = false;
  /** Sequence number of the FIN (the byte after the last data byte). */
  finSeq = 0;
  peerAckKnown = false;
  /** Highest plausible acknowledgment the peer sent for this direction. */
  peerAck = 0;
  pendingHead: PendingSegment | null = null;
  pendingBytes = 0;
  pendingCount = 0;
  // The last RECENT_SLOTS delivered segments (fields, not an array: one object less to reach per packet); r0 is newest.
  private r0Seq = 0;
  private r0Len = 0;
  private r0Hash = 0;
  private r1Seq = 0;
  private r1Len = 0;
  private r1Hash = 0;
  gaps = 0;
  gapBytes = 0;
  retransmissions = 0;
  overlapMismatches = 0;

  constructor(
    readonly owner: O,
    readonly dir: Direction,
  ) {}

  /** True when every byte up to the FIN has been delivered or declared lost. */
  get finished(): boolean {
    return this.finSeen && seqDiff(this.nextSeq, this.finSeq) >= 0;
  }

  /**
   * One segment sent in this direction: payload buf[off, end), followed by `cut` more bytes on the wire that the
   * capture's snap length dropped (a gap right after the captured bytes when they are in order).
   */
  segment(
    env: ReassemblyEnv<O>,
    seq: number,
    flags: number,
    buf: Uint8Array,
    off: number,
    end: number,
    ts: number,
    cut = 0,
  ): void {
    seq |= 0;
    if ((flags & TCP_FLAG.SYN) !== 0) {
      if (!this.seqKnown) {
        this.seqKnown = true;
        this.synSeen = true;
        this.isn = seq;
        this.nextSeq = (seq + 1) | 0;
        if (end > off) env.anomalies.add(A.syn_with_data);
      }
      seq = (seq + 1) | 0;
    } else if (!this.seqKnown) {
      this.seqKnown = true;
      this.nextSeq = seq;
      env.counters.midstreamPickups++;
    }
    const before = this.nextSeq;
    if (end > off) this.data(env, seq, buf, off, end, ts);
    // The cut bytes follow this segment's captured ones: a gap only when those were just delivered (or were none).
    if (cut > 0 && this.nextSeq === ((seq + (end - off)) | 0) && (this.nextSeq !== before || end === off)) {
      this.reportGap(env, cut, ts);
      this.nextSeq = (this.nextSeq + cut) | 0;
      if (this.pendingHead !== null) this.drain(env, null, 0, 0, 0, ts);
    }
    if ((flags & TCP_FLAG.FIN) !== 0 && !this.finSeen) {
      this.finSeen = true;
      this.finSeq = (seq + (end - off) + cut) | 0;
      if (this.peerAckKnown) this.checkAck(env, ts);
    }
  }

  /** An acknowledgment the peer sent (it acknowledges this direction's bytes). */
  peerAcked(env: ReassemblyEnv<O>, ack: number, ts: number): void {
    if (!this.seqKnown) return;
    ack |= 0;
    const d = seqDiff(ack, this.nextSeq);
    if (d <= 0 || d > MAX_SEQ_DISTANCE) return;
    if (!this.peerAckKnown || seqDiff(ack, this.peerAck) > 0) {
      this.peerAck = ack;
      this.peerAckKnown = true;
    }
    if (this.pendingHead !== null || this.finSeen) this.checkAck(env, ts);
  }

  /** End of the flow: every hole left is a gap; the buffered data after each is delivered. */
  flushPending(env: ReassemblyEnv<O>, ts: number): void {
    while (this.pendingHead !== null) this.skipToPending(env, ts);
  }

  /** Frees buffered data (returns it to the table-wide budget). */
  release(env: ReassemblyEnv<O>): void {
    env.bufferedTotal -= this.pendingBytes;
    this.pendingHead = null;
    this.pendingBytes = 0;
    this.pendingCount = 0;
  }

  private data(env: ReassemblyEnv<O>, seq: number, buf: Uint8Array, off: number, end: number, ts: number): void {
    if (this.finSeen) {
      const over = seqDiff((seq + (end - off)) | 0, this.finSeq);
      if (over > 0) {
        env.anomalies.add(A.data_after_fin);
        if (over >= end - off) return;
        end -= over;
      }
    }
    const len = end - off;
    const d = seqDiff(seq, this.nextSeq);
    if (d > MAX_SEQ_DISTANCE || d < -MAX_SEQ_DISTANCE) {
      env.anomalies.add(A.bad_seq);
      return;
    }
    if (d + len <= 0) {
      this.old(env, seq, d, buf, off, end);
      return;
    }
    if (d > 0) {
      this.buffer(env, seq, buf, off, end, ts);
      return;
    }
    if (d < 0) {
      env.counters.overlaps++;
      off -= d;
      seq = this.nextSeq;
    }
    this.deliver(env, seq, buf, off, end, ts);
    if (this.pendingHead !== null) this.drain(env, buf, seq, off, end, ts);
  }

  /** Wholly old data: a keep-alive, or a retransmission compared with the recent deliveries when it repeats one. */
  private old(env: ReassemblyEnv<O>, seq: number, d: number, buf: Uint8Array, off: number, end: number): void {
    const len = end - off;
    if (len === 1 && d === -1) return;
    this.retransmissions++;
    env.counters.retransmissions++;
    let hash: number;
    if (this.r0Len === len && this.r0Seq === seq) hash = this.r0Hash;
    else if (this.r1Len === len && this.r1Seq === seq) hash = this.r1Hash;
    else return;
    if (hash !== sampleHash(buf, off, end)) this.mismatch(env);
  }

  private deliver(env: ReassemblyEnv<O>, seq: number, buf: Uint8Array, off: number, end: number, ts: number): void {
    const len = end - off;
    this.r1Seq = this.r0Seq;
    this.r1Len = this.r0Len;
    this.r1Hash = this.r0Hash;
    this.r0Seq = seq;
    this.r0Len = len;
    this.r0Hash = sampleHash(buf, off, end);
    this.nextSeq = (this.nextSeq + len) | 0;
    env.sink.streamData(this, buf, off, end, ts);
  }

  /**
   * Delivers the buffered segments nextSeq has reached. `dBuf[dOff, dEnd)` holds the bytes just delivered from
   * sequence dSeq (null after a gap): buffered bytes they overtook are compared with them.
   */
  private drain(env: ReassemblyEnv<O>, dBuf: Uint8Array | null, dSeq: number, dOff: number, dEnd: number, ts: number): void {
    let p = this.pendingHead;
    while (p !== null && seqDiff(p.seq, this.nextSeq) <= 0) {
      const plen = p.data.length;
      const covered = seqDiff(this.nextSeq, p.seq);
      if (covered > 0) {
        env.counters.overlaps++;
        if (dBuf !== null) {
          // Intersection of p's covered part [p.seq, p.seq + min(covered, plen)) with [dSeq, dSeq + dLen).
          const at = seqDiff(p.seq, dSeq);
          const from = at > 0 ? at : 0;
          const to = Math.min(at + Math.min(covered, plen), dEnd - dOff);
          for (let x = from; x < to; x++) {
            if (dBuf[dOff + x] !== p.data[x - at]) {
              this.mismatch(env);
              break;
            }
          }
        }
      }
      this.pendingHead = p.next;
      this.pendingBytes -= plen;
      this.pendingCount--;
      env.bufferedTotal -= plen;
      if (covered < plen) this.deliver(env, (p.seq + covered) | 0, p.data, covered, plen, ts);
      p = this.pendingHead;
    }
  }

  /** A segment ahead of nextSeq: copy it into the pending list, within the caps. */
  private buffer(env: ReassemblyEnv<O>, seq: number, buf: Uint8Array, off: number, end: number, ts: number): void {
    env.counters.outOfOrder++;
    const len = end - off;
    if (this.overCap(env, len)) {
      env.counters.bufferCapHits++;
      env.anomalies.add(
        env.bufferedTotal + len > env.maxBytesTotal ? FLOW_ANOMALIES.codes.buffer_cap : A.out_of_order_cap,
      );
      while (this.pendingHead !== null && this.overCap(env, len) && seqDiff(this.pendingHead.seq, seq) < 0) {
        this.skipToPending(env, ts);
      }
      if (seqDiff(seq, this.nextSeq) <= 0) {
        this.data(env, seq, buf, off, end, ts);
        return;
      }
      if (this.overCap(env, len)) {
        // Nothing buffered before this segment and still no room: give up the hole up to it and deliver it as is.
        this.reportGap(env, seqDiff(seq, this.nextSeq), ts);
        this.nextSeq = seq;
        this.deliver(env, seq, buf, off, end, ts);
        if (this.pendingHead !== null) this.drain(env, buf, seq, off, end, ts);
        return;
      }
    }
    this.insert(env, seq, buf, off, end);
    if (this.peerAckKnown) this.checkAck(env, ts);
  }

  private overCap(env: ReassemblyEnv<O>, len: number): boolean {
    return (
      this.pendingBytes + len > env.maxBytesPerDirection ||
      this.pendingCount >= env.maxSegmentsPerDirection ||
      env.bufferedTotal + len > env.maxBytesTotal
    );
  }

  /** Inserts the parts of [seq, seq + len) no pending segment covers; compares the parts one does. */
  private insert(env: ReassemblyEnv<O>, seq: number, buf: Uint8Array, off: number, end: number): void {
    const e = (seq + (end - off)) | 0;
    let prev: PendingSegment | null = null;
    let p = this.pendingHead;
    while (p !== null && seqDiff((p.seq + p.data.length) | 0, seq) <= 0) {
      prev = p;
      p = p.next;
    }
    let cur = seq;
    let added = 0;
    let overlapped = false;
    let mismatched = false;
    while (seqDiff(e, cur) > 0) {
      if (p === null || seqDiff(p.seq, e) >= 0) {
        this.link(env, prev, p, cur, buf, off + seqDiff(cur, seq), end);
        added++;
        break;
      }
      if (seqDiff(p.seq, cur) > 0) {
        this.link(env, prev, p, cur, buf, off + seqDiff(cur, seq), off + seqDiff(p.seq, seq));
        added++;
        cur = p.seq;
      }
      const pEnd = (p.seq + p.data.length) | 0;
      const overlapEnd = seqDiff(pEnd, e) < 0 ? pEnd : e;
      overlapped = true;
      if (!mismatched) {
        const n = seqDiff(overlapEnd, cur);
        const a = off + seqDiff(cur, seq);
        const b = seqDiff(cur, p.seq);
        for (let i = 0; i < n; i++) {
          if (buf[a + i] !== p.data[b + i]) {
            mismatched = true;
            break;
          }
        }
      }
      cur = overlapEnd;
      prev = p;
      p = p.next;
    }
    if (overlapped) {
      if (added === 0) {
        this.retransmissions++;
        env.counters.retransmissions++;
      } else {
        env.counters.overlaps++;
      }
    }
    if (mismatched) this.mismatch(env);
  }

  private link(
    env: ReassemblyEnv<O>,
    prev: PendingSegment | null,
    next: PendingSegment | null,
    seq: number,
    buf: Uint8Array,
    from: number,
    to: number,
  ): PendingSegment {
    const node = new PendingSegment(seq, buf.slice(from, to));
    node.next = next;
    if (prev === null) this.pendingHead = node;
    else prev.next = node;
    const n = to - from;
    this.pendingBytes += n;
    this.pendingCount++;
    env.bufferedTotal += n;
    return node;
  }

  /** Gives up the holes the peer's acknowledgment proves the capture lost. */
  private checkAck(env: ReassemblyEnv<O>, ts: number): void {
    for (;;) {
      if (seqDiff(this.peerAck, this.nextSeq) <= 0) return;
      const p = this.pendingHead;
      if (p === null && !this.finSeen) return;
      const target = p !== null ? p.seq : this.finSeq;
      if (seqDiff(this.peerAck, target) < 0 || seqDiff(target, this.nextSeq) <= 0) return;
      if (p !== null) {
        this.skipToPending(env, ts);
      } else {
        this.reportGap(env, seqDiff(target, this.nextSeq), ts);
        this.nextSeq = target;
      }
    }
  }

  /** Declares the hole before the first pending segment lost and delivers what follows it. */
  private skipToPending(env: ReassemblyEnv<O>, ts: number): void {
    const p = this.pendingHead!;
    const gap = seqDiff(p.seq, this.nextSeq);
    if (gap > 0) {
      this.reportGap(env, gap, ts);
      this.nextSeq = p.seq;
    }
    this.drain(env, null, 0, 0, 0, ts);
  }

  private reportGap(env: ReassemblyEnv<O>, bytes: number, ts: number): void {
    if (bytes > MAX_PLAUSIBLE_GAP) {
      env.counters.seqJumps++;
      env.anomalies.add(A.seq_jump);
      env.sink.streamGap(this, bytes, ts);
      return;
    }
    this.gaps++;
    this.gapBytes += bytes;
    env.counters.gaps++;
    env.counters.gapBytes += bytes;
    env.anomalies.add(A.gap);
    env.sink.streamGap(this, bytes, ts);
  }

  private mismatch(env: ReassemblyEnv<O>): void {
    this.overlapMismatches++;
    env.counters.overlapMismatches++;
    env.anomalies.add(A.overlap_mismatch);
  }
}

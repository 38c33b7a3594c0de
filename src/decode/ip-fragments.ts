// IPv4 (RFC 791 §3.2) and IPv6 (RFC 8200 §4.5) fragment reassembly: the only stateful part of decoding.
//
// Each datagram under reassembly keeps its received data as sorted, non-overlapping pieces (copies: the frame
// buffers are borrowed). A new fragment fills only the holes between held pieces, so the first data wins, as most
// operating systems do; the overlapped bytes are compared so that a rewrite with different data (an IDS evasion
// trick) is told apart from a plain duplicate. The datagram completes when its last fragment (MF = 0) has fixed
// the length and the pieces cover every byte before it. Time is capture time, never the wall clock. Every resource
// is capped (datagrams, bytes held, fragments per datagram, datagram size); hitting a cap drops state and is counted.

import type { AnomalyCounter } from '../common/anomaly.js';
import { FRAG } from './anomalies.js';
import type { DecodeCounters } from './counters.js';

/** Largest reassembled payload (IPv4 total length / IPv6 payload length is 16 bits). */
export const MAX_DATAGRAM_BYTES = 65535;
export const MAX_FRAGMENTS_PER_DATAGRAM = 1024;
export const DEFAULT_FRAGMENT_TIMEOUT_SEC = 30;
export const DEFAULT_MAX_FRAGMENT_DATAGRAMS = 4096;
export const DEFAULT_MAX_FRAGMENT_BYTES = 16 * 1024 * 1024;

export interface FragmentLimits {
  timeoutSec: number;
  maxDatagrams: number;
  maxBytes: number;
}

class Piece {
  constructor(
    readonly start: number,
    readonly end: number,
    readonly data: Uint8Array,
  ) {}
}

class Datagram {
  readonly pieces: Piece[] = [];
  fragments = 0;
  /** Bytes held in pieces. */
  bytes = 0;
  /** End of the datagram, known once the last fragment arrived; -1 before. */
  totalLength = -1;
  /** Upper-layer protocol (IPv4 protocol / IPv6 next header of the offset-0 fragment); -1 until seen. */
  proto = -1;

  constructor(
    readonly key: string,
    readonly firstSeen: number,
  ) {}
}

export class FragmentReassembler {
  private readonly datagrams = new Map<string, Datagram>();
  private bytesHeld = 0;
  private lastExpire = -Infinity;
  /** Protocol of the datagram the last add() completed. */
  completedProto = -1;

  constructor(
    private readonly anomalies: AnomalyCounter,
    private readonly counters: DecodeCounters,
    private readonly limits: FragmentLimits,
  ) {}

  /** Datagrams under reassembly. */
  get pending(): number {
    return this.datagrams.size;
  }

  /** Bytes held for reassembly. */
  get bytes(): number {
    return this.bytesHeld;
  }

  /**
   * Adds the data buf[start, end) of one fragment at `offset` bytes into the datagram `key`. `proto` is the upper
   * protocol this fragment names (meaningful on the offset-0 fragment). Returns the whole datagram's data (a fresh
   * buffer) when this fragment completes it, else null.
   */
  add(key: string, offset: number, more: boolean, proto: number, buf: Uint8Array, start: number, end: number, ts: number): Uint8Array | null {
    if (ts - this.lastExpire >= 1) this.expire(ts);
    const length = end - start;
    const dataEnd = offset + length;
    let dg = this.datagrams.get(key);
    if (dataEnd > MAX_DATAGRAM_BYTES) {
      this.anomalies.add(FRAG.codes.too_large);
      if (dg !== undefined) this.drop(dg);
      return null;
    }
    if (more && (length === 0 || (length & 7) !== 0)) {
      this.anomalies.add(FRAG.codes.bad_length);
      return null;
    }
    if (dg === undefined) {
      while (this.datagrams.size >= this.limits.maxDatagrams && this.dropOldest(null)) {
        this.anomalies.add(FRAG.codes.too_many_datagrams);
      }
      dg = new Datagram(key, ts);
      this.datagrams.set(key, dg);
    }
    if (++dg.fragments > MAX_FRAGMENTS_PER_DATAGRAM) {
      this.anomalies.add(FRAG.codes.too_many_fragments);
      this.drop(dg);
      return null;
    }
    if (!more) {
      const lastPiece = dg.pieces.length > 0 ? dg.pieces[dg.pieces.length - 1] : null;
      if ((dg.totalLength >= 0 && dg.totalLength !== dataEnd) || (lastPiece !== null && lastPiece.end > dataEnd)) {
        this.anomalies.add(FRAG.codes.bad_end);
        this.drop(dg);
        return null;
      }
      dg.totalLength = dataEnd;
    } else if (dg.totalLength >= 0 && dataEnd > dg.totalLength) {
      this.anomalies.add(FRAG.codes.bad_end);
      this.drop(dg);
      return null;
    }
    if (offset === 0) dg.proto = proto;
    if (length > 0 && !this.reserve(dg, length)) return null;
    this.insert(dg, offset, buf, start, end);
    if (dg.totalLength < 0 || dg.bytes !== dg.totalLength) return null;
    return this.complete(dg);
  }

  /** Drops every datagram whose first fragment is older than the timeout at capture time `nowSec`. */
  expire(nowSec: number): void {
    if (Number.isNaN(nowSec)) return;
    this.lastExpire = nowSec;
    const limit = nowSec - this.limits.timeoutSec;
    // Map order is creation order, which is capture-time order unless the capture itself goes back in time.
    for (const dg of this.datagrams.values()) {
      if (dg.firstSeen > limit) break;
      this.anomalies.add(FRAG.codes.timeout);
      this.counters.fragmentTimeouts++;
      this.drop(dg);
    }
  }

  /** Makes room for `length` more bytes under the byte cap; false (and dg dropped) when even dg alone is too big. */
  private reserve(dg: Datagram, length: number): boolean {
    while (this.bytesHeld + length > this.limits.maxBytes) {
      this.anomalies.add(FRAG.codes.too_many_bytes);
      if (!this.dropOldest(dg)) {
        this.drop(dg);
        return false;
      }
    }
    return true;
  }

  /** Copies the parts of [offset, offset + length) not yet held into new pieces; compares the overlapped parts. */
  private insert(dg: Datagram, offset: number, buf: Uint8Array, start: number, end: number): void {
    const pieces = dg.pieces;
    const dataEnd = offset + (end - start);
    let cursor = offset;
    let overlapped = false;
    let mismatch = false;
    let i = 0;
    while (i < pieces.length && pieces[i].end <= offset) i++;
    while (i < pieces.length && cursor < dataEnd) {
      const p = pieces[i];
      if (p.start >= dataEnd) break;
      if (p.start > cursor) {
        pieces.splice(i, 0, this.copy(dg, cursor, p.start, buf, start - offset));
        i++;
      }
      const from = Math.max(cursor, p.start);
      const to = Math.min(dataEnd, p.end);
      if (to > from) {
        overlapped = true;
        if (!mismatch) {
          const held = p.data;
          const heldBase = -p.start;
          const newBase = start - offset;
          for (let k = from; k < to; k++) {
            if (held[heldBase + k] !== buf[newBase + k]) {
              mismatch = true;
              break;
            }
          }
        }
      }
      if (p.end > cursor) cursor = p.end;
      i++;
    }
    if (cursor < dataEnd) pieces.splice(i, 0, this.copy(dg, cursor, dataEnd, buf, start - offset));
    if (overlapped) {
      this.counters.fragmentOverlaps++;
      this.anomalies.add(mismatch ? FRAG.codes.overlap_mismatch : FRAG.codes.overlap);
    }
  }

  /** A piece holding datagram bytes [from, to), read from buf at datagram offset + base. */
  private copy(dg: Datagram, from: number, to: number, buf: Uint8Array, base: number): Piece {
    dg.bytes += to - from;
    this.bytesHeld += to - from;
    return new Piece(from, to, buf.slice(base + from, base + to));
  }

  private complete(dg: Datagram): Uint8Array {
    const out = new Uint8Array(dg.totalLength);
    for (const p of dg.pieces) out.set(p.data, p.start);
    this.completedProto = dg.proto;
    this.forget(dg);
    this.counters.fragmentsReassembled++;
    return out;
  }

  private dropOldest(except: Datagram | null): boolean {
    for (const dg of this.datagrams.values()) {
      if (dg === except) continue;
      this.drop(dg);
      return true;
    }
    return false;
  }

  private drop(dg: Datagram): void {
    this.forget(dg);
    this.counters.fragmentDatagramsDropped++;
  }

  private forget(dg: Datagram): void {
    this.datagrams.delete(dg.key);
    this.bytesHeld -= dg.bytes;
  }
}

// Per-key state over tumbling capture-time windows, capped: the counting behind the rate and sweep detections.
// Records may arrive a little out of time order (a transaction carries its request time, emitted at its answer or
// time-out), so a record older than its key's window start still counts in that window.

export class WindowTable<S extends { readonly start: number }> {
  private readonly map = new Map<string, S>();
  /** Keys refused because the table was full. */
  overflow = 0;

  constructor(
    readonly windowSec: number,
    readonly cap: number,
    private readonly make: (ts: number) => S,
  ) {}

  /** The key's state for a record at `ts`: a new window when the old one has closed; null when the table is full. */
  at(key: string, ts: number): S | null {
    let s = this.map.get(key);
    if (s !== undefined && ts - s.start >= this.windowSec) {
      this.map.delete(key);
      s = undefined;
    }
    if (s === undefined) {
      if (this.map.size >= this.cap) {
        this.overflow++;
        return null;
      }
      s = this.make(ts);
      this.map.set(key, s);
    }
    return s;
  }

  /** Drops the windows closed by `nowSec`. */
  expire(nowSec: number): void {
    for (const [key, s] of this.map) if (nowSec - s.start >= this.windowSec) this.map.delete(key);
  }

  get size(): number {
    return this.map.size;
  }
}

/**
 * A WindowTable keyed by a pair of strings (client, server) held as two map levels: the addresses of a record are the
 * flow's own strings, so looking them up allocates nothing and hashes nothing new (a joined key would do both per record).
 */
export class PairWindowTable<S extends { readonly start: number }> {
  private readonly map = new Map<string, Map<string, S>>();
  private count = 0;
  overflow = 0;

  constructor(
    readonly windowSec: number,
    readonly cap: number,
    private readonly make: (ts: number) => S,
  ) {}

  at(a: string, b: string, ts: number): S | null {
    let inner = this.map.get(a);
    let s = inner?.get(b);
    if (s !== undefined && ts - s.start >= this.windowSec) {
      inner!.delete(b);
      this.count--;
      s = undefined;
    }
    if (s === undefined) {
      if (this.count >= this.cap) {
        this.overflow++;
        return null;
      }
      if (inner === undefined) this.map.set(a, (inner = new Map()));
      s = this.make(ts);
      inner.set(b, s);
      this.count++;
    }
    return s;
  }

  expire(nowSec: number): void {
    for (const [a, inner] of this.map) {
      for (const [b, s] of inner) {
        if (nowSec - s.start < this.windowSec) continue;
        inner.delete(b);
        this.count--;
      }
      if (inner.size === 0) this.map.delete(a);
    }
  }

  get size(): number {
    return this.count;
  }
}

/** Adds `v` to `set` unless it already holds `cap` values; true when `v` is new to the set. */
export function addCapped<T>(set: Set<T>, v: T, cap: number): boolean {
  if (set.has(v) || set.size >= cap) return false;
  set.add(v);
  return true;
}

/** True for IPv4 broadcast-looking (x.x.x.255, 255.255.255.255) and multicast (224-239.x, ff00::/8) addresses. */
export function isGroupAddress(ip: string): boolean {
  if (ip.endsWith('.255')) return true;
  if (ip.startsWith('ff')) return true;
  const dot = ip.indexOf('.');
  if (dot < 0) return false;
  const first = Number(ip.slice(0, dot));
  return first >= 224 && first <= 239;
}

// The pieces compiled rules are made of: the transaction under test with its two hosts and their assets looked up at
// most once (Subject), address sets with CIDR ranges, and the value tests of operations and target fields.
import type { TransactionRecord } from '../../pipeline/detail.js';
import { parseIpv4, parseIpv6 } from '../../inventory/address-class.js';
import { v4Mask, v6Mask, v6Number, type Observable } from '../indicators/indicator.js';
import type { AssetContext, DetectContext } from '../types.js';

export const SRC = 0;
export const DST = 1;
export type Side = typeof SRC | typeof DST;

/**
 * One transaction as rules see it, reused for every record. `src` is the host that sent the (first) message and `dst`
 * the other: the client and the server for requests, the server and the client for unsolicited messages (origin
 * `server`). Assets are looked up only when a rule asks, and once per side.
 */
export class Subject {
  t: TransactionRecord = null as unknown as TransactionRecord;
  ctx: DetectContext = null as unknown as DetectContext;
  src = '';
  dst = '';
  private srcLooked = false;
  private dstLooked = false;
  private srcAsset: AssetContext | null = null;
  private dstAsset: AssetContext | null = null;

  reset(t: TransactionRecord, ctx: DetectContext): void {
    this.t = t;
    this.ctx = ctx;
    if (t.origin === 'server') {
      this.src = t.server.ip;
      this.dst = t.client.ip;
    } else {
      this.src = t.client.ip;
      this.dst = t.server.ip;
    }
    this.srcLooked = false;
    this.dstLooked = false;
    this.srcAsset = null;
    this.dstAsset = null;
  }

  ip(side: Side): string {
    return side === SRC ? this.src : this.dst;
  }

  asset(side: Side): AssetContext | null {
    if (side === SRC) {
      if (!this.srcLooked) {
        this.srcAsset = this.ctx.asset(this.src);
        this.srcLooked = true;
      }
      return this.srcAsset;
    }
    if (!this.dstLooked) {
      this.dstAsset = this.ctx.asset(this.dst);
      this.dstLooked = true;
    }
    return this.dstAsset;
  }

  /** `name` or `name/sub`, as evidence and titles show an operation. */
  operationText(): string {
    const op = this.t.operation;
    return op.sub !== undefined ? `${op.name}/${op.sub.name}` : op.name;
  }
}

export type Test = (s: Subject) => boolean;

/** Exact addresses (canonical text, as the pipeline writes them) and CIDR ranges. */
export class IpSet {
  private readonly exact = new Set<string>();
  private readonly v4: { network: number; mask: number }[] = [];
  private readonly v6: { network: bigint; mask: bigint }[] = [];

  add(o: Observable): void {
    if (o.kind === 'ipv4' || o.kind === 'ipv6') this.exact.add(o.value);
    else if (o.kind === 'cidr4') this.v4.push({ network: o.network, mask: v4Mask(o.prefix) });
    else if (o.kind === 'cidr6') this.v6.push({ network: o.network, mask: v6Mask(o.prefix) });
  }

  has(ip: string): boolean {
    if (this.exact.has(ip)) return true;
    if (this.v4.length > 0 && !ip.includes(':')) {
      const n = parseIpv4(ip);
      if (n < 0) return false;
      for (const r of this.v4) if (((n & r.mask) >>> 0) === r.network) return true;
      return false;
    }
    if (this.v6.length > 0 && ip.includes(':')) {
      const g = parseIpv6(ip);
      if (g === null) return false;
      const n = v6Number(g);
      for (const r of this.v6) if ((n & r.mask) === r.network) return true;
    }
    return false;
  }
}

/** Operation names: a plain name matches the operation or its sub-function; `name/sub` matches both together. */
export class OperationSet {
  private readonly plain = new Set<string>();
  private readonly pairs = new Map<string, Set<string>>();

  add(name: string): void {
    const slash = name.indexOf('/');
    if (slash < 0) {
      this.plain.add(name);
      return;
    }
    const op = name.slice(0, slash);
    let subs = this.pairs.get(op);
    if (subs === undefined) this.pairs.set(op, (subs = new Set()));
    subs.add(name.slice(slash + 1));
  }

  has(op: TransactionRecord['operation']): boolean {
    if (this.plain.has(op.name)) return true;
    const sub = op.sub;
    if (sub === undefined) return false;
    if (this.plain.has(sub.name)) return true;
    if (this.pairs.size === 0) return false;
    const subs = this.pairs.get(op.name);
    return subs !== undefined && subs.has(sub.name);
  }
}

export interface Range {
  readonly min: number;
  readonly max: number;
}

/** A target field's value test: one value, any of a list, or a numeric range (bounds included). */
export function valueTest(v: string | number | boolean | readonly (string | number)[] | Range): (x: unknown) => boolean {
  if (Array.isArray(v)) {
    const set = new Set<unknown>(v);
    return (x) => set.has(x);
  }
  if (typeof v === 'object') {
    const { min, max } = v as Range;
    return (x) => typeof x === 'number' && x >= min && x <= max;
  }
  return (x) => x === v;
}

/**
 * An address range over the items a transaction addresses: `address` to `address + count - 1` when the target has a
 * count (a write of 20 registers from 90 touches 100), else `address` alone.
 */
export function addressRangeTest(r: Range): (target: TransactionRecord['target']) => boolean {
  const { min, max } = r;
  return (target) => {
    const a = target.address;
    if (typeof a !== 'number') return false;
    const c = target.count;
    const last = typeof c === 'number' && c > 1 ? a + c - 1 : a;
    return a <= max && last >= min;
  };
}

/** A case-insensitive substring test (vendor and model names vary in case and suffix: `Siemens AG`). */
export function containsTest(words: readonly string[]): (x: string) => boolean {
  const re = new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'i');
  return (x) => re.test(x);
}

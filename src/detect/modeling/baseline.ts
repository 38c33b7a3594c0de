// The learned model of normal traffic the modeling detections compare against: hosts, edges (client, server, server
// port, protocol) with their operations and polls, masters per (server, protocol), written address ranges. Plain data
// with caps, stored as versioned JSON (docs/modeling.md); the analyst extends it ("learn this") or resets it.
import { ACCESS, type Access } from '../../protocols/operation.js';

export const BASELINE_VERSION = 1;
/** One hour covers the slow cycles of most plants (trend reads, historian pulls) without waiting a shift to detect. */
export const DEFAULT_LEARN_SECONDS = 3600;

/** Intervals a poll needs before its rate is judged: fewer give a mean that one late answer moves by 10 %+. */
export const MIN_POLL_INTERVALS = 10;

export interface BaselineCaps {
  hosts: number;
  edges: number;
  /** Distinct operation names per edge. */
  operations: number;
  /** (server, protocol, client) master entries. */
  masters: number;
  /** (server, protocol, unit, area) write ranges. */
  writes: number;
  /** (edge, operation, target) polls with interval statistics. */
  polls: number;
}

export const DEFAULT_BASELINE_CAPS: Readonly<BaselineCaps> = {
  hosts: 100_000,
  edges: 100_000,
  operations: 256,
  masters: 100_000,
  writes: 100_000,
  polls: 100_000,
};

/** What was seen but not learned because a cap was full, per table. */
export type NotLearned = Record<keyof BaselineCaps, number>;

const ACCESS_BIT: Readonly<Record<string, number>> = Object.fromEntries(ACCESS.map((a, i) => [a, 1 << i]));

export function accessBit(access: string): number {
  return ACCESS_BIT[access] ?? ACCESS_BIT.other;
}

export function accessNames(mask: number): Access[] {
  return ACCESS.filter((_, i) => (mask & (1 << i)) !== 0);
}

/** Interval statistics of one poll (Welford's online mean and variance). */
export class PollStats {
  intervals = 0;
  mean = 0;
  m2 = 0;
  // Run state, never stored: the last request time and the current streak of deviating intervals.
  last = Number.NaN;
  streak = 0;
  streakMean = 0;
  streakM2 = 0;
  stopped = false;
  watched = false;
  readonly key: string;

  constructor(
    readonly operation: string,
    readonly unit: number | undefined,
    readonly area: string | undefined,
    readonly address: number | undefined,
    readonly count: number | undefined,
  ) {
    this.key = pollKey(operation, unit, area, address, count);
  }

  add(dt: number): void {
    this.intervals++;
    const d = dt - this.mean;
    this.mean += d / this.intervals;
    this.m2 += d * (dt - this.mean);
  }

  get sd(): number {
    return this.intervals > 1 ? Math.sqrt(this.m2 / (this.intervals - 1)) : 0;
  }

  clearRun(): void {
    this.last = Number.NaN;
    this.streak = 0;
    this.streakMean = 0;
    this.streakM2 = 0;
    this.stopped = false;
    this.watched = false;
  }
}

export function pollKey(operation: string, unit: unknown, area: unknown, address: unknown, count: unknown): string {
  return `${operation}|${typeof unit === 'number' ? unit : ''}|${typeof area === 'string' ? area : ''}|${typeof address === 'number' ? address : ''}|${typeof count === 'number' ? count : ''}`;
}

type PollIndex = Map<string, Map<string, Map<number, Map<number, Map<number, PollStats>>>>>;

export class EdgeModel {
  /** Operation name (`name/sub` with a sub-function) → bit set of access classes seen. */
  readonly operations = new Map<string, number>();
  /** pollKey() → statistics. */
  readonly polls = new Map<string, PollStats>();
  /** The same polls by operation, area, unit, address, count: found per transaction without building a key. */
  readonly pollIndex: PollIndex = new Map();

  findPoll(op: string, unit: unknown, area: unknown, address: unknown, count: unknown): PollStats | undefined {
    return this.pollIndex
      .get(op)
      ?.get(typeof area === 'string' ? area : '')
      ?.get(typeof unit === 'number' ? unit : -1)
      ?.get(typeof address === 'number' ? address : -1)
      ?.get(typeof count === 'number' ? count : -1);
  }

  indexPoll(p: PollStats, remove: boolean): void {
    let byArea = this.pollIndex.get(p.operation);
    if (byArea === undefined) this.pollIndex.set(p.operation, (byArea = new Map()));
    let byUnit = byArea.get(p.area ?? '');
    if (byUnit === undefined) byArea.set(p.area ?? '', (byUnit = new Map()));
    let byAddress = byUnit.get(p.unit ?? -1);
    if (byAddress === undefined) byUnit.set(p.unit ?? -1, (byAddress = new Map()));
    let byCount = byAddress.get(p.address ?? -1);
    if (byCount === undefined) byAddress.set(p.address ?? -1, (byCount = new Map()));
    if (remove) byCount.delete(p.count ?? -1);
    else byCount.set(p.count ?? -1, p);
  }

  constructor(
    readonly client: string,
    readonly server: string,
    readonly port: number,
    readonly protocol: string,
    public transport: string | null,
  ) {}
}

export interface WriteRange {
  readonly protocol: string;
  readonly unit: number | undefined;
  readonly area: string | undefined;
  /** Lowest and highest address written; null when writes to the area carried no address. */
  min: number | null;
  max: number | null;
}

export function writeKey(protocol: string, unit: unknown, area: unknown): string {
  return `${protocol}|${typeof unit === 'number' ? unit : ''}|${typeof area === 'string' ? area : ''}`;
}

/** A stored baseline that is not one: wrong version, wrong shape. `path` names the offending field. */
export class BaselineFormatError extends Error {
  readonly code = 'baseline.invalid';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`baseline ${path}: ${message}`);
    this.name = 'BaselineFormatError';
  }
}

export interface BaselineJson {
  version: number;
  complete: boolean;
  learn_seconds: number;
  learn_start: number | null;
  hosts: string[];
  edges: {
    client: string;
    server: string;
    port: number;
    protocol: string;
    transport: string | null;
    operations: { name: string; access: string[] }[];
    polls: { operation: string; unit?: number; area?: string; address?: number; count?: number; intervals: number; mean: number; m2: number }[];
  }[];
  masters: { server: string; protocol: string; clients: string[] }[];
  writes: { server: string; protocol: string; unit?: number; area?: string; min: number | null; max: number | null }[];
  not_learned: NotLearned;
}

type PairMap = Map<string, Map<string, Map<number, Map<string, EdgeModel>>>>;

export class Baseline {
  /** The learning window is over: everything new is a deviation. */
  complete = false;
  learnSeconds: number;
  /** Capture time the learning window started at, null before the first record. */
  learnStart: number | null = null;
  readonly caps: Readonly<BaselineCaps>;
  readonly hosts = new Set<string>();
  /** client → server → server port → protocol → edge. */
  readonly pairs: PairMap = new Map();
  /** server → protocol → clients that sent it requests. */
  readonly masters = new Map<string, Map<string, Set<string>>>();
  /** server → writeKey(protocol, unit, area) → range. */
  readonly writes = new Map<string, Map<string, WriteRange>>();
  readonly notLearned: NotLearned = { hosts: 0, edges: 0, operations: 0, masters: 0, writes: 0, polls: 0 };
  private edgeCount = 0;
  private masterCount = 0;
  private writeCount = 0;
  private pollCount = 0;

  constructor(options: { learnSeconds?: number; caps?: Partial<BaselineCaps> } = {}) {
    this.learnSeconds = options.learnSeconds ?? DEFAULT_LEARN_SECONDS;
    this.caps = { ...DEFAULT_BASELINE_CAPS, ...options.caps };
  }

  get size(): { hosts: number; edges: number; masters: number; writes: number; polls: number } {
    return { hosts: this.hosts.size, edges: this.edgeCount, masters: this.masterCount, writes: this.writeCount, polls: this.pollCount };
  }

  addHost(ip: string): boolean {
    if (this.hosts.has(ip)) return true;
    if (this.hosts.size >= this.caps.hosts) {
      this.notLearned.hosts++;
      return false;
    }
    this.hosts.add(ip);
    return true;
  }

  hasPair(client: string, server: string): boolean {
    return this.pairs.get(client)?.has(server) ?? false;
  }

  edge(client: string, server: string, port: number, protocol: string): EdgeModel | undefined {
    return this.pairs.get(client)?.get(server)?.get(port)?.get(protocol);
  }

  /** Any edge of the pair on this server port, whatever its protocol. */
  hasPort(client: string, server: string, port: number): boolean {
    return this.pairs.get(client)?.get(server)?.has(port) ?? false;
  }

  addEdge(client: string, server: string, port: number, protocol: string, transport: string | null): EdgeModel | null {
    let servers = this.pairs.get(client);
    let ports = servers?.get(server);
    let protocols = ports?.get(port);
    const e = protocols?.get(protocol);
    if (e !== undefined) {
      if (e.transport === null && transport !== null) e.transport = transport;
      return e;
    }
    if (this.edgeCount >= this.caps.edges) {
      this.notLearned.edges++;
      return null;
    }
    if (servers === undefined) this.pairs.set(client, (servers = new Map()));
    if (ports === undefined) servers.set(server, (ports = new Map()));
    if (protocols === undefined) ports.set(port, (protocols = new Map()));
    const edge = new EdgeModel(client, server, port, protocol, transport);
    protocols.set(protocol, edge);
    this.edgeCount++;
    return edge;
  }

  addOperation(edge: EdgeModel, name: string, access: string): boolean {
    const bits = edge.operations.get(name);
    const bit = accessBit(access);
    if (bits !== undefined) {
      edge.operations.set(name, bits | bit);
      return true;
    }
    if (edge.operations.size >= this.caps.operations) {
      this.notLearned.operations++;
      return false;
    }
    edge.operations.set(name, bit);
    return true;
  }

  /** The poll's statistics, created (under the cap) when new. */
  poll(edge: EdgeModel, op: string, unit: unknown, area: unknown, address: unknown, count: unknown): PollStats | undefined {
    const p = edge.findPoll(op, unit, area, address, count);
    if (p !== undefined) return p;
    if (this.pollCount >= this.caps.polls) {
      this.notLearned.polls++;
      return undefined;
    }
    const created = new PollStats(op, numberOr(unit), stringOr(area), numberOr(address), numberOr(count));
    edge.polls.set(created.key, created);
    edge.indexPoll(created, false);
    this.pollCount++;
    return created;
  }

  removePoll(edge: EdgeModel, key: string): boolean {
    const p = edge.polls.get(key);
    if (p === undefined) return false;
    edge.polls.delete(key);
    edge.indexPoll(p, true);
    this.pollCount--;
    return true;
  }

  isMaster(server: string, protocol: string, client: string): boolean {
    return this.masters.get(server)?.get(protocol)?.has(client) ?? false;
  }

  addMaster(server: string, protocol: string, client: string): boolean {
    let byProtocol = this.masters.get(server);
    let clients = byProtocol?.get(protocol);
    if (clients?.has(client)) return true;
    if (this.masterCount >= this.caps.masters) {
      this.notLearned.masters++;
      return false;
    }
    if (byProtocol === undefined) this.masters.set(server, (byProtocol = new Map()));
    if (clients === undefined) byProtocol.set(protocol, (clients = new Set()));
    clients.add(client);
    this.masterCount++;
    return true;
  }

  writeRange(server: string, key: string): WriteRange | undefined {
    return this.writes.get(server)?.get(key);
  }

  /** Widens the (server, protocol, unit, area) range to [start, end] (null: a write without an address). */
  addWrite(server: string, protocol: string, unit: unknown, area: unknown, start: number | null, end: number | null): boolean {
    const key = writeKey(protocol, unit, area);
    let ranges = this.writes.get(server);
    let r = ranges?.get(key);
    if (r === undefined) {
      if (this.writeCount >= this.caps.writes) {
        this.notLearned.writes++;
        return false;
      }
      if (ranges === undefined) this.writes.set(server, (ranges = new Map()));
      r = { protocol, unit: numberOr(unit), area: stringOr(area), min: null, max: null };
      ranges.set(key, r);
      this.writeCount++;
    }
    if (start !== null && end !== null) {
      if (r.min === null || start < r.min) r.min = start;
      if (r.max === null || end > r.max) r.max = end;
    }
    return true;
  }

  /**
   * "Learn this": adds what a modeling alert reported (its facts) to the baseline, with everything it hangs on (an
   * operation brings its edge and hosts). False when the facts are not a modeling alert's or a cap is full.
   */
  learn(facts: Readonly<Record<string, unknown>>): boolean {
    const f = facts;
    const str = (k: string): string | null => (typeof f[k] === 'string' ? (f[k] as string) : null);
    const num = (k: string): number | null => (typeof f[k] === 'number' && Number.isFinite(f[k]) ? (f[k] as number) : null);
    switch (f.change) {
      case 'asset': {
        const ip = str('ip');
        return ip !== null && this.addHost(ip);
      }
      case 'edge':
      case 'protocol':
      case 'operation':
      case 'master': {
        const client = str('client');
        const server = str('server');
        const protocol = str('protocol');
        const port = num('port');
        if (client === null || server === null || protocol === null || port === null) return false;
        if (!this.addHost(client) || !this.addHost(server)) return false;
        const edge = this.addEdge(client, server, port, protocol, str('transport'));
        if (edge === null) return false;
        let ok = true;
        const ops: unknown[] = Array.isArray(f.operations) ? [...(f.operations as unknown[])] : [];
        if (f.change === 'operation') ops.push({ name: f.operation, access: f.access });
        for (const o of ops) {
          const op = o as { name?: unknown; access?: unknown };
          if (typeof op?.name !== 'string') continue;
          const access = Array.isArray(op.access) ? op.access : [op.access];
          for (const a of access) if (typeof a === 'string') ok = this.addOperation(edge, op.name, a) && ok;
        }
        if (f.change === 'master' || f.master === true) ok = this.addMaster(server, protocol, client) && ok;
        return ok;
      }
      case 'write': {
        const server = str('server');
        const protocol = str('protocol');
        if (server === null || protocol === null) return false;
        const start = num('address');
        const end = num('end') ?? start;
        return this.addWrite(server, protocol, f.unit, f.area, start, end);
      }
      case 'polling': {
        const edge = this.edge(str('client') ?? '', str('server') ?? '', num('port') ?? -1, str('protocol') ?? '');
        const key = str('poll');
        if (edge === undefined || key === null) return false;
        // Polls that stopped for good are forgotten; a new rate replaces the old statistics.
        if (f.state === 'stopped') {
          const keys = Array.isArray(f.polls) ? [key, ...f.polls] : [key];
          let removed = false;
          for (const k of keys) if (typeof k === 'string' && this.removePoll(edge, k)) removed = true;
          return removed;
        }
        const p = edge.polls.get(key);
        if (p === undefined) return false;
        const mean = num('observed_mean');
        const sd = num('observed_sd') ?? 0;
        const n = num('observed_intervals') ?? 0;
        if (mean === null || n < 2) return false;
        p.intervals = Math.max(n, MIN_POLL_INTERVALS);
        p.mean = mean;
        p.m2 = sd * sd * (n - 1);
        p.clearRun();
        return true;
      }
      default:
        return false;
    }
  }

  /** Forgets everything learned; the next run learns again from its first record. */
  reset(): void {
    this.complete = false;
    this.learnStart = null;
    this.hosts.clear();
    this.pairs.clear();
    this.masters.clear();
    this.writes.clear();
    this.edgeCount = this.masterCount = this.writeCount = this.pollCount = 0;
    for (const k of Object.keys(this.notLearned) as (keyof NotLearned)[]) this.notLearned[k] = 0;
  }

  *edges(): IterableIterator<EdgeModel> {
    for (const servers of this.pairs.values()) for (const ports of servers.values()) for (const protocols of ports.values()) yield* protocols.values();
  }

  toJSON(): BaselineJson {
    return {
      version: BASELINE_VERSION,
      complete: this.complete,
      learn_seconds: this.learnSeconds,
      learn_start: this.learnStart,
      hosts: [...this.hosts],
      edges: [...this.edges()].map((e) => ({
        client: e.client,
        server: e.server,
        port: e.port,
        protocol: e.protocol,
        transport: e.transport,
        operations: [...e.operations].map(([name, bits]) => ({ name, access: accessNames(bits) })),
        polls: [...e.polls.values()].map((p) => ({
          operation: p.operation,
          ...(p.unit !== undefined ? { unit: p.unit } : {}),
          ...(p.area !== undefined ? { area: p.area } : {}),
          ...(p.address !== undefined ? { address: p.address } : {}),
          ...(p.count !== undefined ? { count: p.count } : {}),
          intervals: p.intervals,
          mean: p.mean,
          m2: p.m2,
        })),
      })),
      masters: [...this.masters].flatMap(([server, byProtocol]) => [...byProtocol].map(([protocol, clients]) => ({ server, protocol, clients: [...clients] }))),
      writes: [...this.writes].flatMap(([server, ranges]) =>
        [...ranges.values()].map((r) => ({ server, protocol: r.protocol, ...(r.unit !== undefined ? { unit: r.unit } : {}), ...(r.area !== undefined ? { area: r.area } : {}), min: r.min, max: r.max })),
      ),
      not_learned: { ...this.notLearned },
    };
  }

  /** A baseline from its stored JSON; throws BaselineFormatError on anything else. Caps apply (counted). */
  static fromJSON(x: unknown, options: { caps?: Partial<BaselineCaps> } = {}): Baseline {
    const o = obj(x, '');
    if (o.version !== BASELINE_VERSION) throw new BaselineFormatError('version', `expected ${BASELINE_VERSION}, got ${JSON.stringify(o.version)}`);
    const b = new Baseline({ learnSeconds: positive(o.learn_seconds, 'learn_seconds'), caps: options.caps });
    if (typeof o.complete !== 'boolean') throw new BaselineFormatError('complete', 'expected a boolean');
    b.complete = o.complete;
    b.learnStart = o.learn_start === null ? null : finite(o.learn_start, 'learn_start');
    arr(o.hosts, 'hosts').forEach((h, i) => b.addHost(text(h, `hosts[${i}]`)));
    arr(o.edges, 'edges').forEach((raw, i) => {
      const p = `edges[${i}]`;
      const e = obj(raw, p);
      const transport = e.transport === null ? null : text(e.transport, `${p}.transport`);
      const edge = b.addEdge(text(e.client, `${p}.client`), text(e.server, `${p}.server`), port(e.port, `${p}.port`), text(e.protocol, `${p}.protocol`), transport);
      const ops = arr(e.operations, `${p}.operations`);
      const polls = arr(e.polls, `${p}.polls`);
      ops.forEach((rawOp, j) => {
        const op = obj(rawOp, `${p}.operations[${j}]`);
        const name = text(op.name, `${p}.operations[${j}].name`);
        for (const [k, a] of arr(op.access, `${p}.operations[${j}].access`).entries()) {
          if (typeof a !== 'string' || !(ACCESS as readonly string[]).includes(a)) throw new BaselineFormatError(`${p}.operations[${j}].access[${k}]`, `expected one of ${ACCESS.join(', ')}`);
          if (edge !== null) b.addOperation(edge, name, a);
        }
      });
      polls.forEach((rawPoll, j) => {
        const q = `${p}.polls[${j}]`;
        const pl = obj(rawPoll, q);
        const op = text(pl.operation, `${q}.operation`);
        const unit = optional(pl.unit, 'number', `${q}.unit`);
        const area = optional(pl.area, 'string', `${q}.area`);
        const address = optional(pl.address, 'number', `${q}.address`);
        const count = optional(pl.count, 'number', `${q}.count`);
        const intervals = finite(pl.intervals, `${q}.intervals`);
        const mean = finite(pl.mean, `${q}.mean`);
        const m2 = finite(pl.m2, `${q}.m2`);
        if (intervals < 0 || mean < 0 || m2 < 0) throw new BaselineFormatError(q, 'negative statistics');
        if (edge === null) return;
        const stats = b.poll(edge, op, unit, area, address, count);
        if (stats === undefined) return;
        stats.intervals = intervals;
        stats.mean = mean;
        stats.m2 = m2;
      });
    });
    arr(o.masters, 'masters').forEach((raw, i) => {
      const m = obj(raw, `masters[${i}]`);
      const server = text(m.server, `masters[${i}].server`);
      const protocol = text(m.protocol, `masters[${i}].protocol`);
      arr(m.clients, `masters[${i}].clients`).forEach((c, j) => b.addMaster(server, protocol, text(c, `masters[${i}].clients[${j}]`)));
    });
    arr(o.writes, 'writes').forEach((raw, i) => {
      const q = `writes[${i}]`;
      const w = obj(raw, q);
      const min = w.min === null ? null : finite(w.min, `${q}.min`);
      const max = w.max === null ? null : finite(w.max, `${q}.max`);
      if ((min === null) !== (max === null) || (min !== null && max !== null && min > max)) throw new BaselineFormatError(q, 'min and max must both be numbers with min <= max, or both null');
      b.addWrite(text(w.server, `${q}.server`), text(w.protocol, `${q}.protocol`), optional(w.unit, 'number', `${q}.unit`), optional(w.area, 'string', `${q}.area`), min, max);
    });
    if (o.not_learned !== undefined) {
      const n = obj(o.not_learned, 'not_learned');
      for (const k of Object.keys(b.notLearned) as (keyof NotLearned)[]) if (n[k] !== undefined) b.notLearned[k] += finite(n[k], `not_learned.${k}`);
    }
    return b;
  }
}

function numberOr(x: unknown): number | undefined {
  return typeof x === 'number' ? x : undefined;
}

function stringOr(x: unknown): string | undefined {
  return typeof x === 'string' ? x : undefined;
}

function obj(x: unknown, path: string): Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) throw new BaselineFormatError(path || '(root)', 'expected an object');
  return x as Record<string, unknown>;
}

function arr(x: unknown, path: string): unknown[] {
  if (!Array.isArray(x)) throw new BaselineFormatError(path, 'expected an array');
  return x;
}

function text(x: unknown, path: string): string {
  if (typeof x !== 'string' || x.length === 0) throw new BaselineFormatError(path, 'expected a non-empty string');
  return x;
}

function finite(x: unknown, path: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new BaselineFormatError(path, 'expected a finite number');
  return x;
}

function positive(x: unknown, path: string): number {
  const n = finite(x, path);
  if (n <= 0) throw new BaselineFormatError(path, 'expected a positive number');
  return n;
}

function port(x: unknown, path: string): number {
  const n = finite(x, path);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new BaselineFormatError(path, 'expected a port number');
  return n;
}

function optional<T extends 'number' | 'string'>(x: unknown, type: T, path: string): (T extends 'number' ? number : string) | undefined {
  if (x === undefined) return undefined;
  if (typeof x !== type || (type === 'number' && !Number.isFinite(x))) throw new BaselineFormatError(path, `expected a ${type}`);
  return x as T extends 'number' ? number : string;
}

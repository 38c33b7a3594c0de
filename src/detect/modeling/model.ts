// One modeling run over one pipeline: learns the Baseline during the learning window, then compares each transaction,
// ended flow and capture second against it and lists the deviations. The seven modeling detections share one run
// (docs/modeling.md): whichever of them sees a record first analyses it, the others read the same result, so the
// model is updated once per record whatever detections are enabled.
import type { FlowRecord } from '../../flow/flow.js';
import type { TransactionRecord } from '../../pipeline/detail.js';
import { evidenceOf } from '../behaviors/on-action.js';
import { actionOf } from '../semantics.js';
import type { AlertHandle, DetectContext, DetectionInfo, Evidence, Severity } from '../types.js';
import { accessBit, accessNames, writeKey, MIN_POLL_INTERVALS, type Baseline, type EdgeModel, type PollStats } from './baseline.js';

export { MIN_POLL_INTERVALS };

export type Change = 'asset' | 'edge' | 'protocol' | 'operation' | 'master' | 'write' | 'polling';

/** What changed, as a finding without its title (each detection writes its own). */
export interface Deviation {
  readonly change: Change;
  readonly ts: number;
  readonly src: string | null;
  readonly dst: string | null;
  readonly protocol: string | null;
  readonly key: string;
  readonly evidence: Evidence;
  /** Everything Baseline.learn() needs, plus what the analyst reads. */
  readonly facts: Readonly<Record<string, unknown>>;
}

/** A modeling detection: what it is, and how it titles the deviations of its kind (index.ts makes it a Detection). */
export interface ModelingDetection extends DetectionInfo {
  readonly change: Change;
  describe(d: Deviation): { title: string; severity: Severity };
}

export interface ModelingOptions {
  /** Length of the learning window in capture seconds (default DEFAULT_LEARN_SECONDS, or the stored baseline's). */
  learnSeconds?: number;
}

/** Only polls with a standard deviation under half their mean are periodic; bursts and ad hoc reads are not judged. */
export const MAX_POLL_CV = 0.5;
/** An interval deviates when it is this many standard deviations from the mean... */
export const RATE_SD_FACTOR = 4;
/** ...and also more than this fraction of the mean (regular polls have tiny deviations: jitter must not fire). */
export const RATE_REL_TOLERANCE = 0.5;
/** Deviating intervals in a row before a rate change fires: one late answer or one retry is not a change. */
export const SUSTAIN_INTERVALS = 5;
/** A periodic poll silent for this many of its intervals (while other traffic goes on) has stopped... */
export const STOP_FACTOR = 5;
/** ...and for at least this long: fast polls pause for seconds during a reconnection. */
export const MIN_STOP_SEC = 30;
/** How often (capture seconds) the polls are swept for silence. */
const STOP_CHECK_SEC = 5;
/** Unlearned edges reported in a run, with the operations seen on them (for the alert's facts). */
const MAX_REPORTED_EDGES = 10_000;
const MAX_REPORTED_OPERATIONS = 32;

interface Reported {
  readonly operations: Map<string, number>;
  list: { name: string; access: string[] }[];
  /** The edge's alert, once raised (its change: edge, protocol or master). */
  alert: AlertHandle | null;
  alertChange: Change | null;
}

interface Watched {
  readonly edge: EdgeModel;
  readonly stats: PollStats;
}

const VAGUE_PROTOCOLS: ReadonlySet<string | null> = new Set([null, 'unknown', 'undecided']);

export class ModelingRun {
  /** End of this run's learning window; null when the baseline was complete at the start (no learning). */
  private windowEnd: number | null = null;
  private started = false;
  private lastTx: TransactionRecord | null = null;
  private readonly txOut: Deviation[] = [];
  private lastFlow: FlowRecord | null = null;
  private readonly flowOut: Deviation[] = [];
  private lastExpire = Number.NaN;
  private readonly expireOut: Deviation[] = [];
  /** Newest record time seen: polls are judged silent against traffic, not against the capture clock. */
  private latestTs = -Infinity;
  private nextStopCheck = -Infinity;
  /** Polls seen in this run (each once; bounded by the baseline's poll cap). */
  private readonly watched: Watched[] = [];
  private readonly reported = new Map<string, Reported>();
  /** New hosts' alerts, once raised: repeats are counted on them without building a deviation. */
  private readonly hostAlerts = new Map<string, AlertHandle>();

  constructor(
    readonly baseline: Baseline,
    options: ModelingOptions = {},
    /** The detection id of each change, to count repeats without building them (DetectContext.repeat). */
    private readonly ids: Readonly<Partial<Record<Change, string>>> = {},
  ) {
    if (!baseline.complete && options.learnSeconds !== undefined) baseline.learnSeconds = options.learnSeconds;
    for (const e of baseline.edges()) for (const p of e.polls.values()) p.clearRun();
  }

  /** Whether a record starting at `ts` is learned; the first record opens the window, the first past it closes it. */
  learning(ts: number): boolean {
    const b = this.baseline;
    if (!this.started) {
      this.started = true;
      if (!b.complete) {
        if (b.learnStart === null) b.learnStart = ts;
        this.windowEnd = ts + b.learnSeconds;
      }
    }
    if (this.windowEnd === null) return false;
    if (ts < this.windowEnd) return true;
    b.complete = true;
    return false;
  }

  transaction(t: TransactionRecord, ctx: DetectContext): readonly Deviation[] {
    if (t === this.lastTx) return this.txOut;
    this.lastTx = t;
    const out = this.txOut;
    if (out.length !== 0) out.length = 0;
    if (t.ts > this.latestTs) this.latestTs = t.ts;
    const b = this.baseline;
    const client = t.client.ip;
    const server = t.server.ip;
    const port = t.server.port;
    const protocol = t.protocol;
    const op = t.operation.sub !== undefined ? `${t.operation.name}/${t.operation.sub.name}` : t.operation.name;
    const access = t.operation.access;
    const request = t.origin === 'client';
    const write = request && (access === 'write' || actionOf(t) === 'command');
    // Learned hosts are unicast: the set answers before the string is looked at.
    const clientUnicast = b.hosts.has(client) || isUnicast(client);
    const serverUnicast = b.hosts.has(server) || isUnicast(server);
    if (this.learning(t.ts)) {
      if (clientUnicast) b.addHost(client);
      if (serverUnicast) b.addHost(server);
      // Broadcasts and multicasts (BACnet Who-Is, DHCP, NetBIOS) are announcements, not edges.
      if (!clientUnicast || !serverUnicast) return out;
      const edge = b.addEdge(client, server, port, protocol, null);
      if (edge !== null) {
        b.addOperation(edge, op, access);
        if (request) this.learnPoll(edge, t, op);
      }
      if (request) b.addMaster(server, protocol, client);
      if (write && t.outcome !== 'exception') {
        const tg = t.target;
        const start = typeof tg.address === 'number' ? tg.address : null;
        b.addWrite(server, protocol, tg.unit, areaOf(t, op), start, start === null ? null : start + spanOf(tg.count) - 1);
      }
      return out;
    }
    if (clientUnicast && !b.hosts.has(client) && !this.repeatHost(ctx, client, t.ts)) out.push(this.newAsset(client, server, t.ts, evidenceOf(t), protocol));
    if (serverUnicast && !b.hosts.has(server) && !this.repeatHost(ctx, server, t.ts)) out.push(this.newAsset(server, client, t.ts, evidenceOf(t), protocol));
    if (!clientUnicast || !serverUnicast) return out;
    const edge = b.edge(client, server, port, protocol);
    // One change per transaction, the most specific: a known pair with a new protocol; else a new requester of a
    // controller (Rogue Master); else a new path.
    const master = request && !b.isMaster(server, protocol, client) && ctx.isIndustrialServer(server);
    if (edge === undefined) {
      const change = b.hasPair(client, server) ? 'protocol' : master ? 'master' : 'edge';
      if (!this.repeatEdge(ctx, change, client, server, port, protocol, op, access, t.ts)) out.push(this.newEdge(change, t.ts, client, server, port, protocol, null, evidenceOf(t), master));
    } else if (master) {
      if (!this.repeatEdge(ctx, 'master', client, server, port, protocol, op, access, t.ts)) out.push(this.newEdge('master', t.ts, client, server, port, protocol, edge.transport, evidenceOf(t), true));
    }
    if (edge !== undefined) {
      const bits = edge.operations.get(op);
      if ((bits === undefined || (bits & accessBit(access)) === 0) && !this.repeat(ctx, 'operation', client, server, `${op}:${access}`, t.ts)) {
        out.push({
          change: 'operation',
          ts: t.ts,
          src: client,
          dst: server,
          protocol,
          key: `${op}:${access}`,
          evidence: evidenceOf(t),
          facts: { change: 'operation', client, server, port, protocol, transport: edge.transport, operation: op, access, learned_access: bits === undefined ? [] : accessNames(bits) },
        });
      }
      if (request) this.judgePoll(edge, t, op, out);
    }
    if (write) this.judgeWrite(t, op, out, ctx);
    return out;
  }

  flowEnd(f: FlowRecord): readonly Deviation[] {
    if (f === this.lastFlow) return this.flowOut;
    this.lastFlow = f;
    const out = this.flowOut;
    out.length = 0;
    if (f.lastTs > this.latestTs) this.latestTs = f.lastTs;
    const b = this.baseline;
    const client = f.client.ip;
    const server = f.server.ip;
    const port = f.server.port;
    const hasPorts = f.transport === 'tcp' || f.transport === 'udp';
    const protocol = f.protocol ?? f.transport;
    const clientUnicast = isUnicast(client);
    const serverUnicast = isUnicast(server);
    const hasEdge = hasPorts && clientUnicast && serverUnicast;
    if (this.learning(f.firstTs)) {
      if (clientUnicast) b.addHost(client);
      if (serverUnicast) b.addHost(server);
      if (hasEdge) b.addEdge(client, server, port, protocol, f.transport);
      return out;
    }
    const evidence: Evidence = {
      ts: f.firstTs,
      flow: f.id,
      protocol,
      what: 'flow',
      target: { transport: f.transport, port, packets: f.packetsToServer + f.packetsToClient, bytes: f.bytesToServer + f.bytesToClient, end: f.endReason },
    };
    if (clientUnicast && !b.hosts.has(client)) out.push(this.newAsset(client, server, f.firstTs, evidence, protocol));
    if (serverUnicast && !b.hosts.has(server)) out.push(this.newAsset(server, client, f.firstTs, evidence, protocol));
    if (!hasEdge) return out;
    const vague = VAGUE_PROTOCOLS.has(f.protocol);
    const edge = vague ? undefined : b.edge(client, server, port, protocol);
    if (edge !== undefined) {
      if (edge.transport === null) edge.transport = f.transport;
      return out;
    }
    // A flow whose protocol was not decided (a refused connection, a few unparsed bytes) is known when its pair
    // already uses that port; one whose edge its transactions reported already is not reported again.
    if (vague && b.hasPort(client, server, port)) return out;
    if (this.reported.has(edgeKey(client, server, port, protocol))) return out;
    out.push(this.newEdge(b.hasPair(client, server) ? 'protocol' : 'edge', f.firstTs, client, server, port, protocol, f.transport, evidence, false));
    return out;
  }

  expire(nowSec: number): readonly Deviation[] {
    if (nowSec === this.lastExpire) return this.expireOut;
    this.lastExpire = nowSec;
    const out = this.expireOut;
    out.length = 0;
    const now = this.latestTs;
    if (!this.baseline.complete || now < this.nextStopCheck) return out;
    this.nextStopCheck = now + STOP_CHECK_SEC;
    let stoppedEdges: Set<EdgeModel> | null = null;
    for (const w of this.watched) {
      const p = w.stats;
      // Jitter does not hide a stop: any poll with enough intervals is judged, against its own spread.
      if (p.stopped || Number.isNaN(p.last) || p.intervals < MIN_POLL_INTERVALS) continue;
      const silent = now - p.last;
      if (silent <= Math.max(STOP_FACTOR * p.mean, p.mean + RATE_SD_FACTOR * p.sd, MIN_STOP_SEC)) continue;
      p.stopped = true;
      (stoppedEdges ??= new Set()).add(w.edge);
      out.push(this.pollDeviation(w.edge, p, 'stopped', now, { ts: now, flow: null, protocol: w.edge.protocol, what: p.operation, target: pollTarget(p), note: `no request for ${round(silent)} s` }, { silent_sec: round(silent) }));
    }
    // One alert per edge whose polls stop (a device or master gone quiet stops all of them): each carries every
    // stopped poll of its edge, so learning the alert forgets them all.
    if (stoppedEdges !== null) {
      for (const edge of stoppedEdges) {
        const polls = [...edge.polls.values()].filter((q) => q.stopped).map((q) => q.key);
        for (let i = 0; i < out.length; i++) if (out[i].src === edge.client && out[i].dst === edge.server && out[i].protocol === edge.protocol) out[i] = { ...out[i], facts: { ...out[i].facts, polls } };
      }
    }
    return out;
  }

  private newAsset(ip: string, peer: string, ts: number, evidence: Evidence, protocol: string): Deviation {
    return { change: 'asset', ts, src: ip, dst: null, protocol, key: '', evidence, facts: { change: 'asset', ip, peer, protocol } };
  }

  /** A deviation already counted in a fresh alert (DetectContext.repeat), so none is built. */
  private repeat(ctx: DetectContext, change: Change, src: string | null, dst: string | null, key: string, ts: number): boolean {
    const id = this.ids[change];
    if (id === undefined) return false;
    const alert = ctx.alertOf(id, src, dst, key);
    return alert !== null && ctx.repeat(alert, ts);
  }

  private repeatHost(ctx: DetectContext, ip: string, ts: number): boolean {
    let alert = this.hostAlerts.get(ip);
    if (alert === undefined) {
      const id = this.ids.asset;
      const found = id === undefined ? null : ctx.alertOf(id, ip, null, '');
      if (found === null) return false;
      alert = found;
      if (this.hostAlerts.size < MAX_REPORTED_EDGES) this.hostAlerts.set(ip, alert);
    }
    return ctx.repeat(alert, ts);
  }

  /**
   * Notes the operation on an unlearned edge's report; true when the edge's alert is fresh and the operation already
   * in it, so the deviation is only counted.
   */
  private repeatEdge(ctx: DetectContext, change: Change, client: string, server: string, port: number, protocol: string, op: string, access: string, ts: number): boolean {
    const key = edgeKey(client, server, port, protocol);
    let r = this.reported.get(key);
    if (r === undefined) {
      if (this.reported.size >= MAX_REPORTED_EDGES) return this.repeat(ctx, change, client, server, protocol, ts);
      this.reported.set(key, (r = { operations: new Map(), list: [], alert: null, alertChange: null }));
    }
    const bits = r.operations.get(op) ?? 0;
    const bit = accessBit(access);
    if ((bits & bit) === 0 && (bits !== 0 || r.operations.size < MAX_REPORTED_OPERATIONS)) {
      r.operations.set(op, bits | bit);
      r.list = [...r.operations].map(([name, b]) => ({ name, access: accessNames(b) }));
      return false;
    }
    if (r.alertChange !== change || r.alert === null) {
      const id = this.ids[change];
      r.alert = id === undefined ? null : ctx.alertOf(id, client, server, protocol);
      r.alertChange = change;
      if (r.alert === null) return false;
    }
    return ctx.repeat(r.alert, ts);
  }

  private newEdge(change: 'edge' | 'protocol' | 'master', ts: number, client: string, server: string, port: number, protocol: string, transport: string | null, evidence: Evidence, master: boolean): Deviation {
    const r = this.reported.get(edgeKey(client, server, port, protocol));
    return {
      change,
      ts,
      src: client,
      dst: server,
      protocol,
      key: protocol,
      evidence,
      facts: { change, client, server, port, protocol, transport, operations: r?.list ?? [], master },
    };
  }

  private learnPoll(edge: EdgeModel, t: TransactionRecord, op: string): void {
    const tg = t.target;
    const p = this.baseline.poll(edge, op, tg.unit, tg.area, tg.address, tg.count);
    if (p === undefined) return;
    if (!Number.isNaN(p.last) && t.ts >= p.last) p.add(t.ts - p.last);
    p.last = t.ts;
    this.watch(edge, p);
  }

  private judgePoll(edge: EdgeModel, t: TransactionRecord, op: string, out: Deviation[]): void {
    const tg = t.target;
    const p = edge.findPoll(op, tg.unit, tg.area, tg.address, tg.count);
    if (p === undefined) return;
    const last = p.last;
    p.last = t.ts;
    p.stopped = false;
    this.watch(edge, p);
    if (Number.isNaN(last) || t.ts < last || !periodic(p)) return;
    const dt = t.ts - last;
    if (Math.abs(dt - p.mean) <= Math.max(RATE_SD_FACTOR * p.sd, RATE_REL_TOLERANCE * p.mean)) {
      // Normal intervals keep refining the statistics after the window; deviating ones never enter them.
      p.streak = 0;
      p.streakMean = 0;
      p.streakM2 = 0;
      p.add(dt);
      return;
    }
    p.streak++;
    const d = dt - p.streakMean;
    p.streakMean += d / p.streak;
    p.streakM2 += d * (dt - p.streakMean);
    if (p.streak < SUSTAIN_INTERVALS) return;
    const observedSd = Math.sqrt(p.streakM2 / (p.streak - 1));
    out.push(this.pollDeviation(edge, p, 'rate', t.ts, evidenceOf(t, `interval ${round(dt)} s, learned ${round(p.mean)} s`), { observed_mean: round(p.streakMean), observed_sd: round(observedSd), observed_intervals: p.streak }));
  }

  private watch(edge: EdgeModel, p: PollStats): void {
    if (p.watched) return;
    p.watched = true;
    this.watched.push({ edge, stats: p });
  }

  private pollDeviation(edge: EdgeModel, p: PollStats, state: 'rate' | 'stopped', ts: number, evidence: Evidence, extra: Record<string, unknown>): Deviation {
    return {
      change: 'polling',
      ts,
      src: edge.client,
      dst: edge.server,
      protocol: edge.protocol,
      key: state === 'stopped' ? 'stopped' : p.key,
      evidence,
      facts: { change: 'polling', state, client: edge.client, server: edge.server, port: edge.port, protocol: edge.protocol, poll: p.key, operation: p.operation, target: pollTarget(p), mean: round(p.mean), sd: round(p.sd), ...extra },
    };
  }

  private judgeWrite(t: TransactionRecord, op: string, out: Deviation[], ctx: DetectContext): void {
    const tg = t.target;
    const area = areaOf(t, op);
    const start = typeof tg.address === 'number' ? tg.address : null;
    const end = start === null ? null : start + spanOf(tg.count) - 1;
    const r = this.baseline.writeRange(t.server.ip, writeKey(t.protocol, tg.unit, area));
    let state: 'new_area' | 'out_of_range';
    if (r === undefined) state = 'new_area';
    else if (start !== null && end !== null && r.min !== null && r.max !== null && (start < r.min || end > r.max)) state = 'out_of_range';
    else return;
    const unit = typeof tg.unit === 'number' ? tg.unit : undefined;
    if (this.repeat(ctx, 'write', t.client.ip, t.server.ip, `${unit ?? ''}/${area}`, t.ts)) return;
    out.push({
      change: 'write',
      ts: t.ts,
      src: t.client.ip,
      dst: t.server.ip,
      protocol: t.protocol,
      key: `${unit ?? ''}/${area}`,
      evidence: evidenceOf(t),
      facts: { change: 'write', state, client: t.client.ip, server: t.server.ip, protocol: t.protocol, operation: op, unit, area, address: start, end, learned_min: r?.min ?? null, learned_max: r?.max ?? null },
    });
  }
}

function edgeKey(client: string, server: string, port: number, protocol: string): string {
  return `${client}|${server}|${port}|${protocol}`;
}

function periodic(p: PollStats): boolean {
  return p.intervals >= MIN_POLL_INTERVALS && p.mean > 0 && p.sd <= MAX_POLL_CV * p.mean;
}

/** The data area a write lands in; operations without one (a DNP3 operate without objects) are their own area. */
function areaOf(t: TransactionRecord, op: string): string {
  return typeof t.target.area === 'string' ? t.target.area : op;
}

function spanOf(count: unknown): number {
  return typeof count === 'number' && count >= 1 ? Math.floor(count) : 1;
}

function pollTarget(p: PollStats): Record<string, unknown> {
  return { unit: p.unit, area: p.area, address: p.address, count: p.count };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Broadcast and multicast addresses are destinations, not hosts. */
export function isUnicast(ip: string): boolean {
  if (ip.includes(':')) return ip !== '::' && !((ip.charCodeAt(0) | 0x20) === 0x66 && (ip.charCodeAt(1) | 0x20) === 0x66);
  if (ip === '0.0.0.0' || ip.endsWith('.255')) return false;
  let first = 0;
  for (let i = 0; i < ip.length && i < 3; i++) {
    const c = ip.charCodeAt(i);
    if (c === 0x2e) break;
    first = first * 10 + c - 0x30;
  }
  return first < 224;
}

// The user rules a pipeline runs, replaceable while it runs (the server swaps in a reloaded file), behind one
// Detection whose detector reads the set's current rules at each record. Rules are indexed by protocol and access
// class, so a transaction is tested only against rules that can match it. Thresholds count matches per
// group in a sliding capture-time window (docs/rules.md).
import { AnomalyCounter } from '../../common/anomaly.js';
import { ACCESS } from '../../common/vocabulary.js';
import type { TransactionRecord } from '../../pipeline/detail.js';
import { evidenceOf } from '../behaviors/on-action.js';
import type { AlertHandle, AlertKind, Detection, DetectContext, Detector, Severity } from '../types.js';
import { RULE_ANOMALY } from './anomalies.js';
import { DEFAULT_CONFIDENCE, type CompiledRule, type ThresholdSpec } from './compile.js';
import { MAX_GROUPS, MAX_GROUPS_PER_RULE, MAX_WINDOW_SLOTS } from './limits.js';
import { Subject } from './match.js';

export interface RuleInfo {
  readonly id: string;
  /** The detection id its alerts carry: `rule.<id>`. */
  readonly detection: string;
  readonly title: string;
  readonly severity: Severity;
  readonly confidence: number;
  readonly techniques: readonly string[];
  readonly kind: AlertKind;
  readonly enabled: boolean;
  readonly source: string;
  readonly line: number;
}

const ACCESS_INDEX = new Map<string, number>(ACCESS.map((a, i) => [a, i]));
/** The list for an access class outside the vocabulary: only rules that name no access class. */
const OTHER_ACCESS = ACCESS.length;

/**
 * What one replace() installed: the enabled rules, indexed by protocol and access class (the keys nearly every rule
 * names), so a transaction is tested only against rules that can match it. Never changed after it is made.
 */
class Snapshot {
  /** Per protocol, per access class index: indexes into `active`. */
  readonly byProtocol = new Map<string, number[][]>();
  /** The same for rules that name no protocol. */
  readonly any: number[][] = lists();
  readonly active: readonly CompiledRule[];
  /** Per active rule: the facts its alerts carry (shared: the alert table copies facts). */
  readonly facts: readonly Readonly<Record<string, unknown>>[];

  constructor(readonly all: readonly CompiledRule[]) {
    this.active = all.filter((r) => r.enabled);
    this.facts = this.active.map((r) => ({ rule: { id: r.id, source: r.source, line: r.line } }));
    this.active.forEach((r, i) => {
      const targets: number[][][] = [];
      if (r.protocols === null) targets.push(this.any);
      else
        for (const p of new Set(r.protocols)) {
          let l = this.byProtocol.get(p);
          if (l === undefined) this.byProtocol.set(p, (l = lists()));
          targets.push(l);
        }
      const classes = r.access === null ? [...ACCESS.keys(), OTHER_ACCESS] : [...new Set(r.access)].map((a) => ACCESS_INDEX.get(a)!);
      for (const t of targets) for (const c of classes) t[c].push(i);
    });
  }
}

function lists(): number[][] {
  return Array.from({ length: ACCESS.length + 1 }, () => []);
}

const EMPTY = new Snapshot([]);

export class RuleSet {
  private current: Snapshot = EMPTY;
  /** Threshold caps hit by the detectors of this set (RULE_ANOMALIES). */
  readonly anomalies = new AnomalyCounter();
  /** The one detection of every user rule: its findings are raised under each rule's own `rule.<id>` info. */
  readonly detection: Detection;

  constructor(rules: readonly CompiledRule[] = []) {
    this.replace(rules);
    this.detection = {
      id: 'rule',
      title: 'User rules',
      kind: 'behavior',
      severity: 'medium',
      confidence: DEFAULT_CONFIDENCE,
      techniques: [],
      playbook: {
        meaning: 'The rules an analyst wrote for this site (docs/rules.md). Each rule raises alerts under its own id (rule.<id>) with its own title, severity, techniques and playbook.',
        check: ['Open the alert: its playbook is the rule\'s, and facts.rule names the file and line it came from.'],
        respond: ['Follow the rule\'s playbook; to change what a rule matches, edit its file and reload.'],
      },
      create: () => new RuleDetector(this),
    };
  }

  /** Installs `rules` (one file's parseRules result) at once; detectors already running use them from their next record, with threshold counts restarted. */
  replace(rules: readonly CompiledRule[]): void {
    const seen = new Set<string>();
    for (const r of rules) {
      if (seen.has(r.id)) throw new Error(`RuleSet.replace: duplicate rule id "${r.id}" (ids are unique within a set)`);
      seen.add(r.id);
    }
    this.current = rules.length === 0 ? EMPTY : new Snapshot([...rules]);
  }

  /** Rules held, enabled or not. */
  get size(): number {
    return this.current.all.length;
  }

  list(): readonly RuleInfo[] {
    return this.current.all.map((r) => ({
      id: r.id,
      detection: r.info.id,
      title: r.info.title,
      severity: r.info.severity,
      confidence: r.info.confidence,
      techniques: r.info.techniques,
      kind: r.info.kind,
      enabled: r.enabled,
      source: r.source,
      line: r.line,
    }));
  }

  /** For this module's detectors. */
  get snapshot(): Snapshot {
    return this.current;
  }
}

/** The match times of one threshold group, oldest first, in a ring that grows up to the rule's count. */
class Window {
  times: Float64Array;
  head = 0;
  length = 0;
  latest = -Infinity;

  constructor(capacity: number) {
    this.times = new Float64Array(capacity);
  }
}

const INITIAL_WINDOW = 4;
/** Alerts remembered per pipeline for repeat counting; past it, matches raise findings as usual (only slower). */
const MAX_HANDLES = 100_000;

class ThresholdState {
  readonly groups = new Map<string, Window>();
  constructor(readonly spec: ThresholdSpec) {}
}

/**
 * Per rule, the alert of each (src, dst) pair it fired on, so a rule matching a poll stream counts repeats on the
 * alert (DetectContext.repeat) instead of building a finding per transaction. Two map levels keyed by the record's own
 * address strings: a look-up allocates nothing.
 */
type Handles = Map<string, Map<string, AlertHandle>>;

class RuleDetector implements Detector {
  private snap: Snapshot | null = null;
  private thresholds: (ThresholdState | null)[] = [];
  private handles: Handles[] = [];
  private handleCount = 0;
  private groups = 0;
  private slots = 0;
  private readonly subject = new Subject();

  constructor(private readonly set: RuleSet) {}

  transaction(t: TransactionRecord, ctx: DetectContext): void {
    const snap = this.set.snapshot;
    if (snap.active.length === 0) return;
    if (snap !== this.snap) this.rebind(snap);
    const access = ACCESS_INDEX.get(t.operation.access) ?? OTHER_ACCESS;
    const list = snap.byProtocol.get(t.protocol)?.[access];
    const any = snap.any[access];
    if ((list === undefined || list.length === 0) && any.length === 0) return;
    const s = this.subject;
    s.reset(t, ctx);
    if (list !== undefined) for (let i = 0; i < list.length; i++) this.test(snap, list[i], ctx);
    for (let i = 0; i < any.length; i++) this.test(snap, any[i], ctx);
  }

  expire(nowSec: number): void {
    if (this.groups === 0) return;
    for (const st of this.thresholds) {
      if (st === null || st.groups.size === 0) continue;
      const w = st.spec.windowSec;
      for (const [key, g] of st.groups) {
        if (nowSec - g.latest < w) continue;
        st.groups.delete(key);
        this.groups--;
        this.slots -= g.times.length;
      }
    }
  }

  /** A new rule set: threshold counts start again. */
  private rebind(snap: Snapshot): void {
    this.snap = snap;
    this.thresholds = snap.active.map((r) => (r.threshold === null ? null : new ThresholdState(r.threshold)));
    this.handles = snap.active.map(() => new Map());
    this.handleCount = 0;
    this.groups = 0;
    this.slots = 0;
  }

  private test(snap: Snapshot, i: number, ctx: DetectContext): void {
    const rule = snap.active[i];
    const s = this.subject;
    if (!rule.matches(s)) return;
    const t = s.t;
    const st = this.thresholds[i];
    if (st === null) {
      const byDst = this.handles[i].get(s.src);
      const known = byDst?.get(s.dst);
      if (known !== undefined && ctx.repeat(known, t.ts)) return;
      ctx.raise(rule.info, { ts: t.ts, src: s.src, dst: s.dst, protocol: t.protocol, title: rule.title(s), evidence: evidenceOf(t), facts: snap.facts[i] });
      if (known === undefined && this.handleCount < MAX_HANDLES) {
        const h = ctx.alertOf(rule.info.id, s.src, s.dst, '');
        if (h !== null) {
          if (byDst === undefined) this.handles[i].set(s.src, new Map([[s.dst, h]]));
          else byDst.set(s.dst, h);
          this.handleCount++;
        }
      }
      return;
    }
    const spec = st.spec;
    const group = groupKey(spec, s);
    if (!this.count(st, group, t.ts)) return;
    const windowText = `${spec.windowSec}s`;
    ctx.raise(rule.info, {
      ts: t.ts,
      src: s.src,
      dst: s.dst,
      protocol: t.protocol,
      key: spec.keyed ? group : '',
      title: `${rule.title(s)} (${spec.count} times in ${windowText})`,
      evidence: evidenceOf(t, `match ${spec.count} within ${windowText}`),
      facts: { ...snap.facts[i], threshold: { count: spec.count, window_sec: spec.windowSec, by: spec.by.map((b) => (b.kind === 'target' ? `target.${b.field}` : b.kind)), group } },
    });
  }

  /** Counts a match of `group` at `ts`; true when the window now holds the rule's count (the window then starts over). */
  private count(st: ThresholdState, group: string, ts: number): boolean {
    const spec = st.spec;
    let g = st.groups.get(group);
    if (g === undefined) {
      const capacity = Math.min(spec.count, INITIAL_WINDOW);
      if (st.groups.size >= MAX_GROUPS_PER_RULE || this.groups >= MAX_GROUPS) {
        this.set.anomalies.add(RULE_ANOMALY.threshold_groups_full);
        return false;
      }
      if (this.slots + capacity > MAX_WINDOW_SLOTS) {
        this.set.anomalies.add(RULE_ANOMALY.threshold_slots_full);
        return false;
      }
      g = new Window(capacity);
      st.groups.set(group, g);
      this.groups++;
      this.slots += capacity;
    }
    if (ts > g.latest) g.latest = ts;
    const w = spec.windowSec;
    // Transactions carry their request time and arrive a little out of order: the window is judged from the latest.
    if (g.latest - ts >= w) return false;
    let cap = g.times.length;
    while (g.length > 0 && g.latest - g.times[g.head] >= w) {
      g.head = g.head + 1 === cap ? 0 : g.head + 1;
      g.length--;
    }
    if (g.length === cap) {
      const grown = Math.min(spec.count, cap * 2);
      if (this.slots + grown - cap > MAX_WINDOW_SLOTS) {
        this.set.anomalies.add(RULE_ANOMALY.threshold_slots_full);
        return false;
      }
      const times = new Float64Array(grown);
      for (let k = 0; k < g.length; k++) times[k] = g.times[(g.head + k) % cap];
      this.slots += grown - cap;
      g.times = times;
      g.head = 0;
      cap = grown;
    }
    g.times[(g.head + g.length) % cap] = ts;
    g.length++;
    if (g.length < spec.count) return false;
    g.head = 0;
    g.length = 0;
    return true;
  }
}

const SEPARATOR = '|';

function groupKey(spec: ThresholdSpec, s: Subject): string {
  let key = '';
  const by = spec.by;
  for (let i = 0; i < by.length; i++) {
    const b = by[i];
    if (i > 0) key += SEPARATOR;
    switch (b.kind) {
      case 'src':
        key += s.src;
        break;
      case 'dst':
        key += s.dst;
        break;
      case 'protocol':
        key += s.t.protocol;
        break;
      case 'operation':
        key += s.operationText();
        break;
      default: {
        const v = s.t.target[b.field];
        key += v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
      }
    }
  }
  return key;
}

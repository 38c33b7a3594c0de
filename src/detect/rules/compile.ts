// One rule of a file, shape-checked by schema.ts, turned into a CompiledRule: every value checked (names against the
// vocabulary and the protocols' code tables, addresses, techniques, durations) with a problem reported at its node,
// and the match keys pre-compiled into tests ordered cheapest first (operation, access, outcome, origin, target,
// addresses, then asset context, which costs an inventory look-up).
import { ACCESS, ALERT_SEVERITIES, OUTCOMES, ROLES } from '../../common/vocabulary.js';
import { ATTACK_VERSION, RETIRED_TECHNIQUES, isTechniqueId } from '../attack/index.js';
import { ipObservable, observableText } from '../indicators/indicator.js';
import type { AlertKind, DetectionInfo, Playbook, Severity } from '../types.js';
import { MAX_WINDOW_SEC } from './limits.js';
import { DST, IpSet, OperationSet, SRC, addressRangeTest, containsTest, valueTest, type Range, type Side, type Subject, type Test } from './match.js';
import { RULE_PROTOCOLS, unknownOperation } from './operations.js';
import { didYouMean } from './suggest.js';

export type Path = readonly (string | number)[];
/** Records a problem at a node (its key when `key`). */
export type Report = (path: Path, message: string, key?: boolean) => void;

export const DEFAULT_CONFIDENCE = 0.7;
const RULE_ID = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
const FIELD = /^[a-z][a-z0-9_]{0,63}$/;
const PLACEHOLDERS = ['src', 'dst', 'protocol', 'operation'] as const;
const RULE_KINDS = ['behavior', 'configuration'] as const;
const CRITICALITIES = ['high', 'medium', 'low'] as const;
const ORIGINS = ['client', 'server'] as const;
/** Words analysts use for the inventory's roles (docs/rules.md). */
export const ROLE_ALIASES: Readonly<Record<string, (typeof ROLES)[number]>> = {
  plc: 'controller',
  rtu: 'controller',
  ied: 'controller',
  hmi: 'hmi_scada',
  scada: 'hmi_scada',
  ews: 'engineering_workstation',
};
const RETIRED = new Map(RETIRED_TECHNIQUES.map((t) => [t.id, t.name]));
const PURDUE_MAX = 5;

export type ByKey = { readonly kind: 'src' | 'dst' | 'protocol' | 'operation' } | { readonly kind: 'target'; readonly field: string };

export interface ThresholdSpec {
  readonly count: number;
  readonly windowSec: number;
  readonly by: readonly ByKey[];
  /** `by` names more than the hosts: the group goes into the alert's key, one alert per group. */
  readonly keyed: boolean;
}

/** A rule ready to run: its alert identity (`info`), its tests and its threshold. Made by parseRules only. */
export class CompiledRule {
  constructor(
    readonly id: string,
    readonly source: string,
    /** Line of the rule in its file. */
    readonly line: number,
    readonly enabled: boolean,
    /** What its alerts carry: id `rule.<id>`, title, severity, confidence, techniques, playbook. */
    readonly info: DetectionInfo,
    /** The protocols it is limited to (`match.protocol`), or null for any: the set indexes rules by these two. */
    readonly protocols: readonly string[] | null,
    /** The access classes it is limited to (`match.access`), or null for any. */
    readonly access: readonly string[] | null,
    readonly tests: readonly Test[],
    /** Literal text and placeholders (`{src}`), in order. */
    private readonly titleParts: readonly string[],
    readonly threshold: ThresholdSpec | null,
  ) {}

  matches(s: Subject): boolean {
    const tests = this.tests;
    for (let i = 0; i < tests.length; i++) if (!tests[i](s)) return false;
    return true;
  }

  title(s: Subject): string {
    const parts = this.titleParts;
    if (parts.length === 1) return fill(parts[0], s);
    let out = '';
    for (const p of parts) out += fill(p, s);
    return out;
  }
}

function fill(p: string, s: Subject): string {
  switch (p) {
    case '{src}':
      return s.src;
    case '{dst}':
      return s.dst;
    case '{protocol}':
      return s.t.protocol;
    case '{operation}':
      return s.operationText();
    default:
      return p;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isRange = (v: unknown): v is Partial<Range> => isObject(v);

/** The entries of a one-or-list value with their paths: `x` → [[x, path]]; `[a, b]` → [[a, path.0], [b, path.1]]. */
function entries(v: unknown, path: Path): [unknown, Path][] {
  return Array.isArray(v) ? v.map((x, i) => [x, [...path, i]]) : [[v, path]];
}

/** Compiles rule `index` of the file; null when it has problems (all reported through `report`). */
export function compileRule(raw: unknown, index: number, source: string, line: number, report: Report): CompiledRule | null {
  if (!isObject(raw)) return null;
  let ok = true;
  const bad: Report = (path, message, key) => {
    ok = false;
    report(path, message, key);
  };
  const at = (...p: (string | number)[]): Path => ['rules', index, ...p];

  const id = typeof raw.id === 'string' ? raw.id : '';
  if (typeof raw.id === 'string' && !RULE_ID.test(id)) bad(at('id'), `"${id}" is not a rule id: use lower-case letters, digits, "_", "." and "-", starting with a letter or digit`);

  let titleParts: string[] = [];
  if (typeof raw.title === 'string') titleParts = titleTemplate(raw.title, at('title'), bad);

  let severity: Severity = 'medium';
  if (typeof raw.severity === 'string') {
    if ((ALERT_SEVERITIES as readonly string[]).includes(raw.severity)) severity = raw.severity as Severity;
    else bad(at('severity'), `unknown severity "${raw.severity}"; one of ${ALERT_SEVERITIES.join(', ')}${didYouMean(raw.severity, ALERT_SEVERITIES)}`);
  }
  let kind: AlertKind = 'behavior';
  if (typeof raw.kind === 'string') {
    if ((RULE_KINDS as readonly string[]).includes(raw.kind)) kind = raw.kind as AlertKind;
    else bad(at('kind'), `unknown kind "${raw.kind}"; one of ${RULE_KINDS.join(', ')}${didYouMean(raw.kind, RULE_KINDS)}`);
  }
  const techniques: string[] = [];
  if (Array.isArray(raw.techniques)) {
    raw.techniques.forEach((t, i) => {
      if (typeof t !== 'string') return;
      const retired = RETIRED.get(t);
      if (retired !== undefined) bad(at('techniques', i), `${t} (${retired}) is deprecated or revoked in ATT&CK for ICS v${ATTACK_VERSION}; docs/attack-coverage.md lists the current techniques`);
      else if (!isTechniqueId(t)) bad(at('techniques', i), `"${t}" is not a technique of ATT&CK for ICS v${ATTACK_VERSION} (ids look like T0855; docs/attack-coverage.md lists them)`);
      else if (techniques.includes(t)) bad(at('techniques', i), `${t} is listed twice`);
      else techniques.push(t);
    });
  }
  const confidence = typeof raw.confidence === 'number' ? raw.confidence : DEFAULT_CONFIDENCE;
  const enabled = raw.enabled !== false;

  const match = isObject(raw.match) ? compileMatch(raw.match, at('match'), bad) : null;
  const threshold = isObject(raw.threshold) ? compileThreshold(raw.threshold, at('threshold'), bad) : null;
  const playbook = isObject(raw.playbook) ? compilePlaybook(raw.playbook, id, source, line, typeof raw.description === 'string' ? raw.description : null) : defaultPlaybook(id, source, line, typeof raw.description === 'string' ? raw.description : null);

  if (!ok || match === null || id === '' || titleParts.length === 0) return null;
  const info: DetectionInfo = {
    id: `rule.${id}`,
    title: raw.title as string,
    kind,
    severity,
    confidence,
    techniques,
    playbook,
  };
  return new CompiledRule(id, source, line, enabled, info, match.protocols, match.access, match.tests, titleParts, threshold);
}

function titleTemplate(title: string, path: Path, bad: Report): string[] {
  const parts: string[] = [];
  const re = /\{([^{}]*)\}/g;
  let last = 0;
  for (let m = re.exec(title); m !== null; m = re.exec(title)) {
    if (!(PLACEHOLDERS as readonly string[]).includes(m[1])) {
      bad(path, `unknown placeholder {${m[1]}} in the title; one of ${PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}${didYouMean(m[1], PLACEHOLDERS)}`);
      continue;
    }
    if (m.index > last) parts.push(title.slice(last, m.index));
    parts.push(m[0]);
    last = m.index + m[0].length;
  }
  if (last < title.length || parts.length === 0) parts.push(title.slice(last));
  return parts;
}

interface CompiledMatch {
  protocols: string[] | null;
  access: string[] | null;
  tests: Test[];
}

/** Each match key with its negation: the positive form must hold; `not_` holds when none of its values does. */
function compileMatch(m: Record<string, unknown>, path: Path, bad: Report): CompiledMatch {
  const cheap: Test[] = [];
  const hosts: Test[] = [];
  const assets: Test[] = [];
  let protocols: string[] | null = null;
  let access: string[] | null = null;

  const protocolNames = (key: string): string[] => {
    const out: string[] = [];
    for (const [v, p] of entries(m[key], [...path, key])) {
      if (typeof v !== 'string') continue;
      if (RULE_PROTOCOLS.includes(v)) out.push(v);
      else bad(p, `unknown protocol "${v}"; one of ${RULE_PROTOCOLS.join(', ')}${didYouMean(v, RULE_PROTOCOLS)}`);
    }
    return out;
  };
  if (m.protocol !== undefined) protocols = protocolNames('protocol');
  if (m.not_protocol !== undefined) {
    const no = oneOf(protocolNames('not_protocol'));
    cheap.push((s) => !no(s.t.protocol));
  }

  for (const key of ['operation', 'not_operation']) {
    if (m[key] === undefined) continue;
    const set = new OperationSet();
    for (const [v, p] of entries(m[key], [...path, key])) {
      if (typeof v !== 'string') continue;
      const unknown = unknownOperation(v, protocols ?? []);
      if (unknown === null) set.add(v);
      else if (unknown.label === '') bad(p, `no industrial protocol has an operation "${v}"${didYouMean(v, unknown.candidates)}; name the protocol (match.protocol) for an IT protocol's operations`);
      else bad(p, `unknown ${unknown.label} operation "${v}"${unknown.elsewhere.length > 0 ? ` (it is a ${unknown.elsewhere.join(' and ')} operation)` : didYouMean(v, unknown.candidates)}`);
    }
    cheap.push(key === 'operation' ? (s) => set.has(s.t.operation) : (s) => !set.has(s.t.operation));
  }

  const enumValues = (k: string, allowed: readonly string[], what: string): string[] => {
    const out: string[] = [];
    for (const [v, p] of entries(m[k], [...path, k])) {
      if (typeof v !== 'string') continue;
      if (allowed.includes(v)) out.push(v);
      else bad(p, `unknown ${what} "${v}"; one of ${allowed.join(', ')}${didYouMean(v, allowed)}`);
    }
    return out;
  };
  // The access class also indexes the rule (rule-set.ts): only `not_access` needs a test.
  if (m.access !== undefined) access = enumValues('access', ACCESS, 'access');
  if (m.not_access !== undefined) {
    const no = oneOf(enumValues('not_access', ACCESS, 'access'));
    cheap.push((s) => !no(s.t.operation.access));
  }
  for (const k of ['outcome', 'not_outcome']) {
    if (m[k] === undefined) continue;
    const is = oneOf(enumValues(k, OUTCOMES, 'outcome'));
    cheap.push(k === 'outcome' ? (s) => is(s.t.outcome) : (s) => !is(s.t.outcome));
  }
  for (const k of ['origin', 'not_origin']) {
    if (m[k] === undefined) continue;
    const is = oneOf(enumValues(k, ORIGINS, 'origin'));
    cheap.push(k === 'origin' ? (s) => is(s.t.origin) : (s) => !is(s.t.origin));
  }

  if (isObject(m.target)) cheap.push(...compileTarget(m.target, [...path, 'target'], bad));
  if (isObject(m.src)) compileHost(m.src, SRC, [...path, 'src'], bad, hosts, assets);
  if (isObject(m.dst)) compileHost(m.dst, DST, [...path, 'dst'], bad, hosts, assets);
  return { protocols, access, tests: [...cheap, ...hosts, ...assets] };
}

/** A membership test over a few strings: compares for one or two (the common case), a set beyond. */
function oneOf(values: readonly string[]): (x: string) => boolean {
  const set = new Set(values);
  if (set.size === 1) {
    const [a] = set;
    return (x) => x === a;
  }
  if (set.size === 2) {
    const [a, b] = set;
    return (x) => x === a || x === b;
  }
  return (x) => set.has(x);
}

function compileTarget(t: Record<string, unknown>, path: Path, bad: Report): Test[] {
  const tests: Test[] = [];
  for (const [key, v] of Object.entries(t)) {
    const negated = key.startsWith('not_');
    const field = negated ? key.slice(4) : key;
    if (!FIELD.test(field)) {
      bad([...path, key], `"${key}" is not a target field name (lower-case letters, digits and "_"; docs/events.md lists each protocol's fields)`, true);
      continue;
    }
    let test: Test | null = null;
    if (isRange(v)) {
      const r = rangeOf(v, [...path, key], bad, -Infinity, Infinity);
      if (r === null) continue;
      if (field === 'address') {
        const inRange = addressRangeTest(r);
        test = (s) => inRange(s.t.target);
      } else {
        const inRange = valueTest(r);
        test = (s) => inRange(s.t.target[field]);
      }
    } else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || Array.isArray(v)) {
      const is = valueTest(v as string | number | boolean | (string | number)[]);
      test = (s) => is(s.t.target[field]);
    }
    if (test === null) continue;
    const positive = test;
    tests.push(negated ? (s) => !positive(s) : positive);
  }
  return tests;
}

function rangeOf(v: Partial<Range>, path: Path, bad: Report, lo: number, hi: number): Range | null {
  const min = typeof v.min === 'number' ? v.min : lo;
  const max = typeof v.max === 'number' ? v.max : hi;
  if (min > max) {
    bad(path, `the range is empty: min ${min} is above max ${max}`);
    return null;
  }
  return { min, max };
}

function compileHost(h: Record<string, unknown>, side: Side, path: Path, bad: Report, hosts: Test[], assets: Test[]): void {
  for (const key of ['ip', 'not_ip']) {
    if (h[key] === undefined) continue;
    const set = new IpSet();
    for (const [v, p] of entries(h[key], [...path, key])) {
      if (typeof v !== 'string') continue;
      const o = ipObservable(v);
      if (typeof o === 'string') bad(p, `${o} (write an address like 10.1.0.5 or a range like 10.1.0.0/16)`);
      else set.add(o);
    }
    hosts.push(key === 'ip' ? (s) => set.has(s.ip(side)) : (s) => !set.has(s.ip(side)));
  }

  // Asset keys: a positive key needs a known asset; its negation holds for an unknown one (nothing says it is one).
  const assetKey = (key: string, values: (ps: [unknown, Path][]) => ((a: NonNullable<ReturnType<Subject['asset']>>) => boolean) | null): void => {
    for (const k of [key, `not_${key}`]) {
      if (h[k] === undefined) continue;
      const holds = values(entries(h[k], [...path, k]));
      if (holds === null) continue;
      assets.push(
        k === key
          ? (s) => {
              const a = s.asset(side);
              return a !== null && holds(a);
            }
          : (s) => {
              const a = s.asset(side);
              return a === null || !holds(a);
            },
      );
    }
  };
  assetKey('asset', (ps) => {
    const set = new Set(ps.flatMap(([v]) => (typeof v === 'string' ? [v] : [])));
    return (a) => set.has(a.id);
  });
  assetKey('role', (ps) => {
    const set = new Set<string>();
    const known = [...ROLES, ...Object.keys(ROLE_ALIASES)];
    for (const [v, p] of ps) {
      if (typeof v !== 'string') continue;
      const role = (ROLES as readonly string[]).includes(v) ? v : ROLE_ALIASES[v];
      if (role !== undefined) set.add(role);
      else bad(p, `unknown role "${v}"; one of ${ROLES.join(', ')} (or ${Object.keys(ROLE_ALIASES).join(', ')})${didYouMean(v, known)}`);
    }
    return (a) => {
      for (const r of a.roles) if (set.has(r)) return true;
      return false;
    };
  });
  assetKey('criticality', (ps) => {
    const set = new Set<string>();
    for (const [v, p] of ps) {
      if (typeof v !== 'string') continue;
      if ((CRITICALITIES as readonly string[]).includes(v)) set.add(v);
      else bad(p, `unknown criticality "${v}"; one of ${CRITICALITIES.join(', ')}${didYouMean(v, CRITICALITIES)}`);
    }
    return (a) => set.has(a.criticality);
  });
  assetKey('zone', (ps) => {
    const set = new Set<string>();
    for (const [v, p] of ps) {
      if (typeof v !== 'string') continue;
      const o = ipObservable(v);
      if (typeof o === 'string' || (o.kind !== 'cidr4' && o.kind !== 'cidr6')) bad(p, `"${v}" is not a zone: zones are subnets as the inventory writes them (10.1.2.0/24)`);
      else set.add(observableText(o));
    }
    return (a) => a.zone !== null && set.has(a.zone);
  });
  for (const key of ['vendor', 'model'] as const) {
    assetKey(key, (ps) => {
      const words = ps.flatMap(([v]) => (typeof v === 'string' ? [v] : []));
      if (words.length === 0) return null;
      const has = containsTest(words);
      return (a) => {
        const x = a[key];
        return x !== null && has(x);
      };
    });
  }
  assetKey('purdue', (ps) => {
    const levels: number[] = [];
    let range: Range | null = null;
    for (const [v, p] of ps) {
      if (typeof v === 'number') {
        if (Number.isInteger(v) && v >= 0 && v <= PURDUE_MAX) levels.push(v);
        else bad(p, `${v} is not a Purdue level (0 to ${PURDUE_MAX})`);
      } else if (isRange(v)) {
        for (const b of ['min', 'max'] as const) {
          const n = v[b];
          if (n !== undefined && (!Number.isInteger(n) || n < 0 || n > PURDUE_MAX)) bad([...p, b], `${n} is not a Purdue level (0 to ${PURDUE_MAX})`);
        }
        range = rangeOf(v, p, bad, 0, PURDUE_MAX);
      }
    }
    const r = range;
    if (r !== null) return (a) => a.purdue !== null && a.purdue >= r.min && a.purdue <= r.max;
    const set = new Set(levels);
    return (a) => a.purdue !== null && set.has(a.purdue);
  });
  if (typeof h.known === 'boolean') {
    const want = h.known;
    assets.push((s) => (s.asset(side) !== null) === want);
  }
  if (typeof h.external === 'boolean') {
    const want = h.external;
    assets.push((s) => {
      const a = s.asset(side);
      return a !== null && a.external === want;
    });
  }
}

const BY_HOSTS = ['src', 'dst', 'protocol', 'operation'] as const;

function compileThreshold(t: Record<string, unknown>, path: Path, bad: Report): ThresholdSpec | null {
  let windowSec = 0;
  if (typeof t.window === 'number' || typeof t.window === 'string') {
    windowSec = durationSec(t.window);
    if (!(windowSec > 0 && windowSec <= MAX_WINDOW_SEC)) {
      bad([...path, 'window'], Number.isNaN(windowSec) ? `"${String(t.window)}" is not a duration (write 30s, 5m, 1h or a number of seconds)` : `the window must be more than 0 and at most ${MAX_WINDOW_SEC / 3600}h`);
    }
  }
  const by: ByKey[] = [];
  const seen = new Set<string>();
  for (const [v, p] of t.by === undefined ? ([['src', []], ['dst', []]] as [unknown, Path][]) : entries(t.by, [...path, 'by'])) {
    if (typeof v !== 'string') continue;
    if (seen.has(v)) {
      bad(p, `"${v}" is listed twice`);
      continue;
    }
    seen.add(v);
    if ((BY_HOSTS as readonly string[]).includes(v)) by.push({ kind: v as (typeof BY_HOSTS)[number] });
    else if (v.startsWith('target.') && FIELD.test(v.slice(7))) by.push({ kind: 'target', field: v.slice(7) });
    else bad(p, `unknown threshold key "${v}"; one of ${BY_HOSTS.join(', ')} or target.<field>${didYouMean(v, BY_HOSTS)}`);
  }
  if (typeof t.count !== 'number' || !(windowSec > 0)) return null;
  return { count: t.count, windowSec, by, keyed: by.some((b) => b.kind !== 'src' && b.kind !== 'dst') };
}

const UNIT_SEC: Readonly<Record<string, number>> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400 };

/** `30s`, `5m`, `1h`, `1.5h`, `500ms` or a number of seconds; NaN when it is none. */
export function durationSec(v: string | number): number {
  if (typeof v === 'number') return v;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(v);
  return m === null ? NaN : Number(m[1]) * UNIT_SEC[m[2] ?? 's'];
}

function compilePlaybook(p: Record<string, unknown>, id: string, source: string, line: number, description: string | null): Playbook {
  const d = defaultPlaybook(id, source, line, description);
  const lines = (v: unknown, fallback: readonly string[]): readonly string[] => (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string') ? (v as string[]) : fallback);
  return {
    meaning: typeof p.meaning === 'string' ? p.meaning : d.meaning,
    check: lines(p.check, d.check),
    respond: lines(p.respond, d.respond),
  };
}

function defaultPlaybook(id: string, source: string, line: number, description: string | null): Playbook {
  return {
    meaning: `User rule ${id} from ${source} (line ${line}) matched${description !== null ? `: ${description}` : '.'} The rule was written for this site; its author knows what it guards.`,
    check: [
      'Which host acted (source) on which device (target), with which operation (evidence), and was it expected at that time (maintenance window, change ticket)?',
      `What does rule ${id} in ${source} say, and does the traffic match what its author meant?`,
    ],
    respond: ['If the activity is not explained: treat it as the rule\'s author asked (isolate the source, check the device), and tell them.', 'If it is expected: narrow the rule in its file and reload, or resolve the alert with the reason.'],
  };
}

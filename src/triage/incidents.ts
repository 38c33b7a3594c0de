// Incidents: related alerts grouped as they arrive. An alert joins the open incidents that overlap it in capture time
// within INCIDENT_GAP_SEC and that it relates to through a host (the link keys below): its acting host appears there in
// either role (the same actor, or a host it attacked now acting: a pivot), its affected host acted there (the actor
// is now a target), or the same detection fired there against the same affected host (a scan or flood from many
// sources). Two different things done to one host by two actors are two stories: an engineer's sanctioned upload and
// an intruder's download to the same PLC. When an alert links several incidents, they merge into the oldest.
import { createHash } from 'node:crypto';
import { TACTICS } from '../detect/attack/index.js';
import { ALERT_SEVERITIES } from '../common/vocabulary.js';
import { killChainStage, MAX_SCORE, queueOf, type Queue, type ScoreFactor } from './score.js';

/** Related alerts this far apart in capture time (seconds) still belong together: one working session. */
export const INCIDENT_GAP_SEC = 3600;
/** An incident stops growing here: a host in every alert (a busy HMI) must not glue a month of alerts into one. */
export const MAX_INCIDENT_ALERTS = 500;
/** Points per kill-chain stage reached beyond the first: a progression outranks its worst single step. */
const PROGRESSION_POINTS = 5;
const MAX_PROGRESSION_POINTS = 15;
const SUMMARY_HOSTS = 5;

export interface TriageAlert {
  readonly id: string;
  readonly detection: string;
  readonly title: string;
  readonly severity: (typeof ALERT_SEVERITIES)[number];
  readonly score: number;
  readonly techniques: readonly string[];
  /** Acting and affected hosts (IP), null when the alert has none. */
  readonly src: string | null;
  readonly dst: string | null;
  readonly first_seen: number;
  readonly last_seen: number;
  readonly count: number;
}

/** What the grouping keeps of an open incident. */
export interface IncidentState {
  readonly id: string;
  first_seen: number;
  last_seen: number;
  alerts: number;
}

export interface IncidentIndex {
  /** Open incidents with fewer than MAX_INCIDENT_ALERTS alerts that hold one of the link keys and reach into [from, to]. */
  candidates(keys: readonly string[], from: number, to: number): IncidentState[];
  create(id: string, alert: TriageAlert): IncidentState;
  join(incident: IncidentState, alert: TriageAlert): void;
  /** Moves every alert, host and link key of `others` into `into` and drops them. */
  merge(into: IncidentState, others: readonly IncidentState[]): void;
}

export function hostsOf(a: Pick<TriageAlert, 'src' | 'dst'>): string[] {
  return a.src !== null && a.dst !== null && a.src !== a.dst ? [a.src, a.dst] : a.src !== null ? [a.src] : a.dst !== null ? [a.dst] : [];
}

/**
 * The link keys an alert leaves in its incident: `host:` each of its hosts, `acted:` its acting host and `hit:` its
 * affected host with its detection.
 */
export function offeredKeys(a: Pick<TriageAlert, 'src' | 'dst' | 'detection'>): string[] {
  const out = hostsOf(a).map((h) => `host:${h}`);
  if (a.src !== null) out.push(`acted:${a.src}`);
  if (a.dst !== null && a.dst !== a.src) out.push(`hit:${a.dst} ${a.detection}`);
  return out;
}

/**
 * The link keys an alert looks for: `host:` its acting host, `acted:` and `hit:` its affected host. An alert with no
 * acting host looks for its affected host in either role.
 */
export function soughtKeys(a: Pick<TriageAlert, 'src' | 'dst' | 'detection'>): string[] {
  if (a.src === null) return a.dst === null ? [] : [`host:${a.dst}`];
  const out = [`host:${a.src}`];
  if (a.dst !== null && a.dst !== a.src) out.push(`acted:${a.dst}`, `hit:${a.dst} ${a.detection}`);
  return out;
}

/** Puts a new alert into an incident (an existing one it relates to, or its own); returns the incident id. */
export function assignIncident(index: IncidentIndex, a: TriageAlert): string {
  const found = index.candidates(soughtKeys(a), a.first_seen - INCIDENT_GAP_SEC, a.last_seen + INCIDENT_GAP_SEC);
  if (found.length === 0) return index.create(incidentId(a.id), a).id;
  found.sort((x, y) => x.first_seen - y.first_seen || (x.id < y.id ? -1 : 1));
  const into = found[0];
  if (found.length > 1) index.merge(into, found.slice(1));
  index.join(into, a);
  return into.id;
}

/** Stable: the id of the alert that opened it. */
export function incidentId(alertId: string): string {
  return `in_${createHash('sha256').update(alertId).digest('hex').slice(0, 16)}`;
}

export interface IncidentView {
  title: string;
  summary: string;
  severity: TriageAlert['severity'];
  score: number;
  queue: Queue;
  score_factors: ScoreFactor[];
  /** Tactic ids reached, in kill-chain (matrix) order. */
  tactics: string[];
  hosts: string[];
  first_seen: number;
  last_seen: number;
  alerts: number;
}

const TACTIC_ORDER = new Map(TACTICS.map((t, i) => [t.id, i]));
const TACTIC_NAME = new Map(TACTICS.map((t) => [t.id, t.name]));

/** What an incident says, generated from its alerts (any order). */
export function describeIncident(alerts: readonly TriageAlert[]): IncidentView {
  const list = [...alerts].sort((x, y) => x.first_seen - y.first_seen || (x.id < y.id ? -1 : 1));
  const first = list[0];
  const worst = list.reduce((w, a) => (a.score > w.score || (a.score === w.score && a.first_seen < w.first_seen) ? a : w), first);
  const severity = list.reduce<TriageAlert['severity']>((s, a) => (ALERT_SEVERITIES.indexOf(a.severity) > ALERT_SEVERITIES.indexOf(s) ? a.severity : s), 'low');
  const tactics = new Set<string>();
  const stages = new Set<number>();
  for (const a of list) {
    const k = killChainStage(a.techniques);
    if (k.tactic !== null) tactics.add(k.tactic);
    stages.add(k.points);
  }
  const ordered = [...tactics].sort((x, y) => TACTIC_ORDER.get(x)! - TACTIC_ORDER.get(y)!);
  const progression = Math.min(MAX_PROGRESSION_POINTS, PROGRESSION_POINTS * Math.max(0, stages.size - 1));
  const factors: ScoreFactor[] = [{ name: 'worst_alert', points: worst.score, why: `its highest alert: ${worst.title}` }];
  if (progression > 0) factors.push({ name: 'progression', points: progression, why: `${stages.size} kill-chain stages reached` });
  const score = Math.min(MAX_SCORE, worst.score + progression);

  // Hosts by how many alerts they act in: the first is the likely actor.
  const acting = new Map<string, number>();
  const hosts = new Set<string>();
  for (const a of list) {
    if (a.src !== null) acting.set(a.src, (acting.get(a.src) ?? 0) + 1);
    for (const h of hostsOf(a)) hosts.add(h);
  }
  const actor = [...acting].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0];
  const targets = [...hosts].filter((h) => h !== actor?.[0]);
  const last = Math.max(...list.map((a) => a.last_seen));
  const names = (xs: readonly string[]) => (xs.length <= SUMMARY_HOSTS ? xs.join(', ') : `${xs.slice(0, SUMMARY_HOSTS).join(', ')} and ${xs.length - SUMMARY_HOSTS} more`);
  const parts: string[] = [];
  parts.push(`${list.length === 1 ? 'One alert' : `${list.length} alerts`} from ${iso(first.first_seen)} to ${iso(last)} (${span(last - first.first_seen)} of capture time).`);
  if (actor !== undefined) parts.push(`${actor[0]} acted in ${actor[1]} of them${targets.length > 0 ? `, against ${names(targets)}` : ''}.`);
  parts.push(`It began with “${first.title}”${list.length > 1 ? ` and its highest-scored step was “${worst.title}” (score ${worst.score})` : ''}.`);
  if (ordered.length > 1) parts.push(`It progressed through ${ordered.map((t) => TACTIC_NAME.get(t)).join(' → ')}.`);
  else if (ordered.length === 1) parts.push(`Its tactic is ${TACTIC_NAME.get(ordered[0])}.`);
  const title = list.length === 1 ? worst.title : `${worst.title} (+${list.length - 1} related alert${list.length === 2 ? '' : 's'})`;
  return { title, summary: parts.join(' '), severity, score, queue: queueOf(score), score_factors: factors, tactics: ordered, hosts: [...hosts].sort(), first_seen: first.first_seen, last_seen: last, alerts: list.length };
}

function iso(ts: number): string {
  return Number.isFinite(ts) ? new Date(ts * 1000).toISOString().replace('.000Z', 'Z') : String(ts);
}

function span(sec: number): string {
  if (sec < 120) return `${Math.round(sec)} s`;
  if (sec < 7200) return `${Math.round(sec / 60)} min`;
  if (sec < 172800) return `${(sec / 3600).toFixed(1)} h`;
  return `${(sec / 86400).toFixed(1)} days`;
}

/** The grouping's state in memory (`lantern analyze`; tests). */
export class MemoryIncidentIndex implements IncidentIndex {
  readonly incidents = new Map<string, IncidentState & { members: TriageAlert[]; keys: Set<string> }>();
  private readonly byKey = new Map<string, Set<string>>();

  candidates(keys: readonly string[], from: number, to: number): IncidentState[] {
    const out = new Set<IncidentState>();
    for (const k of keys) {
      for (const id of this.byKey.get(k) ?? []) {
        const i = this.incidents.get(id)!;
        if (i.alerts < MAX_INCIDENT_ALERTS && i.last_seen >= from && i.first_seen <= to) out.add(i);
      }
    }
    return [...out];
  }

  create(id: string, a: TriageAlert): IncidentState {
    const i = { id, first_seen: a.first_seen, last_seen: a.last_seen, alerts: 0, members: [], keys: new Set<string>() };
    this.incidents.set(id, i);
    this.join(i, a);
    return i;
  }

  join(incident: IncidentState, a: TriageAlert): void {
    const i = this.incidents.get(incident.id)!;
    i.members.push(a);
    i.alerts++;
    i.first_seen = Math.min(i.first_seen, a.first_seen);
    i.last_seen = Math.max(i.last_seen, a.last_seen);
    for (const k of offeredKeys(a)) this.addKey(i.id, i.keys, k);
  }

  merge(into: IncidentState, others: readonly IncidentState[]): void {
    const i = this.incidents.get(into.id)!;
    for (const o of others) {
      const x = this.incidents.get(o.id)!;
      for (const a of x.members) i.members.push(a);
      i.alerts += x.alerts;
      i.first_seen = Math.min(i.first_seen, x.first_seen);
      i.last_seen = Math.max(i.last_seen, x.last_seen);
      for (const k of x.keys) {
        this.byKey.get(k)?.delete(x.id);
        this.addKey(i.id, i.keys, k);
      }
      this.incidents.delete(x.id);
    }
  }

  private addKey(id: string, keys: Set<string>, k: string): void {
    keys.add(k);
    let s = this.byKey.get(k);
    if (s === undefined) this.byKey.set(k, (s = new Set()));
    s.add(id);
  }
}

// Folds findings into alerts: one alert per (detection, src, dst, key) with its count, first and last seen, and a
// bounded sample of evidence (the first ones and the latest ones). Capped: past the cap, new alerts are counted, not
// kept. Ids are stable (a hash of the key), so the same capture gives the same ids and the store upserts them.
import { createHash } from 'node:crypto';
import { ALERT_SEVERITIES } from '../common/vocabulary.js';
import { tacticsOf } from './attack/index.js';
import type { AlertHandle, AlertKind, DetectionInfo, Evidence, Finding, Severity } from './types.js';
import type { AlertRecord } from '../store/store.js';

export const DEFAULT_MAX_ALERTS = 100_000;
/** Evidence kept per alert: the first EVIDENCE_HEAD and the latest EVIDENCE_TAIL. */
const EVIDENCE_HEAD = 5;
const EVIDENCE_TAIL = 5;
/** A repeat within this many capture seconds of the alert's latest evidence only counts (DetectContext.repeat). */
const REPEAT_EVIDENCE_SEC = 1;
/** Techniques one alert lists (a feed's indicator may name many). */
const MAX_TECHNIQUES = 32;

export interface AlertEndpoint {
  ip: string;
  /** The inventory's asset id for the address, when there is one. */
  asset: string | null;
}

/** An alert as `alerts.json` holds it (docs/detection.md). */
export interface DetectedAlert {
  id: string;
  detection: string;
  title: string;
  kind: AlertKind;
  severity: Severity;
  confidence: number;
  techniques: string[];
  tactics: string[];
  src: AlertEndpoint | null;
  dst: AlertEndpoint | null;
  protocol: string | null;
  first_seen: number;
  last_seen: number;
  count: number;
  evidence: Evidence[];
  /** Evidence items not kept (count minus the sample). */
  evidence_dropped: number;
  facts: Record<string, unknown>;
}

class AlertState implements AlertHandle {
  count = 0;
  firstSeen = Infinity;
  lastSeen = -Infinity;
  /** Time of the latest evidence kept. */
  evidenceTs = -Infinity;
  /** In the table's changed set. */
  dirty = false;
  /** The detection's techniques and those its findings added. */
  techniques: readonly string[];
  readonly head: Evidence[] = [];
  readonly tail: Evidence[] = [];
  facts: Record<string, unknown> = {};
  severity: Severity;
  title: string;

  constructor(
    readonly id: string,
    readonly info: DetectionInfo,
    readonly src: string | null,
    readonly dst: string | null,
    readonly protocol: string | null,
  ) {
    this.severity = info.severity;
    this.title = info.title;
    this.techniques = info.techniques;
  }

  add(f: Finding): void {
    this.count++;
    if (f.ts < this.firstSeen) this.firstSeen = f.ts;
    if (f.ts > this.lastSeen) this.lastSeen = f.ts;
    this.evidenceTs = f.ts;
    if (this.head.length < EVIDENCE_HEAD) this.head.push(f.evidence);
    else {
      this.tail.push(f.evidence);
      if (this.tail.length > EVIDENCE_TAIL) this.tail.shift();
    }
    if (f.title !== undefined) this.title = f.title;
    if (f.severity !== undefined && ALERT_SEVERITIES.indexOf(f.severity) > ALERT_SEVERITIES.indexOf(this.severity)) this.severity = f.severity;
    if (f.facts !== undefined) Object.assign(this.facts, f.facts);
    if (f.techniques !== undefined) {
      for (const t of f.techniques) if (!this.techniques.includes(t) && this.techniques.length < MAX_TECHNIQUES) this.techniques = [...this.techniques, t];
    }
  }
}

export interface AlertTableCounters {
  findings: number;
  alerts: number;
  /** Findings that would have opened an alert past the cap. */
  dropped: number;
}

export class AlertTable {
  private readonly alerts = new Map<string, AlertState>();
  /** Alerts changed since the last `takeChanged()` (the store's flush). */
  private readonly changed = new Set<AlertState>();
  readonly counters: AlertTableCounters = { findings: 0, alerts: 0, dropped: 0 };

  constructor(private readonly maxAlerts = DEFAULT_MAX_ALERTS) {}

  add(info: DetectionInfo, f: Finding): void {
    this.counters.findings++;
    const key = alertKey(info.id, f.src, f.dst, f.key ?? '');
    let a = this.alerts.get(key);
    if (a === undefined) {
      if (this.alerts.size >= this.maxAlerts) {
        this.counters.dropped++;
        return;
      }
      a = new AlertState(alertId(key), info, f.src, f.dst, f.protocol);
      this.alerts.set(key, a);
      this.counters.alerts++;
    }
    a.add(f);
    if (!a.dirty) {
      a.dirty = true;
      this.changed.add(a);
    }
  }

  /** The alert of (detection, src, dst, key), or null before its first finding (DetectContext.alertOf). */
  alertOf(detection: string, src: string | null, dst: string | null, key: string): AlertHandle | null {
    return this.alerts.get(alertKey(detection, src, dst, key)) ?? null;
  }

  /** Counts a repeat of an alert whose evidence is fresh (DetectContext.repeat); false when a finding is needed. */
  repeat(alert: AlertHandle, ts: number): boolean {
    const a = alert as AlertState;
    if (!(ts - a.evidenceTs < REPEAT_EVIDENCE_SEC) || ts < a.evidenceTs) return false;
    this.counters.findings++;
    a.count++;
    if (ts > a.lastSeen) a.lastSeen = ts;
    if (!a.dirty) {
      a.dirty = true;
      this.changed.add(a);
    }
    return true;
  }

  /** Alerts per severity. */
  bySeverity(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const a of this.alerts.values()) out[a.severity] = (out[a.severity] ?? 0) + 1;
    return out;
  }

  get size(): number {
    return this.alerts.size;
  }

  /** All alerts, oldest first seen first; `assetOf` names the inventory asset of an address. */
  *records(assetOf: (ip: string) => string | null = () => null): IterableIterator<DetectedAlert> {
    const all = [...this.alerts.values()].sort((x, y) => x.firstSeen - y.firstSeen || (x.id < y.id ? -1 : 1));
    for (const a of all) yield render(a, assetOf);
  }

  /** The alerts changed since the last call. */
  takeChanged(assetOf: (ip: string) => string | null = () => null): DetectedAlert[] {
    const out = [...this.changed].map((a) => render(a, assetOf));
    for (const a of this.changed) a.dirty = false;
    this.changed.clear();
    return out;
  }
}

function alertKey(detection: string, src: string | null, dst: string | null, key: string): string {
  return `${detection}\u0000${src ?? ''}\u0000${dst ?? ''}\u0000${key}`;
}

function render(a: AlertState, assetOf: (ip: string) => string | null): DetectedAlert {
  const ep = (ip: string | null): AlertEndpoint | null => (ip === null ? null : { ip, asset: assetOf(ip) });
  return {
    id: a.id,
    detection: a.info.id,
    title: a.title,
    kind: a.info.kind,
    severity: a.severity,
    confidence: a.info.confidence,
    techniques: [...a.techniques],
    tactics: [...new Set(a.techniques.flatMap((t) => tacticsOf(t).map((x) => x.name)))],
    src: ep(a.src),
    dst: ep(a.dst),
    protocol: a.protocol,
    first_seen: a.firstSeen,
    last_seen: a.lastSeen,
    count: a.count,
    evidence: [...a.head, ...a.tail],
    evidence_dropped: a.count - a.head.length - a.tail.length,
    facts: a.facts,
  };
}

/** The store's record of a detected alert: the workflow fields start fresh, the detection's facts go to `details`. */
export function toStoreAlert(a: DetectedAlert): AlertRecord {
  const { id, detection, title, severity, first_seen, last_seen, count, src, dst, ...details } = a;
  const assets = [...new Set([src?.asset, dst?.asset].filter((x): x is string => typeof x === 'string'))];
  return { id, detection, title, severity, status: 'new', assignee: null, first_seen, last_seen, count, assets, details: { ...details, src, dst } };
}

function alertId(key: string): string {
  return `al_${createHash('sha256').update(key).digest('base64url').slice(0, 16)}`;
}

// What the server does with the alerts the detections changed since the last flush: the analyst's per-detection
// overrides (off, severity), the risk score against the target asset, the suppression rules (which hide and count),
// the store (new alerts start the workflow), and the incident each new alert joins (docs/triage.md).
import type { DetectedAlert } from '../detect/alerts.js';
import { toStoreAlert } from '../detect/alerts.js';
import type { AssetContext } from '../detect/types.js';
import { ALERT_SEVERITIES } from '../common/vocabulary.js';
import type { AlertRecord, Store } from '../store/store.js';
import type { SuppressionRule } from '../store/triage.js';
import { triageAlertOf } from '../store/triage.js';
import { assignIncident } from './incidents.js';
import { riskScore, type RiskScore, type ScoredAsset } from './score.js';

/** The store setting with the analyst's per-detection overrides: `{ "<detection id>": { enabled?, severity? } }`. */
export const OVERRIDES_SETTING = 'detection.overrides';
const RECORD_BATCH = 500;

export interface DetectionOverride {
  enabled?: boolean;
  severity?: (typeof ALERT_SEVERITIES)[number];
}

export type DetectionOverrides = Record<string, DetectionOverride>;

export function readOverrides(store: Pick<Store, 'getSetting'>): DetectionOverrides {
  const v = store.getSetting(OVERRIDES_SETTING);
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as DetectionOverrides) : {};
}

/** The ids of the detections the analyst switched off. */
export function disabledDetections(o: DetectionOverrides): string[] {
  return Object.entries(o)
    .filter(([, v]) => v.enabled === false)
    .map(([k]) => k);
}

/** An alert's risk score against its target: the affected asset, or the acting one when it names none. */
export function scoreAlert(a: Pick<DetectedAlert, 'severity' | 'confidence' | 'kind' | 'techniques' | 'src' | 'dst'>, assetOf: (ip: string) => AssetContext | null): RiskScore {
  const ip = a.dst?.ip ?? a.src?.ip ?? null;
  const ctx = ip === null ? null : assetOf(ip);
  const target: ScoredAsset | null = ctx === null ? null : { name: ip!, criticality: ctx.criticality, purdue: ctx.purdue };
  return riskScore(a, target);
}

export function matchesSuppression(rule: SuppressionRule, a: Pick<AlertRecord, 'detection' | 'assets'>, hosts: readonly string[]): boolean {
  return (rule.detection === null || rule.detection === a.detection) && (rule.host === null || hosts.includes(rule.host)) && (rule.asset === null || a.assets.includes(rule.asset));
}

/** A rule hides while it is switched on and has not expired (now: wall-clock seconds). */
export function isActiveSuppression(r: SuppressionRule, now: number): boolean {
  return r.enabled && (r.expires === null || r.expires > now);
}

export function activeSuppressions(rules: readonly SuppressionRule[], now: number): SuppressionRule[] {
  return rules.filter((r) => isActiveSuppression(r, now));
}

export interface TriageResult {
  /** Alerts stored for the first time (suppressed ones included). */
  fresh: string[];
  /** Every changed alert as stored (the workflow fields are the store's), suppressed ones left out. */
  shown: AlertRecord[];
  suppressed: number;
  incidents: number;
}

export class AlertTriage {
  constructor(
    private readonly store: Store,
    private readonly now: () => number = () => Date.now() / 1000,
  ) {}

  /** Scores, suppresses, stores and groups one pipeline's changed alerts. */
  ingest(changed: readonly DetectedAlert[], assetOf: (ip: string) => AssetContext | null): TriageResult {
    const out: TriageResult = { fresh: [], shown: [], suppressed: 0, incidents: 0 };
    const now = this.now();
    const rules = activeSuppressions(this.store.triage.listSuppressions(), now);
    this.store.triage.releaseSuppressed(rules.map((r) => r.id));
    if (changed.length === 0) return out;
    const overrides = readOverrides(this.store);
    const records: AlertRecord[] = [];
    for (const a of changed) {
      const o = overrides[a.detection];
      const alert = o?.severity !== undefined ? { ...a, severity: o.severity } : a;
      const s = scoreAlert(alert, assetOf);
      const r: AlertRecord = { ...toStoreAlert(alert), score: s.score, queue: s.queue, score_factors: [...s.factors] };
      const hosts = [a.src?.ip, a.dst?.ip].filter((x): x is string => x !== undefined);
      const rule = rules.find((x) => matchesSuppression(x, r, hosts));
      if (rule !== undefined) {
        r.suppressed_by = rule.id;
        const before = this.store.getAlert(r.id)?.count ?? 0;
        this.store.triage.countSuppressed(rule.id, Math.max(0, r.count - before), now);
        out.suppressed++;
      }
      records.push(r);
    }
    for (let i = 0; i < records.length; i += RECORD_BATCH) out.fresh.push(...this.store.upsertAlerts(records.slice(i, i + RECORD_BATCH)));
    // New alerts join an incident; incidents whose alerts changed are described again.
    const touched = new Set<string>();
    for (const r of records) {
      if (r.suppressed_by != null) continue;
      const stored = this.store.getAlert(r.id);
      if (stored === null) continue;
      out.shown.push(stored);
      // A new alert, or one a suppression hid when it arrived.
      const incident = stored.incident ?? assignIncident(this.store.triage, triageAlertOf(stored));
      touched.add(incident);
    }
    for (const id of touched) this.store.triage.describe(id);
    out.incidents = touched.size;
    return out;
  }
}

// The one-page management report's data (docs/reports.md): what the team handled in a period (alerts and incidents
// selected by when Lantern raised them, wall clock), how fast it responded, what is most at risk now, what the
// detections cover, how the sensor is doing, and a few plain sentences generated from those numbers. Reads the store.
import { AnomalyCounter } from '../common/anomaly.js';
import { ALERT_SEVERITIES, OPEN_ALERT_STATUSES } from '../common/vocabulary.js';
import { ATTACK_VERSION, coverage, tactic, TACTICS, TECHNIQUES } from '../detect/attack/index.js';
import { DETECTION_CATALOG } from '../detect/catalog.js';
import { lanternVersion } from '../cli/version.js';
import type { AlertSeverity, AlertStatus, Page, Store } from '../store/store.js';
import type { IncidentRecord } from '../store/triage.js';
import { dwellReport, type DwellStats } from '../triage/dwell.js';
import { killChainStage, QUEUES, type Queue } from '../triage/score.js';
import { REPORT_ANOMALIES } from './anomalies.js';
import { whatItMeans } from './meaning.js';
import { cut } from './text.js';

export const REPORT_SCHEMA = 'lantern.report/1';
export const TOP_INCIDENTS = 5;
export const RISKIEST_ASSETS = 5;
/** Hosts named per incident; the rest are counted. */
export const HOSTS_LISTED = 4;
/** An incident's summary is cut here (characters) on the page and in the data. */
export const SUMMARY_CHARS = 200;
/** Incidents, and suppressed alerts, one report reads at most; more is a `report.scan_cap`. */
export const MAX_SCANNED = 50_000;
const SCAN_PAGE = 1000;

export interface ReportOptions {
  /** The period, wall-clock epoch seconds, [from, to). */
  from: number;
  to: number;
  /** Generation time (epoch seconds). */
  now: number;
  /** Records read at most of one list (default MAX_SCANNED; tests lower it). */
  maxScanned?: number;
}

export interface ReportIncident {
  id: string;
  title: string;
  score: number;
  queue: Queue;
  severity: AlertSeverity;
  status: AlertStatus;
  /** The first HOSTS_LISTED hosts, with the name of the asset holding the address when there is one. */
  hosts: { ip: string; name: string | null }[];
  more_hosts: number;
  /** Tactic names reached, in kill-chain order. */
  tactics: string[];
  /** Capture time of its first alert. */
  first_seen: number;
  raised_at: number;
  resolved_at: number | null;
  /** Its generated summary, cut to SUMMARY_CHARS. */
  summary: string;
}

export interface ReportDwellRow {
  /** `all`, or a severity. */
  severity: 'all' | AlertSeverity;
  alerts: number;
  /** Seconds from raised to acknowledged: median and 90th percentile of those acknowledged; `open`: not yet. */
  acknowledge: { p50: number | null; p90: number | null; open: number };
  resolve: { p50: number | null; p90: number | null; open: number };
}

export interface ReportAsset {
  id: string;
  name: string;
  role: string | null;
  purdue_level: number | null;
  criticality: string | null;
  open_alerts: number;
  /** Open alerts weighted by severity (critical 8, high 4, medium 2, low 1). */
  weight: number;
  worst: AlertSeverity;
}

export interface ReportSensor {
  /** When the counters were written (epoch seconds). */
  at: number;
  frames: number;
  /** Capture files ingested, and those that ended in an error. */
  captures: number;
  captures_failed: number;
  anomalies: number;
  live_interfaces: number;
  /** Live interfaces failed or restarting. */
  live_failing: number;
}

export interface ReportData {
  schema: typeof REPORT_SCHEMA;
  lantern_version: string;
  generated_at: number;
  /** `basis`: alerts and incidents are selected by when Lantern raised them (wall clock), not by capture time. */
  period: { from: number; to: number; basis: 'raised_at' };
  headline: {
    incidents_opened: number;
    /** Incidents closed in the period (resolved, false positive or learned), whenever opened. */
    incidents_resolved: number;
    /** Of the incidents opened in the period, those still open, per queue. */
    incidents_still_open: number;
    still_open_by_queue: Record<Queue, number>;
    /** Every open incident now, whatever its period. */
    open_incidents_now: number;
    /** Alerts raised in the period that no suppression rule hides. */
    alerts_raised: number;
    /** Alerts raised in the period that a suppression rule hides. */
    alerts_suppressed: number;
    alerts_by_severity: Record<AlertSeverity, number>;
  };
  top_incidents: ReportIncident[];
  /** Incidents opened in the period that reached ICS kill chain stage 2 (the attack on the control system itself). */
  stage2: { incidents: number; resolved: number; still_open: number; longest_to_resolve: number | null };
  dwell: ReportDwellRow[];
  riskiest_assets: ReportAsset[];
  coverage: { attack_version: string; covered: number; total: number; tactics: { id: string; name: string; covered: number; total: number }[] };
  /** Null before the first counters are stored, or when they cannot be read (`report.bad_counters`). */
  sensor: ReportSensor | null;
  /** Two to four plain sentences for a manager, generated from the numbers above. */
  meaning: string[];
  /** REPORT_ANOMALIES counted while gathering: a cap hit means the counts cover the first MAX_SCANNED records. */
  anomalies: Record<string, number>;
}

const OPEN: ReadonlySet<string> = new Set(OPEN_ALERT_STATUSES);

/** Tactics of kill-chain stage 2, read off src/triage/score.ts through a technique that has that tactic alone. */
export const STAGE2_TACTICS: ReadonlySet<string> = new Set(
  TACTICS.filter((ta) => {
    const only = TECHNIQUES.find((t) => t.tactics.length === 1 && t.tactics[0] === ta.id);
    return only !== undefined && /^stage 2\b/.test(killChainStage([only.id]).why);
  }).map((ta) => ta.id),
);

export function gatherReport(store: Store, o: ReportOptions): ReportData {
  const anomalies = new AnomalyCounter();
  const { from, to } = o;
  const cap = Math.max(1, o.maxScanned ?? MAX_SCANNED);
  const inPeriod = (t: number | null | undefined) => t !== null && t !== undefined && t >= from && t < to;

  // Incidents: one pass in score order, so the first ones of the period are its top ones.
  let opened = 0;
  let resolved = 0;
  const stillOpen = Object.fromEntries(QUEUES.map((q) => [q, 0])) as Record<Queue, number>;
  const stage2 = { incidents: 0, resolved: 0, still_open: 0, longest_to_resolve: null as number | null };
  const top: IncidentRecord[] = [];
  scan((c, n) => store.triage.listIncidents({}, c, n), cap, anomalies, (i) => {
    if (inPeriod(i.resolved_at)) resolved++;
    if (!inPeriod(i.raised_at)) return;
    opened++;
    if (OPEN.has(i.status)) stillOpen[i.queue] = (stillOpen[i.queue] ?? 0) + 1;
    if (top.length < TOP_INCIDENTS) top.push(i);
    if (i.tactics.some((t) => STAGE2_TACTICS.has(t))) {
      stage2.incidents++;
      if (i.resolved_at !== null) {
        stage2.resolved++;
        const took = Math.max(0, i.resolved_at - i.raised_at);
        stage2.longest_to_resolve = Math.max(stage2.longest_to_resolve ?? 0, took);
      } else if (OPEN.has(i.status)) stage2.still_open++;
    }
  });

  // Alerts raised in the period: those shown (with their workflow stamps) and those a rule hides.
  const rows = store.triage.dwellRows(from, to);
  const bySeverity = Object.fromEntries(ALERT_SEVERITIES.map((s) => [s, 0])) as Record<AlertSeverity, number>;
  for (const r of rows) if (r.severity in bySeverity) bySeverity[r.severity as AlertSeverity]++;
  let suppressed = 0;
  scan((c, n) => store.listAlerts({ suppressed: true }, c, n), cap, anomalies, (a) => {
    if (inPeriod(a.raised_at)) suppressed++;
  });
  const dwell = dwellReport(rows, from, to);
  const dwellRows: ReportDwellRow[] = [dwellRow('all', dwell.all)];
  for (const s of [...ALERT_SEVERITIES].reverse()) if (dwell.by_severity[s] !== undefined) dwellRows.push(dwellRow(s, dwell.by_severity[s]));

  const c = coverage(DETECTION_CATALOG);
  const partial: Omit<ReportData, 'meaning'> = {
    schema: REPORT_SCHEMA,
    lantern_version: lanternVersion(),
    generated_at: o.now,
    period: { from, to, basis: 'raised_at' },
    headline: {
      incidents_opened: opened,
      incidents_resolved: resolved,
      incidents_still_open: QUEUES.reduce((n, q) => n + stillOpen[q], 0),
      still_open_by_queue: stillOpen,
      open_incidents_now: Object.values(store.triage.countIncidentsBy('queue', true)).reduce((a, b) => a + b, 0),
      alerts_raised: rows.length,
      alerts_suppressed: suppressed,
      alerts_by_severity: bySeverity,
    },
    top_incidents: top.map((i) => reportIncident(store, i)),
    stage2,
    dwell: dwellRows,
    riskiest_assets: riskiestAssets(store),
    coverage: {
      attack_version: ATTACK_VERSION,
      covered: c.covered,
      total: c.total,
      tactics: c.tactics.map((t) => ({ id: t.tactic.id, name: t.tactic.name, covered: t.covered, total: t.total })),
    },
    sensor: sensorHealth(store.latestCounters(), anomalies),
    anomalies: {},
  };
  partial.anomalies = anomalies.toJSON();
  return { ...partial, meaning: whatItMeans(partial) };
}

/** Reads a keyset-paged list to its end or `cap` records, whichever first. */
function scan<T>(pageOf: (cursor: string | null, limit: number) => Page<T>, cap: number, anomalies: AnomalyCounter, each: (x: T) => void): void {
  let cursor: string | null = null;
  let n = 0;
  do {
    const p = pageOf(cursor, Math.min(SCAN_PAGE, cap - n));
    for (const x of p.items) each(x);
    n += p.items.length;
    cursor = p.next;
    if (cursor !== null && n >= cap) {
      anomalies.add(REPORT_ANOMALIES.codes.scan_cap);
      return;
    }
  } while (cursor !== null);
}

function dwellRow(severity: ReportDwellRow['severity'], s: DwellStats): ReportDwellRow {
  return {
    severity,
    alerts: s.alerts,
    acknowledge: { p50: s.to_acknowledge.p50, p90: s.to_acknowledge.p90, open: s.to_acknowledge.open },
    resolve: { p50: s.to_resolve.p50, p90: s.to_resolve.p90, open: s.to_resolve.open },
  };
}

function reportIncident(store: Store, i: IncidentRecord): ReportIncident {
  return {
    id: i.id,
    title: i.title,
    score: i.score,
    queue: i.queue,
    severity: i.severity,
    status: i.status,
    hosts: i.hosts.slice(0, HOSTS_LISTED).map((ip) => ({ ip, name: hostName(store, ip) })),
    more_hosts: Math.max(0, i.hosts.length - HOSTS_LISTED),
    tactics: i.tactics.map((id) => tactic(id)?.name ?? id),
    first_seen: i.first_seen,
    raised_at: i.raised_at,
    resolved_at: i.resolved_at,
    summary: cut(i.summary, SUMMARY_CHARS),
  };
}

/** The name of the asset holding `ip`, when it has one other than the address. */
function hostName(store: Store, ip: string): string | null {
  const a = store.listAssets({ filter: { ip }, limit: 1 }).items[0];
  const name = a?.names[0]?.name ?? null;
  return name === ip ? null : name;
}

function riskiestAssets(store: Store): ReportAsset[] {
  return store.alertedAssets({ open: true, suppressed: false }, RISKIEST_ASSETS).map((x) => {
    const a = store.getAsset(x.asset);
    return {
      id: x.asset,
      name: a?.names[0]?.name ?? a?.ips[0] ?? x.asset,
      role: a?.role ?? null,
      purdue_level: a?.purdue_level ?? null,
      criticality: a?.criticality ?? null,
      open_alerts: x.alerts,
      weight: x.weight,
      worst: x.worst,
    };
  });
}

/** The sensor's figures from the latest counters snapshot (a `lantern.summary/1`, plus `live` under `serve -i`). */
function sensorHealth(c: { ts: number; data: unknown } | null, anomalies: AnomalyCounter): ReportSensor | null {
  if (c === null) return null;
  const d = c.data as { frames?: unknown; inputs?: unknown; anomaly_total?: unknown; live?: unknown } | null;
  if (typeof d !== 'object' || d === null || typeof d.frames !== 'number' || !Array.isArray(d.inputs) || typeof d.anomaly_total !== 'number') {
    anomalies.add(REPORT_ANOMALIES.codes.bad_counters);
    return null;
  }
  const live = (Array.isArray(d.live) ? d.live : []) as { frames?: unknown; anomalies?: unknown; state?: unknown }[];
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  return {
    at: c.ts,
    frames: d.frames + live.reduce((s, l) => s + n(l?.frames), 0),
    captures: d.inputs.length,
    captures_failed: (d.inputs as { error?: unknown; truncated?: unknown }[]).filter((i) => i?.error != null).length,
    anomalies: d.anomaly_total + live.reduce((s, l) => s + n(l?.anomalies), 0),
    live_interfaces: live.length,
    live_failing: live.filter((l) => l?.state === 'failed' || l?.state === 'restarting').length,
  };
}

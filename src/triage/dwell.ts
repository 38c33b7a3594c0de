// Dwell-time figures: how long from an alert's first evidence (capture time) to the alert being raised, and from
// raised to acknowledged and to resolved (wall clock), as counts, means and percentiles per severity and per ISO week
// of raising. Alerts not yet acknowledged or resolved count as open, not as zero.
import { ALERT_SEVERITIES } from '../common/vocabulary.js';
import type { DwellRow } from '../store/triage.js';

export interface Durations {
  /** Alerts with this stage reached. */
  n: number;
  /** Alerts still waiting for it. */
  open: number;
  mean: number | null;
  p50: number | null;
  p90: number | null;
  max: number | null;
}

export interface DwellStats {
  alerts: number;
  /** First evidence → alert raised (seconds). For a capture uploaded long after it was recorded this is its age. */
  to_alert: Durations;
  /** Raised → first moved past `new`. */
  to_acknowledge: Durations;
  /** Raised → resolved, false positive or learned. */
  to_resolve: Durations;
}

export interface DwellReport {
  from: number;
  to: number;
  all: DwellStats;
  by_severity: Record<string, DwellStats>;
  /** ISO weeks (`2026-W48`) of raising, oldest first. */
  by_week: ({ week: string } & DwellStats)[];
}

function durations(values: number[], open: number): Durations {
  if (values.length === 0) return { n: 0, open, mean: null, p50: null, p90: null, max: null };
  values.sort((a, b) => a - b);
  const at = (q: number) => values[Math.min(values.length - 1, Math.max(0, Math.ceil(q * values.length) - 1))];
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return { n: values.length, open, mean: round(mean), p50: round(at(0.5)), p90: round(at(0.9)), max: round(values[values.length - 1]) };
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}

export function dwellStats(rows: readonly DwellRow[]): DwellStats {
  const toAlert: number[] = [];
  const toAck: number[] = [];
  const toResolve: number[] = [];
  let ackOpen = 0;
  let resolveOpen = 0;
  for (const r of rows) {
    if (r.raised_at === null) continue;
    toAlert.push(Math.max(0, r.raised_at - r.first_seen));
    if (r.acknowledged_at === null) ackOpen++;
    else toAck.push(Math.max(0, r.acknowledged_at - r.raised_at));
    if (r.resolved_at === null) resolveOpen++;
    else toResolve.push(Math.max(0, r.resolved_at - r.raised_at));
  }
  return { alerts: rows.length, to_alert: durations(toAlert, 0), to_acknowledge: durations(toAck, ackOpen), to_resolve: durations(toResolve, resolveOpen) };
}

/** ISO 8601 week of a time (UTC): `2026-W48`. */
export function isoWeek(ts: number): string {
  const d = new Date(Math.floor(ts) * 1000);
  const day = (d.getUTCDay() + 6) % 7;
  const thursday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day + 3));
  const year = thursday.getUTCFullYear();
  const jan4 = Date.UTC(year, 0, 4);
  const week1Monday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * 86_400_000;
  const week = 1 + Math.floor((thursday.getTime() - week1Monday) / (7 * 86_400_000));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export function dwellReport(rows: readonly DwellRow[], from: number, to: number): DwellReport {
  const bySeverity: Record<string, DwellStats> = {};
  for (const s of ALERT_SEVERITIES) {
    const list = rows.filter((r) => r.severity === s);
    if (list.length > 0) bySeverity[s] = dwellStats(list);
  }
  const weeks = new Map<string, DwellRow[]>();
  for (const r of rows) {
    if (r.raised_at === null) continue;
    const w = isoWeek(r.raised_at);
    const list = weeks.get(w);
    if (list === undefined) weeks.set(w, [r]);
    else list.push(r);
  }
  return {
    from,
    to,
    all: dwellStats(rows),
    by_severity: bySeverity,
    by_week: [...weeks].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([week, list]) => ({ week, ...dwellStats(list) })),
  };
}

// How the triage views name things: durations in human units (4 min, 2.5 h), queues, score factors, ATT&CK for ICS
// tactics (the names come from the generated table of src/detect/attack, the one declaration of them).
import { TACTICS } from '../../../src/detect/attack/techniques';
import type { Queue } from '../api';

/** Seconds as people say them: `45 s`, `4 min`, `2.5 h`, `3.2 d`. */
export function humanDuration(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return '—';
  const one = (v: number) => (v >= 10 ? String(Math.round(v)) : String(Math.round(v * 10) / 10));
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 86400) return `${one(s / 3600)} h`;
  return `${one(s / 86400)} d`;
}

export const QUEUE_LABEL: Record<Queue, string> = { now: 'Now', next: 'Next', later: 'Later' };
export const QUEUE_HINT: Record<Queue, string> = {
  now: 'score 70 and above, work these first',
  next: 'score 45 to 69, work these next',
  later: 'score below 45, these can wait',
};

const FACTOR_LABEL: Record<string, string> = {
  severity: 'Severity',
  confidence: 'Confidence',
  criticality: 'Asset criticality',
  purdue: 'Purdue level',
  intel: 'Threat intel',
  kill_chain: 'Kill-chain stage',
  worst_alert: 'Highest alert',
  progression: 'Progression',
};

export function factorLabel(name: string): string {
  return FACTOR_LABEL[name] ?? name.replace(/_/g, ' ');
}

const TACTIC_NAME = new Map(TACTICS.map((t) => [t.id, t.name]));

export function tacticName(id: string): string {
  return TACTIC_NAME.get(id) ?? id;
}

export function statusLabel(s: string): string {
  return s.replace(/_/g, ' ');
}

/** Wall-clock seconds as `2026-11-28 07:15` UTC (comments, suppressions). */
export function wallTime(ts: number | null | undefined): string {
  if (ts === null || ts === undefined || !Number.isFinite(ts)) return '—';
  return new Date(ts * 1000).toISOString().replace('T', ' ').slice(0, 16);
}

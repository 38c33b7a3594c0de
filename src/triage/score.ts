// The risk score of an alert: a sum of named factors (severity, confidence, the target asset's criticality and
// Purdue level, a threat-intel hit, the ICS kill-chain stage of its techniques), so the analyst reads why one alert
// outranks another; and the queue it falls in: now, next or later (docs/triage.md).
import { tacticsOf } from '../detect/attack/index.js';
import type { ALERT_SEVERITIES } from '../common/vocabulary.js';

export const QUEUES = ['now', 'next', 'later'] as const;
export type Queue = (typeof QUEUES)[number];

/** Scores from which an alert is worked now, or next; below NEXT_FROM it can wait. */
export const NOW_FROM = 70;
export const NEXT_FROM = 45;
export const MAX_SCORE = 100;

export interface ScoreFactor {
  /** `severity`, `confidence`, `criticality`, `purdue`, `intel`, `kill_chain`. */
  readonly name: string;
  readonly points: number;
  /** Why, in the analyst's words (`high severity`, `target PLC-1 is high criticality`). */
  readonly why: string;
}

export interface RiskScore {
  readonly score: number;
  readonly queue: Queue;
  readonly factors: readonly ScoreFactor[];
}

/** What the score reads of an asset (the detections' AssetContext, or a stored asset record). */
export interface ScoredAsset {
  readonly name: string;
  readonly criticality: 'high' | 'medium' | 'low';
  readonly purdue: number | null;
}

export interface ScoredAlert {
  readonly severity: (typeof ALERT_SEVERITIES)[number];
  readonly confidence: number;
  readonly kind: string;
  readonly techniques: readonly string[];
}

const SEVERITY_POINTS: Readonly<Record<ScoredAlert['severity'], number>> = { critical: 40, high: 30, medium: 18, low: 8 };
const CONFIDENCE_POINTS = 10;
const CRITICALITY_POINTS: Readonly<Record<ScoredAsset['criticality'], number>> = { high: 15, medium: 7, low: 0 };
/** Closer to the process is worse: level 0-1 field devices and controllers, 2 supervisory, 3 operations. */
const PURDUE_POINTS: readonly number[] = [10, 10, 6, 2, 0, 0];
const INTEL_POINTS = 10;

/**
 * The ICS Cyber Kill Chain (Assante and Lee, SANS 2015) over ATT&CK for ICS tactics: stage 2, the attack on the
 * industrial system itself, outranks stage 1, getting in and finding one's way; acting on the process is the last step.
 */
const STAGES: readonly { points: number; why: string; tactics: readonly string[] }[] = [
  { points: 20, why: 'stage 2, acts on the process', tactics: ['TA0107', 'TA0106', 'TA0105'] },
  { points: 12, why: 'stage 2, installs or moves into the control system', tactics: ['TA0104', 'TA0110', 'TA0111', 'TA0103', 'TA0109'] },
  { points: 6, why: 'stage 1, intrusion and command and control', tactics: ['TA0108', 'TA0101'] },
  { points: 0, why: 'stage 1, reconnaissance', tactics: ['TA0102', 'TA0100'] },
];

/** The alert's kill-chain stage: the furthest one its techniques' tactics reach. */
export function killChainStage(techniques: readonly string[]): { points: number; why: string; tactic: string | null } {
  for (const stage of STAGES) {
    for (const t of techniques) {
      const hit = tacticsOf(t).find((x) => stage.tactics.includes(x.id));
      if (hit !== undefined) return { points: stage.points, why: `${stage.why} (${hit.name})`, tactic: hit.id };
    }
  }
  return { points: 0, why: 'no ATT&CK for ICS technique', tactic: null };
}

export function queueOf(score: number): Queue {
  return score >= NOW_FROM ? 'now' : score >= NEXT_FROM ? 'next' : 'later';
}

/** Scores `a` against its target: the affected asset (dst), or the acting one when the alert names no target. */
export function riskScore(a: ScoredAlert, target: ScoredAsset | null): RiskScore {
  const factors: ScoreFactor[] = [{ name: 'severity', points: SEVERITY_POINTS[a.severity], why: `${a.severity} severity` }];
  const confidence = Math.max(0, Math.min(1, a.confidence));
  factors.push({ name: 'confidence', points: Math.round(CONFIDENCE_POINTS * confidence), why: `confidence ${confidence.toFixed(2)}` });
  if (target === null) {
    factors.push({ name: 'criticality', points: 0, why: 'no known asset' });
  } else {
    factors.push({ name: 'criticality', points: CRITICALITY_POINTS[target.criticality], why: `${target.name} is ${target.criticality} criticality` });
    if (target.purdue !== null) {
      const level = Math.max(0, Math.min(5, Math.round(target.purdue)));
      factors.push({ name: 'purdue', points: PURDUE_POINTS[level], why: `${target.name} is at Purdue level ${level}` });
    }
  }
  if (a.kind === 'indicator') factors.push({ name: 'intel', points: INTEL_POINTS, why: 'matches a threat-intel indicator' });
  const stage = killChainStage(a.techniques);
  factors.push({ name: 'kill_chain', points: stage.points, why: stage.why });
  const score = Math.min(MAX_SCORE, factors.reduce((n, f) => n + f.points, 0));
  return { score, queue: queueOf(score), factors };
}

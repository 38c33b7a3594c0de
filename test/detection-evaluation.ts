// Scores the detection pipeline against the labelled captures of the corpus (Lemay Modbus, QUT DNP3 2017): per
// attack scenario detected or not and the delay, and alerts outside every attack window after learning.
import { readFileSync } from 'node:fs';
import type { Frame, FrameHandler } from '../src/capture/frame.js';
import { readCaptureFile } from '../src/capture/open-capture.js';
import { AnomalyCounter } from '../src/common/anomaly.js';
import type { DetectedAlert } from '../src/detect/alerts.js';
import { Pipeline } from '../src/pipeline/pipeline.js';
import { triageRun, type OfflineIncident } from '../src/triage/offline.js';

/** One attack: an id and its time window in capture seconds (epoch). */
export interface Scenario {
  id: string;
  start: number;
  end: number;
}

export interface ScenarioResult extends Scenario {
  detected: boolean;
  detections: string[];
  /** Seconds from the attack start to the first alert seen in the window; null when not detected. */
  delay: number | null;
}

export interface CaptureEvaluation {
  capture: string;
  firstTs: number;
  lastTs: number;
  learnSeconds: number;
  scenarios: ScenarioResult[];
  falsePositives: number;
  falsePositivesByDetection: Record<string, number>;
  triage: TriageEvaluation;
}

/** The alert-fatigue funnel of one capture and how its incidents line up with the labelled attacks. */
export interface TriageEvaluation {
  findings: number;
  alerts: number;
  incidents: number;
  /** Incidents holding an alert of an attack window, with the scenarios (1-based) each holds. */
  attackIncidents: number[][];
  /** Rank (1-based) of the first attack incident by score; null when none. */
  firstAttackRank: number | null;
  /** Incidents after learning whose alerts all fall outside every attack window, and the best score among them. */
  falsePositiveIncidents: number;
  falsePositiveTopScore: number | null;
}

/** Labelled frames closer than this are one attack (a scan pauses between targets; a new attack starts later). */
const LEMAY_MERGE_GAP_SEC = 10;
/** Alerts raised this long after a window's end still belong to it (flows end and state expires after the attack). */
const WINDOW_SLACK_SEC = 60;

/** Frame times (float seconds) of a capture, in file order: index 0 is frame 1. */
export async function frameTimes(path: string): Promise<Float64Array> {
  let times = new Float64Array(1 << 16);
  let n = 0;
  const handler: FrameHandler = {
    onFrame(f: Frame) {
      if (n === times.length) {
        const grown = new Float64Array(times.length * 2);
        grown.set(times);
        times = grown;
      }
      times[n++] = f.tsSec + f.tsNsec / 1e9;
    },
  };
  await readCaptureFile(path, handler, new AnomalyCounter());
  return times.subarray(0, n);
}

/** Lemay labels: `frame;label` lines (label 1 = attack); runs of attack frames become windows. */
export function lemayScenarios(csv: string, times: Float64Array): Scenario[] {
  const out: Scenario[] = [];
  let cur: Scenario | null = null;
  let first = 0;
  for (const line of csv.split('\n')) {
    const [f, label] = line.trim().split(';');
    const frame = Number(f);
    if (label !== '1' || !Number.isInteger(frame) || frame < 1 || frame > times.length) continue;
    const ts = times[frame - 1]!;
    if (cur !== null && ts - cur.end <= LEMAY_MERGE_GAP_SEC) {
      cur.end = Math.max(cur.end, ts);
      cur.id = `frames ${first}-${frame}`;
      continue;
    }
    first = frame;
    cur = { id: `frames ${frame}`, start: ts, end: ts };
    out.push(cur);
  }
  return out;
}

/** QUT attack logs: `YYYY-MM-DD hh:mm:ss.us name [hosts] START|END` in local time, `utcOffsetSec` ahead of UTC. */
export function qutScenarios(log: string, utcOffsetSec: number): Scenario[] {
  const out: Scenario[] = [];
  const open = new Map<string, Scenario>();
  for (const line of log.split('\n')) {
    const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?) (.+) (START|END)\s*$/.exec(line);
    if (m === null) continue;
    const ts = Date.parse(`${m[1]}T${m[2]!.slice(0, 12)}Z`) / 1000 - utcOffsetSec;
    const name = m[3]!.split(' ')[0]!;
    if (m[4] === 'START') {
      const s = { id: name, start: ts, end: ts };
      open.set(name, s);
      out.push(s);
    } else {
      const s = open.get(name);
      if (s !== undefined) s.end = ts;
      open.delete(name);
    }
  }
  return out;
}

export interface DetectionRun {
  alerts: DetectedAlert[];
  /** Findings before folding into alerts. */
  findings: number;
  /** The run's alerts grouped into incidents, as `analyze --export` writes them. */
  incidents: OfflineIncident[];
}

export async function runDetection(path: string, learnSeconds: number): Promise<DetectionRun> {
  const p = new Pipeline({ detail: { level: 'normal' }, events: null, detection: { learnSeconds } });
  await readCaptureFile(path, p, p.anomalies);
  p.finish();
  const d = p.detection!;
  if (d.errorSamples.length > 0) throw new Error(`detection errors: ${d.errorSamples.join('; ')}`);
  const alerts = [...d.alerts.records()];
  return { alerts, findings: d.counters().findings, incidents: triageRun(alerts, (ip) => d.asset(ip)).incidents };
}

/** Learning window: the first 10 % of the capture or the time before the first attack, whichever is shorter. */
export function learnWindow(firstTs: number, lastTs: number, scenarios: readonly Scenario[]): number {
  const firstAttack = Math.min(...scenarios.map((s) => s.start));
  return Math.max(0, Math.floor(Math.min((lastTs - firstTs) * 0.1, firstAttack - firstTs)));
}

/** The scenarios (indexes) an alert belongs to: raised in the window, or updated in it (see score). */
function scenariosOf(a: DetectedAlert, scenarios: readonly Scenario[]): number[] {
  const out: number[] = [];
  scenarios.forEach((s, i) => {
    const until = s.end + WINDOW_SLACK_SEC;
    if ((a.first_seen >= s.start && a.first_seen <= until) || a.evidence.some((e) => e.ts >= s.start && e.ts <= until)) out.push(i);
  });
  return out;
}

function triageOf(run: DetectionRun, scenarios: readonly Scenario[], learnEnd: number): TriageEvaluation {
  const byId = new Map(run.alerts.map((a) => [a.id, a]));
  const attack: number[][] = [];
  let firstAttackRank: number | null = null;
  let fp = 0;
  let fpTop: number | null = null;
  run.incidents.forEach((inc, rank) => {
    const members = inc.alert_ids.map((id) => byId.get(id)!);
    const held = new Set(members.flatMap((a) => scenariosOf(a, scenarios)));
    if (held.size > 0) {
      attack.push([...held].sort((x, y) => x - y).map((i) => i + 1));
      firstAttackRank ??= rank + 1;
    } else if (members.every((a) => a.first_seen >= learnEnd)) {
      fp++;
      fpTop = Math.max(fpTop ?? 0, inc.score);
    }
  });
  return { findings: run.findings, alerts: run.alerts.length, incidents: run.incidents.length, attackIncidents: attack, firstAttackRank, falsePositiveIncidents: fp, falsePositiveTopScore: fpTop };
}

export function score(capture: string, firstTs: number, lastTs: number, learnSeconds: number, scenarios: readonly Scenario[], run: DetectionRun): CaptureEvaluation {
  const alerts = run.alerts;
  const results: ScenarioResult[] = scenarios.map((s) => {
    const until = s.end + WINDOW_SLACK_SEC;
    const detections = new Set<string>();
    let firstHit = Infinity;
    for (const a of alerts) {
      // Raised in the window, or an alert already open (same detection and hosts) updated in it: the evidence sample
      // keeps the first and latest findings, so an update seen only in the middle of the sample is missed.
      const t = a.first_seen >= s.start && a.first_seen <= until ? a.first_seen : Math.min(...a.evidence.filter((e) => e.ts >= s.start && e.ts <= until).map((e) => e.ts));
      if (t === Infinity) continue;
      detections.add(a.detection);
      firstHit = Math.min(firstHit, t);
    }
    const detected = detections.size > 0;
    return { ...s, detected, detections: [...detections].sort(), delay: detected ? firstHit - s.start : null };
  });
  const learnEnd = firstTs + learnSeconds;
  const byDetection: Record<string, number> = {};
  let falsePositives = 0;
  for (const a of alerts) {
    if (a.first_seen < learnEnd) continue;
    if (scenarios.some((s) => a.first_seen >= s.start && a.first_seen <= s.end + WINDOW_SLACK_SEC)) continue;
    falsePositives++;
    byDetection[a.detection] = (byDetection[a.detection] ?? 0) + 1;
  }
  return { capture, firstTs, lastTs, learnSeconds, scenarios: results, falsePositives, falsePositivesByDetection: byDetection, triage: triageOf(run, scenarios, learnEnd) };
}

export async function evaluateLemay(pcap: string, labels: string): Promise<CaptureEvaluation> {
  const times = await frameTimes(pcap);
  const scenarios = lemayScenarios(readFileSync(labels, 'utf8'), times);
  const firstTs = times[0]!;
  const lastTs = times[times.length - 1]!;
  const learn = learnWindow(firstTs, lastTs, scenarios);
  return score(pcap, firstTs, lastTs, learn, scenarios, await runDetection(pcap, learn));
}

export async function evaluateQut(pcap: string, log: string, utcOffsetSec: number): Promise<CaptureEvaluation> {
  const times = await frameTimes(pcap);
  const scenarios = qutScenarios(readFileSync(log, 'utf8'), utcOffsetSec);
  const firstTs = times[0]!;
  const lastTs = times[times.length - 1]!;
  const learn = learnWindow(firstTs, lastTs, scenarios);
  return score(pcap, firstTs, lastTs, learn, scenarios, await runDetection(pcap, learn));
}

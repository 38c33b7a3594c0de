// The detection engine: one detector per enabled detection, fed the pipeline's normalised records in capture order,
// their findings folded into alerts (AlertTable). Detections are isolated: one that throws is disabled and counted,
// the others go on.
import type { FlowRecord } from '../flow/flow.js';
import type { TransactionRecord } from '../pipeline/detail.js';
import type { HintRecord } from '../pipeline/events.js';
import type { ProtocolRegistry } from '../protocols/registry.js';
import { AlertTable, DEFAULT_MAX_ALERTS } from './alerts.js';
import { builtinDetections, type CatalogOptions } from './catalog.js';
import type { ArpObservation, DetectContext, Detection, DetectionInfo, Detector, Finding } from './types.js';

export interface DetectionOptions extends CatalogOptions {
  /** The detections to run (default: every built-in one, with `learnSeconds` and `indicators`). */
  detections?: readonly Detection[];
  /** Detection ids to leave out. */
  disabled?: readonly string[];
  maxAlerts?: number;
}

const MAX_INDUSTRIAL_SERVERS = 100_000;
const MAX_ERROR_SAMPLES = 10;

export interface DetectionCounters {
  detections: number;
  findings: number;
  alerts: number;
  alerts_dropped: number;
  /** Detections disabled after throwing. */
  failed: number;
}

export class DetectionEngine implements DetectContext {
  readonly alerts: AlertTable;
  readonly errorSamples: string[] = [];
  private readonly running: { detection: Detection; detector: Detector; failed: boolean }[];
  private readonly industrialServers = new Set<string>();
  private failed = 0;

  constructor(
    private readonly registry: ProtocolRegistry,
    options: DetectionOptions = {},
  ) {
    const off = new Set(options.disabled ?? []);
    this.running = (options.detections ?? builtinDetections(options)).filter((d) => !off.has(d.id)).map((detection) => ({ detection, detector: detection.create(), failed: false }));
    this.alerts = new AlertTable(options.maxAlerts ?? DEFAULT_MAX_ALERTS);
  }

  raise(detection: DetectionInfo, finding: Finding): void {
    this.alerts.add(detection, finding);
  }

  isIndustrialServer(ip: string): boolean {
    return this.industrialServers.has(ip);
  }

  transaction(t: TransactionRecord): void {
    if (t.origin === 'client' && t.outcome !== 'no_response' && this.registry.get(t.protocol)?.category === 'industrial' && this.industrialServers.size < MAX_INDUSTRIAL_SERVERS) {
      this.industrialServers.add(t.server.ip);
    }
    for (const r of this.running) if (!r.failed && r.detector.transaction) this.call(r, () => r.detector.transaction!(t, this));
  }

  hint(h: HintRecord): void {
    for (const r of this.running) if (!r.failed && r.detector.hint) this.call(r, () => r.detector.hint!(h, this));
  }

  flowEnd(f: FlowRecord): void {
    for (const r of this.running) if (!r.failed && r.detector.flowEnd) this.call(r, () => r.detector.flowEnd!(f, this));
  }

  arp(a: ArpObservation): void {
    for (const r of this.running) if (!r.failed && r.detector.arp) this.call(r, () => r.detector.arp!(a, this));
  }

  expire(nowSec: number): void {
    for (const r of this.running) if (!r.failed && r.detector.expire) this.call(r, () => r.detector.expire!(nowSec, this));
  }

  counters(): DetectionCounters {
    const c = this.alerts.counters;
    return { detections: this.running.length, findings: c.findings, alerts: c.alerts, alerts_dropped: c.dropped, failed: this.failed };
  }

  private call(r: { detection: Detection; failed: boolean }, f: () => void): void {
    try {
      f();
    } catch (err) {
      r.failed = true;
      this.failed++;
      if (this.errorSamples.length < MAX_ERROR_SAMPLES) this.errorSamples.push(`${r.detection.id}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  }
}

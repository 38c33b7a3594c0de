// The detection engine: one detector per enabled detection, fed the pipeline's normalised records in capture order,
// their findings folded into alerts (AlertTable). Detections are isolated: one that throws is disabled and counted,
// the others go on.
import type { FlowRecord } from '../flow/flow.js';
import type { TransactionRecord } from '../pipeline/detail.js';
import type { HintRecord } from '../pipeline/events.js';
import type { ProtocolRegistry } from '../protocols/registry.js';
import { AlertTable, DEFAULT_MAX_ALERTS } from './alerts.js';
import { builtinDetections, type CatalogOptions } from './catalog.js';
import type { AlertHandle, ArpObservation, AssetContext, DetectContext, Detection, DetectionInfo, Detector, Finding, FlowVolume } from './types.js';

export interface DetectionOptions extends CatalogOptions {
  /** The detections to run (default: every built-in one, with `learnSeconds` and `indicators`). */
  detections?: readonly Detection[];
  /** Detection ids to leave out. */
  disabled?: readonly string[];
  maxAlerts?: number;
  /** What the inventory knows of an address (the pipeline passes its inventory's view). */
  assets?: (ip: string) => AssetContext | null;
}

const MAX_INDUSTRIAL_SERVERS = 100_000;
/**
 * Capture seconds between detectors' expire calls. Windows are judged when a record arrives (window.ts), so expiry
 * only prunes state and closes what nothing else will (modeling's silent polls, themselves checked every 5 s); once a
 * second walked every table 229 k times over the 200 MB benchmark capture.
 */
export const EXPIRE_EVERY_SEC = 5;
const MAX_ERROR_SAMPLES = 10;

export interface DetectionCounters {
  detections: number;
  findings: number;
  alerts: number;
  alerts_dropped: number;
  /** Detections disabled after throwing. */
  failed: number;
}

interface Running {
  readonly detection: Detection;
  readonly detector: Detector;
  failed: boolean;
}

export class DetectionEngine implements DetectContext {
  readonly alerts: AlertTable;
  readonly errorSamples: string[] = [];
  private readonly running: Running[];
  // Per callback, the detectors that have it: the hot path loops over these without closures or checks.
  private onTransaction: Running[] = [];
  private onHint: Running[] = [];
  private onFlowEnd: Running[] = [];
  private onFlowVolume: Running[] = [];
  private onArp: Running[] = [];
  private onExpire: Running[] = [];
  /** Detections the analyst switched off while running (setDisabled). */
  private off: ReadonlySet<string> = new Set();
  private readonly industrialServers = new Set<string>();
  private failed = 0;
  private lastExpire = -Infinity;
  private readonly assetOf: (ip: string) => AssetContext | null;

  constructor(
    private readonly registry: ProtocolRegistry,
    options: DetectionOptions = {},
  ) {
    const off = new Set(options.disabled ?? []);
    this.running = (options.detections ?? builtinDetections(options)).filter((d) => !off.has(d.id)).map((detection) => ({ detection, detector: detection.create(), failed: false }));
    this.route();
    this.alerts = new AlertTable(options.maxAlerts ?? DEFAULT_MAX_ALERTS);
    this.assetOf = options.assets ?? (() => null);
  }

  asset(ip: string): AssetContext | null {
    return this.assetOf(ip);
  }

  /** Switches detections off (and the others back on) from the next record: their state is kept. */
  setDisabled(ids: Iterable<string>): void {
    this.off = new Set(ids);
    this.route();
  }

  /** Per callback, the detectors that have it and are on. */
  private route(): void {
    const on = this.running.filter((r) => !this.off.has(r.detection.id));
    this.onTransaction = on.filter((r) => r.detector.transaction !== undefined);
    this.onHint = on.filter((r) => r.detector.hint !== undefined);
    this.onFlowEnd = on.filter((r) => r.detector.flowEnd !== undefined);
    this.onFlowVolume = on.filter((r) => r.detector.flowVolume !== undefined);
    this.onArp = on.filter((r) => r.detector.arp !== undefined);
    this.onExpire = on.filter((r) => r.detector.expire !== undefined);
  }

  raise(detection: DetectionInfo, finding: Finding): void {
    this.alerts.add(detection, finding);
  }

  alertOf(detection: string, src: string | null, dst: string | null, key: string): AlertHandle | null {
    return this.alerts.alertOf(detection, src, dst, key);
  }

  repeat(alert: AlertHandle, ts: number): boolean {
    return this.alerts.repeat(alert, ts);
  }

  isIndustrialServer(ip: string): boolean {
    return this.industrialServers.has(ip);
  }

  transaction(t: TransactionRecord): void {
    if (t.origin === 'client' && t.outcome !== 'no_response' && this.industrialServers.size < MAX_INDUSTRIAL_SERVERS && !this.industrialServers.has(t.server.ip) && this.registry.get(t.protocol)?.category === 'industrial') {
      this.industrialServers.add(t.server.ip);
    }
    const list = this.onTransaction;
    for (let i = 0; i < list.length; i++) {
      const r = list[i];
      if (r.failed) continue;
      try {
        r.detector.transaction!(t, this);
      } catch (err) {
        this.fail(r, err);
      }
    }
  }

  hint(h: HintRecord): void {
    for (const r of this.onHint) {
      if (r.failed) continue;
      try {
        r.detector.hint!(h, this);
      } catch (err) {
        this.fail(r, err);
      }
    }
  }

  flowEnd(f: FlowRecord): void {
    for (const r of this.onFlowEnd) {
      if (r.failed) continue;
      try {
        r.detector.flowEnd!(f, this);
      } catch (err) {
        this.fail(r, err);
      }
    }
  }

  flowVolume(v: FlowVolume): void {
    for (const r of this.onFlowVolume) {
      if (r.failed) continue;
      try {
        r.detector.flowVolume!(v, this);
      } catch (err) {
        this.fail(r, err);
      }
    }
  }

  arp(a: ArpObservation): void {
    for (const r of this.onArp) {
      if (r.failed) continue;
      try {
        r.detector.arp!(a, this);
      } catch (err) {
        this.fail(r, err);
      }
    }
  }

  expire(nowSec: number): void {
    // A capture whose clock restarts earlier (a second input) expires at once.
    if (nowSec >= this.lastExpire && nowSec - this.lastExpire < EXPIRE_EVERY_SEC) return;
    this.lastExpire = nowSec;
    for (const r of this.onExpire) {
      if (r.failed) continue;
      try {
        r.detector.expire!(nowSec, this);
      } catch (err) {
        this.fail(r, err);
      }
    }
  }

  counters(): DetectionCounters {
    const c = this.alerts.counters;
    return { detections: this.running.length, findings: c.findings, alerts: c.alerts, alerts_dropped: c.dropped, failed: this.failed };
  }

  /** A detection that throws is switched off for the rest of the run; the others go on. */
  private fail(r: Running, err: unknown): void {
    r.failed = true;
    this.failed++;
    if (this.errorSamples.length < MAX_ERROR_SAMPLES) this.errorSamples.push(`${r.detection.id}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }
}

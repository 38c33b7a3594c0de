// The sensor of `lantern serve`: one long-lived pipeline (so the inventory accumulates across inputs) fed by capture
// files one at a time, and one pipeline per live interface (its own capture clock); their events written to the store
// in batches, and what changed in their inventories (merged where two pipelines saw the same asset or edge) and the
// counters written after each input and on a timer (docs/decisions/0009-live-capture-in-serve.md).
import { readCaptureFile, type CaptureResult } from '../capture/open-capture.js';
import type { FrameHandler } from '../capture/frame.js';
import { Pipeline } from '../pipeline/pipeline.js';
import { buildSummary, type InputReport, type Summary } from '../pipeline/summary.js';
import type { DetailOptions } from '../pipeline/detail.js';
import { StoreBatchWriter } from '../store/batch-writer.js';
import { AlertTriage, disabledDetections, readOverrides } from '../triage/alert-triage.js';
import { fromStoreAlert } from '../notify/from-alert.js';
import type { Notifier } from '../notify/notifier.js';
import type { DetectionOptions } from '../detect/engine.js';
import { Baseline } from '../detect/modeling/index.js';
import { IntelFeed } from '../detect/indicators/intel-feed.js';

/** The store setting holding the modeling baseline (docs/modeling.md has its JSON). */
export const BASELINE_SETTING = 'modeling.baseline';

/** The stored baseline, or a new one; a stored one that no longer validates is set aside, not fatal. */
function loadBaseline(store: Store, learnSeconds: number | undefined): Baseline {
  const stored = store.getSetting(BASELINE_SETTING);
  if (stored !== undefined && stored !== null) {
    try {
      return Baseline.fromJSON(stored);
    } catch (err) {
      process.stderr.write(`lantern: the stored modeling baseline is unreadable (${err instanceof Error ? err.message : String(err)}): learning a new one\n`);
    }
  }
  return new Baseline({ learnSeconds });
}
import type { Store } from '../store/store.js';
import type { AssetRecord, ConnectionRecord, InventoryDelta } from '../inventory/snapshot.js';
import { lanternVersion } from '../cli/version.js';
import { EventEmitter } from 'node:events';
import { connectionKey } from '../store/sqlite.js';
import { LiveSource, type LiveSourceHealth, type LiveSourceOptions } from './live-source.js';
import { mergeAssetRecords, mergeConnectionRecords } from './inventory-merge.js';

/** What the sensor tells the WebSocket stream after each write to the store. */
export interface SensorUpdate {
  ts: number;
  frames: number;
  anomalies: number;
  assets: number;
  connections: number;
  /** Ids of assets first written by this update (at most 1,000; `more_assets` counts the rest). */
  new_assets: string[];
  more_assets: number;
  /** Ids of alerts first written by this update (at most 1,000; `more_alerts` counts the rest). */
  new_alerts: string[];
  more_alerts: number;
  protocols: Record<string, unknown>;
  /** The live interfaces' health (absent when there is none). */
  live?: LiveSourceHealth[];
}

/** What one flush wrote: records rewritten because they changed (the rest of the inventory was left alone). */
export interface FlushReport {
  assets: number;
  connections: number;
}

const MAX_NEW_ASSETS_LISTED = 1000;
/**
 * The sensor shares its thread with the API: a file is read in slices of this size between which requests are
 * answered, and events are written in transactions of EVENT_BATCH (bench/api.ts on a 10 M-event store: batches of
 * 5,000 held requests up to 0.3–0.9 s at p99, batches of 1,000 ~0.2 s, at a similar ingest rate: decision 0009).
 */
const READ_SLICE_BYTES = 4 * 1024 * 1024;
const EVENT_BATCH = 1000;

const RECORD_BATCH = 2000;

/** Writes `records` in batches through `put` (each merged first by `merge`); returns how many were written. */
function inBatches<T>(records: Iterable<T>, merge: (r: T) => T, put: (batch: T[]) => { written: number }): number {
  let batch: T[] = [];
  let written = 0;
  for (const r of records) {
    batch.push(merge(r));
    if (batch.length >= RECORD_BATCH) {
      written += put(batch).written;
      batch = [];
    }
  }
  if (batch.length > 0) written += put(batch).written;
  return written;
}

/** Keeps what the sensor ingests (src/evidence): a file is read through the tap, then kept by `end`. */
export interface CaptureKeeper {
  tap(path: string, name: string, next: FrameHandler): FrameHandler & { end(result: CaptureResult | null): Promise<unknown> };
}

export interface IngestReport {
  path: string;
  frames: number;
  format: string;
  truncated: boolean;
}

export class Sensor extends EventEmitter<{ update: [SensorUpdate] }> {
  readonly pipeline: Pipeline;
  private readonly writer: StoreBatchWriter;
  private readonly inputs: InputReport[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private readonly started = process.hrtime.bigint();
  private readonly known = new Set<string>();
  private readonly live: LiveSource[] = [];
  private readonly detail: DetailOptions | undefined;
  private readonly detection: DetectionOptions | undefined;
  private readonly evidence: CaptureKeeper | null;
  /** The modeling baseline of the files' pipeline, kept in the store; live interfaces learn their own. */
  readonly baseline: Baseline;
  /** Scores, suppresses, stores and groups the alerts (src/triage/alert-triage.ts). */
  readonly triage: AlertTriage;
  /** Sends alerts to webhooks and syslog (src/notify/), when serve has one. */
  private readonly notifier: Notifier | null;
  /** The threat intel every pipeline matches (the server replaces its set on import: src/server/intel.ts). */
  readonly intel: IntelFeed;

  constructor(
    private readonly store: Store,
    options: { detail?: DetailOptions; detection?: DetectionOptions; intel?: IntelFeed; notifier?: Notifier; evidence?: CaptureKeeper } = {},
  ) {
    super();
    this.writer = new StoreBatchWriter(store, EVENT_BATCH);
    this.detail = options.detail;
    this.evidence = options.evidence ?? null;
    const given = options.detection?.indicators;
    this.intel = options.intel ?? (given instanceof IntelFeed ? given : new IntelFeed(given ?? undefined));
    this.detection = { ...options.detection, indicators: this.intel };
    this.baseline = loadBaseline(store, options.detection?.learnSeconds);
    const baseline = this.baseline;
    this.pipeline = new Pipeline({ events: this.writer, detail: options.detail, detection: { ...this.detection, baseline: () => baseline } });
    this.triage = new AlertTriage(store);
    this.notifier = options.notifier ?? null;
    this.applyOverrides();
  }

  /** The analyst's per-detection switches (store setting), applied to every running pipeline. */
  applyOverrides(): void {
    const off = disabledDetections(readOverrides(this.store));
    for (const p of [this.pipeline, ...this.live.map((l) => l.pipeline)]) p.detection?.setDisabled(off);
  }

  /**
   * "Learn this": the facts of a modeling alert join the files' baseline (stored at once), so the same deviation no
   * longer fires. False when the facts name nothing the baseline can learn.
   */
  learn(facts: Readonly<Record<string, unknown>>): boolean {
    const ok = this.baseline.learn(facts);
    if (ok) this.saveBaseline();
    return ok;
  }

  /** Forgets the baseline: a new learning window starts with the next traffic. */
  resetBaseline(): void {
    this.baseline.reset();
    this.saveBaseline();
  }

  /** Keeps the files' baseline in the store (on learn, reset and shutdown). */
  saveBaseline(): void {
    this.store.putSetting(BASELINE_SETTING, this.baseline.toJSON());
  }

  /** Starts capturing on an interface, beside the files; failures are told through `log` and the health. */
  addInterface(opts: Omit<LiveSourceOptions, 'detail'>): LiveSource {
    const source = new LiveSource(this.writer, { detail: this.detail, detection: this.detection, ...opts });
    this.live.push(source);
    source.pipeline.detection?.setDisabled(disabledDetections(readOverrides(this.store)));
    return source;
  }

  /** The live interfaces' health. */
  liveHealth(): LiveSourceHealth[] {
    return this.live.map((l) => ({ ...l.refresh() }));
  }

  /** Stops every live capture (their open flows end into the inventory); flush afterwards. */
  async stopLive(): Promise<void> {
    await Promise.all(this.live.map((l) => l.stop()));
  }

  /** Reads one capture file into the pipeline (inputs run one after another), then writes the inventory. */
  ingestFile(path: string, name = path): Promise<IngestReport> {
    const run = async (): Promise<IngestReport> => {
      this.pipeline.beginInput();
      const before = this.pipeline.frames;
      const keep = this.evidence?.tap(path, name, this.pipeline) ?? null;
      let result: CaptureResult | null = null;
      try {
        result = await readCaptureFile(path, keep ?? this.pipeline, this.pipeline.anomalies, { yieldEveryBytes: READ_SLICE_BYTES });
      } finally {
        this.writer.flush();
        // Kept before the caller may delete the file (the upload route does, the watched folder moves it).
        await keep?.end(result);
      }
      this.inputs.push({ path: name, format: result.format, compressed: result.compressed, frames: result.frames, file_bytes: result.fileBytes, truncated: result.truncated });
      this.flush();
      return { path: name, frames: this.pipeline.frames - before, format: result.format, truncated: result.truncated };
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** The summary of everything ingested so far. */
  summary(): Summary {
    const snap = this.pipeline.inventorySnapshot();
    return buildSummary(this.pipeline, this.inputs, Number(process.hrtime.bigint() - this.started) / 1e9, lanternVersion(), snap?.summary ?? null);
  }

  /**
   * Writes pending events, what changed in each pipeline's inventory since the last flush (open flows included) and
   * the counters to the store. An asset or edge another pipeline also holds is written merged with its record there.
   */
  flush(): FlushReport {
    this.writer.flush();
    const pipelines = [this.pipeline, ...this.live.map((l) => l.pipeline)];
    const deltas: InventoryDelta[] = [];
    for (const p of pipelines) {
      const d = p.inventoryDelta();
      if (d !== null) deltas.push(d);
    }
    const fresh: string[] = [];
    let more = 0;
    let assets = 0;
    let connections = 0;
    for (const d of deltas) {
      const others = deltas.filter((o) => o !== d);
      const mergeAsset = others.length === 0 ? (r: AssetRecord) => r : (r: AssetRecord) => mergeAssetRecords([r, ...others.map((o) => o.asset(r.id)).filter((x) => x !== null)]);
      const mergeConnection =
        others.length === 0 ? (r: ConnectionRecord) => r : (r: ConnectionRecord) => mergeConnectionRecords([r, ...others.map((o) => o.connection(connectionKey(r))).filter((x) => x !== null)]);
      assets += inBatches(d.assets(), mergeAsset, (b) => {
        for (const a of b) {
          if (this.known.has(a.id)) continue;
          this.known.add(a.id);
          if (fresh.length < MAX_NEW_ASSETS_LISTED) fresh.push(a.id);
          else more++;
        }
        return this.store.putAssets(b);
      });
      connections += inBatches(d.connections(), mergeConnection, (b) => this.store.putConnections(b));
    }
    // Alerts changed since the last flush, from every pipeline: new ones start the workflow, known ones keep it.
    const newAlerts: string[] = [];
    for (const p of pipelines) {
      const changed = p.detection?.alerts.takeChanged((ip) => p.assetIdOf(ip)) ?? [];
      const r = this.triage.ingest(changed, (ip) => p.detection?.asset(ip) ?? null);
      newAlerts.push(...r.fresh);
      if (this.notifier !== null) {
        const fresh = new Set(r.fresh);
        for (const a of r.shown) this.notifier.offer(fromStoreAlert(a, a.score ?? 0), fresh.has(a.id) ? 'alert.new' : 'alert.updated');
      }
    }
    // Marks are cleared only once every pipeline's records are in: a failed write leaves them for the next flush.
    for (const d of deltas) d.commit();
    const files = deltas.length > 0 && this.pipeline.inventory !== null ? deltas[0].summary : null;
    const summary: Summary & { live?: LiveSourceHealth[] } = buildSummary(this.pipeline, this.inputs, Number(process.hrtime.bigint() - this.started) / 1e9, lanternVersion(), files);
    let frames = summary.frames;
    let anomalies = summary.anomaly_total;
    if (this.live.length > 0) {
      summary.live = this.liveHealth();
      for (const l of summary.live) {
        frames += l.frames;
        anomalies += l.anomalies;
      }
    }
    const ts = Date.now() / 1000;
    this.store.putCounters(ts, summary);
    this.emit('update', { ts, frames, anomalies, assets, connections, new_assets: fresh, more_assets: more, new_alerts: newAlerts.slice(0, MAX_NEW_ASSETS_LISTED), more_alerts: Math.max(0, newAlerts.length - MAX_NEW_ASSETS_LISTED), protocols: summary.protocols, ...(summary.live ? { live: summary.live } : {}) });
    return { assets, connections };
  }

  /** Waits for queued inputs. */
  async idle(): Promise<void> {
    await this.queue;
  }
}

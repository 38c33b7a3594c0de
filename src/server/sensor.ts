// The sensor of `lantern serve`: one long-lived pipeline (so the inventory accumulates across inputs, as in a live
// capture) fed by capture files one at a time, its events written to the store in batches, and its inventory and
// counters written to the store after each input and on a timer.
import { readCaptureFile, type CaptureResult } from '../capture/open-capture.js';
import { Pipeline } from '../pipeline/pipeline.js';
import { buildSummary, type InputReport, type Summary } from '../pipeline/summary.js';
import type { DetailOptions } from '../pipeline/detail.js';
import { StoreBatchWriter } from '../store/batch-writer.js';
import type { Store } from '../store/store.js';
import { lanternVersion } from '../cli/version.js';
import { EventEmitter } from 'node:events';

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
  protocols: Record<string, unknown>;
}

const MAX_NEW_ASSETS_LISTED = 1000;

const RECORD_BATCH = 2000;

/** Writes `records` in batches through `put`; returns how many were written. */
function inBatches<T>(records: Iterable<T>, put: (batch: T[]) => { written: number }): number {
  let batch: T[] = [];
  let written = 0;
  for (const r of records) {
    batch.push(r);
    if (batch.length >= RECORD_BATCH) {
      written += put(batch).written;
      batch = [];
    }
  }
  if (batch.length > 0) written += put(batch).written;
  return written;
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

  constructor(
    private readonly store: Store,
    options: { detail?: DetailOptions } = {},
  ) {
    super();
    this.writer = new StoreBatchWriter(store);
    this.pipeline = new Pipeline({ events: this.writer, detail: options.detail });
  }

  /** Reads one capture file into the pipeline (inputs run one after another), then writes the inventory. */
  ingestFile(path: string, name = path): Promise<IngestReport> {
    const run = async (): Promise<IngestReport> => {
      this.pipeline.beginInput();
      const before = this.pipeline.frames;
      let result: CaptureResult;
      try {
        result = await readCaptureFile(path, this.pipeline, this.pipeline.anomalies);
      } finally {
        this.writer.flush();
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

  /** Writes pending events, the inventory (open flows included) and the counters to the store. */
  flush(): { assets: number; connections: number } {
    this.writer.flush();
    const snap = this.pipeline.inventorySnapshot();
    if (snap === null) return { assets: 0, connections: 0 };
    const fresh: string[] = [];
    let more = 0;
    const assets = inBatches(snap.assets(), (b) => {
      for (const a of b) {
        if (this.known.has(a.id)) continue;
        this.known.add(a.id);
        if (fresh.length < MAX_NEW_ASSETS_LISTED) fresh.push(a.id);
        else more++;
      }
      return this.store.putAssets(b);
    });
    const connections = inBatches(snap.connections(), (b) => this.store.putConnections(b));
    const summary = buildSummary(this.pipeline, this.inputs, Number(process.hrtime.bigint() - this.started) / 1e9, lanternVersion(), snap.summary);
    const ts = Date.now() / 1000;
    this.store.putCounters(ts, summary);
    this.emit('update', { ts, frames: summary.frames, anomalies: summary.anomaly_total, assets, connections, new_assets: fresh, more_assets: more, protocols: summary.protocols });
    return { assets, connections };
  }

  /** Waits for queued inputs. */
  async idle(): Promise<void> {
    await this.queue;
  }
}

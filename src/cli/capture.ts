// `lantern capture --interface IFACE [--filter BPF]`: live traffic from tcpdump through the same pipeline.
import { readCaptureStream, CaptureError } from '../capture/open-capture.js';
import { startLiveCapture } from '../capture/live.js';
import type { Frame } from '../capture/frame.js';
import { Pipeline } from '../pipeline/pipeline.js';
import { buildSummary, type InputReport, type Summary } from '../pipeline/summary.js';
import { createProgress } from './progress.js';
import { formatSummary } from './report.js';
import { EventLogWriter, FlowLogWriter, writeSummary } from './export.js';
import { writeInventory } from './export-inventory.js';
import type { InventorySnapshot } from '../inventory/snapshot.js';
import type { DetailOptions } from '../pipeline/detail.js';
import { lanternVersion } from './version.js';

export interface CaptureOptions {
  interface: string;
  filter?: string;
  /** Seconds between rewrites of the export (summary and inventory) while capturing. */
  refresh?: number;
  export?: string;
  duration?: number;
  count?: number;
  quiet?: boolean;
  json?: boolean;
  detail?: DetailOptions;
}

const DEFAULT_REFRESH_SECONDS = 10;

export async function captureCommand(opts: CaptureOptions): Promise<number> {
  let flowLog: FlowLogWriter | undefined;
  let eventLog: EventLogWriter | null = null;
  if (opts.export) {
    try {
      flowLog = new FlowLogWriter(opts.export);
      eventLog = new EventLogWriter(opts.export);
    } catch (err) {
      process.stderr.write(`lantern: cannot write export to ${opts.export}: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }
  }
  const pipeline = new Pipeline({ flowListener: flowLog, events: eventLog, detail: opts.detail });
  const live = startLiveCapture({ interface: opts.interface, filter: opts.filter });
  const started = process.hrtime.bigint();
  const label = `${opts.interface}${opts.filter ? ` (${opts.filter})` : ''}`;
  const progress = createProgress(label, null, !opts.quiet && !opts.json && process.stderr.isTTY === true);
  // Said once the interface is open: what is sent from then on is captured.
  void live.listening.then(() => {
    if (!opts.quiet && !opts.json) process.stderr.write(`Capturing on ${label}\n`);
  });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    live.stop();
  };
  // Stay installed until the process exits: a second signal must not kill the export being written.
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const timers: NodeJS.Timeout[] = [];
  if (opts.duration !== undefined) timers.push(setTimeout(stop, opts.duration * 1000));
  timers.push(setInterval(() => progress.update(0, pipeline.frames), 500));
  const input: InputReport = { path: `live:${opts.interface}`, format: 'pcap', compressed: false, frames: 0, file_bytes: 0, truncated: false };
  const snapshot = (): { summary: Summary; inventory: InventorySnapshot | null } => {
    const inventory = pipeline.inventorySnapshot();
    return { summary: buildSummary(pipeline, [input], Number(process.hrtime.bigint() - started) / 1e9, lanternVersion(), inventory?.summary ?? null), inventory };
  };
  if (opts.export) {
    const dir = opts.export;
    timers.push(
      setInterval(() => {
        flowLog?.flush();
        eventLog?.flush();
        const now = snapshot();
        safeExport(dir, now.summary, now.inventory);
      }, (opts.refresh ?? DEFAULT_REFRESH_SECONDS) * 1000),
    );
  }
  const count = opts.count;
  const handler = {
    onFrame(frame: Frame) {
      pipeline.onFrame(frame);
      if (count !== undefined && pipeline.frames >= count) stop();
    },
  };

  let error: string | null = null;
  try {
    const result = await readCaptureStream(live.stdout, handler, pipeline.anomalies, {
      onProgress: (bytes) => {
        input.file_bytes = bytes;
      },
    });
    input.format = result.format;
    input.frames = result.frames;
    input.file_bytes = result.fileBytes;
    // A capture stopped by us ends mid-record only if tcpdump was killed mid-write; that is not a broken file.
    input.truncated = result.truncated && !stopping;
  } catch (err) {
    error = err instanceof CaptureError || err instanceof Error ? err.message : String(err);
  }
  stop();
  const stats = await live.done;
  for (const t of timers) clearTimeout(t);
  progress.stop();
  pipeline.finish();

  if (error !== null && pipeline.frames === 0) {
    const why = stats.messages.length > 0 ? stats.messages.join('; ') : error;
    process.stderr.write(`lantern: capture on ${opts.interface} failed: ${why}\n`);
    return 1;
  }
  const final = snapshot();
  const summary = final.summary;
  summary.capture_stats = {
    tcpdump_exit_code: stats.exitCode,
    received_by_filter: stats.received,
    dropped_by_kernel: stats.droppedByKernel,
    dropped_by_interface: stats.droppedByInterface,
    messages: stats.messages,
  };
  if (opts.export) {
    try {
      flowLog?.close();
      eventLog?.close();
    } catch {
      // reported by safeExport below if the directory is unwritable
    }
    if (!safeExport(opts.export, summary, final.inventory)) return 1;
  }
  if (opts.json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  else if (!opts.quiet) {
    process.stdout.write(formatSummary(summary) + '\n');
    if (stats.droppedByKernel) process.stdout.write(`  Kernel dropped ${stats.droppedByKernel} packets (tcpdump's count)\n`);
  }
  return 0;
}

function safeExport(dir: string, summary: Summary, inventory: InventorySnapshot | null): boolean {
  try {
    if (inventory !== null) writeInventory(dir, inventory);
    writeSummary(dir, summary);
    return true;
  } catch (err) {
    process.stderr.write(`lantern: cannot write export to ${dir}: ${err instanceof Error ? err.message : String(err)}\n`);
    return false;
  }
}

// A live interface of `lantern serve`: tcpdump's stream (src/capture/live.ts) through a pipeline of its own, with the
// capture clock of that interface alone; restarted with a back-off when tcpdump dies after it had worked.
import { readCaptureStream, CaptureError } from '../capture/open-capture.js';
import type { DetectionOptions } from '../detect/engine.js';
import { startLiveCapture, type LiveCapture } from '../capture/live.js';
import { Pipeline } from '../pipeline/pipeline.js';
import type { EventOutput } from '../pipeline/events.js';
import type { DetailOptions } from '../pipeline/detail.js';
import type { InputReport } from '../pipeline/summary.js';

export interface LiveSourceOptions {
  interface: string;
  /** BPF filter, as tcpdump takes it. */
  filter?: string;
  detail?: DetailOptions;
  /** The detections (each live pipeline runs its own, learning its own baseline). */
  detection?: DetectionOptions;
  /** tcpdump binary (default: LANTERN_TCPDUMP, else `tcpdump` on the PATH). */
  tcpdump?: string;
  /** One line per event worth telling the operator (start, failure, restart). */
  log: (line: string) => void;
  /** Keeps the raw stream (the evidence ring, src/evidence/live-ring.ts): one run per tcpdump start. */
  keep?: { begin(): { write(chunk: Uint8Array): void; end(): void } };
  /** tcpdump opened the interface (each start): what is sent from now on is captured. */
  onListening?: () => void;
  /** First restart delay after tcpdump died; doubled on each further death, up to RESTART_MAX_MS. */
  restartMs?: number;
}

export type LiveState = 'starting' | 'capturing' | 'restarting' | 'failed' | 'stopped';

/** The health of one interface, as the counters snapshot (GET /api/counters) shows it. */
export interface LiveSourceHealth {
  interface: string;
  state: LiveState;
  frames: number;
  bytes: number;
  anomalies: number;
  /** Times tcpdump ended without being asked to (counted; each is logged). */
  failures: number;
  restarts: number;
  last_error: string | null;
  dropped_by_kernel: number | null;
}

const RESTART_FIRST_MS = 5_000;
/** A tcpdump that ran this long had opened its interface, even on a quiet link: its end is a failure to restart. */
const STARTED_AFTER_MS = 5_000;
const RESTART_MAX_MS = 300_000;

export class LiveSource {
  readonly pipeline: Pipeline;
  readonly input: InputReport;
  readonly health: LiveSourceHealth;
  /** Settles when the source stopped for good (asked to, or failed at its first start). */
  readonly done: Promise<void>;
  private capture: LiveCapture | null = null;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | null = null;
  private wake: (() => void) | null = null;
  private delayMs: number;

  constructor(
    events: EventOutput,
    private readonly opts: LiveSourceOptions,
  ) {
    this.pipeline = new Pipeline({ events, detail: opts.detail, detection: opts.detection });
    this.input = { path: `live:${opts.interface}`, format: 'pcap', compressed: false, frames: 0, file_bytes: 0, truncated: false };
    this.health = { interface: opts.interface, state: 'starting', frames: 0, bytes: 0, anomalies: 0, failures: 0, restarts: 0, last_error: null, dropped_by_kernel: null };
    this.delayMs = opts.restartMs ?? RESTART_FIRST_MS;
    this.done = this.run();
  }

  /** Stops tcpdump; `done` settles once its last buffered packets went through the pipeline. */
  stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer !== null) clearTimeout(this.restartTimer);
    this.wake?.();
    this.capture?.stop();
    return this.done;
  }

  private async run(): Promise<void> {
    let everWorked = false;
    while (!this.stopping) {
      const r = await this.once();
      if (this.stopping) break;
      everWorked ||= r.frames > 0 || r.ranMs >= STARTED_AFTER_MS;
      this.health.failures++;
      this.health.last_error = r.why;
      if (!everWorked) {
        // It never got going: a missing interface, no permission, no tcpdump. Retrying would only repeat the line.
        this.health.state = 'failed';
        this.opts.log(`live capture on ${this.opts.interface} failed: ${r.why}`);
        break;
      }
      this.health.state = 'restarting';
      this.opts.log(`live capture on ${this.opts.interface} stopped: ${r.why}; restarting in ${Math.round(this.delayMs / 1000)} s`);
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.restartTimer = setTimeout(resolve, this.delayMs);
      });
      this.wake = null;
      this.delayMs = Math.min(this.delayMs * 2, RESTART_MAX_MS);
      if (!this.stopping) this.health.restarts++;
    }
    if (this.stopping) this.health.state = 'stopped';
    // The interface is done: its open flows end, so their last bytes reach the inventory.
    this.pipeline.finish();
  }

  /** One tcpdump run: its frames and, when it ended on its own, why. */
  private async once(): Promise<{ frames: number; ranMs: number; why: string }> {
    const started = Date.now();
    this.health.state = 'starting';
    this.pipeline.beginInput();
    const live = (this.capture = startLiveCapture({ interface: this.opts.interface, filter: this.opts.filter, tcpdump: this.opts.tcpdump }));
    void live.listening.then(() => this.opts.onListening?.());
    // The same bytes the reader parses, teed to the ring (attached before the reader's listener: no chunk is missed).
    const kept = this.opts.keep?.begin() ?? null;
    if (kept !== null) live.stdout.on('data', (chunk: Buffer) => kept.write(chunk));
    const before = this.pipeline.frames;
    let error: string | null = null;
    this.health.state = 'capturing';
    try {
      const result = await readCaptureStream(live.stdout, this.pipeline, this.pipeline.anomalies, {
        onProgress: (bytes) => {
          this.input.file_bytes = bytes;
        },
      });
      this.input.format = result.format;
    } catch (err) {
      error = err instanceof CaptureError || err instanceof Error ? err.message : String(err);
    }
    live.stop();
    const stats = await live.done;
    kept?.end();
    this.capture = null;
    const frames = this.pipeline.frames - before;
    this.input.frames = this.pipeline.frames;
    this.health.frames = this.pipeline.frames;
    this.health.bytes = this.pipeline.capturedBytes;
    this.health.anomalies = this.pipeline.anomalies.total;
    if (stats.droppedByKernel !== null) this.health.dropped_by_kernel = (this.health.dropped_by_kernel ?? 0) + stats.droppedByKernel;
    const said = stats.messages.length > 0 ? stats.messages.join('; ') : null;
    const exit = stats.exitCode !== null ? `tcpdump exited with code ${stats.exitCode}` : stats.signal !== null ? `tcpdump ended by ${stats.signal}` : 'tcpdump ended';
    return { frames, ranMs: Date.now() - started, why: said ?? error ?? exit };
  }

  /** Refreshes the counters the health shows (called before each counters snapshot). */
  refresh(): LiveSourceHealth {
    this.health.frames = this.pipeline.frames;
    this.health.bytes = this.pipeline.capturedBytes;
    this.health.anomalies = this.pipeline.anomalies.total;
    this.input.frames = this.pipeline.frames;
    return this.health;
  }
}

// Batches the pipeline's routed events into store writes: one transaction per MAX_BATCH records or per flush(),
// whichever comes first, so a crash loses at most the records not yet flushed.
import type { EventOutput, HintRecord } from '../pipeline/events.js';
import type { EventRecord, Store } from './store.js';

/** Records buffered per kind before a write; also the bound on what a crash can lose. */
export const MAX_BATCH = 5000;

export class StoreBatchWriter implements EventOutput {
  private events: EventRecord[] = [];
  private hints: HintRecord[] = [];
  written = 0;
  rejected = 0;

  constructor(
    private readonly store: Store,
    private readonly maxBatch = MAX_BATCH,
  ) {}

  transaction(record: EventRecord): void {
    this.events.push(record);
    if (this.events.length >= this.maxBatch) this.flushEvents();
  }

  hint(record: HintRecord): void {
    this.hints.push(record);
    if (this.hints.length >= this.maxBatch) this.flushHints();
  }

  /** Writes what is buffered; call it on a timer (live capture) and at the end. */
  flush(): void {
    this.flushEvents();
    this.flushHints();
  }

  get pending(): number {
    return this.events.length + this.hints.length;
  }

  private flushEvents(): void {
    if (this.events.length === 0) return;
    const batch = this.events;
    this.events = [];
    this.count(this.store.appendEvents(batch));
  }

  private flushHints(): void {
    if (this.hints.length === 0) return;
    const batch = this.hints;
    this.hints = [];
    this.count(this.store.appendHints(batch));
  }

  private count(r: { written: number; rejected: unknown[] }): void {
    this.written += r.written;
    this.rejected += r.rejected.length;
  }
}

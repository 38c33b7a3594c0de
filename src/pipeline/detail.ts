// Detail levels for exported transactions. `full` writes every transaction. `normal` (the default) writes every
// write, program and control operation and every exception or unanswered request, and folds repeated identical polls
// (same client, server, operation and target, answered normally) into their first occurrence plus a `repeat_summary`
// record with the count, span and latency range, written when the repeats span REPEAT_WINDOW_SEC or at the end.
// Security Onion dropped ICSNPP's modbus_detailed log after 214 k events made 4.9 M records: polls are the bulk.
import type { Access } from '../protocols/operation.js';
import type { EventRecordBase } from './events.js';
import type { TransactionEvent } from '../protocols/operation.js';

export type DetailLevel = 'full' | 'normal';
export const DETAIL_LEVELS: readonly DetailLevel[] = ['full', 'normal'];

export interface DetailOptions {
  /** Level for protocols not named in `perProtocol`. */
  level?: DetailLevel;
  perProtocol?: Record<string, DetailLevel>;
}

export type TransactionRecord = EventRecordBase & TransactionEvent;

export interface RepeatSummaryRecord {
  ts: number;
  protocol: string;
  type: 'repeat_summary';
  flow: number;
  client: EventRecordBase['client'];
  server: EventRecordBase['server'];
  operation: TransactionEvent['operation'];
  target: TransactionEvent['target'];
  outcome: 'ok';
  /** Transactions folded into this record (not counting the first, which was written as itself). */
  repeats: number;
  first_ts: number;
  last_ts: number;
  latency_ms_min: number | null;
  latency_ms_max: number | null;
}

/** Always written, whatever the level: they change the process or its program. */
const ALWAYS: ReadonlySet<Access> = new Set<Access>(['write', 'program', 'control']);
/** Repeats are summarised at least this often (capture time), so a live capture shows polls as they go on. */
export const REPEAT_WINDOW_SEC = 300;
/** Distinct polls tracked at once; beyond it transactions are written in full (and counted). */
export const MAX_TRACKED_POLLS = 50_000;

interface Repeat {
  first: TransactionRecord;
  count: number;
  lastTs: number;
  minLatency: number | null;
  maxLatency: number | null;
}

export class DetailFilter {
  private readonly repeats = new Map<string, Repeat>();
  overflow = 0;

  constructor(
    private readonly options: DetailOptions,
    private readonly write: (record: TransactionRecord | RepeatSummaryRecord) => void,
    private readonly folded: (protocol: string) => void,
  ) {}

  offer(rec: TransactionRecord): void {
    const level = this.options.perProtocol?.[rec.protocol] ?? this.options.level ?? 'normal';
    if (level === 'full' || rec.outcome !== 'ok' || ALWAYS.has(rec.operation.access)) {
      this.write(rec);
      return;
    }
    const key = `${rec.protocol}|${rec.flow}|${rec.origin}|${rec.operation.code}|${rec.operation.sub?.code ?? ''}|${JSON.stringify(rec.target)}`;
    const rep = this.repeats.get(key);
    if (rep === undefined) {
      if (this.repeats.size >= MAX_TRACKED_POLLS) this.overflow++;
      else this.repeats.set(key, { first: rec, count: 0, lastTs: rec.ts, minLatency: null, maxLatency: null });
      this.write(rec);
      return;
    }
    rep.count++;
    rep.lastTs = rec.ts;
    const l = rec.latency_ms;
    if (l !== null) {
      if (rep.minLatency === null || l < rep.minLatency) rep.minLatency = l;
      if (rep.maxLatency === null || l > rep.maxLatency) rep.maxLatency = l;
    }
    this.folded(rec.protocol);
    if (rep.lastTs - rep.first.ts >= REPEAT_WINDOW_SEC) this.close(key, rep);
  }

  /**
   * Writes the summaries whose window has passed by `nowSec`. Polls are tracked in order of their first transaction
   * (capture time only moves on), so the walk stops at the first one still inside its window; a poll a little out of
   * order waits at most until the one before it expires.
   */
  expire(nowSec: number): void {
    for (const [key, rep] of this.repeats) {
      if (nowSec - rep.first.ts < REPEAT_WINDOW_SEC) break;
      this.close(key, rep);
    }
  }

  finish(): void {
    for (const [key, rep] of this.repeats) this.close(key, rep);
  }

  private close(key: string, rep: Repeat): void {
    this.repeats.delete(key);
    if (rep.count === 0) return;
    const f = rep.first;
    this.write({
      ts: f.ts,
      protocol: f.protocol,
      type: 'repeat_summary',
      flow: f.flow,
      client: f.client,
      server: f.server,
      operation: f.operation,
      target: f.target,
      outcome: 'ok',
      repeats: rep.count,
      first_ts: f.ts,
      last_ts: rep.lastTs,
      latency_ms_min: rep.minLatency,
      latency_ms_max: rep.maxLatency,
    });
  }
}

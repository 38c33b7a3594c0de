// The notifier: alerts offered by the pipeline are queued for every target whose filters they pass, then delivered
// in the background, one at a time per target, with retries (exponential backoff with jitter) and a dead-letter count.
// Best effort, bounded and in memory: the store keeps every alert; a notification that cannot be delivered is counted,
// never allowed to slow the pipeline. `offer` never throws and never waits. What is still queued at `close` is handed
// back, so `serve` keeps it in the store and `restore` queues it again at the next start.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { AnomalyCounter } from '../common/anomaly.js';
import { lanternVersion } from '../cli/version.js';
import { NOTIFY_ANOMALIES } from './anomalies.js';
import { DEFAULT_PORT, DEFAULT_FRAMING, deliveryKey } from './config.js';
import { renderMessage, type Rendered } from './render.js';
import { StreamTransport, UdpTransport } from './syslog-transport.js';
import { failure, type SendResult, type Transport } from './transport.js';
import { WebhookTransport } from './webhook.js';
import { NOTIFY_SEVERITIES, type DeadLetter, type NotifyAlert, type NotifyEventType, type NotifyTarget, type TargetCounters, type TestOutcome } from './types.js';

export const DEFAULT_QUEUE_CAP = 1000;
export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_BACKOFF_MS = 1000;
export const DEFAULT_BACKOFF_MAX_MS = 60_000;
export const DEFAULT_JITTER = 0.2;
/** An alert already sent to a target is sent again when its count grew, at most this often. */
export const DEFAULT_RESEND_INTERVAL_MS = 5 * 60_000;
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Alerts remembered per target as sent (oldest forgotten first). */
export const DEFAULT_SENT_MEMORY = 10_000;
export const DEAD_LETTERS_KEPT = 20;
export const DEFAULT_CLOSE_DEADLINE_MS = 5000;
/** Alerts the analyst called noise are not announced again. */
const QUIET_STATUSES: readonly string[] = ['false_positive', 'learned'];

export interface NotifierOptions {
  targets?: readonly NotifyTarget[];
  queueCap?: number;
  /** Attempts per notification, the first included. */
  maxAttempts?: number;
  /** Wait after the first failure; doubled after each (up to backoffMaxMs), then spread by ±jitter. */
  backoffMs?: number;
  backoffMaxMs?: number;
  /** 0..1. */
  jitter?: number;
  resendIntervalMs?: number;
  /** Per attempt: the webhook's answer, a syslog connection or write. */
  timeoutMs?: number;
  sentMemory?: number;
  hostname?: string;
  procId?: string;
  version?: string;
  /** Milliseconds; tests set it. */
  now?: () => number;
  /** 0..1; tests set it. */
  random?: () => number;
}

interface Settings {
  queueCap: number;
  maxAttempts: number;
  backoffMs: number;
  backoffMaxMs: number;
  jitter: number;
  resendIntervalMs: number;
  timeoutMs: number;
  sentMemory: number;
  hostname: string;
  procId: string;
  version: string;
  now: () => number;
  random: () => number;
}

interface Job {
  alert: NotifyAlert;
  event: NotifyEventType;
  delivery: string;
  attempts: number;
}

/** A notification still queued when the notifier closed: kept across a restart (same delivery id: receivers dedupe). */
export interface PendingNotification extends Job {
  target: string;
}

export interface TargetStatus {
  id: string;
  counters: TargetCounters;
}

const severityRank = (s: string) => NOTIFY_SEVERITIES.indexOf(s as (typeof NOTIFY_SEVERITIES)[number]);

/** Creates the transport of a target (a fresh one per call). */
export function createTransport(t: NotifyTarget, timeoutMs: number, version: string): Transport {
  if (t.kind === 'webhook') return new WebhookTransport(t.url ?? '', timeoutMs, `Lantern/${version}`);
  const transport = t.transport ?? 'udp';
  const port = t.port ?? DEFAULT_PORT[transport];
  if (transport === 'udp') return new UdpTransport(t.host ?? '', port);
  return new StreamTransport({ host: t.host ?? '', port, tls: transport === 'tls', caFile: t.ca_file ?? null, framing: t.framing ?? DEFAULT_FRAMING, timeoutMs });
}

/** What a test notification carries: recognisable as a test by its detection, kind and title. */
export function testAlert(nowMs: number): NotifyAlert {
  const t = Math.floor(nowMs / 1000);
  return {
    id: 'al_test',
    detection: 'lantern.test',
    title: 'Lantern test notification',
    kind: 'test',
    severity: 'info',
    score: 0,
    confidence: 1,
    techniques: [],
    tactics: [],
    src: null,
    dst: null,
    protocol: null,
    first_seen: t,
    last_seen: t,
    count: 1,
    status: 'new',
  };
}

class TargetWorker {
  readonly queue: Job[] = [];
  readonly counters: TargetCounters = { queued: 0, pending: 0, sent: 0, retried: 0, dead_lettered: 0, dropped: 0, last_error: null, last_error_at: null, last_success: null };
  readonly deadLetters: DeadLetter[] = [];
  /** Alert id → the count last queued and when (insertion order is age: the oldest is forgotten first). */
  readonly sent = new Map<string, { count: number; at: number }>();
  private transport: Transport | null = null;
  private running = false;
  private stopped = false;
  private sleeping: { timer: ReturnType<typeof setTimeout>; wake: () => void } | null = null;
  private readonly abort = new AbortController();
  private idleWaiters: (() => void)[] = [];

  constructor(
    public target: NotifyTarget,
    private readonly s: Settings,
    private readonly anomalies: AnomalyCounter,
  ) {}

  reconfigure(t: NotifyTarget): void {
    if (deliveryKey(t) !== deliveryKey(this.target)) {
      this.transport?.close();
      this.transport = null;
    }
    this.target = t;
    // Disabled: what waits is not sent either.
    if (!t.enabled) this.discardQueued();
  }

  offer(a: NotifyAlert, hint: NotifyEventType | undefined): boolean {
    const t = this.target;
    if (!t.enabled || this.stopped) return false;
    if (severityRank(a.severity) < severityRank(t.min_severity)) return false;
    if (!((Number.isFinite(a.score) ? a.score : 0) >= t.min_score)) return false;
    const now = this.s.now();
    const prev = this.sent.get(a.id);
    let event: NotifyEventType;
    if (prev === undefined) event = hint ?? 'alert.new';
    else if (a.count > prev.count && now - prev.at >= this.s.resendIntervalMs) event = 'alert.updated';
    else return false;
    return this.enqueue({ alert: a, event, delivery: randomUUID(), attempts: 0 }, now);
  }

  /** Queues again a notification kept from an earlier run; false when the target is off or its queue is full. */
  restore(job: Job): boolean {
    if (!this.target.enabled || this.stopped) return false;
    return this.enqueue({ alert: job.alert, event: job.event, delivery: job.delivery, attempts: Math.max(0, Math.min(job.attempts, this.s.maxAttempts - 1)) }, this.s.now());
  }

  /** Queues a job (or drops and counts it when the queue is full), remembers its alert as sent, starts delivery. */
  private enqueue(job: Job, now: number): boolean {
    if (this.queue.length >= this.s.queueCap) {
      this.counters.dropped++;
      this.anomalies.add(NOTIFY_ANOMALIES.codes.queue_full);
      return false;
    }
    this.queue.push(job);
    this.counters.queued++;
    const id = job.alert.id;
    this.sent.delete(id);
    this.sent.set(id, { count: job.alert.count, at: now });
    if (this.sent.size > this.s.sentMemory) {
      this.sent.delete(this.sent.keys().next().value!);
      this.anomalies.add(NOTIFY_ANOMALIES.codes.sent_memory_full);
    }
    if (!this.running) {
      this.running = true;
      // Delivery starts after the caller's work, never inside it.
      setImmediate(() => void this.pump());
    }
    return true;
  }

  private async pump(): Promise<void> {
    try {
      while (this.queue.length > 0 && !this.stopped) {
        const job = this.queue[0];
        job.attempts++;
        const r = await this.attempt(job);
        if (this.stopped) break;
        // The job may have been discarded (target disabled) while it was in flight.
        if (this.queue[0] !== job) continue;
        const now = this.s.now() / 1000;
        if (r.ok) {
          this.queue.shift();
          this.counters.sent++;
          this.counters.last_success = now;
          continue;
        }
        this.counters.last_error = r.error;
        this.counters.last_error_at = now;
        if (!r.retry || job.attempts >= this.s.maxAttempts) {
          this.queue.shift();
          this.deadLetter(job, r.error, now);
          continue;
        }
        this.counters.retried++;
        await this.sleep(this.delay(job.attempts, r.retryAfterMs));
      }
    } finally {
      this.running = false;
      for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  private async attempt(job: Job): Promise<SendResult> {
    let m: Rendered;
    try {
      m = renderMessage(this.target, job.alert, job.event, { hostname: this.s.hostname, procId: this.s.procId, version: this.s.version, now: this.s.now(), delivery: job.delivery });
    } catch (err) {
      // An alert that cannot be written (a caller's malformed record) will not be written better next time.
      return failure(err, false);
    }
    if (m.truncated) this.anomalies.add(NOTIFY_ANOMALIES.codes.message_truncated);
    try {
      this.transport ??= createTransport(this.target, this.s.timeoutMs, this.s.version);
      return await this.transport.send(m.body, m.headers, this.abort.signal);
    } catch (err) {
      return failure(err);
    }
  }

  /** Backoff after the n-th failed attempt: base × 2^(n-1), at most the maximum, ±jitter; longer if the receiver asks. */
  private delay(failures: number, retryAfterMs: number | null): number {
    const d = Math.min(this.s.backoffMaxMs, this.s.backoffMs * 2 ** (failures - 1));
    const spread = d * (1 + this.s.jitter * (this.s.random() * 2 - 1));
    return Math.max(retryAfterMs ?? 0, Math.max(0, Math.round(spread)));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleeping = null;
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleeping = { timer, wake };
    });
  }

  private deadLetter(job: Job, error: string, now: number): void {
    this.counters.dead_lettered++;
    this.deadLetters.push({ at: now, alert: job.alert.id, title: job.alert.title, event: job.event, attempts: job.attempts, error });
    if (this.deadLetters.length > DEAD_LETTERS_KEPT) this.deadLetters.shift();
  }

  private discardQueued(): void {
    this.counters.dropped += this.queue.length;
    this.queue.length = 0;
    this.sleeping?.wake();
  }

  /** Takes what is still queued out of the worker, for keeping (not counted as dropped). */
  takeQueued(): Job[] {
    const jobs = this.queue.splice(0, this.queue.length);
    this.sleeping?.wake();
    return jobs;
  }

  get idle(): boolean {
    return !this.running && this.queue.length === 0;
  }

  whenIdle(): Promise<void> {
    return this.idle ? Promise.resolve() : new Promise((r) => this.idleWaiters.push(r));
  }

  snapshot(): TargetCounters {
    return { ...this.counters, pending: this.queue.length };
  }

  /** Ends at once: what is still queued is counted as dropped; an attempt in flight is aborted. */
  stop(): void {
    this.discardQueued();
    this.stopped = true;
    this.abort.abort();
    this.transport?.close();
    this.transport = null;
  }
}

export class Notifier {
  readonly anomalies = new AnomalyCounter();
  /** Offers that failed inside the notifier (a bug): counted, never thrown at the caller. */
  internalErrors = 0;
  private readonly workers = new Map<string, TargetWorker>();
  private readonly s: Settings;
  private closed = false;

  constructor(o: NotifierOptions = {}) {
    this.s = {
      queueCap: o.queueCap ?? DEFAULT_QUEUE_CAP,
      maxAttempts: Math.max(1, o.maxAttempts ?? DEFAULT_MAX_ATTEMPTS),
      backoffMs: o.backoffMs ?? DEFAULT_BACKOFF_MS,
      backoffMaxMs: o.backoffMaxMs ?? DEFAULT_BACKOFF_MAX_MS,
      jitter: Math.min(1, Math.max(0, o.jitter ?? DEFAULT_JITTER)),
      resendIntervalMs: o.resendIntervalMs ?? DEFAULT_RESEND_INTERVAL_MS,
      timeoutMs: o.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      sentMemory: o.sentMemory ?? DEFAULT_SENT_MEMORY,
      hostname: o.hostname ?? hostname(),
      procId: o.procId ?? String(process.pid),
      version: o.version ?? lanternVersion(),
      now: o.now ?? Date.now,
      random: o.random ?? Math.random,
    };
    this.setTargets(o.targets ?? []);
  }

  /** Replaces the configuration: counters, queues and connections of targets that stay are kept. */
  setTargets(targets: readonly NotifyTarget[]): void {
    const ids = new Set(targets.map((t) => t.id));
    for (const [id, w] of this.workers) {
      if (!ids.has(id)) {
        w.stop();
        this.workers.delete(id);
      }
    }
    for (const t of targets) {
      const w = this.workers.get(t.id);
      if (w === undefined) this.workers.set(t.id, new TargetWorker(t, this.s, this.anomalies));
      else w.reconfigure(t);
    }
  }

  get targets(): NotifyTarget[] {
    return [...this.workers.values()].map((w) => w.target);
  }

  /**
   * Queues the alert for each target it passes (score, severity, not already sent unless its count grew after the
   * resend interval). `event` says whether the caller knows the alert to be new or updated, for targets that have
   * not seen it yet (after a restart); default new. Returns how many targets it was queued for.
   */
  offer(alert: NotifyAlert, event?: NotifyEventType): number {
    if (this.closed) return 0;
    let n = 0;
    try {
      if (QUIET_STATUSES.includes(alert.status)) return 0;
      for (const w of this.workers.values()) if (w.offer(alert, event)) n++;
    } catch {
      this.internalErrors++;
    }
    return n;
  }

  status(): TargetStatus[] {
    return [...this.workers.values()].map((w) => ({ id: w.target.id, counters: w.snapshot() }));
  }

  counters(id: string): TargetCounters | null {
    return this.workers.get(id)?.snapshot() ?? null;
  }

  /** The last dead letters of a target, newest first; null for an unknown target. */
  deadLetters(id: string): DeadLetter[] | null {
    const w = this.workers.get(id);
    return w === undefined ? null : [...w.deadLetters].reverse();
  }

  /** Sends a test notification to the target now, once, on a connection of its own; counters are not touched. */
  async test(target: NotifyTarget): Promise<TestOutcome> {
    const started = performance.now();
    const transport = createTransport(target, this.s.timeoutMs, this.s.version);
    let r: SendResult;
    try {
      const now = this.s.now();
      const m = renderMessage(target, testAlert(now), 'alert.new', { hostname: this.s.hostname, procId: this.s.procId, version: this.s.version, now, delivery: randomUUID() });
      r = await transport.send(m.body, m.headers, AbortSignal.timeout(this.s.timeoutMs * 2));
    } catch (err) {
      r = failure(err);
    } finally {
      transport.close();
    }
    return { ok: r.ok, status: r.status, error: r.ok ? null : r.error, ms: Math.round(performance.now() - started) };
  }

  /** Resolves when every queue is empty and nothing is in flight (tests, and `close`). */
  async idle(): Promise<void> {
    await Promise.all([...this.workers.values()].map((w) => w.whenIdle()));
  }

  /**
   * Stops taking alerts, lets the queues drain until the deadline, closes connections, and returns what is left
   * (the caller keeps it for `restore`; with `keep: false` it is dropped and counted).
   */
  async close(deadlineMs = DEFAULT_CLOSE_DEADLINE_MS, keep = true): Promise<PendingNotification[]> {
    if (this.closed) return [];
    this.closed = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.idle(), new Promise<void>((r) => (timer = setTimeout(r, deadlineMs)))]);
    clearTimeout(timer);
    const left: PendingNotification[] = [];
    for (const [id, w] of this.workers) {
      if (keep) for (const j of w.takeQueued()) left.push({ target: id, ...j });
      w.stop();
    }
    return left;
  }

  /**
   * Queues again what an earlier run's `close` returned (read back from the store: anything malformed is skipped).
   * Notifications for targets that are gone or switched off are dropped. Returns how many were queued.
   */
  restore(pending: unknown): number {
    if (!Array.isArray(pending)) return 0;
    let n = 0;
    for (const p of pending as unknown[]) {
      if (!isPending(p)) {
        this.anomalies.add(NOTIFY_ANOMALIES.codes.invalid_pending);
        continue;
      }
      const w = this.workers.get(p.target);
      if (w !== undefined && w.restore(p)) n++;
    }
    return n;
  }
}

function isPending(p: unknown): p is PendingNotification {
  if (typeof p !== 'object' || p === null) return false;
  const o = p as Record<string, unknown>;
  const a = o.alert as Record<string, unknown> | null;
  return (
    typeof o.target === 'string' &&
    (o.event === 'alert.new' || o.event === 'alert.updated') &&
    typeof o.delivery === 'string' &&
    typeof o.attempts === 'number' &&
    typeof a === 'object' &&
    a !== null &&
    typeof a.id === 'string' &&
    typeof a.title === 'string' &&
    typeof a.severity === 'string' &&
    typeof a.count === 'number'
  );
}

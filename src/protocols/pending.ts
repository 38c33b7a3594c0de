// Requests waiting for their responses, per session: matched by a protocol key (Modbus transaction id, DNP3
// application sequence, S7 PDU reference...), capped, and expired by capture time into `no_response` transactions.

export interface PendingOptions {
  /** At most this many requests wait at once; the oldest is given up (as unanswered) to make room. */
  maxPending?: number;
  /** A request older than this (capture seconds) is unanswered. */
  timeoutSec?: number;
}

export const DEFAULT_MAX_PENDING = 256;
export const DEFAULT_RESPONSE_TIMEOUT_SEC = 30;

interface Entry<R> {
  readonly key: number | string;
  readonly request: R;
  readonly ts: number;
}

/**
 * Insertion-ordered map of pending requests. `onUnanswered` receives each request given up (timeout, cap, duplicate
 * key, end of flow), so the session can emit its `no_response` transaction; `capped` counts those evicted by the cap.
 */
export class PendingRequests<R> {
  private readonly entries = new Map<number | string, Entry<R>>();
  private readonly maxPending: number;
  private readonly timeoutSec: number;
  capped = 0;

  constructor(
    private readonly onUnanswered: (request: R, ts: number, why: 'timeout' | 'cap' | 'replaced' | 'end') => void,
    options: PendingOptions = {},
  ) {
    this.maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
    this.timeoutSec = options.timeoutSec ?? DEFAULT_RESPONSE_TIMEOUT_SEC;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Registers a request; a request already waiting under the same key is given up first. */
  add(key: number | string, request: R, ts: number): void {
    this.expire(ts);
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.entries.delete(key);
      this.onUnanswered(old.request, old.ts, 'replaced');
    }
    if (this.entries.size >= this.maxPending) {
      const oldest = this.entries.values().next().value as Entry<R>;
      this.entries.delete(oldest.key);
      this.capped++;
      this.onUnanswered(oldest.request, oldest.ts, 'cap');
    }
    this.entries.set(key, { key, request, ts });
  }

  /** The request waiting under `key` (removed), or undefined: a response without a request. */
  take(key: number | string): { request: R; ts: number } | undefined {
    const e = this.entries.get(key);
    if (e === undefined) return undefined;
    this.entries.delete(key);
    return e;
  }

  /** The oldest waiting request (removed): for protocols that answer in order without a key. */
  takeOldest(): { request: R; ts: number } | undefined {
    const first = this.entries.values().next();
    if (first.done) return undefined;
    this.entries.delete(first.value.key);
    return first.value;
  }

  /** Gives up requests older than the timeout. */
  expire(now: number): void {
    for (const e of this.entries.values()) {
      if (now - e.ts <= this.timeoutSec) break;
      this.entries.delete(e.key);
      this.onUnanswered(e.request, e.ts, 'timeout');
    }
  }

  /** End of the flow: every request still waiting is unanswered. */
  drain(): void {
    for (const e of this.entries.values()) this.onUnanswered(e.request, e.ts, 'end');
    this.entries.clear();
  }
}

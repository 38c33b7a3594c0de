// Webhook notifications: the alert as JSON with its event and send time, signed like GitHub's webhooks
// (`X-Lantern-Signature: sha256=<HMAC-SHA256 of the body, hex>`), POSTed with a timeout; 2xx is delivered, 408, 429
// and 5xx are tried again (after Retry-After when given), any other answer is final.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { failure, type SendResult, type Transport } from './transport.js';
import type { NotifyAlert, NotifyEventType } from './types.js';

export const SIGNATURE_HEADER = 'x-lantern-signature';
export const EVENT_HEADER = 'x-lantern-event';
/** The same for every attempt of one notification: receivers drop repeats with it. */
export const DELIVERY_HEADER = 'x-lantern-delivery';
/** Bytes of a failed answer read for the error message (the rest is discarded). */
const MAX_ERROR_BODY = 200;
const MAX_RETRY_AFTER_MS = 600_000;

export interface WebhookPayload extends NotifyAlert {
  event: NotifyEventType;
  /** Unix seconds. */
  sent_at: number;
}

export function webhookBody(a: NotifyAlert, event: NotifyEventType, sentAt: number): string {
  const payload: WebhookPayload = { event, sent_at: sentAt, ...a };
  return JSON.stringify(payload);
}

/** `sha256=` and the hex HMAC-SHA256 of the body under the shared secret. */
export function signature(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** What a receiver does: recompute the signature and compare in constant time. */
export function verifySignature(body: string | Buffer, secret: string, header: string | undefined): boolean {
  if (header === undefined) return false;
  const want = Buffer.from(signature(body, secret));
  const got = Buffer.from(header);
  return want.length === got.length && timingSafeEqual(want, got);
}

/** Seconds or an HTTP date, as milliseconds from now; null when absent or unreadable. */
export function parseRetryAfter(v: string | null, nowMs: number): number | null {
  if (v === null) return null;
  const s = v.trim();
  const ms = /^\d+$/.test(s) ? Number(s) * 1000 : Date.parse(s) - nowMs;
  return Number.isFinite(ms) ? Math.min(Math.max(0, ms), MAX_RETRY_AFTER_MS) : null;
}

export class WebhookTransport implements Transport {
  constructor(
    private readonly url: string,
    private readonly timeoutMs: number,
    private readonly userAgent: string,
  ) {}

  async send(body: Buffer, headers: Record<string, string>, signal: AbortSignal): Promise<SendResult> {
    let res: Response;
    try {
      // fetch keeps connections to the receiver alive between notifications (undici's pool).
      res = await fetch(this.url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'user-agent': this.userAgent, ...headers },
        redirect: 'manual',
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.timeoutMs)]),
      });
    } catch (err) {
      const cause = (err as { cause?: unknown }).cause;
      if (err instanceof Error && err.name === 'TimeoutError') return failure(new Error(`no answer within ${this.timeoutMs} ms`));
      return failure(cause instanceof Error ? cause : err);
    }
    const text = await readSome(res, res.ok ? 0 : MAX_ERROR_BODY);
    if (res.ok) return { ok: true, status: res.status };
    const error = `HTTP ${res.status}${text !== '' ? `: ${text}` : ''}`;
    const retry = res.status === 408 || res.status === 429 || res.status >= 500;
    return failure(new Error(error), retry, res.status, retry ? parseRetryAfter(res.headers.get('retry-after'), Date.now()) : null);
  }

  close(): void {
    // Connections belong to fetch's pool and close when idle.
  }
}

/** Reads the answer (so the connection can be reused) and keeps its first `keep` bytes as text. */
async function readSome(res: Response, keep: number): Promise<string> {
  if (res.body === null) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let kept = 0;
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (kept < keep) {
        chunks.push(value.subarray(0, keep - kept));
        kept += Math.min(value.length, keep - kept);
      }
      // A huge answer is not worth reading to the end: the connection is given up instead.
      if (total > 65_536) {
        await reader.cancel();
        break;
      }
    }
  } catch {
    // The answer's status is what counts.
  }
  return Buffer.concat(chunks).toString('utf8').replace(/\s+/g, ' ').trim();
}

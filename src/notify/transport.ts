// What a delivery attempt answers, the same for every transport: delivered, or failed and worth trying again or not.

export type SendResult =
  | { ok: true; status: number | null }
  | {
      ok: false;
      /** False: trying again cannot help (a 4xx answer, a message too large): dead-lettered at once. */
      retry: boolean;
      error: string;
      status: number | null;
      /** The receiver asked to wait this long (HTTP Retry-After). */
      retryAfterMs: number | null;
    };

export interface Transport {
  /** One attempt; never rejects. `signal` aborts it (shutdown). */
  send(body: Buffer, headers: Record<string, string>, signal: AbortSignal): Promise<SendResult>;
  /** Ends connections; the transport may still be used afterwards (it reconnects). */
  close(): void;
}

export function failure(err: unknown, retry = true, status: number | null = null, retryAfterMs: number | null = null): SendResult {
  const error = err instanceof Error ? `${(err as NodeJS.ErrnoException).code ? `${(err as NodeJS.ErrnoException).code}: ` : ''}${err.message}` : String(err);
  return { ok: false, retry, error: error.slice(0, 500), status, retryAfterMs };
}

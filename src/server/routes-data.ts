// The data API: assets, connections, protocol events (filters and keyset paging), counters, and capture upload.
// Lists answer `{items, next}`: `next` is the cursor of the following page (null on the last).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from './errors.js';
import { StoreError, MAX_HISTOGRAM_BUCKETS, MAX_PAGE_LIMIT, type EventQuery, type Store } from '../store/store.js';
import type { Sensor } from './sensor.js';
import { ACCESS, OUTCOMES } from '../protocols/operation.js';

/** Largest capture accepted by upload. */
export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

/** A stored record, returned as written (its schema is in the docs, not repeated here). */
export const RECORD_SCHEMA = { type: 'object', additionalProperties: true } as const;
const record = RECORD_SCHEMA;
const page = (items: object) => ({ type: 'object', required: ['items', 'next'], properties: { items: { type: 'array', items }, next: { type: ['string', 'null'] } } }) as const;
const paging = { cursor: { type: 'string', maxLength: 512 }, limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE_LIMIT, default: 50 } } as const;
/** The error responses of an authenticated route. */
export const ERROR_RESPONSES = { 400: { $ref: 'Error#' }, 401: { $ref: 'Error#' }, 403: { $ref: 'Error#' }, 404: { $ref: 'Error#' } };
const errors = ERROR_RESPONSES;

const EVENT_FILTER = {
  from: { type: 'number', description: 'capture time, seconds, inclusive' },
  to: { type: 'number', description: 'capture time, seconds, exclusive' },
  protocol: { type: 'string', maxLength: 32 },
  asset: { type: 'string', maxLength: 64, description: 'IP address of either side' },
  operation: { type: 'string', maxLength: 64 },
  access: { type: 'string', enum: ACCESS },
  outcome: { type: 'string', enum: OUTCOMES },
  type: { type: 'string', enum: ['transaction', 'repeat_summary'] },
  q: { type: 'string', maxLength: 200, description: 'text anywhere in the record (slow; combine with other filters)' },
} as const;

/** Events a sub-hour histogram may scan before it falls back to hourly bins. */
const HISTOGRAM_SCAN_LIMIT = 2_000_000;
const ROUND_WIDTHS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/** The smallest round bucket width (seconds) at least `seconds`. */
export function bucketWidth(seconds: number): number {
  for (const w of ROUND_WIDTHS) if (w >= seconds) return w;
  return Math.ceil(seconds / 86400) * 86400;
}

/** Store misuse by the caller (a bad cursor) is the caller's error. */
export function guard<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof StoreError) throw new ApiError('request.invalid', err.message);
    throw err;
  }
}

export type AuditFn = (req: FastifyRequest, action: string, target: string, detail?: Record<string, unknown>) => void;

export function registerDataRoutes(app: FastifyInstance, store: Store, sensor: Sensor | null, uploadDir: string, audit: AuditFn): void {
  app.get(
    '/api/assets',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Assets, paged (docs/inventory.md for the record)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { ...paging, sort: { type: 'string', enum: ['id', 'last_seen', 'first_seen'] }, ip: { type: 'string', maxLength: 64 }, role: { type: 'string', maxLength: 32 }, protocol: { type: 'string', maxLength: 32 }, external: { type: 'boolean' }, q: { type: 'string', maxLength: 200 } },
        },
        response: { 200: page(record), ...errors },
      },
    },
    async (req) => {
      const q = req.query as { cursor?: string; limit: number; sort?: 'id' | 'last_seen' | 'first_seen'; ip?: string; role?: string; protocol?: string; external?: boolean; q?: string };
      return guard(() => store.listAssets({ filter: { ip: q.ip, role: q.role, protocol: q.protocol, external: q.external, text: q.q }, sort: q.sort, cursor: q.cursor, limit: q.limit }));
    },
  );

  app.get(
    '/api/assets/:id',
    { config: { role: 'viewer' }, schema: { summary: 'One asset', params: { type: 'object', properties: { id: { type: 'string', maxLength: 300 } } }, response: { 200: record, ...errors } } },
    async (req) => {
      const a = store.getAsset((req.params as { id: string }).id);
      if (a === null) throw new ApiError('not_found', 'no such asset');
      return a;
    },
  );

  app.get(
    '/api/connections',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Communication-map edges, paged',
        querystring: { type: 'object', additionalProperties: false, properties: { ...paging, ip: { type: 'string', maxLength: 64 }, protocol: { type: 'string', maxLength: 32 } } },
        response: { 200: page(record), ...errors },
      },
    },
    async (req) => {
      const q = req.query as { cursor?: string; limit: number; ip?: string; protocol?: string };
      const p = guard(() => store.listConnections({ ip: q.ip, protocol: q.protocol, cursor: q.cursor, limit: q.limit }));
      return { items: p.items.map((c) => c.record), next: p.next };
    },
  );

  const eventQuery = (q: Record<string, unknown>): EventQuery => ({
    from: q.from as number | undefined,
    to: q.to as number | undefined,
    protocol: q.protocol as string | undefined,
    asset: q.asset as string | undefined,
    operation: q.operation as string | undefined,
    access: q.access as EventQuery['access'],
    outcome: q.outcome as EventQuery['outcome'],
    type: q.type as EventQuery['type'],
    text: q.q as string | undefined,
  });

  app.get(
    '/api/events',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Protocol events (transactions and repeat summaries), newest first, paged',
        querystring: { type: 'object', additionalProperties: false, properties: { ...paging, ...EVENT_FILTER } },
        response: { 200: page(record), ...errors },
      },
    },
    async (req) => {
      const q = req.query as Record<string, unknown>;
      const p = guard(() => store.queryEvents({ ...eventQuery(q), cursor: q.cursor as string | undefined, limit: q.limit as number }));
      return { items: p.items.map((e) => ({ id: e.id, ...e.record })), next: p.next };
    },
  );

  app.get(
    '/api/events/count',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'How many events match the filter',
        querystring: { type: 'object', additionalProperties: false, properties: EVENT_FILTER },
        response: { 200: { type: 'object', required: ['count'], properties: { count: { type: 'integer' } } }, ...errors },
      },
    },
    async (req) => ({ count: guard(() => store.countEvents(eventQuery(req.query as Record<string, unknown>))) }),
  );

  app.get(
    '/api/events/histogram',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Events over capture time, per protocol: about `buckets` bins of a round width over the window (all stored events by default)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { from: EVENT_FILTER.from, to: EVENT_FILTER.to, protocol: EVENT_FILTER.protocol, buckets: { type: 'integer', minimum: 1, maximum: MAX_HISTOGRAM_BUCKETS, default: 60 } },
        },
        response: {
          200: {
            type: 'object',
            required: ['from', 'to', 'bucket_seconds', 'bins'],
            properties: {
              from: { type: ['number', 'null'] },
              to: { type: ['number', 'null'] },
              bucket_seconds: { type: 'number' },
              bins: { type: 'array', items: { type: 'object', required: ['t', 'protocol', 'n'], properties: { t: { type: 'number' }, protocol: { type: 'string' }, n: { type: 'integer' } } } },
            },
          },
          ...errors,
        },
      },
    },
    async (req) => {
      const q = req.query as { from?: number; to?: number; protocol?: string; buckets: number };
      const span = store.eventSpan();
      const from = q.from ?? span.first;
      const to = q.to ?? (span.last === null ? null : span.last + 1e-6);
      if (from === null || to === null || !(to > from)) return { from, to, bucket_seconds: 1, bins: [] };
      let width = bucketWidth((to - from) / q.buckets);
      // Sub-hour bins scan the events; over a very busy window, fall back to the per-hour table.
      if (width < 3600 && store.countEvents({ from, to, protocol: q.protocol }) > HISTOGRAM_SCAN_LIMIT) width = Math.max(3600, Math.ceil(width / 3600) * 3600);
      const start = Math.floor(from / width) * width;
      return { from: start, to, bucket_seconds: width, bins: guard(() => store.eventHistogram({ from: start, to, protocol: q.protocol }, width)) };
    },
  );

  app.get(
    '/api/counters',
    {
      config: { role: 'viewer' },
      schema: { summary: 'Sensor health: the latest summary (frames, drops, anomalies, per-protocol counts, inventory)', response: { 200: { type: 'object', required: ['ts', 'summary'], properties: { ts: { type: ['number', 'null'] }, summary: { type: ['object', 'null'], additionalProperties: true } } }, ...errors } },
    },
    async () => {
      const c = store.latestCounters();
      return { ts: c?.ts ?? null, summary: (c?.data as object | undefined) ?? null };
    },
  );

  app.register(async (scope) => {
    // Captures arrive as the raw request body.
    scope.addContentTypeParser(['application/octet-stream', 'application/vnd.tcpdump.pcap', 'application/x-pcapng'], { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES }, (_req, body, done) => done(null, body));
    scope.post(
      '/api/captures',
      {
        config: { role: 'analyst' },
        bodyLimit: MAX_UPLOAD_BYTES,
        schema: {
          summary: 'Upload a capture (pcap, pcapng, gzip) as the request body; it is analysed into the store',
          querystring: { type: 'object', additionalProperties: false, properties: { name: { type: 'string', maxLength: 200 } } },
          response: { 201: { type: 'object', required: ['path', 'frames', 'format', 'truncated'], properties: { path: { type: 'string' }, frames: { type: 'integer' }, format: { type: 'string' }, truncated: { type: 'boolean' } } }, ...errors },
        },
      },
      async (req, reply) => {
        if (sensor === null) throw new ApiError('not_found', 'this server does not ingest');
        const body = req.body;
        if (!Buffer.isBuffer(body) || body.length === 0) throw new ApiError('request.invalid', 'send the capture as an application/octet-stream body');
        const name = (req.query as { name?: string }).name ?? 'upload';
        mkdirSync(uploadDir, { recursive: true });
        const path = join(uploadDir, `${randomUUID()}.cap`);
        writeFileSync(path, body);
        try {
          const report = await sensor.ingestFile(path, name);
          audit(req, 'capture.upload', name, { bytes: body.length, frames: report.frames });
          return reply.code(201).send(report);
        } catch (err) {
          throw new ApiError('request.invalid', `${name}: ${err instanceof Error ? err.message : String(err)}`);
        } finally {
          rmSync(path, { force: true });
        }
      },
    );
  });
}

// The management report: the one-page summary of a period (docs/reports.md) as a self-contained HTML page under its
// own strict Content-Security-Policy (inline styles only: no script, nothing fetched), or its data as JSON. Audited.
import type { FastifyInstance } from 'fastify';
import { ApiError } from './errors.js';
import type { Store } from '../store/store.js';
import { ERROR_RESPONSES, RECORD_SCHEMA, guard, type AuditFn } from './routes-data.js';
import { gatherReport } from '../report/gather.js';
import { renderReportHtml } from '../report/render.js';

/** The report page needs its inline styles and nothing else. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
export const DEFAULT_REPORT_DAYS = 7;
export const MAX_REPORT_DAYS = 366;
const DAY = 86400;

/** `lantern-report-<from>-<to>.html`, whole epoch seconds. */
export function reportFileName(from: number, to: number): string {
  return `lantern-report-${Math.floor(from)}-${Math.floor(to)}.html`;
}

export function registerReportRoutes(app: FastifyInstance, store: Store, audit: AuditFn, now: () => number = () => Date.now() / 1000): void {
  app.get(
    '/api/reports/summary',
    {
      config: { role: 'viewer' },
      schema: {
        summary: `The one-page management report of alerts and incidents raised in [from, to) (wall-clock epoch seconds; default the last ${DEFAULT_REPORT_DAYS} days): HTML to read and print, or format=json for its data`,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            from: { type: 'number', minimum: 0, description: 'start of the period, epoch seconds (wall clock: when Lantern raised the alerts)' },
            to: { type: 'number', minimum: 0, description: 'end of the period, epoch seconds, exclusive (default now)' },
            format: { type: 'string', enum: ['html', 'json'], default: 'html' },
          },
        },
        response: {
          200: {
            description: 'The report page (text/html), or its data (application/json, schema lantern.report/1)',
            content: { 'text/html': { schema: { type: 'string' } }, 'application/json': { schema: RECORD_SCHEMA } },
          },
          ...ERROR_RESPONSES,
        },
      },
      // Route hooks run after the instance's: the console's CSP for HTML answers gives way to the report's own.
      onSend: async (_req, reply, payload) => {
        if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) reply.header('content-security-policy', REPORT_CSP);
        return payload;
      },
    },
    async (req, reply) => {
      const q = req.query as { from?: number; to?: number; format: 'html' | 'json' };
      const to = q.to ?? now();
      const from = q.from ?? to - DEFAULT_REPORT_DAYS * DAY;
      if (!(from < to)) throw new ApiError('request.invalid', 'from must be before to');
      if (to - from > MAX_REPORT_DAYS * DAY) throw new ApiError('request.invalid', `a report covers at most ${MAX_REPORT_DAYS} days`);
      const data = guard(() => gatherReport(store, { from, to, now: now() }));
      audit(req, 'report.view', `${Math.floor(from)}-${Math.floor(to)}`, { from, to, format: q.format });
      if (q.format === 'json') return data;
      return reply
        .type('text/html; charset=utf-8')
        .header('content-disposition', `inline; filename="${reportFileName(from, to)}"`)
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff')
        .send(renderReportHtml(data));
    },
  );
}

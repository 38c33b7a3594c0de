// Retention of the store: by size always (the disk never fills: Malcolm's most common failure), by age when the
// analyst sets it. Age counts from the event's capture time, so it is off by default: an old capture uploaded for
// investigation would otherwise vanish at the next pass.
import type { FastifyInstance } from 'fastify';
import type { RetentionResult, Store } from '../store/store.js';
import { ERROR_RESPONSES, type AuditFn } from './routes-data.js';

export interface RetentionSettings {
  /** Delete events, hints, counters and audit entries older than this many days of capture time; null: keep. */
  max_age_days: number | null;
  /** Delete the oldest events (then hints) while the store holds more than this many gigabytes. */
  max_gb: number;
}

export const DEFAULT_RETENTION: RetentionSettings = { max_age_days: null, max_gb: 20 };
const SETTING = 'retention';
/** How often `lantern serve` applies retention. */
export const RETENTION_INTERVAL_MS = 3600_000;

const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['max_age_days', 'max_gb'],
  properties: { max_age_days: { type: ['integer', 'null'], minimum: 1, maximum: 36_500 }, max_gb: { type: 'number', minimum: 0.1, maximum: 100_000 } },
} as const;

export function retentionSettings(store: Store): RetentionSettings {
  const s = store.getSetting(SETTING) as Partial<RetentionSettings> | undefined | null;
  if (s === undefined || s === null || typeof s !== 'object') return DEFAULT_RETENTION;
  return {
    max_age_days: typeof s.max_age_days === 'number' && s.max_age_days > 0 ? s.max_age_days : null,
    max_gb: typeof s.max_gb === 'number' && s.max_gb > 0 ? s.max_gb : DEFAULT_RETENTION.max_gb,
  };
}

export function applyRetention(store: Store, settings = retentionSettings(store)): RetentionResult {
  return store.retention({
    maxAgeSeconds: settings.max_age_days === null ? undefined : settings.max_age_days * 86_400,
    maxBytes: Math.round(settings.max_gb * 1e9),
  });
}

export function registerRetentionRoutes(app: FastifyInstance, store: Store, audit: AuditFn): void {
  const errors = ERROR_RESPONSES;
  app.get('/api/settings/retention', { config: { role: 'viewer' }, schema: { summary: 'Retention settings', response: { 200: SCHEMA, ...errors } } }, async () => retentionSettings(store));
  app.put(
    '/api/settings/retention',
    {
      config: { role: 'admin' },
      schema: {
        summary: 'Change retention (admin); applied at once',
        body: SCHEMA,
        response: { 200: { type: 'object', required: ['settings', 'deleted'], properties: { settings: SCHEMA, deleted: { type: 'object', additionalProperties: { type: 'number' } } } }, ...errors },
      },
    },
    async (req) => {
      const before = retentionSettings(store);
      const next = req.body as RetentionSettings;
      store.putSetting(SETTING, next);
      audit(req, 'settings.retention', 'retention', { from: before, to: next });
      return { settings: next, deleted: applyRetention(store, next) };
    },
  );
}

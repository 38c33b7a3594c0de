// Alert and workflow routes, ready for the detection and triage issues: list and count by filter, one alert with its
// comments, status/assignee/severity changes (analyst), comments. Every change goes to the audit log.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { QUEUES } from '../triage/score.js';
import { ApiError } from './errors.js';
import { ALERT_SEVERITIES, ALERT_STATUSES, MAX_PAGE_LIMIT, type AlertFilter, type AlertPatch, type Store } from '../store/store.js';
import { ERROR_RESPONSES, RECORD_SCHEMA, guard, type AuditFn } from './routes-data.js';
import { DETECTION_CATALOG } from '../detect/catalog.js';
import { ATTACK_NOTICE, ATTACK_VERSION, tacticsOf, technique } from '../detect/attack/index.js';

const record = RECORD_SCHEMA;
const errors = ERROR_RESPONSES;
const FILTER = {
  status: { type: 'string', enum: ALERT_STATUSES },
  open: { type: 'boolean', description: 'only alerts still to be worked (new, acknowledged, investigating)' },
  severity: { type: 'string', enum: ALERT_SEVERITIES },
  detection: { type: 'string', maxLength: 64 },
  asset: { type: 'string', maxLength: 300 },
  since: { type: 'number' },
  queue: { type: 'string', enum: QUEUES },
  incident: { type: 'string', maxLength: 64 },
  outside_queue: { type: 'string', enum: QUEUES, description: 'only alerts that no open incident of this queue holds' },
  suppressed: { type: 'boolean', description: 'true: only alerts a suppression rule hides; false: only shown ones' },
  sort: { type: 'string', enum: ['last_seen', 'score'], description: 'newest first (default) or highest risk score first' },
} as const;

/** Playbook steps ticked: indexes into the detection's `check` and `respond` lists. */
export const PLAYBOOK_SCHEMA = {
  type: ['object', 'null'],
  additionalProperties: false,
  required: ['check', 'respond'],
  properties: { check: { type: 'array', maxItems: 50, items: { type: 'integer', minimum: 0, maximum: 49 } }, respond: { type: 'array', maxItems: 50, items: { type: 'integer', minimum: 0, maximum: 49 } } },
} as const;

/**
 * One workflow change of an alert, audited with its before and after; marking a modeling alert learned extends the
 * baseline. Shared by the alert, bulk and incident routes. False for an unknown alert.
 */
export function changeAlert(store: Store, baseline: BaselineControl | null, audit: AuditFn, req: FastifyRequest, id: string, patch: AlertPatch, via?: string): boolean {
  const before = store.getAlert(id);
  if (before === null) return false;
  guard(() => store.updateAlert(id, patch));
  const changes: Record<string, unknown> = {};
  for (const k of Object.keys(patch) as (keyof AlertPatch)[]) changes[k] = { from: before[k] ?? null, to: patch[k] };
  const details = before.details as { kind?: string; facts?: Record<string, unknown> };
  if (patch.status === 'learned' && before.status !== 'learned' && details.kind === 'modeling' && baseline !== null) changes.baseline = baseline.learn(details.facts ?? {}) ? 'learned' : 'nothing to learn';
  if (via !== undefined) changes.via = via;
  audit(req, 'alert.update', id, changes);
  return true;
}

export const ALERT_PATCH = {
  status: { type: 'string', enum: ALERT_STATUSES },
  assignee: { type: ['string', 'null'], maxLength: 64 },
  severity: { type: 'string', enum: ALERT_SEVERITIES },
  playbook: PLAYBOOK_SCHEMA,
} as const;

/** The detection catalogue as the console shows it: each detection with its techniques named and its playbook. */
function detectionCatalog() {
  return DETECTION_CATALOG.map((d) => ({
    id: d.id,
    title: d.title,
    kind: d.kind,
    severity: d.severity,
    confidence: d.confidence,
    techniques: d.techniques.map((id) => ({ id, name: technique(id)?.name ?? id, tactics: tacticsOf(id).map((t) => t.name), url: technique(id)?.url ?? null })),
    playbook: d.playbook,
  }));
}

/** The modeling baseline as the API shows and changes it (the sensor's, when the server ingests). */
export interface BaselineControl {
  /** "Learn this": the facts of a modeling alert join the baseline; false when they name nothing it can learn. */
  learn(facts: Readonly<Record<string, unknown>>): boolean;
  reset(): void;
  state(): { complete: boolean; learn_start: number | null; learn_seconds: number; size: Record<string, number>; not_learned: Record<string, number> };
}

export function registerAlertRoutes(app: FastifyInstance, store: Store, audit: AuditFn, baseline: BaselineControl | null = null): void {
  const idParams = { type: 'object', properties: { id: { type: 'string', maxLength: 128 } } } as const;
  const catalog = detectionCatalog();

  app.get(
    '/api/detections',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'The built-in detections: id, title, kind, severity, confidence, ATT&CK for ICS techniques (named, with tactics) and playbook',
        response: { 200: { type: 'object', required: ['attack', 'items'], properties: { attack: { type: 'object', additionalProperties: true }, items: { type: 'array', items: record } } }, ...errors },
      },
    },
    async () => ({ attack: { version: ATTACK_VERSION, notice: ATTACK_NOTICE }, items: catalog }),
  );

  app.get(
    '/api/alerts',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Alerts, newest first (or by risk score), paged',
        querystring: { type: 'object', additionalProperties: false, properties: { ...FILTER, cursor: { type: 'string', maxLength: 512 }, limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE_LIMIT, default: 50 } } },
        response: { 200: { type: 'object', required: ['items', 'next'], properties: { items: { type: 'array', items: record }, next: { type: ['string', 'null'] } } }, ...errors },
      },
    },
    async (req) => {
      const { cursor, limit, ...filter } = req.query as AlertFilter & { cursor?: string; limit: number };
      return guard(() => store.listAlerts(filter, cursor, limit));
    },
  );

  app.get(
    '/api/alerts/counts',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Alerts counted by status, severity, detection or assignee',
        querystring: { type: 'object', additionalProperties: false, required: ['by'], properties: { by: { type: 'string', enum: ['status', 'severity', 'detection', 'assignee'] }, ...FILTER } },
        response: { 200: { type: 'object', additionalProperties: { type: 'integer' } }, ...errors },
      },
    },
    async (req) => {
      const { by, ...filter } = req.query as AlertFilter & { by: 'status' | 'severity' | 'detection' | 'assignee' };
      return guard(() => store.countAlertsBy(by, filter));
    },
  );

  app.get(
    '/api/baseline',
    {
      config: { role: 'viewer' },
      schema: { summary: 'The modeling baseline: learning window, what it holds, what did not fit', response: { 200: record, ...errors } },
    },
    async () => {
      if (baseline === null) throw new ApiError('not_found', 'this server keeps no baseline');
      return baseline.state();
    },
  );

  app.post(
    '/api/baseline/reset',
    { config: { role: 'admin' }, schema: { summary: 'Forget the modeling baseline: a new learning window starts (admin)', response: { 204: { type: 'null' }, ...errors } } },
    async (req, reply) => {
      if (baseline === null) throw new ApiError('not_found', 'this server keeps no baseline');
      baseline.reset();
      audit(req, 'baseline.reset', 'modeling');
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/alerts/assets',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Assets with the most alerts matching the filter, weighted by severity (critical 8, high 4, medium 2, low 1)',
        querystring: { type: 'object', additionalProperties: false, properties: { ...FILTER, limit: { type: 'integer', minimum: 1, maximum: 100, default: 10 } } },
        response: {
          200: {
            type: 'array',
            items: { type: 'object', required: ['asset', 'alerts', 'weight', 'worst'], properties: { asset: { type: 'string' }, alerts: { type: 'integer' }, weight: { type: 'integer' }, worst: { type: 'string', enum: ALERT_SEVERITIES } } },
          },
          ...errors,
        },
      },
    },
    async (req) => {
      const { limit, ...filter } = req.query as AlertFilter & { limit: number };
      return guard(() => store.alertedAssets(filter, limit));
    },
  );

  app.get(
    '/api/alerts/:id',
    { config: { role: 'viewer' }, schema: { summary: 'One alert with its comments', params: idParams, response: { 200: record, ...errors } } },
    async (req) => {
      const id = (req.params as { id: string }).id;
      const a = store.getAlert(id);
      if (a === null) throw new ApiError('not_found', 'no such alert');
      return { ...a, comments: store.listAlertComments(id) };
    },
  );

  app.patch(
    '/api/alerts/:id',
    {
      config: { role: 'analyst' },
      schema: {
        summary: 'Change status, assignee, severity or the playbook steps ticked (analyst)',
        params: idParams,
        body: { type: 'object', additionalProperties: false, minProperties: 1, properties: { ...ALERT_PATCH } },
        response: { 200: record, ...errors },
      },
    },
    async (req) => {
      const id = (req.params as { id: string }).id;
      if (!changeAlert(store, baseline, audit, req, id, req.body as AlertPatch)) throw new ApiError('not_found', 'no such alert');
      return store.getAlert(id);
    },
  );

  app.post(
    '/api/alerts/:id/comments',
    {
      config: { role: 'analyst' },
      schema: {
        summary: 'Comment on an alert (analyst)',
        params: idParams,
        body: { type: 'object', additionalProperties: false, required: ['text'], properties: { text: { type: 'string', minLength: 1, maxLength: 10_000 } } },
        response: { 201: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } }, ...errors },
      },
    },
    async (req, reply) => {
      const id = (req.params as { id: string }).id;
      if (store.getAlert(id) === null) throw new ApiError('not_found', 'no such alert');
      const commentId = guard(() => store.addAlertComment(id, req.caller!.user.name, (req.body as { text: string }).text, Date.now() / 1000));
      audit(req, 'alert.comment', id);
      return reply.code(201).send({ id: commentId });
    },
  );
}

// Triage routes: the incident queue (list by risk score, one incident with its alerts and timeline, workflow changes
// that can carry to its alerts, comments), bulk alert changes, suppression rules, per-detection switches and
// severity overrides, dwell time, and the queue counts the dashboard shows. Every change goes to the audit log.
import type { FastifyInstance } from 'fastify';
import { ApiError } from './errors.js';
import { ALERT_SEVERITIES, ALERT_STATUSES, MAX_PAGE_LIMIT, type AlertPatch, type Store } from '../store/store.js';
import type { IncidentFilter, IncidentPatch, SuppressionRule } from '../store/triage.js';
import { ERROR_RESPONSES, RECORD_SCHEMA, guard, type AuditFn } from './routes-data.js';
import { ALERT_PATCH, PLAYBOOK_SCHEMA, changeAlert, type BaselineControl } from './routes-alerts.js';
import { QUEUES } from '../triage/score.js';
import { dwellReport } from '../triage/dwell.js';
import { OVERRIDES_SETTING, activeSuppressions, isActiveSuppression, readOverrides, type DetectionOverrides } from '../triage/alert-triage.js';
import { DETECTION_CATALOG } from '../detect/catalog.js';

const record = RECORD_SCHEMA;
const errors = ERROR_RESPONSES;
/** Alerts one bulk request changes. */
export const MAX_BULK = 1000;
/** Alerts listed with one incident (its newest first). */
const INCIDENT_ALERTS_LISTED = 200;
const WEEK = 7 * 86400;

export interface TriageHooks {
  baseline: BaselineControl | null;
  /** The detection switches changed: running engines take them. */
  overridesChanged(): void;
}

export function registerTriageRoutes(app: FastifyInstance, store: Store, audit: AuditFn, hooks: TriageHooks): void {
  const t = store.triage;
  const idParams = { type: 'object', properties: { id: { type: 'string', maxLength: 128 } } } as const;
  const numParams = { type: 'object', properties: { id: { type: 'integer', minimum: 1 } } } as const;
  const known = new Set(DETECTION_CATALOG.map((d) => d.id));

  app.get(
    '/api/incidents',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Incidents, highest risk score first, paged',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { type: 'string', enum: ALERT_STATUSES },
            open: { type: 'boolean' },
            queue: { type: 'string', enum: QUEUES },
            host: { type: 'string', maxLength: 64 },
            cursor: { type: 'string', maxLength: 512 },
            limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE_LIMIT, default: 50 },
          },
        },
        response: { 200: { type: 'object', required: ['items', 'next'], properties: { items: { type: 'array', items: record }, next: { type: ['string', 'null'] } } }, ...errors },
      },
    },
    async (req) => {
      const { cursor, limit, ...filter } = req.query as IncidentFilter & { cursor?: string; limit: number };
      return guard(() => t.listIncidents(filter, cursor, limit));
    },
  );

  app.get(
    '/api/incidents/:id',
    { config: { role: 'viewer' }, schema: { summary: 'One incident with its alerts (the timeline, oldest first) and comments', params: idParams, response: { 200: record, ...errors } } },
    async (req) => {
      const id = (req.params as { id: string }).id;
      const i = t.getIncident(id);
      if (i === null) throw new ApiError('not_found', 'no such incident');
      const alerts = store.listAlerts({ incident: id }, null, INCIDENT_ALERTS_LISTED).items.sort((x, y) => x.first_seen - y.first_seen);
      return { ...i, timeline: alerts, comments: store.listAlertComments(id) };
    },
  );

  app.patch(
    '/api/incidents/:id',
    {
      config: { role: 'analyst' },
      schema: {
        summary: 'Change an incident’s status, assignee or playbook steps; `alerts: true` carries status and assignee to its open alerts (analyst)',
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: { status: { type: 'string', enum: ALERT_STATUSES }, assignee: { type: ['string', 'null'], maxLength: 64 }, playbook: PLAYBOOK_SCHEMA, alerts: { type: 'boolean', default: false } },
        },
        response: { 200: record, ...errors },
      },
    },
    async (req) => {
      const id = (req.params as { id: string }).id;
      const { alerts, ...patch } = req.body as IncidentPatch & { alerts: boolean };
      const before = t.getIncident(id);
      if (before === null) throw new ApiError('not_found', 'no such incident');
      guard(() => t.updateIncident(id, patch));
      const changes: Record<string, unknown> = {};
      for (const k of Object.keys(patch) as (keyof IncidentPatch)[]) changes[k] = { from: before[k] ?? null, to: patch[k] };
      let carried = 0;
      if (alerts && (patch.status !== undefined || patch.assignee !== undefined)) {
        const alertPatch: AlertPatch = {};
        if (patch.status !== undefined) alertPatch.status = patch.status;
        if (patch.assignee !== undefined) alertPatch.assignee = patch.assignee;
        for (const a of t.openAlertsOf(id)) if (changeAlert(store, hooks.baseline, audit, req, a, alertPatch, `incident ${id}`)) carried++;
        changes.alerts = carried;
      }
      audit(req, 'incident.update', id, changes);
      return t.getIncident(id);
    },
  );

  app.post(
    '/api/incidents/:id/comments',
    {
      config: { role: 'analyst' },
      schema: {
        summary: 'Comment on an incident (analyst)',
        params: idParams,
        body: { type: 'object', additionalProperties: false, required: ['text'], properties: { text: { type: 'string', minLength: 1, maxLength: 10_000 } } },
        response: { 201: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } }, ...errors },
      },
    },
    async (req, reply) => {
      const id = (req.params as { id: string }).id;
      if (t.getIncident(id) === null) throw new ApiError('not_found', 'no such incident');
      const commentId = guard(() => store.addAlertComment(id, req.caller!.user.name, (req.body as { text: string }).text, Date.now() / 1000));
      audit(req, 'incident.comment', id);
      return reply.code(201).send({ id: commentId });
    },
  );

  app.post(
    '/api/alerts/bulk',
    {
      config: { role: 'analyst' },
      schema: {
        summary: `Change status, assignee or severity of up to ${MAX_BULK} alerts at once, with an optional comment on each (analyst)`,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['ids'],
          properties: {
            ids: { type: 'array', minItems: 1, maxItems: MAX_BULK, uniqueItems: true, items: { type: 'string', maxLength: 128 } },
            status: ALERT_PATCH.status,
            assignee: ALERT_PATCH.assignee,
            severity: ALERT_PATCH.severity,
            comment: { type: 'string', minLength: 1, maxLength: 10_000 },
          },
        },
        response: { 200: { type: 'object', required: ['changed', 'unknown'], properties: { changed: { type: 'integer' }, unknown: { type: 'array', items: { type: 'string' } } } }, ...errors },
      },
    },
    async (req) => {
      const { ids, comment, ...patch } = req.body as AlertPatch & { ids: string[]; comment?: string };
      if (Object.keys(patch).length === 0 && comment === undefined) throw new ApiError('request.invalid', 'say what to change: status, assignee, severity or a comment');
      const unknown: string[] = [];
      let changed = 0;
      const now = Date.now() / 1000;
      for (const id of ids) {
        const ok = Object.keys(patch).length > 0 ? changeAlert(store, hooks.baseline, audit, req, id, patch, 'bulk') : store.getAlert(id) !== null;
        if (!ok) {
          unknown.push(id);
          continue;
        }
        if (comment !== undefined) {
          store.addAlertComment(id, req.caller!.user.name, comment, now);
          audit(req, 'alert.comment', id, { via: 'bulk' });
        }
        changed++;
      }
      return { changed, unknown };
    },
  );

  const isActive = (r: SuppressionRule) => isActiveSuppression(r, Date.now() / 1000);
  const suppressionBody = {
    detection: { type: ['string', 'null'], maxLength: 64 },
    host: { type: ['string', 'null'], maxLength: 64 },
    asset: { type: ['string', 'null'], maxLength: 300 },
    reason: { type: 'string', minLength: 1, maxLength: 500 },
    expires: { type: ['number', 'null'], description: 'wall-clock seconds (epoch) when it stops hiding; null: until removed' },
  } as const;

  app.get(
    '/api/suppressions',
    { config: { role: 'viewer' }, schema: { summary: 'Suppression rules with what they hid (count, last time) and whether they are active', response: { 200: { type: 'array', items: record }, ...errors } } },
    async () => {
      return t.listSuppressions().map((s) => ({ ...s, active: isActive(s) }));
    },
  );

  app.post(
    '/api/suppressions',
    {
      config: { role: 'analyst' },
      schema: {
        summary:
          'Hide alerts of a detection, a host or an asset (any combination), optionally until a time such as the end of a maintenance window; what it hides keeps being counted. The open alerts it matches leave the queues at once unless hide_open is false; the answer says how many (hidden_now) (analyst)',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['reason'],
          properties: { ...suppressionBody, hide_open: { type: 'boolean', default: true, description: 'also hide the open alerts it matches now (default), not only those that fire later' } },
        },
        response: { 201: record, ...errors },
      },
    },
    async (req, reply) => {
      const b = req.body as { detection?: string | null; host?: string | null; asset?: string | null; reason: string; expires?: number | null; hide_open?: boolean };
      const s = { detection: b.detection ?? null, host: b.host ?? null, asset: b.asset ?? null, reason: b.reason, expires: b.expires ?? null };
      if (s.detection === null && s.host === null && s.asset === null) throw new ApiError('request.invalid', 'name a detection, a host or an asset to suppress');
      if (s.detection !== null && !known.has(s.detection) && !s.detection.startsWith('rule.')) throw new ApiError('request.invalid', `no detection "${s.detection}" (GET /api/detections lists them)`);
      const id = guard(() => t.addSuppression({ ...s, created: Date.now() / 1000, created_by: req.caller!.user.name }));
      const rule = t.getSuppression(id)!;
      const hidden = b.hide_open !== false && isActive(rule) ? t.suppressOpen(rule) : 0;
      audit(req, 'suppression.create', String(id), { ...s, hidden_now: hidden });
      return reply.code(201).send({ ...rule, active: isActive(rule), hidden_now: hidden });
    },
  );

  app.patch(
    '/api/suppressions/:id',
    {
      config: { role: 'analyst' },
      schema: {
        summary: 'Change a suppression’s reason or expiry, or switch it off and on (analyst)',
        params: numParams,
        body: { type: 'object', additionalProperties: false, minProperties: 1, properties: { reason: suppressionBody.reason, expires: suppressionBody.expires, enabled: { type: 'boolean' } } },
        response: { 200: record, ...errors },
      },
    },
    async (req) => {
      const id = (req.params as { id: number }).id;
      const patch = req.body as { reason?: string; expires?: number | null; enabled?: boolean };
      if (!guard(() => t.updateSuppression(id, patch))) throw new ApiError('not_found', 'no such suppression');
      // Switched off or expired: what it hid shows again now; switched on again: the open alerts it matches hide now.
      const rule = t.getSuppression(id)!;
      t.releaseSuppressed(activeSuppressions(t.listSuppressions(), Date.now() / 1000).map((r) => r.id));
      const hidden = isActive(rule) ? t.suppressOpen(rule) : 0;
      audit(req, 'suppression.update', String(id), { ...patch, hidden_now: hidden });
      return { ...rule, active: isActive(rule), hidden_now: hidden };
    },
  );

  app.delete(
    '/api/suppressions/:id',
    { config: { role: 'analyst' }, schema: { summary: 'Remove a suppression: what it hid shows again (analyst)', params: numParams, response: { 204: { type: 'null' }, ...errors } } },
    async (req, reply) => {
      const id = (req.params as { id: number }).id;
      if (!t.deleteSuppression(id)) throw new ApiError('not_found', 'no such suppression');
      audit(req, 'suppression.delete', String(id));
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/detections/overrides',
    { config: { role: 'viewer' }, schema: { summary: 'The analyst’s per-detection switches and severity overrides', response: { 200: { type: 'object', additionalProperties: record }, ...errors } } },
    async () => readOverrides(store),
  );

  app.put(
    '/api/detections/:id/override',
    {
      config: { role: 'analyst' },
      schema: {
        summary: 'Switch a detection off or on and override its severity (null clears it); running engines take it at once (analyst)',
        params: idParams,
        body: { type: 'object', additionalProperties: false, minProperties: 1, properties: { enabled: { type: 'boolean' }, severity: { type: ['string', 'null'], enum: [...ALERT_SEVERITIES, null] } } },
        response: { 200: record, ...errors },
      },
    },
    async (req) => {
      const id = (req.params as { id: string }).id;
      if (!known.has(id)) throw new ApiError('not_found', `no detection "${id}"`);
      const b = req.body as { enabled?: boolean; severity?: (typeof ALERT_SEVERITIES)[number] | null };
      const all: DetectionOverrides = readOverrides(store);
      const o = { ...(all[id] ?? {}) };
      if (b.enabled !== undefined) {
        if (b.enabled) delete o.enabled;
        else o.enabled = false;
      }
      if (b.severity !== undefined) {
        if (b.severity === null) delete o.severity;
        else o.severity = b.severity;
      }
      if (Object.keys(o).length === 0) delete all[id];
      else all[id] = o;
      store.putSetting(OVERRIDES_SETTING, all);
      hooks.overridesChanged();
      audit(req, 'detection.override', id, b);
      return { id, enabled: o.enabled !== false, severity: o.severity ?? null };
    },
  );

  app.get(
    '/api/triage/dwell',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Dwell time of alerts raised in [from, to) (wall-clock epoch seconds; default the last 4 weeks): first evidence → alert, → acknowledged, → resolved, per severity and ISO week',
        querystring: { type: 'object', additionalProperties: false, properties: { from: { type: 'number' }, to: { type: 'number' } } },
        response: { 200: record, ...errors },
      },
    },
    async (req) => {
      const q = req.query as { from?: number; to?: number };
      const to = q.to ?? Date.now() / 1000 + 1;
      const from = q.from ?? to - 4 * WEEK;
      if (!(from < to)) throw new ApiError('request.invalid', 'from must be before to');
      return dwellReport(t.dwellRows(from, to), from, to);
    },
  );

  app.get(
    '/api/triage/queues',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Open alerts and incidents per queue (now, next, later); per queue, the open alerts no open incident of that queue holds (outside); and suppressed alerts',
        response: { 200: record, ...errors },
      },
    },
    async () => ({
      alerts: store.countAlertsBy('queue', { open: true, suppressed: false }),
      outside: Object.fromEntries(QUEUES.map((q) => [q, store.countAlertsBy('queue', { open: true, suppressed: false, queue: q, outside_queue: q })[q] ?? 0])),
      incidents: t.countIncidentsBy('queue', true),
      suppressed: Object.values(store.countAlertsBy('status', { suppressed: true })).reduce((a, b) => a + b, 0),
    }),
  );
}

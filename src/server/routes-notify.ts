// Alert notification targets (webhooks, syslog): everyone lists them with their delivery counters and dead letters;
// admins create, change, delete and test them, each change audited. Secrets are write-only: the API says only
// whether one is set. The targets live in the store's settings (`notify.targets`); the notifier follows each change.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from './errors.js';
import { roleAtLeast } from './auth-store.js';
import type { Store } from '../store/store.js';
import { ERROR_RESPONSES, type AuditFn } from './routes-data.js';
import { LIMITS, MAX_TARGETS, checkTarget, loadTargets, newTargetId, publicTarget, saveTargets } from '../notify/config.js';
import { MAX_FACILITY, MAX_MESSAGE_BYTES, MIN_MESSAGE_BYTES } from '../notify/syslog.js';
import type { Notifier } from '../notify/notifier.js';
import { CEF_HEADERS, NOTIFY_SEVERITIES, STREAM_FRAMINGS, SYSLOG_TRANSPORTS, TARGET_FORMATS, TARGET_KINDS, type NotifyTarget } from '../notify/types.js';

const errors = { ...ERROR_RESPONSES, 409: { $ref: 'Error#' } };
const nullable = (s: Record<string, unknown>) => ({ ...s, type: [s.type as string, 'null'] });

/** The fields a request may set (all optional here; POST requires some). */
const FIELDS = {
  name: { type: 'string', minLength: 1, maxLength: LIMITS.name },
  kind: { type: 'string', enum: TARGET_KINDS },
  enabled: { type: 'boolean' },
  format: { type: 'string', enum: TARGET_FORMATS, description: 'json (webhook); 5424 or cef (syslog)' },
  min_score: { type: 'number', minimum: 0, maximum: 100 },
  min_severity: { type: 'string', enum: NOTIFY_SEVERITIES },
  url: { type: 'string', minLength: 1, maxLength: LIMITS.url, description: 'webhook: http or https URL' },
  secret: nullable({ type: 'string', minLength: LIMITS.secretMin, maxLength: LIMITS.secretMax, description: 'webhook: HMAC-SHA256 key; write-only; null clears it' }),
  host: { type: 'string', minLength: 1, maxLength: LIMITS.host },
  port: { type: 'integer', minimum: 1, maximum: 65_535 },
  transport: { type: 'string', enum: SYSLOG_TRANSPORTS },
  facility: { type: 'integer', minimum: 0, maximum: MAX_FACILITY },
  cef_header: { type: 'string', enum: CEF_HEADERS },
  framing: { type: 'string', enum: STREAM_FRAMINGS },
  ca_file: nullable({ type: 'string', minLength: 1, maxLength: LIMITS.caFile }),
  max_bytes: { type: 'integer', minimum: MIN_MESSAGE_BYTES, maximum: MAX_MESSAGE_BYTES },
} as const;

const COUNTERS = {
  type: 'object',
  required: ['queued', 'pending', 'sent', 'retried', 'dead_lettered', 'dropped', 'last_error', 'last_error_at', 'last_success'],
  properties: {
    queued: { type: 'integer' },
    pending: { type: 'integer' },
    sent: { type: 'integer' },
    retried: { type: 'integer' },
    dead_lettered: { type: 'integer' },
    dropped: { type: 'integer' },
    last_error: { type: ['string', 'null'] },
    last_error_at: { type: ['number', 'null'] },
    last_success: { type: ['number', 'null'] },
  },
} as const;

const { secret: _secret, ...SHOWN } = FIELDS;
/** A target as answered: no `secret`, only `secret_set` (the serializer leaves out any field not listed). */
const TARGET = {
  type: 'object',
  required: ['id', 'name', 'kind', 'enabled', 'format', 'min_score', 'min_severity', 'counters'],
  properties: { id: { type: 'string' }, ...SHOWN, secret_set: { type: 'boolean' }, counters: COUNTERS },
} as const;

const DEAD_LETTER = {
  type: 'object',
  required: ['at', 'alert', 'title', 'event', 'attempts', 'error'],
  properties: { at: { type: 'number' }, alert: { type: 'string' }, title: { type: 'string' }, event: { type: 'string' }, attempts: { type: 'integer' }, error: { type: 'string' } },
} as const;

const TEST_OUTCOME = {
  type: 'object',
  required: ['ok', 'status', 'error', 'ms'],
  properties: { ok: { type: 'boolean' }, status: { type: ['integer', 'null'] }, error: { type: ['string', 'null'] }, ms: { type: 'number' } },
} as const;

const idParams = { type: 'object', properties: { id: { type: 'string', maxLength: 64 } } } as const;

type TargetInput = Partial<Omit<NotifyTarget, 'id'>>;

/** Where a target sends, for the audit log (a webhook URL only by its origin: its path may hold a token). */
function destination(t: NotifyTarget): string {
  return t.kind === 'webhook' ? (publicTarget(t, false).url ?? '') : `${t.transport}://${t.host}:${t.port}`;
}

function auditView(t: NotifyTarget): Record<string, unknown> {
  const { secret, url: _url, ...rest } = t;
  return { ...rest, destination: destination(t), ...(t.kind === 'webhook' ? { secret: typeof secret === 'string' ? 'set' : 'none' } : {}) };
}

export function registerNotifyRoutes(app: FastifyInstance, store: Store, notifier: Notifier, audit: AuditFn): void {
  notifier.setTargets(loadTargets(store, notifier.anomalies));

  const view = (req: FastifyRequest, t: NotifyTarget) => ({
    ...publicTarget(t, roleAtLeast(req.caller!.user.role, 'admin')),
    counters: notifier.counters(t.id) ?? { queued: 0, pending: 0, sent: 0, retried: 0, dead_lettered: 0, dropped: 0, last_error: null, last_error_at: null, last_success: null },
  });
  const find = (id: string): { list: NotifyTarget[]; index: number } => {
    const list = loadTargets(store, notifier.anomalies);
    const index = list.findIndex((t) => t.id === id);
    if (index < 0) throw new ApiError('not_found', 'no such notification target');
    return { list, index };
  };
  const validated = (raw: Record<string, unknown>): NotifyTarget => {
    const c = checkTarget(raw);
    if (!c.ok) throw new ApiError('request.invalid', c.problems.join('; '));
    return c.target;
  };
  const commit = (list: NotifyTarget[]) => {
    saveTargets(store, list);
    notifier.setTargets(list);
  };
  const nameTaken = (list: NotifyTarget[], name: string, except: string | null) => list.some((t) => t.id !== except && t.name.toLowerCase() === name.trim().toLowerCase());

  app.get(
    '/api/notify/targets',
    { config: { role: 'viewer' }, schema: { summary: 'Notification targets with their delivery counters (secrets never; webhook URLs in full for admins only)', response: { 200: { type: 'array', items: TARGET }, ...errors } } },
    async (req) => loadTargets(store, notifier.anomalies).map((t) => view(req, t)),
  );

  app.get('/api/notify/targets/:id', { config: { role: 'viewer' }, schema: { summary: 'One notification target', params: idParams, response: { 200: TARGET, ...errors } } }, async (req) => {
    const { list, index } = find((req.params as { id: string }).id);
    return view(req, list[index]);
  });

  app.post(
    '/api/notify/targets',
    {
      config: { role: 'admin' },
      schema: {
        summary: 'Add a notification target (admin)',
        body: { type: 'object', additionalProperties: false, required: ['name', 'kind'], properties: FIELDS },
        response: { 201: TARGET, ...errors },
      },
    },
    async (req, reply) => {
      const body = req.body as TargetInput;
      const list = loadTargets(store, notifier.anomalies);
      if (list.length >= MAX_TARGETS) throw new ApiError('request.invalid', `at most ${MAX_TARGETS} notification targets`);
      if (nameTaken(list, body.name ?? '', null)) throw new ApiError('conflict', `a target named ${body.name} exists`);
      const t = validated({ enabled: true, min_score: 0, min_severity: 'low', format: body.kind === 'webhook' ? 'json' : '5424', ...body, id: newTargetId() });
      commit([...list, t]);
      audit(req, 'notify.create', t.id, auditView(t));
      return reply.code(201).send(view(req, t));
    },
  );

  app.patch(
    '/api/notify/targets/:id',
    {
      config: { role: 'admin' },
      schema: {
        summary: 'Change a notification target (admin); `secret` absent keeps it, null clears it',
        params: idParams,
        body: { type: 'object', additionalProperties: false, minProperties: 1, properties: FIELDS },
        response: { 200: TARGET, ...errors },
      },
    },
    async (req) => {
      const { list, index } = find((req.params as { id: string }).id);
      const before = list[index];
      const patch = req.body as TargetInput;
      if (patch.name !== undefined && nameTaken(list, patch.name, before.id)) throw new ApiError('conflict', `a target named ${patch.name} exists`);
      // A new kind keeps only the fields both kinds have.
      const base: Record<string, unknown> =
        patch.kind !== undefined && patch.kind !== before.kind
          ? { id: before.id, name: before.name, enabled: before.enabled, min_score: before.min_score, min_severity: before.min_severity, format: patch.kind === 'webhook' ? 'json' : '5424' }
          : { ...before };
      // Defaults of the old transport (port, size cap) follow a new transport unless given.
      if (patch.transport !== undefined && patch.transport !== before.transport) {
        delete base.port;
        delete base.max_bytes;
      }
      const after = validated({ ...base, ...patch, id: before.id });
      const next = list.slice();
      next[index] = after;
      commit(next);
      const a = auditView(after);
      const b = auditView(before);
      const changes: Record<string, unknown> = {};
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) changes[k] = { from: b[k] ?? null, to: a[k] ?? null };
      // A replaced secret looks the same ("set") on both sides: say it changed.
      if (typeof patch.secret === 'string' && changes.secret === undefined) changes.secret = { from: 'set', to: 'replaced' };
      audit(req, 'notify.update', before.id, changes);
      return view(req, after);
    },
  );

  app.delete(
    '/api/notify/targets/:id',
    { config: { role: 'admin' }, schema: { summary: 'Delete a notification target (admin); what it still had queued is dropped', params: idParams, response: { 204: { type: 'null' }, ...errors } } },
    async (req, reply) => {
      const { list, index } = find((req.params as { id: string }).id);
      const gone = list[index];
      commit(list.filter((_, i) => i !== index));
      audit(req, 'notify.delete', gone.id, { name: gone.name, destination: destination(gone) });
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/notify/targets/:id/test',
    {
      config: { role: 'admin' },
      schema: {
        summary: 'Send a test notification now (once, no retry) and answer with the outcome (admin)',
        params: idParams,
        response: { 200: TEST_OUTCOME, ...errors },
      },
    },
    async (req) => {
      const { list, index } = find((req.params as { id: string }).id);
      const outcome = await notifier.test(list[index]);
      audit(req, 'notify.test', list[index].id, { ok: outcome.ok, ...(outcome.error !== null ? { error: outcome.error } : {}) });
      return outcome;
    },
  );

  app.get(
    '/api/notify/targets/:id/dead-letters',
    {
      config: { role: 'viewer' },
      schema: { summary: 'The last 20 notifications of a target given up after their last attempt, newest first', params: idParams, response: { 200: { type: 'array', items: DEAD_LETTER }, ...errors } },
    },
    async (req) => {
      const { list, index } = find((req.params as { id: string }).id);
      return notifier.deadLetters(list[index].id) ?? [];
    },
  );
}

// The HTTP API (fastify): security (sessions, API tokens, roles, CSRF, login rate limit, audit), schema-validated
// requests and responses, errors with stable codes, and the OpenAPI 3 document at /api/openapi.json. Built as a
// function of its stores so tests run it in-process with `inject`, no port.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import rateLimit from '@fastify/rate-limit';
import websocket from '@fastify/websocket';
import { ApiError, ERROR_CODES, ERROR_SCHEMA } from './errors.js';
import { ROLES, roleAtLeast, type AuthStore, type Role, type UserRecord } from './auth-store.js';
import { hashPassword, newSecret, randomPassword, secretDigest, verifyPassword } from './passwords.js';
import { lanternVersion } from '../cli/version.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreError, type Store } from '../store/store.js';
import type { Sensor } from './sensor.js';
import { registerDataRoutes } from './routes-data.js';
import { registerStream } from './stream.js';
import { registerAlertRoutes, type BaselineControl } from './routes-alerts.js';
import { registerTriageRoutes } from './routes-triage.js';
import { registerIntelRoutes } from './routes-intel.js';
import type { IntelLibrary } from './intel.js';
import { registerNotifyRoutes } from './routes-notify.js';
import type { Notifier } from '../notify/notifier.js';
import { registerRuleRoutes } from './routes-rules.js';
import { registerReportRoutes } from './routes-report.js';
import type { RuleLibrary } from './rules.js';
import { registerRetentionRoutes } from './retention.js';
import { registerUserRoutes } from './routes-users.js';
import { registerEvidenceRoutes } from './routes-evidence.js';
import type { Evidence } from '../evidence/evidence.js';
import { isConsoleRoute, registerConsole } from './console.js';

export const SESSION_COOKIE = 'lantern_session';
export const CSRF_HEADER = 'x-csrf-token';
const DEFAULT_SESSION_TTL_SEC = 12 * 3600;
const BODY_LIMIT = 1024 * 1024;

export interface AppOptions {
  auth: AuthStore;
  /** The data API (assets, connections, events, counters) reads this store. */
  store?: Store;
  /** Ingests uploaded captures (with `store`). */
  sensor?: Sensor;
  /** Where uploads wait while analysed. */
  uploadDir?: string;
  /** The kept captures (with `store`): packets of an alert or a window as pcapng. */
  evidence?: Evidence;
  /** Threat-intel sources: imported and removed through /api/intel (with `store`). */
  intel?: IntelLibrary;
  /** Webhook and syslog targets: configured through /api/notify (with `store`). */
  notifier?: Notifier;
  /** User detection rules: listed and edited through /api/rules. */
  rules?: RuleLibrary;
  /** TLS: serve HTTPS with this key and certificate (PEM). */
  https?: { key: Buffer; cert: Buffer };
  /** Set the Secure flag on cookies (when served over TLS). */
  secureCookies?: boolean;
  sessionTtlSec?: number;
  /** Login attempts per address per window. */
  loginRateLimit?: { max: number; windowMs: number };
  /** Clock (seconds), for tests. */
  now?: () => number;
  /** The built web console (web/dist): served at `/`; null answers `/` with how to build it. */
  webRoot?: string | null;
}

interface Caller {
  user: UserRecord;
  /** Set when authenticated by a session cookie: state-changing requests must echo its CSRF token. */
  csrf: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null;
  }
  interface FastifyContextConfig {
    /** Least role allowed; absent: no authentication (health, login, the OpenAPI document). */
    role?: Role;
  }
}

const USER_SCHEMA = {
  type: 'object',
  required: ['name', 'role'],
  properties: { name: { type: 'string' }, role: { type: 'string', enum: ROLES } },
} as const;

const errorResponses = Object.fromEntries(
  [...new Set(Object.values(ERROR_CODES).map((e) => e.status))].map((status) => [status, { $ref: 'Error#' }]),
);

/** Creates the first admin when there is no user; returns its password (to print once), or null. */
export async function ensureAdmin(auth: AuthStore, now = () => Date.now() / 1000): Promise<string | null> {
  if (auth.countUsers() > 0) return null;
  const password = randomPassword();
  auth.createUser({ name: 'admin', role: 'admin', password_hash: await hashPassword(password), created: now() });
  auth.appendAudit({ ts: now(), actor: 'lantern', action: 'user.create', target: 'admin', detail: { role: 'admin', reason: 'first start' } });
  return password;
}

export async function buildApp(o: AppOptions): Promise<FastifyInstance> {
  const now = o.now ?? (() => Date.now() / 1000);
  const ttl = o.sessionTtlSec ?? DEFAULT_SESSION_TTL_SEC;
  const app = (o.https !== undefined
    ? Fastify({ logger: false, bodyLimit: BODY_LIMIT, https: o.https, ajv: { customOptions: { removeAdditional: false, allErrors: false } } })
    : Fastify({ logger: false, bodyLimit: BODY_LIMIT, ajv: { customOptions: { removeAdditional: false, allErrors: false } } })) as unknown as FastifyInstance;
  app.decorateRequest('caller', null);
  app.addSchema(ERROR_SCHEMA);
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(websocket, { options: { maxPayload: 4096 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Lantern API', version: lanternVersion(), description: 'ICS network security monitor: assets, connections, events, alerts.' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE }, token: { type: 'http', scheme: 'bearer' } } },
      security: [{ session: [] }, { token: [] }],
    },
  });

  app.setErrorHandler((err: Error & { validation?: unknown; statusCode?: number; code?: string }, _req, reply) => {
    if (err instanceof ApiError) return sendError(reply, err);
    if (err.validation !== undefined) return sendError(reply, new ApiError('request.invalid', err.message));
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(reply, new ApiError('request.too_large'));
    if (err.statusCode === 429) return sendError(reply, new ApiError('auth.rate_limited'));
    if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) return sendError(reply, new ApiError('request.invalid', err.message));
    app.log.error(err);
    return sendError(reply, new ApiError('internal'));
  });
  let consoleIndex: ((reply: FastifyReply) => FastifyReply) | null = null;
  app.setNotFoundHandler((req, reply) => (consoleIndex !== null && isConsoleRoute(req.method, req.url) ? consoleIndex(reply) : sendError(reply, new ApiError('not_found'))));

  // Authentication and authorisation, from the route's declared least role.
  app.addHook('onRequest', async (req) => {
    const needed = req.routeOptions.config.role;
    if (needed === undefined) return;
    const caller = authenticate(req);
    if (caller === null) throw new ApiError('auth.required');
    if (caller.csrf !== null && req.method !== 'GET' && req.method !== 'HEAD' && req.headers[CSRF_HEADER] !== caller.csrf) throw new ApiError('auth.csrf');
    if (!roleAtLeast(caller.user.role, needed)) throw new ApiError('auth.forbidden');
    req.caller = caller;
  });

  function authenticate(req: FastifyRequest): Caller | null {
    const header = req.headers.authorization;
    if (header !== undefined) {
      const m = /^Bearer (lt_[A-Za-z0-9_-]{20,100})$/.exec(header);
      if (m === null) return null;
      const token = o.auth.getToken(secretDigest(m[1]));
      const user = token === undefined ? undefined : o.auth.getUser(token.user_id);
      return user === undefined ? null : { user, csrf: null };
    }
    const secret = req.cookies[SESSION_COOKIE];
    if (secret === undefined || !/^ls_[A-Za-z0-9_-]{20,100}$/.test(secret)) return null;
    const session = o.auth.getSession(secretDigest(secret));
    if (session === undefined || session.expires <= now()) return null;
    const user = o.auth.getUser(session.user_id);
    return user === undefined ? null : { user, csrf: csrfToken(secret) };
  }

  const audit = (req: FastifyRequest, action: string, target: string, detail?: Record<string, unknown>) =>
    o.auth.appendAudit({ ts: now(), actor: req.caller?.user.name ?? 'anonymous', action, target, ...(detail ? { detail } : {}) });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get(
    '/api/health',
    { schema: { summary: 'Liveness and version (no authentication)', security: [], response: { 200: { type: 'object', required: ['status', 'version'], properties: { status: { type: 'string' }, version: { type: 'string' } } } } } },
    async () => ({ status: 'ok', version: lanternVersion() }),
  );

  const limit = o.loginRateLimit ?? { max: 10, windowMs: 60_000 };
  app.post(
    '/api/auth/login',
    {
      config: { rateLimit: { max: limit.max, timeWindow: limit.windowMs } },
      schema: {
        summary: 'Log in: sets the session cookie, returns the CSRF token',
        security: [],
        body: { type: 'object', additionalProperties: false, required: ['username', 'password'], properties: { username: { type: 'string', minLength: 1, maxLength: 128 }, password: { type: 'string', minLength: 1, maxLength: 1024 } } },
        response: { 200: { type: 'object', required: ['user', 'csrf_token'], properties: { user: USER_SCHEMA, csrf_token: { type: 'string' } } }, ...errorResponses },
      },
    },
    async (req, reply) => {
      const { username, password } = req.body as { username: string; password: string };
      const user = o.auth.getUserByName(username);
      // Same work whether or not the user exists, so timing does not tell which names are real.
      const ok = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
      if (user === undefined || !ok) {
        o.auth.appendAudit({ ts: now(), actor: username, action: 'auth.login_failed', target: username });
        throw new ApiError('auth.invalid_credentials');
      }
      const secret = newSecret('ls');
      const csrf = csrfToken(secret);
      const t = now();
      o.auth.putSession({ digest: secretDigest(secret), user_id: user.id, created: t, expires: t + ttl });
      o.auth.appendAudit({ ts: t, actor: user.name, action: 'auth.login', target: user.name });
      reply.setCookie(SESSION_COOKIE, secret, { path: '/', httpOnly: true, sameSite: 'strict', secure: o.secureCookies === true, maxAge: ttl });
      return { user: { name: user.name, role: user.role }, csrf_token: csrf };
    },
  );

  app.post('/api/auth/logout', { config: { role: 'viewer' }, schema: { summary: 'Log out (ends the session)', response: { 204: { type: 'null' }, ...errorResponses } } }, async (req, reply) => {
    const secret = req.cookies[SESSION_COOKIE];
    if (secret !== undefined) o.auth.deleteSession(secretDigest(secret));
    audit(req, 'auth.logout', req.caller!.user.name);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  app.get(
    '/api/me',
    {
      config: { role: 'viewer' },
      schema: {
        summary: "The caller (and, for a session, its CSRF token: the console reads it again after a reload)",
        response: { 200: { ...USER_SCHEMA, properties: { ...USER_SCHEMA.properties, csrf_token: { type: 'string' } } }, ...errorResponses },
      },
    },
    async (req) => ({
      name: req.caller!.user.name,
      role: req.caller!.user.role,
      ...(req.caller!.csrf !== null ? { csrf_token: req.caller!.csrf } : {}),
    }),
  );

  app.post(
    '/api/users',
    {
      config: { role: 'admin' },
      schema: {
        summary: 'Create a user (admin)',
        body: { type: 'object', additionalProperties: false, required: ['name', 'role', 'password'], properties: { name: { type: 'string', pattern: '^[A-Za-z0-9_.@-]{1,64}$' }, role: { type: 'string', enum: ROLES }, password: { type: 'string', minLength: 12, maxLength: 1024 } } },
        response: { 201: USER_SCHEMA, ...errorResponses },
      },
    },
    async (req, reply) => {
      const body = req.body as { name: string; role: Role; password: string };
      if (o.auth.getUserByName(body.name) !== undefined) throw new ApiError('conflict', `user ${body.name} exists`);
      const password_hash = await hashPassword(body.password);
      try {
        o.auth.createUser({ name: body.name, role: body.role, password_hash, created: now() });
      } catch (err) {
        // A disabled user keeps the name (the login check does not see it, the store's unique name does).
        if (err instanceof StoreError && err.code === 'store.duplicate') throw new ApiError('conflict', `user ${body.name} exists (disabled)`);
        throw err;
      }
      audit(req, 'user.create', body.name, { role: body.role });
      return reply.code(201).send({ name: body.name, role: body.role });
    },
  );

  app.post(
    '/api/tokens',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Create an API token for the caller (shown once)',
        body: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string', minLength: 1, maxLength: 64 } } },
        response: { 201: { type: 'object', required: ['name', 'token'], properties: { name: { type: 'string' }, token: { type: 'string' } } }, ...errorResponses },
      },
    },
    async (req, reply) => {
      const { name } = req.body as { name: string };
      const token = newSecret('lt');
      o.auth.putToken({ digest: secretDigest(token), user_id: req.caller!.user.id, name, created: now() });
      audit(req, 'token.create', name);
      return reply.code(201).send({ name, token });
    },
  );

  app.get(
    '/api/audit',
    {
      config: { role: 'admin' },
      schema: {
        summary: 'The audit log, newest first (admin)',
        querystring: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } } },
        response: { 200: { type: 'array', items: { type: 'object', required: ['ts', 'actor', 'action', 'target'], properties: { ts: { type: 'number' }, actor: { type: 'string' }, action: { type: 'string' }, target: { type: 'string' }, detail: { type: 'object', additionalProperties: true } } } }, ...errorResponses },
      },
    },
    async (req) => o.auth.listAudit((req.query as { limit: number }).limit),
  );

  if (o.store !== undefined) {
    registerDataRoutes(app, o.store, o.sensor ?? null, o.uploadDir ?? join(tmpdir(), 'lantern-uploads'), audit);
    const sensor = o.sensor;
    const baseline: BaselineControl | null =
      sensor === undefined
        ? null
        : {
            learn: (facts) => sensor.learn(facts),
            reset: () => sensor.resetBaseline(),
            state: () => {
              const b = sensor.baseline;
              return { complete: b.complete, learn_start: b.learnStart, learn_seconds: b.learnSeconds, size: b.size, not_learned: { ...b.notLearned } };
            },
          };
    registerAlertRoutes(app, o.store, audit, baseline);
    registerTriageRoutes(app, o.store, audit, { baseline, overridesChanged: () => sensor?.applyOverrides() });
    if (o.intel !== undefined) registerIntelRoutes(app, o.intel, audit);
    if (o.notifier !== undefined) registerNotifyRoutes(app, o.store, o.notifier, audit);
    if (o.rules !== undefined) registerRuleRoutes(app, o.rules, audit);
    registerRetentionRoutes(app, o.store, audit);
    registerUserRoutes(app, o.store, audit);
    registerReportRoutes(app, o.store, audit, now);
    if (o.evidence !== undefined) registerEvidenceRoutes(app, o.store, o.evidence, audit);
  }
  if (o.sensor !== undefined) registerStream(app, o.sensor);
  if (o.webRoot !== undefined) consoleIndex = await registerConsole(app, o.webRoot);
  return app;
}

/**
 * The CSRF token of a session, derived from its secret: the console holds it in memory and echoes it in a header,
 * which a cross-site form cannot do; the server recomputes it from the cookie, so nothing more is stored.
 */
function csrfToken(sessionSecret: string): string {
  return secretDigest(`csrf:${sessionSecret}`);
}

function sendError(reply: FastifyReply, err: ApiError): FastifyReply {
  return reply.code(err.status).send({ error: { code: err.code, message: err.message } });
}

/** A valid hash of a random password: verifying against it costs what a real user's check costs. */
const DUMMY_HASH = await hashPassword(randomPassword());

import { test } from 'node:test';
import { login as loginAs } from './testkit.js';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyRequest } from 'fastify';
import { buildApp, ensureAdmin } from './app.js';
import { StoreAuth } from './store-auth.js';
import { hashPassword } from './passwords.js';
import { SqliteStore } from '../store/sqlite.js';
import { registerNotifyRoutes } from './routes-notify.js';
import { Notifier } from '../notify/notifier.js';
import { SETTING_KEY } from '../notify/config.js';
import { SAMPLE_ALERT } from '../notify/testkit.js';

const SECRET = 'hmac-secret-0123456789';

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-notify-api-'));
  const store = new SqliteStore(join(dir, 'lantern.db'));
  const auth = new StoreAuth(store);
  const password = (await ensureAdmin(auth))!;
  auth.createUser({ name: 'viewer1', role: 'viewer', password_hash: await hashPassword('viewer-password-1'), created: 0 });
  const app = await buildApp({ auth, store });
  const notifier = new Notifier({ backoffMs: 5, backoffMaxMs: 10, maxAttempts: 2, timeoutMs: 2000 });
  // app.ts passes its own audit function; this one writes the same records.
  const audit = (req: FastifyRequest, action: string, target: string, detail?: Record<string, unknown>) =>
    auth.appendAudit({ ts: Date.now() / 1000, actor: req.caller?.user.name ?? 'anonymous', action, target, ...(detail ? { detail } : {}) });
  registerNotifyRoutes(app, store, notifier, audit);
  const login = (username: string, pw: string) => loginAs(app, username, pw);
  return { app, store, auth, notifier, admin: await login('admin', password), viewer: await login('viewer1', 'viewer-password-1') };
}

async function receiver(status: number) {
  const bodies: { body: string; signature: string | undefined }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push({ body: Buffer.concat(chunks).toString(), signature: req.headers['x-lantern-signature'] as string | undefined });
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { bodies, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/T0/secret-token`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

type View = Record<string, unknown> & { id: string; counters: Record<string, unknown> };

test('targets: create, list with counters, change, delete; stored in the settings; every change audited; secrets never answered', async () => {
  const { app, store, auth, notifier, admin, viewer } = await setup();
  const rx = await receiver(200);
  const created = await app.inject({ method: 'POST', url: '/api/notify/targets', headers: admin, payload: { name: 'SOC hook', kind: 'webhook', url: rx.url, secret: SECRET, min_score: 60 } });
  assert.equal(created.statusCode, 201, created.body);
  const t = created.json() as View;
  assert.match(t.id, /^nt_/);
  assert.deepEqual({ ...t, id: 'x', counters: null }, { id: 'x', name: 'SOC hook', kind: 'webhook', enabled: true, format: 'json', min_score: 60, min_severity: 'low', url: rx.url, secret_set: true, counters: null });
  assert.equal(created.body.includes(SECRET), false);
  assert.equal((store.getSetting(SETTING_KEY) as { secret: string }[])[0].secret, SECRET, 'kept in the store, for signing');

  const syslog = await app.inject({ method: 'POST', url: '/api/notify/targets', headers: admin, payload: { name: 'SIEM', kind: 'syslog', host: '127.0.0.1', transport: 'tcp', format: 'cef' } });
  assert.equal(syslog.statusCode, 201, syslog.body);
  const s = syslog.json() as View;
  assert.deepEqual([s.port, s.max_bytes, s.cef_header, s.framing, s.facility], [514, 8192, '3164', 'octet_counting', 20]);

  // The notifier follows: an alert goes to the webhook, signed.
  assert.equal(notifier.targets.length, 2);
  notifier.offer({ ...SAMPLE_ALERT, score: 70 });
  await new Promise((r) => setTimeout(r, 10));
  await notifier.idle();
  assert.equal(rx.bodies.length, 1);

  const listed = (await app.inject({ url: '/api/notify/targets', headers: viewer })).json() as View[];
  assert.equal(listed.length, 2);
  assert.equal(listed[0].url, 'http://127.0.0.1:' + new URL(rx.url).port + '/…', 'a viewer sees the origin only');
  assert.equal(listed[0].secret_set, true);
  assert.equal((listed[0].counters as { sent: number }).sent, 1);
  assert.equal(JSON.stringify(listed).includes(SECRET), false);
  assert.equal(JSON.stringify(listed).includes('secret-token'), false);
  const full = (await app.inject({ url: `/api/notify/targets/${t.id}`, headers: admin })).json() as View;
  assert.equal(full.url, rx.url, 'an admin sees the URL, to change it');

  const patched = await app.inject({ method: 'PATCH', url: `/api/notify/targets/${t.id}`, headers: admin, payload: { min_severity: 'high', secret: null } });
  assert.equal(patched.statusCode, 200, patched.body);
  assert.deepEqual([(patched.json() as View).min_severity, (patched.json() as View).secret_set], ['high', false]);
  const toTls = await app.inject({ method: 'PATCH', url: `/api/notify/targets/${s.id}`, headers: admin, payload: { transport: 'tls', ca_file: '/etc/ssl/siem-ca.pem' } });
  assert.equal(toTls.statusCode, 200, toTls.body);
  assert.deepEqual([(toTls.json() as View).port, (toTls.json() as View).ca_file], [6514, '/etc/ssl/siem-ca.pem'], 'the port follows the transport');
  const toWebhook = await app.inject({ method: 'PATCH', url: `/api/notify/targets/${s.id}`, headers: admin, payload: { kind: 'webhook', url: 'https://siem.example/in' } });
  assert.equal(toWebhook.statusCode, 200, toWebhook.body);
  assert.equal((toWebhook.json() as View).host, undefined);
  assert.equal((toWebhook.json() as View).format, 'json');

  const del = await app.inject({ method: 'DELETE', url: `/api/notify/targets/${s.id}`, headers: admin });
  assert.equal(del.statusCode, 204);
  assert.equal(((await app.inject({ url: '/api/notify/targets', headers: admin })).json() as View[]).length, 1);
  assert.equal(notifier.targets.length, 1);

  const actions = auth
    .listAudit(20)
    .map((a) => a.action)
    .filter((a) => a.startsWith('notify.'))
    .reverse();
  assert.deepEqual(actions, ['notify.create', 'notify.create', 'notify.update', 'notify.update', 'notify.update', 'notify.delete']);
  const audited = JSON.stringify(auth.listAudit(20));
  assert.equal(audited.includes(SECRET), false, 'no secret in the audit log');
  assert.equal(audited.includes('secret-token'), false, 'no URL path in the audit log');
  const update = auth.listAudit(20).find((a) => a.action === 'notify.update' && a.target === t.id)!;
  assert.deepEqual(update.detail, { min_severity: { from: 'low', to: 'high' }, secret: { from: 'set', to: 'none' } });
  await notifier.close();
  await rx.close();
});

test('targets: viewers cannot change or test; bad input and unknown ids answer stable codes', async () => {
  const { app, admin, viewer, notifier } = await setup();
  const forbidden = await app.inject({ method: 'POST', url: '/api/notify/targets', headers: viewer, payload: { name: 'x', kind: 'syslog', host: 'h' } });
  assert.equal(forbidden.statusCode, 403);
  assert.equal((forbidden.json() as { error: { code: string } }).error.code, 'auth.forbidden');
  const cases: [unknown, RegExp][] = [
    [{ name: 'x', kind: 'syslog' }, /host/],
    [{ name: 'x', kind: 'webhook', url: 'file:///etc/passwd' }, /http or https/],
    [{ name: 'x', kind: 'webhook', url: 'https://a.example', secret: 'short' }, /secret/],
    [{ name: 'x', kind: 'syslog', host: 'h', format: 'json' }, /5424 or cef/],
    [{ name: 'x', kind: 'syslog', host: 'h', extra: 1 }, /additional/],
    [{ name: 'x', kind: 'syslog', host: 'h', min_score: 150 }, /min_score|100/],
  ];
  for (const [payload, message] of cases) {
    const r = await app.inject({ method: 'POST', url: '/api/notify/targets', headers: admin, payload: payload as object });
    assert.equal(r.statusCode, 400, JSON.stringify(payload));
    const e = (r.json() as { error: { code: string; message: string } }).error;
    assert.equal(e.code, 'request.invalid');
    assert.match(e.message, message);
  }
  const first = await app.inject({ method: 'POST', url: '/api/notify/targets', headers: admin, payload: { name: 'SIEM', kind: 'syslog', host: 'h' } });
  assert.equal(first.statusCode, 201);
  const dup = await app.inject({ method: 'POST', url: '/api/notify/targets', headers: admin, payload: { name: 'siem', kind: 'syslog', host: 'h' } });
  assert.equal(dup.statusCode, 409);
  assert.equal((dup.json() as { error: { code: string } }).error.code, 'conflict');
  for (const [method, url] of [
    ['GET', '/api/notify/targets/nt_missing'],
    ['PATCH', '/api/notify/targets/nt_missing'],
    ['DELETE', '/api/notify/targets/nt_missing'],
    ['POST', '/api/notify/targets/nt_missing/test'],
    ['GET', '/api/notify/targets/nt_missing/dead-letters'],
  ] as const) {
    const r = await app.inject({ method, url, headers: admin, ...(method === 'PATCH' ? { payload: { enabled: false } } : {}) });
    assert.equal(r.statusCode, 404, `${method} ${url}`);
    assert.equal((r.json() as { error: { code: string } }).error.code, 'not_found');
  }
  const id = (first.json() as View).id;
  assert.equal((await app.inject({ method: 'POST', url: `/api/notify/targets/${id}/test`, headers: viewer })).statusCode, 403);
  assert.equal((await app.inject({ method: 'PATCH', url: `/api/notify/targets/${id}`, headers: admin, payload: {} })).statusCode, 400);
  assert.equal((await app.inject({ url: '/api/notify/targets' })).statusCode, 401);
  await notifier.close();
});

test('test sends once and answers the outcome; dead letters are listed per target', async () => {
  const { app, admin, viewer, notifier, auth } = await setup();
  const ok = await receiver(204);
  const t = (await app.inject({ method: 'POST', url: '/api/notify/targets', headers: admin, payload: { name: 'ok', kind: 'webhook', url: ok.url, secret: SECRET } })).json() as View;
  const r = await app.inject({ method: 'POST', url: `/api/notify/targets/${t.id}/test`, headers: admin });
  assert.equal(r.statusCode, 200, r.body);
  const outcome = r.json() as { ok: boolean; status: number; error: string | null; ms: number };
  assert.deepEqual([outcome.ok, outcome.status, outcome.error], [true, 204, null]);
  assert.equal(ok.bodies.length, 1);
  assert.equal((JSON.parse(ok.bodies[0].body) as { detection: string }).detection, 'lantern.test');
  assert.ok(ok.bodies[0].signature?.startsWith('sha256='));
  assert.equal(auth.listAudit(1)[0].action, 'notify.test');

  const bad = await receiver(410);
  const b = (await app.inject({ method: 'POST', url: '/api/notify/targets', headers: admin, payload: { name: 'gone', kind: 'webhook', url: bad.url } })).json() as View;
  const failed = (await app.inject({ method: 'POST', url: `/api/notify/targets/${b.id}/test`, headers: admin })).json() as { ok: boolean; error: string };
  assert.equal(failed.ok, false);
  assert.match(failed.error, /HTTP 410/);
  notifier.offer(SAMPLE_ALERT);
  await new Promise((res) => setTimeout(res, 10));
  await notifier.idle();
  const dead = await app.inject({ url: `/api/notify/targets/${b.id}/dead-letters`, headers: viewer });
  assert.equal(dead.statusCode, 200);
  const letters = dead.json() as { alert: string; attempts: number; error: string }[];
  assert.equal(letters.length, 1);
  assert.deepEqual([letters[0].alert, letters[0].attempts], [SAMPLE_ALERT.id, 1]);
  assert.match(letters[0].error, /HTTP 410/);
  const listed = (await app.inject({ url: '/api/notify/targets', headers: viewer })).json() as View[];
  assert.equal(listed.find((x) => x.id === b.id)!.counters.dead_lettered, 1);
  assert.equal(listed.find((x) => x.id === t.id)!.counters.sent, 1);
  // The OpenAPI document lists the routes.
  const doc = (await app.inject({ url: '/api/openapi.json' })).json() as { paths: Record<string, unknown> };
  assert.ok(doc.paths['/api/notify/targets/{id}/test']);
  await notifier.close();
  await ok.close();
  await bad.close();
});

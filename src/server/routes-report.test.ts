// The report route in the app with the console's header hook: its own CSP for the HTML, the file name, JSON, roles,
// period checks and the audit entry.
import { test } from 'node:test';
import { login as loginAs } from './testkit.js';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp, ensureAdmin } from './app.js';
import { StoreAuth } from './store-auth.js';
import { hashPassword } from './passwords.js';
import { REPORT_CSP } from './routes-report.js';
import { handBuiltStore, T } from '../report/testkit.js';
import type { ReportData } from '../report/gather.js';

const DAY = 86400;

async function setup() {
  const { store, dir } = handBuiltStore();
  const auth = new StoreAuth(store);
  const password = (await ensureAdmin(auth))!;
  auth.createUser({ name: 'watcher', role: 'viewer', password_hash: await hashPassword('viewer password 1'), created: T });
  // webRoot null still installs the console's security headers, whose CSP the report must override.
  const app = await buildApp({ auth, store, uploadDir: join(dir, 'uploads'), webRoot: null, now: () => T });
  const login = (username: string, pw: string) => loginAs(app, username, pw);
  return { store, dir, app, admin: await login('admin', password), viewer: await login('watcher', 'viewer password 1') };
}

test('GET /api/reports/summary: the page under its own strict CSP, inline, named by its period; audited', async () => {
  const { store, dir, app, viewer } = await setup();
  try {
    const from = T - 7 * DAY;
    const r = await app.inject({ url: `/api/reports/summary?from=${from}&to=${T}`, headers: viewer });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(r.headers['content-security-policy'], REPORT_CSP);
    assert.equal(REPORT_CSP, "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    assert.equal(r.headers['content-disposition'], `inline; filename="lantern-report-${from}-${T}.html"`);
    assert.equal(r.headers['cache-control'], 'no-store');
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.equal(r.headers['x-frame-options'], 'DENY', 'the console’s header hook ran on this answer too');
    assert.match(r.body, /^<!doctype html>/);
    assert.match(r.body, /Top incidents of the period/);
    const audit = store.listAudit({ limit: 10 }).items.find((a) => a.action === 'report.view');
    assert.deepEqual([audit?.user, audit?.target, audit?.detail], ['watcher', `${from}-${T}`, { from, to: T, format: 'html' }]);
  } finally {
    await app.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the default period is the last 7 days; format=json gives the data; bad periods and callers are refused', async () => {
  const { store, dir, app, admin } = await setup();
  try {
    const html = await app.inject({ url: '/api/reports/summary', headers: admin });
    assert.equal(html.headers['content-disposition'], `inline; filename="lantern-report-${T - 7 * DAY}-${T}.html"`);
    const json = await app.inject({ url: '/api/reports/summary?format=json', headers: admin });
    assert.equal(json.statusCode, 200);
    assert.match(String(json.headers['content-type']), /^application\/json/);
    const d = json.json() as ReportData;
    assert.equal(d.schema, 'lantern.report/1');
    assert.deepEqual(d.period, { from: T - 7 * DAY, to: T, basis: 'raised_at' });
    assert.equal(d.headline.incidents_opened, 3);
    assert.equal(d.meaning.length, 4);

    const code = async (url: string, headers: Record<string, string> = admin) => {
      const r = await app.inject({ url, headers });
      return [r.statusCode, (r.json() as { error?: { code: string } }).error?.code];
    };
    assert.deepEqual(await code(`/api/reports/summary?from=${T}&to=${T}`), [400, 'request.invalid']);
    assert.deepEqual(await code(`/api/reports/summary?from=${T - 400 * DAY}&to=${T}`), [400, 'request.invalid']);
    assert.deepEqual(await code('/api/reports/summary?format=pdf'), [400, 'request.invalid']);
    assert.deepEqual(await code('/api/reports/summary?nope=1'), [400, 'request.invalid']);
    assert.deepEqual(await code('/api/reports/summary', {}), [401, 'auth.required']);

    const spec = (await app.inject({ url: '/api/openapi.json' })).json() as { paths: Record<string, unknown> };
    assert.ok(spec.paths['/api/reports/summary'] !== undefined, 'in the OpenAPI document');
  } finally {
    await app.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

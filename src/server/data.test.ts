import { test } from 'node:test';
import { login as loginAs } from './testkit.js';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, CSRF_HEADER, ensureAdmin, SESSION_COOKIE } from './app.js';
import { StoreAuth } from './store-auth.js';
import { Sensor } from './sensor.js';
import { SqliteStore } from '../store/sqlite.js';
import { REPO_ROOT } from '../common/corpus.js';

const LOOPBACK = join(REPO_ROOT, 'test', 'testdata', 'loopback.pcap');

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-api-'));
  const store = new SqliteStore(join(dir, 'lantern.db'));
  const auth = new StoreAuth(store);
  const sensor = new Sensor(store);
  const password = (await ensureAdmin(auth))!;
  const app = await buildApp({ auth, store, sensor, uploadDir: join(dir, 'uploads') });
  const headers = await loginAs(app, 'admin', password);
  return { dir, store, app, headers };
}

test('an uploaded capture is analysed into the store; assets, connections, events and counters read back', async () => {
  const { app, headers, store } = await setup();
  const up = await app.inject({ method: 'POST', url: '/api/captures?name=loopback.pcap', headers: { ...headers, 'content-type': 'application/octet-stream' }, payload: readFileSync(LOOPBACK) });
  assert.equal(up.statusCode, 201, up.body);
  assert.deepEqual(up.json(), { path: 'loopback.pcap', frames: 38, format: 'pcap', truncated: false });
  const assets = (await app.inject({ url: '/api/assets', headers })).json() as { items: { id: string; ips: string[] }[]; next: string | null };
  assert.ok(assets.items.some((a) => a.ips.includes('127.0.0.1')));
  const one = await app.inject({ url: `/api/assets/${encodeURIComponent(assets.items[0].id)}`, headers });
  assert.equal(one.statusCode, 200);
  assert.equal((one.json() as { id: string }).id, assets.items[0].id);
  const edges = (await app.inject({ url: '/api/connections?limit=2', headers })).json() as { items: unknown[]; next: string | null };
  assert.equal(edges.items.length, 2);
  assert.notEqual(edges.next, null);
  const page2 = (await app.inject({ url: `/api/connections?limit=2&cursor=${encodeURIComponent(edges.next!)}`, headers })).json() as { items: unknown[] };
  assert.ok(page2.items.length > 0);
  const counters = (await app.inject({ url: '/api/counters', headers })).json() as { summary: { frames: number; inventory: { assets: number } } };
  assert.equal(counters.summary.frames, 38);
  assert.ok(counters.summary.inventory.assets >= 2);
  assert.equal((await app.inject({ url: '/api/events/count', headers })).json().count, store.countEvents({}));
  const audit = (await app.inject({ url: '/api/audit', headers })).json() as { action: string }[];
  assert.equal(audit[0].action, 'capture.upload');
});

test('data API errors: unknown asset, bad cursor, bad filters, empty or broken uploads, viewers cannot upload', async () => {
  const { app, headers } = await setup();
  const missing = await app.inject({ url: '/api/assets/ip:203.0.113.9', headers });
  assert.equal(missing.statusCode, 404);
  assert.equal((missing.json() as { error: { code: string } }).error.code, 'not_found');
  for (const url of ['/api/events?cursor=garbage', '/api/events?access=delete', '/api/events?limit=100000', '/api/assets?sort=size']) {
    const r = await app.inject({ url, headers });
    assert.equal(r.statusCode, 400, `${url}: ${r.body}`);
    assert.equal((r.json() as { error: { code: string } }).error.code, 'request.invalid', url);
  }
  const empty = await app.inject({ method: 'POST', url: '/api/captures', headers: { ...headers, 'content-type': 'application/octet-stream' }, payload: Buffer.alloc(0) });
  assert.equal(empty.statusCode, 400);
  const junk = await app.inject({ method: 'POST', url: '/api/captures', headers: { ...headers, 'content-type': 'application/octet-stream' }, payload: Buffer.from('this is not a capture file at all') });
  assert.equal(junk.statusCode, 400);
  assert.match((junk.json() as { error: { message: string } }).error.message, /upload/);
  const alive = await app.inject({ url: '/api/health' });
  assert.equal(alive.statusCode, 200);
});

test('the WebSocket stream reports each store write with its new assets; other origins and anonymous callers are refused', async () => {
  const { app, headers } = await setup();
  await app.ready();
  const ws = await app.injectWS('/api/stream', { headers: { cookie: headers.cookie } });
  const messages: { type: string; new_assets?: string[]; frames?: number }[] = [];
  ws.on('message', (d: Buffer) => messages.push(JSON.parse(String(d)) as { type: string }));
  const up = await app.inject({ method: 'POST', url: '/api/captures', headers: { ...headers, 'content-type': 'application/octet-stream' }, payload: readFileSync(LOOPBACK) });
  assert.equal(up.statusCode, 201);
  for (let i = 0; i < 50 && !messages.some((m) => m.type === 'update'); i++) await new Promise((r) => setTimeout(r, 20));
  ws.terminate();
  // (The hello may come before injectWS hands the socket over, so it is not asserted here.)
  const update = messages.find((m) => m.type === 'update')!;
  assert.equal(update.frames, 38);
  assert.ok(update.new_assets!.includes('ip:127.0.0.1'));
  await assert.rejects(app.injectWS('/api/stream', { headers: { cookie: headers.cookie, origin: 'http://evil.example' } }));
  await assert.rejects(app.injectWS('/api/stream', {}));
});

test('alert routes: list, counts, one alert, status changes and comments audited; viewers cannot change', async () => {
  const { app, headers, store } = await setup();
  store.putAlert({ id: 'a1', detection: 's7_plc_stop', severity: 'critical', status: 'new', title: 'S7 CPU stop from 10.10.9.66', assets: ['ip:10.10.1.22'], first_seen: 100, last_seen: 100, count: 1, assignee: null, details: {} });
  store.putAlert({ id: 'a2', detection: 'port_scan', severity: 'medium', status: 'new', title: 'Port scan', assets: ['ip:10.10.9.66'], first_seen: 90, last_seen: 95, count: 3, assignee: null, details: {} });
  const list = (await app.inject({ url: '/api/alerts?status=new', headers })).json() as { items: { id: string }[] };
  assert.deepEqual(list.items.map((a) => a.id), ['a1', 'a2']);
  assert.deepEqual((await app.inject({ url: '/api/alerts/counts?by=severity', headers })).json(), { critical: 1, medium: 1 });
  const patched = await app.inject({ method: 'PATCH', url: '/api/alerts/a1', headers, payload: { status: 'acknowledged', assignee: 'admin' } });
  assert.equal(patched.statusCode, 200, patched.body);
  assert.equal((patched.json() as { status: string }).status, 'acknowledged');
  const bad = await app.inject({ method: 'PATCH', url: '/api/alerts/a1', headers, payload: { status: 'closed' } });
  assert.equal(bad.statusCode, 400);
  const comment = await app.inject({ method: 'POST', url: '/api/alerts/a1/comments', headers, payload: { text: 'Maintenance window? Calling the plant.' } });
  assert.equal(comment.statusCode, 201);
  const one = (await app.inject({ url: '/api/alerts/a1', headers })).json() as { comments: { text: string; user: string }[] };
  assert.equal(one.comments[0].user, 'admin');
  assert.equal((await app.inject({ url: '/api/alerts/nope', headers })).statusCode, 404);
  const audit = (await app.inject({ url: '/api/audit', headers })).json() as { action: string; detail?: { status?: { from: string; to: string } } }[];
  assert.equal(audit[0].action, 'alert.comment');
  assert.deepEqual(audit[1].detail?.status, { from: 'new', to: 'acknowledged' });
  // A viewer reads alerts but cannot change them.
  await app.inject({ method: 'POST', url: '/api/users', headers, payload: { name: 'vic', role: 'viewer', password: 'viewer password 123' } });
  const v = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'vic', password: 'viewer password 123' } });
  const vc = v.cookies.find((x) => x.name === SESSION_COOKIE)!;
  const vh = { cookie: `${SESSION_COOKIE}=${vc.value}`, [CSRF_HEADER]: (v.json() as { csrf_token: string }).csrf_token };
  assert.equal((await app.inject({ url: '/api/alerts', headers: vh })).statusCode, 200);
  assert.equal((await app.inject({ method: 'PATCH', url: '/api/alerts/a2', headers: vh, payload: { status: 'resolved' } })).statusCode, 403);
});

test('retention settings: size always, age off by default; an admin change is validated, audited and applied at once', async () => {
  const { app, headers, store } = await setup();
  assert.deepEqual((await app.inject({ url: '/api/settings/retention', headers })).json(), { max_age_days: null, max_gb: 20 });
  store.appendEvents([
    { ts: 1000, protocol: 'modbus', type: 'transaction', flow: 1, client: { ip: '10.0.0.1', port: 50000 }, server: { ip: '10.0.0.2', port: 502 }, operation: { name: 'read_holding_registers', code: 3, access: 'read' }, target: {}, outcome: 'ok', latency_ms: 1, origin: 'client' },
  ] as never);
  assert.equal(store.countEvents({}), 1);
  const bad = await app.inject({ method: 'PUT', url: '/api/settings/retention', headers, payload: { max_age_days: 0, max_gb: 1 } });
  assert.equal(bad.statusCode, 400);
  const put = await app.inject({ method: 'PUT', url: '/api/settings/retention', headers, payload: { max_age_days: 30, max_gb: 5 } });
  assert.equal(put.statusCode, 200, put.body);
  assert.equal((put.json() as { deleted: { events: number } }).deleted.events, 1);
  assert.equal(store.countEvents({}), 0);
  assert.deepEqual((await app.inject({ url: '/api/settings/retention', headers })).json(), { max_age_days: 30, max_gb: 5 });
  const audit = (await app.inject({ url: '/api/audit', headers })).json() as { action: string }[];
  assert.equal(audit[0].action, 'settings.retention');
});

test('users and tokens: admins list users, change roles and disable accounts (ending their sessions); tokens are listed and revoked by their owner', async () => {
  const { app, headers } = await setup();
  await app.inject({ method: 'POST', url: '/api/users', headers, payload: { name: 'ana', role: 'viewer', password: 'analyst password 1' } });
  const users = (await app.inject({ url: '/api/users', headers })).json() as { name: string; role: string; disabled: boolean }[];
  assert.deepEqual(users.map((u) => `${u.name}/${u.role}/${u.disabled}`), ['admin/admin/false', 'ana/viewer/false']);
  assert.equal((await app.inject({ method: 'PATCH', url: '/api/users/admin', headers, payload: { disabled: true } })).statusCode, 409);
  const promoted = await app.inject({ method: 'PATCH', url: '/api/users/ana', headers, payload: { role: 'analyst' } });
  assert.equal((promoted.json() as { role: string }).role, 'analyst');
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'ana', password: 'analyst password 1' } });
  const c = login.cookies.find((x) => x.name === SESSION_COOKIE)!;
  const ana = { cookie: `${SESSION_COOKIE}=${c.value}`, [CSRF_HEADER]: (login.json() as { csrf_token: string }).csrf_token };
  const made = (await app.inject({ method: 'POST', url: '/api/tokens', headers: ana, payload: { name: 'script' } })).json() as { token: string };
  const mine = (await app.inject({ url: '/api/tokens', headers: ana })).json() as { id: string; name: string; user: string }[];
  assert.deepEqual(mine.map((t) => `${t.name}/${t.user}`), ['script/ana']);
  assert.equal((await app.inject({ url: '/api/me', headers: { authorization: `Bearer ${made.token}` } })).statusCode, 200);
  assert.equal((await app.inject({ method: 'DELETE', url: `/api/tokens/${mine[0].id}`, headers: ana })).statusCode, 204);
  assert.equal((await app.inject({ url: '/api/me', headers: { authorization: `Bearer ${made.token}` } })).statusCode, 401);
  // Disabling ends the session at once.
  assert.equal((await app.inject({ url: '/api/me', headers: ana })).statusCode, 200);
  assert.equal((await app.inject({ method: 'PATCH', url: '/api/users/ana', headers, payload: { disabled: true } })).statusCode, 200);
  assert.equal((await app.inject({ url: '/api/me', headers: ana })).statusCode, 401);
  const denied = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'ana', password: 'analyst password 1' } });
  assert.equal(denied.statusCode, 401);
});

test('dashboard routes: events histogram in round buckets, open-alert counts and the assets with the most open alerts', async () => {
  const { app, headers, store } = await setup();
  const up = await app.inject({ method: 'POST', url: '/api/captures?name=loopback.pcap', headers: { ...headers, 'content-type': 'application/octet-stream' }, payload: readFileSync(LOOPBACK) });
  assert.equal(up.statusCode, 201, up.body);
  const h = (await app.inject({ url: '/api/events/histogram?buckets=10', headers })).json() as { from: number; to: number; bucket_seconds: number; bins: { t: number; n: number }[] };
  assert.ok([1, 2, 5, 10, 15, 30, 60].includes(h.bucket_seconds) || h.bucket_seconds % 60 === 0, String(h.bucket_seconds));
  assert.equal(h.bins.reduce((a, b) => a + b.n, 0), store.countEvents({}), 'every stored event in one bin');
  for (const b of h.bins) assert.equal(b.t % h.bucket_seconds, 0);
  const hourly = (await app.inject({ url: `/api/events/histogram?from=${h.from - 7200}&to=${h.to + 7200}&buckets=2`, headers })).json() as { bucket_seconds: number; bins: { n: number }[] };
  assert.equal(hourly.bucket_seconds % 3600, 0, 'a wide window reads the per-hour table');
  assert.equal(hourly.bins.reduce((a, b) => a + b.n, 0), store.countEvents({}));
  assert.equal((await app.inject({ url: '/api/events/histogram?buckets=0', headers })).statusCode, 400);

  store.putAlert({ id: 'o1', detection: 'd', severity: 'critical', status: 'new', title: 't', assets: ['ip:10.0.0.1', 'ip:10.0.0.2'], first_seen: 1, last_seen: 1, count: 1, assignee: null, details: {} });
  store.putAlert({ id: 'o2', detection: 'd', severity: 'low', status: 'investigating', title: 't', assets: ['ip:10.0.0.2'], first_seen: 1, last_seen: 2, count: 1, assignee: null, details: {} });
  store.putAlert({ id: 'o3', detection: 'd', severity: 'high', status: 'resolved', title: 't', assets: ['ip:10.0.0.3'], first_seen: 1, last_seen: 3, count: 1, assignee: null, details: {} });
  assert.deepEqual((await app.inject({ url: '/api/alerts/counts?by=severity&open=true', headers })).json(), { critical: 1, low: 1 });
  assert.deepEqual(((await app.inject({ url: '/api/alerts?open=true', headers })).json() as { items: { id: string }[] }).items.map((a) => a.id).sort(), ['o1', 'o2']);
  assert.deepEqual((await app.inject({ url: '/api/alerts/assets?open=true&limit=5', headers })).json(), [
    { asset: 'ip:10.0.0.2', alerts: 2, weight: 9, worst: 'critical' },
    { asset: 'ip:10.0.0.1', alerts: 1, weight: 8, worst: 'critical' },
  ]);
});

test('/api/me gives a session its CSRF token again (the console reloads), never to a token caller', async () => {
  const { app, headers } = await setup();
  const me = (await app.inject({ url: '/api/me', headers: { cookie: headers.cookie } })).json() as { csrf_token?: string };
  assert.equal(me.csrf_token, headers[CSRF_HEADER]);
  const t = (await app.inject({ method: 'POST', url: '/api/tokens', headers, payload: { name: 'x' } })).json() as { token: string };
  assert.equal(((await app.inject({ url: '/api/me', headers: { authorization: `Bearer ${t.token}` } })).json() as { csrf_token?: string }).csrf_token, undefined);
});

test('creating a user with the name of a disabled user is a conflict, not an internal error', async () => {
  const { app, headers } = await setup();
  assert.equal((await app.inject({ method: 'POST', url: '/api/users', headers, payload: { name: 'old', role: 'viewer', password: 'viewer password 123' } })).statusCode, 201);
  assert.equal((await app.inject({ method: 'PATCH', url: '/api/users/old', headers, payload: { disabled: true } })).statusCode, 200);
  const again = await app.inject({ method: 'POST', url: '/api/users', headers, payload: { name: 'old', role: 'viewer', password: 'viewer password 123' } });
  assert.equal(again.statusCode, 409, again.body);
  assert.equal((again.json() as { error: { code: string } }).error.code, 'conflict');
});

test('marking a modeling alert learned extends the sensor\'s baseline (stored); the baseline can be read and reset', async () => {
  const { app, headers, store } = await setup();
  const baseline = (await app.inject({ url: '/api/baseline', headers })).json() as { complete: boolean; size: { hosts: number } };
  assert.equal(baseline.size.hosts, 0);
  store.putAlert({
    id: 'm1',
    detection: 'modeling.new_edge',
    severity: 'medium',
    status: 'new',
    title: 'New communication 10.0.0.9 → 10.0.0.20 (modbus/502)',
    assets: [],
    first_seen: 1,
    last_seen: 1,
    count: 1,
    assignee: null,
    details: { kind: 'modeling', facts: { change: 'edge', client: '10.0.0.9', server: '10.0.0.20', protocol: 'modbus', transport: 'tcp', port: 502 } },
  });
  const r = await app.inject({ method: 'PATCH', url: '/api/alerts/m1', headers, payload: { status: 'learned' } });
  assert.equal(r.statusCode, 200, r.body);
  const audit = (await app.inject({ url: '/api/audit', headers })).json() as { action: string; detail?: { baseline?: string } }[];
  assert.equal(audit.find((a) => a.action === 'alert.update')?.detail?.baseline, 'learned');
  const after = (await app.inject({ url: '/api/baseline', headers })).json() as { size: { hosts: number; edges: number } };
  assert.ok(after.size.edges >= 1 && after.size.hosts >= 2, JSON.stringify(after));
  assert.ok(store.getSetting('modeling.baseline') !== undefined, 'stored at once');
  assert.equal((await app.inject({ method: 'POST', url: '/api/baseline/reset', headers })).statusCode, 204);
  assert.equal(((await app.inject({ url: '/api/baseline', headers })).json() as { size: { edges: number } }).size.edges, 0);
});

import { test } from 'node:test';
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
  const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password } });
  const c = r.cookies.find((x) => x.name === SESSION_COOKIE)!;
  const headers = { cookie: `${SESSION_COOKIE}=${c.value}`, [CSRF_HEADER]: (r.json() as { csrf_token: string }).csrf_token };
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

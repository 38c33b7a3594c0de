import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from './app.js';
import { MemoryAuthStore } from './auth-store.js';
import { isConsoleRoute } from './console.js';

function builtConsole(): string {
  const root = mkdtempSync(join(tmpdir(), 'lantern-web-'));
  mkdirSync(join(root, 'static'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Lantern</title><div id="root"></div>');
  writeFileSync(join(root, 'static', 'index-abc123.js'), 'console.log(1)');
  return root;
}

test('the console: index.html at / and at every console route (ids with dots too), hashed files cached, misses stay JSON 404s', async () => {
  const app = await buildApp({ auth: new MemoryAuthStore(), webRoot: builtConsole() });
  const root = await app.inject({ url: '/' });
  assert.equal(root.statusCode, 200);
  assert.match(root.headers['content-type'] as string, /text\/html/);
  assert.match(root.headers['content-security-policy'] as string, /default-src 'self'/);
  assert.equal(root.headers['x-frame-options'], 'DENY');
  assert.equal(root.headers['cache-control'], 'no-cache');
  for (const url of ['/assets', '/assets/ip:10.10.1.21', '/map?focus=x', '/alerts/a.b']) {
    const r = await app.inject({ url });
    assert.equal(r.statusCode, 200, url);
    assert.match(r.body, /<div id="root">/, url);
  }
  const js = await app.inject({ url: '/static/index-abc123.js' });
  assert.equal(js.statusCode, 200);
  assert.match(js.headers['cache-control'] as string, /immutable/);
  for (const url of ['/static/gone.js', '/favicon.ico', '/api/nothing']) {
    const r = await app.inject({ url });
    assert.equal(r.statusCode, 404, url);
    assert.equal((r.json() as { error: { code: string } }).error.code, 'not_found', url);
  }
  assert.equal((await app.inject({ method: 'POST', url: '/assets' })).statusCode, 404);
});

test('the console not built: / says how to build it; the API still answers', async () => {
  const app = await buildApp({ auth: new MemoryAuthStore(), webRoot: join(tmpdir(), 'no-such-lantern-web') });
  const r = await app.inject({ url: '/' });
  assert.equal(r.statusCode, 200);
  assert.match(r.body, /npm run build:web/);
  assert.equal((await app.inject({ url: '/api/health' })).statusCode, 200);
});

test('isConsoleRoute', () => {
  assert.equal(isConsoleRoute('GET', '/assets/ip:10.0.0.5'), true);
  assert.equal(isConsoleRoute('GET', '/events?protocol=modbus'), true);
  assert.equal(isConsoleRoute('GET', '/static/x.js'), false);
  assert.equal(isConsoleRoute('GET', '/api/x'), false);
  assert.equal(isConsoleRoute('GET', '/robots.txt'), false);
  assert.equal(isConsoleRoute('DELETE', '/assets'), false);
});

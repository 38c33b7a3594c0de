import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp, CSRF_HEADER, ensureAdmin, SESSION_COOKIE } from './app.js';
import { MemoryAuthStore } from './auth-store.js';
import { ERROR_CODES } from './errors.js';

async function setup(loginRateLimit?: { max: number; windowMs: number }) {
  const auth = new MemoryAuthStore();
  const password = (await ensureAdmin(auth))!;
  const app = await buildApp({ auth, loginRateLimit });
  return { auth, app, password };
}

async function login(app: Awaited<ReturnType<typeof setup>>['app'], username: string, password: string) {
  const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  const cookie = r.cookies.find((c) => c.name === SESSION_COOKIE);
  return { r, cookie: cookie ? `${SESSION_COOKIE}=${cookie.value}` : '', csrf: (r.json() as { csrf_token?: string }).csrf_token ?? '', raw: cookie };
}

test('the first start creates one admin with a random password, once', async () => {
  const auth = new MemoryAuthStore();
  const pw = await ensureAdmin(auth);
  assert.match(pw!, /^[A-Za-z0-9]{24}$/);
  assert.equal(await ensureAdmin(auth), null);
  assert.equal(auth.countUsers(), 1);
  assert.match(auth.getUserByName('admin')!.password_hash, /^scrypt\$32768\$8\$1\$/);
});

test('no anonymous access: every API route but health and login wants a session or a token', async () => {
  const { app } = await setup();
  assert.equal((await app.inject('/api/health')).statusCode, 200);
  for (const url of ['/api/me', '/api/audit']) {
    const r = await app.inject(url);
    assert.equal(r.statusCode, 401, url);
    assert.deepEqual(r.json(), { error: { code: 'auth.required', message: ERROR_CODES['auth.required'].meaning } });
  }
});

test('login sets a strict HttpOnly cookie; wrong passwords and unknown users get the same answer, audited', async () => {
  const { app, auth, password } = await setup();
  const bad = await login(app, 'admin', 'wrong');
  assert.equal(bad.r.statusCode, 401);
  assert.equal((bad.r.json() as { error: { code: string } }).error.code, 'auth.invalid_credentials');
  const nobody = await login(app, 'nobody', 'x');
  assert.deepEqual(nobody.r.json(), bad.r.json());
  const ok = await login(app, 'admin', password);
  assert.equal(ok.r.statusCode, 200);
  assert.equal(ok.raw?.httpOnly, true);
  assert.equal(ok.raw?.sameSite, 'Strict');
  const me = await app.inject({ url: '/api/me', headers: { cookie: ok.cookie } });
  assert.deepEqual(me.json(), { name: 'admin', role: 'admin', csrf_token: ok.csrf });
  assert.deepEqual(auth.listAudit(10).map((a) => a.action), ['auth.login', 'auth.login_failed', 'auth.login_failed', 'user.create']);
});

test('state-changing requests with a session cookie need the CSRF header', async () => {
  const { app, password } = await setup();
  const s = await login(app, 'admin', password);
  const payload = { name: 'olga', role: 'analyst', password: 'a long enough password' };
  const without = await app.inject({ method: 'POST', url: '/api/users', headers: { cookie: s.cookie }, payload });
  assert.equal(without.statusCode, 403);
  assert.equal((without.json() as { error: { code: string } }).error.code, 'auth.csrf');
  const with_ = await app.inject({ method: 'POST', url: '/api/users', headers: { cookie: s.cookie, [CSRF_HEADER]: s.csrf }, payload });
  assert.equal(with_.statusCode, 201, with_.body);
});

test('roles: a viewer reads, cannot administer; API tokens authenticate without cookies or CSRF', async () => {
  const { app, password } = await setup();
  const admin = await login(app, 'admin', password);
  await app.inject({ method: 'POST', url: '/api/users', headers: { cookie: admin.cookie, [CSRF_HEADER]: admin.csrf }, payload: { name: 'vic', role: 'viewer', password: 'viewer password 123' } });
  const vic = await login(app, 'vic', 'viewer password 123');
  assert.equal((await app.inject({ url: '/api/me', headers: { cookie: vic.cookie } })).statusCode, 200);
  const denied = await app.inject({ url: '/api/audit', headers: { cookie: vic.cookie } });
  assert.equal(denied.statusCode, 403);
  assert.equal((denied.json() as { error: { code: string } }).error.code, 'auth.forbidden');
  const t = await app.inject({ method: 'POST', url: '/api/tokens', headers: { cookie: vic.cookie, [CSRF_HEADER]: vic.csrf }, payload: { name: 'grafana' } });
  assert.equal(t.statusCode, 201);
  const token = (t.json() as { token: string }).token;
  assert.match(token, /^lt_/);
  assert.deepEqual((await app.inject({ url: '/api/me', headers: { authorization: `Bearer ${token}` } })).json(), { name: 'vic', role: 'viewer' });
  assert.equal((await app.inject({ url: '/api/me', headers: { authorization: 'Bearer lt_not-a-real-token-0123456789' } })).statusCode, 401);
  assert.equal((await app.inject({ url: '/api/me', headers: { authorization: 'Basic Zm9vOmJhcg==' } })).statusCode, 401);
});

test('bad requests get request.invalid; unknown routes not_found; logins are rate limited', async () => {
  const { app, password } = await setup({ max: 3, windowMs: 60_000 });
  const cases = [
    { method: 'POST' as const, url: '/api/auth/login', payload: { username: 'admin' } },
    { method: 'POST' as const, url: '/api/auth/login', payload: '{not json', headers: { 'content-type': 'application/json' } },
    { method: 'POST' as const, url: '/api/auth/login', payload: { username: 'admin', password: 'x', extra: 1 } },
  ];
  for (const c of cases) {
    const r = await app.inject(c);
    assert.equal(r.statusCode, 400, r.body);
    assert.equal((r.json() as { error: { code: string } }).error.code, 'request.invalid');
  }
  const nf = await app.inject('/api/nothing-here');
  assert.equal(nf.statusCode, 404);
  assert.equal((nf.json() as { error: { code: string } }).error.code, 'not_found');
  const limited = await login(app, 'admin', password);
  assert.equal(limited.r.statusCode, 429);
  assert.equal((limited.r.json() as { error: { code: string } }).error.code, 'auth.rate_limited');
});

test('the OpenAPI 3 document lists the routes, their schemas and the error codes', async () => {
  const { app } = await setup();
  const doc = (await app.inject('/api/openapi.json')).json() as { openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
  assert.match(doc.openapi, /^3\./);
  for (const p of ['/api/health', '/api/auth/login', '/api/auth/logout', '/api/me', '/api/users', '/api/tokens', '/api/audit']) assert.ok(p in doc.paths, p);
  assert.ok(JSON.stringify(doc.components.schemas).includes('auth.rate_limited'));
});

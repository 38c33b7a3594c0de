// The intel routes through the app (roles, CSRF, schemas, audit, errors), and the point of it all: a list imported
// through the API is matched by the running sensor at once, and matching stops as soon as it is removed.
import { test } from 'node:test';
import { login as loginAs } from './testkit.js';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, ensureAdmin } from './app.js';
import { StoreAuth } from './store-auth.js';
import { Sensor } from './sensor.js';
import { SqliteStore } from '../store/sqlite.js';
import { REPO_ROOT } from '../common/corpus.js';
import { SAMPLE_BUNDLE } from '../detect/indicators/testdata.js';
import { IntelLibrary, parseIntelFiles } from './intel.js';

// From the repository root (where the tests run), or beside the built tree's usual place.
const DEMO = [join(process.cwd(), 'demo', 'demo-plant.pcapng'), join(REPO_ROOT, 'demo', 'demo-plant.pcapng')].find((p) => existsSync(p)) ?? 'demo/demo-plant.pcapng';
/** The attacker of the demo plant (demo/demo-plant.attacks.json). */
const ATTACKER = '10.10.9.66';

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-intel-api-'));
  writeFileSync(join(dir, 'site.txt'), '192.0.2.1,from the command line\n');
  const store = new SqliteStore(join(dir, 'lantern.db'));
  const auth = new StoreAuth(store);
  const intel = new IntelLibrary(store, { commandLine: parseIntelFiles([join(dir, 'site.txt')]) });
  const sensor = new Sensor(store, { intel: intel.feed });
  const password = (await ensureAdmin(auth))!;
  const app = await buildApp({ auth, store, sensor, intel, uploadDir: join(dir, 'uploads') });
  const login = (username: string, pw: string) => loginAs(app, username, pw);
  const admin = await login('admin', password);
  for (const [name, role] of [['olga', 'analyst'], ['vic', 'viewer']]) {
    const r = await app.inject({ method: 'POST', url: '/api/users', headers: admin, payload: { name, role, password: 'a long enough password' } });
    assert.equal(r.statusCode, 201, r.body);
  }
  return { store, app, sensor, intel, admin, analyst: await login('olga', 'a long enough password'), viewer: await login('vic', 'a long enough password') };
}

type Headers = Record<string, string>;
const errorCode = (r: { json: () => unknown }) => (r.json() as { error: { code: string; message: string } }).error;

test('list, import, not-evaluable patterns and removal through the API, by role, audited', async () => {
  const { app, analyst, viewer, store } = await setup();
  const post = (headers: Headers, name: string, body: string | Buffer, type = 'text/plain') =>
    app.inject({ method: 'POST', url: `/api/intel?name=${encodeURIComponent(name)}`, headers: { ...headers, 'content-type': type }, payload: body });

  const empty = (await app.inject({ url: '/api/intel', headers: viewer })).json() as { indicators: number; sources: { id: string; origin: string }[]; reasons: Record<string, string> };
  assert.equal(empty.indicators, 1);
  assert.deepEqual(empty.sources.map((s) => [s.id, s.origin]), [['cli-1', 'command line']]);
  assert.match(empty.reasons.followedby, /FOLLOWEDBY/);

  assert.equal((await post(viewer, 'x', '203.0.113.1')).statusCode, 403);
  const noCsrf = await app.inject({ method: 'POST', url: '/api/intel?name=x', headers: { cookie: analyst.cookie, 'content-type': 'text/plain' }, payload: '203.0.113.1' });
  assert.equal(errorCode(noCsrf).code, 'auth.csrf');

  const stix = await post(analyst, 'isac', JSON.stringify(SAMPLE_BUNDLE), 'application/json');
  assert.equal(stix.statusCode, 201, stix.body);
  const s = stix.json() as { id: string; name: string; format: string; added_by: string; counts: Record<string, number>; not_evaluable_by_reason: Record<string, number> };
  assert.deepEqual([s.name, s.format, s.added_by, s.counts.loaded, s.counts.not_evaluable], ['isac', 'stix', 'olga', 4, 4]);
  assert.deepEqual(s.not_evaluable_by_reason, { followedby: 1, pattern_type: 1, invalid_object: 2 });
  const list = await post(analyst, 'blocklist.txt', Buffer.from('\ufeff203.0.113.50\nexample-bad.org\n'), 'application/octet-stream');
  assert.equal(list.statusCode, 201, list.body);

  const all = (await app.inject({ url: '/api/intel', headers: viewer })).json() as { indicators: number; kinds: Record<string, number>; sources: { name: string }[] };
  assert.deepEqual(all.sources.map((x) => x.name), ['site.txt', 'isac', 'blocklist.txt']);
  assert.equal(all.indicators, 7);
  assert.equal(all.kinds.hash, 1);

  const u = await app.inject({ url: `/api/intel/${s.id}/unsupported`, headers: viewer });
  assert.equal(u.statusCode, 200);
  const items = (u.json() as { total: number; items: { code: string; pattern: string }[] }).items;
  assert.deepEqual(items.map((i) => i.code), ['followedby', 'pattern_type', 'invalid_object', 'invalid_object']);
  assert.equal((await app.inject({ url: '/api/intel/cli-1/unsupported', headers: viewer })).json().total, 0);
  assert.equal((await app.inject({ url: '/api/intel/ffffffffffff/unsupported', headers: viewer })).statusCode, 404);
  assert.equal((await app.inject({ url: '/api/intel/..%2Fx/unsupported', headers: viewer })).statusCode, 400);

  assert.equal((await app.inject({ method: 'DELETE', url: `/api/intel/${s.id}`, headers: viewer })).statusCode, 403);
  const cli = await app.inject({ method: 'DELETE', url: '/api/intel/cli-1', headers: analyst });
  assert.equal(cli.statusCode, 409);
  assert.equal(errorCode(cli).code, 'conflict');
  assert.equal((await app.inject({ method: 'DELETE', url: `/api/intel/${s.id}`, headers: analyst })).statusCode, 204);
  const gone = await app.inject({ method: 'DELETE', url: `/api/intel/${s.id}`, headers: analyst });
  assert.equal(gone.statusCode, 404);
  assert.equal(errorCode(gone).code, 'not_found');
  assert.equal(((await app.inject({ url: '/api/intel', headers: viewer })).json() as { indicators: number }).indicators, 3);

  const audit = store.listAudit({ limit: 10 }).items.filter((a) => a.action.startsWith('intel.'));
  assert.deepEqual(audit.map((a) => [a.action, a.user, a.target]), [
    ['intel.remove', 'olga', 'isac'],
    ['intel.add', 'olga', 'blocklist.txt'],
    ['intel.add', 'olga', 'isac'],
  ]);
  assert.equal((audit[2].detail as { not_evaluable: number }).not_evaluable, 4);
});

test('import errors answer their stable codes with the reason', async () => {
  const { app, analyst } = await setup();
  const post = (url: string, body: string | Buffer, type = 'text/plain') => app.inject({ method: 'POST', url, headers: { ...analyst, 'content-type': type }, payload: body });
  const cases: [string, string | Buffer, number, string, RegExp][] = [
    ['/api/intel?name=bad', '{"type": "bundle", "objects": [', 400, 'request.invalid', /bad: not JSON/],
    ['/api/intel?name=junk', 'nothing here', 400, 'request.invalid', /junk holds no indicator: line 1/],
    ['/api/intel?name=bin', Buffer.from([0x31, 0x32, 0xff, 0xfe, 0x00]), 400, 'request.invalid', /UTF-8 text/],
    ['/api/intel', '203.0.113.1', 400, 'request.invalid', /name/],
    ['/api/intel?name=e', '', 400, 'request.invalid', /./],
    ['/api/intel?name=site.txt', '203.0.113.1', 409, 'conflict', /a source named site\.txt exists/],
    ['/api/intel?name=huge', Buffer.alloc(20 * 1024 * 1024 + 1, 0x20), 413, 'request.too_large', /at most 20 MiB/],
  ];
  for (const [url, body, status, code, message] of cases) {
    const r = await post(url, body);
    assert.equal(r.statusCode, status, `${url}: ${r.body}`);
    assert.equal(errorCode(r).code, code, url);
    assert.match(errorCode(r).message, message, url);
  }
  // Still serving, nothing was kept.
  assert.equal(((await app.inject({ url: '/api/intel', headers: analyst })).json() as { sources: unknown[] }).sources.length, 1);
});

test('the OpenAPI document describes the intel routes', async () => {
  const { app } = await setup();
  const doc = (await app.inject('/api/openapi.json')).json() as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> }; responses: Record<string, unknown> }>> };
  assert.deepEqual(Object.keys(doc.paths).filter((p) => p.startsWith('/api/intel')).sort(), ['/api/intel', '/api/intel/{id}', '/api/intel/{id}/unsupported']);
  assert.ok('text/plain' in doc.paths['/api/intel'].post.requestBody!.content);
  assert.deepEqual(Object.keys(doc.paths['/api/intel'].post.responses).sort(), ['201', '400', '401', '403', '404', '409', '413']);
});

test('end to end: a list imported through the API raises indicator.match on the next capture, without a restart; removed, it stops', { skip: existsSync(DEMO) ? false : `${DEMO} is absent` }, async () => {
  const { app, analyst, store } = await setup();
  const upload = async () => {
    const r = await app.inject({ method: 'POST', url: '/api/captures?name=demo-plant.pcapng', headers: { ...analyst, 'content-type': 'application/octet-stream' }, payload: readFileSync(DEMO) });
    assert.equal(r.statusCode, 201, r.body);
  };
  const matches = () => store.listAlerts({ detection: 'indicator.match' }, null, 100).items;

  await upload();
  assert.deepEqual(matches(), [], 'no intel names the demo hosts yet');

  const add = await app.inject({ method: 'POST', url: '/api/intel?name=attackers', headers: { ...analyst, 'content-type': 'text/plain' }, payload: `${ATTACKER},demo attacker\n` });
  assert.equal(add.statusCode, 201, add.body);
  await upload();
  const hits = matches();
  assert.ok(hits.length > 0, 'the imported indicator matched');
  const facts = (hits[0].details as { facts: { indicator: { source: string; description: string } } }).facts.indicator;
  assert.deepEqual([facts.source, facts.description], ['attackers', 'demo attacker']);
  assert.match(hits[0].title, new RegExp(ATTACKER.replaceAll('.', '\\.')));
  const before = hits.map((a) => [a.id, a.count, a.last_seen]);

  assert.equal((await app.inject({ method: 'DELETE', url: `/api/intel/${(add.json() as { id: string }).id}`, headers: analyst })).statusCode, 204);
  await upload();
  assert.deepEqual(matches().map((a) => [a.id, a.count, a.last_seen]), before, 'no new or updated indicator alert once removed');
});

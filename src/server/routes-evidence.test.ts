import { test } from 'node:test';
import { login as loginAs } from './testkit.js';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, ensureAdmin } from './app.js';
import { StoreAuth } from './store-auth.js';
import { Sensor } from './sensor.js';
import { SqliteStore } from '../store/sqlite.js';
import { Evidence } from '../evidence/evidence.js';
import { bruteForce, framesOf } from '../evidence/testkit.js';

// From the working directory (the repository root under `npm test`), not from where the compiled test sits.
const DEMO = join(process.cwd(), 'demo', 'demo-plant.pcapng');
const TSHARK = ['/usr/bin/tshark', '/usr/local/bin/tshark'].find((p) => existsSync(p)) ?? null;

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-evidence-api-'));
  const store = new SqliteStore(join(dir, 'lantern.db'));
  const auth = new StoreAuth(store);
  const evidence = new Evidence(dir);
  const sensor = new Sensor(store, { evidence });
  const password = (await ensureAdmin(auth))!;
  const app = await buildApp({ auth, store, sensor, evidence, uploadDir: join(dir, 'uploads') });
  // Kept through the sensor's tap as it is read.
  await sensor.ingestFile(DEMO, 'demo-plant.pcapng');
  assert.equal(evidence.list().length, 1);
  const login = (username: string, pw: string) => loginAs(app, username, pw);
  const headers = await login('admin', password);
  return { dir, store, app, headers, evidence, login };
}

test('GET /api/alerts/:id/pcap: the packets between the alert’s hosts around its time, as pcapng tshark reads', { skip: existsSync(DEMO) ? false : `${DEMO} missing: SKIPPED` }, async () => {
  const { app, headers, store, dir } = await setup();
  const alerts = store.listAlerts({}, null, 1000).items;
  const alert = alerts.find((a) => {
    const d = a.details as { src?: { ip?: string } | null; dst?: { ip?: string } | null };
    return typeof d.src?.ip === 'string' && typeof d.dst?.ip === 'string';
  });
  assert.ok(alert !== undefined, 'the demo raises an alert between two hosts');
  const { src, dst } = alert.details as { src: { ip: string }; dst: { ip: string } };
  const r = await app.inject({ url: `/api/alerts/${alert.id}/pcap`, headers });
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.headers['content-type'], 'application/x-pcapng');
  assert.match(String(r.headers['content-disposition']), new RegExp(`^attachment; filename="lantern-.*${alert.id}\\.pcapng"$`));
  const frames = framesOf(r.rawPayload);
  const expected = await bruteForce(DEMO, { from: alert.first_seen - 60, to: alert.last_seen + 60 + 1e-6, hosts: [{ a: src.ip, b: dst.ip }] });
  assert.ok(expected.length > 0);
  assert.deepEqual(frames, expected);
  assert.equal(r.headers['x-lantern-evidence-frames'], String(expected.length));
  assert.equal(r.headers['x-lantern-evidence-truncated'], 'no');
  assert.equal(r.headers['content-length'], String(r.rawPayload.length));
  const gaps = JSON.parse(String(r.headers['x-lantern-evidence-gaps'])) as { reason: string }[];
  assert.ok(gaps.every((g) => g.reason === 'not_captured'), 'only the margins beyond the capture');
  assert.equal(readdirSync(join(dir, 'evidence', 'tmp')).length, 0, 'the spool is gone');
  if (TSHARK !== null) {
    const out = join(dir, 'alert.pcapng');
    writeFileSync(out, r.rawPayload);
    // ARP between the two hosts matches by sender and target address, as the matcher reads it.
    const fields = ['frame.number', 'ip.src', 'ip.dst', 'arp.src.proto_ipv4', 'arp.dst.proto_ipv4'].flatMap((f) => ['-e', f]);
    const lines = execFileSync(TSHARK, ['-r', out, '-T', 'fields', ...fields], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n');
    assert.equal(lines.length, expected.length);
    for (const line of lines) assert.equal(line.split('\t').slice(1).filter((x) => x !== '').sort().join(' '), [src.ip, dst.ip].sort().join(' '), line);
  }
  // A frame cap cuts it and says so.
  const cut = await app.inject({ url: `/api/alerts/${alert.id}/pcap?max_frames=1`, headers });
  assert.equal(cut.statusCode, 200);
  assert.equal(cut.headers['x-lantern-evidence-frames'], '1');
  assert.equal(cut.headers['x-lantern-evidence-truncated'], expected.length > 1 ? 'frames' : 'no');
  const audit = (await app.inject({ url: '/api/audit', headers })).json() as { action: string; target: string }[];
  assert.equal(audit[0].action, 'evidence.export');
  assert.equal(audit[0].target, `alert:${alert.id}`);
});

test('GET /api/evidence/pcap, coverage and status; errors with stable codes; viewers cannot download packets', { skip: existsSync(DEMO) ? false : `${DEMO} missing: SKIPPED` }, async () => {
  const { app, headers, login } = await setup();
  const first = 1_795_819_681;
  const ok = await app.inject({ url: `/api/evidence/pcap?from=${first}&to=${first + 200}&host=10.10.1.10&protocol=tcp`, headers });
  assert.equal(ok.statusCode, 200, ok.body);
  const frames = framesOf(ok.rawPayload);
  assert.deepEqual(frames, await bruteForce(DEMO, { from: first, to: first + 200, hosts: [{ a: '10.10.1.10' }], protocol: 6 }));
  const all = await app.inject({ url: `/api/evidence/pcap?from=${first - 10}&to=${first + 200}`, headers });
  assert.equal(all.headers['x-lantern-evidence-frames'], '1163');
  const pair = await app.inject({ url: `/api/evidence/pcap?from=${first}&to=${first + 200}&host=10.0.0.1,10.0.0.2&host=10.0.0.3&port=502`, headers });
  assert.equal(pair.statusCode, 200, pair.body);
  const cov = await app.inject({ url: `/api/evidence/coverage?from=${first - 10}&to=${first + 200}`, headers });
  assert.equal(cov.statusCode, 200);
  const c = cov.json() as { captures: { name: string; open: boolean }[]; gaps: { reason: string }[] };
  assert.deepEqual(c.captures.map((x) => [x.name, x.open]), [['demo-plant.pcapng', false]]);
  assert.deepEqual(c.gaps.map((g) => g.reason), ['not_captured', 'not_captured']);
  const status = (await app.inject({ url: '/api/evidence', headers })).json() as { captures: number; budget_bytes: number };
  assert.equal(status.captures, 1);
  assert.equal(status.budget_bytes, 2 * 1024 ** 3);
  for (const url of [
    `/api/evidence/pcap?from=${first}&to=${first - 1}`,
    `/api/evidence/pcap?from=${first}&to=${first + 8 * 86400}`,
    `/api/evidence/pcap?from=${first}&to=${first + 1}&host=not-an-ip`,
    `/api/evidence/pcap?from=${first}&to=${first + 1}&host=10.0.0.1,10.0.0.2,10.0.0.3`,
    `/api/evidence/pcap?from=${first}&to=${first + 1}&protocol=sctp`,
    `/api/evidence/pcap?from=${first}`,
    `/api/alerts/al_nope/pcap?margin=-1`,
  ]) {
    const r = await app.inject({ url, headers });
    assert.equal(r.statusCode, 400, `${url}: ${r.body}`);
    assert.equal((r.json() as { error: { code: string } }).error.code, 'request.invalid', url);
  }
  const missing = await app.inject({ url: '/api/alerts/al_nope/pcap', headers });
  assert.equal(missing.statusCode, 404);
  assert.equal((missing.json() as { error: { code: string } }).error.code, 'not_found');
  const made = await app.inject({ method: 'POST', url: '/api/users', headers, payload: { name: 'val', role: 'viewer', password: 'a long enough password' } });
  assert.equal(made.statusCode, 201, made.body);
  const viewer = await login('val', 'a long enough password');
  const refused = await app.inject({ url: `/api/evidence/pcap?from=${first}&to=${first + 1}`, headers: viewer });
  assert.equal(refused.statusCode, 403);
  assert.equal((await app.inject({ url: `/api/evidence/coverage?from=${first}&to=${first + 1}`, headers: viewer })).statusCode, 200);
  assert.equal((await app.inject({ url: `/api/evidence/pcap?from=${first}&to=${first + 1}` })).statusCode, 401);
});

test('GET /api/incidents/:id/pcap: the packets of every host pair of the incident’s alerts over its span', { skip: existsSync(DEMO) ? false : `${DEMO} missing: SKIPPED` }, async () => {
  const { app, headers, store } = await setup();
  const top = store.triage.listIncidents({ open: true }, null, 1).items[0];
  assert.ok(top !== undefined && top.alerts > 1);
  // Each alert's pair, or its one host when it names one end only.
  const pairs = new Map<string, { a: string; b?: string }>();
  for (const a of store.listAlerts({ incident: top.id }, null, 1000).items) {
    const d = a.details as { src?: { ip?: string } | null; dst?: { ip?: string } | null };
    const ends = [d.src?.ip, d.dst?.ip].filter((x): x is string => typeof x === 'string');
    if (ends.length === 2 && ends[0] !== ends[1]) pairs.set([...ends].sort().join(), { a: ends[0], b: ends[1] });
    else if (ends.length > 0) pairs.set(ends[0], { a: ends[0] });
  }
  const r = await app.inject({ url: `/api/incidents/${top.id}/pcap`, headers });
  assert.equal(r.statusCode, 200, r.body);
  assert.match(String(r.headers['content-disposition']), new RegExp(`filename="lantern-incident-${top.id}\\.pcapng"`));
  const expected = await bruteForce(DEMO, { from: top.first_seen - 60, to: top.last_seen + 60 + 1e-6, hosts: [...pairs.values()] });
  assert.ok(expected.length > 0);
  assert.deepEqual(framesOf(r.rawPayload), expected);
  assert.equal((await app.inject({ url: '/api/incidents/in_nope/pcap', headers })).statusCode, 404);
});

// User rules in the server: edited through the API (every error with its line and column, nothing changed on error),
// installed in the running sensor without a restart, and `--rules` files re-read when they change.
import { test } from 'node:test';
import { login as loginAs } from './testkit.js';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { buildApp, ensureAdmin } from './app.js';
import { StoreAuth } from './store-auth.js';
import { Sensor } from './sensor.js';
import { RuleLibrary } from './rules.js';
import { SqliteStore } from '../store/sqlite.js';
import { REPO_ROOT } from '../common/corpus.js';

const DEMO = [join(process.cwd(), 'demo', 'demo-plant.pcapng'), join(REPO_ROOT, 'demo', 'demo-plant.pcapng')].find((p) => existsSync(p)) ?? 'demo/demo-plant.pcapng';
const BIN = join(REPO_ROOT, 'bin', 'lantern.js');

/** The demo attacker's Modbus writes to PLC-1: from anything but the HMI. */
const PLC1_WRITES = `version: 1
rules:
  - id: plc1_write_not_hmi
    title: Modbus write to {dst} from {src}
    severity: high
    techniques: [T0855]
    match:
      protocol: modbus
      access: write
      dst: { ip: 10.10.1.21 }
      src: { not_ip: 10.10.1.10 }
`;

const BAD = `version: 1
rules:
  - id: bad
    title: typo
    severity: loud
    techniques: [T0855]
    match:
      protocol: modbus
      operation: write_singel_register
`;

async function setup(files: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-rules-'));
  const store = new SqliteStore(join(dir, 'lantern.db'));
  const auth = new StoreAuth(store);
  const rules = new RuleLibrary(store, files);
  assert.deepEqual(rules.reload(), []);
  const sensor = new Sensor(store, { detection: { rules: rules.set } });
  const password = (await ensureAdmin(auth))!;
  const app = await buildApp({ auth, store, sensor, rules, uploadDir: join(dir, 'uploads') });
  const admin = await loginAs(app, 'admin', password);
  return { dir, store, app, sensor, rules, admin };
}

test('rules through the API: every error with line and column and nothing changed; valid rules fire on the next capture without a restart', async () => {
  const { store, app, sensor, admin } = await setup();
  const bad = await app.inject({ method: 'PUT', url: '/api/rules', headers: admin, payload: { text: BAD } });
  assert.equal(bad.statusCode, 422);
  const err = (bad.json() as { error: { code: string; message: string } }).error;
  assert.equal(err.code, 'rules.invalid');
  assert.match(err.message, /^console:5:15 rules\[0\]\.severity: /m);
  assert.match(err.message, /^console:9:18 rules\[0\]\.match\.operation: unknown Modbus operation "write_singel_register" \(did you mean write_single_register/m);
  assert.deepEqual((await app.inject({ url: '/api/rules', headers: admin })).json().rules, []);

  const ok = await app.inject({ method: 'PUT', url: '/api/rules', headers: admin, payload: { text: PLC1_WRITES } });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.deepEqual((ok.json() as { rules: { detection: string }[] }).rules.map((r) => r.detection), ['rule.plc1_write_not_hmi']);
  await sensor.ingestFile(DEMO, 'demo');
  const fired = store.listAlerts({ detection: 'rule.plc1_write_not_hmi' }, null, 10).items;
  assert.equal(fired.length, 1);
  assert.match(fired[0].title, /^Modbus write to 10\.10\.1\.21 from 10\.10\.9\.66$/);
  assert.ok((fired[0].score ?? 0) > 0 && fired[0].incident !== null, 'scored and grouped like any alert');
  const audit = store.listAudit({ limit: 50 }).items.find((a) => a.action === 'rules.update');
  assert.deepEqual(audit?.detail, { rules: 1, bytes: Buffer.byteLength(PLC1_WRITES) });
});

test('a --rules file is re-read when it changes; an edit that does not validate keeps the running rules and says why', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-rules-file-'));
  const file = join(dir, 'site.yaml');
  writeFileSync(file, PLC1_WRITES);
  const { rules } = await setup([file]);
  assert.equal(rules.set.size, 1);
  const lines: string[] = [];
  const watched = new RuleLibrary({ getSetting: () => undefined, putSetting: () => undefined }, [file], (l) => lines.push(l));
  watched.reload();
  watched.watch();
  try {
    const until = async (f: () => boolean) => {
      for (let i = 0; i < 80 && !f(); i++) await new Promise((r) => setTimeout(r, 100));
      assert.ok(f());
    };
    await new Promise((r) => setTimeout(r, 1100)); // a new mtime second
    writeFileSync(file, PLC1_WRITES.replace('plc1_write_not_hmi', 'renamed_rule'));
    await until(() => watched.set.list()[0]?.id === 'renamed_rule');
    await new Promise((r) => setTimeout(r, 1100));
    writeFileSync(file, BAD);
    await until(() => watched.state().errors.length > 0);
    assert.equal(watched.set.list()[0]?.id, 'renamed_rule', 'the running rules stay');
    assert.ok(lines.some((l) => /does not validate; the running rules stay/.test(l)));
  } finally {
    watched.stop();
  }
});

test('lantern analyze --rules: a file with errors exits 2 naming them; a valid one adds its alerts to alerts.json', { skip: !existsSync(join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js')) && 'dist/ not built' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-rules-cli-'));
  writeFileSync(join(dir, 'bad.yaml'), BAD);
  writeFileSync(join(dir, 'good.yaml'), PLC1_WRITES);
  const bad = spawnSync(process.execPath, [BIN, 'analyze', DEMO, '--rules', join(dir, 'bad.yaml'), '-q'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /bad\.yaml:9:18 rules\[0\]\.match\.operation: unknown Modbus operation/);
  const good = spawnSync(process.execPath, [BIN, 'analyze', DEMO, '--rules', join(dir, 'good.yaml'), '-q', '--export', join(dir, 'out')], { encoding: 'utf8' });
  assert.equal(good.status, 0, good.stderr);
  const alerts = JSON.parse(readFileSync(join(dir, 'out', 'alerts.json'), 'utf8')) as { detection: string }[];
  assert.ok(alerts.some((a) => a.detection === 'rule.plc1_write_not_hmi'));
});

// `lantern serve` as a process: listens on 127.0.0.1, prints the first admin's password once, answers the API, stops
// cleanly on Ctrl-C, and keeps its store across restarts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { get } from 'node:https';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './support.js';

async function serve(data: string, port: number): Promise<{ out: string; health: unknown; login: number; code: number | null }> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'lantern.js'), 'serve', '--data', data, '--port', String(port), '--no-demo'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (out += String(d)));
  for (let i = 0; i < 100 && !out.includes('serving'); i++) await new Promise((r) => setTimeout(r, 100));
  const health = await (await fetch(`http://127.0.0.1:${port}/api/health`)).json();
  const password = /password "([^"]+)"/.exec(out)?.[1] ?? 'none';
  const login = (await fetch(`http://127.0.0.1:${port}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) })).status;
  child.kill('SIGINT');
  const [code] = (await once(child, 'exit')) as [number | null];
  return { out, health, login, code };
}

test('lantern serve: first start prints the admin password once; the store survives a restart', { timeout: 60_000 }, async () => {
  const data = mkdtempSync(join(tmpdir(), 'lantern-serve-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const first = await serve(data, port);
  assert.equal(first.code, 0, first.out);
  assert.match(first.out, /serving http:\/\/127\.0\.0\.1:\d+/);
  assert.match(first.out, /First start: user "admin", password "[A-Za-z0-9]{24}"/);
  assert.deepEqual((first.health as { status: string }).status, 'ok');
  assert.equal(first.login, 200);
  assert.match(first.out, /Lantern stopped/);
  const second = await serve(data, port);
  assert.equal(second.code, 0, second.out);
  assert.doesNotMatch(second.out, /password/);
  // No password shown the second time: the first admin's account is still there, so a guess fails.
  assert.equal(second.login, 401);
});

test('lantern serve: bad arguments get one clear line', () => {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'lantern.js'), 'serve', '--port', '99999'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += String(d)));
    child.on('exit', (code) => {
      try {
        assert.equal(code, 2);
        assert.match(err, /expected a port number/);
        resolve();
      } catch (e) {
        reject(e as Error);
      }
    });
  });
});

test('lantern serve over TLS: HTTPS with the given certificate and key', { timeout: 60_000, skip: spawnSync('openssl', ['version']).status === 0 ? false : 'openssl not installed: TLS test SKIPPED' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-tls-'));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'lantern.js'), 'serve', '--data', join(dir, 'data'), '--port', String(port), '--no-demo', '--tls-cert', cert, '--tls-key', key], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (out += String(d)));
  for (let i = 0; i < 100 && !out.includes('serving'); i++) await new Promise((r) => setTimeout(r, 100));
  const body = await new Promise<string>((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/api/health', ca: readFileSync(cert), servername: '127.0.0.1', checkServerIdentity: () => undefined }, (res) => {
      let b = '';
      res.on('data', (d) => (b += String(d)));
      res.on('end', () => resolve(b));
    }).on('error', reject);
  });
  child.kill('SIGINT');
  await once(child, 'exit');
  assert.match(out, /serving https:\/\/127\.0\.0\.1:/);
  assert.equal((JSON.parse(body) as { status: string }).status, 'ok');
});

test('lantern serve on an empty store loads the demo plant: its assets answer on the API', { timeout: 60_000 }, async () => {
  const data = mkdtempSync(join(tmpdir(), 'lantern-demo-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'lantern.js'), 'serve', '--data', data, '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (out += String(d)));
  for (let i = 0; i < 300 && !out.includes('Demo loaded'); i++) await new Promise((r) => setTimeout(r, 100));
  const password = /password "([^"]+)"/.exec(out)?.[1] ?? 'none';
  const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const assets = (await (await fetch(`http://127.0.0.1:${port}/api/assets?limit=100`, { headers: { cookie } })).json()) as { items: { ips: string[]; role: string }[] };
  child.kill('SIGINT');
  await once(child, 'exit');
  assert.match(out, /Demo loaded: 1163 frames/);
  const role = (ip: string) => assets.items.find((a) => a.ips.includes(ip))?.role;
  assert.equal(role('10.10.1.21'), 'controller');
  assert.equal(role('10.10.1.10'), 'hmi_scada');
  assert.equal(role('10.10.1.50'), 'engineering_workstation');
});

test('lantern serve --intel --learn: the demo raises indicator and modeling alerts beside the behaviours; a bad intel file is one line', { timeout: 90_000 }, async () => {
  const data = mkdtempSync(join(tmpdir(), 'lantern-serve-intel-'));
  const feed = join(data, 'feed.txt');
  writeFileSync(feed, '# the demo attacker\n10.10.9.66,demo attacker\n');
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'lantern.js'), 'serve', '--data', data, '--port', String(port), '--intel', feed, '--learn', '60'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (out += String(d)));
  try {
    for (let i = 0; i < 600 && !out.includes('Demo loaded'); i++) await new Promise((r) => setTimeout(r, 100));
    assert.match(out, /intel: .*feed\.txt \(list\): 1 indicators loaded/);
    const password = /password "([^"]+)"/.exec(out)?.[1] ?? '';
    const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const byDetection = (await (await fetch(`http://127.0.0.1:${port}/api/alerts/counts?by=detection`, { headers: { cookie } })).json()) as Record<string, number>;
    for (const d of ['indicator.match', 'modeling.new_master', 'behavior.program_download']) assert.ok((byDetection[d] ?? 0) > 0, `${d} in ${JSON.stringify(byDetection)}`);
  } finally {
    child.kill('SIGINT');
    await once(child, 'exit');
  }
  const bad = join(data, 'bad.json');
  writeFileSync(bad, '{"type": "bundle", "objects": 7}');
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'lantern.js'), 'serve', '--data', data, '--port', String(port), '--intel', bad], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /bad\.json/);
});

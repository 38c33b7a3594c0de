// `lantern serve --interface lo`: traffic made on 127.0.0.1 while it runs reaches the API (a pipeline of its own beside
// the uploads); a missing interface is one line on stderr while the API keeps answering; a bad name is a usage error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dgram from 'node:dgram';
import { once } from 'node:events';
import { REPO_ROOT } from './support.js';

const haveTcpdump = spawnSync('tcpdump', ['--version']).status === 0;
// tcpdump may open an interface as root or with CAP_NET_RAW: ask it rather than guess.
const canCapture = haveTcpdump && spawnSync('tcpdump', ['-i', 'lo', '-c', '1', '-w', '/dev/null', 'udp port 9'], { timeout: 1500 }).stderr?.toString().includes('listening on') === true;
const SKIP = !haveTcpdump ? 'tcpdump not installed: serve --interface test SKIPPED' : !canCapture ? 'tcpdump may not capture on lo here (not root, no CAP_NET_RAW): serve --interface test SKIPPED' : false;

interface Served {
  child: ChildProcess;
  port: number;
  out: () => string;
  err: () => string;
}

/** Starts serve and waits (up to 30 s: a loaded machine) until its output shows `ready`. */
async function startServe(args: string[], ready = 'serving'): Promise<Served> {
  const data = mkdtempSync(join(tmpdir(), 'lantern-serve-live-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'lantern.js'), 'serve', '--data', data, '--port', String(port), '--no-demo', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (err += String(d)));
  for (let i = 0; i < 300 && !out.includes(ready); i++) await new Promise((r) => setTimeout(r, 100));
  // The signal handlers go in right after the last start-up line.
  await new Promise((r) => setTimeout(r, 300));
  return { child, port, out: () => out, err: () => err };
}

async function login(s: Served): Promise<string> {
  const password = /password "([^"]+)"/.exec(s.out())?.[1] ?? 'none';
  const r = await fetch(`http://127.0.0.1:${s.port}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
  return (r.headers.get('set-cookie') ?? '').split(';')[0];
}

async function stop(s: Served): Promise<number | null> {
  s.child.kill('SIGINT');
  const [code] = (await once(s.child, 'exit')) as [number | null];
  return code;
}

test('serve --interface lo: datagrams sent on 127.0.0.1 while it runs show up in the API', { skip: SKIP, timeout: 60_000 }, async () => {
  // Below Linux's ephemeral range, so the receiving side is taken for the server.
  const udpPort = 10000 + Math.floor(Math.random() * 20000);
  const s = await startServe(['--interface', 'lo', '--filter', `udp port ${udpPort}`], 'Capturing on lo');
  let code: number | null;
  try {
    assert.match(s.out(), /Capturing on lo/);
    const server = dgram.createSocket('udp4');
    server.bind(udpPort, '127.0.0.1');
    await once(server, 'listening');
    const client = dgram.createSocket('udp4');
    for (let i = 0; i < 8; i++) {
      client.send(Buffer.from(`datagram ${i}`), udpPort, '127.0.0.1');
      await new Promise((r) => setTimeout(r, 20));
    }
    client.close();
    server.close();
    const cookie = await login(s);
    // The sensor writes every 10 s: wait for the edge while serve keeps running.
    let edge: { port: number; packets: number } | undefined;
    for (let i = 0; i < 30 && edge === undefined; i++) {
      await new Promise((r) => setTimeout(r, 500));
      const page = (await (await fetch(`http://127.0.0.1:${s.port}/api/connections?ip=127.0.0.1`, { headers: { cookie } })).json()) as { items: { port: number; packets: number }[] };
      edge = page.items.find((e) => e.port === udpPort);
    }
    assert.ok(edge, `no edge to port ${udpPort}; stderr: ${s.err()}`);
    assert.equal(edge.packets, 8);
    const counters = (await (await fetch(`http://127.0.0.1:${s.port}/api/counters`, { headers: { cookie } })).json()) as { summary: { live: { interface: string; state: string; frames: number }[] } };
    assert.deepEqual(
      counters.summary.live.map((l) => [l.interface, l.state, l.frames]),
      [['lo', 'capturing', 8]],
    );
  } finally {
    code = await stop(s);
  }
  assert.equal(code, 0, s.err());
  assert.match(s.out(), /Lantern stopped/);
  assert.equal(s.err(), '');
});

test('serve --interface on a missing interface: one line on stderr, the API keeps answering', { skip: haveTcpdump ? false : 'tcpdump not installed: SKIPPED', timeout: 60_000 }, async () => {
  // tcpdump never listens on it: no "Capturing on" line, so wait for the server itself.
  const s = await startServe(['--interface', 'no-such-if0'], 'Lantern is serving');
  let code: number | null;
  try {
    for (let i = 0; i < 50 && !s.err().includes('\n'); i++) await new Promise((r) => setTimeout(r, 100));
    const lines = s.err().trim().split('\n');
    assert.equal(lines.length, 1, s.err());
    assert.match(lines[0], /^lantern: live capture on no-such-if0 failed: /);
    const health = (await (await fetch(`http://127.0.0.1:${s.port}/api/health`)).json()) as { status: string };
    assert.equal(health.status, 'ok');
    const cookie = await login(s);
    const counters = (await (await fetch(`http://127.0.0.1:${s.port}/api/counters`, { headers: { cookie } })).json()) as { summary: { live?: { state: string }[] } | null };
    // Counters are written every 10 s; when they are there, they say the interface failed.
    if (counters.summary !== null) assert.equal(counters.summary.live?.[0].state, 'failed');
  } finally {
    code = await stop(s);
  }
  assert.equal(code, 0);
});

test('serve --interface with a name no interface can have is a usage error (exit 2)', () => {
  for (const bad of ['', 'has space', '-x', 'a/b']) {
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'lantern.js'), 'serve', `--interface=${bad}`, '--no-demo', '--data', mkdtempSync(join(tmpdir(), 'lantern-serve-live-'))], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.status, 2, `${bad}: ${r.stderr}`);
    assert.match(r.stderr, /is not an interface name/);
  }
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'lantern.js'), 'serve', '--filter', 'udp', '--no-demo'], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--filter applies to live interfaces/);
});

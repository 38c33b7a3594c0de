// `lantern capture` on the loopback interface through tcpdump: traffic to 127.0.0.1 only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dgram from 'node:dgram';
import { once } from 'node:events';
import { REPO_ROOT } from './support.js';

const haveTcpdump = spawnSync('tcpdump', ['--version']).status === 0;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const SKIP = !haveTcpdump ? 'tcpdump not installed: live capture test SKIPPED' : !isRoot ? 'not root: live capture test SKIPPED' : false;

async function sendDatagrams(port: number, n: number): Promise<void> {
  const server = dgram.createSocket('udp4');
  server.bind(port, '127.0.0.1');
  await once(server, 'listening');
  const client = dgram.createSocket('udp4');
  for (let i = 0; i < n; i++) {
    client.send(Buffer.from(`datagram ${i}`), port, '127.0.0.1');
    await new Promise((r) => setTimeout(r, 20));
  }
  client.close();
  server.close();
}

/** Starts `lantern capture` and waits until tcpdump listens (its line on stderr), however long the machine takes. */
async function startCapture(args: string[]): Promise<{ child: ChildProcess; stderr: () => string }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const end = Date.now() + 20_000;
  while (!/^Capturing on /m.test(stderr)) {
    if (Date.now() > end || child.exitCode !== null) assert.fail(`tcpdump did not start listening: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, stderr: () => stderr };
}

async function liveRun(stopBy: 'sigint' | 'duration'): Promise<{ code: number | null; summary: Record<string, unknown>; stderr: string }> {
  const port = 40000 + Math.floor(Math.random() * 20000);
  const dir = mkdtempSync(join(tmpdir(), 'lantern-live-'));
  const args = [join(REPO_ROOT, 'bin', 'lantern.js'), 'capture', '--interface', 'lo', '--filter', `udp port ${port}`, '--export', dir];
  if (stopBy === 'duration') args.push('--duration', '4');
  const { child, stderr } = await startCapture(args);
  await sendDatagrams(port, 12);
  await new Promise((r) => setTimeout(r, 500));
  if (stopBy === 'sigint') child.kill('SIGINT');
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, summary: JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Record<string, unknown>, stderr: stderr() };
}

test('live capture on lo stops cleanly on Ctrl-C and reports what it saw', { skip: SKIP, timeout: 30_000 }, async () => {
  const r = await liveRun('sigint');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.summary.frames, 12);
  assert.equal((r.summary.layers as Record<string, number>).udp, 12);
  assert.equal(r.summary.flows, 1);
  assert.equal(r.summary.truncated, false);
});

test('a live capture grows the inventory while it runs (export rewritten every --refresh seconds)', { skip: SKIP, timeout: 30_000 }, async () => {
  // Below Linux's ephemeral range, so the receiving side is taken for the server.
  const port = 10000 + Math.floor(Math.random() * 20000);
  const dir = mkdtempSync(join(tmpdir(), 'lantern-live-'));
  const args = [join(REPO_ROOT, 'bin', 'lantern.js'), 'capture', '--interface', 'lo', '--filter', `udp port ${port}`, '--export', dir, '--refresh', '1'];
  const { child } = await startCapture(args);
  await sendDatagrams(port, 5);
  await new Promise((r) => setTimeout(r, 2500));
  // Still capturing: the flow is open, yet its edge and both ends are in the export already.
  const edges = JSON.parse(readFileSync(join(dir, 'connections.json'), 'utf8')) as { server: { ip: string }; port: number; packets: number }[];
  const assets = JSON.parse(readFileSync(join(dir, 'assets.json'), 'utf8')) as { ips: string[] }[];
  child.kill('SIGINT');
  await once(child, 'exit');
  const edge = edges.find((e) => e.port === port);
  assert.ok(edge, JSON.stringify(edges));
  assert.equal(edge.packets, 5);
  assert.ok(assets.some((a) => a.ips.includes('127.0.0.1')));
  const final = JSON.parse(readFileSync(join(dir, 'connections.json'), 'utf8')) as { port: number; flows: number }[];
  assert.equal(final.find((e) => e.port === port)?.flows, 1);
});

test('live capture stops by itself after --duration', { skip: SKIP, timeout: 30_000 }, async () => {
  const r = await liveRun('duration');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.summary.frames, 12);
});

test('live capture on a missing interface fails with one line', { skip: SKIP, timeout: 30_000 }, () => {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'lantern.js'), 'capture', '--interface', 'no-such-if0', '--quiet'], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 1);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /^lantern: capture on no-such-if0 failed/);
});

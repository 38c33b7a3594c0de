// `lantern analyze` end to end, as a user runs it: exports, formats, standard input, and every kind of bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { REPO_ROOT, runLantern, TESTDATA } from './support.js';

interface FlowLine {
  transport: string;
  server: { ip: string; port: number };
  role_source: string;
  end_reason: string;
  payload_bytes_to_server: number;
  payload_bytes_to_client: number;
  tcp: unknown;
}

const LOOPBACK = join(TESTDATA, 'loopback.pcap');
const work = mkdtempSync(join(tmpdir(), 'lantern-cli-'));

function exportOf(args: string[], input?: Uint8Array): { status: number | null; stderr: string; stdout: string; summary: Record<string, unknown> } {
  const dir = mkdtempSync(join(work, 'out-'));
  const r = runLantern(['analyze', ...args, '--export', dir], input);
  let summary: Record<string, unknown> = {};
  try {
    summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    // no export: the caller's assertions say whether that was expected
  }
  return { status: r.status, stderr: r.stderr, stdout: r.stdout, summary };
}

test('analyze writes summary.json with the documented fields', () => {
  const r = exportOf([LOOPBACK]);
  assert.equal(r.status, 0, r.stderr);
  const s = r.summary;
  assert.equal(s.frames, 38);
  assert.equal(typeof s.bytes, 'number');
  assert.equal(typeof s.first_ts, 'number');
  assert.equal(typeof s.last_ts, 'number');
  assert.deepEqual(s.link_types, { ethernet: 38 });
  const layers = s.layers as Record<string, number>;
  for (const k of ['ipv4', 'ipv6', 'tcp', 'udp', 'arp', 'fragments', 'fragments_reassembled']) assert.equal(typeof layers[k], 'number', k);
  const tcp = s.tcp as Record<string, number>;
  for (const k of ['gaps', 'gap_bytes', 'retransmissions']) assert.equal(typeof tcp[k], 'number', k);
  assert.equal(typeof s.flows, 'number');
  assert.equal(typeof s.anomalies, 'object');
  assert.equal(s.truncated, false);
  assert.equal(typeof s.processing_seconds, 'number');
  assert.equal(typeof (s.throughput as Record<string, number>).mb_per_s, 'number');
  assert.match(r.stdout, /Frames\s+38/);
});

test('flows.ndjson has one documented record per flow, roles from the handshake', () => {
  const dir = mkdtempSync(join(work, 'flows-'));
  const r = runLantern(['analyze', LOOPBACK, '--export', dir, '--quiet']);
  assert.equal(r.status, 0, r.stderr);
  const flows = readFileSync(join(dir, 'flows.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as FlowLine);
  assert.equal(flows.length, 7);
  const tcp = flows.filter((f) => f.transport === 'tcp');
  assert.equal(tcp.length, 1);
  assert.deepEqual(tcp[0].server, { ip: '127.0.0.1', port: 5020 });
  assert.equal(tcp[0].role_source, 'handshake');
  assert.equal(tcp[0].end_reason, 'fin');
  assert.equal(tcp[0].payload_bytes_to_server, 5 * 10 + 6000);
  assert.equal(tcp[0].payload_bytes_to_client, 5 * 14 + 6004);
  assert.deepEqual(tcp[0].tcp, { handshake: true, gaps: 0, gap_bytes: 0, retransmissions: 0, overlap_mismatches: 0 });
  const udp6 = flows.find((f) => f.transport === 'udp' && f.server.ip === '::1' && f.server.port === 5021);
  assert.ok(udp6, 'IPv6 UDP flow');
  assert.equal(udp6.payload_bytes_to_server, 48 + 3000);
  assert.equal(flows.filter((f) => f.transport === 'icmp' || f.transport === 'icmp6').length, 2);
});

test('gzip input and standard input give the same counts as the plain file', () => {
  const plain = exportOf([LOOPBACK]).summary;
  const gz = join(work, 'loopback.bin');
  writeFileSync(gz, gzipSync(readFileSync(LOOPBACK)));
  const zipped = exportOf([gz]);
  assert.equal(zipped.status, 0, zipped.stderr);
  assert.equal(zipped.summary.frames, plain.frames);
  assert.deepEqual(zipped.summary.layers, plain.layers);
  const stdin = exportOf(['-'], readFileSync(LOOPBACK));
  assert.equal(stdin.status, 0, stdin.stderr);
  assert.equal(stdin.summary.frames, plain.frames);
  assert.deepEqual(stdin.summary.layers, plain.layers);
  assert.equal(stdin.summary.flows, plain.flows);
});

test('several captures in one run add up', () => {
  const r = exportOf([LOOPBACK, LOOPBACK]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.summary.frames, 76);
  assert.equal((r.summary.inputs as unknown[]).length, 2);
});

test('a truncated capture is analysed up to the break and reported as truncated', () => {
  const whole = readFileSync(LOOPBACK);
  const cut = join(work, 'cut.pcap');
  writeFileSync(cut, whole.subarray(0, whole.length - 30));
  const r = exportOf([cut]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.summary.truncated, true);
  assert.equal(r.summary.frames, 37);
  assert.match(r.stderr, /truncated/);
});

test('bad input: one-line errors and a non-zero exit', () => {
  const text = join(work, 'notes.pcap');
  writeFileSync(text, 'these are not the packets you are looking for\n');
  const empty = join(work, 'empty.pcap');
  writeFileSync(empty, '');
  const dir = join(work, 'a-directory');
  mkdirSync(dir);
  for (const path of [text, empty, dir, join(work, 'missing.pcap')]) {
    const r = runLantern(['analyze', path]);
    assert.equal(r.status, 1, `${path}: ${r.stderr}`);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], /^lantern: /);
  }
  const usage = runLantern(['analyze']);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /^lantern: /);
  const unknown = runLantern(['frobnicate']);
  assert.equal(unknown.status, 2);
});

test('a good file next to a bad one: the good one is analysed, the exit says something failed', () => {
  const text = join(work, 'bad.pcap');
  writeFileSync(text, 'nope');
  const r = exportOf([LOOPBACK, text]);
  assert.equal(r.status, 1);
  assert.equal(r.summary.frames, 38);
});

test('Ctrl-C during analyze stops cleanly with partial results and exit 130', async () => {
  const dir = mkdtempSync(join(work, 'sigint-'));
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'lantern.js'), 'analyze', '-', '--export', dir, '--quiet'], { stdio: ['pipe', 'pipe', 'pipe'] });
  // Half the capture now; the rest never comes: the analysis waits on standard input until interrupted.
  const whole = readFileSync(LOOPBACK);
  child.stdin.write(whole.subarray(0, 4000));
  // Interrupt once the analysis runs (its export files exist: the Ctrl-C handler is installed in the same step), not
  // after a fixed delay that a loaded machine overruns.
  for (let i = 0; i < 300 && !existsSync(join(dir, 'flows.ndjson')); i++) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 300));
  child.kill('SIGINT');
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(code, 130);
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { frames: number };
  assert.ok(summary.frames > 0 && summary.frames < 38, `partial: ${summary.frames} frames`);
});

test('the inventory is exported, and --asset-overrides corrects it (bad files get one clear line)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-cli-'));
  const overrides = join(dir, 'overrides.json');
  writeFileSync(overrides, JSON.stringify([{ match: { ip: '127.0.0.1' }, criticality: 'high', name: 'test bench' }]));
  const r = runLantern(['analyze', LOOPBACK, '--quiet', '--export', join(dir, 'out'), '--asset-overrides', overrides]);
  assert.equal(r.status, 0, r.stderr);
  const assets = JSON.parse(readFileSync(join(dir, 'out', 'assets.json'), 'utf8')) as { ips: string[]; criticality: string; criticality_source: string; names: { name: string }[] }[];
  const local = assets.find((a) => a.ips.includes('127.0.0.1'))!;
  assert.equal(local.criticality, 'high');
  assert.equal(local.criticality_source, 'override');
  assert.equal(local.names[0].name, 'test bench');
  assert.ok((JSON.parse(readFileSync(join(dir, 'out', 'connections.json'), 'utf8')) as unknown[]).length > 0);
  assert.match(readFileSync(join(dir, 'out', 'assets.csv'), 'utf8'), /^id,ips,macs,mac_vendor,/);
  writeFileSync(overrides, JSON.stringify([{ match: { ip: '127.0.0.1' }, criticality: 'urgent' }]));
  const bad = runLantern(['analyze', LOOPBACK, '--quiet', '--asset-overrides', overrides]);
  assert.equal(bad.status, 2);
  assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
  assert.match(bad.stderr, /criticality must be one of high, medium, low/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnomalyCounter } from '../common/anomaly.js';
import { LINKTYPE } from '../common/link-types.js';
import { prng } from '../common/prng.js';
import { readCaptureFile } from '../capture/open-capture.js';
import { IndexBuilder, seekPlan } from './capture-index.js';
import { planSources, writeEvidence, MAX_MERGE_CAPTURES, type ExportSource } from './export.js';
import type { EvidenceQuery, HostTerm } from './frame-match.js';
import { HOSTS4, HOSTS6, Sink, bruteForce, framesOf, synthTraffic, writePcap, writePcapng, type SynthFrame } from './testkit.js';

const TSHARK = ['/usr/bin/tshark', '/usr/local/bin/tshark'].find((p) => existsSync(p)) ?? null;
const TSHARK_SKIP = TSHARK === null ? 'tshark not installed: export read-back by tshark SKIPPED' : false;
const CAPS = { maxFrames: 1_000_000, maxBytes: 256 * 1024 * 1024 };

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'lantern-evidence-'));
}

/** Indexes a file the way keeping does (small segments here, so windows hit many of them). */
async function sourceOf(path: string, segmentBytes = 8192, segmentFrames = 64): Promise<ExportSource> {
  const b = new IndexBuilder(segmentBytes, segmentFrames);
  const r = await readCaptureFile(path, { onFrame: (f) => b.add(f.tsSec, f.tsNsec, f.streamOffset, f.interfaceId) }, new AnomalyCounter());
  const plan = seekPlan(path, r.format, b.firstOffset, b.maxInterfaceId);
  return { id: path, name: path, path, index: b.snapshot(r.format, b.firstOffset, plan.seekable, plan.structure), interfaces: r.interfaces.map((i) => ({ link_type: i.linkType })), limit: Infinity };
}

async function exportOf(sources: ExportSource[], query: EvidenceQuery, caps = CAPS) {
  const sink = new Sink();
  const result = await writeEvidence(sources, query, sink, caps);
  return { result, bytes: sink.bytes, frames: framesOf(sink.bytes) };
}

function randomQuery(rnd: () => number, start: number, span: number): EvidenceQuery {
  const from = start + rnd() * span;
  const to = from + rnd() * span * 0.3;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const hosts: HostTerm[] = [];
  const kind = rnd();
  if (kind < 0.3) hosts.push({ a: pick(HOSTS4) });
  else if (kind < 0.6) hosts.push({ a: pick(HOSTS4), b: pick(HOSTS4) });
  else if (kind < 0.7) hosts.push({ a: pick(HOSTS6) }, { a: pick(HOSTS4) });
  const q: EvidenceQuery = { from, to, hosts };
  if (rnd() < 0.2) q.ports = [pick([502, 102, 20000, 44818])];
  if (rnd() < 0.2) q.protocol = pick([6, 17]);
  return q;
}

test('an export equals the brute-force filter of the whole file, for pcap and pcapng, over random windows and hosts', async () => {
  const d = dir();
  const frames = synthTraffic(20000, { start: 1_700_000_000, rate: 1000, seed: 7 });
  const span = 20;
  for (const format of ['pcap', 'pcapng'] as const) {
    const path = join(d, `t.${format}`);
    if (format === 'pcap') writePcap(path, frames);
    else writePcapng(path, frames);
    const source = await sourceOf(path);
    assert.equal(source.index.seekable, true);
    assert.ok(source.index.offsets.length > 100, `${source.index.offsets.length} segments`);
    const rnd = prng(11);
    for (let i = 0; i < 40; i++) {
      const q = randomQuery(rnd, 1_700_000_000 - 1, span + 2);
      const expected = await bruteForce(path, q);
      const got = await exportOf([source], q);
      assert.deepEqual(got.frames, expected, `${format} query ${i}: ${JSON.stringify(q)}`);
      assert.equal(got.result.frames, expected.length);
      assert.equal(got.result.truncated, null);
    }
    // A one-second window reads a few segments, not the file.
    const narrow = await exportOf([source], { from: 1_700_000_010, to: 1_700_000_011 });
    assert.ok(narrow.result.frames > 500);
    assert.ok(narrow.result.scannedBytes < statSync(path).size / 5, `scanned ${narrow.result.scannedBytes} of ${statSync(path).size}`);
  }
});

test('a pcapng with two link types keeps both interfaces and their frames; tshark reads it back', async (t) => {
  const d = dir();
  const path = join(d, 'two.pcapng');
  const frames = synthTraffic(3000, { rate: 500, seed: 3, rawShare: 0.3 });
  writePcapng(path, frames);
  const source = await sourceOf(path);
  const q: EvidenceQuery = { from: 1_700_000_001, to: 1_700_000_004, hosts: [{ a: '10.0.0.1', b: '10.0.0.2' }] };
  const expected = await bruteForce(path, q);
  const got = await exportOf([source], q);
  assert.deepEqual(got.frames, expected);
  const linkTypes = new Set(got.frames.map((f) => f.linkType));
  assert.deepEqual([...linkTypes].sort((a, b) => a - b), [LINKTYPE.ETHERNET, LINKTYPE.RAW]);
  if (TSHARK_SKIP) return t.skip(TSHARK_SKIP);
  const out = join(d, 'out.pcapng');
  writeFileSync(out, got.bytes);
  // ARP requests between the two match by their sender and target addresses.
  const fields = ['ip.src', 'ip.dst', 'arp.src.proto_ipv4', 'arp.dst.proto_ipv4'].flatMap((f) => ['-e', f]);
  const lines = execFileSync(TSHARK!, ['-r', out, '-T', 'fields', ...fields], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n');
  assert.equal(lines.length, expected.length);
  for (const line of lines) {
    const pair = line.split('\t').filter((x) => x !== '').sort().join(' ');
    assert.equal(pair, '10.0.0.1 10.0.0.2', line);
  }
  const encaps = execFileSync(TSHARK!, ['-r', out, '-T', 'fields', '-e', 'frame.encap_type'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n');
  assert.equal(new Set(encaps).size, 2, 'two encapsulations');
});

test('a pcapng whose later section describes new interfaces seeks by replaying its section and interface blocks', async () => {
  const d = dir();
  const a = join(d, 'a.pcapng');
  const b = join(d, 'b.pcapng');
  writePcapng(a, synthTraffic(2000, { start: 1_700_000_000, rate: 500, seed: 1 }));
  writePcapng(b, synthTraffic(2000, { start: 1_700_000_010, rate: 500, seed: 2, rawShare: 0.5 }));
  const both = join(d, 'both.pcapng');
  writeFileSync(both, Buffer.concat([readFileSync(a), readFileSync(b)]));
  const source = await sourceOf(both);
  assert.equal(source.index.seekable, true);
  assert.equal(source.index.structure!.length / 2, 5, 'two SHBs, one IDB then two');
  const rnd = prng(5);
  for (let i = 0; i < 10; i++) {
    const q = randomQuery(rnd, 1_700_000_000, 15);
    const got = await exportOf([source], q);
    assert.deepEqual(got.frames, await bruteForce(both, q), JSON.stringify(q));
  }
  const late = await exportOf([source], { from: 1_700_000_013, to: 1_700_000_014 });
  assert.ok(late.result.scannedBytes < statSync(both).size / 3);
  // A single-section file with its interfaces first needs no structure.
  assert.equal((await sourceOf(a)).index.structure, undefined);
  // Garbage between the two: the walk gives up, the capture reads from the start, still exactly.
  const damaged = join(d, 'damaged.pcapng');
  writeFileSync(damaged, Buffer.concat([readFileSync(a), Buffer.alloc(37, 0x5a), readFileSync(b)]));
  const dsource = await sourceOf(damaged);
  assert.equal(dsource.index.seekable, false);
  const q: EvidenceQuery = { from: 1_700_000_011, to: 1_700_000_013, hosts: [{ a: '10.0.0.3' }] };
  const got = await exportOf([dsource], q);
  assert.ok(got.result.frames > 0);
  assert.deepEqual(got.frames, await bruteForce(damaged, q));
});

test('captures overlapping in time are merged in time order; each gives what its own filter gives', async () => {
  const d = dir();
  const calm = (f: SynthFrame[]): SynthFrame[] => f.sort((x, y) => x.tsSec - y.tsSec || x.tsNsec - y.tsNsec);
  const a = join(d, 'a.pcap');
  const b = join(d, 'b.pcapng');
  writePcap(a, calm(synthTraffic(3000, { start: 1_700_000_000, rate: 300, seed: 4 })));
  writePcapng(b, calm(synthTraffic(3000, { start: 1_700_000_005, rate: 300, seed: 5 })));
  const q: EvidenceQuery = { from: 1_700_000_002, to: 1_700_000_009, hosts: [{ a: '10.0.0.4' }] };
  const got = await exportOf([await sourceOf(b), await sourceOf(a)], q);
  const times = got.frames.map((f) => f.tsSec * 1e9 + f.tsNsec);
  for (let i = 1; i < times.length; i++) assert.ok(times[i] >= times[i - 1], `frame ${i} goes back in time`);
  const expected = [...(await bruteForce(a, q)), ...(await bruteForce(b, q))];
  const key = (f: { tsSec: number; tsNsec: number; hex: string }) => `${f.tsSec}.${f.tsNsec}.${f.hex}`;
  assert.deepEqual(got.frames.map(key).sort(), expected.map(key).sort());
  assert.deepEqual(got.result.captures.map((c) => c.name).sort(), [a, b].sort());
});

test('the frame and byte caps cut the export and say so in a comment on the last packet', async (t) => {
  const d = dir();
  const path = join(d, 'cap.pcap');
  writePcap(path, synthTraffic(5000, { rate: 1000, seed: 9, bigEvery: 10 }));
  const source = await sourceOf(path);
  const q: EvidenceQuery = { from: 0, to: 2e9 };
  const byFrames = await exportOf([source], q, { maxFrames: 100, maxBytes: CAPS.maxBytes });
  assert.equal(byFrames.result.truncated, 'frames');
  assert.equal(byFrames.frames.length, 100);
  assert.deepEqual(byFrames.frames, (await bruteForce(path, q)).slice(0, 100));
  const byBytes = await exportOf([source], q, { maxFrames: CAPS.maxFrames, maxBytes: 64 * 1024 });
  assert.equal(byBytes.result.truncated, 'bytes');
  assert.ok(byBytes.bytes.length <= 64 * 1024 + 200, `${byBytes.bytes.length} bytes`);
  assert.ok(byBytes.frames.length > 10);
  // A cap that is not reached cuts nothing.
  const whole = await exportOf([source], q, { maxFrames: 5000, maxBytes: CAPS.maxBytes });
  assert.equal(whole.result.truncated, null);
  assert.equal(whole.frames.length, 5000);
  if (TSHARK_SKIP) return t.skip(TSHARK_SKIP);
  const out = join(d, 'cut.pcapng');
  writeFileSync(out, byFrames.bytes);
  const comments = execFileSync(TSHARK!, ['-r', out, '-T', 'fields', '-e', 'frame.comment'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trimEnd().split('\n');
  assert.equal(comments.length, 100);
  assert.match(comments[99], /stopped at its cap of 100 frames/);
  assert.ok(comments.slice(0, 99).every((c) => c === ''));
});

test('more captures than the merge cap overlapping one moment: the extra ones are left out, and listed', () => {
  const index = { version: 1 as const, format: 'pcap' as const, preambleEnd: 24, seekable: true, frames: 1, first: 10, last: 20, offsets: [24], minTimes: [10], maxTimes: [20], frameCounts: [1], prevSecs: [-1] };
  const sources: ExportSource[] = Array.from({ length: MAX_MERGE_CAPTURES + 3 }, (_, i) => ({ id: `c${i}`, name: `c${i}`, path: '/nonexistent', index, interfaces: [], limit: Infinity }));
  const plan = planSources(sources, 0, 100);
  assert.equal(plan.read.length, MAX_MERGE_CAPTURES);
  assert.equal(plan.skipped.length, 3);
  // Outside the window, nothing is planned.
  assert.equal(planSources(sources, 30, 40).read.length, 0);
});

test('an export of a capture that vanished reports it as a gap instead of failing', async () => {
  const d = dir();
  const path = join(d, 'gone.pcap');
  writePcap(path, synthTraffic(100, { seed: 1 }));
  const source = { ...(await sourceOf(path)), path: join(d, 'elsewhere.pcap') };
  const got = await exportOf([source], { from: 0, to: 2e9 });
  assert.equal(got.result.frames, 0);
  assert.equal(got.result.gaps.length, 1);
  assert.equal(got.result.gaps[0].reason, 'missing');
});

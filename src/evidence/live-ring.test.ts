import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hex } from '../common/hex.js';
import { prng } from '../common/prng.js';
import { Evidence } from './evidence.js';
import type { EvidenceQuery } from './frame-match.js';
import { Sink, bruteForce, fileFrames, framesOf, pcapBytes, synthTraffic, type SynthFrame } from './testkit.js';

const T0 = 1_700_000_000;

function dataDir(): string {
  return mkdtempSync(join(tmpdir(), 'lantern-ring-'));
}

/** Traffic in time order (a live stream's), as tcpdump would write it. */
function stream(n: number, seed: number, start = T0): { frames: SynthFrame[]; bytes: Buffer } {
  const frames = synthTraffic(n, { start, rate: 1000, seed }).sort((x, y) => x.tsSec - y.tsSec || x.tsNsec - y.tsNsec);
  return { frames, bytes: pcapBytes(frames) };
}

/** Feeds `bytes` in random chunks (1 byte to 5,000), as a pipe hands them over. */
function feed(write: (chunk: Uint8Array) => void, bytes: Buffer, seed: number): void {
  const rnd = prng(seed);
  for (let o = 0; o < bytes.length; ) {
    const n = Math.min(bytes.length - o, 1 + Math.floor(rnd() * 5000));
    write(bytes.subarray(o, o + n));
    o += n;
  }
}

async function exportOf(ev: Evidence, q: EvidenceQuery) {
  const sink = new Sink();
  const result = await ev.exportEvidence(q, sink);
  return { result, frames: framesOf(sink.bytes) };
}

test('the ring cuts the stream at record boundaries into segments of about the rotation size, each a valid pcap', async () => {
  const d = dataDir();
  const ev = new Evidence(d, { budgetBytes: 64 * 1024 * 1024, segmentBytes: 100_000 });
  const { frames, bytes } = stream(8000, 1);
  const ring = ev.liveRing('eth0');
  const run = ring.begin();
  feed((c) => run.write(c), bytes, 2);
  run.end();
  const segs = ev.list();
  assert.ok(segs.length >= Math.floor(bytes.length / 100_000), `${segs.length} segments`);
  let total = 0;
  const seen: string[] = [];
  for (const s of segs) {
    assert.equal(s.kind, 'live');
    assert.equal(s.name, 'live:eth0');
    const path = join(ev.root, s.file);
    assert.ok(statSync(path).size < 100_000 + 2000, `${s.file}: ${statSync(path).size} bytes`);
    const f = fileFrames(path);
    assert.equal(f.length, s.frames);
    total += f.length;
    seen.push(...f.map((x) => x.hex));
  }
  assert.equal(total, frames.length);
  assert.deepEqual(seen, frames.map((f) => Buffer.from(f.data).toString('hex')));
  // An export over the segments equals the filter of the stream as one file.
  const whole = join(d, 'whole.pcap');
  writeFileSync(whole, bytes);
  for (const q of [{ from: T0 + 1.5, to: T0 + 6.2, hosts: [{ a: '10.0.0.1', b: '10.0.0.4' }] }, { from: T0, to: T0 + 100 }]) {
    assert.deepEqual((await exportOf(ev, q)).frames, await bruteForce(whole, q));
  }
});

test('frames of the segment being written are exported too (the ring is flushed first)', async () => {
  const d = dataDir();
  const ev = new Evidence(d, { budgetBytes: 64 * 1024 * 1024, segmentBytes: 1024 * 1024 });
  const { bytes } = stream(2000, 3);
  const run = ev.liveRing('eth1').begin();
  feed((c) => run.write(c), bytes, 4);
  assert.equal(ev.list().length, 0, 'nothing closed yet');
  assert.equal(ev.stats().open_segments, 1);
  const got = await exportOf(ev, { from: T0, to: T0 + 100 });
  assert.equal(got.result.frames, 2000);
  assert.deepEqual(ev.coverage(T0, T0 + 1).captures.map((c) => c.open), [true]);
  run.end();
  assert.equal(ev.list().length, 1);
});

test('past their share of the budget the oldest segments rotate out, counted, and leave ring_rotated gaps', async () => {
  const d = dataDir();
  // Rings may hold half of 1 MB; segments of 100 kB.
  const ev = new Evidence(d, { budgetBytes: 1_000_000, ringShare: 0.5, segmentBytes: 100_000 });
  const { frames, bytes } = stream(20000, 5);
  const ring = ev.liveRing('eth0');
  const run = ring.begin();
  feed((c) => run.write(c), bytes, 6);
  run.end();
  const stats = ev.stats();
  assert.ok(stats.ring_bytes <= 500_000, `${stats.ring_bytes} bytes in the ring`);
  assert.ok(stats.counters.ring_rotated > 5);
  assert.equal(stats.anomalies['evidence.ring_rotated'], stats.counters.ring_rotated);
  assert.equal(readdirSync(join(ev.root, 'ring')).filter((f) => f.endsWith('.pcap')).length, ev.list().length);
  const oldest = ev.list()[0];
  // The start of the stream is gone: its window gives no frames and says why.
  const early = await exportOf(ev, { from: T0, to: T0 + 1 });
  assert.equal(early.result.frames, 0);
  assert.ok(early.result.gaps.length > 0 && early.result.gaps.every((g) => g.reason === 'ring_rotated' || g.reason === 'not_captured'));
  assert.ok(early.result.gaps.some((g) => g.reason === 'ring_rotated' && g.capture === 'live:eth0'));
  // What the ring still holds exports whole.
  const late = await exportOf(ev, { from: oldest.first, to: T0 + 1000 });
  assert.equal(late.result.frames, frames.filter((f) => f.tsSec + f.tsNsec / 1e9 >= oldest.first).length);
  assert.deepEqual(late.result.gaps.filter((g) => g.reason !== 'not_captured'), []);
});

test('uploads are evicted by the rings only through the overall budget, oldest kept first', async () => {
  const d = dataDir();
  const ev = new Evidence(d, { budgetBytes: 1_000_000, ringShare: 0.9, segmentBytes: 100_000 });
  const up = join(d, 'up.pcap');
  writeFileSync(up, stream(3000, 7, T0 - 1000).bytes);
  assert.ok((await ev.keepFile(up, 'up.pcap')) !== null);
  const run = ev.liveRing('eth0').begin();
  feed((c) => run.write(c), stream(12000, 8).bytes, 9);
  run.end();
  assert.ok(!ev.list().some((c) => c.name === 'up.pcap'), 'the upload, kept first, went first');
  assert.equal(ev.stats().counters.evicted, 1);
  assert.ok(ev.stats().bytes <= 1_000_000);
});

test('a stream that is not classic pcap is not kept; a record over 16 MiB stops keeping, the frames before it stay', async () => {
  const d = dataDir();
  const ev = new Evidence(d, { segmentBytes: 100_000 });
  const ng = ev.liveRing('ng').begin();
  ng.write(hex`0a 0d 0d 0a  1c 00 00 00  4d 3c 2b 1a  01 00 00 00  ff ff ff ff ff ff ff ff  1c 00 00 00   # a pcapng SHB`);
  ng.end();
  assert.equal(ev.anomalies.get('evidence.ring_not_pcap'), 1);
  assert.equal(ev.list().length, 0);
  const bad = ev.liveRing('bad').begin();
  const { bytes } = stream(100, 10);
  bad.write(bytes);
  bad.write(hex`
    00 f1 53 65  00 00 00 00   # ts_sec, ts_usec
    00 00 00 02  00 00 00 02   # caplen 32 MiB, origlen: no real record
  `);
  bad.write(Buffer.alloc(100));
  bad.end();
  assert.equal(ev.anomalies.get('evidence.ring_bad_record'), 1);
  assert.equal(ev.list().length, 1);
  assert.equal(ev.list()[0].frames, 100);
});

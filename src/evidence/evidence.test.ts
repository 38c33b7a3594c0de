import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { AnomalyCounter } from '../common/anomaly.js';
import { readCaptureFile } from '../capture/open-capture.js';
import { Evidence, parseByteSize } from './evidence.js';
import type { EvidenceQuery } from './frame-match.js';
import { Sink, bruteForce, framesOf, pcapBytes, synthTraffic, writePcap, writePcapng } from './testkit.js';

const T0 = 1_700_000_000;

function dataDir(): string {
  return mkdtempSync(join(tmpdir(), 'lantern-evidence-'));
}

/** Ingests `path` the way the sensor's hook does: read through the tap, then keep. */
async function ingest(ev: Evidence, path: string, name: string) {
  let frames = 0;
  const session = ev.tap(path, name, { onFrame: () => void frames++ });
  const result = await readCaptureFile(path, session, new AnomalyCounter());
  const kept = await session.end(result);
  return { kept, frames };
}

async function exportOf(ev: Evidence, q: EvidenceQuery & { maxFrames?: number }) {
  const sink = new Sink();
  const result = await ev.exportEvidence(q, sink);
  return { result, frames: framesOf(sink.bytes) };
}

test('a capture read through the tap is kept (hard link) with its index; an export of it equals the brute-force filter', async () => {
  const d = dataDir();
  const src = join(d, 'upload.pcapng');
  writePcapng(src, synthTraffic(4000, { start: T0, rate: 400, seed: 21 }));
  const ev = new Evidence(d);
  const { kept, frames } = await ingest(ev, src, 'plant.pcapng');
  assert.equal(frames, 4000, 'the next handler saw every frame');
  assert.ok(kept !== null);
  assert.equal(kept.how, 'link');
  assert.equal(kept.frames, 4000);
  assert.equal(kept.name, 'plant.pcapng');
  assert.equal(statSync(join(ev.root, kept.file)).ino, statSync(src).ino);
  // The upload route deletes its file after ingest: the kept link stays.
  rmSync(src);
  const q: EvidenceQuery = { from: T0 + 3, to: T0 + 5, hosts: [{ a: '10.0.0.2', b: '10.0.0.3' }] };
  const got = await exportOf(ev, q);
  assert.deepEqual(got.frames, await bruteForce(join(ev.root, kept.file), q));
  assert.ok(got.result.frames > 0);
  assert.deepEqual(got.result.captures.map((c) => c.name), ['plant.pcapng']);
  assert.deepEqual(got.result.gaps, []);
  // The same capture again is not kept twice.
  writePcapng(src, synthTraffic(4000, { start: T0, rate: 400, seed: 21 }));
  const again = await ingest(ev, src, 'plant-again.pcapng');
  assert.equal(again.kept?.id, kept.id);
  assert.equal(ev.list().length, 1);
  assert.equal(ev.stats().counters.duplicates, 1);
});

test('a gzip capture is kept decompressed, and its export equals the filter of the uncompressed capture', async () => {
  const d = dataDir();
  const frames = synthTraffic(3000, { start: T0, rate: 300, seed: 5 });
  const plain = join(d, 'plain.pcap');
  writePcap(plain, frames);
  const gz = join(d, 'capture.pcap.gz');
  writeFileSync(gz, gzipSync(readFileSync(plain)));
  const ev = new Evidence(d);
  const { kept } = await ingest(ev, gz, 'capture.pcap.gz');
  assert.ok(kept !== null);
  assert.equal(kept.how, 'gunzip');
  assert.equal(kept.format, 'pcap');
  assert.deepEqual(readFileSync(join(ev.root, kept.file)), readFileSync(plain));
  const q: EvidenceQuery = { from: T0 + 2, to: T0 + 4, hosts: [{ a: '10.0.0.1' }] };
  assert.deepEqual((await exportOf(ev, q)).frames, await bruteForce(plain, q));
  // A gzip cut short keeps what inflated, as the reader read it.
  const cut = join(d, 'cut.pcap.gz');
  const whole = gzipSync(pcapBytes(synthTraffic(3000, { start: T0 + 100, rate: 300, seed: 6 })));
  writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
  const cutKept = await ingest(ev, cut, 'cut.pcap.gz');
  assert.ok(cutKept.kept !== null);
  assert.equal(cutKept.kept.frames, cutKept.frames);
  const all = await exportOf(ev, { from: T0 + 99, to: T0 + 200 });
  assert.equal(all.result.frames, cutKept.frames);
});

test('past the budget the oldest kept capture is evicted; exports report its span as a gap, and the rest as not captured', async () => {
  const d = dataDir();
  const paths = [0, 1, 2].map((i) => {
    const p = join(d, `c${i}.pcap`);
    writePcap(p, synthTraffic(1000, { start: T0 + i * 100, rate: 100, seed: 30 + i }));
    return p;
  });
  const size = statSync(paths[0]).size;
  const ev = new Evidence(d, { budgetBytes: Math.floor(size * 2.5) });
  for (const [i, p] of paths.entries()) assert.ok((await ingest(ev, p, `c${i}.pcap`)).kept !== null);
  assert.deepEqual(ev.list().map((c) => c.name), ['c1.pcap', 'c2.pcap']);
  const stats = ev.stats();
  assert.equal(stats.counters.evicted, 1);
  assert.equal(stats.counters.evicted_bytes, size);
  assert.ok(stats.bytes <= stats.budget_bytes);
  assert.equal(stats.anomalies['evidence.evicted'], 1);
  const gone = await exportOf(ev, { from: T0 + 5, to: T0 + 8 });
  assert.equal(gone.result.frames, 0);
  assert.deepEqual(gone.result.gaps.map((g) => [g.reason, g.capture]), [['evicted', 'c0.pcap']]);
  // A window reaching past the last capture: the span after it was never captured.
  const edge = await exportOf(ev, { from: T0 + 205, to: T0 + 400 });
  assert.ok(edge.result.frames > 0);
  assert.deepEqual(edge.result.gaps.map((g) => g.reason), ['not_captured']);
  assert.ok(edge.result.gaps[0].from > T0 + 209 && edge.result.gaps[0].to === T0 + 400);
  // The coverage says the same without reading packets.
  const cov = ev.coverage(T0 + 1, T0 + 400);
  assert.deepEqual(cov.captures.map((c) => c.name), ['c1.pcap', 'c2.pcap']);
  assert.deepEqual(cov.gaps.map((g) => g.reason), ['evicted', 'not_captured', 'not_captured', 'not_captured']);
  // A capture larger than the whole budget is not kept, and its span is a gap.
  const big = join(d, 'big.pcap');
  writePcap(big, synthTraffic(4000, { start: T0 + 1000, rate: 100, seed: 40 }));
  assert.equal((await ingest(ev, big, 'big.pcap')).kept, null);
  const bigGaps = (await exportOf(ev, { from: T0 + 1001, to: T0 + 1010 })).result.gaps;
  assert.deepEqual(bigGaps.map((g) => [g.reason, g.capture]), [['not_kept', 'big.pcap']]);
  assert.equal(ev.stats().anomalies['evidence.over_budget'], 1);
});

test('the catalogue survives a restart; a kept file deleted behind its back becomes a gap; unnamed files are recovered', async () => {
  const d = dataDir();
  const src = join(d, 'a.pcap');
  writePcap(src, synthTraffic(500, { start: T0, rate: 100, seed: 50 }));
  const ev = new Evidence(d);
  const { kept } = await ingest(ev, src, 'a.pcap');
  assert.ok(kept !== null);
  const again = new Evidence(d);
  assert.deepEqual(again.list(), ev.list());
  const q = { from: T0, to: T0 + 10 };
  assert.equal((await exportOf(again, q)).result.frames, 500);
  rmSync(join(ev.root, kept.file));
  const third = new Evidence(d);
  assert.equal(third.list().length, 0);
  assert.equal(third.anomalies.get('evidence.missing_file'), 1);
  // (Before its first frame and after its last, the window was not captured at all.)
  assert.deepEqual((await exportOf(third, q)).result.gaps.map((g) => g.reason), ['not_captured', 'missing', 'not_captured']);
  // A live segment left by a crash (not in the catalogue) is indexed again and named after its interface.
  writePcap(join(third.root, 'ring', 'live-eth1-77.pcap'), synthTraffic(300, { start: T0 + 50, rate: 100, seed: 51 }));
  writeFileSync(join(third.root, 'captures', 'k000099.idx.json'), '{}');
  const fourth = new Evidence(d);
  assert.equal(await fourth.recover(), 1);
  const rec = fourth.list()[0];
  assert.equal(rec.name, 'live:eth1');
  assert.equal(rec.kind, 'live');
  assert.ok(rec.seq > 99, 'seqs in file names are not handed out again');
  assert.equal((await exportOf(fourth, { from: T0 + 50, to: T0 + 60 })).result.frames, 300);
});

test('an unreadable catalogue is counted and the kept files are indexed again', async () => {
  const d = dataDir();
  const src = join(d, 'a.pcapng');
  writePcapng(src, synthTraffic(200, { start: T0, rate: 100, seed: 60 }));
  const ev = new Evidence(d);
  await ingest(ev, src, 'a.pcapng');
  writeFileSync(join(ev.root, 'catalog.json'), 'not json');
  const next = new Evidence(d);
  assert.equal(next.anomalies.get('evidence.catalog_unreadable'), 1);
  assert.equal(await next.recover(), 1);
  assert.equal((await exportOf(next, { from: T0, to: T0 + 10 })).result.frames, 200);
});

test('budget sizes parse with binary (K, M, G, KiB...) and decimal (KB, MB, GB) units', () => {
  assert.equal(parseByteSize('2GiB'), 2 * 1024 ** 3);
  assert.equal(parseByteSize('2G'), 2 * 1024 ** 3);
  assert.equal(parseByteSize('500 MB'), 500e6);
  assert.equal(parseByteSize('1.5g'), 1.5 * 1024 ** 3);
  assert.equal(parseByteSize('1048576'), 1048576);
  assert.equal(parseByteSize('0'), 0);
  for (const bad of ['', 'lots', '-1G', '2 parsecs', '1e9']) assert.equal(parseByteSize(bad), null, bad);
});

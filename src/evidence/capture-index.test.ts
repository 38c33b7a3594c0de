import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesOf, endOfOptions, epb, idb, option, shb } from '../capture/fixtures.js';
import { IndexBuilder, parseIndex, seekPlan } from './capture-index.js';

test('segments start every N frames or M bytes, and keep each segment’s time range and the previous record’s time', () => {
  const b = new IndexBuilder(1000, 3);
  // 7 frames of 100 bytes from offset 24, one second apart, the fifth out of order.
  const secs = [10, 11, 12, 13, 9, 15, 16];
  secs.forEach((s, i) => b.add(s, 500_000_000, 24 + i * 100, 0));
  const idx = b.snapshot('pcap', 24, true);
  assert.deepEqual(idx.offsets, [24, 324, 624]);
  assert.deepEqual(idx.frameCounts, [3, 3, 1]);
  assert.deepEqual(idx.minTimes, [10.5, 9.5, 16.5]);
  assert.deepEqual(idx.maxTimes, [12.5, 15.5, 16.5]);
  assert.deepEqual(idx.prevSecs, [-1, 12, 15]);
  assert.equal(idx.first, 9.5);
  assert.equal(idx.last, 16.5);
  assert.equal(idx.frames, 7);
  // By bytes: a 2,000-byte frame closes the segment after it.
  const c = new IndexBuilder(1000, 100);
  c.add(1, 0, 24, 0);
  c.add(2, 0, 2024, 0);
  c.add(3, 0, 2124, 0);
  assert.deepEqual(c.snapshot('pcap', 24, true).offsets, [24, 2024]);
  assert.ok(parseIndex(JSON.parse(JSON.stringify(idx))) !== null);
  assert.equal(parseIndex({ ...idx, offsets: [1] }), null);
  assert.equal(parseIndex('nope'), null);
});

test('at the segment cap neighbours merge in pairs: the index stays bounded and still covers every frame', () => {
  const b = new IndexBuilder(1_000_000, 1, 8);
  for (let i = 0; i < 1000; i++) b.add(100 + i, 0, 24 + i * 50, 0);
  const idx = b.snapshot('pcap', 24, true);
  assert.ok(idx.offsets.length <= 8, `${idx.offsets.length} segments`);
  assert.equal(idx.frameCounts.reduce((a, x) => a + x, 0), 1000);
  assert.equal(idx.minTimes[0], 100);
  assert.equal(idx.maxTimes[idx.maxTimes.length - 1], 1099);
  for (let i = 1; i < idx.offsets.length; i++) {
    assert.ok(idx.offsets[i] > idx.offsets[i - 1]);
    assert.equal(idx.minTimes[i], 100 + (idx.offsets[i] - 24) / 50, 'a segment starts with the frame at its offset');
  }
});

test('a pcapng preamble is the bytes before the first packet, or the section and interface blocks when one comes later', () => {
  const le = true;
  const iface = idb(le, 1, 65535, option(9, '09', le, 'if_tsresol') + endOfOptions(le));
  const packet = epb(le, { ifId: 0, units: 1_700_000_000_000_000_000n, data: '00 11 22 33' });
  const head = bytesOf(shb(le), iface);
  const d = mkdtempSync(join(tmpdir(), 'lantern-index-'));
  const path = join(d, 'x.pcapng');
  writeFileSync(path, Buffer.concat([head, bytesOf(packet), bytesOf(iface), bytesOf(packet)]));
  // Frames name interface 0 only: the preamble (SHB + IDB) restores it.
  assert.deepEqual(seekPlan(path, 'pcapng', head.length, 0), { seekable: true });
  // A frame of interface 1, described after the first packet: the walk lists SHB, IDB, IDB.
  const shbLength = bytesOf(shb(le)).length;
  const idbLength = bytesOf(iface).length;
  const packetLength = bytesOf(packet).length;
  assert.deepEqual(seekPlan(path, 'pcapng', head.length, 1), { seekable: true, structure: [0, shbLength, shbLength, idbLength, head.length + packetLength, idbLength] });
  assert.deepEqual(seekPlan(path, 'pcap', 24, 0), { seekable: true });
  // A damaged block length stops the walk: not seekable.
  const bad = join(d, 'bad.pcapng');
  writeFileSync(bad, Buffer.concat([head, bytesOf(packet), Buffer.from('garbage!'), bytesOf(iface), bytesOf(packet)]));
  assert.deepEqual(seekPlan(bad, 'pcapng', head.length, 1), { seekable: false });
});

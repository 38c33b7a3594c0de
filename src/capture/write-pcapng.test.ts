// Tests for the pcapng writer: exact block layout, timestamp arithmetic, and read-back by tshark and our reader.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hex } from '../common/hex.js';
import { AnomalyCounter } from '../common/anomaly.js';
import type { Frame } from './frame.js';
import { readCaptureFile } from './open-capture.js';
import { PcapngWriter } from './write-pcapng.js';

interface Packet {
  ifId: number;
  tsSec: number;
  tsNsec: number;
  data: Uint8Array;
  origLen: number;
}

function withTempDir(fn: (dir: string) => void | Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lantern-pcapng-'));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

function ethernetFrame(seq: number, length: number): Uint8Array {
  const f = new Uint8Array(length);
  f.set(hex`ff ff ff ff ff ff  02 00 00 00 00 01  88 b5`);
  for (let i = 14; i < length; i++) f[i] = (seq * 7 + i) & 0xff;
  return f;
}

function samplePackets(): { packets: Packet[]; linkTypes: number[] } {
  const packets: Packet[] = [];
  for (let i = 0; i < 50; i++) {
    const ns = i % 2 === 0;
    packets.push({
      ifId: ns ? 0 : 1,
      tsSec: 1_700_000_000 + i,
      tsNsec: ns ? (i * 123_456_789) % 1e9 : ((i * 123_456) % 1e6) * 1000,
      data: ethernetFrame(i, 14 + ((i * 37) % 200)),
      origLen: 14 + ((i * 37) % 200) + (i % 5 === 0 ? 100 : 0),
    });
  }
  return { packets, linkTypes: [1, 1] };
}

function writeSample(path: string, bufferBytes?: number): Packet[] {
  const { packets } = samplePackets();
  const w = new PcapngWriter(path, { application: 'lantern test', bufferBytes });
  assert.equal(w.addInterface(1, 65535, true), 0);
  assert.equal(w.addInterface(1, 65535, false), 1);
  assert.equal(w.addInterface(1, 65535, true), 0, 'same key gives the same interface');
  for (const p of packets) w.writePacket(p.ifId, p.tsSec, p.tsNsec, p.data, 0, p.data.length, p.origLen);
  w.close();
  return packets;
}

test('writes SHB, IDB and EPB byte for byte', withTempDir((dir) => {
  const path = join(dir, 'one.pcapng');
  const w = new PcapngWriter(path, { application: 'lt' });
  const ifId = w.addInterface(1, 262144, true);
  const payload = hex`00 00  aa bb cc  ee`;
  w.writePacket(ifId, 1_700_000_000, 123_456_789, payload, 2, 3, 60);
  w.close();
  const expected = hex`
    0a 0d 0d 0a  28 00 00 00          # SHB, total length 40
    4d 3c 2b 1a  01 00  00 00         # byte-order magic, version 1.0
    ff ff ff ff  ff ff ff ff          # section length unknown
    04 00  02 00  6c 74 00 00         # shb_userappl "lt", padded
    00 00  00 00                      # opt_endofopt
    28 00 00 00                       # total length
    01 00 00 00  20 00 00 00          # IDB, total length 32
    01 00  00 00                      # link type 1, reserved
    00 00 04 00                       # snap length 262144
    09 00  01 00  09 00 00 00         # if_tsresol = 9 (nanoseconds), padded
    00 00  00 00                      # opt_endofopt
    20 00 00 00                       # total length
    06 00 00 00  24 00 00 00          # EPB, total length 36
    00 00 00 00                       # interface 0
    fe 9c 97 17  15 cd 85 3d          # timestamp 1700000000123456789 ns: high, low
    03 00 00 00  3c 00 00 00          # captured 3, original 60
    aa bb cc 00                       # data, padded to 4
    24 00 00 00                       # total length
  `;
  assert.deepEqual(new Uint8Array(readFileSync(path)), expected);
  assert.equal(w.bytesWritten, expected.length);
  assert.equal(w.packetsWritten, 1);
}));

test('microsecond interface truncates nanoseconds; far-future ns timestamps stay exact', withTempDir((dir) => {
  const path = join(dir, 'ts.pcapng');
  const w = new PcapngWriter(path);
  const us = w.addInterface(101, 0, false);
  const ns = w.addInterface(101, 0, true);
  const empty = new Uint8Array(0);
  w.writePacket(us, 1_700_000_000, 123_456_999, empty, 0, 0, 0);
  w.writePacket(ns, 4_102_444_800, 999_999_999, empty, 0, 0, 0);
  w.close();
  const file = new Uint8Array(readFileSync(path));
  const epbs = file.subarray(28 + 32 + 32);
  assert.deepEqual(epbs, hex`
    06 00 00 00  20 00 00 00  00 00 00 00   # EPB, 32 bytes, interface 0
    24 0a 06 00  40 22 20 18                # 1700000000123456 us
    00 00 00 00  00 00 00 00                # no data
    20 00 00 00
    06 00 00 00  20 00 00 00  01 00 00 00   # EPB, 32 bytes, interface 1
    cf cf ee 38  ff c9 40 92                # 4102444800999999999 ns
    00 00 00 00  00 00 00 00
    20 00 00 00
  `);
}));

test('a packet larger than the write buffer is written around it', withTempDir((dir) => {
  const small = join(dir, 'small-buffer.pcapng');
  const big = join(dir, 'big-buffer.pcapng');
  for (const [path, bufferBytes] of [[small, 4096], [big, 1 << 20]] as const) {
    const w = new PcapngWriter(path, { bufferBytes });
    const id = w.addInterface(1, 0, true);
    w.writePacket(id, 1, 2, ethernetFrame(1, 100), 0, 100, 100);
    w.writePacket(id, 1, 3, ethernetFrame(2, 9001), 0, 9001, 9001);
    w.writePacket(id, 1, 4, ethernetFrame(3, 61), 0, 61, 61);
    w.close();
    assert.equal(w.bytesWritten, readFileSync(path).length);
  }
  assert.deepEqual(readFileSync(small), readFileSync(big));
}));

test('write after close throws; unknown interface throws', withTempDir((dir) => {
  const w = new PcapngWriter(join(dir, 'x.pcapng'));
  assert.throws(() => w.writePacket(0, 0, 0, new Uint8Array(1), 0, 1, 1), RangeError);
  w.close();
  w.close();
  assert.throws(() => w.addInterface(1, 0, true));
}));

function tsharkAvailable(): boolean {
  return spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
}

test('tshark reads back the same frames and timestamps', { skip: !tsharkAvailable() && 'tshark is not installed' },
  withTempDir((dir) => {
    const path = join(dir, 'sample.pcapng');
    const packets = writeSample(path, 4096);
    const r = spawnSync('tshark', ['-r', path, '-T', 'json', '-x', '-j', 'frame'], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    assert.equal(r.status, 0, r.stderr);
    const records = JSON.parse(r.stdout) as { _source: { layers: Record<string, unknown> } }[];
    assert.equal(records.length, packets.length);
    records.forEach((rec, i) => {
      const frame = rec._source.layers.frame as Record<string, string>;
      const raw = (rec._source.layers.frame_raw as string[])[0];
      const [sec, frac] = frame['frame.time_epoch'].split('.');
      const p = packets[i];
      assert.equal(Number(frame['frame.interface_id']), p.ifId, `frame ${i} interface`);
      assert.equal(Number(sec), p.tsSec, `frame ${i} seconds`);
      assert.equal(Number(frac.padEnd(9, '0')), p.tsNsec, `frame ${i} nanoseconds`);
      assert.equal(Number(frame['frame.cap_len']), p.data.length);
      assert.equal(Number(frame['frame.len']), p.origLen);
      assert.equal(raw, Buffer.from(p.data).toString('hex'), `frame ${i} bytes`);
    });
  }));

test('our reader reads back the same frames and timestamps', withTempDir(async (dir) => {
  const path = join(dir, 'sample.pcapng');
  const packets = writeSample(path);
  const seen: Packet[] = [];
  const linkTypes: number[] = [];
  const anomalies = new AnomalyCounter();
  const result = await readCaptureFile(path, {
    onFrame(f: Frame) {
      seen.push({
        ifId: f.interfaceId,
        tsSec: f.tsSec,
        tsNsec: f.tsNsec,
        data: new Uint8Array(f.buf.subarray(f.offset, f.offset + f.caplen)),
        origLen: f.origLen,
      });
      linkTypes.push(f.linkType);
    },
  }, anomalies);
  assert.equal(anomalies.total, 0, JSON.stringify(anomalies));
  assert.deepEqual(seen, packets);
  assert.ok(linkTypes.every((t) => t === 1));
  assert.equal(result.format, 'pcapng');
  assert.equal(result.truncated, false);
  assert.deepEqual(result.linkTypes, [1]);
}));

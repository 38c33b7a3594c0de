// Classic pcap reader tests: every magic and byte order, odd records, truncation and resynchronisation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnomalyCounter } from '../common/anomaly.js';
import { hex } from '../common/hex.js';
import {
  Collector,
  bytesOf,
  payload,
  pcapFileHeader,
  pcapRecord,
  plain,
  PCAP_MAGIC_MODIFIED,
  PCAP_MAGIC_NS,
  PCAP_MAGIC_US,
} from './fixtures.js';
import { PcapReader } from './read-pcap.js';

function run(bytes: Uint8Array, pieceSize = bytes.length): { c: Collector; a: AnomalyCounter; r: PcapReader } {
  const c = new Collector();
  const a = new AnomalyCounter();
  const r = new PcapReader(c, a);
  for (let i = 0; i < bytes.length; i += Math.max(1, pieceSize)) r.push(bytes.subarray(i, i + Math.max(1, pieceSize)));
  r.end();
  return { c, a, r };
}

test('hand-written little-endian µs pcap: header and one record field by field', () => {
  const bytes = hex`
    d4 c3 b2 a1   # magic a1b2c3d4, little-endian
    02 00 04 00   # version 2.4
    00 00 00 00   # thiszone
    00 00 00 00   # sigfigs
    ff ff 00 00   # snaplen 65535
    01 00 00 00   # link type 1 (Ethernet)
    00 f1 53 65   # ts_sec 1700000000
    40 e2 01 00   # ts_usec 123456
    04 00 00 00   # caplen 4
    3c 00 00 00   # origlen 60
    de ad be ef   # packet data
  `;
  const { c, a, r } = run(bytes);
  assert.equal(a.total, 0);
  assert.equal(r.truncated, false);
  assert.deepEqual(c.frames, [
    { data: 'deadbeef', caplen: 4, origLen: 60, tsSec: 1700000000, tsNsec: 123456000, linkType: 1, interfaceId: 0, streamOffset: 24 },
  ]);
  assert.deepEqual(r.interfaces, [{ id: 0, section: 0, linkType: 1, snapLen: 65535, tsResolution: '10^-6', frames: 1 }]);
});

for (const le of [true, false]) {
  for (const [magic, name] of [
    [PCAP_MAGIC_US, 'µs'],
    [PCAP_MAGIC_NS, 'ns'],
    [PCAP_MAGIC_MODIFIED, 'modified'],
  ] as const) {
    test(`pcap ${name} ${le ? 'little' : 'big'}-endian: two records`, () => {
      const modified = magic === PCAP_MAGIC_MODIFIED;
      const frac1 = magic === PCAP_MAGIC_NS ? 999_999_999 : 999_999;
      const bytes = bytesOf(
        pcapFileHeader({ le, magic, linkType: 113, snapLen: 262144 }),
        pcapRecord({ le, modified, sec: 1_600_000_000, frac: frac1, data: payload(14, 1) }),
        pcapRecord({ le, modified, sec: 1_600_000_001, frac: 5, data: payload(3, 9), origLen: 1500 }),
      );
      const { c, a, r } = run(bytes);
      assert.equal(a.total, 0);
      const hl = modified ? 24 : 16;
      assert.equal(r.littleEndian, le);
      assert.deepEqual(c.frames, [
        {
          data: plain(payload(14, 1)),
          caplen: 14,
          origLen: 14,
          tsSec: 1_600_000_000,
          tsNsec: magic === PCAP_MAGIC_NS ? 999_999_999 : 999_999_000,
          linkType: 113,
          interfaceId: 0,
          streamOffset: 24,
        },
        {
          data: plain(payload(3, 9)),
          caplen: 3,
          origLen: 1500,
          tsSec: 1_600_000_001,
          tsNsec: magic === PCAP_MAGIC_NS ? 5 : 5000,
          linkType: 113,
          interfaceId: 0,
          streamOffset: 24 + hl + 14,
        },
      ]);
      assert.equal(r.interfaces[0].tsResolution, magic === PCAP_MAGIC_NS ? '10^-9' : '10^-6');
      // The same bytes one at a time give the same frames.
      assert.deepEqual(run(bytes, 1).c.frames, c.frames);
    });
  }
}

test('FCS bits in the link-type field are masked off and kept as the FCS length', () => {
  const bytes = bytesOf(
    pcapFileHeader({ linkType: 0x24000001 }), // FCS len 2 words (bits 28-31), F bit 26, link type 1
    pcapRecord({ sec: 1, frac: 0, data: payload(64) }),
  );
  const { c, a, r } = run(bytes);
  assert.equal(a.total, 0);
  assert.equal(c.frames[0].linkType, 1);
  assert.equal(r.interfaces[0].fcsLength, 4);
  assert.deepEqual(r.linkTypes, [1]);
});

test('odd records are delivered with weird anomalies: caplen > snaplen, caplen > origlen, µs >= 1e6', () => {
  const bytes = bytesOf(
    pcapFileHeader({ snapLen: 8, major: 3 }),
    pcapRecord({ sec: 10, frac: 0, data: payload(20) }),
    pcapRecord({ sec: 10, frac: 0, data: payload(4), origLen: 2 }),
    pcapRecord({ sec: 10, frac: 2_500_000, data: payload(4) }),
  );
  const { c, a } = run(bytes);
  assert.equal(c.frames.length, 3);
  assert.equal(a.get('pcap.caplen_exceeds_snaplen'), 1);
  assert.equal(a.get('pcap.caplen_exceeds_origlen'), 1);
  assert.equal(a.get('pcap.unsupported_version'), 1);
  assert.equal(a.get('pcap.bad_timestamp_fraction'), 1);
  assert.equal(c.frames[2].tsSec, 12);
  assert.equal(c.frames[2].tsNsec, 500_000_000);
});

test('truncated pcap: mid file header, mid record header, mid record data', () => {
  const whole = bytesOf(
    pcapFileHeader(),
    pcapRecord({ sec: 1, frac: 0, data: payload(10) }),
    pcapRecord({ sec: 2, frac: 0, data: payload(10) }),
  );
  for (const [cut, frames] of [
    [10, 0], // inside the file header
    [24, 0], // exactly after it: an empty capture, not truncated
    [24 + 26 + 7, 1], // inside the second record header
    [24 + 26 + 16 + 3, 1], // inside the second record's data
    [whole.length, 2],
  ] as const) {
    const { c, a, r } = run(whole.subarray(0, cut));
    assert.equal(c.frames.length, frames, `cut at ${cut}`);
    const truncated = cut !== 24 && cut !== whole.length;
    assert.equal(r.truncated, truncated, `cut at ${cut}`);
    assert.equal(a.get('capture.truncated'), truncated ? 1 : 0);
  }
});

test('a record header with an impossible caplen: resync to the next pair of plausible headers', () => {
  const bytes = bytesOf(
    pcapFileHeader(),
    pcapRecord({ sec: 100, frac: 1, data: payload(6, 1) }),
    `
    64 00 00 00   # ts_sec 100
    00 00 00 00   # ts_usec
    ff ff ff 7f   # caplen 2^31-1: above the cap
    ff ff ff 7f   # origlen
    01 02 03 04 05   # garbage
    `,
    pcapRecord({ sec: 101, frac: 2, data: payload(6, 2) }),
    pcapRecord({ sec: 102, frac: 3, data: payload(6, 3) }),
  );
  for (const piece of [bytes.length, 1, 7]) {
    const { c, a, r } = run(bytes, piece);
    assert.deepEqual(
      c.frames.map((f) => f.tsSec),
      [100, 101, 102],
    );
    assert.equal(a.get('pcap.bad_record_length'), 1);
    assert.equal(a.get('pcap.resync'), 1);
    assert.equal(r.skippedBytes, 16 + 5);
    assert.equal(r.truncated, false);
  }
});

test('resync succeeds on the last record of the input, and fails cleanly on pure garbage', () => {
  const last = bytesOf(
    pcapFileHeader(),
    `
    00 00 00 00 ff ff ff ff ff ff ff ff 00 00 00 00   # bad header
    `,
    pcapRecord({ sec: 7, frac: 0, data: payload(5) }),
  );
  const ok = run(last);
  assert.equal(ok.c.frames.length, 1);
  assert.equal(ok.a.get('pcap.resync'), 1);

  const garbage = bytesOf(pcapFileHeader(), `00 00 00 00 ff ff ff ff ff ff ff ff 00 00 00 00  ${payload(100)}`);
  const bad = run(garbage, 3);
  assert.equal(bad.c.frames.length, 0);
  assert.equal(bad.a.get('pcap.resync_failed'), 1);
  assert.equal(bad.r.skippedBytes, 116);
  assert.equal(bad.r.truncated, false);
});

test('a non-pcap magic is refused without reading', () => {
  const { c, a, r } = run(hex`00 01 02 03  ${payload(40)}`);
  assert.equal(c.frames.length, 0);
  assert.equal(a.get('pcap.bad_magic'), 1);
  assert.equal(r.skippedBytes, 44);
});

test('a caplen within the cap that runs past the end of input: truncated, unless records follow inside it', () => {
  const records = [1, 2, 3].map((i) => pcapRecord({ sec: 50 + i, frac: i, data: payload(30, i) }));
  const corrupt = bytesOf(
    pcapFileHeader(),
    records[0],
    pcapRecord({ sec: 51, frac: 0, data: payload(30), caplen: 200_000 }), // caplen garbage, but under the cap
    records[1],
    records[2],
  );
  for (const piece of [corrupt.length, 1]) {
    const { c, a, r } = run(corrupt, piece);
    assert.deepEqual(
      c.frames.map((f) => f.tsSec),
      [51, 52, 53],
    );
    assert.equal(a.get('pcap.bad_record_length'), 1);
    assert.equal(r.truncated, false);
  }
  // The same record really cut short at the end of the file is truncation.
  const cut = bytesOf(pcapFileHeader(), records[0], records[1]).subarray(0, 24 + 46 + 30);
  const t = run(cut);
  assert.equal(t.c.frames.length, 1);
  assert.equal(t.r.truncated, true);
  assert.equal(t.a.get('pcap.bad_record_length'), 0);
});

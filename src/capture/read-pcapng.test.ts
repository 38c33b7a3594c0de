// pcapng reader tests: blocks, interfaces and timestamp resolutions, sections, truncation and resynchronisation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnomalyCounter } from '../common/anomaly.js';
import { hex } from '../common/hex.js';
import {
  Collector,
  block,
  bytesOf,
  endOfOptions,
  epb,
  idb,
  isb,
  nrb,
  option,
  payload,
  pb,
  plain,
  shb,
  spb,
  u32,
  u64,
} from './fixtures.js';
import { PcapngReader } from './read-pcapng.js';

function run(bytes: Uint8Array, pieceSize = bytes.length): { c: Collector; a: AnomalyCounter; r: PcapngReader } {
  const c = new Collector();
  const a = new AnomalyCounter();
  const r = new PcapngReader(c, a);
  const step = Math.max(1, pieceSize);
  for (let i = 0; i < bytes.length; i += step) r.push(bytes.subarray(i, i + step));
  r.end();
  return { c, a, r };
}

/** Frames from whole input, from 1-byte pieces and from 5-byte pieces must agree. */
function runAllWays(bytes: Uint8Array): { c: Collector; a: AnomalyCounter; r: PcapngReader } {
  const whole = run(bytes);
  for (const piece of [1, 5]) {
    const other = run(bytes, piece);
    assert.deepEqual(other.c.frames, whole.c.frames, `pieces of ${piece}`);
    assert.deepEqual(other.a.toJSON(), whole.a.toJSON(), `pieces of ${piece}`);
  }
  return whole;
}

test('hand-written little-endian pcapng: SHB, IDB, EPB field by field', () => {
  const bytes = hex`
    0a 0d 0d 0a   # SHB: block type
    1c 00 00 00   # block total length 28
    4d 3c 2b 1a   # byte-order magic, little-endian
    01 00 00 00   # version 1.0
    ff ff ff ff ff ff ff ff   # section length unknown
    1c 00 00 00   # block total length
    01 00 00 00   # IDB: block type
    14 00 00 00   # block total length 20
    01 00 00 00   # link type 1 (Ethernet), reserved
    00 00 04 00   # snaplen 262144
    14 00 00 00   # block total length
    06 00 00 00   # EPB: block type
    24 00 00 00   # block total length 36
    00 00 00 00   # interface id 0
    24 0a 06 00   # timestamp high  } 1700000000123456 µs
    40 22 20 18   # timestamp low   } = 0x00060a24_18202240
    03 00 00 00   # captured length 3
    40 00 00 00   # original length 64
    aa bb cc 00   # packet data + 1 byte padding
    24 00 00 00   # block total length
  `;
  const { c, a, r } = runAllWays(bytes);
  assert.equal(a.total, 0);
  assert.deepEqual(c.frames, [
    {
      data: 'aabbcc',
      caplen: 3,
      origLen: 64,
      tsSec: 1_700_000_000,
      tsNsec: 123_456_000,
      linkType: 1,
      interfaceId: 0,
      streamOffset: 48,
    },
  ]);
  assert.equal(r.sections, 1);
});

test('two interfaces with different link types and resolutions: 10^-6, 10^-9, 2^-10', () => {
  const le = true;
  const bytes = bytesOf(
    shb(le),
    idb(le, 1, 65535, option(9, '06', le, 'if_tsresol 10^-6') + option(2, '65 74 68 30', le, 'if_name "eth0"') + endOfOptions(le)),
    idb(le, 101, 0, option(9, '09', le, 'if_tsresol 10^-9') + endOfOptions(le)),
    idb(le, 228, 1500, option(9, '8a', le, 'if_tsresol 2^-10') + option(13, '04', le, 'if_fcslen 4') + endOfOptions(le)),
    epb(le, { ifId: 0, units: 1_700_000_000_123_456n, data: payload(20, 1) }),
    // 1_700_000_000.123456789 s in ns is above 2^53: it must still come out exact.
    epb(le, { ifId: 1, units: 1_700_000_000_123_456_789n, data: payload(21, 2) }),
    epb(le, { ifId: 2, units: 1_700_000_000n * 1024n + 1023n, data: payload(22, 3) }),
    epb(le, { ifId: 1, units: 18_446_744_073_709_551_615n, data: payload(1) }), // 2^64-1 ns
  );
  const { c, a, r } = runAllWays(bytes);
  assert.equal(a.total, 0);
  assert.deepEqual(
    c.frames.map((f) => [f.interfaceId, f.linkType, f.tsSec, f.tsNsec, f.caplen]),
    [
      [0, 1, 1_700_000_000, 123_456_000, 20],
      [1, 101, 1_700_000_000, 123_456_789, 21],
      [2, 228, 1_700_000_000, 999_023_437, 22], // 1023/1024 s = 999023437.5 ns
      [1, 101, 18_446_744_073, 709_551_615, 1],
    ],
  );
  assert.deepEqual(r.linkTypes, [1, 101, 228]);
  assert.deepEqual(r.interfaces, [
    { id: 0, section: 0, linkType: 1, snapLen: 65535, tsResolution: '10^-6', frames: 1, name: 'eth0' },
    { id: 1, section: 0, linkType: 101, snapLen: 0, tsResolution: '10^-9', frames: 2 },
    { id: 2, section: 0, linkType: 228, snapLen: 1500, tsResolution: '2^-10', frames: 1, fcsLength: 4 },
  ]);
});

test('finer resolutions (10^-12, 2^-32), if_tsoffset, and an unsupported resolution', () => {
  const le = false;
  const bytes = bytesOf(
    shb(le),
    idb(le, 1, 0, option(9, '0c', le, 'if_tsresol 10^-12') + endOfOptions(le)),
    idb(le, 1, 0, option(9, 'a0', le, 'if_tsresol 2^-32') + option(14, u64(3600n, le), le, 'if_tsoffset 3600 s') + endOfOptions(le)),
    idb(le, 1, 0, option(9, '14', le, 'if_tsresol 10^-20') + endOfOptions(le)),
    idb(le, 1, 0, option(14, u64(-10n & 0xffffffffffffffffn, le), le, 'if_tsoffset -10 s') + endOfOptions(le)),
    epb(le, { ifId: 0, units: 1_000_000_123_456_789_012n, data: payload(1) }),
    epb(le, { ifId: 1, units: (1_000n << 32n) | 0x80000000n, data: payload(1) }),
    epb(le, { ifId: 2, units: 12345n, data: payload(1) }),
    epb(le, { ifId: 3, units: 100_000_001n, data: payload(1) }),
  );
  const { c, a } = runAllWays(bytes);
  assert.equal(a.get('pcapng.unsupported_tsresol'), 1);
  assert.deepEqual(
    c.frames.map((f) => [f.tsSec, f.tsNsec]),
    [
      [1_000_000, 123_456_789],
      [4600, 500_000_000],
      [0, 0],
      [90, 1000],
    ],
  );
});

test('simple packet block uses interface 0 snaplen; obsolete packet block is read', () => {
  const le = true;
  const bytes = bytesOf(
    shb(le),
    idb(le, 1, 8),
    spb(le, 60, payload(8, 4)), // 60 on the wire, 8 kept: snaplen 8
    spb(le, 3, payload(3, 5)),
    pb(le, { ifId: 0, drops: 2, units: 5_000_001n, data: payload(7, 6) }),
  );
  const { c, a } = runAllWays(bytes);
  assert.equal(a.total, 0);
  assert.deepEqual(
    c.frames.map((f) => [f.caplen, f.origLen, f.tsSec, f.tsNsec, f.data]),
    [
      [8, 60, 0, 0, plain(payload(8, 4))],
      [3, 3, 0, 0, plain(payload(3, 5))],
      [7, 7, 5, 1000, plain(payload(7, 6))],
    ],
  );
});

test('NRB, ISB, DSB and custom blocks are skipped; ISB counters are kept; an unknown type is an anomaly', () => {
  const le = true;
  const bytes = bytesOf(
    shb(le),
    idb(le, 1, 0),
    nrb(le),
    epb(le, { ifId: 0, units: 1n, data: payload(4) }),
    block(0x0a, `${u32(0x544c534b, le)} ${u32(4, le)}  01 02 03 04  # secrets type TLS key log, length, data`, le, 'DSB'),
    block(0xbad, `${u32(32473, le)}  # PEN\n 11 22 33 44  # custom data`, le, 'custom'),
    block(0x1234, payload(8), le, 'unknown'),
    isb(
      le,
      0,
      99n,
      option(4, u64(1000n, le), le, 'isb_ifrecv') +
        option(5, u64(7n, le), le, 'isb_ifdrop') +
        option(7, u64(3n, le), le, 'isb_osdrop') +
        endOfOptions(le),
    ),
    epb(le, { ifId: 0, units: 2n, data: payload(4) }),
  );
  const { c, a, r } = runAllWays(bytes);
  assert.equal(c.frames.length, 2);
  assert.deepEqual(a.toJSON(), { 'pcapng.unknown_block': 1 });
  assert.equal(r.skippedBlocks, 4);
  assert.deepEqual(r.interfaceStats, [{ id: 0, ifRecv: 1000, ifDrop: 7, osDrop: 3 }]);
});

test('two sections with different byte orders: interfaces and byte order reset', () => {
  const bytes = bytesOf(
    shb(true),
    idb(true, 1, 0),
    epb(true, { ifId: 0, units: 1_000_000n, data: payload(4, 1) }),
    shb(false),
    idb(false, 101, 0),
    epb(false, { ifId: 0, units: 2_000_000n, data: payload(4, 2) }),
    epb(false, { ifId: 1, units: 3_000_000n, data: payload(4, 3) }), // interface 1 belonged to nothing here
  );
  const { c, a, r } = runAllWays(bytes);
  assert.deepEqual(
    c.frames.map((f) => [f.interfaceId, f.linkType, f.tsSec]),
    [
      [0, 1, 1],
      [1, 101, 2],
    ],
  );
  assert.deepEqual(a.toJSON(), { 'pcapng.unknown_interface': 1 });
  assert.equal(r.sections, 2);
  assert.deepEqual(
    r.interfaces.map((i) => [i.id, i.section, i.linkType]),
    [
      [0, 0, 1],
      [1, 1, 101],
    ],
  );
});

test('packets before any interface, bad caplen, bad options', () => {
  const le = true;
  const bytes = bytesOf(
    shb(le),
    epb(le, { ifId: 0, units: 1n, data: payload(4) }),
    spb(le, 4, payload(4)),
    idb(le, 1, 4, `${'09 00 05 00'}  # if_tsresol with length 5: wrong`),
    epb(le, { ifId: 0, units: 1n, data: payload(4), caplen: 200 }),
    epb(le, { ifId: 0, units: 1n, data: payload(8) }),
  );
  const { c, a } = runAllWays(bytes);
  assert.equal(c.frames.length, 1);
  assert.deepEqual(a.toJSON(), {
    'pcapng.bad_option': 1,
    'pcapng.bad_packet_length': 1,
    'pcapng.caplen_exceeds_snaplen': 1,
    'pcapng.packet_before_interface': 2,
  });
});

test('truncated pcapng: mid block header and mid block', () => {
  const le = true;
  const head = bytesOf(shb(le), idb(le, 1, 0), epb(le, { ifId: 0, units: 1n, data: payload(10) }));
  const whole = bytesOf(shb(le), idb(le, 1, 0), epb(le, { ifId: 0, units: 1n, data: payload(10) }), epb(le, { ifId: 0, units: 2n, data: payload(10) }));
  for (const [cut, frames, truncated] of [
    [5, 0, true],
    [head.length, 1, false],
    [head.length + 6, 1, true],
    [head.length + 30, 1, true],
    [whole.length - 1, 1, true],
    [whole.length, 2, false],
  ] as const) {
    const { c, a, r } = run(whole.subarray(0, cut));
    assert.equal(c.frames.length, frames, `cut at ${cut}`);
    assert.equal(r.truncated, truncated, `cut at ${cut}`);
    assert.equal(a.get('capture.truncated'), truncated ? 1 : 0);
  }
});

test('a bad block length: resync on the next block whose trailing length matches', () => {
  const le = true;
  const bytes = bytesOf(
    shb(le),
    idb(le, 1, 0),
    epb(le, { ifId: 0, units: 1_000_000n, data: payload(4, 1) }),
    `
    06 00 00 00   # EPB: block type
    07 00 00 00   # block total length 7: not a multiple of 4
    01 02 03 04 05 06 07   # junk
    `,
    epb(le, { ifId: 0, units: 2_000_000n, data: payload(4, 2) }),
    `
    06 00 00 00   # EPB: block type
    00 00 00 40   # block total length 1 GiB: above the cap
    `,
    epb(le, { ifId: 0, units: 3_000_000n, data: payload(4, 3) }),
  );
  const { c, a, r } = runAllWays(bytes);
  assert.deepEqual(
    c.frames.map((f) => f.tsSec),
    [1, 2, 3],
  );
  assert.deepEqual(a.toJSON(), { 'pcapng.bad_block_length': 2, 'pcapng.resync': 2 });
  assert.equal(r.skippedBytes, 15 + 8);
});

test('a trailing length that disagrees: drop the block, move on by the leading length when a block follows', () => {
  const le = true;
  const bytes = bytesOf(
    shb(le),
    idb(le, 1, 0),
    epb(le, { ifId: 0, units: 1_000_000n, data: payload(4, 1) }, { trailer: 0x99 }), // trailer corrupt
    epb(le, { ifId: 0, units: 2_000_000n, data: payload(4, 2) }),
    epb(le, { ifId: 0, units: 3_000_000n, data: payload(4, 3) }, { length: 40 }), // leading length 4 too long
    epb(le, { ifId: 0, units: 4_000_000n, data: payload(4, 4) }),
    epb(le, { ifId: 0, units: 5_000_000n, data: payload(4, 5) }, { trailer: 0x98 }), // last block, trailer corrupt
  );
  const { c, a, r } = runAllWays(bytes);
  assert.deepEqual(
    c.frames.map((f) => f.tsSec),
    [2, 4],
  );
  assert.deepEqual(a.toJSON(), { 'pcapng.block_length_mismatch': 3, 'pcapng.resync': 1 });
  assert.equal(r.skippedBytes, 36 + 36 + 36);
  assert.equal(r.truncated, false);
});

test('input that does not start with a section header is scanned for one', () => {
  const le = false;
  const bytes = bytesOf(
    `${payload(9)}   # junk`,
    shb(le),
    idb(le, 1, 0),
    epb(le, { ifId: 0, units: 1_000_000n, data: payload(4) }),
    `0a 0d 0d 0a 00 00 00 1c 11 22 33 44   # SHB with a bad byte-order magic`,
    shb(le),
    idb(le, 1, 0),
    epb(le, { ifId: 0, units: 1_000_000n, data: payload(4) }),
  );
  const { c, a, r } = runAllWays(bytes);
  assert.equal(c.frames.length, 2);
  assert.deepEqual(a.toJSON(), { 'pcapng.bad_byte_order_magic': 1, 'pcapng.missing_section_header': 1, 'pcapng.resync': 2 });
  assert.equal(r.skippedBytes, 9 + 12);
});

test('a block length within the cap that runs past the end of input: resync when blocks follow inside it', () => {
  const le = true;
  const bytes = bytesOf(
    shb(le),
    idb(le, 1, 0),
    epb(le, { ifId: 0, units: 1_000_000n, data: payload(4, 1) }, { length: 0x100000 }), // 1 MiB: more than there is
    epb(le, { ifId: 0, units: 2_000_000n, data: payload(4, 2) }),
  );
  const { c, a, r } = runAllWays(bytes);
  assert.deepEqual(
    c.frames.map((f) => f.tsSec),
    [2],
  );
  assert.deepEqual(a.toJSON(), { 'pcapng.bad_block_length': 1, 'pcapng.resync': 1 });
  assert.equal(r.truncated, false);
  assert.equal(r.skippedBytes, 36);
});

test('timestamps split exactly for random 64-bit counts at every kind of resolution (checked with BigInt)', () => {
  let seed = 7;
  const next32 = (): bigint => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return BigInt(seed);
  };
  const resolutions = [0, 3, 5, 6, 9, 12, 19, 0x80, 0x8a, 0x90, 0x9e, 0xa0, 0xbf];
  const le = true;
  const parts = [shb(le)];
  for (const raw of resolutions) parts.push(idb(le, 1, 0, option(9, raw.toString(16).padStart(2, '0'), le, 'if_tsresol') + endOfOptions(le)));
  const expected: [number, number][] = [];
  for (let i = 0; i < 3000; i++) {
    const ifId = i % resolutions.length;
    const raw = resolutions[ifId];
    // Mostly plausible modern times, sometimes any 64-bit value.
    const units = i % 3 === 0 ? (next32() << 32n) | next32() : (((next32() & 0x3fffffn) << 32n) | next32()) * (raw === 9 ? 1000n : 1n);
    const count = units & 0xffffffffffffffffn;
    const k = BigInt(raw & 0x7f);
    let sec: bigint;
    let nsec: bigint;
    if ((raw & 0x80) === 0) {
      const per = 10n ** k;
      sec = count / per;
      nsec = k <= 9n ? (count % per) * 10n ** (9n - k) : (count % per) / 10n ** (k - 9n);
    } else {
      const per = 1n << k;
      sec = count / per;
      // Sub-2^-30 s digits are dropped first (below a nanosecond), then the fraction is scaled down to ns.
      const frac = k > 30n ? (count % per) >> (k - 30n) : count % per;
      nsec = (frac * 1_000_000_000n) / (1n << (k > 30n ? 30n : k));
    }
    if (sec > BigInt(Number.MAX_SAFE_INTEGER)) continue; // beyond 2^53 s is not a time
    expected.push([Number(sec), Number(nsec)]);
    parts.push(epb(le, { ifId, units: count, data: payload(1) }));
  }
  const { c, a } = run(bytesOf(...parts));
  assert.equal(a.total, 0);
  assert.deepEqual(
    c.frames.map((f) => [f.tsSec, f.tsNsec]),
    expected,
  );
});

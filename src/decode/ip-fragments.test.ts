import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex, bytesToHex } from '../common/hex.js';
import { LINKTYPE } from '../common/link-types.js';
import { IPPROTO } from './packet.js';
import { Harness } from './testkit.js';
import { MAX_FRAGMENTS_PER_DATAGRAM } from './ip-fragments.js';

const h16 = (n: number) => n.toString(16).padStart(4, '0');
const h8 = (n: number) => n.toString(16).padStart(2, '0');

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** One IPv4 fragment (raw IP link) carrying `data` at byte `offset` of the datagram. */
function v4Fragment(id: number, offset: number, more: boolean, data: Uint8Array, proto: number = IPPROTO.UDP, src = '0a 00 00 01'): Uint8Array {
  return concat(
    hex`
      45 00 ${h16(20 + data.length)}   # IPv4, IHL 5, total length
      ${h16(id)}                       # identification
      ${h16((more ? 0x2000 : 0) | (offset >> 3))}   # flags (MF) and offset in 8-byte units
      40 ${h8(proto)} 00 00            # TTL 64, protocol, checksum
      ${src}  0a 00 00 02              # src, dst 10.0.0.2
    `,
    data,
  );
}

/** A UDP datagram 5000 -> 5001 with 32 bytes of data 0x00..0x1f: 40 bytes to fragment. */
const UDP_DATAGRAM = hex`
  13 88 13 89  00 28 00 00                          # UDP 5000 -> 5001, length 40
  00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f   # data
  10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f
`;
const piece = (from: number, to: number) => UDP_DATAGRAM.slice(from, to);
const RAW = LINKTYPE.RAW;

function assertReassembledUdp(h: Harness): void {
  const pkt = h.pkt;
  assert.equal(pkt.fragment, false);
  assert.equal(pkt.reassembled, true);
  assert.equal(pkt.l4, IPPROTO.UDP);
  assert.notEqual(pkt.l4Buf, pkt.buf, 'L4 reads a fresh buffer');
  assert.equal(pkt.srcPort, 5000);
  assert.equal(pkt.dstPort, 5001);
  assert.equal(bytesToHex(pkt.l4Buf.subarray(pkt.payloadOff, pkt.payloadEnd)), bytesToHex(UDP_DATAGRAM.subarray(8)));
}

test('IPv4 fragments in order: no L4 until the last completes the datagram', () => {
  const h = new Harness();
  h.decode(v4Fragment(7, 0, true, piece(0, 16)), { linkType: RAW });
  assert.equal(h.pkt.fragment, true);
  assert.equal(h.pkt.l4, 0);
  assert.equal(h.pkt.ipProto, IPPROTO.UDP);
  h.decode(v4Fragment(7, 16, true, piece(16, 32)), { linkType: RAW });
  assert.equal(h.pkt.fragment, true);
  h.decode(v4Fragment(7, 32, false, piece(32, 40)), { linkType: RAW });
  assertReassembledUdp(h);
  assert.deepEqual(h.raised, {});
  assert.equal(h.decoder.counters.fragments, 3);
  assert.equal(h.decoder.counters.fragmentsReassembled, 1);
});

test('IPv4 fragments in reverse order', () => {
  const h = new Harness();
  h.decode(v4Fragment(7, 32, false, piece(32, 40)), { linkType: RAW });
  h.decode(v4Fragment(7, 16, true, piece(16, 32)), { linkType: RAW });
  assert.equal(h.pkt.fragment, true);
  h.decode(v4Fragment(7, 0, true, piece(0, 16)), { linkType: RAW });
  assertReassembledUdp(h);
  assert.deepEqual(h.raised, {});
});

test('overlap with the same data is frag.overlap; duplicates too', () => {
  const h = new Harness();
  h.decode(v4Fragment(7, 0, true, piece(0, 16)), { linkType: RAW });
  h.decode(v4Fragment(7, 0, true, piece(0, 16)), { linkType: RAW });
  h.decode(v4Fragment(7, 8, true, piece(8, 24)), { linkType: RAW });
  h.decode(v4Fragment(7, 24, false, piece(24, 40)), { linkType: RAW });
  assertReassembledUdp(h);
  assert.deepEqual(h.raised, { 'frag.overlap': 2 });
  assert.equal(h.decoder.counters.fragmentOverlaps, 2);
});

test('overlap with different data is frag.overlap_mismatch, and the first data wins', () => {
  const h = new Harness();
  h.decode(v4Fragment(7, 0, true, piece(0, 16)), { linkType: RAW });
  const rewrite = piece(8, 24);
  rewrite.fill(0xee, 0, 8); // datagram bytes 8..15 rewritten
  h.decode(v4Fragment(7, 8, true, rewrite), { linkType: RAW });
  h.decode(v4Fragment(7, 24, false, piece(24, 40)), { linkType: RAW });
  assertReassembledUdp(h);
  assert.deepEqual(h.raised, { 'frag.overlap_mismatch': 1 });
});

test('a later fragment spanning a hole and held data fills only the hole', () => {
  const h = new Harness();
  h.decode(v4Fragment(7, 8, true, piece(8, 16)), { linkType: RAW });
  h.decode(v4Fragment(7, 32, false, piece(32, 40)), { linkType: RAW });
  h.decode(v4Fragment(7, 0, true, piece(0, 32)), { linkType: RAW });
  assertReassembledUdp(h);
  assert.deepEqual(h.raised, { 'frag.overlap': 1 });
});

test('same id, different protocol or source: separate datagrams', () => {
  const h = new Harness();
  h.decode(v4Fragment(7, 0, true, piece(0, 16)), { linkType: RAW });
  h.decode(v4Fragment(7, 16, false, piece(16, 40), IPPROTO.TCP), { linkType: RAW });
  h.decode(v4Fragment(7, 16, false, piece(16, 40), IPPROTO.UDP, '0a 00 00 09'), { linkType: RAW });
  assert.equal(h.pkt.fragment, true);
  assert.equal(h.decoder.counters.fragmentsReassembled, 0);
  h.decode(v4Fragment(7, 16, false, piece(16, 40)), { linkType: RAW });
  assertReassembledUdp(h);
});

test('reassembled TCP segment', () => {
  const segment = hex`
    c0 01 00 66  00 00 00 01  00 00 00 00  50 18 20 00 00 00 00 00   # TCP 49153 -> 102, PSH+ACK
    03 00 00 0c 02 f0 80 01 02 03 04 05                              # 12 bytes of data
  `;
  const h = new Harness();
  h.decode(v4Fragment(9, 0, true, segment.slice(0, 16), IPPROTO.TCP), { linkType: RAW });
  h.decode(v4Fragment(9, 16, false, segment.slice(16), IPPROTO.TCP), { linkType: RAW });
  assert.equal(h.pkt.l4, IPPROTO.TCP);
  assert.equal(h.pkt.dstPort, 102);
  assert.equal(h.pkt.payloadLength, 12);
  assert.equal(h.pkt.payloadWireLength, 12);
});

test('timeout by capture time: expire() drops old datagrams', () => {
  const h = new Harness({ fragmentTimeoutSec: 30 });
  h.decode(v4Fragment(7, 0, true, piece(0, 16)), { linkType: RAW, tsSec: 1000 });
  h.decoder.expire(1029);
  h.decode(v4Fragment(8, 0, true, piece(0, 16)), { linkType: RAW, tsSec: 1029 });
  h.decoder.expire(1031);
  assert.deepEqual(h.raised, { 'frag.timeout': 1 });
  assert.equal(h.decoder.counters.fragmentTimeouts, 1);
  h.decode(v4Fragment(7, 16, false, piece(16, 40)), { linkType: RAW, tsSec: 1031 });
  assert.equal(h.pkt.fragment, true, 'the first half of id 7 is gone');
  h.decode(v4Fragment(8, 16, false, piece(16, 40)), { linkType: RAW, tsSec: 1031 });
  assertReassembledUdp(h);
});

test('timeout also runs as capture time advances with new fragments', () => {
  const h = new Harness({ fragmentTimeoutSec: 5 });
  h.decode(v4Fragment(7, 0, true, piece(0, 16)), { linkType: RAW, tsSec: 100 });
  h.decode(v4Fragment(8, 0, true, piece(0, 16)), { linkType: RAW, tsSec: 106 });
  assert.deepEqual(h.raised, { 'frag.timeout': 1 });
});

test('cap on concurrent datagrams drops the oldest', () => {
  const h = new Harness({ maxFragmentDatagrams: 4 });
  for (let id = 1; id <= 5; id++) h.decode(v4Fragment(id, 0, true, piece(0, 16)), { linkType: RAW });
  assert.deepEqual(h.raised, { 'frag.too_many_datagrams': 1 });
  h.decode(v4Fragment(1, 16, false, piece(16, 40)), { linkType: RAW });
  assert.equal(h.pkt.fragment, true, 'id 1 was evicted');
  h.decode(v4Fragment(5, 16, false, piece(16, 40)), { linkType: RAW });
  assertReassembledUdp(h);
  assert.equal(h.decoder.counters.fragmentDatagramsDropped, 2, 'the eviction, and then the too-many-datagrams eviction for the new id 1');
});

test('cap on bytes held drops the oldest datagrams', () => {
  const h = new Harness({ maxFragmentBytes: 40 });
  h.decode(v4Fragment(1, 0, true, piece(0, 16)), { linkType: RAW });
  h.decode(v4Fragment(2, 0, true, piece(0, 16)), { linkType: RAW });
  h.decode(v4Fragment(3, 0, true, piece(0, 16)), { linkType: RAW });
  assert.deepEqual(h.raised, { 'frag.too_many_bytes': 1 });
  h.decode(v4Fragment(3, 16, false, piece(16, 40)), { linkType: RAW });
  assertReassembledUdp(h);
  assert.deepEqual(h.raised, { 'frag.too_many_bytes': 2 }, 'id 2 made way for the rest of id 3');
  h.decode(v4Fragment(2, 16, false, piece(16, 40)), { linkType: RAW });
  assert.equal(h.pkt.reassembled, false);
  assert.equal(h.decoder.counters.fragmentDatagramsDropped, 2);
});

test('ping of death: data past 65535 bytes is frag.too_large', () => {
  const h = new Harness();
  h.decode(v4Fragment(1, 0, true, piece(0, 16)), { linkType: RAW });
  h.decode(v4Fragment(1, 65528, false, piece(0, 16)), { linkType: RAW });
  assert.deepEqual(h.raised, { 'frag.too_large': 1 });
  h.decode(v4Fragment(1, 16, false, piece(16, 40)), { linkType: RAW });
  assert.equal(h.pkt.reassembled, false, 'the datagram was dropped');
});

test('cap on fragments per datagram', () => {
  const h = new Harness();
  const eight = piece(0, 8);
  for (let i = 0; i <= MAX_FRAGMENTS_PER_DATAGRAM; i++) h.decode(v4Fragment(1, i * 8, true, eight), { linkType: RAW });
  assert.deepEqual(h.raised, { 'frag.too_many_fragments': 1 });
  assert.equal(h.decoder.counters.fragmentDatagramsDropped, 1);
});

test('non-final fragment lengths must be multiples of 8; ends must agree', () => {
  const h = new Harness();
  h.decode(v4Fragment(1, 0, true, piece(0, 12)), { linkType: RAW });
  assert.deepEqual(h.raised, { 'frag.bad_length': 1 });
  h.decode(v4Fragment(2, 16, false, piece(16, 40)), { linkType: RAW });
  h.decode(v4Fragment(2, 16, false, piece(16, 32)), { linkType: RAW });
  assert.deepEqual(h.raised, { 'frag.bad_length': 1, 'frag.bad_end': 1 });
  h.decode(v4Fragment(3, 16, false, piece(16, 24)), { linkType: RAW });
  h.decode(v4Fragment(3, 24, true, piece(24, 40)), { linkType: RAW });
  assert.deepEqual(h.raised, { 'frag.bad_length': 1, 'frag.bad_end': 2 });
});

test('a fragment cut by the snap length cannot be reassembled', () => {
  const h = new Harness();
  const frame = v4Fragment(1, 0, true, piece(0, 16));
  h.decode(frame.subarray(0, 30), { linkType: RAW, origLen: frame.length });
  assert.deepEqual(h.raised, { 'frag.payload_cut': 1 });
  assert.equal(h.pkt.fragment, true);
});

/** One IPv6 fragment over Ethernet carrying `data` at byte `offset` of the fragmentable part. */
function v6Fragment(id: number, offset: number, more: boolean, next: number, data: Uint8Array): Uint8Array {
  return concat(
    hex`
      33 33 00 00 00 02  00 0c 29 aa bb cc  86 dd   # Ethernet, EtherType IPv6
      60 00 00 00  ${h16(8 + data.length)} 2c 40    # IPv6, payload length, next: fragment, hop limit 64
      fe 80 00 00 00 00 00 00 00 00 00 00 00 00 00 01   # src fe80::1
      fe 80 00 00 00 00 00 00 00 00 00 00 00 00 00 02   # dst fe80::2
      ${h8(next)} 00                                # fragment: next header, reserved
      ${h16(offset | (more ? 1 : 0))}               # offset (8-byte units << 3), M flag
      ${h16(id >>> 16)} ${h16(id & 0xffff)}         # identification
    `,
    data,
  );
}

test('IPv6 fragments: a destination-options header inside the fragmentable part, then UDP', () => {
  const fragmentable = concat(hex`11 00 01 04 00 00 00 00   # destination options: next UDP, PadN`, UDP_DATAGRAM);
  const h = new Harness();
  h.decode(v6Fragment(0x80000001, 24, false, 0x3c, fragmentable.subarray(24)));
  assert.equal(h.pkt.fragment, true);
  assert.equal(h.pkt.ipId, 0x80000001);
  h.decode(v6Fragment(0x80000001, 0, true, 0x3c, fragmentable.subarray(0, 24)));
  assertReassembledUdp(h);
  assert.deepEqual(h.raised, {});
  assert.equal(h.decoder.counters.fragments, 2);
  assert.equal(h.decoder.counters.fragmentsReassembled, 1);
});

test('IPv6: a second fragment header inside a reassembled datagram is refused', () => {
  const h = new Harness();
  const inner = hex`11 00 00 00 00 00 00 01  # another fragment header\n 13 88 13 89 00 08 00 00`;
  h.decode(v6Fragment(5, 8, false, 0x2c, inner.subarray(8)));
  h.decode(v6Fragment(5, 0, true, 0x2c, inner.subarray(0, 8)));
  assert.deepEqual(h.raised, { 'ipv6.second_fragment_header': 1 });
  assert.equal(h.pkt.reassembled, true);
  assert.equal(h.pkt.l4, 0);
});

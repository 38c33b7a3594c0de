import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex } from '../common/hex.js';
import { LINKTYPE } from '../common/link-types.js';
import { L3, IPPROTO } from './packet.js';
import { decodeOnce } from './testkit.js';

const RAW = { linkType: LINKTYPE.RAW };

test('IPv4 options (NOP, record route, EOL) are walked within the header', () => {
  const { pkt, raised } = decodeOnce(
    hex`
      47                  # version 4, IHL 7 (28 bytes)
      00 00 24            # DSCP, total length 36
      00 01 00 00 40 11 00 00   # id 1, TTL 64, UDP, checksum
      0a 00 00 01 0a 00 00 02   # 10.0.0.1 -> 10.0.0.2
      01                  # option NOP
      07 07 04            # option record route, length 7, pointer 4
      00 00 00 00         # route data (one empty slot): the options fill the header
      13 88 13 89 00 08 00 00   # UDP 5000 -> 5001, length 8
    `,
    RAW,
  );
  assert.deepEqual(raised, {});
  assert.equal(pkt.l4, IPPROTO.UDP);
  assert.equal(pkt.l4Off, 28);
});

test('source-route options are flagged; bad option lengths stop the walk', () => {
  const lsrr = decodeOnce(
    hex`
      46 00 00 20  00 01 00 00  40 11 00 00  0a 00 00 01  0a 00 00 02   # IHL 6, total 32, UDP
      83 03 04            # option LSRR, length 3, pointer 4 (no route)
      00                  # EOL
      13 88 13 89 00 08 00 00   # UDP
    `,
    RAW,
  );
  assert.deepEqual(lsrr.raised, { 'ipv4.source_route': 1 });
  assert.equal(lsrr.pkt.l4, IPPROTO.UDP);
  for (const option of ['44 01 00 00  # timestamp, length 1', '44 08 00 00  # timestamp, length 8 (past the header)', '01 01 01 44  # NOPs, then a kind without its length byte']) {
    const bad = decodeOnce(hex`46 00 00 20  00 01 00 00  40 11 00 00  0a 00 00 01  0a 00 00 02  ${option}\n 13 88 13 89 00 08 00 00`, RAW);
    assert.deepEqual(bad.raised, { 'ipv4.bad_option': 1 }, option);
    assert.equal(bad.pkt.l4, IPPROTO.UDP, 'the packet still decodes');
  }
});

test('header checks: version, IHL, total length', () => {
  const base = (first: string, total: string) => hex`${first} 00 ${total}  00 01 00 00  40 11 00 00  0a 00 00 01  0a 00 00 02  13 88 13 89 00 08 00 00`;
  assert.deepEqual(decodeOnce(base('44', '00 1c'), { linkType: LINKTYPE.IPV4 }).raised, { 'ipv4.bad_header_length': 1 });
  assert.deepEqual(decodeOnce(base('46', '00 1c'), RAW).raised, { 'ipv4.bad_option': 1, 'udp.truncated': 1 }, 'IHL 6 eats 4 UDP bytes');
  assert.deepEqual(decodeOnce(base('4f', '00 1c'), RAW).raised, { 'ipv4.truncated': 1 }, 'IHL 15 (60 bytes) beyond the frame');
  assert.deepEqual(decodeOnce(base('45', '00 10'), RAW).raised, { 'ipv4.bad_total_length': 1 });
  const zero = decodeOnce(base('45', '00 00'), RAW);
  assert.deepEqual(zero.raised, { 'ipv4.zero_total_length': 1 });
  assert.equal(zero.pkt.l4, IPPROTO.UDP, 'TSO frames still decode');
  const long = decodeOnce(base('45', '00 40'), RAW);
  assert.deepEqual(long.raised, { 'ipv4.total_length_exceeds_capture': 1 });
  assert.equal(long.pkt.payloadWireLength, 0, 'the frame, not the header, bounds the wire length');
  assert.equal(long.pkt.l3, L3.IPV4);
});

test('total length beyond a snapped frame is a payload cut, not an anomaly', () => {
  const { pkt, raised, h } = decodeOnce(
    hex`
      45 00 05 dc         # IPv4, total length 1500
      00 01 40 00 40 06 00 00   # id 1, DF, TTL 64, TCP
      0a 00 00 01 0a 00 00 02   # 10.0.0.1 -> 10.0.0.2
      00 66 c0 00         # TCP: 102 (ISO-TSAP) -> 49152
      00 00 00 01 00 00 00 01   # seq 1, ack 1
      50 18 20 00 00 00 00 00   # data offset 5, PSH+ACK, window 8192
      03 00 00 1f         # first bytes of the data (TPKT), the rest cut by the snap length
    `,
    { linkType: LINKTYPE.RAW, origLen: 1500 },
  );
  assert.deepEqual(raised, {});
  assert.equal(pkt.payloadCut, true);
  assert.equal(pkt.payloadLength, 4);
  assert.equal(pkt.payloadWireLength, 1460);
  assert.equal(h.decoder.counters.payloadCut, 1);
});

test('reserved flag (evil bit) is weird', () => {
  const { raised } = decodeOnce(hex`45 00 00 1c  00 01 80 00  40 11 00 00  0a 00 00 01  0a 00 00 02  13 88 13 89 00 08 00 00`, RAW);
  assert.deepEqual(raised, { 'ipv4.reserved_flag': 1 });
});

test('other IP protocols keep the IP payload', () => {
  const { pkt, raised, h } = decodeOnce(hex`45 00 00 18  00 01 00 00  40 70 00 00  0a 00 00 01  e0 00 00 12  21 01 64 01 # VRRP`, RAW);
  assert.deepEqual(raised, {});
  assert.equal(pkt.ipProto, 112);
  assert.equal(pkt.l4, 0);
  assert.equal(pkt.payloadOff, 20);
  assert.equal(pkt.payloadEnd, 24);
  assert.equal(h.decoder.counters.otherIpProto, 1);
});

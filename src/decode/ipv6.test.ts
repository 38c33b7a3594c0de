import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex } from '../common/hex.js';
import { LINKTYPE } from '../common/link-types.js';
import { L3, IPPROTO } from './packet.js';
import { decodeOnce } from './testkit.js';
import { ipSrcString, ipDstString } from './decoder.js';

const RAW = { linkType: LINKTYPE.RAW };
/** IPv6 header 2001:db8::1 -> 2001:db8::2 with payload length and first next header (hex). */
const ip6 = (payloadLength: string, next: string) => `
  60 00 00 00  ${payloadLength} ${next} 40   # IPv6, payload length, next header, hop limit 64
  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01   # src 2001:db8::1
  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02   # dst 2001:db8::2
`;

test('IPv6 over Ethernet: hop-by-hop, routing, destination options, then TCP', () => {
  const { pkt, raised, h } = decodeOnce(hex`
    33 33 00 00 00 01  00 0c 29 aa bb cc  86 dd   # Ethernet, EtherType IPv6
    ${ip6('00 3c', '00')}                         # payload 60, next: hop-by-hop
    2b 00               # hop-by-hop: next routing, length 0 (8 bytes)
    01 04 00 00 00 00   #   PadN option, 4 bytes
    3c 02               # routing: next destination options, length 2 (24 bytes)
    02 01               #   type 2, segments left 1
    00 00 00 00         #   reserved
    20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 03   # home address
    06 00               # destination options: next TCP, length 0 (8 bytes)
    01 04 00 00 00 00   #   PadN
    c0 01 00 66  00 00 00 01  00 00 00 00  50 02 20 00 00 00 00 00   # TCP 49153 -> 102, SYN
  `);
  assert.deepEqual(raised, {});
  assert.equal(pkt.l3, L3.IPV6);
  assert.equal(ipSrcString(pkt), '2001:db8::1');
  assert.equal(ipDstString(pkt), '2001:db8::2');
  assert.equal(pkt.ttl, 64);
  assert.equal(pkt.ipProto, IPPROTO.TCP);
  assert.equal(pkt.l4, IPPROTO.TCP);
  assert.equal(pkt.l4Off, 14 + 40 + 40);
  assert.equal(pkt.dstPort, 102);
  assert.equal(h.decoder.counters.ipv6, 1);
});

test('AH is stepped over to UDP; ESP and no-next-header end the chain', () => {
  const ah = decodeOnce(
    hex`
      ${ip6('00 20', '33')}   # payload 32, next: AH
      11 04               # AH: next UDP, payload length 4 ((4 + 2) * 4 = 24 bytes)
      00 00               # reserved
      00 00 10 00         # SPI
      00 00 00 01         # sequence number
      00 00 00 00 00 00 00 00 00 00 00 00   # ICV (12 bytes)
      13 88 13 89 00 08 00 00   # UDP 5000 -> 5001, length 8
    `,
    RAW,
  );
  assert.deepEqual(ah.raised, {});
  assert.equal(ah.pkt.l4, IPPROTO.UDP);
  assert.equal(ah.pkt.srcPort, 5000);

  const esp = decodeOnce(hex`${ip6('00 10', '32')}  00 00 10 00  00 00 00 01  de ad be ef de ad be ef  # ESP SPI, seq, ciphertext`, RAW);
  assert.deepEqual(esp.raised, {});
  assert.equal(esp.pkt.ipProto, 50);
  assert.equal(esp.pkt.l4, 0);
  assert.equal(esp.pkt.payloadLength, 16);
  assert.equal(esp.h.decoder.counters.otherIpProto, 1);

  const none = decodeOnce(hex`${ip6('00 00', '3b')}  00 00 00 00 00 00  # Ethernet padding after an empty payload`, RAW);
  assert.deepEqual(none.raised, {});
  assert.equal(none.pkt.ipProto, 59);
});

test('extension-header chain cap, hop-by-hop out of place, bad lengths', () => {
  let chain = '';
  for (let i = 0; i < 11; i++) chain += `${i === 10 ? '3b' : '3c'} 00 01 04 00 00 00 00  # destination options ${i}\n`;
  assert.deepEqual(decodeOnce(hex`${ip6('00 58', '3c')}\n${chain}`, RAW).raised, { 'ipv6.too_many_extension_headers': 1 });

  const late = decodeOnce(hex`${ip6('00 18', '3c')}  00 00 01 04 00 00 00 00  # dest opts, next hop-by-hop\n 11 00 01 04 00 00 00 00  # hop-by-hop, next UDP\n 13 88 13 89 00 08 00 00`, RAW);
  assert.deepEqual(late.raised, { 'ipv6.hop_by_hop_not_first': 1 });
  assert.equal(late.pkt.l4, IPPROTO.UDP);

  const long = decodeOnce(hex`${ip6('00 10', '3c')}  11 04 01 04 00 00 00 00  # dest opts claiming 40 bytes\n 13 88 13 89 00 08 00 00`, RAW);
  assert.deepEqual(long.raised, { 'ipv6.bad_extension_header': 1 });
  assert.equal(long.pkt.l4, 0);

  const cut = decodeOnce(hex`${ip6('00 30', '3c')}  11 04 01 04 00 00 00 00`, { linkType: LINKTYPE.RAW, origLen: 88 });
  assert.deepEqual(cut.raised, { 'ipv6.truncated': 1 }, 'an extension header cut by the snap length');
  assert.equal(cut.pkt.payloadCut, false);
});

test('payload length: zero (jumbogram/TSO) uses the frame; too long is flagged unless snapped', () => {
  const zero = decodeOnce(hex`${ip6('00 00', '11')}  13 88 13 89 00 08 00 00`, RAW);
  assert.deepEqual(zero.raised, { 'ipv6.zero_payload_length': 1 });
  assert.equal(zero.pkt.l4, IPPROTO.UDP);
  const long = decodeOnce(hex`${ip6('00 20', '11')}  13 88 13 89 00 08 00 00`, RAW);
  assert.deepEqual(long.raised, { 'ipv6.payload_length_exceeds_capture': 1 });
  const snapped = decodeOnce(hex`${ip6('00 20', '11')}  13 88 13 89 00 20 00 00`, { linkType: LINKTYPE.RAW, origLen: 72 });
  assert.deepEqual(snapped.raised, {});
  assert.equal(snapped.pkt.payloadCut, true);
  assert.equal(snapped.pkt.payloadWireLength, 24);
  assert.deepEqual(decodeOnce(hex`60 00 00 00 00 08 11 40  20 01 0d b8`, RAW).raised, { 'ipv6.truncated': 1 });
});

test('an atomic fragment (offset 0, M = 0) is a whole datagram (RFC 6946)', () => {
  const { pkt, raised, h } = decodeOnce(
    hex`
      ${ip6('00 10', '2c')}   # payload 16, next: fragment
      11 00               # fragment: next UDP, reserved
      00 00               # offset 0, M = 0
      00 00 ab cd         # identification
      13 88 13 89 00 08 00 00   # UDP
    `,
    RAW,
  );
  assert.deepEqual(raised, {});
  assert.equal(pkt.l4, IPPROTO.UDP);
  assert.equal(pkt.ipId, 0xabcd);
  assert.equal(pkt.fragment, false);
  assert.equal(h.decoder.counters.fragments, 0);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex } from '../common/hex.js';
import { LINKTYPE } from '../common/link-types.js';
import { IPPROTO } from './packet.js';
import { decodeOnce } from './testkit.js';

const RAW = { linkType: LINKTYPE.RAW };

test('ICMP destination unreachable: type, code, payload is the quoted datagram', () => {
  const { pkt, raised, h } = decodeOnce(
    hex`
      45 00 00 24  00 01 00 00  40 01 00 00  0a 00 00 02  0a 00 00 01   # IPv4 total 36, ICMP
      03                  # type 3: destination unreachable
      03                  # code 3: port unreachable
      00 00               # checksum
      00 00 00 00         # unused
      45 00 00 1c 00 01 00 00   # first 8 bytes of the quoted IPv4 header
    `,
    RAW,
  );
  assert.deepEqual(raised, {});
  assert.equal(pkt.l4, IPPROTO.ICMP);
  assert.equal(pkt.icmpType, 3);
  assert.equal(pkt.icmpCode, 3);
  assert.equal(pkt.payloadOff, 28);
  assert.equal(pkt.payloadLength, 8);
  assert.equal(h.decoder.counters.icmp, 1);
});

test('ICMPv6 neighbour solicitation', () => {
  const { pkt, raised, h } = decodeOnce(
    hex`
      60 00 00 00  00 18 3a ff   # IPv6, payload 24, ICMPv6, hop limit 255
      fe 80 00 00 00 00 00 00 02 0c 29 ff fe aa bb cc   # src fe80::20c:29ff:feaa:bbcc
      ff 02 00 00 00 00 00 00 00 00 00 01 ff 00 00 01   # dst ff02::1:ff00:1
      87                  # type 135: neighbour solicitation
      00                  # code 0
      00 00 00 00 00 00   # checksum, reserved
      fe 80 00 00 00 00 00 00 00 00 00 00 00 00 00 01   # target fe80::1
    `,
    RAW,
  );
  assert.deepEqual(raised, {});
  assert.equal(pkt.l4, IPPROTO.IPV6_ICMP);
  assert.equal(pkt.icmpType, 135);
  assert.equal(h.decoder.counters.icmpv6, 1);
});

test('ICMP in the wrong IP version, and cut ICMP headers', () => {
  const v6in4 = decodeOnce(hex`45 00 00 1c  00 01 00 00  40 3a 00 00  0a 00 00 02  0a 00 00 01  80 00 00 00 00 01 00 01`, RAW);
  assert.deepEqual(v6in4.raised, { 'icmp.icmpv6_over_ipv4': 1 });
  assert.equal(v6in4.pkt.l4, IPPROTO.IPV6_ICMP);
  const v4in6 = decodeOnce(hex`60000000 0008 01 40  00000000000000000000000000000001 00000000000000000000000000000002  08 00 00 00 00 01 00 01`, RAW);
  assert.deepEqual(v4in6.raised, { 'icmp.icmpv4_over_ipv6': 1 });
  assert.deepEqual(decodeOnce(hex`45 00 00 18  00 01 00 00  40 01 00 00  0a 00 00 02  0a 00 00 01  08 00 00 00`, RAW).raised, { 'icmp.truncated': 1 });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex } from '../common/hex.js';
import { LINKTYPE } from '../common/link-types.js';
import { L3, IPPROTO } from './packet.js';
import { decodeOnce, Harness } from './testkit.js';
import { ipSrcString, ipDstString, macString } from './decoder.js';

// IPv4/UDP 10.0.0.1:5000 -> 10.0.0.2:20000 with 2 data bytes, shared by the link-type tests below.
const IPV4_UDP = `
  45 00 00 1e         # IPv4: version 4, IHL 5, total length 30
  00 07 00 00         # id 7, no flags
  80 11 00 00         # TTL 128, protocol UDP, checksum
  0a 00 00 01         # src 10.0.0.1
  0a 00 00 02         # dst 10.0.0.2
  13 88 4e 20         # UDP: 5000 -> 20000
  00 0a 00 00         # length 10, checksum
  ab cd               # data
`;

// IPv6/ICMPv6 echo request fe80::1 -> ff02::1.
const IPV6_ICMP = `
  60 00 00 00         # IPv6: version 6, traffic class 0, flow label 0
  00 08 3a 01         # payload length 8, next header ICMPv6, hop limit 1
  fe 80 00 00 00 00 00 00 00 00 00 00 00 00 00 01   # src fe80::1
  ff 02 00 00 00 00 00 00 00 00 00 00 00 00 00 01   # dst ff02::1
  80 00 00 00 12 34 00 01                           # ICMPv6 echo request, id 0x1234, seq 1
`;

function assertUdp(pkt: ReturnType<typeof decodeOnce>['pkt']): void {
  assert.equal(pkt.l3, L3.IPV4);
  assert.equal(ipSrcString(pkt), '10.0.0.1');
  assert.equal(ipDstString(pkt), '10.0.0.2');
  assert.equal(pkt.l4, IPPROTO.UDP);
  assert.equal(pkt.srcPort, 5000);
  assert.equal(pkt.dstPort, 20000);
  assert.equal(pkt.payloadLength, 2);
}

function assertIcmpv6(pkt: ReturnType<typeof decodeOnce>['pkt']): void {
  assert.equal(pkt.l3, L3.IPV6);
  assert.equal(ipSrcString(pkt), 'fe80::1');
  assert.equal(ipDstString(pkt), 'ff02::1');
  assert.equal(pkt.l4, IPPROTO.IPV6_ICMP);
  assert.equal(pkt.icmpType, 128);
}

test('DLT_NULL: AF_INET in either byte order', () => {
  for (const family of ['02 00 00 00  # AF_INET, little-endian host', '00 00 00 02  # AF_INET, big-endian host']) {
    const { pkt, raised } = decodeOnce(hex`${family}\n${IPV4_UDP}`, { linkType: LINKTYPE.NULL });
    assert.deepEqual(raised, {});
    assertUdp(pkt);
    assert.equal(pkt.srcMacOff, -1);
    assert.equal(pkt.l2PayloadOff, 0);
  }
});

test('DLT_NULL: AF_INET6 as 24 (NetBSD/OpenBSD), 28 (FreeBSD), 30 (macOS), both byte orders', () => {
  for (const family of ['18 00 00 00', '1c 00 00 00', '1e 00 00 00', '00 00 00 1e']) {
    const { pkt, raised } = decodeOnce(hex`${family}  # address family\n${IPV6_ICMP}`, { linkType: LINKTYPE.NULL });
    assert.deepEqual(raised, {}, family);
    assertIcmpv6(pkt);
  }
});

test('DLT_NULL: unknown family and short header are anomalies', () => {
  assert.deepEqual(decodeOnce(hex`07 00 00 00  ${IPV4_UDP}`, { linkType: LINKTYPE.NULL }).raised, { 'link.unknown_family': 1 });
  assert.deepEqual(decodeOnce(hex`02 00`, { linkType: LINKTYPE.NULL }).raised, { 'link.truncated': 1 });
});

test('LINKTYPE_LOOP (OpenBSD): family in network byte order only', () => {
  const { pkt, raised } = decodeOnce(hex`00 00 00 02  # AF_INET\n${IPV4_UDP}`, { linkType: LINKTYPE.LOOP });
  assert.deepEqual(raised, {});
  assertUdp(pkt);
  assert.deepEqual(decodeOnce(hex`02 00 00 00  ${IPV4_UDP}`, { linkType: LINKTYPE.LOOP }).raised, { 'link.unknown_family': 1 });
  assertIcmpv6(decodeOnce(hex`00 00 00 18  # AF_INET6 (24)\n${IPV6_ICMP}`, { linkType: LINKTYPE.LOOP }).pkt);
});

test('LINKTYPE_RAW: IPv4 or IPv6 by the version nibble', () => {
  assertUdp(decodeOnce(hex`${IPV4_UDP}`, { linkType: LINKTYPE.RAW }).pkt);
  assertIcmpv6(decodeOnce(hex`${IPV6_ICMP}`, { linkType: LINKTYPE.RAW }).pkt);
  assert.deepEqual(decodeOnce(hex`50 00 00 00`, { linkType: LINKTYPE.RAW }).raised, { 'link.unknown_ip_version': 1 });
  assert.deepEqual(decodeOnce(hex``, { linkType: LINKTYPE.RAW }).raised, { 'link.truncated': 1 });
});

test('LINKTYPE_IPV4 and LINKTYPE_IPV6 hold one IP version each', () => {
  const v4 = decodeOnce(hex`${IPV4_UDP}`, { linkType: LINKTYPE.IPV4 });
  assert.deepEqual(v4.raised, {});
  assertUdp(v4.pkt);
  const v6 = decodeOnce(hex`${IPV6_ICMP}`, { linkType: LINKTYPE.IPV6 });
  assert.deepEqual(v6.raised, {});
  assertIcmpv6(v6.pkt);
  assert.deepEqual(decodeOnce(hex`${IPV6_ICMP}`, { linkType: LINKTYPE.IPV4 }).raised, { 'ipv4.bad_version': 1 });
  assert.deepEqual(decodeOnce(hex`${IPV4_UDP} 00 00 00 00 00 00 00 00 00 00`, { linkType: LINKTYPE.IPV6 }).raised, { 'ipv6.bad_version': 1 });
});

test('Linux SLL: source MAC, protocol as EtherType', () => {
  const { pkt, raised, h } = decodeOnce(
    hex`
      00 00               # packet type: to us
      00 01               # ARPHRD_ETHER
      00 06               # address length 6
      00 0c 29 aa bb cc 00 00   # address (8-byte field)
      08 00               # protocol IPv4
      ${IPV4_UDP}
    `,
    { linkType: LINKTYPE.LINUX_SLL },
  );
  assert.deepEqual(raised, {});
  assertUdp(pkt);
  assert.equal(macString(pkt.buf, pkt.srcMacOff), '00:0c:29:aa:bb:cc');
  assert.equal(pkt.dstMacOff, -1);
  assert.equal(pkt.etherType, 0x0800);
  assert.equal(h.decoder.counters.sll, 1);
});

test('Linux SLL: VLAN-tagged payload, 802.2 LLC payload, netlink, bad address length', () => {
  const vlan = decodeOnce(
    hex`
      00 04 00 01 00 06  00 0c 29 aa bb cc 00 00   # outgoing, ARPHRD_ETHER, MAC
      81 00               # protocol 802.1Q: the tag stayed in the payload
      00 05 08 00         # VLAN 5, EtherType IPv4
      ${IPV4_UDP}
    `,
    { linkType: LINKTYPE.LINUX_SLL },
  );
  assert.deepEqual(vlan.raised, {});
  assert.equal(vlan.pkt.vlanOuter, 5);
  assertUdp(vlan.pkt);

  const llc = decodeOnce(
    hex`
      00 00 00 01 00 06  00 0c 29 aa bb cc 00 00   # to us, ARPHRD_ETHER, MAC
      00 04               # protocol ETH_P_802_2: an LLC header follows
      42 42 03 00 00      # LLC STP, 2 bytes of BPDU
    `,
    { linkType: LINKTYPE.LINUX_SLL },
  );
  assert.deepEqual(llc.raised, {});
  assert.equal(llc.pkt.llcDsap, 0x42);
  assert.equal(llc.h.decoder.counters.l2.get('stp'), 1);

  const netlink = decodeOnce(hex`00 04 03 38 00 00 0000000000000000 0010 00000000`, { linkType: LINKTYPE.LINUX_SLL });
  assert.deepEqual(netlink.raised, {});
  assert.equal(netlink.h.decoder.counters.l2.get('netlink'), 1);

  const badAddr = decodeOnce(hex`0000 0001 0009 0000000000000000 0800 ${IPV4_UDP}`, { linkType: LINKTYPE.LINUX_SLL });
  assert.deepEqual(badAddr.raised, { 'sll.bad_address_length': 1 });
  assert.equal(badAddr.pkt.srcMacOff, -1);
  assertUdp(badAddr.pkt);
  assert.deepEqual(decodeOnce(hex`0000 0001 0006 000c29aabbcc`, { linkType: LINKTYPE.LINUX_SLL }).raised, { 'sll.truncated': 1 });
});

test('Linux SLL2: 20-byte header, protocol first', () => {
  const { pkt, raised, h } = decodeOnce(
    hex`
      86 dd               # protocol IPv6
      00 00               # reserved
      00 00 00 02         # interface index 2
      00 01               # ARPHRD_ETHER
      00                  # packet type: to us
      06                  # address length 6
      00 0c 29 aa bb cc 00 00   # address (8-byte field)
      ${IPV6_ICMP}
    `,
    { linkType: LINKTYPE.LINUX_SLL2 },
  );
  assert.deepEqual(raised, {});
  assertIcmpv6(pkt);
  assert.equal(macString(pkt.buf, pkt.srcMacOff), '00:0c:29:aa:bb:cc');
  assert.equal(h.decoder.counters.sll, 1);
  assert.deepEqual(decodeOnce(hex`86dd 0000 00000002 0001 00 06 000c29aa`, { linkType: LINKTYPE.LINUX_SLL2 }).raised, { 'sll.truncated': 1 });
});

test('unsupported link types are counted per type, not decoded', () => {
  const h = new Harness();
  h.decode(hex`00 01 02 03`, { linkType: 7 });
  h.decode(hex`00 01 02 03`, { linkType: 7 });
  h.decode(hex`00 01 02 03`, { linkType: 227 });
  h.decode(hex`${IPV4_UDP}`, { linkType: LINKTYPE.RAW });
  const c = h.decoder.counters;
  assert.deepEqual([...c.unsupportedLink], [[7, 2], [227, 1]]);
  assert.deepEqual([...c.linkTypes].sort((a, b) => a[0] - b[0]), [[7, 2], [101, 1], [227, 1]]);
  assert.deepEqual(h.raised, { 'link.unsupported': 3 });
  assert.equal(c.frames, 4);
  assert.equal(h.pkt.l4, IPPROTO.UDP, 'a supported frame after unsupported ones decodes');
});

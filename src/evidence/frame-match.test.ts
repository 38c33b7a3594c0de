import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex } from '../common/hex.js';
import { LINKTYPE } from '../common/link-types.js';
import { frameOf } from '../decode/testkit.js';
import { FrameMatcher, parseAddress, type EvidenceQuery } from './frame-match.js';

const T = 1_700_000_000;

const ETH_IPV4_TCP = hex`
  00 1d 9c 00 00 02  00 1d 9c 00 00 01  08 00   # Ethernet: dst, src, type IPv4
  45 00 00 28  00 01 40 00  40 06 00 00         # IPv4: version/IHL, length 40, id, DF, TTL 64, proto TCP
  0a 00 00 01                                   # src 10.0.0.1
  0a 00 00 02                                   # dst 10.0.0.2
  c0 01 01 f6                                   # TCP: sport 49153, dport 502
  00 00 00 01  00 00 00 00                      # seq, ack
  50 18 20 00  00 00 00 00                      # offset 5, PSH ACK, window, checksum, urgent
`;

const VLAN_IPV6_UDP = hex`
  00 1d 9c 00 00 02  00 1d 9c 00 00 01  81 00   # Ethernet, 802.1Q
  00 0a  86 dd                                  # VLAN 10, type IPv6
  60 00 00 00  00 08 11 40                      # IPv6: version, payload length 8, next header UDP, hop limit
  fd 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01   # src fd00::1
  fd 00 00 00 00 00 00 00 00 00 00 00 00 00 00 02   # dst fd00::2
  4e 20 4e 20  00 08 00 00                      # UDP: 20000 -> 20000, length 8, checksum
`;

const SLL_IPV4_UDP = hex`
  00 00  00 01  00 06  00 1d 9c 00 00 01 00 00  08 00   # Linux SLL: packet type, ARPHRD, addr len, addr, protocol IPv4
  45 00 00 1c  00 02 00 00  40 11 00 00         # IPv4: length 28, proto UDP
  c0 a8 01 0a                                   # src 192.168.1.10
  0a 00 00 03                                   # dst 10.0.0.3
  00 35 c3 50  00 08 00 00                      # UDP: 53 -> 50000
`;

const ARP_REQUEST = hex`
  ff ff ff ff ff ff  00 1d 9c 00 00 03  08 06   # Ethernet broadcast, type ARP
  00 01 08 00 06 04 00 01                       # Ethernet/IPv4, request
  00 1d 9c 00 00 03  0a 00 00 03                # sender MAC, sender IP 10.0.0.3
  00 00 00 00 00 00  0a 00 00 01                # target MAC, target IP 10.0.0.1
`;

const RAW_IPV4_ICMP = hex`
  45 00 00 1c  00 03 00 00  40 01 00 00         # IPv4 (raw link type): length 28, proto ICMP
  0a 00 00 02                                   # src 10.0.0.2
  0a 00 00 04                                   # dst 10.0.0.4
  08 00 f7 ff  00 00 00 00                      # ICMP echo request
`;

function matches(query: Omit<EvidenceQuery, 'from' | 'to'>, bytes: Uint8Array, linkType: number = LINKTYPE.ETHERNET): boolean {
  const m = new FrameMatcher({ from: T - 1, to: T + 1, ...query });
  const f = frameOf(bytes, { linkType, tsSec: T });
  return m.inWindow(f) && m.matches(f);
}

test('single hosts match either side; pairs match both directions and nothing else', () => {
  assert.equal(matches({ hosts: [{ a: '10.0.0.1' }] }, ETH_IPV4_TCP), true);
  assert.equal(matches({ hosts: [{ a: '10.0.0.2' }] }, ETH_IPV4_TCP), true);
  assert.equal(matches({ hosts: [{ a: '10.0.0.3' }] }, ETH_IPV4_TCP), false);
  assert.equal(matches({ hosts: [{ a: '10.0.0.2', b: '10.0.0.1' }] }, ETH_IPV4_TCP), true);
  assert.equal(matches({ hosts: [{ a: '10.0.0.1', b: '10.0.0.3' }] }, ETH_IPV4_TCP), false);
  assert.equal(matches({ hosts: [{ a: '10.0.0.9' }, { a: '10.0.0.1', b: '10.0.0.2' }] }, ETH_IPV4_TCP), true);
  assert.equal(matches({}, ETH_IPV4_TCP), true);
});

test('VLAN-tagged IPv6, Linux SLL, raw IP and ARP are matched by their addresses', () => {
  assert.equal(matches({ hosts: [{ a: 'fd00::2', b: 'fd00::1' }] }, VLAN_IPV6_UDP), true);
  assert.equal(matches({ hosts: [{ a: 'fd00:0:0:0:0:0:0:1' }] }, VLAN_IPV6_UDP), true);
  assert.equal(matches({ hosts: [{ a: 'fd00::3' }] }, VLAN_IPV6_UDP), false);
  assert.equal(matches({ hosts: [{ a: '10.0.0.1' }] }, VLAN_IPV6_UDP), false);
  assert.equal(matches({ hosts: [{ a: '192.168.1.10', b: '10.0.0.3' }] }, SLL_IPV4_UDP, LINKTYPE.LINUX_SLL), true);
  assert.equal(matches({ hosts: [{ a: '10.0.0.4' }] }, RAW_IPV4_ICMP, LINKTYPE.RAW), true);
  // ARP: sender and target protocol addresses (the evidence of a spoofing alert).
  assert.equal(matches({ hosts: [{ a: '10.0.0.3', b: '10.0.0.1' }] }, ARP_REQUEST), true);
  assert.equal(matches({ hosts: [{ a: '10.0.0.2' }] }, ARP_REQUEST), false);
});

test('ports and IP protocol narrow the match; non-IP frames fail a protocol filter', () => {
  assert.equal(matches({ ports: [502] }, ETH_IPV4_TCP), true);
  assert.equal(matches({ ports: [49153] }, ETH_IPV4_TCP), true);
  assert.equal(matches({ ports: [102] }, ETH_IPV4_TCP), false);
  assert.equal(matches({ protocol: 6 }, ETH_IPV4_TCP), true);
  assert.equal(matches({ protocol: 17 }, ETH_IPV4_TCP), false);
  assert.equal(matches({ protocol: 17, ports: [20000] }, VLAN_IPV6_UDP), true);
  assert.equal(matches({ protocol: 1 }, RAW_IPV4_ICMP, LINKTYPE.RAW), true);
  assert.equal(matches({ ports: [0] }, RAW_IPV4_ICMP, LINKTYPE.RAW), false);
  assert.equal(matches({ protocol: 6 }, ARP_REQUEST), false);
});

test('the window is [from, to): from inclusive, to exclusive, to the nanosecond', () => {
  const m = new FrameMatcher({ from: T, to: T + 1 });
  assert.equal(m.inWindow(frameOf(ETH_IPV4_TCP, { tsSec: T, tsNsec: 0 })), true);
  assert.equal(m.inWindow(frameOf(ETH_IPV4_TCP, { tsSec: T, tsNsec: 999_999_000 })), true);
  assert.equal(m.inWindow(frameOf(ETH_IPV4_TCP, { tsSec: T + 1, tsNsec: 0 })), false);
  assert.equal(m.inWindow(frameOf(ETH_IPV4_TCP, { tsSec: T - 1, tsNsec: 999_999_999 })), false);
});

test('truncated and garbage frames never throw and match no host', () => {
  // A frame cut after its IPv4 header (34 bytes) still names its hosts; one cut inside it does not.
  for (let n = 0; n < ETH_IPV4_TCP.length; n++) {
    assert.equal(matches({ hosts: [{ a: '10.0.0.1' }] }, ETH_IPV4_TCP.subarray(0, n)), n >= 34, `cut at ${n}`);
  }
  assert.equal(matches({ hosts: [{ a: '10.0.0.1' }] }, Uint8Array.from({ length: 64 }, (_, i) => (i * 37) & 0xff)), false);
  assert.equal(matches({ hosts: [{ a: '10.0.0.1' }] }, ETH_IPV4_TCP, 9999), false);
});

test('addresses parse as IPv4 or IPv6 (embedded IPv4, compressed zeros); anything else is refused', () => {
  assert.deepEqual(parseAddress('10.0.0.1'), { v: 4, n: 0x0a000001 });
  const v6 = parseAddress('::ffff:10.0.0.1');
  assert.ok(v6 !== null && v6.v === 6);
  assert.equal(Buffer.from(v6.bytes).toString('hex'), '00000000000000000000ffff0a000001');
  const full = parseAddress('2001:db8::8:800:200c:417a');
  assert.ok(full !== null && full.v === 6);
  assert.equal(Buffer.from(full.bytes).toString('hex'), '20010db80000000000080800200c417a');
  const all = parseAddress('::');
  assert.ok(all !== null && all.v === 6 && all.bytes.every((b) => b === 0));
  for (const bad of ['10.0.0', '10.0.0.256', 'fe80::1%eth0', 'host.example', '', '1::2::3']) assert.equal(parseAddress(bad), null, bad);
});

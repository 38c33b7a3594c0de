import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex } from '../common/hex.js';
import { L3 } from './packet.js';
import { decodeOnce } from './testkit.js';
import { macString } from './decoder.js';
import { ipv4String } from '../common/ip.js';

test('ARP reply over Ethernet: opcode, sender and target MAC/IP', () => {
  const { pkt, raised, h } = decodeOnce(hex`
    00 0c 29 aa bb cc   # dst MAC
    00 1b 1b 01 02 03   # src MAC
    08 06               # EtherType ARP
    00 01               # hardware type Ethernet
    08 00               # protocol type IPv4
    06                  # hardware address length
    04                  # protocol address length
    00 02               # opcode 2: reply
    00 1b 1b 01 02 03   # sender MAC
    c0 a8 01 14         # sender IP 192.168.1.20
    00 0c 29 aa bb cc   # target MAC
    c0 a8 01 0a         # target IP 192.168.1.10
    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00   # padding
  `);
  assert.deepEqual(raised, {});
  assert.equal(pkt.l3, L3.ARP);
  assert.equal(pkt.arpOp, 2);
  assert.equal(macString(pkt.buf, pkt.arpSenderMacOff), '00:1b:1b:01:02:03');
  assert.equal(ipv4String(pkt.arpSenderIp), '192.168.1.20');
  assert.equal(macString(pkt.buf, pkt.arpTargetMacOff), '00:0c:29:aa:bb:cc');
  assert.equal(ipv4String(pkt.arpTargetIp), '192.168.1.10');
  assert.equal(h.decoder.counters.arp, 1);
});

test('RARP request (EtherType 0x8035) uses the same layout', () => {
  const { pkt, raised } = decodeOnce(hex`
    ff ff ff ff ff ff  00 1b 1b 01 02 03   # dst, src MAC
    80 35               # EtherType RARP
    00 01 08 00 06 04   # Ethernet, IPv4, 6, 4
    00 03               # opcode 3: reverse request
    00 1b 1b 01 02 03   # sender MAC
    00 00 00 00         # sender IP
    00 1b 1b 01 02 03   # target MAC (asking for its own IP)
    00 00 00 00         # target IP
  `);
  assert.deepEqual(raised, {});
  assert.equal(pkt.etherType, 0x8035);
  assert.equal(pkt.arpOp, 3);
  assert.equal(pkt.arpTargetMacOff, 32);
});

test('ARP for other hardware/protocol pairs: opcode only; bad opcode and cut headers flagged', () => {
  const other = decodeOnce(hex`
    ff ff ff ff ff ff  00 1b 1b 01 02 03  08 06   # Ethernet, ARP
    00 01 86 dd 06 10   # Ethernet, IPv6 (not an ARP pair in use), hlen 6, plen 16
    00 01               # opcode request
    00 00 00 00 00 00  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00   # sender MAC + IP
    00 00 00 00 00 00  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00   # target MAC + IP
  `);
  assert.deepEqual(other.raised, { 'arp.unsupported_format': 1 });
  assert.equal(other.pkt.arpOp, 1);
  assert.equal(other.pkt.arpSenderMacOff, -1);

  const badOp = decodeOnce(hex`ffffffffffff 001b1b010203 0806  0001 0800 06 04  0000  001b1b010203 00000000 000000000000 00000000`);
  assert.deepEqual(badOp.raised, { 'arp.bad_opcode': 1 });

  const cut = decodeOnce(hex`ffffffffffff 001b1b010203 0806  0001 0800 06 04  0001  001b1b010203 c0a8`);
  assert.deepEqual(cut.raised, { 'arp.truncated': 1 });
  assert.deepEqual(decodeOnce(hex`ffffffffffff 001b1b010203 0806  0001 0800`).raised, { 'arp.truncated': 1 });
});

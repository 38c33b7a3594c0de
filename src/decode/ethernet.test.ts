import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex } from '../common/hex.js';
import { L3, IPPROTO, TCP_FLAG } from './packet.js';
import { decodeOnce } from './testkit.js';
import { macString, ipSrcString, ipDstString } from './decoder.js';

test('Ethernet II / IPv4 / TCP: every field, trailing padding ignored', () => {
  const { pkt, raised } = decodeOnce(hex`
    00 1b 1b 01 02 03   # dst MAC (Siemens OUI)
    00 0c 29 aa bb cc   # src MAC
    08 00               # EtherType IPv4
    45                  # IPv4: version 4, IHL 5 (20 bytes)
    00                  # DSCP/ECN
    00 2c               # total length 44 = 20 IP + 20 TCP + 4 data
    12 34               # identification
    40 00               # flags DF, fragment offset 0
    40                  # TTL 64
    06                  # protocol TCP
    00 00               # header checksum (not verified)
    c0 a8 01 0a         # src 192.168.1.10
    c0 a8 01 14         # dst 192.168.1.20
    c3 50               # TCP: src port 50000
    01 f6               # dst port 502
    80 00 00 01         # seq 2147483649 (high bit set)
    ff ff ff fe         # ack 4294967294
    50                  # data offset 5 (20 bytes)
    18                  # flags PSH+ACK
    fa f0               # window 64240
    00 00               # checksum
    00 00               # urgent pointer
    00 01 00 00         # 4 bytes of data
    00 00               # Ethernet padding to 60 bytes
  `);
  assert.deepEqual(raised, {});
  assert.equal(macString(pkt.buf, pkt.dstMacOff), '00:1b:1b:01:02:03');
  assert.equal(macString(pkt.buf, pkt.srcMacOff), '00:0c:29:aa:bb:cc');
  assert.equal(pkt.etherType, 0x0800);
  assert.equal(pkt.l2PayloadOff, 14);
  assert.equal(pkt.l3, L3.IPV4);
  assert.equal(ipSrcString(pkt), '192.168.1.10');
  assert.equal(ipDstString(pkt), '192.168.1.20');
  assert.equal(pkt.ttl, 64);
  assert.equal(pkt.ipId, 0x1234);
  assert.equal(pkt.ipProto, IPPROTO.TCP);
  assert.equal(pkt.l4, IPPROTO.TCP);
  assert.equal(pkt.l4Buf, pkt.buf);
  assert.equal(pkt.l4Off, 34);
  assert.equal(pkt.srcPort, 50000);
  assert.equal(pkt.dstPort, 502);
  assert.equal(pkt.seq, 2147483649);
  assert.equal(pkt.ack, 4294967294);
  assert.equal(pkt.tcpFlags, TCP_FLAG.PSH | TCP_FLAG.ACK);
  assert.equal(pkt.window, 64240);
  assert.equal(pkt.payloadOff, 54);
  assert.equal(pkt.payloadEnd, 58, 'padding after the IP total length is not payload');
  assert.equal(pkt.payloadWireLength, 4);
  assert.equal(pkt.payloadCut, false);
  assert.equal(pkt.vlanCount, 0);
});

test('802.1Q tag: VLAN id, then the inner EtherType', () => {
  const { pkt, raised, h } = decodeOnce(hex`
    ff ff ff ff ff ff   # dst MAC broadcast
    00 0c 29 aa bb cc   # src MAC
    81 00               # TPID 802.1Q
    a0 64               # TCI: priority 5, DEI 0, VLAN 100
    08 06               # EtherType ARP
    00 01 08 00 06 04   # ARP: Ethernet, IPv4, hlen 6, plen 4
    00 01               # op request
    00 0c 29 aa bb cc   # sender MAC
    c0 a8 01 0a         # sender IP 192.168.1.10
    00 00 00 00 00 00   # target MAC
    c0 a8 01 14         # target IP 192.168.1.20
  `);
  assert.deepEqual(raised, {});
  assert.equal(pkt.vlanCount, 1);
  assert.equal(pkt.vlanOuter, 100);
  assert.equal(pkt.vlanInner, 0);
  assert.equal(pkt.etherType, 0x0806);
  assert.equal(pkt.l2PayloadOff, 18);
  assert.equal(pkt.l3, L3.ARP);
  assert.equal(h.decoder.counters.vlanTagged, 1);
});

test('802.1ad QinQ (0x88a8 then 0x8100) and the old 0x9100 form', () => {
  for (const outer of ['88 a8', '91 00']) {
    const { pkt, raised } = decodeOnce(hex`
      01 0c cd 01 00 01   # dst MAC (GOOSE multicast)
      00 0c 29 aa bb cc   # src MAC
      ${outer}            # outer TPID (service tag)
      00 c8               # TCI: VLAN 200
      81 00               # inner TPID 802.1Q
      00 0a               # TCI: VLAN 10
      88 b8               # EtherType GOOSE
      00 01 00 08 00 00 00 00  # GOOSE APPID 1, length 8, reserved
    `);
    assert.deepEqual(raised, {});
    assert.equal(pkt.vlanCount, 2);
    assert.equal(pkt.vlanOuter, 200);
    assert.equal(pkt.vlanInner, 10);
    assert.equal(pkt.etherType, 0x88b8);
    assert.equal(pkt.l2PayloadOff, 22);
    assert.equal(pkt.l2PayloadEnd, 30);
  }
});

test('stacked tags beyond the cap stop decoding with vlan.too_many_tags', () => {
  let tags = '';
  for (let i = 0; i < 9; i++) tags += `81 00  00 0${i}  # tag ${i}\n`;
  const { pkt, raised } = decodeOnce(hex`
    ff ff ff ff ff ff  00 0c 29 aa bb cc   # dst, src MAC
    ${tags}
    08 00                                  # EtherType IPv4 (never reached)
  `);
  assert.deepEqual(raised, { 'vlan.too_many_tags': 1 });
  assert.equal(pkt.vlanCount, 8);
  assert.equal(pkt.l3, L3.NONE);
});

test('802.3 + LLC (STP BPDU): length bounds the payload, counted by SAP name', () => {
  const { pkt, raised, h } = decodeOnce(hex`
    01 80 c2 00 00 00   # dst MAC (STP multicast)
    00 0c 29 aa bb cc   # src MAC
    00 26               # 802.3 length 38
    42                  # DSAP 0x42 (spanning tree)
    42                  # SSAP 0x42
    03                  # control UI
    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
                        # 35 bytes of BPDU
    00 00 00 00 00 00 00 00   # padding
  `);
  assert.deepEqual(raised, {});
  assert.equal(pkt.etherType, 0);
  assert.equal(pkt.llcDsap, 0x42);
  assert.equal(pkt.llcSsap, 0x42);
  assert.equal(pkt.llcControl, 3);
  assert.equal(pkt.snapOui, -1);
  assert.equal(pkt.l2PayloadOff, 17);
  assert.equal(pkt.l2PayloadEnd, 14 + 38);
  assert.equal(h.decoder.counters.llc, 1);
  assert.equal(h.decoder.counters.l2.get('stp'), 1);
});

test('LLC I-format frames have a 2-byte control field', () => {
  const { pkt, raised } = decodeOnce(hex`
    00 1b 1b 01 02 03  00 0c 29 aa bb cc   # dst, src MAC
    00 06               # 802.3 length 6
    fe fe               # DSAP/SSAP OSI
    00 02               # control: I-format, N(S) 0, N(R) 1
    aa bb               # data
  `);
  assert.deepEqual(raised, {});
  assert.equal(pkt.llcControl, 0x0200);
  assert.equal(pkt.l2PayloadOff, 18);
  assert.equal(pkt.l2PayloadEnd, 20);
});

test('LLC + SNAP with a Cisco OUI (CDP) is named by (OUI, PID)', () => {
  const { pkt, raised, h } = decodeOnce(hex`
    01 00 0c cc cc cc   # dst MAC (CDP multicast)
    00 0c 29 aa bb cc   # src MAC
    00 0c               # 802.3 length 12
    aa aa 03            # LLC: SNAP, SNAP, UI
    00 00 0c            # OUI Cisco
    20 00               # PID CDP
    02 b4 00 00         # CDP version 2, TTL 180, checksum
  `);
  assert.deepEqual(raised, {});
  assert.equal(pkt.snapOui, 0x00000c);
  assert.equal(pkt.snapPid, 0x2000);
  assert.equal(pkt.l2PayloadOff, 22);
  assert.equal(h.decoder.counters.l2.get('cdp'), 1);
});

test('LLC + SNAP with OUI 0 continues with the EtherType (RFC 1042)', () => {
  const { pkt, raised } = decodeOnce(hex`
    00 1b 1b 01 02 03  00 0c 29 aa bb cc   # dst, src MAC
    00 24               # 802.3 length 36 = 8 LLC/SNAP + 28 IP/UDP
    aa aa 03            # LLC: SNAP, SNAP, UI
    00 00 00            # OUI 0: PID is an EtherType
    08 00               # EtherType IPv4
    45 00 00 1c  00 01 00 00  40 11 00 00   # IPv4: total 28, id 1, TTL 64, UDP
    0a 00 00 01  0a 00 00 02                # 10.0.0.1 -> 10.0.0.2
    04 00 04 01 00 08 00 00                 # UDP 1024 -> 1025, length 8, no data
  `);
  assert.deepEqual(raised, {});
  assert.equal(pkt.etherType, 0x0800);
  assert.equal(pkt.llcDsap, 0xaa);
  assert.equal(pkt.l4, IPPROTO.UDP);
  assert.equal(pkt.dstPort, 1025);
});

test('a second LLC header inside SNAP is refused (llc.nested)', () => {
  const { raised } = decodeOnce(hex`
    00 1b 1b 01 02 03  00 0c 29 aa bb cc   # dst, src MAC
    00 10               # 802.3 length 16
    aa aa 03 00 00 00   # LLC/SNAP, OUI 0
    00 08               # PID 8: a length, i.e. 802.3 again
    aa aa 03 00 00 00 00 08  # another LLC/SNAP
  `);
  assert.deepEqual(raised, { 'llc.nested': 1 });
});

test('type/length between 1501 and 1535 is eth.bad_type_length; short frames eth.truncated', () => {
  assert.deepEqual(decodeOnce(hex`ffffffffffff 000c29aabbcc  05 dd  00 00`).raised, { 'eth.bad_type_length': 1 });
  assert.deepEqual(decodeOnce(hex`ffffffffffff 000c29aabbcc  08`).raised, { 'eth.truncated': 1 });
});

test('802.3 length larger than the frame: eth.length_exceeds_frame unless the capture cut it', () => {
  const frame = hex`
    00 1b 1b 01 02 03  00 0c 29 aa bb cc   # dst, src MAC
    00 40               # 802.3 length 64
    42 42 03 00 00      # LLC STP + 2 bytes
  `;
  assert.deepEqual(decodeOnce(frame).raised, { 'eth.length_exceeds_frame': 1 });
  const cut = decodeOnce(frame, { origLen: 78 });
  assert.deepEqual(cut.raised, {});
  assert.equal(cut.pkt.payloadCut, true);
  assert.equal(cut.h.decoder.counters.payloadCut, 1);
});

test('Novell raw 802.3 (IPX) is counted as ipx', () => {
  const { raised, h } = decodeOnce(hex`
    ff ff ff ff ff ff  00 0c 29 aa bb cc   # dst, src MAC
    00 04               # 802.3 length 4
    ff ff 00 04         # IPX checksum 0xffff, length
  `);
  assert.deepEqual(raised, {});
  assert.equal(h.decoder.counters.l2.get('ipx'), 1);
});

test('HSR tag (IEC 62439-3) is stepped over to the carried EtherType', () => {
  const { pkt, raised, h } = decodeOnce(hex`
    00 1b 1b 01 02 03  00 0c 29 aa bb cc   # dst, src MAC
    89 2f               # EtherType HSR
    10 2e               # path 1, LSDU size 46
    00 07               # sequence number 7
    88 ba               # carried EtherType: Sampled Values
    40 00 00 08 00 00 00 00   # SV APPID 0x4000, length 8
  `);
  assert.deepEqual(raised, {});
  assert.equal(pkt.etherType, 0x88ba);
  assert.equal(pkt.l2PayloadOff, 20);
  assert.equal(h.decoder.counters.l2.get('hsr'), 1);
  assert.equal(h.decoder.counters.l2.get('sampled_values'), 1);
});

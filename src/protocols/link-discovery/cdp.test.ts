// Annotated-hex tests of the CDP parser: a Cisco switch CDPv2 PDU, malformed and capped PDUs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnomalyCounter } from '../../common/anomaly.js';
import { hex } from '../../common/hex.js';
import { parseCdp } from './cdp.js';

const MAC = '00:1e:f7:aa:bb:cc';
const parse = (b: Uint8Array, a = new AnomalyCounter()) => parseCdp(b, 0, b.length, MAC, a);

test('Cisco switch CDPv2', () => {
  const a = new AnomalyCounter();
  const r = parse(
    hex`
      02  b4  12 34                          # version 2, TTL 180, checksum (not verified)
      00 01  00 0c  73 77 31 2e 6c 61 62 2e  # device id "sw1.lab." (8 bytes)
      00 05  00 16  43 69 73 63 6f 20 49 4f 53 0a 31 35 2e 30 28 32 29 00   # software "Cisco IOS", LF, "15.0(2)", NUL
      00 06  00 1a  63 69 73 63 6f 20 57 53 2d 43 32 39 36 30 2d 32 34 54 54 2d 4c  00   # platform "cisco WS-C2960-24TT-L"
      00 02  00 11  00 00 00 01  01 01 cc  00 04  0a 00 00 02   # addresses: 1, NLPID IP 10.0.0.2
      00 03  00 16  46 61 73 74 45 74 68 65 72 6e 65 74 30 2f 31 2f 31 30  # port id "FastEthernet0/1/10" (18 bytes)
      00 04  00 08  00 00 00 28              # capabilities: switch, igmp
      00 0a  00 06  00 64                    # native VLAN 100
      00 16  00 2d  00 00 00 02              # management addresses: 2
        01 01 cc  00 04  0a 00 00 02         #   NLPID IP 10.0.0.2 (duplicate, dropped)
        02 08 aa aa 03 00 00 00 86 dd  00 10 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01   # 802.2 IPv6 2001:db8::1
      00 0b  00 05  01                       # duplex full (skipped)
    `,
    a,
  );
  assert.deepEqual(r, {
    protocol: 'cdp',
    sender_mac: MAC,
    ttl: 180,
    chassis_id: 'sw1.lab.',
    chassis_id_subtype: 'device_id',
    system_name: 'sw1.lab.',
    software_version: 'Cisco IOS 15.0(2)',
    platform: 'cisco WS-C2960-24TT-L',
    port_id: 'FastEthernet0/1/10',
    capabilities: ['switch', 'igmp'],
    enabled_capabilities: ['switch', 'igmp'],
    native_vlan: 100,
    management_addresses: ['10.0.0.2', '2001:db8::1'],
  });
  assert.equal(a.total, 0);
});

test('bad header, bad version', () => {
  const a = new AnomalyCounter();
  assert.equal(parse(hex`02 b4`, a), null);
  assert.equal(parse(hex`07 b4 00 00  00 01 00 05 41`, a), null);
  assert.equal(a.get('link_discovery.bad_header'), 2);
});

test('TLV length below 4, truncated TLV, bad address list, missing device id', () => {
  const a = new AnomalyCounter();
  const r = parse(
    hex`
      01 3c 00 00              # version 1, TTL 60
      00 02  00 0b  00 00 00 05  01 01 cc   # addresses: count 5 but one cut entry
      00 0a  00 05  01          # native VLAN of 1 byte
      00 03  00 02              # length 2 < header
    `,
    a,
  );
  assert.equal(r?.ttl, 60);
  assert.equal(r?.chassis_id, undefined);
  assert.equal(a.get('link_discovery.bad_length'), 3);
  assert.equal(a.get('link_discovery.missing_mandatory_tlv'), 1);
  const b = new AnomalyCounter();
  parse(hex`02 b4 00 00  00 01 00 20 41 41`, b);
  assert.equal(b.get('link_discovery.truncated_tlv'), 1);
});

test('strings above 512 characters are cut and counted', () => {
  const a = new AnomalyCounter();
  const b = new Uint8Array(4 + 4 + 600);
  b.set(hex`02 b4 00 00  00 01 02 5c  # device id of 600 bytes`);
  b.fill(0x41, 8);
  assert.equal(parse(b, a)?.chassis_id?.length, 512);
  assert.equal(a.get('link_discovery.string_too_long'), 1);
});

test('never throws on random bytes', () => {
  let seed = 11;
  const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
  for (let n = 0; n < 2000; n++) {
    const b = new Uint8Array(4 + (rnd() % 96));
    for (let i = 0; i < b.length; i++) b[i] = rnd();
    b[0] = 2;
    parseCdp(b, 0, b.length, MAC, new AnomalyCounter());
  }
});

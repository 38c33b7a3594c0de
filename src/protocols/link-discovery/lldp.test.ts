// Annotated-hex tests of the LLDP parser: a switch port, a PROFINET device, malformed and capped PDUs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnomalyCounter } from '../../common/anomaly.js';
import { hex } from '../../common/hex.js';
import { parseLldp } from './lldp.js';

const MAC = '00:11:22:33:44:55';
const parse = (b: Uint8Array, a = new AnomalyCounter()) => parseLldp(b, 0, b.length, MAC, a);

test('typical switch LLDPDU', () => {
  const a = new AnomalyCounter();
  const r = parse(
    hex`
      02 07  04  00 1b 21 aa bb cc          # chassis id, subtype 4 MAC
      04 06  05  47 69 31 2f 37             # port id, subtype 5 interface name "Gi1/7"
      06 02  00 78                          # TTL 120
      08 0b  47 69 67 61 62 69 74 20 31 2f 37   # port description "Gigabit 1/7"
      0a 05  73 77 2d 30 31                 # system name "sw-01"
      0c 0d  53 77 69 74 63 68 4f 53 0a 76 31 2e 32  # system description "SwitchOS", LF, "v1.2"
      0e 04  00 14  00 04                   # capabilities bridge+router, enabled: bridge
      10 0c  05  01 0a 00 00 01  02 00 00 00 01  00   # mgmt address: len 5, IPv4 10.0.0.1, ifIndex 1, no OID
      fe 06  00 80 c2  01  00 0a            # 802.1 org-specific: port VLAN 10 (skipped)
      00 00                                 # end
    `,
    a,
  );
  assert.deepEqual(r, {
    protocol: 'lldp',
    sender_mac: MAC,
    chassis_id: '00:1b:21:aa:bb:cc',
    chassis_id_subtype: 'mac_address',
    port_id: 'Gi1/7',
    ttl: 120,
    port_description: 'Gigabit 1/7',
    system_name: 'sw-01',
    system_description: 'SwitchOS v1.2',
    capabilities: ['bridge', 'router'],
    enabled_capabilities: ['bridge'],
    management_addresses: ['10.0.0.1'],
  });
  assert.equal(a.total, 0);
});

test('PROFINET device LLDPDU: locally assigned ids, PROFINET and 802.3 org-specific TLVs', () => {
  const a = new AnomalyCounter();
  const r = parse(
    hex`
      02 07  07  70 6c 63 2d 31 30        # chassis id, subtype 7 local "plc-10" (NameOfStation)
      04 10  07  70 6f 72 74 2d 30 30 31 2e 70 6c 63 2d 31 30   # port id "port-001.plc-10"
      06 02  00 14                        # TTL 20
      fe 08  00 0e cf  02  00 00 00 00    # PROFINET (OUI 00-0E-CF) port status
      fe 0c  00 0e cf  05  00 00 00 00 00 00 00 00   # PROFINET MRP port status
      fe 09  00 12 0f  01  03 6c 00 00 10 # 802.3 MAC/PHY config
      10 0e  05  01 c0 a8 00 0a  02 00 00 00 01  02 2b 06   # mgmt address 192.168.0.10, OID 2 bytes
      00 00
    `,
    a,
  );
  assert.equal(r?.chassis_id, 'plc-10');
  assert.equal(r?.chassis_id_subtype, 'local');
  assert.equal(r?.port_id, 'port-001.plc-10');
  assert.equal(r?.ttl, 20);
  assert.deepEqual(r?.management_addresses, ['192.168.0.10']);
  assert.equal(a.total, 0);
});

test('network-address chassis id and IPv6 management address', () => {
  const r = parse(hex`
    02 06  05  01 0a 01 02 03            # chassis id, network address IPv4 10.1.2.3
    04 07  03  00 1b 21 00 00 01         # port id, MAC
    06 02  00 3c
    10 18  11  02 fe 80 00 00 00 00 00 00 00 00 00 00 00 00 00 01  02 00 00 00 02  00   # IPv6 fe80::1
    00 00
  `);
  assert.equal(r?.chassis_id, '10.1.2.3');
  assert.equal(r?.chassis_id_subtype, 'network_address');
  assert.equal(r?.port_id, '00:1b:21:00:00:01');
  assert.deepEqual(r?.management_addresses, ['fe80::1']);
});

test('missing mandatory TLVs, bad TTL length, truncated TLV', () => {
  const a = new AnomalyCounter();
  const r = parse(
    hex`
      0a 03  61 62 63      # system name first: chassis/port/TTL missing
      06 01  00            # TTL of 1 byte
      0c 10  41 42         # system description claims 16 bytes, 2 left
    `,
    a,
  );
  assert.equal(r?.system_name, 'abc');
  assert.equal(r?.ttl, undefined);
  assert.equal(a.get('link_discovery.missing_mandatory_tlv'), 1);
  assert.equal(a.get('link_discovery.bad_length'), 1);
  assert.equal(a.get('link_discovery.truncated_tlv'), 1);
});

test('nothing readable gives null', () => {
  const a = new AnomalyCounter();
  assert.equal(parse(hex`02`, a), null);
  assert.equal(a.get('link_discovery.truncated_tlv'), 1);
  assert.equal(parse(new Uint8Array(0)), null);
});

test('caps: 64 TLVs; control characters replaced; the longest LLDP string (511 bytes) is not cut', () => {
  const a = new AnomalyCounter();
  const many = new Uint8Array(70 * 2);
  for (let i = 0; i < 70; i++) many[i * 2] = 0x0a; // empty system-name TLVs
  parse(many, a);
  assert.equal(a.get('link_discovery.too_many_tlvs'), 1);
  const long = new Uint8Array(2 + 511);
  long[0] = (6 << 1) | 1; // system description, length 0x1ff
  long[1] = 0xff;
  long.fill(0x41, 2);
  long[2] = 0x07; // BEL
  const r = parse(long, a);
  assert.equal(r?.system_description?.length, 511);
  assert.equal(r?.system_description?.[0], '\uFFFD');
  assert.equal(a.get('link_discovery.string_too_long'), 0);
});

test('never throws on random bytes', () => {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
  for (let n = 0; n < 2000; n++) {
    const b = new Uint8Array(rnd() % 96);
    for (let i = 0; i < b.length; i++) b[i] = rnd();
    parseLldp(b, 0, b.length, MAC, new AnomalyCounter());
    parseLldp(b, 3, b.length + 10, MAC, new AnomalyCounter());
  }
});

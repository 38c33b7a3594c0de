import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AssetTable, GATEWAY_MAC_MIN_IPS } from './assets.js';

const ROUTER = '00:00:5e:00:01:01';
const PLC = '00:0e:8c:d0:f9:cb';

test('a router MAC fronting many IPs does not merge them, and is recognised as a gateway', () => {
  const t = new AssetTable();
  for (let i = 1; i <= 10; i++) t.observeFrameSource(ROUTER, `203.0.113.${i}`, i, 0);
  assert.equal(t.size, 10);
  assert.equal(new Set([...t.byIp.values()]).size, 10);
  assert.ok(t.ipsBehindMac(ROUTER) >= GATEWAY_MAC_MIN_IPS);
});

test('a DHCP renumbering keeps one asset with both addresses', () => {
  const t = new AssetTable();
  t.claim(PLC, '10.0.0.5', 1, 'dhcp');
  t.observeFrameSource(PLC, '10.0.0.5', 2, 0);
  // Traffic from the new address arrives before its ARP: a separate asset at first...
  t.observeFrameSource(PLC, '10.0.0.9', 100, 0);
  assert.equal(t.size, 2);
  // ...joined when the MAC claims the address.
  const a = t.claim(PLC, '10.0.0.9', 101, 'arp');
  assert.equal(t.size, 1);
  assert.deepEqual([...a.ips.keys()].sort(), ['10.0.0.5', '10.0.0.9']);
  assert.deepEqual(a.aliases, ['ip:10.0.0.9']);
  assert.equal(t.byIp.get('10.0.0.9'), a);
  assert.equal(t.counters.merged, 1);
});

test('a second MAC claiming an owned IP is kept beside the first, not merged (conflict counted)', () => {
  const t = new AssetTable();
  const a = t.claim(PLC, '10.0.0.5', 1, 'arp');
  const b = t.claim('02:00:00:00:00:66', '10.0.0.5', 2, 'arp');
  assert.equal(a, b);
  assert.equal(t.size, 1);
  assert.deepEqual([...a.macs.keys()], [PLC, '02:00:00:00:00:66']);
  assert.equal(t.counters.bindingConflicts, 1);
});

test('group and unspecified addresses make no asset', () => {
  const t = new AssetTable();
  for (const ip of ['255.255.255.255', '224.0.0.251', '0.0.0.0', 'ff02::1', '::', '10.1.2.255']) assert.equal(t.ofIp(ip, 1), null, ip);
  assert.equal(t.size, 0);
});

test('conflicting property values are kept side by side; best is most confident, then most seen', () => {
  const t = new AssetTable();
  const a = t.ofIp('10.0.0.5', 1)!;
  const ev = (ts: number) => ({ protocol: 's7comm', source: 'szl', flow: 1, ts });
  a.addValue('identity.firmware', 'V3.2.6', 0.9, ev(1));
  a.addValue('identity.firmware', 'V3.2.7', 0.9, ev(2));
  a.addValue('identity.firmware', 'V3.2.7', 0.9, ev(3));
  a.addValue('identity.firmware', 'V9', 0.5, ev(4));
  assert.equal(a.values('identity.firmware').length, 3);
  assert.equal(a.best('identity.firmware')!.value, 'V3.2.7');
  assert.equal(a.best('identity.firmware')!.count, 2);
});

test('the asset cap evicts the least recently seen tenth, counted', () => {
  const t = new AssetTable(100);
  for (let i = 0; i < 250; i++) t.ofIp(`10.0.${i >> 8}.${(i & 255) + 1}`, i);
  assert.ok(t.size <= 100);
  assert.ok(t.counters.evicted >= 150);
  assert.ok(t.byIp.has('10.0.0.250'));
  assert.ok(!t.byIp.has('10.0.0.1'));
});

test('evidence survives merges: counts add up', () => {
  const t = new AssetTable();
  const ip = t.ofIp('10.0.0.7', 1)!;
  ip.addValue('names.dns', 'plc7', 0.7, { protocol: 'dns', source: 'dns_answer', flow: 3, ts: 1 });
  ip.addValue('names.dns', 'plc7', 0.7, { protocol: 'dns', source: 'dns_answer', flow: 4, ts: 5 });
  const m = t.claim(PLC, null, 2, 'lldp');
  m.addValue('names.dns', 'plc7', 0.7, { protocol: 'dns', source: 'dns_answer', flow: 9, ts: 9 });
  const merged = t.claim(PLC, '10.0.0.7', 10, 'arp');
  const v = merged.values('names.dns');
  assert.equal(v.length, 1);
  assert.equal(v[0].count, 3);
  assert.equal(v[0].firstEvidence.ts, 1);
  assert.equal(v[0].latest.ts, 9);
});

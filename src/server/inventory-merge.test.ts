// Merging one device's or one edge's records from two pipelines: symmetric, counts added, sets united.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeAsset, makeConnection } from '../store/testkit.js';
import { mergeAssetRecords, mergeConnectionRecords } from './inventory-merge.js';
import type { AssetRecord } from '../inventory/snapshot.js';

const ev = (value: string, count: number, first: number, last: number) => ({ property: 'identity.firmware', value, confidence: 0.9, protocol: 's7comm', source: 'szl', flow: 1, first_seen: first, last_seen: last, count });

test('an edge both pipelines saw: flows, packets, bytes and operations add up; times span both', () => {
  const files = makeConnection(7, { flows: 2, packets: 20, bytes: 2000, packets_to_server: 10, packets_to_client: 10, bytes_to_server: 1000, bytes_to_client: 1000, first_seen: 100, last_seen: 200 });
  const live = makeConnection(7, { flows: 1, packets: 4, bytes: 300, packets_to_server: 2, packets_to_client: 2, bytes_to_server: 150, bytes_to_client: 150, first_seen: 5000, last_seen: 6000 });
  const m = mergeConnectionRecords([files, live]);
  assert.equal(m.flows, 3);
  assert.equal(m.packets, 24);
  assert.equal(m.bytes_to_server, 1150);
  assert.equal(m.first_seen, 100);
  assert.equal(m.last_seen, 6000);
  assert.equal(m.operations.length, 1);
  assert.equal(m.operations[0].count, 20);
  assert.deepEqual(Object.values(m.access), [20]);
  assert.deepEqual(mergeConnectionRecords([live, files]), m);
});

test('a device both pipelines saw: addresses and evidence united, the surer role kept, the same whichever writes', () => {
  const files: AssetRecord = makeAsset(3, {
    ips: ['10.0.1.3'],
    macs: ['02:00:00:00:01:03'],
    role: 'controller',
    roles: [{ role: 'controller', confidence: 0.9, reasons: ['serves s7comm'] }],
    identity: { vendor: 'Siemens', firmware: 'V2.1' },
    evidence: [ev('V2.1', 5, 100, 200)],
    first_seen: 100,
    last_seen: 200,
  } as Partial<AssetRecord>);
  const live: AssetRecord = makeAsset(3, {
    ips: ['10.0.1.3', '10.0.9.3'],
    macs: ['02:00:00:00:01:03'],
    role: 'unknown',
    roles: [{ role: 'unknown', confidence: 0.1, reasons: [] }],
    identity: { firmware: 'V2.2' },
    evidence: [ev('V2.1', 1, 5000, 5000), ev('V2.2', 2, 5100, 5200)],
    first_seen: 5000,
    last_seen: 6000,
  } as Partial<AssetRecord>);
  const m = mergeAssetRecords([files, live]);
  assert.deepEqual(m.ips, ['10.0.1.3', '10.0.9.3']);
  assert.deepEqual(m.macs, ['02:00:00:00:01:03']);
  assert.equal(m.role, 'controller');
  assert.equal(m.first_seen, 100);
  assert.equal(m.last_seen, 6000);
  // The most recent record's value leads; the older one's fills in; both firmware values are shown as a conflict.
  assert.deepEqual(m.identity, { vendor: 'Siemens', firmware: 'V2.2' });
  assert.deepEqual(
    m.identity_conflicts.firmware.map((c) => c.value),
    ['V2.2', 'V2.1'],
  );
  const v21 = m.evidence.find((e) => e.value === 'V2.1')!;
  assert.equal(v21.count, 6);
  assert.equal(v21.first_seen, 100);
  assert.equal(v21.last_seen, 5000);
  assert.deepEqual(mergeAssetRecords([live, files]), m);
  assert.equal(mergeAssetRecords([files]), files);
});

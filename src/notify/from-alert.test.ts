import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toStoreAlert, type DetectedAlert } from '../detect/alerts.js';
import { alertUrl, fromDetectedAlert, fromStoreAlert } from './from-alert.js';

const DETECTED: DetectedAlert = {
  id: 'al_4f2a9c1d0e8b7a65',
  detection: 's7.program_download',
  title: 'S7 program download to PLC-1',
  kind: 'behavior',
  severity: 'critical',
  confidence: 0.9,
  techniques: ['T0843'],
  tactics: ['Lateral Movement'],
  src: { ip: '10.0.0.5', asset: null },
  dst: { ip: '10.0.0.10', asset: 'ip:10.0.0.10' },
  protocol: 's7comm',
  first_seen: 1714564800,
  last_seen: 1714564860.5,
  count: 3,
  evidence: [],
  evidence_dropped: 0,
  facts: { block: 'OB1' },
};

test("the detection's record and the store's give the same notification", () => {
  const a = fromDetectedAlert(DETECTED, 92, 'new', 'https://lantern.example/');
  assert.deepEqual(fromStoreAlert(toStoreAlert(DETECTED), 92, 'https://lantern.example'), a);
  assert.equal(a.url, 'https://lantern.example/alerts/al_4f2a9c1d0e8b7a65');
  assert.equal(a.score, 92);
  assert.equal('evidence' in a, false);
  assert.equal(fromDetectedAlert(DETECTED, 10).url, undefined);
});

test('a store record with odd details still gives a notification', () => {
  const stored = { ...toStoreAlert(DETECTED), details: { src: 'nonsense', techniques: [1, 'T0800'] } };
  const a = fromStoreAlert(stored, 5);
  assert.deepEqual([a.src, a.techniques, a.kind, a.confidence, a.protocol], [null, ['T0800'], 'behavior', 0, null]);
  assert.equal(alertUrl('', 'x'), undefined);
});

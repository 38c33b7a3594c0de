import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readCaptureFile } from '../capture/open-capture.js';
import { Pipeline } from './pipeline.js';
import type { AssetContext, Detection } from '../detect/types.js';

// Asks for the asset context of every transaction's hosts, as a rule over asset context would.
function probe(seen: Map<string, AssetContext | null>): Detection {
  return {
    id: 'test.probe',
    title: 'probe',
    kind: 'behavior',
    severity: 'low',
    confidence: 1,
    techniques: [],
    playbook: { meaning: '', check: [], respond: [] },
    create: () => ({
      transaction(t, ctx) {
        seen.set(t.server.ip, ctx.asset(t.server.ip));
        seen.set(t.client.ip, ctx.asset(t.client.ip));
      },
    }),
  };
}

test('detectors see the inventory’s roles, Purdue level and criticality of the demo plant’s hosts', async () => {
  const seen = new Map<string, AssetContext | null>();
  const p = new Pipeline({ detection: { detections: [probe(seen)] } });
  await readCaptureFile(join(process.cwd(), 'demo', 'demo-plant.pcapng'), p, p.anomalies);
  p.finish();
  const plc = seen.get('10.10.1.21');
  assert.ok(plc !== null && plc !== undefined);
  assert.equal(plc.roles[0], 'controller');
  assert.equal(plc.criticality, 'high');
  assert.equal(plc.purdue, 1);
  const rtu = seen.get('10.10.1.31')!;
  assert.equal(rtu.roles[0], 'controller');
  const hmi = seen.get('10.10.1.10')!;
  assert.equal(hmi.roles[0], 'hmi_scada');
  assert.equal(p.detection!.asset('192.0.2.250'), null);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readCaptureFile } from '../../capture/open-capture.js';
import { Pipeline } from '../../pipeline/pipeline.js';
import type { DetectedAlert } from '../alerts.js';
import { Baseline, modelingDetections } from './index.js';

// Resolved from the working directory (the repository root), wherever the tests were compiled to.
const CORPUS_DIR = resolve(process.cwd(), '../shared/data/ics-corpus');
const LEMAY = join(CORPUS_DIR, 'modbus-dataset-lemay');
const CNC = join(LEMAY, 'CnC_uploading_exe_modbus_6RTU_with_operate.pcap');
const CHARACTERIZATION = join(LEMAY, 'characterization_modbus_6RTU_with_operate.pcap');
const PLANT = join(CORPUS_DIR, 'ct-samples/Protocols/S7comm/Plant1_S7comm.pcap');
const skip = ![CNC, CHARACTERIZATION, PLANT].every(existsSync) && `Lemay or Plant1 captures not found under ${CORPUS_DIR}: corpus test SKIPPED`;

async function analyse(path: string, baseline: Baseline): Promise<DetectedAlert[]> {
  const p = new Pipeline({ inventory: null, detection: { detections: modelingDetections(baseline) } });
  await readCaptureFile(path, p, p.anomalies);
  p.finish();
  assert.deepEqual(p.detection!.errorSamples, []);
  return [...p.detection!.alerts.records()];
}

test('corpus: a normal S7 plant capture learned over its first third raises nothing after it', { skip }, async () => {
  // 85 s of an HMI polling 12 S7 PLCs.
  const alerts = await analyse(PLANT, new Baseline({ learnSeconds: 28 }));
  assert.deepEqual(alerts.map((a) => a.title), []);
});

test('corpus: Lemay Modbus: the CnC upload is a new edge; a baseline learned before it flags the reconnaissance as a rogue master', { skip }, async () => {
  // The first 45 s (before the labelled attack frames 811-838, 1172-1264) are normal: master .100 polls six RTUs.
  const baseline = new Baseline({ learnSeconds: 45 });
  const cnc = await analyse(CNC, baseline);
  assert.ok(cnc.some((a) => a.detection === 'modeling.new_edge' && a.src!.ip === '192.168.1.101' && a.dst!.ip === '192.168.1.105' && a.facts.port === 4444));
  // Stored and loaded, the baseline judges the characterization capture (same testbed) from its first record: the
  // compromised RTU .101 reading every register of .104 is a new master.
  const stored = Baseline.fromJSON(JSON.parse(JSON.stringify(baseline)));
  assert.equal(stored.complete, true);
  const recon = await analyse(CHARACTERIZATION, stored);
  const rogue = recon.find((a) => a.detection === 'modeling.new_master');
  assert.ok(rogue !== undefined);
  assert.deepEqual([rogue.src!.ip, rogue.dst!.ip], ['192.168.1.101', '192.168.1.104']);
  assert.ok(rogue.count > 3000, `${rogue.count} requests`);
});

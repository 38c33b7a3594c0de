// The store's delta flush over real captures: applying each delta in turn (a flush every few hundred frames) leaves
// exactly the records a full snapshot gives at the end, and a flush with nothing new writes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Pipeline } from '../src/pipeline/pipeline.js';
import { readCaptureFile } from '../src/capture/open-capture.js';
import type { ConnectionRecord } from '../src/inventory/snapshot.js';
import { CORPUS_DIR, CORPUS_SKIP_REASON } from './support.js';

const key = (c: ConnectionRecord) => `${c.client.ip}|${c.server.ip}|${c.protocol}|${c.transport}|${c.port}`;

// Why each: routers fronting hundreds of addresses (a gateway's record counts them); TCP flows whose protocol is
// decided while open (their edge moves from `undecided`); Modbus polling across many flushes.
const CAPTURES = [
  'emreekin-ics-pcaps/DNP3/dnp3dataset_capturerem_to_cite_the_paper.pcap',
  'modbus-dataset-lemay/channel_4d_12s.pcap',
  'modbus-dataset-lemay/characterization_modbus_6RTU_with_operate.pcap',
];

for (const name of CAPTURES) {
  const path = join(CORPUS_DIR, name);
  const skip = CORPUS_SKIP_REASON || (existsSync(path) ? false : `${name} not in the corpus: SKIPPED`);
  test(`delta flushes add up to the full inventory: ${name}`, { skip, timeout: 120_000 }, async () => {
    const p = new Pipeline({});
    const assets = new Map<string, string>();
    const connections = new Map<string, string>();
    const flush = () => {
      const d = p.inventoryDelta()!;
      let n = 0;
      for (const a of d.assets()) {
        assets.set(a.id, JSON.stringify(a));
        n++;
      }
      for (const c of d.connections()) {
        connections.set(key(c), JSON.stringify(c));
        n++;
      }
      d.commit();
      return n;
    };
    const handler = {
      onFrame(f: Parameters<Pipeline['onFrame']>[0]) {
        p.onFrame(f);
        if (p.frames % 700 === 0) flush();
      },
    };
    await readCaptureFile(path, handler, p.anomalies);
    flush();
    assert.equal(flush(), 0, 'nothing new: nothing written');
    const full = p.inventorySnapshot()!;
    for (const a of full.assets()) assert.equal(assets.get(a.id), JSON.stringify(a), a.id);
    for (const c of full.connections()) assert.equal(connections.get(key(c)), JSON.stringify(c), key(c));
  });
}

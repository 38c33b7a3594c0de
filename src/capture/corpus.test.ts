// Every capture of the shared ICS corpus: readCaptureFile's frame count equals tshark's (MANIFEST.tsv `packets`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AnomalyCounter } from '../common/anomaly.js';
import { readCaptureFile } from './open-capture.js';

const CORPUS = resolve(process.cwd(), '../shared/data/ics-corpus');
const MANIFEST = join(CORPUS, 'MANIFEST.tsv');

test('corpus: frame counts match the manifest for every capture', { timeout: 600_000 }, async (t) => {
  if (!existsSync(MANIFEST)) {
    t.skip(`ICS corpus not found at ${CORPUS} (run the tests from the repository root with ../shared/data present)`);
    return;
  }
  const [header, ...rows] = readFileSync(MANIFEST, 'utf8').trimEnd().split('\n');
  const columns = header.split('\t');
  const pathCol = columns.indexOf('local_path');
  const packetsCol = columns.indexOf('packets');
  assert.ok(pathCol >= 0 && packetsCol >= 0, 'MANIFEST.tsv has local_path and packets columns');
  let checked = 0;
  let frames = 0;
  let bytes = 0;
  const failures: string[] = [];
  const anomalies = new AnomalyCounter();
  for (const row of rows) {
    const cells = row.split('\t');
    const path = cells[pathCol];
    const expected = Number(cells[packetsCol]);
    let n = 0;
    try {
      const result = await readCaptureFile(join(CORPUS, path), { onFrame: () => void n++ }, anomalies);
      if (result.frames !== expected || n !== expected) failures.push(`${path}: ${result.frames} frames, manifest says ${expected}`);
      frames += result.frames;
      bytes += result.fileBytes;
    } catch (err) {
      failures.push(`${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
    checked++;
  }
  console.log(
    `corpus: checked ${checked} captures, ${frames} frames, ${(bytes / 1e6).toFixed(1)} MB; anomalies ${JSON.stringify(anomalies.toJSON())}`,
  );
  assert.deepEqual(failures, []);
});

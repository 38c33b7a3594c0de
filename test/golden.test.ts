// Golden summaries over the project's own captures (test/testdata): every counter of every layer is pinned.
// UPDATE_GOLDEN=1 rewrites the .summary.json files; review the diff like code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCaptureFile } from '../src/capture/open-capture.js';
import { Pipeline } from '../src/pipeline/pipeline.js';
import { buildSummary } from '../src/pipeline/summary.js';
import { TESTDATA } from './support.js';

const CAPTURES = ['loopback.pcap'];
/** Fields that depend on the machine or the run, not on the capture. */
const VOLATILE = new Set(['lantern_version', 'processing_seconds', 'throughput', 'peak_rss_bytes', 'inputs']);

for (const name of CAPTURES) {
  test(`golden summary: ${name}`, async () => {
    const pipeline = new Pipeline();
    const result = await readCaptureFile(join(TESTDATA, name), pipeline, pipeline.anomalies);
    pipeline.finish();
    const summary = buildSummary(pipeline, [{ path: name, format: result.format, compressed: result.compressed, frames: result.frames, file_bytes: result.fileBytes, truncated: result.truncated }], 1, 'golden', pipeline.inventorySnapshot()?.summary ?? null);
    const stable = Object.fromEntries(Object.entries(summary).filter(([k]) => !VOLATILE.has(k)));
    const goldenPath = join(TESTDATA, name.replace(/\.[^.]+$/, '.summary.json'));
    const text = JSON.stringify(stable, null, 2) + '\n';
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(goldenPath)) {
      writeFileSync(goldenPath, text);
      if (process.env.UPDATE_GOLDEN !== '1') assert.fail(`golden file ${goldenPath} was missing and has been written: review it and run again`);
    }
    assert.deepEqual(JSON.parse(text), JSON.parse(readFileSync(goldenPath, 'utf8')));
  });
}

// The whole pipeline (read, decode, flows) over every capture of the corpus: every record counted, as tshark counts
// them, and nothing thrown inside any stage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCaptureFile } from '../src/capture/open-capture.js';
import { Pipeline } from '../src/pipeline/pipeline.js';
import { CORPUS_SKIP_REASON, readManifest } from './support.js';

test('corpus: every capture through the pipeline, frames equal tshark, no internal error', { skip: CORPUS_SKIP_REASON, timeout: 600_000 }, async (t) => {
  const rows = readManifest();
  const mismatches: string[] = [];
  const errors: string[] = [];
  let frames = 0;
  let flows = 0;
  for (const row of rows) {
    const pipeline = new Pipeline();
    try {
      const result = await readCaptureFile(row.absPath, pipeline, pipeline.anomalies);
      pipeline.finish();
      if (result.frames !== row.packets || pipeline.frames !== row.packets) {
        mismatches.push(`${row.path}: ${result.frames} frames, tshark ${row.packets}`);
      }
    } catch (err) {
      errors.push(`${row.path}: threw ${String(err)}`);
      continue;
    }
    if (pipeline.errorSamples.length > 0) errors.push(`${row.path}: ${pipeline.errorSamples[0]}`);
    frames += pipeline.frames;
    flows += pipeline.flows.counters.created;
  }
  t.diagnostic(`checked ${rows.length} corpus captures: ${frames} frames, ${flows} flows`);
  console.log(`corpus pipeline: checked ${rows.length} captures, ${frames} frames, ${flows} flows`);
  assert.deepEqual(errors, []);
  assert.deepEqual(mismatches, []);
});

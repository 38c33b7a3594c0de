// The conformance suite over every registered protocol module, seeded with the real conversations each module
// claims in the corpus captures (up to a few flows per module), plus random and mutated ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCaptureFile } from '../src/capture/open-capture.js';
import { Pipeline } from '../src/pipeline/pipeline.js';
import { checkConformance, type Conversation, type ConversationChunk } from '../src/protocols/conformance.js';
import type { ProtocolModule } from '../src/protocols/protocol.js';
import { ProtocolRegistry, defaultRegistry } from '../src/protocols/registry.js';
import { CORPUS_PRESENT, readManifest } from './support.js';

const FLOWS_PER_MODULE = 6;
const BYTES_PER_FLOW = 64 * 1024;

/** Wraps each module so the sessions it creates record what they are given. */
async function harvest(modules: readonly ProtocolModule[]): Promise<Map<string, Conversation[]>> {
  const seeds = new Map<string, Conversation[]>(modules.map((m) => [m.id, []]));
  if (!CORPUS_PRESENT) return seeds;
  const wrapped = modules.map((m): ProtocolModule => ({
    ...m,
    probe: (data, dir, transport) => (seeds.get(m.id)!.length >= FLOWS_PER_MODULE ? 'no_match' : m.probe(data, dir, transport)),
    createSession(ctx) {
      const chunks: ConversationChunk[] = [];
      let bytes = 0;
      seeds.get(m.id)!.push({ transport: ctx.flow.transport, chunks });
      return {
        onData(dir, data) {
          if (bytes < BYTES_PER_FLOW) chunks.push({ dir, data: data.slice() });
          bytes += data.length;
        },
        onGap() {},
        onEnd() {},
      };
    },
  }));
  const registry = new ProtocolRegistry(wrapped);
  for (const row of readManifest()) {
    const pipeline = new Pipeline({ registry });
    await readCaptureFile(row.absPath, pipeline, pipeline.anomalies);
    pipeline.finish();
  }
  return seeds;
}

test('every registered protocol module passes the conformance suite', { timeout: 600_000 }, async (t) => {
  const modules = defaultRegistry.modules;
  if (modules.length === 0) {
    t.diagnostic('no protocol modules registered yet');
    return;
  }
  if (!CORPUS_PRESENT) t.diagnostic('corpus absent: modules checked on random and mutated input only');
  const seeds = await harvest(modules);
  const problems: string[] = [];
  for (const m of modules) {
    const own = seeds.get(m.id) ?? [];
    t.diagnostic(`${m.id}: ${own.length} real conversations as seeds`);
    problems.push(...checkConformance(m, own));
  }
  assert.deepEqual(problems, []);
});

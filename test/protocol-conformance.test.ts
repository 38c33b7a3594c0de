// The conformance suite over every registered protocol module, seeded with the real conversations each module
// claims in the corpus captures (up to a few flows per module), plus random and mutated ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harvestConversations } from '../src/pipeline/harvest.js';
import { checkConformance, type Conversation } from '../src/protocols/conformance.js';
import { defaultRegistry } from '../src/protocols/registry.js';
import { CORPUS_PRESENT, readManifest } from './support.js';

test('every registered protocol module passes the conformance suite', { timeout: 600_000 }, async (t) => {
  const modules = defaultRegistry.modules;
  if (modules.length === 0) {
    t.diagnostic('no protocol modules registered yet');
    return;
  }
  if (!CORPUS_PRESENT) t.diagnostic('corpus absent: modules checked on random and mutated input only');
  const seeds = CORPUS_PRESENT
    ? await harvestConversations(modules, readManifest().map((r) => r.absPath), { flowsPerModule: 6, bytesPerFlow: 64 * 1024 })
    : new Map<string, Conversation[]>();
  const problems: string[] = [];
  for (const m of modules) {
    const own = seeds.get(m.id) ?? [];
    t.diagnostic(`${m.id}: ${own.length} real conversations as seeds`);
    problems.push(...checkConformance(m, own));
  }
  assert.deepEqual(problems, []);
});

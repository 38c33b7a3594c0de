// The differential suite: the seven industrial protocols against tshark over every corpus capture that carries them,
// the further reference checks the adapters declare (Zeek baselines...), and docs/protocols/conformance.md in step.
// UPDATE_GOLDEN=1 rewrites the doc's generated block; review its diff like code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support.js';
import { ADAPTERS } from './adapters.js';
import { NO_CORPUS, SKIP, TSHARK_VERSION, blockTsharkVersion, codeAgreement, messageAgreement, renderBlock, replaceBlock, runDifferential, type ProtocolFigures } from './harness.js';

const DOC = join(REPO_ROOT, 'docs', 'protocols', 'conformance.md');
const MIN_AGREEMENT = 0.99;

let figures: Promise<ProtocolFigures[]> | undefined;
const results = () => (figures ??= runDifferential(ADAPTERS, 2));

test('differential: industrial protocols against tshark on the corpus', { skip: SKIP, timeout: 1_200_000 }, async (t) => {
  const started = Date.now();
  const all = await results();
  t.diagnostic(`differential: ${((Date.now() - started) / 1000).toFixed(1)} s for ${ADAPTERS.length} protocols`);
  for (const f of all) {
    await t.test(f.title, (st) => {
      const dirs = f.directions.map((d) => `${d.direction} ${d.lantern}/${d.tshark}`).join(', ');
      st.diagnostic(`${f.id}: ${f.captures} captures (${f.excluded.length} excluded), codes ${f.matched}/${Math.max(f.lantern, f.tshark)} = ${codeAgreement(f).toFixed(4)}; messages ${dirs}; ${f.explained.length + f.explainedCaptures.length} explained, ${f.unexplained.length} unexplained`);
      assert.ok(f.captures > 0, 'no corpus capture carries the protocol');
      assert.deepEqual(f.problems, []);
      assert.deepEqual(f.unexplained.map((d) => `${d.capture}: ${d.key}: lantern ${d.lantern}, tshark ${d.tshark}`), []);
      assert.ok(codeAgreement(f) >= MIN_AGREEMENT, `code-multiset agreement ${codeAgreement(f)}`);
      for (const d of f.directions) assert.ok(messageAgreement(d) >= MIN_AGREEMENT, `${d.direction}: message-count agreement ${messageAgreement(d)}`);
    });
  }
});

test('docs/protocols/conformance.md is in step with the differential figures', { skip: SKIP, timeout: 1_200_000 }, async () => {
  const block = renderBlock(ADAPTERS, await results(), TSHARK_VERSION!);
  const doc = readFileSync(DOC, 'utf8');
  if (process.env.UPDATE_GOLDEN === '1') {
    writeFileSync(DOC, replaceBlock(doc, block));
    return;
  }
  const documented = blockTsharkVersion(doc);
  if (documented !== TSHARK_VERSION) {
    assert.fail(`docs/protocols/conformance.md was generated with ${documented ?? 'no tshark'}, this machine has ${TSHARK_VERSION}: the figures may differ; run UPDATE_GOLDEN=1 npm test and review the diff`);
  }
  assert.equal(replaceBlock(doc, block), doc, 'run UPDATE_GOLDEN=1 npm test and review docs/protocols/conformance.md');
});

for (const a of ADAPTERS) {
  for (const x of a.extras ?? []) test(`${a.title}: ${x.name}`, { skip: NO_CORPUS, timeout: 300_000 }, () => x.run());
}

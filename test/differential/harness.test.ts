// Unit tests of the differential harness: agreement figures and the generated block of docs/protocols/conformance.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DOC_BEGIN, DOC_END, blockTsharkVersion, codeAgreement, messageAgreement, renderBlock, replaceBlock, type Adapter, type ProtocolFigures } from './harness.js';

const adapter: Adapter = {
  id: 'demo',
  title: 'Demo',
  manifest: /demo\(/,
  keys: '`q<code>` and `r<code>`.',
  lantern: () => ({ keys: () => ({}) }),
  tshark: { args: [], reduce: () => ({}) },
  direction: (k) => (k.startsWith('q') ? 'request' : 'response'),
  explained: { 'a.pcap': { r1: 'late segment' } },
};

const figures: ProtocolFigures = {
  id: 'demo',
  title: 'Demo',
  captures: 2,
  excluded: [{ capture: 'big.pcap', reason: 'too big' }],
  matched: 99,
  lantern: 100,
  tshark: 99,
  directions: [
    { direction: 'request', lantern: 50, tshark: 50 },
    { direction: 'response', lantern: 50, tshark: 49 },
  ],
  explained: [{ capture: 'a.pcap', key: 'r1', lantern: 3, tshark: 2, reason: 'late segment' }],
  unexplained: [],
  explainedCaptures: [],
  problems: [],
};

test('agreements: matched over the larger total, and the smaller over the larger count per direction', () => {
  assert.equal(codeAgreement(figures), 0.99);
  assert.equal(messageAgreement(figures.directions[0]), 1);
  assert.equal(messageAgreement(figures.directions[1]), 0.98);
  assert.equal(messageAgreement({ direction: 'none', lantern: 0, tshark: 0 }), 1);
});

test('the generated block names the tshark version, the figures and each explanation with its counts', () => {
  const block = renderBlock([adapter], [figures], 'TShark (Wireshark) 9.9.9.');
  assert.ok(block.startsWith(DOC_BEGIN) && block.endsWith(DOC_END));
  assert.equal(blockTsharkVersion(block), 'TShark (Wireshark) 9.9.9.');
  assert.match(block, /\| Demo \| 2 \(1\) \| 100 \| 99 \| 99 \| 99\.00 % \| 1 \| 0 \|/);
  assert.match(block, /\| Demo \| response \| 50 \| 49 \| 98\.00 % \|/);
  assert.match(block, /- late segment\n {2}- `a\.pcap` r1: Lantern 3, tshark 2/);
  assert.match(block, /- `big\.pcap`: too big/);
});

test('replaceBlock swaps the generated block and keeps the prose, or appends it', () => {
  const doc = `# Title\n\nProse.\n\n${DOC_BEGIN}\nold\n${DOC_END}\n\nAfter.\n`;
  assert.equal(replaceBlock(doc, `${DOC_BEGIN}\nnew\n${DOC_END}`), `# Title\n\nProse.\n\n${DOC_BEGIN}\nnew\n${DOC_END}\n\nAfter.\n`);
  assert.equal(replaceBlock('# Title\n', `${DOC_BEGIN}\nnew\n${DOC_END}`), `# Title\n\n${DOC_BEGIN}\nnew\n${DOC_END}\n`);
  assert.equal(blockTsharkVersion('# no block'), undefined);
});

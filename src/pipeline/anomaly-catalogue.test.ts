import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ALL_ANOMALIES, renderAnomalyDocs } from './anomaly-catalogue.js';

const DOC = resolve(new URL('../../../docs/anomalies.md', import.meta.url).pathname);

test('every anomaly code is declared once and named <layer>.<snake_case>', () => {
  const seen = new Set<string>();
  for (const d of ALL_ANOMALIES) {
    assert.match(d.code, /^[a-z0-9_]+\.[a-z0-9_]+$/, d.code);
    assert.ok(!seen.has(d.code), `declared twice: ${d.code}`);
    seen.add(d.code);
    assert.ok(d.description.length > 10, `${d.code} needs a description`);
  }
  assert.ok(seen.has('tcp.gap'));
  assert.ok(seen.has('pcapng.bad_block_length'));
  assert.ok(seen.has('ipv4.bad_header_length'));
});

test('docs/anomalies.md is in step with the catalogues', () => {
  const text = renderAnomalyDocs();
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(DOC)) writeFileSync(DOC, text);
  assert.equal(readFileSync(DOC, 'utf8'), text, 'run UPDATE_GOLDEN=1 npm test and review docs/anomalies.md');
});

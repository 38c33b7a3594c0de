import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePlainList } from './plain-list.js';
import { observableText } from './indicator.js';
import { parseIntel } from './intel-file.js';
import { IntelFormatError } from './stix-bundle.js';
import { SAMPLE_BUNDLE } from './testdata.js';

const LIST = [
  '# feed: example-ot-intel, made up for this test', //  1
  '203.0.113.7,Remote access trojan C2', //              2
  '198.51.100.0/24  # scanning range', //                3
  'evil-updates.example-bad.net', //                     4
  'hxxp://files.example-bad[.]net/stage2.bin', //        5
  '0cc175b9c0f1b6a831c399e269772661,dropper', //         6
  '', //                                                 7
  '2001:db8:bad::/48', //                                8
  'not a value', //                                      9
  '999.1.1.1', //                                       10
  '10.0.0.0/40', //                                     11
  'localhost', //                                       12
  '203.0.113.7', //                                     13 duplicate
].join('\r\n');

test('plain list: one indicator per value, context after a comma, comments, defanged values', () => {
  const r = parsePlainList(LIST, 'example-ot-intel');
  assert.deepEqual(
    r.indicators.map((i) => `${i.observables[0].kind} ${observableText(i.observables[0])}`),
    ['ipv4 203.0.113.7', 'cidr4 198.51.100.0/24', 'domain evil-updates.example-bad.net', 'url files.example-bad.net/stage2.bin', 'hash 0cc175b9c0f1b6a831c399e269772661', 'cidr6 2001:db8:bad::/48'],
  );
  const c2 = r.indicators[0];
  assert.equal(c2.id, 'example-ot-intel:203.0.113.7');
  assert.equal(c2.source, 'example-ot-intel');
  assert.equal(c2.description, 'Remote access trojan C2');
  assert.equal(r.indicators[1].description, undefined, 'a comment is not context');
});

test('plain list: unparseable lines are reported with their line numbers', () => {
  const r = parsePlainList(LIST, 'example-ot-intel');
  assert.deepEqual(r.bad.map((b) => b.line), [9, 10, 11, 12]);
  assert.equal(r.badCount, 4);
  assert.match(r.bad[0].reason, /not an IP address, CIDR range, domain, URL/);
  assert.match(r.bad[2].reason, /bad prefix length/);
  assert.equal(r.skippedLines, 0);
  const many = parsePlainList(Array.from({ length: 500 }, () => 'junk junk').join('\n'), 'x');
  assert.equal(many.badCount, 500);
  assert.equal(many.bad.length, 100, 'the report is capped, the count is not');
  assert.equal(parsePlainList(`${'a'.repeat(10_000)}.com`, 'x').badCount, 1, 'overlong line');
});

test('parseIntel: a bundle or a list, told apart by the text', () => {
  const stix = parseIntel(`  ${JSON.stringify(SAMPLE_BUNDLE)}`, 'isac', { now: Date.parse('2026-06-01T00:00:00Z') });
  assert.equal(stix.format, 'stix');
  assert.equal(stix.indicators.length, 4);
  assert.equal(stix.unsupported.length, 4);
  const list = parseIntel(LIST, 'site');
  assert.equal(list.format, 'list');
  assert.equal(list.indicators.length, 6);
  assert.equal(list.badCount, 4);
  assert.throws(() => parseIntel('{"type": "bundle"', 'broken.json'), IntelFormatError);
});

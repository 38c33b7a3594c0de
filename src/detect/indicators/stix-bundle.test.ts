import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IntelFormatError, parseStixBundle } from './stix-bundle.js';
import { SAMPLE_BUNDLE } from './testdata.js';

const NOW = Date.parse('2026-06-01T00:00:00Z');

test('STIX bundle: supported indicators with their context', () => {
  const r = parseStixBundle(SAMPLE_BUNDLE, 'example-isac', { now: NOW });
  assert.deepEqual(r.indicators.map((i) => i.id.slice(-2)), ['01', '02', '03', '04']);
  const c2 = r.indicators[0];
  assert.equal(c2.source, 'example-isac');
  assert.equal(c2.name, 'Remote access trojan C2');
  assert.deepEqual(c2.labels, ['malicious-activity', 'c2']);
  assert.equal(c2.confidence, 85);
  assert.equal(c2.created_by, 'Example OT ISAC', 'created_by_ref resolved to the identity name');
  assert.equal(c2.valid_until, '2027-01-01T00:00:00Z');
  assert.deepEqual(c2.kill_chain_phases, [{ kill_chain_name: 'mitre-ics-attack', phase_name: 'command-and-control' }]);
  assert.deepEqual(c2.external_references, [{ source_name: 'example-isac', url: 'https://isac.example/reports/42', external_id: 'R-42' }]);
  assert.deepEqual(c2.techniques, ['T0869'], 'from the indicates relationship to an ATT&CK for ICS attack-pattern');
  assert.deepEqual(c2.observables.map((o) => o.kind), ['ipv4', 'domain']);
  assert.deepEqual(r.indicators[3].observables.map((o) => o.kind), ['hash']);
});

test('STIX bundle: unsupported patterns, pattern types and bad objects are reported; expired and revoked too', () => {
  const r = parseStixBundle(SAMPLE_BUNDLE, 'example-isac', { now: NOW });
  assert.deepEqual(
    r.unsupported.map((u) => [u.id.slice(-2), u.code]),
    [
      ['05', 'followedby'],
      ['06', 'pattern_type'],
      ['09', 'invalid_object'],
      ['10', 'invalid_object'],
    ],
  );
  assert.match(r.unsupported[1].reason, /pattern_type snort/);
  assert.match(r.unsupported[2].reason, /must have required property 'pattern'/);
  assert.match(r.unsupported[3].reason, /\/confidence must be integer/);
  assert.equal(r.unsupported[0].pattern, SAMPLE_BUNDLE.objects[7].pattern);
  assert.deepEqual(r.inactive, [
    { id: 'indicator--00000000-0000-4000-8000-000000000007', name: 'Old scanner', reason: 'expired', valid_until: '2025-01-01T00:00:00Z' },
    { id: 'indicator--00000000-0000-4000-8000-000000000008', reason: 'revoked' },
  ]);
  assert.equal(parseStixBundle(SAMPLE_BUNDLE, 'x', { now: Date.parse('2020-01-01T00:00:00Z') }).inactive.length, 1, 'judged against the given time');
});

test('STIX bundle: of several versions of an indicator, the latest modified is read', () => {
  const v = (modified: string, ip: string) => ({ type: 'indicator', spec_version: '2.1', id: 'indicator--00000000-0000-4000-8000-0000000000aa', modified, pattern: `[ipv4-addr:value = '${ip}']`, pattern_type: 'stix', valid_from: '2026-01-01T00:00:00Z' });
  const r = parseStixBundle({ type: 'bundle', objects: [v('2026-02-01T00:00:00.000Z', '192.0.2.2'), v('2026-03-01T00:00:00.000Z', '192.0.2.3'), v('2026-01-01T00:00:00.000Z', '192.0.2.1')] }, 'x', { now: NOW });
  assert.equal(r.indicators.length, 1);
  assert.equal(r.indicators[0].pattern, "[ipv4-addr:value = '192.0.2.3']");
});

test('STIX bundle: bad JSON or shape is a clear IntelFormatError, not a crash', () => {
  const cases: [unknown, RegExp][] = [
    ['{"type": "bundle", "objects": [', /feed\.json: not JSON/],
    [[], /not a STIX 2.1 bundle: the bundle must be object/],
    [{ type: 'report', objects: [] }, /\/type must be "bundle"/],
    [{ type: 'bundle' }, /must have required property 'objects'/],
    [{ type: 'bundle', objects: [{ type: 'indicator' }] }, /\/objects\/0 must have required property 'id'/],
    [{ type: 'bundle', objects: 'none' }, /\/objects must be array/],
    [null, /must be object/],
  ];
  for (const [input, message] of cases) {
    assert.throws(() => parseStixBundle(input, 'feed.json'), (err: unknown) => err instanceof IntelFormatError && message.test(err.message), String(message));
  }
  const text = JSON.stringify(SAMPLE_BUNDLE);
  assert.equal(parseStixBundle(text, 'x', { now: NOW }).indicators.length, 4, 'JSON text is accepted too');
});

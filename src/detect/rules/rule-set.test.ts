import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DetectionEngine } from '../engine.js';
import { defaultRegistry } from '../../protocols/registry.js';
import { detect, polls, tx } from '../testkit.js';
import { parseRules } from './parse.js';
import { RuleSet } from './rule-set.js';
import { MAX_GROUPS_PER_RULE } from './limits.js';
import { RULE_ANOMALY } from './anomalies.js';

const MASTER = '10.20.0.5';
const RTU = '10.20.1.7';

function rules(text: string): RuleSet {
  const r = parseRules(text, 'site.yaml');
  assert.deepEqual(r.errors, []);
  return new RuleSet(r.rules);
}

const operates = (threshold: string) =>
  rules(`rules:
  - id: burst
    title: Direct operates from {src} to {dst}
    severity: high
    match: { protocol: dnp3, operation: direct_operate }
    threshold: ${threshold}
`);

const op = (ts: number, client = MASTER, server = RTU, index = 0) => tx({ ts, protocol: 'dnp3', op: 'direct_operate', access: 'control', client, server, port: 20000, target: { area: 'binary_output', index } });

test('threshold: fires at the count, not before, then counts again from zero', () => {
  const set = operates('{ count: 3, window: 10s }');
  assert.equal(detect([set.detection], [op(1), op(2)]).length, 0, 'two of three');
  const alerts = detect([set.detection], [op(1), op(2), op(3)]);
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0].count, 1);
  assert.equal(alerts[0].title, `Direct operates from ${MASTER} to ${RTU} (3 times in 10s)`);
  assert.deepEqual(alerts[0].facts.threshold, { count: 3, window_sec: 10, by: ['src', 'dst'], group: `${MASTER}|${RTU}` });
  assert.equal(alerts[0].evidence[0].note, 'match 3 within 10s');
  assert.equal(detect([set.detection], [1, 2, 3, 4, 5].map((t) => op(t)))[0].count, 1, 'five: one firing, two counted towards the next');
  assert.equal(detect([set.detection], [1, 2, 3, 4, 5, 6].map((t) => op(t)))[0].count, 2, 'six: two firings');
});

test('threshold: the window slides in capture time', () => {
  const set = operates('{ count: 3, window: 10s }');
  assert.equal(detect([set.detection], [op(0), op(5), op(10)]).length, 0, '0 and 10 are 10 s apart: not within the window');
  assert.equal(detect([set.detection], [op(0), op(5), op(9.9)]).length, 1);
  // A tumbling window from the first match (0) would close at 10 and miss these; the sliding one sees 3 within 8 s.
  assert.equal(detect([set.detection], [op(0), op(8), op(12), op(16)]).length, 1);
  assert.equal(detect([set.detection], [op(0), op(11), op(22), op(33)]).length, 0, 'a slow trickle never fires');
  assert.equal(detect([set.detection], [op(100), op(101), op(100.5)]).length, 1, 'a little out of order still counts');
  assert.equal(detect([set.detection], [op(100), op(120), op(121), op(105)]).length, 0, 'a match older than the window is not counted');
  const minutes = operates('{ count: 2, window: 2m }');
  assert.equal(detect([minutes.detection], [op(0), op(119)]).length, 1);
  assert.equal(detect([minutes.detection], [op(0), op(120)]).length, 0);
});

test('threshold: counts per group of the `by` keys', () => {
  const perPair = operates('{ count: 2, window: 60s }');
  assert.equal(detect([perPair.detection], [op(1, MASTER, RTU), op(2, MASTER, '10.20.1.8')]).length, 0, 'one each for two outstations');
  const perSource = operates('{ count: 2, window: 60s, by: src }');
  assert.equal(detect([perSource.detection], [op(1, MASTER, RTU), op(2, MASTER, '10.20.1.8')]).length, 1);
  const all = operates('{ count: 2, window: 60s, by: [] }');
  assert.equal(detect([all.detection], [op(1, MASTER, RTU), op(2, '10.20.0.6', '10.20.1.8')]).length, 1, 'one group for the rule');
  const perPoint = operates('{ count: 2, window: 60s, by: [dst, target.index] }');
  const alerts = detect([perPoint.detection], [op(1, MASTER, RTU, 1), op(2, MASTER, RTU, 2), op(3, MASTER, RTU, 2), op(4, MASTER, RTU, 1)]);
  assert.equal(alerts.length, 2, 'one alert per point: a keyed group is part of the alert key');
  assert.deepEqual(alerts.map((a) => a.facts.threshold && (a.facts.threshold as { group: string }).group).sort(), [`${RTU}|1`, `${RTU}|2`]);
});

test('threshold: groups expire with their window and are capped per rule', () => {
  const set = operates('{ count: 2, window: 10s }');
  const e = new DetectionEngine(defaultRegistry, { detections: [set.detection] });
  for (let i = 0; i < MAX_GROUPS_PER_RULE + 5; i++) e.transaction(op(1, `10.30.${i >> 8}.${i & 255}`, RTU));
  assert.equal(set.anomalies.get(RULE_ANOMALY.threshold_groups_full), 5);
  e.expire(11);
  e.transaction(op(12, '10.31.0.1', RTU));
  e.transaction(op(13, '10.31.0.1', RTU));
  assert.equal([...e.alerts.records()].length, 1, 'after expiry new groups are counted again');
  assert.equal(set.anomalies.get(RULE_ANOMALY.threshold_groups_full), 5);
});

test('threshold with a large count: the window grows as matches arrive', () => {
  const set = operates('{ count: 500, window: 1h }');
  assert.equal(detect([set.detection], Array.from({ length: 499 }, (_, i) => op(i))).length, 0);
  assert.equal(detect([set.detection], Array.from({ length: 1000 }, (_, i) => op(i)))[0].count, 2);
});

test('replace() takes effect in a detector already running; thresholds restart; zero rules cost nothing', () => {
  const set = new RuleSet();
  assert.equal(set.size, 0);
  const e = new DetectionEngine(defaultRegistry, { detections: [set.detection] });
  e.transaction(op(1));
  assert.equal([...e.alerts.records()].length, 0);
  const burst = (source: string) => parseRules('rules:\n  - { id: burst, title: Burst, severity: high, match: { protocol: dnp3 }, threshold: { count: 2, window: 60s } }\n', source).rules;
  set.replace(burst('a.yaml'));
  e.transaction(op(2));
  set.replace(burst('b.yaml'));
  e.transaction(op(3));
  assert.equal([...e.alerts.records()].length, 0, 'the count restarted with the new set: one match each');
  e.transaction(op(4));
  assert.equal([...e.alerts.records()].length, 1);
  set.replace(parseRules('rules:\n  - { id: any_write, title: "Write {operation}", severity: low, match: { access: write } }\n', 'c.yaml').rules);
  e.transaction(tx({ ts: 5, protocol: 'modbus', op: 'write_single_coil', access: 'write' }));
  assert.deepEqual([...e.alerts.records()].map((a) => a.detection).sort(), ['rule.any_write', 'rule.burst']);
  set.replace([]);
  e.transaction(tx({ ts: 6, protocol: 'modbus', op: 'write_single_coil', access: 'write' }));
  assert.equal([...e.alerts.records()].find((a) => a.detection === 'rule.any_write')!.count, 1, 'no rules, no findings');
  assert.equal(set.size, 0);
});

test('list() describes each rule; replace() refuses duplicate ids across files', () => {
  const a = parseRules('rules:\n  - { id: x, title: X, severity: critical, techniques: [T0855], kind: configuration, confidence: 0.9, match: { protocol: s7comm } }\n', 'a.yaml').rules;
  const set = new RuleSet(a);
  assert.deepEqual(set.list(), [{ id: 'x', detection: 'rule.x', title: 'X', severity: 'critical', confidence: 0.9, techniques: ['T0855'], kind: 'configuration', enabled: true, source: 'a.yaml', line: 2 }]);
  assert.throws(() => set.replace([...a, ...a]), /duplicate rule id "x"/);
  assert.equal(set.size, 1, 'the set is unchanged');
  assert.equal(set.detection.id, 'rule');
  assert.equal(set.detection.title, 'User rules');
});

test('normal polling does not fire a write rule', () => {
  const set = rules('rules:\n  - { id: w, title: W, severity: high, match: { protocol: modbus, access: write } }\n');
  assert.equal(detect([set.detection], polls({ from: 0, n: 100, every: 1, protocol: 'modbus', op: 'read_holding_registers', client: MASTER, server: RTU })).length, 0);
});

test('a rule matching a poll stream counts every match on one alert per pair of hosts', () => {
  const set = rules('rules:\n  - { id: reads, title: "Reads of {dst}", severity: low, match: { protocol: modbus, access: read } }\n');
  const alerts = detect([set.detection], [
    ...polls({ from: 0, n: 500, every: 0.01, protocol: 'modbus', op: 'read_holding_registers', client: MASTER, server: RTU }),
    ...polls({ from: 10, n: 3, every: 1, protocol: 'modbus', op: 'read_coils', client: MASTER, server: '10.20.1.8' }),
  ]);
  assert.deepEqual(alerts.map((a) => [a.dst?.ip, a.count, a.first_seen, a.last_seen]), [
    [RTU, 500, 0, 4.99],
    ['10.20.1.8', 3, 10, 12],
  ]);
});

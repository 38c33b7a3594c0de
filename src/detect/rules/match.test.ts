import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detect, tx, type Input } from '../testkit.js';
import type { AssetContext } from '../types.js';
import { formatRuleError, parseRules } from './parse.js';
import { RuleSet } from './rule-set.js';

const HMI = '10.10.2.11';
const EWS = '10.10.2.30';
const PLC = '10.10.5.20';
const OUTSIDE = '203.0.113.7';

/** A set holding the one rule whose `match:` block is `match` (YAML flow text). */
function ruleSet(match: string, extra = ''): RuleSet {
  const r = parseRules(`rules:\n  - id: r\n    title: "{protocol} {operation} from {src} to {dst}"\n    severity: high\n    match: ${match}\n${extra}`, 't.yaml');
  assert.deepEqual(r.errors.map(formatRuleError), []);
  return new RuleSet(r.rules);
}

function fires(match: string, input: Input, assets: Record<string, Partial<AssetContext>> = {}): boolean {
  return detect([ruleSet(match).detection], [input], assets).length > 0;
}

const write = (o: Partial<Parameters<typeof tx>[0]> = {}) => tx({ ts: 1, protocol: 'modbus', op: 'write_single_register', access: 'write', client: HMI, server: PLC, target: { unit: 1, area: 'holding_registers', address: 4010, count: 1 }, ...o });

test('an alert carries the rule: detection rule.<id>, its title filled in, severity, evidence and facts', () => {
  const alerts = detect([ruleSet('{ protocol: modbus }', '    techniques: [T0855]\n').detection], [write(), write({ ts: 2 })]);
  assert.equal(alerts.length, 1);
  const a = alerts[0];
  assert.equal(a.detection, 'rule.r');
  assert.equal(a.title, `modbus write_single_register from ${HMI} to ${PLC}`);
  assert.equal(a.severity, 'high');
  assert.equal(a.count, 2);
  assert.deepEqual(a.techniques, ['T0855']);
  assert.deepEqual([a.src?.ip, a.dst?.ip], [HMI, PLC]);
  assert.equal(a.evidence[0].what, 'write_single_register');
  assert.deepEqual(a.facts.rule, { id: 'r', source: 't.yaml', line: 2 });
});

test('protocol and not_protocol', () => {
  assert.ok(fires('{ protocol: modbus }', write()));
  assert.ok(fires('{ protocol: [dnp3, modbus] }', write()));
  assert.ok(!fires('{ protocol: dnp3 }', write()));
  assert.ok(!fires('{ not_protocol: modbus }', write()));
  assert.ok(fires('{ not_protocol: [dnp3, s7comm] }', write()));
});

test('operation: the name, the sub-function name, or name/sub together; not_operation', () => {
  const umas = tx({ ts: 1, protocol: 'modbus', op: 'umas', sub: 'stop_plc', access: 'control', client: EWS, server: PLC });
  assert.ok(fires('{ operation: write_single_register }', write()));
  assert.ok(fires('{ protocol: modbus, operation: [read_coils, write_single_register] }', write()));
  assert.ok(!fires('{ protocol: modbus, operation: read_coils }', write()));
  assert.ok(fires('{ protocol: modbus, operation: stop_plc }', umas), 'a sub-function name');
  assert.ok(fires('{ protocol: modbus, operation: umas }', umas), 'the function name');
  assert.ok(fires('{ protocol: modbus, operation: umas/stop_plc }', umas));
  assert.ok(!fires('{ protocol: modbus, operation: umas/start_plc }', umas));
  assert.ok(!fires('{ protocol: modbus, operation: diagnostics/stop_plc }', umas));
  assert.ok(!fires('{ protocol: modbus, not_operation: [read_coils, write_single_register] }', write()));
  assert.ok(fires('{ protocol: modbus, not_operation: [read_coils] }', write()));
  assert.ok(fires('{ protocol: modbus, operation: unknown_99 }', tx({ ts: 1, protocol: 'modbus', op: 'unknown_99' })), 'generated names of unknown codes');
});

test('access, outcome and origin, with their negations', () => {
  assert.ok(fires('{ access: write }', write()));
  assert.ok(fires('{ access: [program, write] }', write()));
  assert.ok(!fires('{ access: read }', write()));
  assert.ok(!fires('{ not_access: write }', write()));
  assert.ok(fires('{ outcome: ok }', write()));
  assert.ok(!fires('{ outcome: [exception, no_response] }', write()));
  assert.ok(fires('{ outcome: exception }', write({ outcome: 'exception' })));
  assert.ok(fires('{ not_outcome: ok }', write({ outcome: 'no_response' })));
  assert.ok(fires('{ origin: client }', write()));
  assert.ok(!fires('{ origin: server }', write()));
  assert.ok(fires('{ not_origin: client }', write({ origin: 'server' })));
});

test('src and dst are the sender and the other side: client → server for requests, server → client for unsolicited messages', () => {
  const unsolicited = tx({ ts: 1, protocol: 'dnp3', op: 'unsolicited_response', client: HMI, server: PLC, origin: 'server', port: 20000 });
  assert.ok(fires(`{ src: { ip: ${PLC} }, dst: { ip: ${HMI} } }`, unsolicited));
  assert.ok(!fires(`{ src: { ip: ${HMI} } }`, unsolicited));
  const alerts = detect([ruleSet('{ protocol: dnp3 }').detection], [unsolicited]);
  assert.deepEqual([alerts[0].src?.ip, alerts[0].dst?.ip], [PLC, HMI]);
  assert.match(alerts[0].title, new RegExp(`from ${PLC} to ${HMI}`));
});

test('ip and not_ip: addresses and CIDR ranges, IPv4 and IPv6', () => {
  assert.ok(fires(`{ src: { ip: ${HMI} } }`, write()));
  assert.ok(fires('{ src: { ip: [10.10.2.0/24] } }', write()));
  assert.ok(!fires('{ src: { ip: [10.10.3.0/24, 10.10.2.12] } }', write()));
  assert.ok(!fires(`{ src: { not_ip: ${HMI} } }`, write()));
  assert.ok(fires('{ src: { not_ip: 10.10.3.0/24 } }', write()));
  assert.ok(fires('{ dst: { ip: 10.0.0.0/8 } }', write()));
  const v6 = write({ client: 'fd00:1::5', server: 'fd00:2::9' });
  assert.ok(fires('{ src: { ip: "fd00:1::/32" } }', v6));
  assert.ok(fires('{ dst: { ip: "fd00:2:0:0::9" } }', v6), 'written non-canonically');
  assert.ok(!fires('{ src: { ip: "fd00:2::/32" } }', v6));
});

test('asset keys match known assets; an unknown asset fails them and passes their negations', () => {
  const assets = { [HMI]: { roles: ['hmi_scada'], purdue: 2, criticality: 'high' as const, zone: '10.10.2.0/24', vendor: 'Siemens AG', model: 'SIMATIC HMI TP1200', id: 'ip:10.10.2.11' }, [PLC]: { roles: ['controller'], purdue: 1, criticality: 'high' as const } };
  const cases: [string, boolean, boolean][] = [
    // match, with the inventory, without it
    ['{ src: { role: hmi } }', true, false],
    ['{ src: { role: [engineering_workstation, hmi_scada] } }', true, false],
    ['{ src: { role: controller } }', false, false],
    ['{ src: { not_role: hmi } }', false, true],
    ['{ dst: { role: plc } }', true, false],
    ['{ src: { purdue: 2 } }', true, false],
    ['{ src: { purdue: [0, 1] } }', false, false],
    ['{ src: { purdue: { min: 2, max: 3 } } }', true, false],
    ['{ src: { purdue: { max: 1 } } }', false, false],
    ['{ src: { not_purdue: 2 } }', false, true],
    ['{ src: { criticality: high } }', true, false],
    ['{ src: { not_criticality: [high, medium] } }', false, true],
    ['{ src: { zone: 10.10.2.0/24 } }', true, false],
    ['{ src: { zone: 10.10.3.0/24 } }', false, false],
    ['{ src: { vendor: siemens } }', true, false],
    ['{ src: { vendor: [rockwell, schneider] } }', false, false],
    ['{ src: { not_vendor: siemens } }', false, true],
    ['{ src: { model: tp1200 } }', true, false],
    ['{ src: { asset: "ip:10.10.2.11" } }', true, false],
    ['{ src: { not_asset: "ip:10.10.2.11" } }', false, true],
    ['{ src: { known: true } }', true, false],
    ['{ src: { known: false } }', false, true],
    ['{ src: { external: false } }', true, false],
    ['{ src: { external: true } }', false, false],
  ];
  for (const [m, known, unknown] of cases) {
    assert.equal(fires(m, write(), assets), known, `${m} with the inventory`);
    assert.equal(fires(m, write(), {}), unknown, `${m} without it`);
  }
  assert.ok(fires('{ src: { external: true } }', write({ client: OUTSIDE }), { [OUTSIDE]: { external: true } }));
});

test('target fields: values, lists, ranges, negations; an address range covers the items a write touches', () => {
  const multi = (address: number, count: number) => tx({ ts: 1, protocol: 'modbus', op: 'write_multiple_registers', access: 'write', client: HMI, server: PLC, target: { unit: 1, area: 'holding_registers', address, count } });
  assert.ok(fires('{ target: { unit: 1 } }', write()));
  assert.ok(!fires('{ target: { unit: 2 } }', write()));
  assert.ok(fires('{ target: { unit: [2, 1] } }', write()));
  assert.ok(fires('{ target: { area: holding_registers, address: { min: 4000, max: 4099 } } }', write()));
  assert.ok(!fires('{ target: { area: coils } }', write()));
  assert.ok(!fires('{ target: { address: { min: 100, max: 199 } } }', write()));
  assert.ok(fires('{ target: { address: { min: 100, max: 199 } } }', multi(90, 20)), '90..109 overlaps 100..199');
  assert.ok(!fires('{ target: { address: { min: 100, max: 199 } } }', multi(80, 20)), '80..99 does not');
  assert.ok(fires('{ target: { address: { min: 100 } } }', multi(199, 1)));
  assert.ok(fires('{ target: { count: { min: 10 } } }', multi(0, 20)));
  assert.ok(!fires('{ target: { not_unit: 1 } }', write()));
  assert.ok(fires('{ target: { not_unit: 1 } }', write({ target: {} })), 'a missing field is "not 1"');
  assert.ok(!fires('{ target: { db: 5 } }', write()), 'a missing field fails a positive key');
  assert.ok(fires('{ target: { broadcast: true } }', write({ target: { broadcast: true } })));
});

test('every key must hold (AND); a list is any of (OR)', () => {
  const m = `{ protocol: modbus, access: write, src: { ip: ${HMI} }, dst: { ip: [${PLC}, 10.10.5.21] }, target: { unit: 1 } }`;
  assert.ok(fires(m, write()));
  assert.ok(!fires(m, write({ server: '10.10.5.22' })));
  assert.ok(!fires(m, write({ access: 'read' })));
  assert.ok(!fires(m, write({ target: { unit: 2 } })));
});

test('disabled rules are listed but do not run', () => {
  const r = parseRules('rules:\n  - id: off\n    title: t\n    severity: low\n    enabled: false\n    match: { protocol: modbus }\n', 'x.yaml');
  const set = new RuleSet(r.rules);
  assert.equal(set.size, 1);
  assert.equal(set.list()[0].enabled, false);
  assert.equal(detect([set.detection], [write()]).length, 0);
});

test('asset look-ups happen only for rules that need them, once per side per transaction', () => {
  let lookups = 0;
  const r = parseRules(
    `rules:
  - { id: a, title: t, severity: low, match: { protocol: dnp3, src: { role: hmi } } }
  - { id: b, title: t, severity: low, match: { protocol: modbus, access: read, src: { role: hmi } } }
  - { id: c, title: t, severity: low, match: { protocol: modbus, src: { role: hmi, not_purdue: 3 } } }
  - { id: d, title: t, severity: low, match: { protocol: modbus, dst: { ip: 10.9.9.9, role: plc } } }
`,
    'x.yaml',
  );
  assert.deepEqual(r.errors, []);
  const ctx = { raise: () => {}, isIndustrialServer: () => false, alertOf: () => null, repeat: () => false, asset: () => (lookups++, { id: 'x', roles: ['hmi_scada'], purdue: 2, criticality: 'high' as const, zone: null, vendor: null, model: null, external: false }) };
  new RuleSet(r.rules).detection.create().transaction!(write(), ctx);
  assert.equal(lookups, 1, 'a: other protocol; b: stops at access; c: two keys, one look-up; d: stops at the address');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlowRecord } from '../../flow/flow.js';
import { detect, flowEnd, polls, tx, type Input } from '../testkit.js';
import type { DetectedAlert } from '../alerts.js';
import { isTechniqueId } from '../attack/index.js';
import { Baseline, BaselineFormatError, MODELING_DETECTIONS, modelingDetections } from './index.js';
import { MIN_STOP_SEC, SUSTAIN_INTERVALS } from './model.js';

const HMI = '10.0.0.10';
const PLC = '10.0.0.20';
const PLC2 = '10.0.0.21';
const ROGUE = '10.0.0.66';
const LEARN = 100;

/** The learning traffic: the HMI polls two PLCs every second and writes setpoints 10..12 of PLC. */
function normal(from: number, to: number): Input[] {
  const n = Math.floor((to - from) / 1);
  return [
    ...polls({ from, n, every: 1, protocol: 'modbus', op: 'read_holding_registers', client: HMI, server: PLC }),
    ...polls({ from: from + 0.5, n, every: 1, protocol: 'modbus', op: 'read_coils', client: HMI, server: PLC2 }),
    ...[10, 11, 12].map((a, i) => tx({ ts: from + 10 + i, protocol: 'modbus', op: 'write_single_register', access: 'write', client: HMI, server: PLC, target: { unit: 1, area: 'holding_registers', address: a, count: 1 } })),
  ].sort((x, y) => (x as { ts: number }).ts - (y as { ts: number }).ts);
}

function flow(o: { client: string; server: string; port: number; protocol: string | null; firstTs: number; lastTs?: number; transport?: 'tcp' | 'udp' }): FlowRecord {
  const r: FlowRecord = {
    id: 9000 + o.port,
    transport: o.transport ?? 'tcp',
    ipProto: 6,
    client: { ip: o.client, port: 50000 },
    server: { ip: o.server, port: o.port },
    roleSource: 'handshake',
    vlan: [0, 0],
    protocol: o.protocol,
    firstTs: o.firstTs,
    lastTs: o.lastTs ?? o.firstTs + 1,
    packetsToServer: 3,
    packetsToClient: 3,
    bytesToServer: 200,
    bytesToClient: 200,
    payloadBytesToServer: 20,
    payloadBytesToClient: 20,
    endReason: 'fin',
    tcp: null,
  };
  return r;
}

/** Learns `normal` over [0, LEARN) then plays `after` with normal polling going on beside it until `until`. */
function run(after: Input[], o: { baseline?: Baseline; until?: number } = {}): { alerts: DetectedAlert[]; baseline: Baseline } {
  const baseline = o.baseline ?? new Baseline({ learnSeconds: LEARN });
  const inputs = [...normal(0, o.until ?? 200), ...after].sort((x, y) => tsOf(x) - tsOf(y));
  return { alerts: detect(modelingDetections(baseline), inputs), baseline };
}

function tsOf(i: Input): number {
  return i.type === 'flow' ? (i as { flow: FlowRecord }).flow.lastTs : (i as { ts: number }).ts;
}

const ids = (alerts: DetectedAlert[]): string[] => alerts.map((a) => a.detection).sort();

test('every modeling detection declares a kind, known techniques and a playbook', () => {
  assert.equal(MODELING_DETECTIONS.length, 7);
  for (const d of MODELING_DETECTIONS) {
    assert.equal(d.kind, 'modeling');
    assert.match(d.id, /^modeling\.[a-z_]+$/);
    for (const t of d.techniques) assert.ok(isTechniqueId(t), `${d.id}: ${t}`);
    assert.ok(d.playbook.meaning.length > 0 && d.playbook.check.length > 0 && d.playbook.respond.length > 0);
  }
});

test('nothing fires during the learning window, however new; normal polling after it stays quiet', () => {
  const during = [
    tx({ ts: 50, protocol: 'modbus', op: 'write_single_coil', access: 'write', client: ROGUE, server: PLC, target: { unit: 1, area: 'coils', address: 3 } }),
    flowEnd(flow({ client: ROGUE, server: '10.0.0.99', port: 22, protocol: 'unknown', firstTs: 40 })),
  ];
  const { alerts, baseline } = run(during, { until: 400 });
  assert.deepEqual(alerts, []);
  assert.ok(baseline.complete);
  assert.ok(baseline.hosts.has(ROGUE) && baseline.hosts.has('10.0.0.99'));
  assert.ok(baseline.isMaster(PLC, 'modbus', ROGUE));
  assert.equal(baseline.learnStart, 0);
});

test('a new host polling a controller: new_asset and new_master (not also new_edge)', () => {
  const { alerts } = run([
    tx({ ts: 150, protocol: 'modbus', op: 'read_holding_registers', access: 'read', client: ROGUE, server: PLC }),
    tx({ ts: 151, protocol: 'modbus', op: 'read_holding_registers', access: 'read', client: ROGUE, server: PLC }),
  ]);
  assert.deepEqual(ids(alerts), ['modeling.new_asset', 'modeling.new_master']);
  const m = alerts.find((a) => a.detection === 'modeling.new_master')!;
  assert.equal(m.src!.ip, ROGUE);
  assert.equal(m.dst!.ip, PLC);
  assert.equal(m.count, 2);
  assert.equal(m.severity, 'high');
  assert.deepEqual(m.techniques, ['T0848']);
  assert.match(m.title, /New modbus master 10\.0\.0\.66 of 10\.0\.0\.20/);
  assert.deepEqual(m.facts.operations, [{ name: 'read_holding_registers', access: ['read'] }]);
  const a = alerts.find((x) => x.detection === 'modeling.new_asset')!;
  assert.equal(a.src!.ip, ROGUE);
  assert.equal(a.dst, null);
});

test('new edge (a flow to a new server, an unanswered request) and new protocol on a known pair', () => {
  const { alerts } = run([
    flowEnd(flow({ client: HMI, server: '10.0.0.40', port: 1433, protocol: 'unknown', firstTs: 120 })),
    tx({ ts: 130, protocol: 'modbus', op: 'read_coils', access: 'read', client: PLC2, server: '10.0.0.50', outcome: 'no_response' }),
    tx({ ts: 140, protocol: 's7comm', op: 'read_var', access: 'read', client: HMI, server: PLC, port: 102 }),
    flowEnd(flow({ client: HMI, server: PLC, port: 80, protocol: 'http', firstTs: 145 })),
  ]);
  const edges = alerts.filter((a) => a.detection === 'modeling.new_edge');
  assert.deepEqual(edges.map((a) => `${a.src!.ip}>${a.dst!.ip}`).sort(), [`${HMI}>10.0.0.40`, `${PLC2}>10.0.0.50`]);
  const protocols = alerts.filter((a) => a.detection === 'modeling.new_protocol');
  assert.deepEqual(protocols.map((a) => a.facts.protocol).sort(), ['http', 's7comm']);
  assert.deepEqual(alerts.filter((a) => a.detection === 'modeling.new_asset').map((a) => a.src!.ip).sort(), ['10.0.0.40', '10.0.0.50']);
  assert.equal(alerts.length, 6);
});

test('broadcast and multicast destinations are neither hosts nor edges; a new host broadcasting is a new host', () => {
  const { alerts } = run([
    flowEnd(flow({ client: HMI, server: '10.0.0.255', port: 138, protocol: 'unknown', firstTs: 150, transport: 'udp' })),
    flowEnd(flow({ client: '0.0.0.0', server: '255.255.255.255', port: 67, protocol: 'dhcp', firstTs: 151, transport: 'udp' })),
    flowEnd(flow({ client: 'fe80::1', server: 'ff02::fb', port: 5353, protocol: 'mdns', firstTs: 152, transport: 'udp' })),
    flowEnd(flow({ client: HMI, server: '239.255.255.250', port: 1900, protocol: 'unknown', firstTs: 153, transport: 'udp' })),
  ]);
  assert.deepEqual(alerts.map((a) => `${a.detection} ${a.src!.ip}`), ['modeling.new_asset fe80::1']);
});

test('a flow whose protocol was not decided on a port its pair uses, or whose edge was reported, is not reported again', () => {
  const { alerts } = run([
    flowEnd(flow({ client: HMI, server: PLC, port: 502, protocol: 'undecided', firstTs: 150 })),
    tx({ ts: 160, protocol: 'modbus', op: 'read_coils', access: 'read', client: PLC2, server: PLC, outcome: 'no_response' }),
    flowEnd({ ...flow({ client: PLC2, server: PLC, port: 502, protocol: 'modbus', firstTs: 160 }), client: { ip: PLC2, port: 40000 } }),
  ]);
  // PLC answers the HMI, so PLC2's request makes it a new master; the flow of that edge is not a new edge besides.
  assert.deepEqual(ids(alerts), ['modeling.new_master']);
  assert.equal(alerts[0].count, 1);
});

test('new operation: a write on an edge that only read is high; a new read is low; program is critical', () => {
  const { alerts } = run([
    tx({ ts: 150, protocol: 'modbus', op: 'write_single_coil', access: 'write', client: HMI, server: PLC2, target: { unit: 1, area: 'coils', address: 0 } }),
    tx({ ts: 151, protocol: 'modbus', op: 'read_input_registers', access: 'read', client: HMI, server: PLC }),
    tx({ ts: 152, protocol: 'modbus', op: 'umas', sub: 'download_block', access: 'program', client: HMI, server: PLC }),
  ]);
  const ops = alerts.filter((a) => a.detection === 'modeling.new_operation');
  const sev = Object.fromEntries(ops.map((a) => [a.facts.operation, a.severity]));
  assert.deepEqual(sev, { write_single_coil: 'high', read_input_registers: 'low', 'umas/download_block': 'critical' });
  const w = ops.find((a) => a.facts.operation === 'write_single_coil')!;
  assert.match(w.title, /New operation write_single_coil \(write\) from 10\.0\.0\.10 to 10\.0\.0\.21 \(modbus\)/);
  // The write also lands in an area never written on PLC2.
  assert.ok(alerts.some((a) => a.detection === 'modeling.write_out_of_range' && a.dst!.ip === PLC2 && a.facts.state === 'new_area' && a.severity === 'high'));
});

test('write out of range: outside the learned [10, 12] fires, inside does not; a multi-register write is judged by its end', () => {
  const w = (ts: number, address: number, count = 1) => tx({ ts, protocol: 'modbus', op: count > 1 ? 'write_multiple_registers' : 'write_single_register', access: 'write', client: HMI, server: PLC, target: { unit: 1, area: 'holding_registers', address, count } });
  const quiet = run([w(150, 10), w(151, 12), w(152, 11)]).alerts;
  assert.deepEqual(quiet, []);
  const { alerts } = run([w(150, 11, 3), w(151, 50)]);
  const out = alerts.filter((a) => a.detection === 'modeling.write_out_of_range');
  assert.equal(out.length, 1, 'one alert per (server, unit, area)');
  assert.equal(out[0].count, 2);
  assert.equal(out[0].severity, 'medium');
  assert.deepEqual([out[0].facts.learned_min, out[0].facts.learned_max], [10, 12]);
  assert.match(out[0].title, /Write to holding_registers 50 \(unit 1\) on 10\.0\.0\.20 from 10\.0\.0\.10: outside learned 10-12/);
  assert.deepEqual(out[0].techniques, ['T0836', 'T0831']);
  // write_multiple_registers is itself a new operation on that edge.
  assert.ok(alerts.some((a) => a.detection === 'modeling.new_operation'));
});

test('polling change: a poll slowed down for SUSTAIN_INTERVALS intervals fires; one late answer does not', () => {
  // PLC2's poll stops at 120 in normal(); here it goes on every 3 s.
  const slow = polls({ from: 200, n: 10, every: 3, protocol: 'modbus', op: 'read_coils', client: HMI, server: PLC2 }).map((t) => ({ ...t, ts: t.ts + 0.5 }));
  const base = [...normal(0, 200), ...polls({ from: 200, n: 40, every: 1, protocol: 'modbus', op: 'read_holding_registers', client: HMI, server: PLC })];
  const alerts = detect(modelingDetections(new Baseline({ learnSeconds: LEARN })), [...base, ...slow].sort((x, y) => tsOf(x) - tsOf(y)));
  const p = alerts.filter((a) => a.detection === 'modeling.polling_change');
  assert.equal(p.length, 1);
  assert.equal(p[0].facts.state, 'rate');
  assert.equal(p[0].count, 9 - SUSTAIN_INTERVALS + 1, 'nine slow intervals, the fifth onwards fire');
  assert.equal(p[0].facts.observed_mean, 3);
  assert.equal(p[0].facts.mean, 1);
  assert.match(p[0].title, /Poll read_coils from 10\.0\.0\.10 to 10\.0\.0\.21 changed rate: every 3 s, learned 1 s/);

  const late = normal(0, 300).filter((t) => !((t as { ts: number }).ts > 150 && (t as { ts: number }).ts < 152.9 && (t as { server: { ip: string } }).server.ip === PLC2));
  assert.deepEqual(detect(modelingDetections(new Baseline({ learnSeconds: LEARN })), late), []);
});

test('polling change: a poll that stops while other traffic goes on fires once; silence of the whole network does not', () => {
  const stopAt = 150;
  const inputs = [
    ...normal(0, 400).filter((t) => !((t as { ts: number }).ts >= stopAt && (t as { server: { ip: string } }).server.ip === PLC2)),
  ];
  const alerts = detect(modelingDetections(new Baseline({ learnSeconds: LEARN })), inputs);
  assert.deepEqual(ids(alerts), ['modeling.polling_change']);
  assert.equal(alerts[0].facts.state, 'stopped');
  assert.deepEqual(alerts[0].facts.polls, ['read_coils||||']);
  assert.equal(alerts[0].count, 1);
  assert.ok(alerts[0].first_seen >= stopAt + MIN_STOP_SEC);
  // Everything stops at 200 (end of capture): the final expire an hour later must not call every poll stopped.
  assert.deepEqual(detect(modelingDetections(new Baseline({ learnSeconds: LEARN })), normal(0, 200)), []);
});

test('learn(): the facts of an alert silence the same change in the next run; reset() forgets', () => {
  const baseline = new Baseline({ learnSeconds: LEARN });
  const attack = (t0: number): Input[] => [
    tx({ ts: t0, protocol: 'modbus', op: 'read_coils', access: 'read', client: ROGUE, server: PLC }),
    tx({ ts: t0 + 1, protocol: 'modbus', op: 'write_single_register', access: 'write', client: ROGUE, server: PLC, target: { unit: 1, area: 'holding_registers', address: 40 } }),
  ];
  const first = run(attack(150), { baseline }).alerts;
  assert.deepEqual(ids(first), ['modeling.new_asset', 'modeling.new_master', 'modeling.write_out_of_range']);
  for (const a of first) assert.equal(baseline.learn(a.facts), true, a.detection);
  // The same baseline, now complete: a second capture is judged from its first record.
  const second = detect(modelingDetections(baseline), [...attack(1000), tx({ ts: 1003, protocol: 'modbus', op: 'write_single_coil', access: 'write', client: ROGUE, server: PLC, target: { unit: 1, area: 'coils', address: 1 } })]);
  assert.deepEqual(ids(second), ['modeling.new_operation', 'modeling.write_out_of_range'], 'only what was not learned');
  assert.equal(baseline.learn({ change: 'nonsense' }), false);
  assert.equal(baseline.learn({ change: 'edge', client: HMI }), false);

  baseline.reset();
  assert.equal(baseline.complete, false);
  assert.equal(baseline.hosts.size, 0);
  assert.deepEqual(detect(modelingDetections(baseline), attack(5000)), [], 'after reset the next run learns again');
});

test('learn() of a polling change takes the new rate; of a stopped poll forgets it', () => {
  const baseline = new Baseline({ learnSeconds: LEARN });
  const slow = polls({ from: 200, n: 10, every: 3, protocol: 'modbus', op: 'read_coils', client: HMI, server: PLC2 }).map((t) => ({ ...t, ts: t.ts + 0.5 }));
  const base = [...normal(0, 200), ...polls({ from: 200, n: 40, every: 1, protocol: 'modbus', op: 'read_holding_registers', client: HMI, server: PLC })];
  const [alert] = detect(modelingDetections(baseline), [...base, ...slow].sort((x, y) => tsOf(x) - tsOf(y)));
  assert.equal(baseline.learn(alert.facts), true);
  const again = polls({ from: 1000, n: 20, every: 3, protocol: 'modbus', op: 'read_coils', client: HMI, server: PLC2 }).map((t) => ({ ...t, ts: t.ts + 0.5 }));
  assert.deepEqual(detect(modelingDetections(baseline), again), []);
  assert.equal(baseline.learn({ ...alert.facts, state: 'stopped' }), true);
  assert.equal(baseline.learn({ ...alert.facts, state: 'stopped' }), false, 'already forgotten');
});

test('JSON round trip keeps everything; a stored complete baseline detects from the start; bad JSON is refused', () => {
  const { baseline } = run([]);
  const json = JSON.parse(JSON.stringify(baseline));
  assert.equal(json.version, 1);
  assert.equal(json.complete, true);
  const back = Baseline.fromJSON(json);
  assert.deepEqual(back.toJSON(), baseline.toJSON());
  assert.deepEqual(back.size, baseline.size);
  const poll = json.edges.find((e: { server: string }) => e.server === PLC).polls[0];
  assert.equal(poll.operation, 'read_holding_registers');
  assert.ok(Math.abs(poll.mean - 1) < 1e-9);

  const alerts = detect(modelingDetections(back), [tx({ ts: 10, protocol: 'modbus', op: 'read_coils', access: 'read', client: ROGUE, server: PLC })]);
  assert.deepEqual(ids(alerts), ['modeling.new_asset', 'modeling.new_master']);

  const bad: [unknown, string][] = [
    [null, '(root)'],
    [{ ...json, version: 2 }, 'version'],
    [{ ...json, hosts: 'x' }, 'hosts'],
    [{ ...json, edges: [{ ...json.edges[0], port: 70000 }] }, 'edges[0].port'],
    [{ ...json, edges: [{ ...json.edges[0], operations: [{ name: 'x', access: ['fly'] }] }] }, 'edges[0].operations[0].access[0]'],
    [{ ...json, writes: [{ server: PLC, protocol: 'modbus', min: 5, max: 1 }] }, 'writes[0]'],
    [{ ...json, learn_seconds: 0 }, 'learn_seconds'],
  ];
  for (const [x, path] of bad) {
    assert.throws(() => Baseline.fromJSON(x), (err: unknown) => err instanceof BaselineFormatError && err.path === path && err.code === 'baseline.invalid', path);
  }
});

test('caps: what does not fit is counted, not learned, and is a deviation afterwards', () => {
  const baseline = new Baseline({ learnSeconds: LEARN, caps: { hosts: 2, edges: 1, polls: 1, writes: 0, masters: 1 } });
  const { alerts } = run([], { baseline });
  assert.equal(baseline.hosts.size, 2);
  assert.ok(baseline.notLearned.hosts > 0 && baseline.notLearned.edges > 0 && baseline.notLearned.writes > 0 && baseline.notLearned.masters > 0);
  assert.equal(baseline.size.edges, 1);
  assert.ok(alerts.some((a) => a.detection === 'modeling.new_asset' && a.src!.ip === PLC2));
  assert.deepEqual(Baseline.fromJSON(JSON.parse(JSON.stringify(baseline)), { caps: { hosts: 2, edges: 1, polls: 1, writes: 0, masters: 1 } }).notLearned, baseline.notLearned);
});

test('each pipeline gets its own run; a baseline factory gives each its own baseline', () => {
  let made = 0;
  const detections = modelingDetections(() => {
    made++;
    return new Baseline({ learnSeconds: 10 });
  });
  const inputs = [tx({ ts: 0, protocol: 'modbus', op: 'read_coils', access: 'read' }), tx({ ts: 20, protocol: 'modbus', op: 'read_coils', access: 'read', client: ROGUE })];
  assert.equal(detect(detections, inputs).length, 2);
  assert.equal(detect(detections, inputs).length, 2);
  assert.equal(made, 2);
  assert.equal(detect(detections.filter((d) => d.id === 'modeling.new_master'), inputs).length, 1, 'a detection alone still learns');
});

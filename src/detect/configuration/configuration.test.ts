import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DetectedAlert } from '../alerts.js';
import { isTechniqueId } from '../attack/index.js';
import { DetectionEngine } from '../engine.js';
import { arp, detect, polls, type Input } from '../testkit.js';
import type { Detection } from '../types.js';
import type { HintRecord } from '../../pipeline/events.js';
import type { AssetIdentity } from '../../protocols/operation.js';
import { defaultRegistry } from '../../protocols/registry.js';
import { bindingChange, SETTLE_SEC } from './binding-change.js';
import { firmwareChange } from './firmware-change.js';
import { identityChange } from './identity-change.js';

const PLC = '10.10.1.22';
const HMI = '10.10.1.10';
const OLD_MAC = '00:1b:1b:00:00:22';
const NEW_MAC = '00:1b:1b:00:99:22';

type Step = Input | { type: 'hint'; hint: HintRecord };

function hint(o: { ts: number; protocol?: string; source?: string; identity?: AssetIdentity; ip?: string; address?: number | string; behind?: string; subject?: HintRecord['subject'] }): Step {
  const h = {
    ts: o.ts,
    protocol: o.protocol ?? 's7comm',
    type: 'asset_hint',
    flow: 1,
    client: { ip: HMI, port: 50000 },
    server: { ip: o.ip ?? PLC, port: 102 },
    side: 'server',
    source: o.source ?? 'szl_0x0011',
    ...(o.identity !== undefined ? { identity: o.identity } : {}),
    ...(o.address !== undefined ? { address: o.address } : {}),
    ...(o.behind !== undefined ? { subject: { behind: o.behind } } : o.subject !== undefined ? { subject: o.subject } : {}),
  } as HintRecord;
  return { type: 'hint', hint: h };
}

/** The testkit's run, with hints too. */
function run(detections: readonly Detection[], steps: readonly Step[]): DetectedAlert[] {
  if (!steps.some((s) => s.type === 'hint')) return detect(detections, steps as Input[]);
  const e = new DetectionEngine(defaultRegistry, { detections });
  let sec = -Infinity;
  for (const s of steps) {
    const ts = s.type === 'hint' ? s.hint.ts : s.type === 'arp' ? (s as { arp: { ts: number } }).arp.ts : (s as { ts: number }).ts;
    if (Math.floor(ts) > sec) e.expire((sec = Math.floor(ts)));
    if (s.type === 'hint') e.hint(s.hint);
    else if (s.type === 'arp') e.arp((s as { arp: Parameters<DetectionEngine['arp']>[0] }).arp);
    else if (s.type === 'transaction') e.transaction(s as Parameters<DetectionEngine['transaction']>[0]);
  }
  e.expire(sec + 3600);
  assert.deepEqual(e.errorSamples, []);
  return [...e.alerts.records()];
}

const reply = (ts: number, senderIp: string, senderMac: string): Input => arp({ ts, op: 'reply', senderIp, senderMac, targetIp: HMI });

test('every technique of these detections is a current ATT&CK for ICS technique', () => {
  for (const d of [bindingChange, firmwareChange, identityChange]) {
    for (const t of d.techniques) assert.ok(isTechniqueId(t), `${d.id}: ${t}`);
    assert.equal(d.kind, 'configuration');
  }
});

test('binding change: a new MAC holding an address for good fires once, after it settles', () => {
  const steps = [reply(0, PLC, OLD_MAC), reply(30, PLC, OLD_MAC), reply(60, PLC, NEW_MAC), reply(90, PLC, NEW_MAC), reply(60 + SETTLE_SEC + 10, PLC, NEW_MAC)];
  const alerts = run([bindingChange], steps);
  assert.equal(alerts.length, 1);
  const a = alerts[0];
  assert.equal(a.dst!.ip, PLC);
  assert.equal(a.first_seen, 60);
  assert.equal(a.severity, 'low');
  assert.deepEqual(a.techniques, []);
  assert.equal(a.facts.old_mac, OLD_MAC);
  assert.equal(a.facts.new_mac, NEW_MAC);
  assert.match(a.title, /10\.10\.1\.22 moved from MAC 00:1b:1b:00:00:22 to 00:1b:1b:00:99:22/);
  // A controller's change is medium.
  const ctl = run([bindingChange], [...polls({ from: 0, n: 3, every: 1, protocol: 'modbus', op: 'read_coils', client: HMI, server: PLC }), ...steps.map((s) => s)]);
  assert.equal(ctl[0].severity, 'medium');
  assert.match(ctl[0].title, /\(a controller\)/);
});

test('binding change: alternation, a takeover by an existing host, and virtual router MACs stay quiet', () => {
  const alternation = [reply(0, PLC, OLD_MAC), reply(10, PLC, NEW_MAC), reply(20, PLC, OLD_MAC), reply(30, PLC, NEW_MAC), reply(40, PLC, OLD_MAC)];
  assert.equal(run([bindingChange], alternation).length, 0);
  const takeover = [reply(0, PLC, OLD_MAC), reply(5, '10.10.1.66', NEW_MAC), reply(10, PLC, NEW_MAC), reply(400, PLC, NEW_MAC)];
  assert.equal(run([bindingChange], takeover).length, 0);
  const vrrp = [reply(0, '10.10.1.1', '00:00:5e:00:01:01'), reply(10, '10.10.1.1', '00:00:5e:00:01:02'), reply(400, '10.10.1.1', '00:00:5e:00:01:02')];
  assert.equal(run([bindingChange], vrrp).length, 0);
  // A change too young at the end of the input is not judged (the testkit's final expire is an hour later, so only a
  // return of the old MAC keeps it quiet here).
  assert.equal(run([bindingChange], [reply(0, PLC, OLD_MAC), reply(10, PLC, NEW_MAC), reply(10 + SETTLE_SEC - 1, PLC, OLD_MAC)]).length, 0);
});

test('binding change: a DHCP lease to the new MAC is noted', () => {
  const alerts = run([bindingChange], [
    reply(0, PLC, OLD_MAC),
    hint({ ts: 55, protocol: 'dhcp', source: 'dhcp_ack', subject: { ip: PLC, mac: NEW_MAC } }),
    reply(60, PLC, NEW_MAC),
  ]);
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0].facts.dhcp_lease, true);
  assert.match(alerts[0].title, /after a DHCP lease/);
});

test('firmware change: a new version in the same message fires; repeats, other messages and other devices do not', () => {
  const steps = [
    hint({ ts: 1, identity: { order_number: '6ES7 315-2EH14-0AB0', firmware: 'V3.2.7', vendor: 'Siemens' } }),
    hint({ ts: 2, identity: { order_number: '6ES7 315-2EH14-0AB0', firmware: 'V3.2.7', vendor: 'Siemens' } }),
    hint({ ts: 3, source: 'szl_0x0111', identity: { firmware: '3.2.7' } }),
    hint({ ts: 4, ip: '10.10.1.23', identity: { firmware: 'V2.6.1' } }),
    hint({ ts: 100, identity: { order_number: '6ES7 315-2EH14-0AB0', firmware: 'V3.3.0', vendor: 'Siemens' } }),
  ];
  const alerts = run([firmwareChange], steps);
  assert.equal(alerts.length, 1);
  const a = alerts[0];
  assert.equal(a.dst!.ip, PLC);
  assert.equal(a.severity, 'high');
  assert.deepEqual(a.techniques, ['T0857', 'T0839']);
  assert.match(a.title, /Firmware of 10\.10\.1\.22 changed from V3\.2\.7 to V3\.3\.0 \(s7comm szl_0x0011\)/);
  assert.deepEqual([a.facts.previous, a.facts.value, a.facts.changes], ['V3.2.7', 'V3.3.0', 1]);
  assert.equal(run([identityChange], steps).length, 0, 'the order number did not change');
});

test('firmware change: flapping between two versions is counted; a controller\'s change is critical', () => {
  const steps = [
    ...polls({ from: 0, n: 2, every: 1, protocol: 's7comm', op: 'read_var', client: HMI, server: PLC, port: 102 }),
    hint({ ts: 10, identity: { firmware: 'V3.2.7' } }),
    hint({ ts: 20, identity: { firmware: 'V3.3.0' } }),
    hint({ ts: 30, identity: { firmware: 'V3.2.7' } }),
    hint({ ts: 40, identity: { firmware: 'V3.3.0' } }),
  ];
  const alerts = run([firmwareChange], steps);
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0].count, 3);
  assert.equal(alerts[0].facts.flaps, 2);
  assert.equal(alerts[0].severity, 'critical');
  assert.match(alerts[0].title, /\(flapping\)/);
});

test('identity change: serial, model and product per device; gateways\' units and devices behind routers are apart', () => {
  const steps = [
    hint({ ts: 1, source: 'szl_0x001c', identity: { serial: 'S C-B1U393142011', model: 'CPU 315-2 PN/DP', name: 'PLC_1' } }),
    hint({ ts: 2, source: 'szl_0x001c', identity: { serial: 'S C-C2UR28922012', model: 'CPU 315-2 PN/DP', name: 'SNAP7-SERVER' } }),
    hint({ ts: 3, protocol: 'modbus', source: 'read_device_identification', address: 1, identity: { product: 'Pump controller', firmware: '1.0' } }),
    hint({ ts: 4, protocol: 'modbus', source: 'read_device_identification', address: 2, identity: { product: 'Valve controller', firmware: '2.0' } }),
    hint({ ts: 5, protocol: 'bacnet', source: 'read_property_multiple', behind: '8601/3f', address: 86001, identity: { model: 'LMBC-300' } }),
    hint({ ts: 6, protocol: 'bacnet', source: 'read_property_multiple', behind: '8601/40', address: 86002, identity: { model: 'LMLS-400' } }),
    hint({ ts: 7, protocol: 'bacnet', source: 'read_property_multiple', behind: '8601/3f', address: 86001, identity: { model: 'LMBC-350' } }),
  ];
  const alerts = run([identityChange], steps);
  assert.equal(alerts.length, 2);
  const serial = alerts.find((a) => a.facts.field === 'serial')!;
  assert.match(serial.title, /Serial number of 10\.10\.1\.22 changed from S C-B1U393142011 to S C-C2UR28922012/);
  assert.equal(serial.severity, 'medium');
  const model = alerts.find((a) => a.facts.field === 'model')!;
  assert.match(model.title, /Model of 10\.10\.1\.22 \(device 8601\/3f\) changed from LMBC-300 to LMBC-350/);
  assert.equal(run([firmwareChange], steps).length, 0, 'unit 1 and unit 2 are two devices');
});

test('identity change: hints without identity, empty values and group addresses are ignored', () => {
  const steps = [
    hint({ ts: 1, source: 'cotp_cr' }),
    hint({ ts: 2, identity: { serial: '' } }),
    hint({ ts: 3, identity: { serial: 'A' } }),
    hint({ ts: 4, identity: { serial: '  ' } }),
    hint({ ts: 5, ip: '255.255.255.255', identity: { serial: 'B' } }),
    hint({ ts: 6, ip: '255.255.255.255', identity: { serial: 'C' } }),
  ];
  assert.equal(run([identityChange], steps).length, 0);
});

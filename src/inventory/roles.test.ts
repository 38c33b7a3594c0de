import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inferRoles, purdueLevel, type AssetFacts, type ProtocolUse } from './roles.js';

const use = (peers: number, ops: ProtocolUse['ops'], industrial = true): ProtocolUse => ({ peers, ops, industrial });
const facts = (f: Partial<AssetFacts>): AssetFacts => ({ served: new Map(), used: new Map(), protocolRoles: new Set(), capabilities: [], ipsBehindMac: 0, external: false, ...f });

test('a device serving an industrial protocol is a controller, with the reason', () => {
  const [r] = inferRoles(facts({ served: new Map([['modbus', use(2, { read: 100 })]]) }));
  assert.equal(r.role, 'controller');
  assert.match(r.reasons[0], /serves modbus to 2 client/);
});

test('a reported PLC device type reinforces the controller role', () => {
  const r = inferRoles(facts({ served: new Map([['enip', use(1, {})]]), deviceType: 'Programmable Logic Controller' }));
  assert.equal(r[0].role, 'controller');
  assert.ok(r[0].confidence > 0.9);
  assert.equal(r[0].reasons.length, 2);
});

test('program operations make an engineering workstation; polling with writes an HMI', () => {
  const ews = inferRoles(facts({ used: new Map([['s7comm', use(1, { program: 3, read: 10 })]]) }));
  assert.equal(ews[0].role, 'engineering_workstation');
  const hmi = inferRoles(facts({ used: new Map([['modbus', use(4, { read: 1000, write: 3 })], ['dnp3', use(2, { read: 10, control: 1 })]]) }));
  assert.equal(hmi[0].role, 'hmi_scada');
  assert.match(hmi[0].reasons[0], /polls 6 industrial server/);
});

test('read-only collection from many servers suggests a historian', () => {
  const r = inferRoles(facts({ used: new Map([['opcua', use(5, { read: 5000 })]]) }));
  assert.equal(r[0].role, 'historian');
  assert.equal(r[1].role, 'hmi_scada');
});

test('LLDP capabilities or a gateway MAC make a network device; IT-only hosts and unknowns', () => {
  assert.equal(inferRoles(facts({ capabilities: ['bridge', 'router'] }))[0].role, 'network_device');
  assert.equal(inferRoles(facts({ ipsBehindMac: 40 }))[0].role, 'network_device');
  assert.equal(inferRoles(facts({ used: new Map([['dns', use(1, {}, false)]]) }))[0].role, 'it_host');
  assert.deepEqual(inferRoles(facts({})).map((r) => r.role), ['unknown']);
});

test('Purdue levels follow the role; an external address is level 5 only without an industrial role', () => {
  assert.equal(purdueLevel('controller', false).level, 1);
  assert.equal(purdueLevel('field_device', false).level, 0);
  assert.equal(purdueLevel('historian', false).level, 3);
  assert.equal(purdueLevel('it_host', true).level, 5);
  assert.equal(purdueLevel('controller', true).level, 1);
  assert.equal(purdueLevel('network_device', false).level, null);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EdgeTable, MAX_OPERATIONS_PER_EDGE } from './connections.js';

const stats = (first: number, last: number) => ({ flows: 1, packetsToServer: 3, packetsToClient: 2, bytesToServer: 300, bytesToClient: 200, first, last });

test('flows of the same client, server, protocol, transport and port add up in one edge', () => {
  const t = new EdgeTable();
  t.addFlow(1, '10.0.0.1', '10.0.0.2', 'modbus', 'tcp', 502, 0, stats(10, 20));
  t.addFlow(2, '10.0.0.1', '10.0.0.2', 'modbus', 'tcp', 502, 0, stats(5, 30));
  t.addFlow(3, '10.0.0.1', '10.0.0.2', 'modbus', 'udp', 502, 0, stats(5, 30));
  t.addFlow(4, '10.0.0.2', '10.0.0.1', 'modbus', 'tcp', 502, 0, stats(5, 30));
  assert.equal(t.size, 3);
  const [e] = [...t.views()];
  assert.deepEqual(
    { flows: e.flows, pkt: e.packetsToServer + e.packetsToClient, bytes: e.bytesToServer + e.bytesToClient, first: e.first, last: e.last },
    { flows: 2, pkt: 10, bytes: 1000, first: 5, last: 30 },
  );
  assert.equal(t.find('10.0.0.1', '10.0.0.2', 'modbus', 'udp', 502), 1);
  assert.equal(t.find('10.0.0.1', '10.0.0.2', 'dnp3', 'tcp', 502), -1);
});

test('operations are counted per name with their access, exceptions and server-sent share; names are capped', () => {
  const t = new EdgeTable();
  const e = t.edgeOfFlow(7, '10.0.0.1', '10.0.0.2', 'dnp3', 'tcp', 20000, 0, 1);
  t.addOperation(e, 'read', 'read', 'ok', false);
  t.addOperation(e, 'read', 'read', 'exception', false);
  t.addOperation(e, 'unsolicited_response', 'read', 'ok', true);
  for (let i = 0; i < MAX_OPERATIONS_PER_EDGE + 5; i++) t.addOperation(e, `op${i}`, 'other', 'ok', false);
  // The flow's end finds the same edge without rebuilding the key.
  t.addFlow(7, '10.0.0.1', '10.0.0.2', 'dnp3', 'tcp', 20000, 0, stats(1, 2));
  const [v] = [...t.views()];
  assert.equal(t.size, 1);
  assert.deepEqual(v.operations[0], { name: 'read', access: 'read', count: 2, exceptions: 1, no_response: 0, from_server: 0 });
  assert.equal(v.operations[1].from_server, 1);
  assert.equal(v.operations.length, MAX_OPERATIONS_PER_EDGE);
  assert.equal(v.otherOperations, 7);
  assert.equal(t.counters.operationsCapped, 7);
});

test('at the cap the least recently seen tenth goes and the rest stays findable', () => {
  const t = new EdgeTable(5000);
  for (let i = 0; i < 12_000; i++) t.addFlow(i, `10.1.${i >> 8}.${i & 255}`, '10.0.0.1', 'modbus', 'tcp', 502, 0, stats(i, i));
  assert.ok(t.size <= 5000);
  assert.ok(t.counters.evicted >= 7000);
  assert.ok(t.find(`10.1.${11_999 >> 8}.${11_999 & 255}`, '10.0.0.1', 'modbus', 'tcp', 502) >= 0);
  assert.equal(t.find('10.1.0.0', '10.0.0.1', 'modbus', 'tcp', 502), -1);
  for (const v of t.views()) assert.ok(v.client.startsWith('10.1.'));
});

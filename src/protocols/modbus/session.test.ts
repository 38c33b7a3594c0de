// Session tests: pairing by transaction id, latency, no_response, exceptions, lone responses, split delivery, gaps,
// UDP, asset hints, UMAS classification; the probe; the conformance suite on hand-made conversations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex } from '../../common/hex.js';
import { checkConformance, type Conversation } from '../conformance.js';
import type { Direction, FlowInfo, ProtocolEvent, Transport } from '../protocol.js';
import type { AssetHintEvent, TransactionEvent } from '../operation.js';
import { modbusModule, probeModbus } from './index.js';

function flow(transport: Transport): FlowInfo {
  return { id: 1, transport, client: { ip: '192.0.2.1', port: 50000 }, server: { ip: '192.0.2.2', port: 502 }, vlan: [0, 0], roleSource: 'handshake' };
}

function run(steps: [Direction, Uint8Array, number][], transport: Transport = 'tcp', gapBefore = -1) {
  const events: ProtocolEvent[] = [];
  const anomalies: string[] = [];
  const s = modbusModule.createSession({ flow: flow(transport), anomaly: (c) => anomalies.push(c), emit: (e) => events.push(e) });
  steps.forEach(([dir, data, ts], i) => {
    if (i === gapBefore) s.onGap(dir, 10, ts);
    s.onData(dir, data, ts);
  });
  s.onEnd(1000);
  const tx = events.filter((e) => e.type === 'transaction') as TransactionEvent[];
  const hints = events.filter((e) => e.type === 'asset_hint') as AssetHintEvent[];
  return { events, tx, hints, anomalies };
}

const READ_REQ = hex`00 07 00 00 00 06 01  03  00 10 00 02  # tid 7, unit 1, read 2 holding registers at 16`;
const READ_RESP = hex`00 07 00 00 00 07 01  03  04  00 01 00 02`;
const WRITE_REQ = hex`00 08 00 00 00 06 01  06  00 05 12 34  # tid 8, write register 5`;
const EXC_RESP = hex`00 08 00 00 00 03 01  86  02  # illegal data address`;

test('a request and its response make one transaction with latency', () => {
  const { tx, anomalies } = run([
    [0, READ_REQ, 10],
    [1, READ_RESP, 10.0125],
  ]);
  assert.equal(tx.length, 1);
  const t = tx[0];
  assert.equal(t.ts, 10);
  assert.deepEqual(t.operation, { code: 3, name: 'read_holding_registers', access: 'read' });
  assert.deepEqual(t.target, { unit: 1, area: 'holding_registers', address: 16, count: 2 });
  assert.equal(t.outcome, 'ok');
  assert.equal(t.latency_ms, 12.5);
  assert.equal(t.origin, 'client');
  assert.deepEqual(t.modbus, { transaction_id: 7, unit_id: 1, func_code: 3, address: 16, quantity: 2, byte_count: 4, read_values: [1, 2] });
  assert.deepEqual(anomalies, []);
});

test('exception response, unanswered request, response without request', () => {
  const { tx, anomalies } = run([
    [0, WRITE_REQ, 1],
    [1, EXC_RESP, 1.5],
    [0, READ_REQ, 2],
    [1, hex`00 63 00 00 00 05 01  03  02  00 09  # tid 99: nobody asked`, 3],
  ]);
  assert.equal(tx.length, 3);
  assert.equal(tx[0].outcome, 'exception');
  assert.deepEqual(tx[0].error, { code: 2, name: 'illegal_data_address' });
  assert.equal(tx[0].operation.access, 'write');
  assert.equal(tx[1].origin, 'server');
  assert.equal(tx[1].latency_ms, null);
  assert.equal(tx[1].modbus && (tx[1].modbus as { transaction_id: number }).transaction_id, 99);
  assert.equal(tx[2].outcome, 'no_response');
  assert.equal(tx[2].ts, 2);
  assert.deepEqual(anomalies, ['modbus.response_without_request']);
});

test('pairing checks the unit id and the function code', () => {
  const { tx, anomalies } = run([
    [0, READ_REQ, 1],
    [1, hex`00 07 00 00 00 05 02  04  02  00 09  # tid 7 from unit 2 with fc 4`, 2],
  ]);
  assert.equal(tx.length, 1);
  assert.deepEqual(anomalies, ['modbus.unit_id_mismatch', 'modbus.function_mismatch']);
});

test('a reused transaction id gives up the earlier request', () => {
  const { tx, anomalies } = run([
    [0, READ_REQ, 1],
    [0, READ_REQ, 2],
    [1, READ_RESP, 3],
  ]);
  assert.deepEqual(tx.map((t) => [t.outcome, t.ts]), [['no_response', 1], ['ok', 2]]);
  assert.deepEqual(anomalies, ['modbus.duplicate_transaction_id']);
});

test('requests older than 30 s time out', () => {
  const { tx } = run([
    [0, READ_REQ, 1],
    [0, WRITE_REQ, 40],
    [1, READ_RESP, 41],
  ]);
  assert.deepEqual(tx.map((t) => [t.operation.code, t.outcome, t.origin]), [[3, 'no_response', 'client'], [3, 'ok', 'server'], [6, 'no_response', 'client']]);
});

test('the same events whatever way the stream is cut', () => {
  const reqs = new Uint8Array([...READ_REQ, ...WRITE_REQ]);
  const resps = new Uint8Array([...READ_RESP, ...EXC_RESP]);
  const whole = run([[0, reqs, 1], [1, resps, 1]]);
  for (let cut = 1; cut < reqs.length; cut++) {
    const split = run([[0, reqs.slice(0, cut), 1], [0, reqs.slice(cut), 1], [1, resps.slice(0, cut % resps.length), 1], [1, resps.slice(cut % resps.length), 1]]);
    assert.deepEqual(split.events, whole.events, `cut at ${cut}`);
  }
  assert.equal(whole.tx.length, 2);
});

test('garbage stops a direction with a violation', () => {
  const { tx, anomalies } = run([
    [0, hex`00 01 00 05 00 06 01 03 00 00 00 01  # protocol id 5`, 1],
    [0, READ_REQ, 2],
  ]);
  assert.equal(tx.length, 0);
  assert.deepEqual(anomalies, ['modbus.bad_protocol_id']);
  assert.deepEqual(run([[0, hex`00 01 00 00 01 00 01 03 00 00  # length 256`, 1]]).anomalies, ['modbus.invalid_length']);
});

test('after a gap the session resumes on the next plausible header', () => {
  const tail = READ_REQ.slice(5);
  const { tx, anomalies } = run([[0, new Uint8Array([...tail, ...WRITE_REQ]), 1], [1, EXC_RESP, 2]], 'tcp', 0);
  assert.deepEqual(anomalies, []);
  assert.equal(tx.length, 1);
  assert.equal(tx[0].operation.code, 6);
  const lost = run([[0, new Uint8Array(3000).fill(0x41), 1]], 'tcp', 0);
  assert.deepEqual(lost.anomalies, ['modbus.gap_resync_failed']);
});

test('UDP: each datagram holds whole ADUs', () => {
  const { tx, anomalies } = run([[0, READ_REQ, 1], [1, READ_RESP, 2], [0, READ_REQ.slice(0, 10), 3]], 'udp');
  assert.equal(tx.length, 1);
  assert.deepEqual(anomalies, ['modbus.truncated_pdu']);
});

test('asset hints: client, server per unit, identity from MEI 14', () => {
  const { hints } = run([
    [0, hex`00 01 00 00 00 05 05  2b 0e 01 00`, 1],
    [1, hex`
      00 01 00 00 00 19 05
      2b 0e 01 81 00 00 03
      00 04 41 43 4d 45      # vendor "ACME"
      01 03 58 31 30         # product code "X10"
      02 04 56 31 2e 32      # revision "V1.2"
    `, 2],
  ]);
  assert.deepEqual(hints.map((h) => [h.side, h.role, h.address, h.source]), [
    ['client', 'client', undefined, 'encapsulated_interface_transport'],
    ['server', 'server', 5, 'encapsulated_interface_transport'],
    ['server', 'server', 5, 'read_device_identification'],
  ]);
  assert.deepEqual(hints[2].identity, { vendor: 'ACME', order_number: 'X10', firmware: 'V1.2' });
});

test('identity from report server id text', () => {
  const { hints } = run([
    [0, hex`00 01 00 00 00 02 01 11`, 1],
    [1, hex`00 01 00 00 00 0b 01  11 08  2a ff  50 4c 43 2d 31 30`, 2],
  ]);
  assert.deepEqual(hints[2].identity, { product: 'PLC-10', server_id: 42 });
  assert.equal(hints[2].source, 'report_server_id');
});

test('UMAS and diagnostics sub-functions set the access class', () => {
  const { tx } = run([
    [0, hex`00 01 00 00 00 04 01  5a 00 41  # UMAS stop PLC`, 1],
    [1, hex`00 01 00 00 00 04 01  5a 00 fd  # UMAS error`, 2],
    [0, hex`00 02 00 00 00 04 01  5a 00 31  # UMAS upload block`, 3],
    [0, hex`00 03 00 00 00 06 01  08 00 04 00 00  # force listen only`, 4],
    [0, hex`00 04 00 00 00 06 01  08 00 0b 00 00  # return bus message count`, 5],
    [0, hex`00 05 00 00 00 04 01  64 01 02  # user-defined 100`, 6],
  ]);
  assert.deepEqual(tx[0].operation, { code: 90, name: 'umas', access: 'control', sub: { code: 0x41, name: 'stop_plc' } });
  assert.equal(tx[0].outcome, 'exception');
  assert.deepEqual(tx[0].error, { code: 0xfd, name: 'umas_error' });
  const rest = tx.slice(1).sort((a, b) => a.ts - b.ts);
  assert.deepEqual(rest.map((t) => [t.operation.name, t.operation.sub?.name, t.operation.access]), [
    ['umas', 'upload_block', 'program'],
    ['diagnostics', 'force_listen_only_mode', 'control'],
    ['diagnostics', 'return_bus_message_count', 'diagnostic'],
    ['user_defined_100', undefined, 'other'],
  ]);
});

test('read coils values are trimmed to the requested quantity', () => {
  const { tx } = run([
    [0, hex`00 01 00 00 00 06 01  01 00 00 00 03`, 1],
    [1, hex`00 01 00 00 00 04 01  01 01 05`, 2],
  ]);
  assert.deepEqual((tx[0].modbus as { read_values: number[] }).read_values, [1, 0, 1]);
});

test('probe: strict on header fields, asks for more when short', () => {
  assert.equal(probeModbus(READ_REQ, 0, 'tcp'), 'match');
  assert.equal(probeModbus(READ_REQ.slice(0, 5), 0, 'tcp'), 'need_more');
  assert.equal(probeModbus(READ_REQ.slice(0, 10), 0, 'tcp'), 'need_more');
  assert.equal(probeModbus(READ_REQ.slice(0, 10), 0, 'udp'), 'no_match');
  assert.equal(probeModbus(EXC_RESP, 1, 'tcp'), 'match');
  assert.equal(probeModbus(EXC_RESP, 0, 'tcp'), 'no_match');
  assert.equal(probeModbus(hex`00 01 00 01 00 06 01 03 00 00 00 01`, 0, 'tcp'), 'no_match');
  assert.equal(probeModbus(hex`00 01 00 00 00 06 01 1d 00 00 00 01  # fc 29`, 0, 'tcp'), 'no_match');
  assert.equal(probeModbus(new TextEncoder().encode('GET / HTTP/1.1\r\n'), 0, 'tcp'), 'no_match');
  assert.equal(probeModbus(new Uint8Array([...READ_REQ, 0x16, 0x03, 0x01, 0x00]), 0, 'tcp'), 'no_match');
});

const SEEDS: Conversation[] = [
  {
    transport: 'tcp',
    chunks: [
      { dir: 0, data: new Uint8Array([...READ_REQ, ...WRITE_REQ]) },
      { dir: 1, data: new Uint8Array([...READ_RESP, ...EXC_RESP]) },
      { dir: 0, data: hex`00 09 00 00 00 05 01 2b 0e 01 00  00 0a 00 00 00 04 01 5a 00 40` },
      { dir: 1, data: hex`00 09 00 00 00 0c 01 2b 0e 01 81 00 00 01 00 04 41 43 4d 45  00 0a 00 00 00 04 01 5a 00 fe` },
      { dir: 0, data: hex`00 0b 00 00 00 11 01 14 0e 06 00 04 00 01 00 02 06 00 03 00 09 00 02` },
    ],
  },
  { transport: 'udp', chunks: [{ dir: 0, data: READ_REQ }, { dir: 1, data: READ_RESP }] },
];

test('conformance suite', () => {
  assert.deepEqual(checkConformance(modbusModule, SEEDS), []);
});

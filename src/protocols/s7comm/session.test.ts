import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex } from '../../common/hex.js';
import type { Direction, ProtocolEvent } from '../protocol.js';
import { S7COMM_ANOMALIES } from './anomalies.js';
import { s7commModule } from './index.js';
import {
  ACK_PASSWORD, CC, CR, PLC_STOP, READ_ACK, READ_ACK_ERROR, READ_JOB, SETUP_ACK, SETUP_JOB, SZL_REQ, SZL_RESP, WRITE_ACK, WRITE_JOB, concatBytes, dt,
} from './testkit.js';

const A = S7COMM_ANOMALIES.codes;

type Step = [Direction, Uint8Array, number];

/** The fields these tests read from transactions and hints. */
interface Ev {
  type: string;
  operation: { name: string; code: number; access: string; sub?: { code: number; name: string } };
  target: unknown;
  outcome: string;
  latency_ms: number | null;
  error?: unknown;
  origin: string;
  s7comm: Record<string, unknown> & { items: Record<string, unknown>[] };
  side?: string;
  role?: string;
  source?: string;
  identity?: unknown;
}

function run(steps: Step[], pieceSize = 0) {
  const events: Ev[] = [];
  const anomalies: string[] = [];
  const s = s7commModule.createSession({
    flow: { id: 1, transport: 'tcp', client: { ip: '10.0.0.1', port: 50000 }, server: { ip: '10.0.0.2', port: 102 }, vlan: [0, 0], roleSource: 'handshake' },
    anomaly: (c) => anomalies.push(c),
    emit: (e: ProtocolEvent) => events.push(e as unknown as Ev),
  });
  let end = 0;
  for (const [dir, data, ts] of steps) {
    if (pieceSize > 0) for (let o = 0; o < data.length; o += pieceSize) s.onData(dir, data.slice(o, o + pieceSize), ts);
    else s.onData(dir, data, ts);
    end = ts;
  }
  s.onEnd(end + 1);
  return { events, anomalies, tx: events.filter((e) => e.type === 'transaction'), hints: events.filter((e) => e.type === 'asset_hint') };
}

test('CR/CC give client and server role hints, the server with rack and slot', () => {
  const { hints } = run([[0, CR, 1], [1, CC, 1.001]]);
  assert.deepEqual(hints.map((h) => [h.side, h.role, h.source]), [['client', 'client', 'cotp_cr'], ['server', 'server', 'cotp_cr']]);
  assert.deepEqual(hints[1].identity, { rack: 1, slot: 3, connection_type: 'pg' });
});

test('pairing by PDU reference with latency; read var target and items with return codes', () => {
  const { tx, anomalies } = run([[0, SETUP_JOB, 10], [1, SETUP_ACK, 10.002], [0, READ_JOB, 11], [1, READ_ACK, 11.0005]]);
  assert.deepEqual(anomalies, []);
  assert.equal(tx.length, 2);
  assert.deepEqual(tx[0].operation, { name: 'setup_communication', code: 0xf0, access: 'other' });
  assert.equal(tx[0].latency_ms, 2);
  assert.equal(tx[0].s7comm.negotiated_pdu_length, 240);
  const r = tx[1];
  assert.deepEqual(r.operation, { name: 'read_var', code: 4, access: 'read' });
  assert.deepEqual(r.target, { area: 'DB', db: 5, address: 10, bit: 0, count: 4, items: 2 });
  assert.equal(r.outcome, 'ok');
  assert.equal(r.latency_ms, 0.5);
  assert.deepEqual(r.s7comm.items[1], {
    syntax: 's7any', area: 'outputs', byte: 3, bit: 3, transport_size: 'BIT', length: 1, return_code: 255, return_name: 'success', data_transport_size: 'bit', data_bytes: 1,
  });
});

test('item error → exception with the first failing return code; header error → exception', () => {
  const { tx } = run([[0, READ_JOB, 1], [1, READ_ACK_ERROR, 1.1], [0, PLC_STOP, 2], [1, ACK_PASSWORD, 2.1]]);
  assert.deepEqual([tx[0].outcome, tx[0].error], ['exception', { code: 5, name: 'address_out_of_range' }]);
  assert.deepEqual(tx[1].operation, { name: 'plc_stop', code: 0x29, access: 'control' });
  assert.deepEqual([tx[1].outcome, tx[1].error], ['exception', { code: 0xd241, name: 'password_required' }]);
});

test('write var is write; unanswered request → no_response at the end', () => {
  const { tx } = run([[0, WRITE_JOB, 1], [1, WRITE_ACK, 1.01], [0, READ_JOB, 2]]);
  assert.deepEqual(tx.map((t) => [t.operation.name, t.operation.access, t.outcome]), [['write_var', 'write', 'ok'], ['read_var', 'read', 'no_response']]);
  assert.equal(tx[1].latency_ms, null);
});

test('SZL read: discovery access, identity hint for the server', () => {
  const { tx, hints } = run([[0, SZL_REQ, 1], [1, SZL_RESP, 1.004]]);
  assert.deepEqual(tx[0].operation, { name: 'cpu_functions', code: 4, access: 'discovery', sub: { code: 1, name: 'read_szl' } });
  assert.deepEqual(tx[0].target, { area: 'szl', address: 0x11, szl_id: '0x0011', szl_index: '0x0000' });
  const id = hints.find((h) => h.source === 'szl_0x0011');
  assert.ok(id);
  assert.deepEqual(id.identity, { order_number: '6ES7 123-4AB56-0CD7', firmware: 'V4.1.2', hardware: '5', vendor: 'Siemens' });
});

test('response without request → lone transaction and anomaly; userdata push → lone server message', () => {
  const push = dt(hex`
    32 07 00 00 00 00 00 08 00 04
    00 01 12 04 11 04 12 00         # push (type 0), CPU group, ALARM_S indication
    ff 09 00 00
  `);
  const { tx, anomalies } = run([[1, READ_ACK, 1], [1, push, 2]]);
  assert.deepEqual(anomalies, [A.unmatched_response]);
  assert.deepEqual(tx.map((t) => [t.origin, t.outcome, t.operation.name, t.operation.sub?.name]), [
    ['server', 'ok', 'read_var', undefined],
    ['server', 'ok', 'cpu_functions', 'alarm_s_indication'],
  ]);
});

test('download block job from the PLC is paired with the client ack (origin server)', () => {
  const job = dt(hex`
    32 01 00 00 00 21 00 12 00 00
    1b 00 00 00 00 00 00 00  09 5f 30 41 30 30 30 30 31 50   # download block "_0A00001P"
  `);
  const ack = dt(hex`32 03 00 00 00 21 00 02 00 04 00 00  1b 00  00 00 00 00`);
  const { tx } = run([[1, job, 1], [0, ack, 1.2]]);
  assert.deepEqual([tx[0].origin, tx[0].outcome, tx[0].operation.access, tx[0].target], ['server', 'ok', 'program', { area: 'DB', address: 1 }]);
});

test('COTP DT fragments are reassembled up to end-of-TSDU', () => {
  const whole = READ_JOB.subarray(7);
  const frames = concatBytes(dt(whole.subarray(0, 10), false), dt(whole.subarray(10, 20), false), dt(whole.subarray(20), true));
  const { tx } = run([[0, frames, 1], [1, READ_ACK, 1.1]]);
  assert.equal(tx.length, 1);
  assert.equal(tx[0].s7comm.items.length, 2);
});

test('the same events whatever way the stream is cut', () => {
  const steps: Step[] = [[0, CR, 1], [1, CC, 1], [0, SETUP_JOB, 2], [1, SETUP_ACK, 2], [0, SZL_REQ, 3], [1, SZL_RESP, 3], [0, WRITE_JOB, 4], [1, WRITE_ACK, 4]];
  const whole = JSON.stringify(run(steps).events);
  for (const size of [1, 2, 3, 7, 13]) assert.equal(JSON.stringify(run(steps, size).events), whole);
});

test('garbage: bad TPKT stops the direction; a gap drops the partial frame', () => {
  const bad = run([[0, hex`16 03 01 00 05 01 02 03 04 05`, 1], [0, READ_JOB, 2]]);
  assert.deepEqual(bad.anomalies, [A.bad_tpkt]);
  assert.equal(bad.tx.length, 0);
  const events: ProtocolEvent[] = [];
  const s = s7commModule.createSession({
    flow: { id: 1, transport: 'tcp', client: { ip: 'a', port: 1 }, server: { ip: 'b', port: 102 }, vlan: [0, 0], roleSource: 'handshake' },
    anomaly: () => {},
    emit: (e) => events.push(e),
  });
  s.onData(0, READ_JOB.subarray(0, 9), 1);
  s.onGap(0, 100, 1);
  s.onData(0, WRITE_JOB, 2);
  s.onData(1, WRITE_ACK, 2.1);
  s.onEnd(3);
  const tx = events.filter((e) => e.type === 'transaction') as unknown as Ev[];
  assert.deepEqual(tx.map((t) => t.operation.name), ['write_var']);
});

test('S7comm-plus request/response paired by sequence number', () => {
  const req = dt(concatBytes(hex`72 03 00 20  20`, new Uint8Array(32), hex`31 00 00 05 4c 00 00 00 42 34`));
  const resp = dt(concatBytes(hex`72 03 00 20  20`, new Uint8Array(32), hex`32 00 00 05 4c 00 00 00 42 00`));
  const { tx } = run([[0, req, 1], [1, resp, 1.003]]);
  assert.equal(tx.length, 1);
  assert.deepEqual(tx[0].operation, { name: 'get_multi_variables', code: 0x054c, access: 'read' });
  assert.equal(tx[0].latency_ms, 3);
  assert.deepEqual(tx[0].s7comm, { s7comm_plus: true, version: 'v3', opcode: 'request', integrity: true, function_code: 0x054c, sequence: 0x42, response_opcode: 'response' });
});

// BACnet session: pairing by invoke id, latency, errors, no_response, segmented transfers, lone messages, hints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex } from '../../common/hex.js';
import type { AssetHintEvent, TransactionEvent } from '../operation.js';
import type { Direction, FlowInfo, ProtocolEvent } from '../protocol.js';
import { checkConformance, type Conversation } from '../conformance.js';
import { bacnetModule } from './index.js';
import { I_AM, RP_ACK, RP_REQUEST } from './testdata.js';

const FLOW: FlowInfo = {
  id: 1,
  transport: 'udp',
  client: { ip: '192.0.2.1', port: 47808 },
  server: { ip: '192.0.2.2', port: 47808 },
  vlan: [0, 0],
  roleSource: 'first_packet',
};

function run(datagrams: [Direction, Uint8Array, number][], endTs = 100) {
  const events: ProtocolEvent[] = [];
  const anomalies: string[] = [];
  const s = bacnetModule.createSession({ flow: FLOW, anomaly: (c) => anomalies.push(c), emit: (e) => events.push(e) });
  for (const [dir, data, ts] of datagrams) s.onData(dir, data, ts);
  s.onEnd(endTs);
  const tx = events.filter((e) => e.type === 'transaction') as TransactionEvent[];
  const hints = events.filter((e) => e.type === 'asset_hint') as AssetHintEvent[];
  return { tx, hints, anomalies };
}

const RP_ERROR = hex`81 0a 00 0d 01 00  50 01 0c  91 02 91 20  # error invoke 1: property/unknown-property`;

test('read-property paired with its ACK: latency, value, device identity hint', () => {
  const { tx, hints, anomalies } = run([
    [0, RP_REQUEST, 10],
    [1, RP_ACK, 10.25],
  ]);
  assert.deepEqual(anomalies, []);
  assert.equal(tx.length, 1);
  const t = tx[0];
  assert.equal(t.operation.name, 'read_property');
  assert.equal(t.operation.access, 'read');
  assert.equal(t.outcome, 'ok');
  assert.equal(t.latency_ms, 250);
  assert.equal(t.origin, 'client');
  assert.deepEqual(t.target, { area: 'device', address: 108, property: 'object_name' });
  const b = t.bacnet as Record<string, unknown>;
  assert.equal(b.value, 'RTU-1');
  assert.equal(b.response_pdu_type_name, 'complex_ack');
  const id = hints.find((h) => h.identity?.name === 'RTU-1');
  assert.ok(id);
  assert.equal(id.side, 'server');
  assert.equal(id.address, 108);
  assert.ok(hints.some((h) => h.side === 'client' && h.role === 'client'));
});

test('error response: exception outcome with the error code', () => {
  const { tx } = run([
    [0, RP_REQUEST, 1],
    [1, RP_ERROR, 1.1],
  ]);
  assert.equal(tx[0].outcome, 'exception');
  assert.deepEqual(tx[0].error, { code: 32, name: 'unknown_property' });
});

test('unanswered request: no_response at the end of the flow', () => {
  const { tx } = run([[0, RP_REQUEST, 1]]);
  assert.equal(tx[0].outcome, 'no_response');
  assert.equal(tx[0].latency_ms, null);
});

test('a request from the flow server is paired too, with origin server', () => {
  const { tx } = run([
    [1, RP_REQUEST, 1],
    [0, RP_ACK, 1.5],
  ]);
  assert.equal(tx.length, 1);
  assert.equal(tx[0].outcome, 'ok');
  assert.equal(tx[0].origin, 'server');
});

test('response without request and duplicate invoke id', () => {
  const a = run([[1, RP_ACK, 1]]);
  assert.deepEqual(a.anomalies, ['bacnet.response_without_request']);
  assert.equal(a.tx[0].operation.name, 'read_property');
  const b = run([
    [0, RP_REQUEST, 1],
    [0, RP_REQUEST, 2],
    [1, RP_ACK, 2.1],
  ]);
  assert.deepEqual(b.anomalies, ['bacnet.duplicate_invoke_id']);
  assert.deepEqual(b.tx.map((t) => t.outcome), ['no_response', 'ok']);
});

test('routed request pairs with the response by network address', () => {
  const req = hex`81 0a 00 16  01 24 00 03 01 6c ff  00 05 09 0c 0c 02 00 00 6c 19 4d  # to 3/6c, invoke 9`;
  const ackOther = hex`81 0a 00 18  01 08 00 03 01 6d  30 09 0c 0c 02 00 00 6c 19 4d 3e 21 01 3f  # from 3/6d`;
  const ack = hex`81 0a 00 18  01 08 00 03 01 6c  30 09 0c 0c 02 00 00 6c 19 4d 3e 21 01 3f  # from 3/6c`;
  const { tx, anomalies } = run([
    [0, req, 1],
    [1, ackOther, 1.1],
    [1, ack, 1.2],
  ]);
  assert.deepEqual(anomalies, ['bacnet.response_without_request']);
  const paired = tx.find((t) => t.latency_ms !== null)!;
  assert.equal(paired.latency_ms, 200);
  assert.equal((paired.bacnet as Record<string, unknown>).response_snet, 3);
});

test('segmented complex ACK: one transaction at the last segment, with segment counts', () => {
  const seg = (seq: number, more: boolean) =>
    hex`81 0a 00 0c 01 00  ${more ? '3c' : '38'} 01 ${seq.toString(16).padStart(2, '0')} 02 0c 0c  # complex ACK segment`;
  const segAck = (seq: number) => hex`81 0a 00 0a 01 00  40 01 ${seq.toString(16).padStart(2, '0')} 02  # client segment ACK`;
  const { tx, anomalies } = run([
    [0, RP_REQUEST, 1],
    [1, seg(0, true), 1.1],
    [0, segAck(0), 1.15],
    [1, seg(1, true), 1.2],
    [1, seg(2, false), 1.3],
    [0, segAck(2), 1.35],
  ]);
  assert.deepEqual(anomalies, []);
  assert.equal(tx.length, 1);
  const b = tx[0].bacnet as Record<string, unknown>;
  assert.equal(b.response_segments, 3);
  assert.equal(b.segment_acks, 1);
  assert.equal(tx[0].latency_ms, 100);
  const cut = run([
    [0, RP_REQUEST, 1],
    [1, seg(0, true), 1.1],
  ]);
  assert.equal((cut.tx[0].bacnet as Record<string, unknown>).segmentation_incomplete, true);
});

test('abort ends a segmented transfer with an exception', () => {
  const { tx } = run([
    [0, RP_REQUEST, 1],
    [1, hex`81 0a 00 0c 01 00 3c 01 00 02 0c 0c`, 1.1],
    [0, hex`81 0a 00 09 01 00 70 01 04  # abort by the client`, 1.2],
  ]);
  assert.equal(tx.length, 1);
  assert.equal(tx[0].outcome, 'exception');
  assert.equal(tx[0].error!.name, 'segmentation_not_supported');
});

test('unconfirmed services are lone transactions; i-am gives an identity hint', () => {
  const { tx, hints } = run([
    [0, hex`81 0b 00 08 01 00 10 08  # who-is`, 1],
    [1, I_AM, 1.1],
  ]);
  assert.deepEqual(tx.map((t) => [t.operation.name, t.origin, t.operation.access]), [
    ['who_is', 'client', 'discovery'],
    ['i_am', 'server', 'discovery'],
  ]);
  const h = hints.find((x) => x.source === 'i_am')!;
  assert.equal(h.side, 'server');
  assert.equal(h.address, 108);
  assert.equal(h.identity!.vendor_id, 42);
});

test('BVLC request paired with its result; network messages are lone', () => {
  const { tx } = run([
    [0, hex`81 05 00 06 00 3c  # register-foreign-device ttl 60`, 1],
    [1, hex`81 00 00 06 00 30  # result: NAK`, 1.01],
    [0, hex`81 02 00 04  # read-bdt`, 2],
    [1, hex`81 03 00 0e c0 a8 01 01 ba c0 ff ff ff ff`, 2.01],
    [0, hex`81 0b 00 09 01 80 00 00 03  # who-is-router-to-network`, 3],
  ]);
  assert.deepEqual(tx.map((t) => [t.operation.name, t.outcome]), [
    ['register_foreign_device', 'exception'],
    ['read_broadcast_distribution_table', 'ok'],
    ['who_is_router_to_network', 'ok'],
  ]);
  assert.equal(tx[0].error!.name, 'register_foreign_device_nak');
  assert.equal(tx[0].latency_ms, 10);
});

test('write, control and program services carry their access class', () => {
  const wp = hex`81 0a 00 1a 01 04 00 05 02 0f 0c 00 40 00 01 19 55 3e 44 42 48 00 00 3f 49 08`;
  const dcc = hex`81 0a 00 17 01 04 00 05 05 11 09 05 19 01 2d 07 00 73 65 63 72 65 74`;
  const { tx } = run([
    [0, wp, 1],
    [1, hex`81 0a 00 09 01 00 20 02 0f  # simple ACK`, 1.1],
    [0, dcc, 2],
    [1, hex`81 0a 00 09 01 00 20 05 11`, 2.1],
  ]);
  assert.deepEqual(tx.map((t) => [t.operation.access, t.outcome]), [
    ['write', 'ok'],
    ['control', 'ok'],
  ]);
  assert.ok(!JSON.stringify(tx).includes('secret'));
});

const SEEDS: Conversation[] = [
  {
    transport: 'udp',
    chunks: [
      { dir: 0, data: RP_REQUEST },
      { dir: 1, data: RP_ACK },
      { dir: 0, data: hex`81 0b 00 0d 01 00 10 08 09 64 1a 01 2c` },
      { dir: 1, data: I_AM },
      { dir: 0, data: hex`81 0a 00 0c 01 00 3c 01 00 02 0c 0c` },
      { dir: 1, data: hex`81 0a 00 0d 01 00 50 01 0c 91 02 91 20` },
      { dir: 0, data: hex`81 0a 00 0e 01 80 06 01 00 07 02 02 aa bb` },
      { dir: 1, data: hex`81 03 00 0e c0 a8 01 01 ba c0 ff ff ff ff` },
    ],
  },
];

test('the module passes the conformance suite', () => {
  assert.deepEqual(checkConformance(bacnetModule, SEEDS, { mutationsPerConversation: 200, randomConversations: 200 }), []);
});

test('probe: strict on BVLC header and NPDU version', () => {
  assert.equal(bacnetModule.probe(RP_REQUEST, 0, 'udp'), 'match');
  assert.equal(bacnetModule.probe(RP_REQUEST, 0, 'tcp'), 'no_match');
  assert.equal(bacnetModule.probe(hex`81 0a 00 11 02 04`, 0, 'udp'), 'no_match');
  assert.equal(bacnetModule.probe(hex`81 0a 00 40 01 04`, 0, 'udp'), 'no_match');
  assert.equal(bacnetModule.probe(hex`81`, 0, 'udp'), 'need_more');
  assert.equal(bacnetModule.probe(hex`45 00 00 14`, 0, 'udp'), 'no_match');
});

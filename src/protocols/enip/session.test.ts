import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkConformance, type Conversation } from '../conformance.js';
import type { ProtocolEvent, Transport } from '../protocol.js';
import { A } from './anomalies.js';
import { enipModule, probeEnip } from './index.js';
import * as T from './testdata.js';

type Ev = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function run(chunks: [0 | 1, Uint8Array, number][], transport: Transport = 'tcp', split = 0) {
  const events: Ev[] = [];
  const anomalies: string[] = [];
  const s = enipModule.createSession({
    flow: { id: 1, transport, client: { ip: '10.0.0.1', port: 50000 }, server: { ip: '10.0.0.2', port: 44818 }, vlan: [0, 0], roleSource: 'handshake' },
    anomaly: (c) => anomalies.push(c),
    emit: (e: ProtocolEvent) => events.push(e as Ev),
  });
  for (const [dir, data, ts] of chunks) {
    if (split > 0) for (let o = 0; o < data.length; o += split) s.onData(dir, data.slice(o, o + split), ts);
    else s.onData(dir, data, ts);
  }
  s.onEnd(100);
  return { tx: events.filter((e) => e.type === 'transaction'), hints: events.filter((e) => e.type === 'asset_hint'), anomalies, events };
}

test('RegisterSession, identity read, routed Read_Tag: pairing, latency, outcome', () => {
  const r = run([
    [0, T.REGISTER_REQUEST, 1],
    [1, T.REGISTER_REPLY, 1.002],
    [0, T.GET_IDENTITY_REQUEST, 2],
    [1, T.GET_IDENTITY_REPLY, 2.005],
    [0, T.READ_TAG_ROUTED_REQUEST, 3],
    [1, T.READ_TAG_ROUTED_REPLY, 3.001],
  ]);
  assert.deepEqual(r.anomalies, []);
  assert.deepEqual(r.tx.map((t) => [t.operation.name, t.operation.access, t.outcome, t.latency_ms]), [
    ['register_session', 'other', 'ok', 2],
    ['get_attributes_all', 'read', 'ok', 5],
    ['read_tag', 'read', 'ok', 1],
  ]);
  assert.equal(r.tx[0].enip.session_handle, T.SESSION);
  assert.deepEqual(r.tx[1].target, { area: 'Identity', address: 1 });
  assert.equal(r.tx[1].enip.identity.product_name, '1756-L');
  assert.deepEqual(r.tx[2].target, { count: 1, tag: 'Tag1', route: 'port 1/0' });
  const identity = r.hints.find((h) => h.source === 'get_attributes_all_identity');
  assert.equal(identity?.side, 'server');
  assert.equal(identity?.role, 'plc');
  assert.equal(identity?.identity.serial, '0x12345678');
  assert.equal(identity?.identity.firmware, '20.11');
});

test('split delivery gives the same events', () => {
  const chunks: [0 | 1, Uint8Array, number][] = [
    [0, T.FORWARD_OPEN_REQUEST, 1],
    [1, T.FORWARD_OPEN_REPLY, 1.5],
    [0, T.MSP_REQUEST, 2],
    [1, T.MSP_REPLY, 2.5],
  ];
  const whole = run(chunks);
  for (const n of [1, 3, 7, 25]) assert.deepEqual(run(chunks, 'tcp', n).events, whole.events);
});

test('Forward_Open then connected Multiple_Service_Packet: one transaction per embedded service', () => {
  const r = run([
    [0, T.FORWARD_OPEN_REQUEST, 1],
    [1, T.FORWARD_OPEN_REPLY, 1.5],
    [0, T.MSP_REQUEST, 2],
    [1, T.MSP_REPLY, 2.5],
  ]);
  assert.deepEqual(r.anomalies, []);
  const fo = r.tx[0];
  assert.equal(fo.operation.name, 'forward_open');
  assert.equal(fo.enip.forward_open.o_t_connection_id, 0x101);
  assert.equal(fo.enip.forward_open.t_o_connection_id, 0x20000002);
  assert.deepEqual(r.tx.slice(1).map((t) => [t.operation.name, t.operation.access, t.outcome, t.error?.name, t.enip.msp_index, t.target.area]), [
    ['get_attribute_single', 'read', 'ok', undefined, 0, 'Identity'],
    ['set_attribute_single', 'write', 'exception', 'privilege_violation', 1, 'TCP/IP Interface'],
  ]);
  assert.equal(r.tx[1].enip.connection_id, 0x101);
  assert.equal(r.tx[1].enip.sequence, 5);
});

test('unanswered request → no_response at end; control access for Reset', () => {
  const r = run([[0, T.RESET_REQUEST, 1]]);
  assert.equal(r.tx.length, 1);
  assert.equal(r.tx[0].operation.name, 'reset');
  assert.equal(r.tx[0].operation.access, 'control');
  assert.deepEqual(r.tx[0].operation.sub, { code: 0, name: 'restart' });
  assert.equal(r.tx[0].outcome, 'no_response');
  assert.equal(r.tx[0].latency_ms, null);
});

test('reply without request is a lone server transaction; encapsulation error status is an exception', () => {
  const r = run([[1, T.READ_TAG_ROUTED_REPLY, 1]]);
  assert.deepEqual(r.anomalies, [A.response_without_request]);
  assert.equal(r.tx[0].origin, 'server');
  const e = run([
    [0, T.REGISTER_REQUEST, 1],
    [1, T.REGISTER_REFUSED, 1.1],
  ]);
  assert.equal(e.tx[0].outcome, 'exception');
  assert.deepEqual(e.tx[0].error, { code: 0x69, name: 'unsupported_protocol_revision' });
});

test('pipelined requests with one sender context pair in order', () => {
  const r = run([
    [0, T.GET_IDENTITY_REQUEST, 1],
    [0, T.GET_IDENTITY_REQUEST, 2],
    [1, T.GET_IDENTITY_REPLY, 3],
    [1, T.GET_IDENTITY_REPLY, 4],
  ]);
  assert.deepEqual(r.tx.map((t) => t.latency_ms), [2000, 2000]);
});

test('UDP ListIdentity reply → identity hint; CIP I/O counted into one summary per connection', () => {
  const r = run([[1, T.LIST_IDENTITY_REPLY, 1]], 'udp');
  const hint = r.hints.find((h) => h.source === 'list_identity');
  assert.equal(hint?.identity.product, '1756-L61/B LOGIX5561');
  assert.equal(hint?.identity.vendor_id, 1);
  const io = run([[0, T.ioPacket(1), 1], [0, T.ioPacket(2), 1.01], [0, T.ioPacket(4), 1.02]], 'udp');
  assert.equal(io.tx.length, 1);
  assert.deepEqual(io.tx[0].enip.io, {
    connection_id: 0x1234,
    direction: 'client_to_server',
    packets: 3,
    bytes: 18,
    first_sequence: 1,
    last_sequence: 4,
    sequence_gaps: 1,
    first_ts: 1,
    last_ts: 1.02,
  });
  assert.deepEqual(io.anomalies, [A.io_sequence_gap]);
});

test('garbage stops the direction; gap resynchronises on the next header', () => {
  const g = run([[0, new Uint8Array(40).fill(0xee), 1], [0, T.REGISTER_REQUEST, 2]]);
  assert.deepEqual(g.anomalies, [A.bad_header]);
  assert.equal(g.tx.length, 0);
  const events: Ev[] = [];
  const anomalies: string[] = [];
  const s = enipModule.createSession({
    flow: { id: 1, transport: 'tcp', client: { ip: 'a', port: 1 }, server: { ip: 'b', port: 44818 }, vlan: [0, 0], roleSource: 'handshake' },
    anomaly: (c) => anomalies.push(c),
    emit: (e) => events.push(e as Ev),
  });
  s.onData(0, T.REGISTER_REQUEST.slice(0, 10), 1);
  s.onGap(0, 100, 1);
  s.onData(0, T.concat(new Uint8Array([1, 2, 3]), T.GET_IDENTITY_REQUEST), 2);
  s.onData(1, T.GET_IDENTITY_REPLY, 3);
  s.onEnd(4);
  assert.deepEqual(anomalies, [A.gap]);
  assert.equal(events.filter((e) => e.type === 'transaction')[0].operation.name, 'get_attributes_all');
});

test('probe: strict on headers, need_more when short, CIP I/O on UDP', () => {
  assert.equal(probeEnip(T.REGISTER_REQUEST, 0, 'tcp'), 'match');
  assert.equal(probeEnip(T.GET_IDENTITY_REQUEST, 0, 'tcp'), 'match');
  assert.equal(probeEnip(T.LIST_IDENTITY_REQUEST, 0, 'udp'), 'match');
  assert.equal(probeEnip(T.REGISTER_REQUEST.slice(0, 10), 0, 'tcp'), 'need_more');
  assert.equal(probeEnip(new TextEncoder().encode('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), 0, 'tcp'), 'no_match');
  assert.equal(probeEnip(T.ioPacket(1), 0, 'udp'), 'match');
  assert.equal(probeEnip(new Uint8Array(30), 0, 'tcp'), 'no_match');
});

test('conformance suite', () => {
  const seeds: Conversation[] = [
    {
      transport: 'tcp',
      chunks: [
        { dir: 0, data: T.REGISTER_REQUEST },
        { dir: 1, data: T.REGISTER_REPLY },
        { dir: 0, data: T.T_CONCAT_REQUESTS },
        { dir: 1, data: T.T_CONCAT_REPLIES },
        { dir: 0, data: T.RESET_REQUEST },
      ],
    },
    { transport: 'udp', chunks: [{ dir: 0, data: T.LIST_IDENTITY_REQUEST }, { dir: 1, data: T.LIST_IDENTITY_REPLY }] },
    { transport: 'udp', chunks: [{ dir: 0, data: T.ioPacket(1) }, { dir: 0, data: T.ioPacket(2) }, { dir: 1, data: T.ioPacket(9) }] },
  ];
  assert.deepEqual(checkConformance(enipModule, seeds), []);
});

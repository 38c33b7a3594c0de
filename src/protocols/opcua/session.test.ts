import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex } from '../../common/hex.js';
import { checkConformance, type Conversation } from '../conformance.js';
import type { Direction, ProtocolEvent } from '../protocol.js';
import { opcuaModule } from './index.js';
import * as S from './samples.js';

type Ev = ProtocolEvent & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function run(chunks: [Direction, Uint8Array, number][], split = 0): { events: Ev[]; anomalies: string[] } {
  const events: Ev[] = [];
  const anomalies: string[] = [];
  const session = opcuaModule.createSession({
    flow: {
      id: 1,
      transport: 'tcp',
      client: { ip: '10.0.0.1', port: 50000 },
      server: { ip: '10.0.0.2', port: 4840 },
      vlan: [0, 0],
      roleSource: 'handshake',
    },
    anomaly: (c) => anomalies.push(c),
    emit: (e) => events.push(e as Ev),
  });
  for (const [dir, data, ts] of chunks) {
    if (split > 0) for (let i = 0; i < data.length; i += split) session.onData(dir, data.subarray(i, i + split), ts);
    else session.onData(dir, data, ts);
  }
  session.onEnd(100);
  return { events, anomalies };
}

const tx = (events: Ev[]) => events.filter((e) => e.type === 'transaction');

const CONVERSATION: [Direction, Uint8Array, number][] = [
  [0, S.HEL, 1],
  [1, S.ACK, 1.001],
  [0, S.OPN_REQUEST, 1.002],
  [1, S.OPN_RESPONSE, 1.003],
  [0, S.READ_REQUEST, 2],
  [1, S.READ_RESPONSE, 2.0125],
  [0, S.WRITE_REQUEST, 3],
  [1, S.WRITE_RESPONSE, 3.001],
  [0, S.CALL_REQUEST, 4],
  [1, S.SERVICE_FAULT, 4.002],
  [0, S.GET_ENDPOINTS_REQUEST, 5],
  [1, S.GET_ENDPOINTS_RESPONSE, 5.001],
];

test('a conversation: hello, secure channel, read, write, call fault, endpoints', () => {
  const { events, anomalies } = run(CONVERSATION);
  assert.deepEqual(anomalies, []);
  const t = tx(events);
  assert.deepEqual(
    t.map((e) => [e.operation.name, e.operation.access, e.outcome]),
    [
      ['hello', 'other', 'ok'],
      ['open_secure_channel', 'other', 'ok'],
      ['read', 'read', 'ok'],
      ['write', 'write', 'ok'],
      ['call', 'control', 'exception'],
      ['get_endpoints', 'discovery', 'ok'],
    ],
  );
  const read = t[2];
  assert.equal(read.latency_ms, 12.5);
  assert.deepEqual(read.target, { node: 'ns=1;i=1234', area: 'Value', count: 2 });
  assert.equal(read.opcua.request_type, 'ReadRequest');
  assert.equal(read.opcua.response_type, 'ReadResponse');
  assert.equal(read.opcua.service_result, 'Good');
  assert.equal(read.opcua.values.length, 2);
  assert.deepEqual(t[3].opcua.results, ['BadNotWritable']);
  assert.deepEqual(t[4].error, { code: 0x801f0000, name: 'BadUserAccessDenied' });
  assert.equal(t[4].target.method, 'ns=1;i=1001');
  assert.equal(t[4].opcua.response_type, 'ServiceFault');
  assert.equal(t[1].opcua.security_policy, 'None');
  assert.equal(t[1].opcua.security_mode, 'none');
  const hint = events.find((e) => e.type === 'asset_hint' && e.identity !== undefined)!;
  assert.equal(hint.side, 'server');
  assert.deepEqual(hint.identity, {
    product: 'http://vendor.example/plc-one',
    name: 'PLC One',
    application_uri: 'urn:vendor:plc',
    device_type: 'opcua_server',
  });
  assert.equal(hint.source, 'get_endpoints');
});

test('the same events whatever way the stream is cut', () => {
  const whole = JSON.stringify(run(CONVERSATION).events);
  for (const split of [1, 3, 7, 50]) assert.equal(JSON.stringify(run(CONVERSATION, split).events), whole);
  const joined: [Direction, Uint8Array, number][] = [
    [0, new Uint8Array([...S.HEL]), 1],
    [1, S.ACK, 1.001],
    [0, new Uint8Array([...S.OPN_REQUEST]), 1.002],
  ];
  assert.equal(tx(run(joined).events).length, 2);
});

test('chunk reassembly: C then F completes one request; A from the server aborts it', () => {
  const { events, anomalies } = run([
    [0, S.OPN_REQUEST, 1],
    [1, S.OPN_RESPONSE, 1],
    [0, S.READ_REQUEST_CHUNKED[0], 2],
    [0, S.READ_REQUEST_CHUNKED[1], 2],
    [1, S.ABORT_RESPONSE, 2.5],
  ]);
  assert.deepEqual(anomalies, []);
  const t = tx(events)[1];
  assert.equal(t.operation.name, 'read');
  assert.equal(t.opcua.chunk_count, 2);
  assert.equal(t.opcua.nodes.length, 2);
  assert.equal(t.outcome, 'exception');
  assert.deepEqual(t.error, { code: 0x80800000, name: 'BadTcpMessageTooLarge' });
  assert.equal(t.opcua.aborted, true);
});

test('unanswered requests end as no_response; responses without a request are lone server records', () => {
  const { events, anomalies } = run([
    [0, S.READ_REQUEST, 1],
    [1, S.WRITE_RESPONSE, 2],
  ]);
  assert.deepEqual(anomalies, ['opcua.response_without_request']);
  const t = tx(events);
  assert.deepEqual(t.map((e) => [e.operation.name, e.origin, e.outcome]), [
    ['write', 'server', 'ok'],
    ['read', 'client', 'no_response'],
  ]);
});

test('HEL answered by ERR is an exception; a lone ERR is a server record', () => {
  const t = tx(run([[0, S.HEL, 1], [1, S.ERR, 1.5]]).events);
  assert.equal(t[0].operation.name, 'hello');
  assert.equal(t[0].outcome, 'exception');
  assert.deepEqual(t[0].error, { code: 0x807e0000, name: 'BadTcpMessageTypeInvalid' });
  const lone = tx(run([[1, S.ERR, 1]]).events);
  assert.equal(lone[0].operation.name, 'error');
  assert.equal(lone[0].origin, 'server');
});

test('encrypted channel: OPN paired with visible fields, MSG as encrypted_message', () => {
  const t = tx(
    run([
      [0, S.OPN_ENCRYPTED_REQUEST, 1],
      [1, S.OPN_ENCRYPTED_REQUEST, 1.1],
      [0, S.MSG_ENCRYPTED, 2],
      [1, S.MSG_ENCRYPTED, 2.1],
    ]).events,
  );
  assert.deepEqual(t.map((e) => [e.operation.name, e.origin, e.outcome]), [
    ['open_secure_channel', 'client', 'ok'],
    ['encrypted_message', 'client', 'ok'],
    ['encrypted_message', 'server', 'ok'],
  ]);
  assert.equal(t[0].opcua.security_policy, 'Basic256Sha256');
  assert.equal(t[0].opcua.sender_certificate_length, 4);
  assert.equal(t[0].opcua.receiver_thumbprint_length, 20);
  assert.equal(t[1].opcua.encrypted, true);
  assert.equal(t[1].opcua.token_id, 2);
});

test('garbage stops the direction with one anomaly; capture loss resyncs on the next header', () => {
  const garbage = run([[0, hex`47 45 54 20 2f 20 48 54 54 50  # GET / HTTP`, 1], [0, S.READ_REQUEST, 2]]);
  assert.deepEqual(garbage.anomalies, ['opcua.bad_message_type']);
  assert.equal(tx(garbage.events).length, 0);

  const events: Ev[] = [];
  const anomalies: string[] = [];
  const s = opcuaModule.createSession({
    flow: { id: 1, transport: 'tcp', client: { ip: 'a', port: 1 }, server: { ip: 'b', port: 2 }, vlan: [0, 0], roleSource: 'handshake' },
    anomaly: (c) => anomalies.push(c),
    emit: (e) => events.push(e as Ev),
  });
  s.onData(0, S.READ_REQUEST.subarray(0, 40), 1);
  s.onGap(0, 100, 1);
  s.onData(0, new Uint8Array([...S.READ_REQUEST.subarray(60), ...S.WRITE_REQUEST]), 2);
  s.onData(1, S.WRITE_RESPONSE, 3);
  s.onEnd(4);
  assert.deepEqual(anomalies, []);
  assert.deepEqual(tx(events).map((e) => e.operation.name), ['write']);
});

test('probe: strict on type, chunk, size and direction', () => {
  assert.equal(opcuaModule.probe(S.HEL, 0, 'tcp'), 'match');
  assert.equal(opcuaModule.probe(S.HEL, 1, 'tcp'), 'no_match');
  assert.equal(opcuaModule.probe(S.ACK, 1, 'tcp'), 'match');
  assert.equal(opcuaModule.probe(S.READ_REQUEST, 0, 'tcp'), 'match');
  assert.equal(opcuaModule.probe(S.HEL.subarray(0, 5), 0, 'tcp'), 'need_more');
  assert.equal(opcuaModule.probe(hex`4d 53`, 0, 'tcp'), 'need_more');
  assert.equal(opcuaModule.probe(hex`47 45 54 20 2f 20 48 54`, 0, 'tcp'), 'no_match');
  assert.equal(opcuaModule.probe(hex`48 45 4c 43 20 00 00 00  # HEL with chunk C`, 0, 'tcp'), 'no_match');
  assert.equal(opcuaModule.probe(hex`4d 53 47 46 ff ff ff 7f  # MSG of 2 GiB`, 0, 'tcp'), 'no_match');
  assert.equal(opcuaModule.probe(S.HEL, 0, 'udp'), 'no_match');
});

test('conformance suite', () => {
  const seeds: Conversation[] = [
    { transport: 'tcp', chunks: CONVERSATION.map(([dir, data]) => ({ dir, data })) },
    {
      transport: 'tcp',
      chunks: [
        { dir: 0, data: S.OPN_REQUEST },
        { dir: 1, data: S.OPN_RESPONSE },
        { dir: 0, data: S.READ_REQUEST_CHUNKED[0] },
        { dir: 0, data: S.READ_REQUEST_CHUNKED[1] },
        { dir: 1, data: S.ABORT_RESPONSE },
        { dir: 0, data: S.CALL_REQUEST },
        { dir: 1, data: S.SERVICE_FAULT },
      ],
    },
    {
      transport: 'tcp',
      chunks: [
        { dir: 0, data: S.OPN_ENCRYPTED_REQUEST },
        { dir: 1, data: S.OPN_ENCRYPTED_REQUEST },
        { dir: 0, data: S.MSG_ENCRYPTED },
        { dir: 1, data: S.MSG_ENCRYPTED },
      ],
    },
  ];
  assert.deepEqual(checkConformance(opcuaModule, seeds), []);
});

test('reassembly caps: at most 16 messages open per direction', () => {
  const chunks: [Direction, Uint8Array, number][] = [];
  for (let id = 1; id <= 17; id++) {
    chunks.push([0, S.frame('MSG', 'C', hex`
      01 00 00 00  # channel 1
      01 00 00 00  # token 1
      ${id.toString(16).padStart(2, '0')} 00 00 00  # sequence number
      ${id.toString(16).padStart(2, '0')} 00 00 00  # request id
      01 00 77 02  # start of a ReadRequest
    `), 1]);
  }
  const { events, anomalies } = run(chunks);
  assert.deepEqual(anomalies, ['opcua.reassembly_cap']);
  assert.equal(tx(events).length, 0);
});

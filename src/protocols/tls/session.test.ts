// TLS session tests: TLS 1.2 and 1.3 handshakes, split delivery, alerts, garbage, caps, probe, conformance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex } from '../../common/hex.js';
import { checkConformance, type Conversation } from '../conformance.js';
import type { AssetHintEvent, TransactionEvent } from '../operation.js';
import type { Direction, FlowInfo, ProtocolEvent } from '../protocol.js';
import { probeTls, tlsModule } from './index.js';
import { CLIENT_HELLO, SERVER_FLIGHT_12, SERVER_FLIGHT_13, concat, handshake, record } from './testdata.js';
import type { TlsFields } from './types.js';

const FLOW: FlowInfo = {
  id: 1,
  transport: 'tcp',
  client: { ip: '10.0.0.1', port: 50000 },
  server: { ip: '10.0.0.2', port: 443 },
  vlan: [0, 0],
  roleSource: 'handshake',
};

function run(chunks: [Direction, Uint8Array][], gap?: [number, Direction]) {
  const events: ProtocolEvent[] = [];
  const anomalies: string[] = [];
  const s = tlsModule.createSession({ flow: FLOW, anomaly: (c) => anomalies.push(c), emit: (e) => events.push(e) });
  chunks.forEach(([dir, data], i) => {
    if (gap !== undefined && gap[0] === i) s.onGap(gap[1], 10, 1 + i);
    s.onData(dir, data, 1 + i);
  });
  s.onEnd(100);
  const tx = events.filter((e) => e.type === 'transaction') as (TransactionEvent & { tls: TlsFields })[];
  const hints = events.filter((e) => e.type === 'asset_hint') as AssetHintEvent[];
  return { tx, hints, anomalies };
}

test('TLS 1.2 handshake: one transaction with the certificate subject, the SNI as server name', () => {
  const r = run([
    [0, CLIENT_HELLO],
    [1, SERVER_FLIGHT_12],
    [0, hex`16 03 03 00 04 10 00 00 00  14 03 03 00 01 01  # ClientKeyExchange, ChangeCipherSpec`],
  ]);
  assert.equal(r.tx.length, 1);
  const t = r.tx[0];
  assert.deepEqual(t.operation, { code: 1, name: 'client_hello', access: 'other' });
  assert.deepEqual(t.target, { sni: 'hmi.plant.local' });
  assert.equal(t.outcome, 'ok');
  assert.equal(t.latency_ms, 1000);
  assert.deepEqual(t.tls, {
    alpn: ['h2', 'http/1.1'],
    version: 'TLS 1.3',
    sni: 'hmi.plant.local',
    ja3: '5955d5dba0a9b0dfe965b46d3cbb9c35',
    server_version: 'TLS 1.2',
    cipher: 0xc02f,
    cipher_name: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
    server_alpn: 'h2',
    cert_subject: 'CN=plc1.example,O=ACME\\, Inc,C=DE',
  });
  assert.deepEqual(r.hints, [
    { protocol: 'tls', type: 'asset_hint', ts: 1, side: 'server', names: [{ name: 'hmi.plant.local', source: 'tls_sni' }], source: 'tls_client_hello' },
  ]);
  assert.deepEqual(r.anomalies, []);
});

test('TLS 1.3 byte by byte: stops after ServerHello', () => {
  const chunks: [Direction, Uint8Array][] = [];
  for (const b of CLIENT_HELLO) chunks.push([0, Uint8Array.of(b)]);
  for (const b of SERVER_FLIGHT_13) chunks.push([1, Uint8Array.of(b)]);
  const r = run(chunks);
  assert.equal(r.tx.length, 1);
  assert.equal(r.tx[0].tls.server_version, 'TLS 1.3');
  assert.equal(r.tx[0].tls.cert_subject, undefined);
  assert.deepEqual(r.anomalies, []);
});

test('handshake messages spread over records; ClientHello without answer; server alert', () => {
  const msg = handshake(1, CLIENT_HELLO.subarray(9));
  const split = concat(record(22, msg.subarray(0, 50)), record(22, msg.subarray(50)));
  const r = run([[0, split]]);
  assert.equal(r.tx[0].outcome, 'no_response');
  assert.equal(r.tx[0].tls.sni, 'hmi.plant.local');
  const alert = run([
    [0, CLIENT_HELLO],
    [1, hex`15 03 03 00 02  02 28   # fatal handshake_failure`],
  ]);
  assert.equal(alert.tx[0].outcome, 'exception');
  assert.deepEqual(alert.tx[0].error, { code: 40, name: 'handshake_failure' });
});

test('not TLS, unexpected first message, gap, oversized handshake', () => {
  assert.deepEqual(run([[0, hex`16 02 00 00 05 01 00 00 01 00  # major version 2`]]).anomalies, ['tls.bad_record']);
  assert.deepEqual(run([[0, record(22, handshake(11, new Uint8Array(8)))]]).anomalies, ['tls.unexpected_handshake']);
  const g = run(
    [
      [0, CLIENT_HELLO],
      [1, SERVER_FLIGHT_12],
    ],
    [1, 1],
  );
  assert.deepEqual(g.anomalies, ['tls.gap']);
  assert.equal(g.tx.length, 1);
  assert.equal(g.tx[0].outcome, 'no_response');
  const big = run([[1, hex`16 03 03 00 04  02 01 00 00  # ServerHello of 64 KiB`]]);
  assert.deepEqual(big.anomalies, ['tls.handshake_too_long']);
});

test('probe', () => {
  assert.equal(probeTls(CLIENT_HELLO, 0), 'match');
  assert.equal(probeTls(SERVER_FLIGHT_12, 1), 'match');
  assert.equal(probeTls(CLIENT_HELLO, 1), 'no_match');
  assert.equal(probeTls(hex`16 03`, 0), 'need_more');
  assert.equal(probeTls(hex`16 03 01 00 00 01`, 0), 'no_match');
  assert.equal(probeTls(new TextEncoder().encode('GET / HTTP/1.1'), 0), 'no_match');
  assert.equal(probeTls(hex`80 2e 01 03 01  # SSLv2 ClientHello`, 0), 'no_match');
});

test('conformance suite over hand-made conversations', () => {
  const seeds: Conversation[] = [
    {
      transport: 'tcp',
      chunks: [
        { dir: 0, data: CLIENT_HELLO },
        { dir: 1, data: SERVER_FLIGHT_12 },
        { dir: 0, data: hex`14 03 03 00 01 01  17 03 03 00 02 aa bb` },
      ],
    },
    {
      transport: 'tcp',
      chunks: [
        { dir: 0, data: CLIENT_HELLO },
        { dir: 1, data: SERVER_FLIGHT_13 },
      ],
    },
  ];
  assert.deepEqual(checkConformance(tlsModule, seeds, { mutationsPerConversation: 100, randomConversations: 100 }), []);
});

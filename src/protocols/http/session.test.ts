// HTTP/1.x session tests: pairing (pipelined), body framing (length, chunked, until close), hints, tunnels, caps,
// and the conformance suite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkConformance, type Conversation } from '../conformance.js';
import type { Direction, FlowInfo, ProtocolEvent } from '../protocol.js';
import type { AssetHintEvent, TransactionEvent } from '../operation.js';
import { httpModule, probeHttp } from './index.js';
import type { HttpFields } from './types.js';

const text = (s: string) => new TextEncoder().encode(s);
const FLOW: FlowInfo = {
  id: 1,
  transport: 'tcp',
  client: { ip: '10.0.0.1', port: 50000 },
  server: { ip: '10.0.0.2', port: 80 },
  vlan: [0, 0],
  roleSource: 'handshake',
};

function run(chunks: [Direction, string | Uint8Array][], gaps: [number, Direction, number][] = []) {
  const events: ProtocolEvent[] = [];
  const anomalies: string[] = [];
  const s = httpModule.createSession({ flow: FLOW, anomaly: (c) => anomalies.push(c), emit: (e) => events.push(e) });
  chunks.forEach(([dir, data], i) => {
    for (const [at, gdir, bytes] of gaps) if (at === i) s.onGap(gdir, bytes, 1 + i);
    s.onData(dir, typeof data === 'string' ? text(data) : data, 1 + i);
  });
  s.onEnd(100);
  const tx = events.filter((e) => e.type === 'transaction') as (TransactionEvent & { http: HttpFields })[];
  const hints = events.filter((e) => e.type === 'asset_hint') as AssetHintEvent[];
  return { tx, hints, anomalies };
}

test('GET with Host, User-Agent, Server: one transaction and three hints', () => {
  const r = run([
    [0, 'GET /index.html HTTP/1.1\r\nHost: hmi.plant.local\r\nUser-Agent: Mozilla/5.0\r\n\r\n'],
    [1, 'HTTP/1.1 200 OK\r\nServer: Apache/2.4.1\r\nContent-Type: text/html\r\nContent-Length: 5\r\n\r\nhello'],
  ]);
  assert.equal(r.tx.length, 1);
  const t = r.tx[0];
  assert.deepEqual(t.operation, { code: 200, name: 'get', access: 'read' });
  assert.deepEqual(t.target, { host: 'hmi.plant.local', uri: '/index.html' });
  assert.equal(t.outcome, 'ok');
  assert.equal(t.latency_ms, 1000);
  assert.equal(t.origin, 'client');
  assert.deepEqual(t.http, {
    status: 200,
    request_body_len: 0,
    response_body_len: 5,
    method: 'GET',
    host: 'hmi.plant.local',
    uri: '/index.html',
    user_agent: 'Mozilla/5.0',
    server: 'Apache/2.4.1',
    content_type: 'text/html',
  });
  assert.deepEqual(
    r.hints.map((h) => [h.side, h.role, h.names, h.identity, h.source]),
    [
      ['client', undefined, undefined, { user_agent: 'Mozilla/5.0' }, 'http_request'],
      ['server', undefined, [{ name: 'hmi.plant.local', source: 'http_host' }], undefined, 'http_request'],
      ['server', 'http_server', undefined, { software: 'Apache/2.4.1' }, 'http_response'],
    ],
  );
  assert.deepEqual(r.anomalies, []);
});

test('pipelined requests pair in order; POST body counted; 404 is an exception; hints de-duplicated', () => {
  const r = run([
    [0, 'GET /a HTTP/1.1\r\nHost: 10.0.0.2\r\n\r\nPOST /b HTTP/1.1\r\nHost: 10.0.0.2\r\nContent-Length: 4\r\n\r\nabcd'],
    [1, 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n'],
    [0, 'GET /c HTTP/1.1\r\nHost: 10.0.0.2\r\n\r\n'],
    [1, 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'],
  ]);
  assert.deepEqual(
    r.tx.map((t) => [t.operation.name, t.http.uri, t.http.status, t.http.request_body_len, t.http.response_body_len, t.outcome]),
    [
      ['get', '/a', 200, 0, 2, 'ok'],
      ['post', '/b', 404, 4, 0, 'exception'],
      ['get', '/c', 200, 0, 0, 'ok'],
    ],
  );
  assert.deepEqual(r.tx[1].error, { code: 404, name: 'not_found' });
  assert.equal(r.tx[1].operation.access, 'write');
  assert.equal(r.hints.length, 1); // Host is an IP: no name; one role hint
});

test('chunked response with extensions and trailers, split byte by byte', () => {
  const resp = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nWiki\r\n5\r\npedia\r\n0\r\nX-Trailer: 1\r\n\r\n';
  const chunks: [Direction, string][] = [[0, 'GET / HTTP/1.1\r\n\r\n']];
  for (const c of resp) chunks.push([1, c]);
  chunks.push([0, 'HEAD / HTTP/1.1\r\n\r\n'], [1, 'HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n']);
  const r = run(chunks);
  assert.deepEqual(
    r.tx.map((t) => [t.operation.name, t.http.response_body_len]),
    [
      ['get', 9],
      ['head', 0],
    ],
  );
  assert.deepEqual(r.anomalies, []);
});

test('response until close, unanswered request, 100-continue, response without request', () => {
  const r = run([
    [0, 'POST /up HTTP/1.1\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n'],
    [1, 'HTTP/1.1 100 Continue\r\n\r\n'],
    [0, 'xyz'],
    [1, 'HTTP/1.0 200 OK\r\n\r\nbody until the end'],
  ]);
  assert.deepEqual(
    r.tx.map((t) => [t.operation.name, t.http.status, t.http.request_body_len, t.http.response_body_len]),
    [['post', 200, 3, 18]],
  );
  const u = run([[0, 'GET /x HTTP/1.1\r\n\r\n']]);
  assert.equal(u.tx[0].outcome, 'no_response');
  assert.equal(u.tx[0].latency_ms, null);
  const lone = run([[1, 'HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n']]);
  assert.deepEqual(lone.tx[0].operation, { code: 500, name: 'unknown', access: 'other' });
  assert.equal(lone.tx[0].origin, 'server');
  assert.deepEqual(lone.anomalies, ['http.response_without_request']);
});

test('CONNECT and Upgrade stop parsing; gaps inside a body are skipped, elsewhere stop the direction', () => {
  const c = run([
    [0, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n\x16\x03\x01\x00\x05'],
    [1, 'HTTP/1.1 200 Connection established\r\n\r\n\x16\x03\x03'],
  ]);
  assert.equal(c.tx.length, 1);
  assert.deepEqual(c.anomalies, []);
  const ws = run([
    [0, 'GET /ws HTTP/1.1\r\nUpgrade: websocket\r\n\r\n'],
    [1, 'HTTP/1.1 101 Switching Protocols\r\n\r\n\x81\x05hello'],
    [0, '\x81\x85junk'],
  ]);
  assert.equal(ws.tx.length, 1);
  assert.deepEqual(ws.anomalies, []);
  const g = run(
    [
      [0, 'GET / HTTP/1.1\r\n\r\n'],
      [1, 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789'],
      [1, '0123456789'],
      [0, 'GET /2 HTTP/1.1\r\n\r\n'],
    ],
    [
      [2, 1, 80],
      [3, 0, 5],
    ],
  );
  assert.deepEqual(
    g.tx.map((t) => [t.http.uri, t.http.response_body_len]),
    [['/', 100]],
  );
  assert.deepEqual(g.anomalies, ['http.gap']);
});

test('not HTTP after a message: the direction stops; caps', () => {
  const r = run([
    [0, 'GET / HTTP/1.1\r\n\r\n\x00\x01\x02binary\r\n'],
    [1, 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'],
  ]);
  assert.deepEqual(r.anomalies, ['http.bad_start_line']);
  assert.equal(r.tx.length, 1);
  let many = '';
  for (let i = 0; i < 40; i++) many += `GET /${i} HTTP/1.1\r\nUser-Agent: agent-${i}\r\n\r\n`;
  const p = run([[0, many]]);
  assert.equal(p.tx.length, 40);
  assert.equal(p.anomalies.filter((a) => a === 'http.pending_cap').length, 8);
  assert.equal(p.anomalies.filter((a) => a === 'http.hint_cap').length, 1);
  assert.equal(p.hints.length, 16);
  const huge = run([[0, `GET / HTTP/1.1\r\nX: ${'a'.repeat(20000)}\r\nHost: late.example\r\n\r\nGET /next HTTP/1.1\r\n\r\n`]]);
  assert.deepEqual(huge.anomalies, ['http.head_too_long']);
  assert.deepEqual(
    huge.tx.map((t) => [t.http.uri, t.http.host]),
    [
      ['/', undefined],
      ['/next', undefined],
    ],
  );
});

test('probe', () => {
  assert.equal(probeHttp(text('GET / HTTP/1.1\r\n'), 0), 'match');
  assert.equal(probeHttp(text('OPTIONS * HTTP/1.1'), 0), 'match');
  assert.equal(probeHttp(text('PO'), 0), 'need_more');
  assert.equal(probeHttp(text('GETX / HTTP/1.1'), 0), 'no_match');
  assert.equal(probeHttp(text('SSH-2.0-OpenSSH'), 0), 'no_match');
  assert.equal(probeHttp(text('HTTP/1.1 200 OK'), 1), 'match');
  assert.equal(probeHttp(text('HTTP/'), 1), 'need_more');
  assert.equal(probeHttp(text('HTTP/2'), 1), 'no_match');
  assert.equal(probeHttp(text('HTTP/1.1 200 OK'), 0), 'no_match');
});

test('conformance suite over hand-made conversations', () => {
  const conv = (...chunks: [Direction, string][]): Conversation => ({ transport: 'tcp', chunks: chunks.map(([dir, s]) => ({ dir, data: text(s) })) });
  const seeds: Conversation[] = [
    conv(
      [0, 'GET /a HTTP/1.1\r\nHost: x.example\r\nUser-Agent: t\r\n\r\n'],
      [1, 'HTTP/1.1 200 OK\r\nServer: s\r\nContent-Length: 3\r\n\r\nabc'],
      [0, 'POST /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n'],
      [1, 'HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n'],
    ),
    conv([0, 'HEAD / HTTP/1.0\r\n\r\n'], [1, 'HTTP/1.0 200 OK\r\nContent-Length: 9\r\n\r\n'], [1, 'HTTP/1.0 500 E\r\n\r\nrest']),
  ];
  assert.deepEqual(checkConformance(httpModule, seeds, { mutationsPerConversation: 60, randomConversations: 100 }), []);
});

// Tests of the HTTP/1.x head parser: request and status lines, the exported header fields, malformed heads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHead } from './parse.js';
import { hostName } from './describe.js';

const text = (s: string) => new TextEncoder().encode(s);
const head = (s: string, cut = false) => {
  const b = text(s);
  return parseHead(b, 0, b.length, cut);
};

test('request line and headers', () => {
  const h = head(
    'POST /api/v1/tags?x=1 HTTP/1.1\r\nHost: Plc-01.Plant.local:8080\r\nuser-agent: curl/8.5.0\r\nContent-Type: application/json\r\n' +
      'Content-Length: 17\r\nX-Other: 1\r\n\r\n',
  );
  assert.equal(h?.isRequest, true);
  assert.equal(h?.method, 'POST');
  assert.equal(h?.uri, '/api/v1/tags?x=1');
  assert.equal(h?.minor, 1);
  assert.equal(h?.host, 'Plc-01.Plant.local:8080');
  assert.equal(h?.userAgent, 'curl/8.5.0');
  assert.equal(h?.contentType, 'application/json');
  assert.equal(h?.contentLength, 17);
  assert.equal(h?.chunked, false);
  assert.deepEqual(h?.anomalies, []);
});

test('status line, chunked, LF-only line ends', () => {
  const h = head('HTTP/1.0 404 Not Found\nServer: Boa/0.94.14rc21\nTransfer-Encoding: gzip, chunked\nConnection: Close\n\n');
  assert.equal(h?.isRequest, false);
  assert.equal(h?.status, 404);
  assert.equal(h?.minor, 0);
  assert.equal(h?.server, 'Boa/0.94.14rc21');
  assert.equal(h?.chunked, true);
  assert.equal(head('HTTP/1.1 200\r\n\r\n')?.status, 200);
});

test('not HTTP: bad start lines', () => {
  assert.equal(head('GET /\r\n\r\n'), null);
  assert.equal(head('GET / HTTP/2.0\r\n\r\n'), null);
  assert.equal(head('HTTP/1.1 20x OK\r\n\r\n'), null);
  assert.equal(head('HTTP/1.1 099 Low\r\n\r\n'), null);
  assert.equal(head('G(T / HTTP/1.1\r\n\r\n'), null);
  assert.equal(head('\x16\x03\x01\x02\x00\x01'), null);
});

test('content-length lists, conflicts and junk; bad header lines', () => {
  assert.equal(head('HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\n')?.contentLength, 5);
  const conflict = head('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n');
  assert.equal(conflict?.contentLength, -2);
  assert.deepEqual(conflict?.anomalies, ['http.bad_content_length']);
  assert.equal(head('HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n\r\n')?.contentLength, -2);
  assert.equal(head('HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n')?.contentLength, -2);
  assert.deepEqual(head('HTTP/1.1 200 OK\r\nno colon here\r\n: empty name\r\n\r\n')?.anomalies, ['http.bad_header_line', 'http.bad_header_line']);
});

test('caps: URI over 2048 characters, long values, cut heads drop the partial last line', () => {
  const long = head(`GET /${'a'.repeat(3000)} HTTP/1.1\r\nUser-Agent: ${'u'.repeat(600)}\r\n\r\n`);
  assert.equal(long?.uri.length, 2048);
  assert.equal(long?.userAgent?.length, 512);
  assert.deepEqual(long?.anomalies, ['http.uri_too_long', 'http.header_value_too_long']);
  const cut = head('GET / HTTP/1.1\r\nHost: a.example\r\nUser-Agent: partial-va', true);
  assert.equal(cut?.host, 'a.example');
  assert.equal(cut?.userAgent, undefined);
  assert.deepEqual(cut?.anomalies, ['http.head_too_long']);
});

test('Host header to host name: names only, port and dot dropped', () => {
  assert.equal(hostName('WWW.Example.com:80'), 'www.example.com');
  assert.equal(hostName('scada-hmi.'), 'scada-hmi');
  assert.equal(hostName('192.168.1.10:8080'), null);
  assert.equal(hostName('[fe80::1]:80'), null);
  assert.equal(hostName('bad host'), null);
  assert.equal(hostName(''), null);
});

// Tests of the TLS hello and certificate parsers over annotated hex (testdata.ts), malformed and cut input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex } from '../../common/hex.js';
import { certificateSubject, parseClientHello, parseServerHello } from './parse.js';
import { ja3 } from './describe.js';
import { CERTIFICATE_DER, CLIENT_HELLO_BODY, SERVER_HELLO_12_BODY, SERVER_HELLO_13_BODY } from './testdata.js';

test('ClientHello: SNI, ALPN, supported versions, JA3 inputs', () => {
  const a: string[] = [];
  const ch = parseClientHello(CLIENT_HELLO_BODY, 0, CLIENT_HELLO_BODY.length, a);
  assert.deepEqual(ch, {
    legacyVersion: 0x0303,
    maxVersion: 0x0304,
    sni: 'hmi.plant.local',
    alpn: ['h2', 'http/1.1'],
    ciphers: [0x1a1a, 0xc02f, 0x1301],
    extensions: [0, 10, 11, 16, 43],
    groups: [29, 23],
    pointFormats: [0],
  });
  assert.deepEqual(a, []);
  // 771,49199-4865,0-10-11-16-43,29-23,0 (the GREASE cipher left out)
  assert.equal(ja3(ch!), '5955d5dba0a9b0dfe965b46d3cbb9c35');
});

test('ServerHello: TLS 1.2 with ALPN, TLS 1.3 through supported_versions', () => {
  assert.deepEqual(parseServerHello(SERVER_HELLO_12_BODY, 0, SERVER_HELLO_12_BODY.length, []), {
    legacyVersion: 0x0303,
    version: 0x0303,
    cipher: 0xc02f,
    alpn: 'h2',
  });
  assert.deepEqual(parseServerHello(SERVER_HELLO_13_BODY, 0, SERVER_HELLO_13_BODY.length, []), {
    legacyVersion: 0x0303,
    version: 0x0304,
    cipher: 0x1301,
  });
});

test('cut and malformed hellos keep what was read', () => {
  const a: string[] = [];
  assert.equal(parseClientHello(CLIENT_HELLO_BODY, 0, 20, a), null);
  assert.deepEqual(a, ['tls.malformed_hello']);
  const b: string[] = [];
  const cut = parseClientHello(CLIENT_HELLO_BODY, 0, CLIENT_HELLO_BODY.length - 10, b);
  assert.equal(cut?.sni, 'hmi.plant.local');
  assert.deepEqual(b, ['tls.malformed_hello']);
  const noExt = hex`03 01  ${'00 '.repeat(32)}  00  00 02 00 2f  01 00   # TLS 1.0, no extensions`;
  assert.deepEqual(parseClientHello(noExt, 0, noExt.length, [])?.ciphers, [0x2f]);
});

test('certificate subject in RFC 4514 order with escapes; junk is null', () => {
  assert.equal(certificateSubject(CERTIFICATE_DER, 0, CERTIFICATE_DER.length), 'CN=plc1.example,O=ACME\\, Inc,C=DE');
  assert.equal(certificateSubject(CERTIFICATE_DER, 0, 40), null);
  assert.equal(certificateSubject(hex`30 84 00 00 00 01 00`, 0, 7), null);
  assert.equal(certificateSubject(hex`02 01 00`, 0, 3), null);
});

test('never throws on random bytes', () => {
  let seed = 3;
  const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
  for (let n = 0; n < 3000; n++) {
    const b = CLIENT_HELLO_BODY.slice();
    for (let k = 0; k < 3; k++) b[rnd() % b.length] = rnd();
    parseClientHello(b, 0, rnd() % (b.length + 1), []);
    parseServerHello(b, 0, b.length, []);
    const c = CERTIFICATE_DER.slice();
    c[rnd() % c.length] = rnd();
    certificateSubject(c, 0, c.length);
  }
});

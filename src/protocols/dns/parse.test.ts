// Parser tests: header flags, questions, the record types decoded to text, compression, reverse names, caps and
// malformed messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex } from '../../common/hex.js';
import { reverseAddress } from './name.js';
import { parseMessage, walkMessage } from './parse.js';
import { QUERY_WWW, RESPONSE_WWW } from './testdata.js';

const parse = (b: Uint8Array) => parseMessage(b, 0, b.length);

test('a query: header flags and the question', () => {
  const m = parse(QUERY_WWW);
  assert.equal(m.id, 0x1a2b);
  assert.equal(m.response, false);
  assert.equal(m.recursionDesired, true);
  assert.deepEqual(m.question, { name: 'www.example.com', type: 1, class: 1, unicastResponse: false });
  assert.deepEqual(m.anomalies, []);
  assert.equal(walkMessage(QUERY_WWW, 0, QUERY_WWW.length), QUERY_WWW.length);
});

test('a response: names lower-cased, compression followed, CNAME and A records, address bindings', () => {
  const m = parse(RESPONSE_WWW);
  assert.equal(m.response, true);
  assert.equal(m.recursionAvailable, true);
  assert.equal(m.question?.name, 'www.example.com');
  assert.deepEqual(m.answers, [
    { name: 'www.example.com', type: 'cname', ttl: 3600, data: 'cdn.example.com' },
    { name: 'cdn.example.com', type: 'a', ttl: 60, data: '192.0.2.10' },
  ]);
  assert.equal(m.hasCname, true);
  assert.deepEqual(m.bindings, [{ ip: '192.0.2.10', name: 'cdn.example.com', ttl: 60, section: 0 }]);
  assert.deepEqual(m.anomalies, []);
});

test('record data of MX, SRV, TXT, SOA, AAAA, PTR and an opaque type', () => {
  const m = parse(hex`
    00 01 84 00  00 00 00 07 00 00 00 00          # authoritative response, 7 answers, no question
    01 61 00  00 0f 00 01 00 00 00 01 00 05  00 0a 01 6d 00                 # a. MX 10 m.
    01 62 00  00 21 00 01 00 00 00 01 00 0b  00 01 00 02 01 bb 03 73 72 76 00   # b. SRV 1 2 443 srv.
    01 63 00  00 10 00 01 00 00 00 01 00 08  03 61 3d 31 03 22 5c 07        # c. TXT "a=1" "\\"\\\\\\007"
    01 64 00  00 06 00 01 00 00 00 01 00 1a  01 6e 00 01 72 00  00 00 00 05 00 00 00 06 00 00 00 07 00 00 00 08 00 00 00 09
    01 65 00  00 1c 80 01 00 00 00 01 00 10  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01   # e. AAAA, cache-flush
    01 31 01 32 01 30 03 31 39 32 07 69 6e 2d 61 64 64 72 04 61 72 70 61 00
              00 0c 00 01 00 00 00 01 00 04  02 70 63 00              # 1.2.0.192.in-addr.arpa PTR pc.
    01 66 00  00 2e 00 01 00 00 00 01 00 02  ab cd                     # f. RRSIG (opaque)
  `);
  assert.deepEqual(m.anomalies, []);
  assert.equal(m.authoritative, true);
  assert.deepEqual(
    m.answers.map((a) => [a.type, a.data]),
    [
      ['mx', '10 m'],
      ['srv', '1 2 443 srv'],
      ['txt', '"a=1" "\\"\\\\\\007"'],
      ['soa', 'n r 5 6 7 8 9'],
      ['aaaa', '2001:db8::1'],
      ['ptr', 'pc'],
      ['rrsig', 'abcd'],
    ],
  );
  assert.deepEqual(m.bindings, [
    { ip: '2001:db8::1', name: 'e', ttl: 1, section: 0 },
    { ip: '192.0.2.1', name: 'pc', ttl: 1, section: 0 },
  ]);
});

test('reverse names: in-addr.arpa and ip6.arpa, others refused', () => {
  assert.equal(reverseAddress('4.3.2.1.in-addr.arpa'), '1.2.3.4');
  assert.equal(reverseAddress('3.2.1.in-addr.arpa'), null);
  assert.equal(reverseAddress('256.3.2.1.in-addr.arpa'), null);
  const nibbles = '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2';
  assert.equal(reverseAddress(`${nibbles}.ip6.arpa`), '2001:db8::1');
  assert.equal(reverseAddress('_http._tcp.local'), null);
});

test('malformed: truncated header, truncated record, pointer loop, bad rdata, trailing bytes', () => {
  assert.deepEqual(parse(hex`1a 2b 01`).anomalies, ['dns.truncated_message']);
  assert.deepEqual(parse(RESPONSE_WWW.slice(0, RESPONSE_WWW.length - 2)).anomalies, ['dns.truncated_message']);
  const loop = parse(hex`
    00 01 01 00 00 01 00 00 00 00 00 00
    c0 0c  00 01 00 01   # a name pointing at itself
  `);
  assert.deepEqual(loop.anomalies, ['dns.bad_name']);
  assert.equal(loop.question, null);
  const badA = parse(hex`
    00 01 81 00 00 00 00 01 00 00 00 00
    01 61 00  00 01 00 01 00 00 00 01 00 03  01 02 03   # A with 3 bytes
  `);
  assert.deepEqual(badA.anomalies, ['dns.bad_rdata']);
  assert.deepEqual(badA.bindings, []);
  assert.deepEqual(parse(new Uint8Array([...QUERY_WWW, 0])).anomalies, ['dns.trailing_bytes']);
  assert.equal(walkMessage(QUERY_WWW, 0, QUERY_WWW.length - 1), -1);
});

test('caps: 32 answers exported, opaque data cut at 64 bytes', () => {
  const rr = hex`01 61 00  00 01 00 01  00 00 00 01  00 04  0a 00 00 01`;
  const parts = [hex`00 01 81 00 00 00 00 28 00 00 00 00  # 40 answers`];
  for (let i = 0; i < 40; i++) parts.push(rr);
  const b = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    b.set(p, o);
    o += p.length;
  }
  const m = parse(b);
  assert.equal(m.answers.length, 32);
  assert.deepEqual(m.anomalies, ['dns.answers_cap']);
  const big = new Uint8Array([...hex`00 01 81 00 00 00 00 01 00 00 00 00  01 61 00 00 30 00 01 00 00 00 01 00 50`, ...new Uint8Array(80)]);
  const k = parse(big);
  assert.equal(k.answers[0].data.length, 128);
  assert.deepEqual(k.anomalies, ['dns.data_capped']);
});

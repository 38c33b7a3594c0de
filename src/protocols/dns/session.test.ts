// Session tests: pairing by id and question, no_response, rcode exceptions, retransmissions, lone multicast queries,
// mDNS announcements and LLMNR answers as name hints, PTR hints, DNS over TCP framing, the probe, conformance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex } from '../../common/hex.js';
import { checkConformance, type Conversation } from '../conformance.js';
import type { Direction, Endpoint, ProtocolEvent, Transport } from '../protocol.js';
import type { AssetHintEvent, TransactionEvent } from '../operation.js';
import { dnsModule, probeDns } from './index.js';
import { QUERY_WWW, RESPONSE_WWW } from './testdata.js';

const CLIENT: Endpoint = { ip: '192.0.2.1', port: 50000 };
const SERVER: Endpoint = { ip: '192.0.2.53', port: 53 };

function run(steps: [Direction, Uint8Array, number][], transport: Transport = 'udp', client = CLIENT, server = SERVER, gapBefore = -1) {
  const events: ProtocolEvent[] = [];
  const anomalies: string[] = [];
  const s = dnsModule.createSession({
    flow: { id: 1, transport, client, server, vlan: [0, 0], roleSource: 'port_hint' },
    anomaly: (c) => anomalies.push(c),
    emit: (e) => events.push(e),
  });
  steps.forEach(([dir, data, ts], i) => {
    if (i === gapBefore) s.onGap(dir, 10, ts);
    s.onData(dir, data, ts);
  });
  s.onEnd(1000);
  const tx = events.filter((e) => e.type === 'transaction') as TransactionEvent[];
  const hints = events.filter((e) => e.type === 'asset_hint') as AssetHintEvent[];
  return { events, tx, hints, anomalies };
}

const tcp = (m: Uint8Array) => new Uint8Array([m.length >> 8, m.length & 0xff, ...m]);

const NXDOMAIN = hex`
  77 77  81 83       # response, nxdomain
  00 01 00 00 00 00 00 00
  03 62 61 64 00  00 1c 00 01   # bad. AAAA IN
`;

test('a query and its response make one transaction, with hints for the addresses and the server role', () => {
  const { tx, hints, anomalies } = run([
    [0, QUERY_WWW, 10],
    [1, RESPONSE_WWW, 10.004],
  ]);
  assert.deepEqual(anomalies, []);
  assert.equal(tx.length, 1);
  const t = tx[0];
  assert.deepEqual(t.operation, { code: 1, name: 'a', access: 'other' });
  assert.deepEqual(t.target, { query: 'www.example.com' });
  assert.equal(t.outcome, 'ok');
  assert.equal(t.latency_ms, 4);
  assert.equal(t.origin, 'client');
  assert.deepEqual(t.dns, {
    variant: 'dns',
    id: 0x1a2b,
    query: 'www.example.com',
    qtype: 1,
    qclass: 1,
    rcode: 0,
    rcode_name: 'noerror',
    answers: [
      { name: 'www.example.com', type: 'cname', ttl: 3600, data: 'cdn.example.com' },
      { name: 'cdn.example.com', type: 'a', ttl: 60, data: '192.0.2.10' },
    ],
    authoritative: false,
    truncated: false,
  });
  assert.deepEqual(hints, [
    { protocol: 'dns', type: 'asset_hint', ts: 10.004, side: 'server', role: 'dns_server', source: 'dns_answer' },
    {
      protocol: 'dns',
      type: 'asset_hint',
      ts: 10.004,
      side: 'server',
      subject: { ip: '192.0.2.10' },
      names: [
        { name: 'cdn.example.com', source: 'dns' },
        { name: 'www.example.com', source: 'dns' },
      ],
      source: 'dns_answer',
    },
  ]);
});

test('unanswered query, rcode exception, response without query, retransmission, hints once per flow', () => {
  const nxQuery = hex`77 77 01 00 00 01 00 00 00 00 00 00  03 62 61 64 00  00 1c 00 01`;
  const { tx, hints, anomalies } = run([
    [0, QUERY_WWW, 1],
    [0, QUERY_WWW, 2],
    [0, nxQuery, 3],
    [1, NXDOMAIN, 3.5],
    [1, RESPONSE_WWW, 4],
    [1, RESPONSE_WWW, 5],
  ]);
  assert.deepEqual(anomalies, ['dns.retransmitted_query', 'dns.response_without_query']);
  assert.deepEqual(
    tx.map((t) => [t.ts, t.outcome, t.origin, t.error?.name]),
    [
      [3, 'exception', 'client', 'nxdomain'],
      [1, 'ok', 'client', undefined],
      [5, 'ok', 'server', undefined],
    ],
  );
  assert.equal(hints.length, 2);
  const lone = run([[0, QUERY_WWW, 1]]);
  assert.equal(lone.tx[0].outcome, 'no_response');
  assert.equal(lone.tx[0].dns && (lone.tx[0].dns as { rcode?: number }).rcode, undefined);
});

const MDNS_ANNOUNCE = hex`
  00 00  84 00       # response, authoritative
  00 00 00 02 00 00 00 00
  07 70 72 69 6e 74 65 72  05 6c 6f 63 61 6c 00          # printer.local
  00 01  80 01  00 00 00 78  00 04  c0 a8 01 17           # A, cache flush, 192.168.1.23
  c0 0c  00 1c  80 01  00 00 00 00  00 10  fe 80 00 00 00 00 00 00 00 00 00 00 00 00 00 17   # AAAA, ttl 0 (goodbye)
`;

test('mDNS: a multicast announcement is a lone transaction and names its address; goodbyes give no hint', () => {
  const host: Endpoint = { ip: '192.168.1.23', port: 5353 };
  const group: Endpoint = { ip: '224.0.0.251', port: 5353 };
  const query = hex`00 00 00 00 00 01 00 00 00 00 00 00  07 70 72 69 6e 74 65 72 05 6c 6f 63 61 6c 00  00 01 80 01  # QU`;
  const { tx, hints, anomalies } = run([[0, MDNS_ANNOUNCE, 1], [0, query, 2]], 'udp', host, group);
  assert.deepEqual(anomalies, []);
  assert.deepEqual(tx.map((t) => [t.operation.name, t.outcome, t.origin, t.latency_ms]), [['none', 'ok', 'client', null], ['a', 'ok', 'client', null]]);
  assert.equal((tx[0].dns as { variant: string }).variant, 'mdns');
  assert.equal((tx[1].dns as { unicast_response: boolean }).unicast_response, true);
  assert.deepEqual(hints.map((h) => [h.side, h.subject, h.names, h.source]), [['client', { ip: '192.168.1.23' }, [{ name: 'printer.local', source: 'mdns' }], 'mdns_answer']]);
});

test('LLMNR: the answer names the responder (source llmnr), conflict and tentative bits', () => {
  const responder: Endpoint = { ip: '192.0.2.7', port: 5355 };
  const answer = hex`
    c3 5a  80 00  00 01 00 01 00 00 00 00
    04 68 6d 69 31 00  00 01 00 01                       # hmi1 A IN
    c0 0c  00 01 00 01  00 00 00 1e  00 04  c0 00 02 07   # 192.0.2.7
  `;
  const { tx, hints, anomalies } = run([[1, answer, 1]], 'udp', { ip: '192.0.2.1', port: 61000 }, responder);
  assert.deepEqual(anomalies, []);
  const d = tx[0].dns as Record<string, unknown>;
  assert.equal(d.variant, 'llmnr');
  assert.equal(d.conflict, false);
  assert.equal(d.tentative, false);
  assert.deepEqual(hints.map((h) => [h.side, h.subject?.ip, h.names?.[0]]), [['server', '192.0.2.7', { name: 'hmi1', source: 'llmnr' }]]);
});

test('PTR answers name the address of the reverse name', () => {
  const q = hex`00 09 01 00 00 01 00 00 00 00 00 00  02 31 30 01 32 01 30 03 31 39 32 07 69 6e 2d 61 64 64 72 04 61 72 70 61 00  00 0c 00 01`;
  const r = hex`
    00 09 81 80 00 01 00 01 00 00 00 00
    02 31 30 01 32 01 30 03 31 39 32 07 69 6e 2d 61 64 64 72 04 61 72 70 61 00  00 0c 00 01   # 10.2.0.192.in-addr.arpa PTR
    c0 0c  00 0c 00 01  00 00 00 3c  00 05  03 70 6c 63 00   # plc.
  `;
  const { tx, hints } = run([[0, q, 1], [1, r, 2]]);
  assert.equal(tx[0].operation.name, 'ptr');
  const named = hints.filter((h) => h.subject !== undefined);
  assert.deepEqual(named.map((h) => [h.subject?.ip, h.names?.map((n) => n.name)]), [['192.0.2.10', ['plc']]]);
});

test('DNS over TCP: length-prefixed messages, whatever way the stream is cut; garbage stops a direction', () => {
  const reqs = new Uint8Array([...tcp(QUERY_WWW)]);
  const resps = new Uint8Array([...tcp(RESPONSE_WWW)]);
  const whole = run([[0, reqs, 1], [1, resps, 2]], 'tcp');
  assert.equal(whole.tx.length, 1);
  assert.equal(whole.tx[0].outcome, 'ok');
  for (let cut = 1; cut < resps.length; cut++) {
    const split = run([[0, reqs.slice(0, cut % reqs.length), 1], [0, reqs.slice(cut % reqs.length), 1], [1, resps.slice(0, cut), 2], [1, resps.slice(cut), 2]], 'tcp');
    assert.deepEqual(split.events, whole.events, `cut at ${cut}`);
  }
  assert.deepEqual(run([[0, hex`00 05 01 02 03 04 05`, 1]], 'tcp').anomalies, ['dns.bad_tcp_length']);
  assert.deepEqual(run([[0, hex`00 0c 00 01 18 00 00 01 00 00 00 00 00 00  # opcode 3`, 1]], 'tcp').anomalies, ['dns.not_dns']);
  const gap = run([[0, reqs, 1], [1, resps.slice(5), 2]], 'tcp', CLIENT, SERVER, 1);
  assert.equal(gap.tx[0].outcome, 'no_response');
});

test('probe: whole DNS messages over UDP, length-prefixed over TCP; NetBIOS names and text refused', () => {
  assert.equal(probeDns(QUERY_WWW, 0, 'udp'), 'match');
  assert.equal(probeDns(RESPONSE_WWW, 1, 'udp'), 'match');
  assert.equal(probeDns(MDNS_ANNOUNCE, 0, 'udp'), 'match');
  assert.equal(probeDns(QUERY_WWW.slice(0, 20), 0, 'udp'), 'no_match');
  assert.equal(probeDns(tcp(QUERY_WWW), 0, 'tcp'), 'match');
  assert.equal(probeDns(tcp(QUERY_WWW).slice(0, 10), 0, 'tcp'), 'need_more');
  assert.equal(probeDns(tcp(QUERY_WWW).slice(0, 20), 0, 'tcp'), 'need_more');
  const nbns = hex`
    80 01 01 10 00 01 00 00 00 00 00 00
    20 45 4e 45 46 45 4e 45 42 45 44 45 46 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 00
    00 20 00 01
  `;
  assert.equal(probeDns(nbns, 0, 'udp'), 'no_match');
  assert.equal(probeDns(new TextEncoder().encode('M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n\r\n'), 0, 'udp'), 'no_match');
  assert.equal(probeDns(new Uint8Array(12), 0, 'udp'), 'no_match');
  const axfr = new Uint8Array(2048);
  axfr.set(hex`0b b8  00 01 84 00  00 01 00 40 00 00 00 00  01 61 00  00 fc 00 01  # 3000 bytes: AXFR response for a.`);
  assert.equal(probeDns(axfr, 1, 'tcp'), 'match');
  assert.equal(probeDns(axfr.subarray(0, 1000), 1, 'tcp'), 'need_more');
  axfr[7] = 2;
  assert.equal(probeDns(axfr, 1, 'tcp'), 'no_match');
});

const SEEDS: Conversation[] = [
  { transport: 'udp', chunks: [{ dir: 0, data: QUERY_WWW }, { dir: 1, data: RESPONSE_WWW }, { dir: 1, data: NXDOMAIN }] },
  { transport: 'udp', chunks: [{ dir: 0, data: MDNS_ANNOUNCE }] },
  { transport: 'tcp', chunks: [{ dir: 0, data: tcp(QUERY_WWW) }, { dir: 1, data: new Uint8Array([...tcp(RESPONSE_WWW), ...tcp(NXDOMAIN)]) }] },
];

test('conformance suite', () => {
  assert.deepEqual(checkConformance(dnsModule, SEEDS), []);
});

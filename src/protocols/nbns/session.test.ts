// Session tests: broadcast requests as lone transactions, unicast pairing, negative responses, WACK, name hints
// (registrations, positive responses, node status), the probe, conformance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex } from '../../common/hex.js';
import { checkConformance, type Conversation } from '../conformance.js';
import type { Direction, ProtocolEvent } from '../protocol.js';
import type { AssetHintEvent, TransactionEvent } from '../operation.js';
import { nbnsModule, probeNbns } from './index.js';
import { REGISTRATION, STATUS_QUERY, STATUS_RESPONSE, concat, encodedName } from './testdata.js';

function run(steps: [Direction, Uint8Array, number][], server = '192.168.1.255') {
  const events: ProtocolEvent[] = [];
  const anomalies: string[] = [];
  const s = nbnsModule.createSession({
    flow: { id: 1, transport: 'udp', client: { ip: '192.168.1.40', port: 137 }, server: { ip: server, port: 137 }, vlan: [0, 0], roleSource: 'first_packet' },
    anomaly: (c) => anomalies.push(c),
    emit: (e) => events.push(e),
  });
  for (const [dir, data, ts] of steps) s.onData(dir, data, ts);
  s.onEnd(1000);
  const tx = events.filter((e) => e.type === 'transaction') as TransactionEvent[];
  const hints = events.filter((e) => e.type === 'asset_hint') as AssetHintEvent[];
  return { events, tx, hints, anomalies };
}

const QUERY = concat(hex`00 07  01 00  00 01 00 00 00 00 00 00  # unicast name query`, encodedName('PLC-HMI', 0x20), hex`00 00 20 00 01`);
const POSITIVE = concat(
  hex`00 07  85 00  00 00 00 01 00 00 00 00  # positive response`,
  encodedName('PLC-HMI', 0x20),
  hex`00  00 20 00 01  00 00 00 3c  00 06  60 00  c0 a8 01 28`,
);
const NEGATIVE = concat(hex`00 08  85 03  00 00 00 01 00 00 00 00  # name error`, encodedName('NOPE', 0x20), hex`00  00 20 00 01  00 00 00 00  00 00`);

test('a broadcast registration is a lone transaction and names the registered address', () => {
  const { tx, hints, anomalies } = run([[0, REGISTRATION, 1], [0, REGISTRATION, 2]]);
  assert.deepEqual(anomalies, []);
  assert.equal(tx.length, 2);
  assert.deepEqual(tx[0].operation, { code: 5, name: 'registration', access: 'other', sub: { code: 0x20, name: 'nb' } });
  assert.deepEqual(tx[0].target, { name: 'PLC-HMI', suffix: 0 });
  assert.equal(tx[0].outcome, 'ok');
  assert.deepEqual(tx[0].nbns, {
    trn_id: 0x8010,
    broadcast: true,
    name: 'PLC-HMI',
    suffix: 0,
    suffix_name: 'workstation',
    qtype: 0x20,
    ttl: 300000,
    addresses: [{ ip: '192.168.1.40', group: false, node_type: 'h' }],
  });
  assert.deepEqual(hints, [
    { protocol: 'nbns', type: 'asset_hint', ts: 1, side: 'client', subject: { ip: '192.168.1.40' }, names: [{ name: 'PLC-HMI', source: 'netbios' }], source: 'nbns_registration' },
  ]);
});

test('unicast query paired with its positive response; negative response is an exception; unanswered query', () => {
  const negQuery = concat(hex`00 08 01 00 00 01 00 00 00 00 00 00`, encodedName('NOPE', 0x20), hex`00 00 20 00 01`);
  const lostQuery = concat(hex`00 09 01 00 00 01 00 00 00 00 00 00`, encodedName('GONE', 0x20), hex`00 00 20 00 01`);
  const { tx, hints } = run([[0, QUERY, 1], [1, POSITIVE, 1.002], [0, negQuery, 2], [1, NEGATIVE, 2.5], [0, lostQuery, 3]], '192.168.1.1');
  assert.deepEqual(tx.map((t) => [t.operation.name, t.outcome, t.latency_ms, t.error?.name]), [
    ['query', 'ok', 2, undefined],
    ['query', 'exception', 500, 'name_error'],
    ['query', 'no_response', null, undefined],
  ]);
  assert.deepEqual(hints.map((h) => [h.side, h.subject, h.names, h.source]), [['server', { ip: '192.168.1.40' }, [{ name: 'PLC-HMI', source: 'netbios' }], 'nbns_response']]);
});

test('node status: the responder names itself, with its MAC; WACK keeps the request waiting', () => {
  const { tx, hints } = run([[0, STATUS_QUERY, 1], [1, STATUS_RESPONSE, 2]], '192.168.1.7');
  assert.deepEqual(tx[0].operation, { code: 0, name: 'query', access: 'discovery', sub: { code: 0x21, name: 'nbstat' } });
  assert.equal((tx[0].nbns as { mac: string }).mac, '00:1b:1b:aa:bb:cc');
  assert.deepEqual(hints, [
    {
      protocol: 'nbns',
      type: 'asset_hint',
      ts: 2,
      side: 'server',
      subject: { ip: '192.168.1.7', mac: '00:1b:1b:aa:bb:cc' },
      names: [{ name: 'RTU-7', source: 'netbios' }],
      source: 'nbns_node_status',
      identity: { name: 'RTU-7' },
    },
  ]);
  const unicastReg = REGISTRATION.slice();
  unicastReg[3] = 0x00;
  const wack = concat(hex`80 10  bc 00  00 00 00 01 00 00 00 00  # WACK`, encodedName('PLC-HMI', 0), hex`00 00 20 00 01 00 00 00 02 00 02 29 10`);
  const ok = concat(hex`80 10  ac 00  00 00 00 01 00 00 00 00`, encodedName('PLC-HMI', 0), hex`00 00 20 00 01 00 04 93 e0 00 06 60 00 c0 a8 01 28`);
  const w = run([[0, unicastReg, 1], [1, wack, 1.1], [1, ok, 3]], '192.168.1.1');
  assert.deepEqual(w.tx.map((t) => [t.operation.name, t.outcome, t.latency_ms]), [['registration', 'ok', 2000]]);
});

test('probe: whole name service datagrams only', () => {
  assert.equal(probeNbns(REGISTRATION, 0, 'udp'), 'match');
  assert.equal(probeNbns(STATUS_RESPONSE, 1, 'udp'), 'match');
  assert.equal(probeNbns(QUERY, 0, 'udp'), 'match');
  assert.equal(probeNbns(REGISTRATION, 0, 'tcp'), 'no_match');
  assert.equal(probeNbns(REGISTRATION.slice(0, 50), 0, 'udp'), 'no_match');
  assert.equal(probeNbns(hex`00 01 01 00 00 01 00 00 00 00 00 00  03 77 77 77 00 00 01 00 01`, 0, 'udp'), 'no_match');
});

const SEEDS: Conversation[] = [
  { transport: 'udp', chunks: [{ dir: 0, data: REGISTRATION }] },
  { transport: 'udp', chunks: [{ dir: 0, data: QUERY }, { dir: 1, data: POSITIVE }, { dir: 0, data: STATUS_QUERY }, { dir: 1, data: STATUS_RESPONSE }] },
];

test('conformance suite', () => {
  assert.deepEqual(checkConformance(nbnsModule, SEEDS), []);
});

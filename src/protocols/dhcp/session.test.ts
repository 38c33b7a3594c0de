// Session tests: one transaction per message, NAK as exception, hints for the client's MAC (name, vendor class,
// fingerprint, requested or leased address), the server role, relays, de-duplication, the probe, conformance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex } from '../../common/hex.js';
import { checkConformance, type Conversation } from '../conformance.js';
import type { Direction, ProtocolEvent } from '../protocol.js';
import type { AssetHintEvent, TransactionEvent } from '../operation.js';
import { dhcpModule, probeDhcp } from './index.js';
import { ACK, REQUEST, concat } from './testdata.js';

function run(steps: [Direction, Uint8Array, number][], client = '0.0.0.0', server = '255.255.255.255') {
  const events: ProtocolEvent[] = [];
  const anomalies: string[] = [];
  const s = dhcpModule.createSession({
    flow: { id: 1, transport: 'udp', client: { ip: client, port: 68 }, server: { ip: server, port: 67 }, vlan: [0, 0], roleSource: 'port_hint' },
    anomaly: (c) => anomalies.push(c),
    emit: (e) => events.push(e),
  });
  for (const [dir, data, ts] of steps) s.onData(dir, data, ts);
  s.onEnd(1000);
  const tx = events.filter((e) => e.type === 'transaction') as TransactionEvent[];
  const hints = events.filter((e) => e.type === 'asset_hint') as AssetHintEvent[];
  return { events, tx, hints, anomalies };
}

test('a client request: one transaction, one hint about the client MAC with name and fingerprint', () => {
  const { tx, hints, anomalies } = run([[0, REQUEST, 1], [0, REQUEST, 2]]);
  assert.deepEqual(anomalies, []);
  assert.equal(tx.length, 2);
  assert.deepEqual(tx[0].operation, { code: 3, name: 'request', access: 'other' });
  assert.deepEqual(tx[0].target, { client_mac: '00:0e:8c:12:34:56' });
  assert.equal(tx[0].outcome, 'ok');
  assert.equal(tx[0].origin, 'client');
  assert.deepEqual(hints, [
    {
      protocol: 'dhcp',
      type: 'asset_hint',
      ts: 1,
      side: 'client',
      subject: { mac: '00:0e:8c:12:34:56', ip: '192.168.1.50' },
      names: [{ name: 'PLC-1', source: 'dhcp' }],
      identity: { dhcp_vendor_class: 'MSFT 5.0', dhcp_fingerprint: '1,3,6,15', name: 'PLC-1' },
      source: 'dhcp_request',
    },
  ]);
});

test('a server ack: the server role and the lease binding; a relay is not the server; NAK is an exception', () => {
  const { hints } = run([[1, ACK, 1]], '192.168.1.50', '192.168.1.1');
  assert.deepEqual(hints.map((h) => [h.side, h.role, h.subject, h.source]), [
    ['server', 'dhcp_server', undefined, 'dhcp_ack'],
    ['server', undefined, { mac: '00:0e:8c:12:34:56', ip: '192.168.1.50' }, 'dhcp_ack'],
  ]);
  const relayed = run([[1, ACK, 1]], '192.168.1.50', '10.0.0.1');
  assert.deepEqual(relayed.hints.map((h) => h.role), [undefined]);
  const nak = concat(ACK.subarray(0, 240), hex`35 01 06  38 04 6e 6f 70 65  ff  # NAK, message "nope"`);
  const n = run([[1, nak, 1]], '192.168.1.50', '192.168.1.1');
  assert.equal(n.tx[0].outcome, 'exception');
  assert.deepEqual(n.tx[0].error, { code: 6, name: 'nak' });
  assert.equal((n.tx[0].dhcp as { message: string }).message, 'nope');
});

test('BOOTP without option 53 and short datagrams', () => {
  const { tx, anomalies } = run([[0, REQUEST.subarray(0, 236), 1], [0, REQUEST.subarray(0, 50), 2]]);
  assert.deepEqual(tx.map((t) => t.operation), [{ code: 0, name: 'bootp_request', access: 'other' }]);
  assert.deepEqual(anomalies, ['dhcp.no_magic_cookie', 'dhcp.truncated_message']);
});

test('probe: the magic cookie after a plausible BOOTP header', () => {
  assert.equal(probeDhcp(REQUEST, 0, 'udp'), 'match');
  assert.equal(probeDhcp(ACK, 1, 'udp'), 'match');
  assert.equal(probeDhcp(REQUEST, 0, 'tcp'), 'no_match');
  assert.equal(probeDhcp(REQUEST.subarray(0, 239), 0, 'udp'), 'no_match');
  const bad = REQUEST.slice();
  bad[0] = 3;
  assert.equal(probeDhcp(bad, 0, 'udp'), 'no_match');
});

const SEEDS: Conversation[] = [
  { transport: 'udp', chunks: [{ dir: 0, data: REQUEST }] },
  { transport: 'udp', chunks: [{ dir: 1, data: ACK }, { dir: 0, data: REQUEST }] },
];

test('conformance suite', () => {
  assert.deepEqual(checkConformance(dhcpModule, SEEDS), []);
});

// SSH tests: banner parsing, both banners to one transaction and software hints, pre-banner lines, caps, probe,
// conformance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkConformance, type Conversation } from '../conformance.js';
import type { AssetHintEvent, TransactionEvent } from '../operation.js';
import type { Direction, FlowInfo, ProtocolEvent } from '../protocol.js';
import { probeSsh, sshModule } from './index.js';
import { parseBanner, wellFormed } from './parse.js';
import type { SshFields } from './types.js';

const text = (s: string) => new TextEncoder().encode(s);
const FLOW: FlowInfo = {
  id: 1,
  transport: 'tcp',
  client: { ip: '10.0.0.1', port: 50000 },
  server: { ip: '10.0.0.2', port: 22 },
  vlan: [0, 0],
  roleSource: 'handshake',
};

function run(chunks: [Direction, string | Uint8Array][]) {
  const events: ProtocolEvent[] = [];
  const anomalies: string[] = [];
  const s = sshModule.createSession({ flow: FLOW, anomaly: (c) => anomalies.push(c), emit: (e) => events.push(e) });
  chunks.forEach(([dir, data], i) => s.onData(dir, typeof data === 'string' ? text(data) : data, 1 + i));
  s.onEnd(100);
  const tx = events.filter((e) => e.type === 'transaction') as (TransactionEvent & { ssh: SshFields })[];
  const hints = events.filter((e) => e.type === 'asset_hint') as AssetHintEvent[];
  return { tx, hints, anomalies };
}

test('banner grammar', () => {
  const b = text('SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.6');
  assert.deepEqual(parseBanner(b, 0, b.length), {
    text: 'SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.6',
    protoVersion: '2.0',
    software: 'OpenSSH_8.9p1 Ubuntu-3ubuntu0.6',
  });
  const bad = text('SSH-2.0');
  assert.equal(wellFormed(parseBanner(bad, 0, bad.length)!), false);
  assert.equal(parseBanner(text('SSX-2.0-x'), 0, 9), null);
});

test('both banners: one transaction, two software hints (server with its role), binary rest ignored', () => {
  const r = run([
    [1, 'SSH-2.0-dropbear_2019.78\r\n'],
    [0, 'SSH-2.0-PuTTY_Release_0.78\r\n\x00\x00\x01\x0c\x0a\x14'],
    [1, '\x00\x00\x01\x0c\x0a\x14binary kex'],
  ]);
  assert.equal(r.tx.length, 1);
  assert.deepEqual(r.tx[0].ssh, { client_banner: 'SSH-2.0-PuTTY_Release_0.78', server_banner: 'SSH-2.0-dropbear_2019.78' });
  assert.deepEqual(r.tx[0].operation, { code: 0, name: 'banner', access: 'other' });
  assert.equal(r.tx[0].origin, 'server');
  assert.equal(r.tx[0].outcome, 'ok');
  assert.deepEqual(
    r.hints.map((h) => [h.side, h.role, h.identity]),
    [
      ['server', 'ssh_server', { software: 'dropbear_2019.78' }],
      ['client', undefined, { software: 'PuTTY_Release_0.78' }],
    ],
  );
  assert.deepEqual(r.anomalies, []);
});

test('server lines before the banner, banner split byte by byte, client banner alone', () => {
  const chunks: [Direction, string][] = [];
  for (const c of 'Welcome\r\nauthorised use only\r\nSSH-1.99-Cisco-1.25\r\n') chunks.push([1, c]);
  const r = run(chunks);
  assert.equal(r.tx[0].ssh.server_banner, 'SSH-1.99-Cisco-1.25');
  const lone = run([[0, 'SSH-2.0-libssh_0.9.6\n']]);
  assert.equal(lone.tx[0].outcome, 'no_response');
  assert.equal(lone.tx[0].origin, 'client');
});

test('not SSH, malformed banner, caps', () => {
  assert.deepEqual(run([[0, 'GET / HTTP/1.1\r\n']]).anomalies, ['ssh.not_ssh']);
  assert.deepEqual(run([[1, 'line\n'.repeat(20)]]).anomalies, ['ssh.not_ssh']);
  assert.deepEqual(run([[1, 'SSH-2.0\r\n']]).anomalies, ['ssh.bad_banner']);
  const long = run([[1, `SSH-2.0-${'x'.repeat(400)}\r\n`]]);
  assert.deepEqual(long.anomalies, ['ssh.banner_too_long']);
  assert.equal(long.tx[0].ssh.server_banner?.length, 255);
  assert.equal(run([[1, 'x'.repeat(5000)]]).anomalies[0], 'ssh.not_ssh');
});

test('probe', () => {
  assert.equal(probeSsh(text('SSH-2.0-x')), 'match');
  assert.equal(probeSsh(text('SS')), 'need_more');
  assert.equal(probeSsh(text('GET /')), 'no_match');
});

test('conformance suite over hand-made conversations', () => {
  const seeds: Conversation[] = [
    {
      transport: 'tcp',
      chunks: [
        { dir: 1, data: text('SSH-2.0-OpenSSH_9.6\r\n') },
        { dir: 0, data: text('SSH-2.0-Go\r\n\x00\x00\x00\x10') },
        { dir: 1, data: text('\x00\x00\x04\x00binary') },
      ],
    },
    { transport: 'tcp', chunks: [{ dir: 1, data: text('hello\r\nSSH-2.0-x y\r\n') }] },
  ];
  assert.deepEqual(checkConformance(sshModule, seeds, { mutationsPerConversation: 100, randomConversations: 100 }), []);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { createSocket } from 'node:dgram';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Notifier, type NotifierOptions } from './notifier.js';
import { frame } from './syslog-transport.js';
import { verifySignature } from './webhook.js';
import { SAMPLE_ALERT, parse5424, parseCef } from './testkit.js';
import type { NotifyAlert, NotifyTarget } from './types.js';

const HOST = '127.0.0.1';
const FAST: NotifierOptions = { backoffMs: 5, backoffMaxMs: 20, maxAttempts: 4, timeoutMs: 2000, hostname: 'sensor-1', procId: '4242', version: '0.1.0' };
const SECRET = 'a-shared-secret-of-some-length';

interface Hit {
  headers: IncomingMessage['headers'];
  body: string;
  /** The sender's port: the same one means the connection was reused. */
  from: number | undefined;
}

/** An HTTP receiver answering from a script of statuses (the last repeats). */
async function httpReceiver(statuses: number[], extra: (res: ServerResponse, n: number) => void = () => {}) {
  const hits: Hit[] = [];
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const n = hits.length;
      hits.push({ headers: req.headers, body: Buffer.concat(chunks).toString(), from: req.socket.remotePort });
      extra(res, n);
      res.statusCode = statuses[Math.min(n, statuses.length - 1)];
      res.end(res.statusCode >= 400 ? 'receiver says no' : 'ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, HOST, r));
  const url = `http://${HOST}:${(server.address() as AddressInfo).port}/hook`;
  return { hits, url, close: () => new Promise<void>((r) => server.close(() => r())) };
}

function webhookTarget(url: string, more: Partial<NotifyTarget> = {}): NotifyTarget {
  return { id: 'nt_hook', name: 'hook', kind: 'webhook', enabled: true, format: 'json', min_score: 0, min_severity: 'low', url, secret: SECRET, ...more };
}

function syslogTarget(port: number, more: Partial<NotifyTarget> = {}): NotifyTarget {
  return { id: 'nt_syslog', name: 'siem', kind: 'syslog', enabled: true, format: '5424', min_score: 0, min_severity: 'low', host: HOST, port, transport: 'udp', facility: 20, max_bytes: 2048, ...more };
}

const alert = (n: number, more: Partial<NotifyAlert> = {}): NotifyAlert => ({ ...SAMPLE_ALERT, id: `al_test_${n}`, ...more });

async function waitFor(cond: () => boolean, what: string, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A closed port: bound, then released. */
async function closedPort(): Promise<number> {
  const s = createTcpServer();
  await new Promise<void>((r) => s.listen(0, HOST, r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Reads RFC 6587 octet-counted messages from a stream, whatever the chunking. */
function octetCounted(onMessage: (m: Buffer) => void): (chunk: Buffer) => void {
  let buf = Buffer.alloc(0);
  return (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      const sp = buf.indexOf(0x20);
      if (sp < 0) return;
      const len = Number(buf.subarray(0, sp).toString('ascii'));
      assert.ok(Number.isInteger(len) && len > 0, `MSG-LEN ${buf.subarray(0, sp).toString()}`);
      if (buf.length < sp + 1 + len) return;
      onMessage(buf.subarray(sp + 1, sp + 1 + len));
      buf = buf.subarray(sp + 1 + len);
    }
  };
}

test('webhook: 500 twice then 200 is delivered on the third attempt, signed, with one delivery id', async () => {
  const rx = await httpReceiver([500, 500, 200]);
  const n = new Notifier({ ...FAST, targets: [webhookTarget(rx.url)] });
  assert.equal(n.offer(SAMPLE_ALERT), 1);
  await n.idle();
  assert.equal(rx.hits.length, 3);
  const c = n.counters('nt_hook')!;
  assert.deepEqual({ queued: c.queued, pending: c.pending, sent: c.sent, retried: c.retried, dead_lettered: c.dead_lettered, dropped: c.dropped }, { queued: 1, pending: 0, sent: 1, retried: 2, dead_lettered: 0, dropped: 0 });
  assert.match(c.last_error!, /HTTP 500: receiver says no/);
  assert.ok(c.last_success !== null);
  for (const h of rx.hits) {
    assert.equal(h.headers['content-type'], 'application/json');
    assert.equal(h.headers['x-lantern-event'], 'alert.new');
    assert.equal(h.headers['user-agent'], 'Lantern/0.1.0');
    assert.ok(verifySignature(h.body, SECRET, h.headers['x-lantern-signature'] as string), 'the signature verifies');
  }
  assert.equal(new Set(rx.hits.map((h) => h.headers['x-lantern-delivery'])).size, 1, 'retries keep the delivery id');
  assert.equal(new Set(rx.hits.map((h) => h.from)).size, 1, 'one connection, kept alive');
  const body = JSON.parse(rx.hits[2].body) as Record<string, unknown>;
  assert.equal(body.event, 'alert.new');
  assert.equal(body.id, SAMPLE_ALERT.id);
  assert.equal(body.score, 92);
  assert.equal(typeof body.sent_at, 'number');
  await n.close();
  await rx.close();
});

test('webhook: always 503 is dead-lettered after the last attempt; the dead letter keeps the error', async () => {
  const rx = await httpReceiver([503]);
  const n = new Notifier({ ...FAST, maxAttempts: 3, targets: [webhookTarget(rx.url)] });
  n.offer(SAMPLE_ALERT);
  await n.idle();
  assert.equal(rx.hits.length, 3);
  const c = n.counters('nt_hook')!;
  assert.equal(c.retried, 2);
  assert.equal(c.dead_lettered, 1);
  assert.equal(c.sent, 0);
  const dl = n.deadLetters('nt_hook')!;
  assert.equal(dl.length, 1);
  assert.deepEqual({ alert: dl[0].alert, attempts: dl[0].attempts, event: dl[0].event }, { alert: SAMPLE_ALERT.id, attempts: 3, event: 'alert.new' });
  assert.match(dl[0].error, /^HTTP 503/);
  assert.equal(n.deadLetters('nt_nope'), null);
  await n.close();
  await rx.close();
});

test('webhook: a 4xx answer is final (dead letter at once); 429 is tried again after Retry-After', async () => {
  const rx = await httpReceiver([400]);
  const n = new Notifier({ ...FAST, targets: [webhookTarget(rx.url)] });
  n.offer(SAMPLE_ALERT);
  await n.idle();
  assert.equal(rx.hits.length, 1);
  assert.equal(n.counters('nt_hook')!.retried, 0);
  assert.equal(n.counters('nt_hook')!.dead_lettered, 1);
  await n.close();
  await rx.close();

  const busy = await httpReceiver([429, 200], (res, i) => i === 0 && res.setHeader('retry-after', '0'));
  const m = new Notifier({ ...FAST, targets: [webhookTarget(busy.url)] });
  m.offer(SAMPLE_ALERT);
  await m.idle();
  assert.equal(busy.hits.length, 2);
  assert.deepEqual([m.counters('nt_hook')!.retried, m.counters('nt_hook')!.sent], [1, 1]);
  await m.close();
  await busy.close();
});

test('webhook: a receiver that is not there is retried, then dead-lettered; offer never throws', async () => {
  const port = await closedPort();
  const n = new Notifier({ ...FAST, maxAttempts: 2, targets: [webhookTarget(`http://${HOST}:${port}/`)] });
  assert.doesNotThrow(() => n.offer(SAMPLE_ALERT));
  await n.idle();
  const c = n.counters('nt_hook')!;
  assert.deepEqual([c.retried, c.dead_lettered], [1, 1]);
  assert.match(c.last_error!, /ECONNREFUSED/);
  await n.close();
});

test('a malformed alert from the caller does not throw: it is dead-lettered without retries', async () => {
  const n = new Notifier({ ...FAST, targets: [syslogTarget(9, { format: 'cef' })] });
  const broken = { ...SAMPLE_ALERT, techniques: undefined, title: 42 } as unknown as NotifyAlert;
  assert.doesNotThrow(() => n.offer(broken));
  assert.doesNotThrow(() => n.offer(null as unknown as NotifyAlert));
  await n.idle();
  const c = n.counters('nt_syslog')!;
  assert.deepEqual([c.dead_lettered, c.retried, c.sent], [1, 0, 0]);
  assert.equal(n.internalErrors, 1);
  await n.close();
});

test('filters: below the score or the severity, or marked noise, nothing is sent', async () => {
  const rx = await httpReceiver([200]);
  const n = new Notifier({ ...FAST, targets: [webhookTarget(rx.url, { min_score: 50, min_severity: 'high' })] });
  assert.equal(n.offer(alert(1, { score: 49 })), 0);
  assert.equal(n.offer(alert(2, { score: NaN })), 0);
  assert.equal(n.offer(alert(3, { severity: 'medium' })), 0);
  assert.equal(n.offer(alert(4, { status: 'false_positive' })), 0);
  assert.equal(n.offer(alert(5, { score: 50, severity: 'high' })), 1);
  assert.equal(n.offer(alert(6, { score: 99, severity: 'critical' })), 1);
  await n.idle();
  assert.deepEqual(rx.hits.map((h) => (JSON.parse(h.body) as { id: string }).id), ['al_test_5', 'al_test_6']);
  n.setTargets([webhookTarget(rx.url, { enabled: false })]);
  assert.equal(n.offer(alert(7)), 0, 'disabled');
  await n.close();
  await rx.close();
});

test('an alert already sent goes again only when its count grew and the resend interval passed, as alert.updated', async () => {
  const rx = await httpReceiver([200]);
  let now = 1_000_000;
  const n = new Notifier({ ...FAST, now: () => now, resendIntervalMs: 60_000, targets: [webhookTarget(rx.url)] });
  assert.equal(n.offer(alert(1, { count: 1 })), 1);
  assert.equal(n.offer(alert(1, { count: 1 })), 0, 'same count');
  now += 10_000;
  assert.equal(n.offer(alert(1, { count: 5 })), 0, 'grew, but too soon');
  now += 60_000;
  assert.equal(n.offer(alert(1, { count: 5 })), 1, 'grew, interval passed');
  assert.equal(n.offer(alert(2), 'alert.updated'), 1, 'the caller says updated; this target has not seen it');
  await n.idle();
  assert.deepEqual(
    rx.hits.map((h) => h.headers['x-lantern-event']),
    ['alert.new', 'alert.updated', 'alert.updated'],
  );
  await n.close();
  await rx.close();
});

test('a full queue drops what comes next and counts it; the rest is delivered', async () => {
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => (release = r));
  const hits: string[] = [];
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hits.push((JSON.parse(Buffer.concat(chunks).toString()) as { id: string }).id);
      void gate.then(() => res.end('ok'));
    });
  });
  await new Promise<void>((r) => server.listen(0, HOST, r));
  const n = new Notifier({ ...FAST, queueCap: 2, targets: [webhookTarget(`http://${HOST}:${(server.address() as AddressInfo).port}/`)] });
  const offered = [1, 2, 3, 4, 5].map((i) => n.offer(alert(i)));
  assert.deepEqual(offered, [1, 1, 0, 0, 0]);
  assert.equal(n.counters('nt_hook')!.dropped, 3);
  assert.equal(n.counters('nt_hook')!.pending, 2);
  assert.equal(n.anomalies.get('notify.queue_full'), 3);
  // A dropped alert was not remembered as sent: offered again once there is room, it goes.
  release();
  await n.idle();
  assert.equal(n.offer(alert(3)), 1);
  await n.idle();
  assert.deepEqual(hits, ['al_test_1', 'al_test_2', 'al_test_3']);
  assert.equal(n.counters('nt_hook')!.sent, 3);
  await n.close();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

test('syslog over UDP: one RFC 5424 datagram per alert, fields and escapes parse back', async () => {
  const rx = createSocket('udp4');
  const got: Buffer[] = [];
  rx.on('message', (m) => got.push(m));
  await new Promise<void>((r) => rx.bind(0, HOST, r));
  const n = new Notifier({ ...FAST, targets: [syslogTarget(rx.address().port)] });
  n.offer(SAMPLE_ALERT);
  n.offer(alert(2, { title: 'quote " backslash \\ bracket ]', detection: 'a]b"c\\d', severity: 'medium' }));
  await waitFor(() => got.length === 2, 'two datagrams');
  const [a, b] = got.map(parse5424);
  assert.equal(a.pri, 162);
  assert.equal(a.msgId, 'alert.new');
  assert.equal(a.sd['lantern@32473'].id, SAMPLE_ALERT.id);
  assert.equal(a.msg, SAMPLE_ALERT.title);
  assert.equal(b.pri, 164);
  assert.equal(b.sd['lantern@32473'].detection, 'a]b"c\\d');
  assert.equal(b.msg, 'quote " backslash \\ bracket ]');
  assert.equal(n.counters('nt_syslog')!.sent, 2);
  await n.close();
  rx.close();
});

test('syslog over UDP: a message over max_bytes is cut to fit one datagram and counted', async () => {
  const rx = createSocket('udp4');
  const got: Buffer[] = [];
  rx.on('message', (m) => got.push(m));
  await new Promise<void>((r) => rx.bind(0, HOST, r));
  const n = new Notifier({ ...FAST, targets: [syslogTarget(rx.address().port, { max_bytes: 480 })] });
  n.offer(alert(1, { title: 'x'.repeat(2000) }));
  await waitFor(() => got.length === 1, 'a datagram');
  assert.ok(got[0].length <= 480);
  assert.equal(parse5424(got[0]).sd['lantern@32473'].id, 'al_test_1');
  assert.equal(n.anomalies.get('notify.message_truncated'), 1);
  await n.close();
  rx.close();
});

/** A TCP (or TLS) receiver that reads octet-counted messages and counts its connections. */
function streamReceiver(server: Server, connectionEvent = 'connection') {
  const messages: Buffer[] = [];
  const sockets: Socket[] = [];
  server.on(connectionEvent, (s: Socket) => {
    sockets.push(s);
    s.on('data', octetCounted((m) => messages.push(Buffer.from(m))));
    s.on('error', () => {});
  });
  return { messages, sockets };
}

test('syslog over TCP: octet counting, one connection reused; after the receiver closes it, a new one', async () => {
  const server = createTcpServer();
  const rx = streamReceiver(server);
  await new Promise<void>((r) => server.listen(0, HOST, r));
  const port = (server.address() as AddressInfo).port;
  const n = new Notifier({ ...FAST, targets: [syslogTarget(port, { transport: 'tcp', format: 'cef', cef_header: '5424' })] });
  for (let i = 1; i <= 3; i++) n.offer(alert(i, { title: `alert ${i} é` }));
  await waitFor(() => rx.messages.length === 3, 'three messages');
  assert.equal(rx.sockets.length, 1, 'one connection for all');
  const p = parse5424(rx.messages[2]);
  const cef = parseCef(p.msg!);
  assert.equal(cef.ext.externalId, 'al_test_3');
  assert.equal(cef.name, 'alert 3 é');
  // The receiver goes away and comes back: the next message opens a new connection.
  rx.sockets[0].destroy();
  await new Promise((r) => setTimeout(r, 50));
  n.offer(alert(4));
  await waitFor(() => rx.messages.length === 4, 'the fourth message');
  assert.equal(rx.sockets.length, 2);
  assert.equal(n.counters('nt_syslog')!.sent, 4);
  await n.close();
  await new Promise<void>((r) => server.close(() => r()));
});

test('syslog over TCP to a closed port: retried, then dead-lettered', async () => {
  const port = await closedPort();
  const n = new Notifier({ ...FAST, maxAttempts: 3, targets: [syslogTarget(port, { transport: 'tcp' })] });
  n.offer(SAMPLE_ALERT);
  await n.idle();
  const c = n.counters('nt_syslog')!;
  assert.deepEqual([c.retried, c.dead_lettered, c.sent], [2, 1, 0]);
  assert.match(n.deadLetters('nt_syslog')![0].error, /ECONNREFUSED/);
  await n.close();
});

test('framing: octet counting is LEN SP MSG; lf framing ends each message with a line feed and keeps it one line', () => {
  assert.deepEqual(frame(Buffer.from('<165>1 - - - - - -'), 'octet_counting').toString(), '18 <165>1 - - - - - -');
  assert.deepEqual(frame(Buffer.from('a\nb'), 'lf').toString(), 'a b\n');
});

test('syslog over TLS (RFC 5425) with a CA file, to a certificate made now with openssl', async (t) => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
  } catch {
    t.skip('openssl is not installed: the TLS receiver needs a certificate made at test time');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'lantern-notify-tls-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], {
      stdio: 'ignore',
    });
    const server = createTlsServer({ key: readFileSync(key), cert: readFileSync(cert) });
    const rx = streamReceiver(server as unknown as Server, 'secureConnection');
    await new Promise<void>((r) => server.listen(0, HOST, r));
    const port = (server.address() as AddressInfo).port;
    const n = new Notifier({ ...FAST, maxAttempts: 1, targets: [syslogTarget(port, { transport: 'tls', ca_file: cert })] });
    n.offer(alert(1));
    n.offer(alert(2));
    await waitFor(() => rx.messages.length === 2, 'two messages over TLS');
    assert.equal(parse5424(rx.messages[1]).sd['lantern@32473'].id, 'al_test_2');
    assert.equal(rx.sockets.length, 1);
    // Without the CA, the self-signed certificate is refused.
    const m = new Notifier({ ...FAST, maxAttempts: 1, targets: [syslogTarget(port, { id: 'nt_noca', transport: 'tls' })] });
    m.offer(alert(3));
    await m.idle();
    assert.equal(m.counters('nt_noca')!.dead_lettered, 1);
    assert.match(m.counters('nt_noca')!.last_error!, /self.signed|certificate/i);
    await n.close();
    await m.close();
    await new Promise<void>((r) => server.close(() => r()));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('test(): one attempt on a connection of its own, the outcome answered, counters untouched', async () => {
  const ok = await httpReceiver([200]);
  const n = new Notifier({ ...FAST, targets: [webhookTarget(ok.url)] });
  const r = await n.test(webhookTarget(ok.url));
  assert.equal(r.ok, true);
  assert.equal(r.status, 200);
  assert.equal(r.error, null);
  const body = JSON.parse(ok.hits[0].body) as { detection: string; kind: string };
  assert.deepEqual([body.detection, body.kind], ['lantern.test', 'test']);
  assert.equal(n.counters('nt_hook')!.sent, 0);
  const no = await httpReceiver([404]);
  const bad = await n.test(webhookTarget(no.url));
  assert.equal(bad.ok, false);
  assert.equal(bad.status, 404);
  assert.match(bad.error!, /HTTP 404/);
  await n.close();
  await ok.close();
  await no.close();
});

test('close() delivers what is queued before its deadline, then refuses; what is left is counted as dropped when not kept', async () => {
  const rx = await httpReceiver([200]);
  const n = new Notifier({ ...FAST, targets: [webhookTarget(rx.url)] });
  for (let i = 1; i <= 5; i++) n.offer(alert(i));
  await n.close(2000);
  assert.equal(rx.hits.length, 5);
  assert.equal(n.offer(alert(9)), 0);
  await rx.close();

  const port = await closedPort();
  const stuck = new Notifier({ ...FAST, backoffMs: 10_000, backoffMaxMs: 10_000, targets: [webhookTarget(`http://${HOST}:${port}/`)] });
  stuck.offer(alert(1));
  stuck.offer(alert(2));
  const started = Date.now();
  assert.deepEqual(await stuck.close(100, false), []);
  assert.ok(Date.now() - started < 2000, 'the deadline holds');
  assert.equal(stuck.counters('nt_hook')!.dropped, 2);
});

test('what close() could not deliver is handed back, kept as JSON, and restore() sends it at the next start with its delivery id', async () => {
  const port = await closedPort();
  const down = new Notifier({ ...FAST, backoffMs: 10_000, backoffMaxMs: 10_000, targets: [webhookTarget(`http://${HOST}:${port}/`)] });
  down.offer(alert(1));
  down.offer(alert(2));
  const left = await down.close(100);
  assert.deepEqual(
    left.map((p) => [p.target, p.alert.id, p.event]),
    [
      ['nt_hook', alert(1).id, 'alert.new'],
      ['nt_hook', alert(2).id, 'alert.new'],
    ],
  );
  assert.equal(down.counters('nt_hook')!.dropped, 0, 'kept, not dropped');
  const stored = JSON.parse(JSON.stringify(left)) as unknown;

  const rx = await httpReceiver([200]);
  const up = new Notifier({ ...FAST, targets: [webhookTarget(rx.url), syslogTarget(port, { enabled: false })] });
  const junk = [{ target: 'nt_hook', alert: { id: 3 } }, 'nonsense', { ...left[0], target: 'nt_gone' }];
  assert.equal(up.restore([...(stored as unknown[]), ...junk]), 2);
  assert.equal(up.anomalies.get('notify.invalid_pending'), 2);
  assert.equal(up.restore({ not: 'a list' }), 0);
  await up.idle();
  assert.deepEqual(
    rx.hits.map((h) => h.headers['x-lantern-delivery']),
    left.map((p) => p.delivery),
  );
  assert.equal(up.offer(alert(1)), 0, 'remembered as sent');
  await up.close();
  await rx.close();
});

test('reconfiguring keeps counters and queue; removing a target drops its queue', async () => {
  const rx = await httpReceiver([200]);
  const n = new Notifier({ ...FAST, targets: [webhookTarget(rx.url)] });
  n.offer(alert(1));
  await n.idle();
  n.setTargets([webhookTarget(rx.url, { name: 'renamed', min_score: 10 })]);
  assert.equal(n.counters('nt_hook')!.sent, 1);
  assert.equal(n.targets[0].name, 'renamed');
  n.setTargets([]);
  assert.equal(n.counters('nt_hook'), null);
  assert.deepEqual(n.status(), []);
  await n.close();
  await rx.close();
});

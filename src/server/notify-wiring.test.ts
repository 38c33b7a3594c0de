// The sensor hands each flush's alerts to the notifier with their risk score: a webhook set to score 70 receives the
// demo plant's "now" alerts, and only those, as `alert.new`. What serve kept undelivered at its last stop is sent at
// its next start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Sensor } from './sensor.js';
import { SqliteStore } from '../store/sqlite.js';
import { Notifier } from '../notify/notifier.js';
import { keepPending, PENDING_SETTING_KEY, saveTargets } from '../notify/config.js';
import { assembleServer } from './assemble.js';
import { REPO_ROOT } from '../common/corpus.js';

const DEMO = [join(process.cwd(), 'demo', 'demo-plant.pcapng'), join(REPO_ROOT, 'demo', 'demo-plant.pcapng')].find((p) => existsSync(p)) ?? 'demo/demo-plant.pcapng';

test('a webhook with a minimum score of 70 receives the demo plant’s now alerts as they are stored', async () => {
  const received: { event: string; id: string; score: number }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += String(d)));
    req.on('end', () => {
      received.push(JSON.parse(body) as { event: string; id: string; score: number });
      res.writeHead(204).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const notifier = new Notifier({ targets: [{ id: 'soc', name: 'SOC', kind: 'webhook', enabled: true, format: 'json', min_score: 70, min_severity: 'low', url }] });
  const store = new SqliteStore(join(mkdtempSync(join(tmpdir(), 'lantern-notify-wiring-')), 'lantern.db'));
  try {
    const sensor = new Sensor(store, { notifier });
    await sensor.ingestFile(DEMO, 'demo');
    await notifier.idle();
    const now = store.listAlerts({ queue: 'now' }, null, 100).items.map((a) => a.id).sort();
    assert.ok(now.length >= 3);
    assert.deepEqual([...new Set(received.map((r) => r.id))].sort(), now);
    assert.ok(received.every((r) => r.event === 'alert.new' && r.score >= 70));
    assert.equal(notifier.counters('soc')?.sent, received.length);
  } finally {
    await notifier.close();
    store.close();
    server.close();
  }
});

test('serve restarted: the notifications kept at the last stop are sent, once, and the store forgets them', async () => {
  const deliveries: string[] = [];
  const server = createServer((req, res) => {
    deliveries.push(String(req.headers['x-lantern-delivery']));
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const dir = mkdtempSync(join(tmpdir(), 'lantern-notify-kept-'));
  const store = new SqliteStore(join(dir, 'lantern.db'));
  saveTargets(store, [{ id: 'nt_soc', name: 'SOC', kind: 'webhook', enabled: true, format: 'json', min_score: 0, min_severity: 'low', url }]);
  // As the last run's close() handed it back to serve.
  const down = new Notifier({ targets: [{ id: 'nt_soc', name: 'SOC', kind: 'webhook', enabled: true, format: 'json', min_score: 0, min_severity: 'low', url: 'http://127.0.0.1:9/' }], backoffMs: 60_000 });
  down.offer({ id: 'al_kept', detection: 'behavior.program_download', title: 'Program download', kind: 'behavior', severity: 'high', score: 87, confidence: 0.9, techniques: ['T0843'], tactics: [], src: null, dst: null, protocol: 's7comm', first_seen: 1, last_seen: 1, count: 1, status: 'new' });
  const left = await down.close(200);
  assert.equal(left.length, 1);
  keepPending(store, left);
  const said: string[] = [];
  const parts = await assembleServer(store, { data: dir, evidenceBudget: 0, webRoot: null, say: (l) => said.push(l) });
  try {
    await parts.notifier.idle();
    assert.deepEqual(deliveries, [left[0].delivery]);
    assert.ok(said.includes('notifications: 1 kept from the last run queued again'), said.join('|'));
    assert.equal(store.getSetting(PENDING_SETTING_KEY), null);
  } finally {
    await parts.notifier.close();
    await parts.app.close();
    store.close();
    server.close();
  }
});

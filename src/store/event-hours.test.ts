// Queries by asset walk only the hours that hold events: captures uploaded years apart leave the hours between them
// empty, and the answers must not depend on how many there are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SqliteStore } from './sqlite.js';
import { makeEvent } from './testkit.js';
import type { EventRecord } from './store.js';

test('events of an asset years apart: counted and paged newest first across the empty hours between them', () => {
  const store = new SqliteStore(':memory:');
  try {
    const old = Array.from({ length: 30 }, (_, i) => makeEvent(i, { hosts: 1, start: 1.2e9, step: 60 }));
    const recent = Array.from({ length: 40 }, (_, i) => makeEvent(100 + i, { hosts: 1, start: 1.7e9, step: 60 }));
    store.appendEvents([...old, ...recent]);
    const server = recent[0].server.ip;
    assert.equal(store.countEvents({ asset: server }), 70);
    assert.equal(store.countEvents({ asset: server, from: 1.5e9 }), 40);
    assert.equal(store.countEvents({ asset: '192.0.2.1' }), 0);

    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page = store.queryEvents({ asset: server, cursor, limit: 25 });
      for (const e of page.items) seen.push(e.record.ts);
      cursor = page.next;
    } while (cursor !== null);
    assert.equal(seen.length, 70);
    assert.deepEqual(
      seen,
      [...seen].sort((a, b) => b - a),
    );
    assert.equal(seen[39] >= 1.7e9, true);
    assert.equal(seen[40] < 1.3e9, true);
    assert.deepEqual(store.queryEvents({ asset: '192.0.2.1' }).items, []);
  } finally {
    store.close();
  }
});

test('an asset\'s event count over whole hours reads the per-address table and equals the exact count, after retention too', () => {
  const store = new SqliteStore(':memory:');
  const ev = (ts: number, client: string, server: string, protocol = 'modbus') =>
    ({ ts, protocol, type: 'transaction', flow: 1, client: { ip: client, port: 1 }, server: { ip: server, port: 502 }, operation: { code: 3, name: 'read', access: 'read' }, target: {}, outcome: 'ok', latency_ms: 1, origin: 'client' }) as unknown as EventRecord;
  const events: EventRecord[] = [];
  for (let i = 0; i < 500; i++) events.push(ev(3600 * 10 + i * 37.3, '10.0.0.1', i % 3 === 0 ? '10.0.0.1' : '10.0.0.2', i % 2 === 0 ? 'modbus' : 'dnp3'));
  store.appendEvents(events);
  const exact = (asset: string, from?: number, to?: number, protocol?: string) =>
    events.filter((e) => (e.client.ip === asset || e.server.ip === asset) && (from === undefined || e.ts >= from) && (to === undefined || e.ts < to) && (protocol === undefined || e.protocol === protocol)).length;
  for (const [asset, from, to, protocol] of [['10.0.0.1'], ['10.0.0.2'], ['10.0.0.2', 3600 * 10 + 1000, 3600 * 14 + 17], ['10.0.0.1', 3600 * 11, 3600 * 13, 'dnp3'], ['10.0.0.9']] as [string, number?, number?, string?][]) {
    assert.equal(store.countEvents({ asset, from, to, protocol }), exact(asset, from, to, protocol), `${asset} ${from} ${to} ${protocol}`);
  }
  store.retention({ maxAgeSeconds: 3600 * 2.5, now: 3600 * 10 + 499 * 37.3 });
  const left = store.queryEvents({ limit: 1000 }).items.map((e) => e.record as EventRecord);
  assert.ok(left.length < events.length && left.length > 0);
  assert.equal(store.countEvents({ asset: '10.0.0.2' }), left.filter((e) => e.client.ip === '10.0.0.2' || e.server.ip === '10.0.0.2').length);
  store.close();
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCHEMA_VERSION } from './migrations.js';
import { SqliteStore } from './sqlite.js';
import { StoreError, type EventFilter, type EventRecord } from './store.js';
import { makeAlert, makeAsset, makeConnection, makeEvent } from './testkit.js';

function withStore(fn: (store: SqliteStore, dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-store-'));
  const store = new SqliteStore(join(dir, 'lantern.db'));
  try {
    fn(store, dir);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every page of a filtered event list, following the cursors. */
function allPages(store: SqliteStore, filter: EventFilter, limit: number): number[] {
  const ids: number[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 10_000; guard++) {
    const p = store.queryEvents({ ...filter, cursor, limit });
    ids.push(...p.items.map((e) => e.id));
    if (p.next === null) return ids;
    cursor = p.next;
  }
  throw new Error('paging did not end');
}

/** The reference answer: records (id = index + 1) matching the filter, newest first. */
function expected(records: readonly EventRecord[], f: EventFilter): number[] {
  const out: { id: number; ts: number }[] = [];
  records.forEach((r, i) => {
    if (f.from !== undefined && r.ts < f.from) return;
    if (f.to !== undefined && r.ts >= f.to) return;
    if (f.protocol !== undefined && r.protocol !== f.protocol) return;
    if (f.asset !== undefined && r.client.ip !== f.asset && r.server.ip !== f.asset) return;
    if (f.operation !== undefined && r.operation.name !== f.operation) return;
    if (f.access !== undefined && r.operation.access !== f.access) return;
    if (f.outcome !== undefined && r.outcome !== f.outcome) return;
    if (f.type !== undefined && r.type !== f.type) return;
    if (f.text !== undefined && !JSON.stringify(r).includes(f.text)) return;
    for (const [path, value] of Object.entries(f.fields ?? {})) {
      let v: unknown = r;
      for (const k of path.split('.')) v = (v as Record<string, unknown> | undefined)?.[k];
      if (v !== value) return;
    }
    out.push({ id: i + 1, ts: r.ts });
  });
  return out.sort((a, b) => b.ts - a.ts || b.id - a.id).map((e) => e.id);
}

test('events: every filter pages to exactly the matching records, newest first, and counts agree', () => {
  withStore((store) => {
    // Coarse timestamps, so many events share one ts and the id breaks the tie.
    const records = Array.from({ length: 3000 }, (_, i) => makeEvent(i, { hosts: 40, step: 0.25 }));
    for (const r of records.slice(0, 40)) (r as { ts: number }).ts = Math.floor(r.ts);
    assert.deepEqual(store.appendEvents(records), { written: 3000, rejected: [] });
    const someIp = records[17].server.ip;
    const filters: EventFilter[] = [
      {},
      { protocol: 'modbus' },
      { protocol: 'dnp3', from: 1.7e9 + 100, to: 1.7e9 + 500 },
      { asset: someIp },
      { asset: records[5].client.ip, protocol: records[5].protocol },
      { operation: 'write_single_register' },
      { access: 'write' },
      { outcome: 'exception' },
      { type: 'repeat_summary' },
      { fields: { 'modbus.func_code': 3 } },
      { text: 'illegal_data_address' },
      { from: 1.7e9 + 700 },
    ];
    for (const f of filters) {
      const want = expected(records, f);
      assert.deepEqual(allPages(store, f, 37), want, JSON.stringify(f));
      assert.equal(store.countEvents(f), want.length, JSON.stringify(f));
    }
    assert.ok(expected(records, { asset: someIp }).length > 0);
  });
});

test('events of an asset page correctly across sparse hours, windows and cursors', () => {
  withStore((store) => {
    // Ten hosts over 40 days, one event every 17 minutes: most hours of an asset are empty.
    const records = Array.from({ length: 3400 }, (_, i) => makeEvent(i, { hosts: 10, step: 1020 }));
    store.appendEvents(records);
    for (const f of [{ asset: records[3].server.ip }, { asset: records[3].client.ip }, { asset: records[9].server.ip, from: 1.7e9 + 86_400 * 3, to: 1.7e9 + 86_400 * 9 }, { asset: '10.9.9.9' }]) {
      for (const limit of [1, 7, 200]) {
        const want = expected(records, f);
        assert.deepEqual(allPages(store, f, limit), want, `${JSON.stringify(f)} by ${limit}`);
        assert.equal(store.countEvents(f), want.length, JSON.stringify(f));
      }
    }
  });
});

test('events: an asset talking to itself is listed and counted once', () => {
  withStore((store) => {
    const e = makeEvent(1);
    const self = { ...e, server: { ip: e.client.ip, port: 502 } } as EventRecord;
    store.appendEvents([self, makeEvent(2)]);
    assert.equal(store.queryEvents({ asset: e.client.ip }).items.length, 1);
    assert.equal(store.countEvents({ asset: e.client.ip }), 1);
  });
});

test('events: keyset paging misses and repeats nothing while newer events keep arriving', () => {
  withStore((store) => {
    const first = Array.from({ length: 500 }, (_, i) => makeEvent(i));
    store.appendEvents(first);
    const seen: number[] = [];
    let cursor: string | null = null;
    let next = 500;
    do {
      const p = store.queryEvents({ cursor, limit: 23 });
      seen.push(...p.items.map((e) => e.id));
      cursor = p.next;
      // A batch lands between two page requests: newer than everything listed so far.
      store.appendEvents(Array.from({ length: 30 }, () => makeEvent(next++)));
    } while (cursor !== null);
    assert.equal(new Set(seen).size, seen.length, 'no duplicates');
    assert.deepEqual(seen, expected(first, {}));
  });
});

test('events: a bad cursor, limit or field is a StoreError with a stable code', () => {
  withStore((store) => {
    store.appendEvents([makeEvent(0)]);
    assert.throws(() => store.queryEvents({ cursor: 'not-a-cursor' }), (e: unknown) => e instanceof StoreError && e.code === 'store.bad_cursor');
    assert.throws(() => store.queryEvents({ cursor: Buffer.from('["a","b"]').toString('base64url') }), { code: 'store.bad_cursor' });
    assert.throws(() => store.queryEvents({ limit: 0 }), { code: 'store.bad_limit' });
    assert.throws(() => store.queryEvents({ fields: { "x') OR 1=1 --": 1 } }), { code: 'store.bad_field' });
    assert.throws(() => store.countEvents({ from: Number.NaN }), { code: 'store.bad_argument' });
    assert.equal(store.queryEvents({ limit: 1_000_000 }).items.length, 1);
  });
});

test('bad records are skipped with a reason and counted; the rest of the batch is written', () => {
  withStore((store) => {
    const good = makeEvent(1);
    const { ts: _ts, ...noTs } = good;
    const circular: Record<string, unknown> = { ...makeEvent(2) };
    circular.self = circular;
    const batch = [good, noTs, null, { ...good, client: {} }, { ...good, type: 'weird' }, circular, makeEvent(3)] as unknown as EventRecord[];
    const r = store.appendEvents(batch);
    assert.equal(r.written, 2);
    assert.deepEqual(
      r.rejected.map((x) => x.index),
      [1, 2, 3, 4, 5],
    );
    assert.match(r.rejected[0].reason, /^ts: /);
    assert.match(r.rejected[2].reason, /^client\.ip: /);
    assert.equal(store.anomalies.get('store.invalid_record'), 5);
    assert.equal(store.countEvents({}), 2);
    assert.deepEqual(store.appendEvents('nope' as unknown as EventRecord[]).rejected, [{ index: -1, reason: 'records must be an array' }]);
    assert.equal(store.putAssets([{ id: 'x' } as never]).rejected[0].reason, 'first_seen, last_seen: missing or not numbers');
    assert.equal(store.putConnections([{} as never]).written, 0);
    assert.equal(store.appendHints([{ ts: 1 } as never]).written, 0);
    assert.throws(() => store.putAlert({ id: 'a' } as never), { code: 'store.invalid_record' });
  });
});

test('assets: upsert by id replaces the record and its ip and protocol index; list filters, sorts and pages', () => {
  withStore((store) => {
    store.putAssets(Array.from({ length: 120 }, (_, i) => makeAsset(i)));
    assert.equal(store.countAssets(), 120);
    const a = makeAsset(5);
    store.putAssets([{ ...a, ips: ['192.168.9.9'], role: 'plc', protocols: [{ protocol: 'opcua', as: 'server', peers: 1, industrial: true }] }]);
    assert.equal(store.countAssets(), 120);
    assert.deepEqual(store.getAsset(a.id)?.ips, ['192.168.9.9']);
    assert.equal(store.getAsset('nope'), null);
    assert.deepEqual(store.listAssets({ filter: { ip: '192.168.9.9' } }).items.map((x) => x.id), [a.id]);
    assert.deepEqual(store.listAssets({ filter: { ip: a.ips[0] } }).items, []);
    assert.deepEqual(store.listAssets({ filter: { protocol: 'opcua' } }).items.map((x) => x.id), [a.id]);

    for (const sort of ['id', 'last_seen', 'first_seen'] as const) {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const p = store.listAssets({ sort, cursor, limit: 11 });
        ids.push(...p.items.map((x) => x.id));
        cursor = p.next;
      } while (cursor !== null);
      const all = [...Array.from({ length: 120 }, (_, i) => makeAsset(i))];
      const want =
        sort === 'id'
          ? all.map((x) => x.id).sort()
          : all.sort((x, y) => y[sort] - x[sort] || (y.id < x.id ? -1 : y.id > x.id ? 1 : 0)).map((x) => x.id);
      assert.deepEqual(ids, want, sort);
    }
    const plcs = store.listAssets({ filter: { role: 'plc' }, limit: 1000 }).items;
    assert.ok(plcs.length > 0 && plcs.every((x) => x.role === 'plc'));
    assert.throws(() => store.listAssets({ sort: 'name' as never }), { code: 'store.bad_sort' });
  });
});

test('connections: upsert by edge key; list by ip and protocol with paging', () => {
  withStore((store) => {
    store.putConnections(Array.from({ length: 50 }, (_, i) => makeConnection(i)));
    store.putConnections([makeConnection(3, { packets: 999 })]);
    assert.equal(store.stats().rows.connections, 50);
    const c3 = makeConnection(3);
    const byIp = store.listConnections({ ip: c3.server.ip }).items;
    assert.equal(byIp.length, 1);
    assert.equal(byIp[0].record.packets, 999);
    const keys: string[] = [];
    let cursor: string | null = null;
    do {
      const p = store.listConnections({ protocol: 'modbus', cursor, limit: 4 });
      keys.push(...p.items.map((x) => x.key));
      cursor = p.next;
    } while (cursor !== null);
    assert.equal(keys.length, 15);
    assert.deepEqual(keys, [...keys].sort());
  });
});

test('alerts: upsert, patch, filter, page and count', () => {
  withStore((store) => {
    for (let i = 0; i < 200; i++) store.putAlert(makeAlert(i));
    assert.equal(store.updateAlert('alert-00000007', { status: 'resolved', assignee: 'ana' }), true);
    assert.equal(store.updateAlert('missing', { status: 'resolved' }), false);
    assert.throws(() => store.updateAlert('alert-00000007', { status: 'closed' as never }), { code: 'store.invalid_record', message: /status: "closed" is not one of new/ });
    assert.throws(() => store.putAlert({ ...makeAlert(1), severity: 'urgent' as never }), { code: 'store.invalid_record' });
    const a7 = store.getAlert('alert-00000007');
    assert.equal(a7?.status, 'resolved');
    assert.equal(a7?.assignee, 'ana');
    const byStatus = store.countAlertsBy('status');
    assert.equal(Object.values(byStatus).reduce((s, n) => s + n, 0), 200);
    const open: string[] = [];
    let cursor: string | null = null;
    do {
      const p = store.listAlerts({ status: 'new' }, cursor, 17);
      open.push(...p.items.map((x) => x.id));
      cursor = p.next;
    } while (cursor !== null);
    assert.equal(open.length, byStatus.new);
    assert.equal(new Set(open).size, open.length);
    const asset = makeAlert(3).assets[0];
    assert.ok(store.listAlerts({ asset }).items.every((x) => x.assets.includes(asset)));
    assert.equal(store.countAlertsBy('assignee', { status: 'resolved' }).ana, 1);
    assert.throws(() => store.countAlertsBy('title' as never), { code: 'store.bad_field' });
    const c = store.addAlertComment('alert-00000007', 'ana', 'checked with the operator', 1.7e9);
    assert.deepEqual(store.listAlertComments('alert-00000007'), [{ id: c, alert: 'alert-00000007', ts: 1.7e9, user: 'ana', text: 'checked with the operator' }]);
  });
});

test('users, sessions, tokens, audit, settings, counters', () => {
  withStore((store) => {
    const id = store.createUser({ name: 'ana', password_hash: 'scrypt$x', role: 'admin', created: 1 });
    assert.deepEqual(store.getUserByName('ana'), { id, name: 'ana', password_hash: 'scrypt$x', role: 'admin', created: 1, disabled: false });
    assert.equal(store.getUserByName('bob'), null);
    assert.equal(store.getUser(id)?.name, 'ana');
    assert.equal(store.getUser(id + 1), null);
    assert.equal(store.countUsers(), 1);
    assert.throws(() => store.createUser({ name: 'ana', password_hash: 'y', role: 'viewer', created: 2 }), { code: 'store.duplicate' });
    store.putSession({ id: 'h1', user_id: id, created: 1, expires: 2 });
    assert.deepEqual(store.getSession('h1'), { id: 'h1', user_id: id, created: 1, expires: 2 });
    store.deleteSession('h1');
    assert.equal(store.getSession('h1'), null);
    store.putApiToken({ id: 't1', user_id: id, name: 'ci', created: 1, expires: null });
    assert.equal(store.getApiToken('t1')?.name, 'ci');
    for (let i = 0; i < 30; i++) store.appendAudit({ ts: 100 + i, user: i % 2 ? 'ana' : null, action: 'login', target: null, detail: i === 0 ? { ip: '127.0.0.1' } : null });
    const p1 = store.listAudit({ limit: 20 });
    const p2 = store.listAudit({ limit: 20, cursor: p1.next });
    assert.equal(p1.items.length + p2.items.length, 30);
    assert.equal(p2.next, null);
    assert.deepEqual(p2.items.at(-1)?.detail, { ip: '127.0.0.1' });
    assert.equal(store.listAudit({ user: 'ana', limit: 100 }).items.length, 15);
    assert.equal(store.getSetting('retention'), undefined);
    store.putSetting('retention', { days: 30 });
    assert.deepEqual(store.getSetting('retention'), { days: 30 });
    assert.equal(store.latestCounters(), null);
    store.putCounters(10, { frames: 1 });
    store.putCounters(20, { frames: 2 });
    assert.deepEqual(store.latestCounters(), { ts: 20, data: { frames: 2 } });
  });
});

test('hints: appended and listed newest first by asset', () => {
  withStore((store) => {
    const e = makeEvent(1);
    const hint = { ts: 5, protocol: 'modbus', type: 'asset_hint', flow: 1, client: e.client, server: e.server, side: 'server', source: 'read_device_identification', identity: { vendor: 'Acme' } };
    assert.equal(store.appendHints([hint, { ...hint, ts: 6 }] as never).written, 2);
    assert.deepEqual(store.queryHints({ asset: e.server.ip }).items.map((h) => h.record.ts), [6, 5]);
    assert.equal(store.queryHints({ asset: '1.2.3.4' }).items.length, 0);
  });
});

test('retention by age deletes what is older than the cutoff, in every timed table', () => {
  withStore((store) => {
    store.appendEvents(Array.from({ length: 1000 }, (_, i) => makeEvent(i, { start: 1000, step: 1 })));
    store.putCounters(1000, {});
    store.putCounters(1999, {});
    store.appendAudit({ ts: 1500, user: null, action: 'x', target: null, detail: null });
    const r = store.retention({ maxAgeSeconds: 400, now: 2000 });
    assert.deepEqual({ ...r, bytes: 0 }, { events: 600, hints: 0, counters: 1, audit: 1, bytes: 0 });
    assert.equal(store.countEvents({}), 400);
    assert.equal(store.countEvents({ to: 1600 }), 0);
  });
});

test('counts from the per-hour table agree with the events, for any window and after retention', () => {
  withStore((store) => {
    // 7 s apart: about 514 events an hour, over 4 days.
    const records = Array.from({ length: 50_000 }, (_, i) => makeEvent(i, { start: 1.7e9 + 1234.5, step: 7 }));
    store.appendEvents(records.slice(0, 20_000));
    store.appendEvents(records.slice(20_000));
    const check = (live: EventRecord[], offset: number) => {
      for (let k = 0; k < 40; k++) {
        const from = 1.7e9 + ((k * 7919.3) % 300_000);
        const to = from + ((k * 104_729.7) % 200_000);
        const f: EventFilter = { from: k % 5 === 0 ? undefined : from, to: k % 7 === 0 ? undefined : to };
        if (k % 2) f.protocol = 'modbus';
        if (k % 3 === 0) f.access = 'read';
        if (k % 4 === 0) f.outcome = 'ok';
        if (k % 9 === 0) f.type = 'repeat_summary';
        const want = expected(live, f).filter((id) => id > offset).length;
        assert.equal(store.countEvents(f), want, JSON.stringify(f));
      }
    };
    check(records, 0);
    const r = store.retention({ maxAgeSeconds: 200_000, now: 1.7e9 + 1234.5 + 50_000 * 7 });
    assert.ok(r.events > 0);
    check(records, r.events);
  });
});

test('retention by size drops the oldest events until the data fits, and the file shrinks', () => {
  withStore((store) => {
    for (let b = 0; b < 20; b++) store.appendEvents(Array.from({ length: 1000 }, (_, i) => makeEvent(b * 1000 + i)));
    const before = store.stats();
    const target = Math.floor(before.bytes / 3);
    const r = store.retention({ maxBytes: target });
    assert.ok(r.bytes <= target, `${r.bytes} <= ${target}`);
    assert.ok(r.events > 10_000 && r.events < 20_000, String(r.events));
    const left = store.countEvents({});
    assert.equal(left, 20_000 - r.events);
    // The newest survive.
    assert.equal(store.queryEvents({ limit: 1 }).items[0].id, 20_000);
    assert.equal(store.countEvents({ to: makeEvent(r.events).ts }), 0);
    assert.deepEqual(store.integrityCheck(), ['ok']);
  });
});

test('stats counts rows and bytes', () => {
  withStore((store) => {
    store.appendEvents([makeEvent(0), makeEvent(1)]);
    const s = store.stats();
    assert.equal(s.rows.events, 2);
    assert.equal(s.schemaVersion, SCHEMA_VERSION);
    assert.ok(s.bytes > 0 && s.fileBytes > 0);
  });
});

test('query plans use an index for the paged event lists, never a full sort', () => {
  withStore((store) => {
    store.appendEvents(Array.from({ length: 200 }, (_, i) => makeEvent(i)));
    for (const q of [{}, { protocol: 'modbus', from: 1, to: 2 }, { from: 5 }]) {
      const plan = store.explainEvents(q);
      // A sort right after reading events would sort every match; sorting the two merged pages of 51 rows is fine.
      plan.forEach((line, i) => {
        const msg = `${JSON.stringify(q)}\n${plan.join('\n')}`;
        assert.notEqual(line, 'SCAN events', msg);
        if (/^(SCAN|SEARCH) events/.test(line)) assert.notEqual(plan[i + 1], 'USE TEMP B-TREE FOR ORDER BY', msg);
      });
    }
    // An asset's events: a seek per hour and side, sorting only the matches of those hours.
    const plan = store.explainEvents({ asset: '10.0.0.1' }).join('\n');
    assert.match(plan, /SEARCH events USING INDEX events_client \(hour=\? AND client_ip=\?\)/, plan);
    assert.match(plan, /SEARCH events USING INDEX events_server \(hour=\? AND server_ip=\?\)/, plan);
  });
});

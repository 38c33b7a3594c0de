import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrate, MIGRATIONS, SCHEMA_VERSION, type Migration } from './migrations.js';
import { SqliteStore } from './sqlite.js';
import { StoreError } from './store.js';
import { makeEvent } from './testkit.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'lantern-migrate-'));
}

test('a fresh store gets the latest schema; re-opening keeps the data and applies nothing', () => {
  const dir = tempDir();
  const path = join(dir, 's.db');
  try {
    const s1 = new SqliteStore(path);
    assert.equal(s1.stats().schemaVersion, SCHEMA_VERSION);
    s1.appendEvents([makeEvent(0)]);
    s1.close();
    const db = new Database(path);
    assert.deepEqual(migrate(db), { from: SCHEMA_VERSION, to: SCHEMA_VERSION });
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('auto_vacuum', { simple: true }), 2);
    db.close();
    const s2 = new SqliteStore(path);
    assert.equal(s2.countEvents({}), 1);
    s2.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a store from a newer Lantern is refused with a clear error, and left untouched', () => {
  const dir = tempDir();
  const path = join(dir, 's.db');
  try {
    new SqliteStore(path).close();
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    assert.throws(
      () => new SqliteStore(path),
      (e: unknown) => e instanceof StoreError && e.code === 'store.newer_schema' && /newer than this Lantern knows/.test(e.message),
    );
    const again = new Database(path);
    assert.equal(again.pragma('user_version', { simple: true }), SCHEMA_VERSION + 1);
    again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('migrations run in order; a failing one rolls back whole and leaves the previous version', () => {
  const db = new Database(':memory:');
  const extra: Migration[] = [
    ...MIGRATIONS,
    { version: SCHEMA_VERSION + 1, name: 'add a column', sql: 'ALTER TABLE events ADD COLUMN vlan INTEGER' },
    { version: SCHEMA_VERSION + 2, name: 'broken', sql: 'CREATE TABLE half (x); INSERT INTO nowhere VALUES (1)' },
  ];
  assert.throws(() => migrate(db, extra), /no such table: nowhere/);
  assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION + 1);
  assert.deepEqual(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half'").get(), { n: 0 });
  assert.ok((db.prepare('PRAGMA table_info(events)').all() as { name: string }[]).some((c) => c.name === 'vlan'));
  db.close();
});

test('migration 4: incidents open before it keep linking on every host they hold (as acting hosts)', () => {
  const dir = tempDir();
  try {
    const db = new Database(join(dir, 's.db'));
    migrate(db, MIGRATIONS.filter((m) => m.version <= 3));
    db.prepare('INSERT INTO incident_hosts (host, incident) VALUES (?, ?), (?, ?)').run('10.0.0.1', 'in_a', '10.0.0.2', 'in_a');
    assert.deepEqual(migrate(db), { from: 3, to: SCHEMA_VERSION });
    const keys = db.prepare("SELECT key FROM incident_links WHERE incident = 'in_a' ORDER BY key").all().map((r) => (r as { key: string }).key);
    assert.deepEqual(keys, ['acted:10.0.0.1', 'acted:10.0.0.2', 'host:10.0.0.1', 'host:10.0.0.2']);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a new store file is readable by its owner only, its WAL too', () => {
  const dir = tempDir();
  try {
    const path = join(dir, 's.db');
    const s = new SqliteStore(path);
    s.appendEvents([makeEvent(0)]);
    for (const f of [path, `${path}-wal`]) assert.equal(statSync(f).mode & 0o777, 0o600, f);
    s.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Queries by asset walk only the hours that hold events: captures uploaded years apart leave the hours between them
// empty, and the answers must not depend on how many there are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SqliteStore } from './sqlite.js';
import { makeEvent } from './testkit.js';

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

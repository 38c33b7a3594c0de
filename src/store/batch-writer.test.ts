import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StoreBatchWriter } from './batch-writer.js';
import { SqliteStore } from './sqlite.js';
import { makeEvent } from './testkit.js';
import type { HintRecord } from '../pipeline/events.js';

test('the batch writer writes one batch per maxBatch records and the rest on flush', () => {
  const store = new SqliteStore(':memory:');
  try {
    const calls: number[] = [];
    const append = store.appendEvents.bind(store);
    store.appendEvents = (records) => (calls.push(records.length), append(records));
    const w = new StoreBatchWriter(store, 100);
    for (let i = 0; i < 250; i++) w.transaction(makeEvent(i));
    assert.deepEqual(calls, [100, 100]);
    assert.equal(w.pending, 50);
    const e = makeEvent(0);
    w.hint({ ts: 1, protocol: 'modbus', type: 'asset_hint', flow: 1, client: e.client, server: e.server, side: 'server', source: 'x' } as HintRecord);
    w.transaction({ ts: 'bad' } as never);
    w.flush();
    assert.deepEqual(calls, [100, 100, 51]);
    assert.equal(w.pending, 0);
    assert.equal(w.written, 251);
    assert.equal(w.rejected, 1);
    assert.equal(store.countEvents({}), 250);
    assert.equal(store.queryHints({}).items.length, 1);
  } finally {
    store.close();
  }
});

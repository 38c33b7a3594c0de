import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DetailFilter, REPEAT_WINDOW_SEC, type TransactionRecord } from './detail.js';

function tx(ts: number, access: 'read' | 'write', address: number, outcome: 'ok' | 'exception' = 'ok'): TransactionRecord {
  return {
    ts,
    protocol: 'modbus',
    type: 'transaction',
    flow: 1,
    client: { ip: '10.0.0.1', port: 50000 },
    server: { ip: '10.0.0.2', port: 502 },
    operation: { code: access === 'read' ? 3 : 6, name: access === 'read' ? 'read_holding_registers' : 'write_single_register', access },
    target: { unit: 1, address, count: 1 },
    outcome,
    latency_ms: 2 + (ts % 3),
    origin: 'client',
  };
}

test('normal level: writes and exceptions always written, identical polls folded into a summary', () => {
  const out: Array<{ type: string; repeats?: number }> = [];
  const f = new DetailFilter({}, (r) => out.push(r), () => {});
  for (let i = 0; i < 10; i++) f.offer(tx(i, 'read', 100));
  f.offer(tx(10, 'read', 200));
  f.offer(tx(11, 'write', 100));
  f.offer(tx(12, 'write', 100));
  f.offer(tx(13, 'read', 100, 'exception'));
  f.finish();
  assert.deepEqual(out.map((r) => `${r.type}${r.repeats ? `:${r.repeats}` : ''}`), ['transaction', 'transaction', 'transaction', 'transaction', 'transaction', 'repeat_summary:9']);
});

test('full level writes every transaction; per-protocol levels override the default', () => {
  const out: unknown[] = [];
  const f = new DetailFilter({ level: 'normal', perProtocol: { modbus: 'full' } }, (r) => out.push(r), () => {});
  for (let i = 0; i < 10; i++) f.offer(tx(i, 'read', 100));
  f.finish();
  assert.equal(out.length, 10);
});

test('summaries are written as the window passes, so a live capture shows long polls', () => {
  const out: Array<{ type: string }> = [];
  const f = new DetailFilter({}, (r) => out.push(r), () => {});
  f.offer(tx(0, 'read', 1));
  f.offer(tx(1, 'read', 1));
  f.expire(REPEAT_WINDOW_SEC + 1);
  assert.deepEqual(out.map((r) => r.type), ['transaction', 'repeat_summary']);
});

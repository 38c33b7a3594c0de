import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteStore } from './sqlite.js';

const CHILD = fileURLToPath(new URL('./crash-child.js', import.meta.url));
const BATCH = 500;

/** Runs the child until it has reported `batches` commits plus a random extra moment, then SIGKILLs it. */
function ingestThenKill(path: string, first: number, batches: number, synchronous: 'full' | 'normal'): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, path, String(first), String(BATCH), synchronous], { stdio: ['ignore', 'pipe', 'pipe'] });
    const reported: number[] = [];
    let pending = '';
    let stderr = '';
    let killing = false;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      pending += d.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const l of lines) reported.push(Number(l));
      if (!killing && reported.length >= batches) {
        killing = true;
        // Mid-batch, at a moment the test does not choose.
        setTimeout(() => child.kill('SIGKILL'), Math.random() * 20);
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child exited by itself (${code}): ${stderr}`));
      else resolve(reported);
    });
  });
}

test('kill -9 during ingest: the store stays intact and keeps every reported batch, whole', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-crash-'));
  const path = join(dir, 'lantern.db');
  try {
    let next = 0;
    const reported: number[] = [];
    // Both durability settings keep every committed batch through a process crash.
    for (const synchronous of ['full', 'normal', 'full', 'normal'] as const) {
      const got = await ingestThenKill(path, next, 20, synchronous);
      assert.ok(got.length >= 20);
      reported.push(...got);
      const store = new SqliteStore(path);
      try {
        assert.deepEqual(store.integrityCheck(), ['ok']);
        const db = (store as unknown as { db: { prepare(sql: string): { all(): { flow: number; n: number }[] } } }).db;
        const counts = new Map(db.prepare('SELECT flow, count(*) AS n FROM events GROUP BY flow').all().map((r) => [r.flow, r.n]));
        for (const b of reported) assert.equal(counts.get(b), BATCH, `batch ${b} was reported committed`);
        // Nothing partial: a batch is all there or absent (the one in flight when killed may be either).
        for (const [flow, n] of counts) assert.equal(n, BATCH, `batch ${flow} is partial`);
        next = Math.max(...counts.keys()) + 1;
      } finally {
        store.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

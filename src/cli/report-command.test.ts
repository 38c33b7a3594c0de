import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { isoTimeOption, reportCommand } from './report-command.js';
import { handBuiltStore, T } from '../report/testkit.js';

const DAY = 86400;

test('--from and --to: ISO 8601 dates and times, UTC unless an offset is given', () => {
  assert.equal(isoTimeOption('2026-11-01'), Date.UTC(2026, 10, 1) / 1000);
  assert.equal(isoTimeOption('2026-11-01T08:00'), Date.UTC(2026, 10, 1, 8) / 1000);
  assert.equal(isoTimeOption('2026-11-01T08:00:30Z'), Date.UTC(2026, 10, 1, 8, 0, 30) / 1000);
  assert.equal(isoTimeOption('2026-11-01T08:00:00+01:00'), Date.UTC(2026, 10, 1, 7) / 1000);
  assert.equal(isoTimeOption('2026-11-01 08:00:00.5-0130'), Date.UTC(2026, 10, 1, 9, 30, 0, 500) / 1000);
  for (const bad of ['yesterday', '2026-02-30', '2026-13-01', '1700000000', '2026-11-01T25:00Z']) assert.throws(() => isoTimeOption(bad), InvalidArgumentError, bad);
});

test('lantern report writes the page of a stopped serve’s store', () => {
  const { store, dir } = handBuiltStore();
  store.close();
  const out = join(dir, 'week.html');
  try {
    assert.equal(reportCommand({ data: dir, from: T - 7 * DAY, to: T, out, now: T }), 0);
    const html = readFileSync(out, 'utf8');
    assert.match(html, /^<!doctype html>/);
    assert.match(html, /Security summary/);
    assert.match(html, /2027-01-08 08:00 → 2027-01-15 08:00 UTC/);
    assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.tmp-')), [], 'no temporary file left');
    // Defaults: the 7 days before now.
    assert.equal(reportCommand({ data: dir, out, now: T }), 0);
    assert.match(readFileSync(out, 'utf8'), /2027-01-08 08:00 → 2027-01-15 08:00 UTC/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('lantern report refuses a folder without a store (creating none) and a backwards period', () => {
  const empty = mkdtempSync(join(tmpdir(), 'lantern-report-none-'));
  try {
    assert.equal(reportCommand({ data: empty, out: join(empty, 'r.html'), now: T }), 2);
    assert.ok(!existsSync(join(empty, 'lantern.db')) && !existsSync(join(empty, 'r.html')));
    assert.equal(reportCommand({ data: empty, from: T, to: T - 1, out: join(empty, 'r.html') }), 2);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

// Store benchmark: ingest rate into a fresh SqliteStore, then p50/p99 latency of the API's list and count queries on
// it. Usage (after tsc): node dist/bench/store.js [--events N] [--assets N] [--alerts N] [--samples N]
//   [--synchronous full|normal] [--path FILE] [--keep] [--json]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SqliteStore } from '../src/store/sqlite.js';
import type { EventRecord } from '../src/store/store.js';
import { TEST_PROTOCOLS, ipOf, makeAlert, makeAsset, makeEvent } from '../src/store/testkit.js';

interface Options {
  events: number;
  assets: number;
  alerts: number;
  samples: number;
  batch: number;
  synchronous: 'normal' | 'full';
  path: string | null;
  keep: boolean;
  json: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { events: 10_000_000, assets: 50_000, alerts: 100_000, samples: 300, batch: 5000, synchronous: 'full', path: null, keep: false, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => argv[++i] ?? '';
    if (a === '--events') o.events = Number(value());
    else if (a === '--assets') o.assets = Number(value());
    else if (a === '--alerts') o.alerts = Number(value());
    else if (a === '--samples') o.samples = Number(value());
    else if (a === '--batch') o.batch = Number(value());
    else if (a === '--synchronous') o.synchronous = value() === 'normal' ? 'normal' : 'full';
    else if (a === '--path') o.path = value();
    else if (a === '--keep') o.keep = true;
    else if (a === '--json') o.json = true;
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

/** Capture span of the synthetic events: 30 days, whatever their number. */
export const SPAN_SEC = 30 * 86_400;
export const START = 1.7e9;

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Runs `fn` `samples` times (after a few warm-up calls), returning p50/p99/max in ms. */
function time(samples: number, fn: (i: number) => unknown): { p50: number; p99: number; max: number } {
  for (let i = 0; i < 5; i++) fn(i);
  const ms: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t = process.hrtime.bigint();
    fn(i + 5);
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  ms.sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 100) / 100;
  return { p50: r(percentile(ms, 50)), p99: r(percentile(ms, 99)), max: r(ms[ms.length - 1]) };
}

export interface FillOptions {
  events: number;
  assets: number;
  alerts: number;
  batch: number;
}

/** The synthetic events' shape for a store of `o.events` events over SPAN_SEC between `o.assets` hosts. */
export function eventShape(o: Pick<FillOptions, 'events' | 'assets'>): { hosts: number; start: number; step: number } {
  return { hosts: o.assets, start: START, step: SPAN_SEC / Math.max(1, o.events) };
}

/** Fills a store with the synthetic events (in batches), assets and alerts; returns the times taken. */
export function fillStore(store: SqliteStore, o: FillOptions, log: (line: string) => void): { ingestSec: number; writeNs: bigint; restSec: number } {
  const shape = eventShape(o);
  const t0 = process.hrtime.bigint();
  const batch: EventRecord[] = [];
  // Time inside appendEvents alone, apart from making the synthetic records.
  let writeNs = 0n;
  for (let i = 0; i < o.events; i++) {
    batch.push(makeEvent(i, shape));
    if (batch.length === o.batch || i === o.events - 1) {
      const w = process.hrtime.bigint();
      store.appendEvents(batch);
      writeNs += process.hrtime.bigint() - w;
      batch.length = 0;
      if ((i + 1) % 1_000_000 < o.batch) log(`  ${i + 1} events, ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1)} s`);
    }
  }
  const ingestSec = Number(process.hrtime.bigint() - t0) / 1e9;
  const t1 = process.hrtime.bigint();
  for (let i = 0; i < o.assets; i += 1000) store.putAssets(Array.from({ length: Math.min(1000, o.assets - i) }, (_, k) => makeAsset(i + k)));
  for (let i = 0; i < o.alerts; i++) store.putAlert(makeAlert(i, { assets: [`ip:${ipOf(256 + (i % Math.max(1, o.assets)))}`] }));
  const restSec = Number(process.hrtime.bigint() - t1) / 1e9;
  return { ingestSec, writeNs, restSec };
}

function main(): void {
  const o = parseArgs(process.argv.slice(2));
  const dir = o.path === null ? mkdtempSync(join(tmpdir(), 'lantern-store-bench-')) : null;
  const path = o.path ?? join(dir!, 'bench.db');
  const store = new SqliteStore(path, { synchronous: o.synchronous });
  const log = (s: string) => {
    if (!o.json) process.stderr.write(`${s}\n`);
  };
  const { ingestSec, writeNs, restSec } = fillStore(store, o, log);
  const stats = store.stats();

  const hour = 3600;
  const windowFrom = (i: number) => START + ((i * 7919) % Math.max(1, SPAN_SEC - hour));
  const protocol = (i: number) => TEST_PROTOCOLS[i % TEST_PROTOCOLS.length];
  const oneClient = ipOf(1);
  let cursor: string | null = null;
  const q = {
    'events: newest page': time(o.samples, () => store.queryEvents({ limit: 50 })),
    'events: protocol + 1 h window, page 1': time(o.samples, (i) => store.queryEvents({ protocol: protocol(i), from: windowFrom(i), to: windowFrom(i) + hour, limit: 50 })),
    'events: protocol + 1 day window, next pages': time(o.samples, (i) => {
      if (i % 10 === 0) cursor = null;
      const p = store.queryEvents({ protocol: protocol(i), from: windowFrom(i), to: windowFrom(i) + 86_400, cursor, limit: 50 });
      cursor = p.next;
    }),
    'events: asset (either side), page 1': time(o.samples, (i) => store.queryEvents({ asset: ipOf(256 + ((i * 31) % o.assets)), limit: 50 })),
    'events: protocol + operation + outcome, page 1': time(o.samples, () => store.queryEvents({ protocol: 'modbus', operation: 'write_single_register', outcome: 'exception', limit: 50 })),
    'count: protocol + 1 h window': time(o.samples, (i) => store.countEvents({ protocol: protocol(i), from: windowFrom(i), to: windowFrom(i) + hour })),
    'count: 1 day window': time(o.samples, (i) => store.countEvents({ from: windowFrom(i), to: windowFrom(i) + 86_400 })),
    'count: asset (either side), all time': time(o.samples, (i) => store.countEvents({ asset: ipOf(256 + ((i * 31) % o.assets)) })),
    'count: one client, all time': time(Math.min(o.samples, 20), () => store.countEvents({ asset: oneClient })),
    'count: protocol, all time': time(Math.min(o.samples, 20), (i) => store.countEvents({ protocol: protocol(i) })),
    'assets: page by last_seen': time(o.samples, () => store.listAssets({ sort: 'last_seen', limit: 50 })),
    'assets: role filter, page by id': time(o.samples, (i) => store.listAssets({ filter: { role: i % 2 ? 'plc' : 'hmi' }, limit: 50 })),
    'alerts: new, newest page': time(o.samples, () => store.listAlerts({ status: 'new' }, null, 50)),
    'alerts: by asset, newest page': time(o.samples, (i) => store.listAlerts({ asset: `ip:${ipOf(256 + ((i * 17) % o.assets))}` }, null, 50)),
    'alerts: count by status': time(Math.min(o.samples, 50), () => store.countAlertsBy('status')),
  };

  const result = {
    events: o.events,
    assets: o.assets,
    alerts: o.alerts,
    synchronous: o.synchronous,
    batch: o.batch,
    ingest: {
      seconds: Math.round(ingestSec * 10) / 10,
      events_per_sec: Math.round(o.events / ingestSec),
      store_seconds: Math.round(Number(writeNs) / 1e8) / 10,
      store_events_per_sec: Math.round(o.events / (Number(writeNs) / 1e9)),
    },
    assets_alerts_seconds: Math.round(restSec * 10) / 10,
    file_bytes: stats.fileBytes,
    bytes_per_event: Math.round(stats.bytes / Math.max(1, o.events)),
    latency_ms: q,
  };
  store.close();
  if (dir !== null && !o.keep) rmSync(dir, { recursive: true, force: true });
  if (o.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  process.stdout.write(
    `store: ${o.events} events (${o.synchronous}, batches of ${o.batch}): build ${result.ingest.seconds} s, ${result.ingest.events_per_sec} events/s ` +
      `(${result.ingest.store_events_per_sec} events/s in appendEvents alone, ${result.ingest.store_seconds} s) ` +
      `(+${result.assets_alerts_seconds} s for ${o.assets} assets, ${o.alerts} alerts), file ${(stats.fileBytes / 1e6).toFixed(0)} MB, ${result.bytes_per_event} B/event\n`,
  );
  for (const [name, t] of Object.entries(q)) process.stdout.write(`  ${name.padEnd(48)} p50 ${String(t.p50).padStart(8)} ms   p99 ${String(t.p99).padStart(8)} ms   max ${String(t.max).padStart(8)} ms\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();

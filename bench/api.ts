// HTTP API benchmark: the real server (buildApp, 127.0.0.1, an API token) over a store of 10 M events, 50,000 assets,
// 100,000 alerts (bench/store.ts's generators); p50/p99 of the console's list and count calls over real HTTP, then the
// ingest rate through the sensor's batch writer while a client keeps calling. The client runs in a worker thread, so
// the server's thread is the one `lantern serve` would have.
// Usage (after tsc): node dist/bench/api.js [--events N] [--assets N] [--alerts N] [--samples N] [--path FILE]
//   [--ingest-seconds S] [--capture FILE] [--json]      (LANTERN_BENCH_API_EVENTS sets the default of --events)
import { existsSync, mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { SqliteStore } from '../src/store/sqlite.js';
import { StoreBatchWriter } from '../src/store/batch-writer.js';
import { randomBytes } from 'node:crypto';
import { buildApp } from '../src/server/app.js';
import { hashPassword } from '../src/server/passwords.js';
import { StoreAuth } from '../src/server/store-auth.js';
import { Sensor } from '../src/server/sensor.js';
import { TEST_PROTOCOLS, ipOf, makeConnection, makeEvent } from '../src/store/testkit.js';
import { SPAN_SEC, START, eventShape, fillStore, percentile } from './store.js';

interface Options {
  events: number;
  assets: number;
  alerts: number;
  connections: number;
  samples: number;
  ingestSeconds: number;
  path: string | null;
  /** A capture uploaded through the sensor while the client calls (default: the bench capture, when built). */
  capture: string | null;
  json: boolean;
}

const BENCH_DIR = '/tmp/lantern-bench';
const FILL_SETTING = 'bench.api.filled';

function parseArgs(argv: string[]): Options {
  const o: Options = {
    events: Number(process.env.LANTERN_BENCH_API_EVENTS) || 10_000_000,
    assets: 50_000,
    alerts: 100_000,
    connections: 100_000,
    samples: 200,
    ingestSeconds: 20,
    path: null,
    capture: existsSync(join(BENCH_DIR, 'corpus-200m.pcapng')) ? join(BENCH_DIR, 'corpus-200m.pcapng') : null,
    json: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => argv[++i] ?? '';
    if (a === '--events') o.events = Number(value());
    else if (a === '--assets') o.assets = Number(value());
    else if (a === '--alerts') o.alerts = Number(value());
    else if (a === '--connections') o.connections = Number(value());
    else if (a === '--samples') o.samples = Number(value());
    else if (a === '--ingest-seconds') o.ingestSeconds = Number(value());
    else if (a === '--path') o.path = value();
    else if (a === '--capture') o.capture = value() || null;
    else if (a === '--json') o.json = true;
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

/** The calls measured: the console's paged lists and counts, with the filters it offers. */
function calls(o: Options): { name: string; url: (i: number) => string }[] {
  const hour = 3600;
  const day = 86_400;
  const from = (i: number) => START + ((i * 7919) % Math.max(1, SPAN_SEC - day));
  const protocol = (i: number) => TEST_PROTOCOLS[i % TEST_PROTOCOLS.length];
  const host = (i: number) => ipOf(256 + ((i * 31) % o.assets));
  return [
    { name: 'GET /api/assets (page 50)', url: () => '/api/assets?limit=50' },
    { name: 'GET /api/assets (page 50, by last_seen)', url: () => '/api/assets?limit=50&sort=last_seen' },
    { name: 'GET /api/assets?role=', url: (i) => `/api/assets?limit=50&role=${i % 2 ? 'plc' : 'hmi'}` },
    { name: 'GET /api/assets?q= (common text)', url: (i) => `/api/assets?limit=50&q=${encodeURIComponent(`"M${i % 40}"`)}` },
    { name: 'GET /api/assets?q= (one match)', url: (i) => `/api/assets?limit=50&q=${encodeURIComponent(`"${host(i)}"`)}` },
    { name: 'GET /api/connections (page 50)', url: () => '/api/connections?limit=50' },
    { name: 'GET /api/connections?ip=', url: (i) => `/api/connections?limit=50&ip=${ipOf(1 + (i % 100))}` },
    { name: 'GET /api/events (page 50)', url: () => '/api/events?limit=50' },
    { name: 'GET /api/events?protocol=&from=&to= (1 h)', url: (i) => `/api/events?limit=50&protocol=${protocol(i)}&from=${from(i)}&to=${from(i) + hour}` },
    { name: 'GET /api/events?protocol=&from=&to= (1 day)', url: (i) => `/api/events?limit=50&protocol=${protocol(i)}&from=${from(i)}&to=${from(i) + day}` },
    { name: 'GET /api/events?asset=', url: (i) => `/api/events?limit=50&asset=${host(i)}` },
    { name: 'GET /api/events/count?protocol=&from=&to= (1 day)', url: (i) => `/api/events/count?protocol=${protocol(i)}&from=${from(i)}&to=${from(i) + day}` },
    { name: 'GET /api/events/count?asset=', url: (i) => `/api/events/count?asset=${host(i)}` },
    { name: 'GET /api/events/count?protocol= (all time)', url: (i) => `/api/events/count?protocol=${protocol(i)}` },
    { name: 'GET /api/alerts (page 50)', url: () => '/api/alerts?limit=50' },
    { name: 'GET /api/alerts?status=new', url: () => '/api/alerts?limit=50&status=new' },
    { name: 'GET /api/alerts/counts?by=severity', url: () => '/api/alerts/counts?by=severity' },
    { name: 'GET /api/counters', url: () => '/api/counters' },
  ];
}

interface Latency {
  p50: number;
  p99: number;
  max: number;
  n: number;
  errors: number;
}

interface WorkerJob {
  base: string;
  token: string;
  options: Options;
  /** `latency`: each call `samples` times in turn; `load`: all calls round-robin until told to stop. */
  mode: 'latency' | 'load';
}

function summarise(ms: number[], errors: number): Latency {
  ms.sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 100) / 100;
  return { p50: r(percentile(ms, 50) ?? 0), p99: r(percentile(ms, 99) ?? 0), max: r(ms[ms.length - 1] ?? 0), n: ms.length, errors };
}

/** The client side, in a worker thread: one request at a time, timed from send to the last byte of the body. */
async function client(job: WorkerJob): Promise<void> {
  const list = calls(job.options);
  const headers = { authorization: `Bearer ${job.token}` };
  const once = async (url: string): Promise<{ ms: number; ok: boolean }> => {
    const t = process.hrtime.bigint();
    const r = await fetch(job.base + url, { headers });
    await r.arrayBuffer();
    return { ms: Number(process.hrtime.bigint() - t) / 1e6, ok: r.status === 200 };
  };
  const result: Record<string, Latency> = {};
  if (job.mode === 'latency') {
    for (const c of list) {
      for (let i = 0; i < 3; i++) await once(c.url(i));
      const ms: number[] = [];
      let errors = 0;
      for (let i = 0; i < job.options.samples; i++) {
        const r = await once(c.url(i + 3));
        ms.push(r.ms);
        if (!r.ok) errors++;
      }
      result[c.name] = summarise(ms, errors);
    }
  } else {
    let stop = false;
    parentPort!.on('message', (m) => {
      if (m === 'stop') stop = true;
    });
    const ms = list.map(() => [] as number[]);
    const errors = list.map(() => 0);
    parentPort!.postMessage({ type: 'ready' });
    for (let i = 0; !stop; i++) {
      const k = i % list.length;
      const r = await once(list[k].url(i));
      ms[k].push(r.ms);
      if (!r.ok) errors[k]++;
    }
    list.forEach((c, k) => (result[c.name] = summarise(ms[k], errors[k])));
    result['all calls'] = summarise(ms.flat(), errors.reduce((a, b) => a + b, 0));
  }
  parentPort!.postMessage({ type: 'result', result });
}

/** Starts the client; `ready` settles when a load client is calling (loading the worker takes a while). */
function runClient(job: WorkerJob): { ready: Promise<void>; result: Promise<Record<string, Latency>>; stop: () => void } {
  const w = new Worker(new URL(import.meta.url), { workerData: job });
  let ready!: () => void;
  const started = new Promise<void>((resolve) => (ready = resolve));
  const result = new Promise<Record<string, Latency>>((resolve, reject) => {
    w.on('message', (m: { type: 'ready' } | { type: 'result'; result: Record<string, Latency> }) => {
      if (m.type === 'ready') ready();
      else {
        resolve(m.result);
        void w.terminate();
      }
    });
    w.once('error', reject);
  });
  return { ready: started, result, stop: () => w.postMessage('stop') };
}

/** Opens the bench store, filling it first unless a previous run left one of this size. */
function openStore(o: Options, log: (s: string) => void): { store: SqliteStore; path: string; reused: boolean; fillSeconds: number } {
  const path = o.path ?? join(BENCH_DIR, `api-${o.events}.db`);
  mkdirSync(join(path, '..'), { recursive: true });
  const want = { events: o.events, assets: o.assets, alerts: o.alerts, connections: o.connections };
  if (existsSync(path)) {
    const store = new SqliteStore(path);
    const had = store.getSetting(FILL_SETTING) as typeof want | undefined;
    if (had !== undefined && JSON.stringify(had) === JSON.stringify(want)) return { store, path, reused: true, fillSeconds: 0 };
    store.close();
    throw new Error(`${path} holds another benchmark store: remove it or give --path`);
  }
  const t = process.hrtime.bigint();
  // Built fast (synchronous=NORMAL), then served as `lantern serve` opens it.
  const builder = new SqliteStore(path, { synchronous: 'normal' });
  fillStore(builder, { ...o, batch: 5000 }, log);
  for (let i = 0; i < o.connections; i += 1000) builder.putConnections(Array.from({ length: Math.min(1000, o.connections - i) }, (_, k) => makeConnection(i + k)));
  builder.putSetting(FILL_SETTING, want);
  builder.close();
  return { store: new SqliteStore(path), path, reused: false, fillSeconds: Number(process.hrtime.bigint() - t) / 1e9 };
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const log = (s: string) => {
    if (!o.json) process.stderr.write(`${s}\n`);
  };
  const loadAverage = Math.round(loadavg()[0] * 100) / 100;
  const { store, path, reused, fillSeconds } = openStore(o, log);
  const storedEvents = store.countEvents({});
  log(`api bench: store ${path} (${reused ? 'reused' : `filled in ${fillSeconds.toFixed(0)} s`}), ${storedEvents} events`);
  const auth = new StoreAuth(store);
  const sensor = new Sensor(store);
  sensor.flush(); // the counters snapshot GET /api/counters answers with
  const app = await buildApp({ auth, store, sensor, webRoot: null, loginRateLimit: { max: 1000, windowMs: 60_000 } });
  // A user of its own per run (the store may be reused): logs in and makes the API token the client uses.
  const user = `bench-${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  auth.createUser({ name: user, role: 'viewer', password_hash: await hashPassword(password), created: Date.now() / 1000 });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  const base = `http://127.0.0.1:${typeof addr === 'object' && addr !== null ? addr.port : 0}`;
  const token = await apiToken(base, user, password);

  const latency = await runClient({ base, token, options: o, mode: 'latency' }).result;

  // Ingest while a client keeps calling: batches through the sensor's writer, yielding between them as the sensor's
  // readers do between chunks, so requests are answered in between. The sensor's batch (5,000), then a smaller one.
  const shape = eventShape({ events: o.events, assets: o.assets });
  let n = 0;
  const ingest = [];
  for (const batch of [5000, 1000]) {
    const writer = new StoreBatchWriter(store, batch);
    const load = runClient({ base, token, options: o, mode: 'load' });
    await load.ready;
    const until = Date.now() + o.ingestSeconds * 1000;
    const t0 = process.hrtime.bigint();
    const n0 = n;
    while (Date.now() < until) {
      for (let k = 0; k < batch; k++, n++) writer.transaction(makeEvent(o.events + n, shape));
      writer.flush();
      await new Promise((r) => setImmediate(r));
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    load.stop();
    const api = (await load.result)['all calls'];
    ingest.push({ what: `synthetic events, batches of ${batch.toLocaleString('en-US')}`, events: n - n0, seconds: Math.round(seconds * 10) / 10, events_per_sec: Math.round((n - n0) / seconds), api });
  }
  // A capture through the sensor, as an upload or the watched folder would bring it.
  if (o.capture !== null && existsSync(o.capture)) {
    const load = runClient({ base, token, options: o, mode: 'load' });
    await load.ready;
    const written = store.countEvents({});
    const t0 = process.hrtime.bigint();
    const r = await sensor.ingestFile(o.capture);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    load.stop();
    const api = (await load.result)['all calls'];
    const events = store.countEvents({}) - written;
    ingest.push({ what: `capture through the sensor (${r.frames.toLocaleString('en-US')} frames, ${Math.round(r.frames / seconds).toLocaleString('en-US')} frames/s)`, events, seconds: Math.round(seconds * 10) / 10, events_per_sec: Math.round(events / seconds), api });
  }
  const result = {
    machine: { cpus: cpus().length, load_average_at_start: loadAverage },
    events: o.events,
    /** A reused store also holds what earlier runs' ingest phases added. */
    stored_events: storedEvents,
    assets: o.assets,
    alerts: o.alerts,
    connections: o.connections,
    store: path,
    reused,
    fill_seconds: Math.round(fillSeconds),
    samples: o.samples,
    latency_ms: latency,
    ingest,
  };
  await app.close();
  store.close();
  if (o.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  process.stdout.write(formatTable(result));
}

async function apiToken(base: string, username: string, password: string): Promise<string> {
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const { csrf_token: csrf } = (await login.json()) as { csrf_token: string };
  const made = await fetch(`${base}/api/tokens`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench' }) });
  if (made.status !== 200 && made.status !== 201) throw new Error(`cannot make an API token: ${made.status} ${await made.text()}`);
  return ((await made.json()) as { token: string }).token;
}

interface IngestRow {
  what: string;
  events: number;
  seconds: number;
  events_per_sec: number;
  api: Latency;
}

export function formatTable(r: {
  machine: { cpus: number; load_average_at_start: number };
  events: number;
  stored_events: number;
  assets: number;
  alerts: number;
  connections: number;
  samples: number;
  latency_ms: Record<string, Latency>;
  ingest: IngestRow[];
}): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const lines = [
    `HTTP API over ${n(r.stored_events)} events, ${n(r.assets)} assets, ${n(r.alerts)} alerts, ${n(r.connections)} connections (real HTTP on 127.0.0.1, API token; ${r.samples} calls each; ${r.machine.cpus} CPUs, load average ${r.machine.load_average_at_start} at start):`,
    '',
    '| call | p50 ms | p99 ms | max ms |',
    '|---|---:|---:|---:|',
  ];
  for (const [name, t] of Object.entries(r.latency_ms)) lines.push(`| ${name}${t.errors ? ` (${t.errors} errors)` : ''} | ${t.p50} | ${t.p99} | ${t.max} |`);
  lines.push('', 'Ingest while a client calls the API above in turn:', '', '| ingest | events/s | events | API calls | API p50 ms | API p99 ms |', '|---|---:|---:|---:|---:|---:|');
  for (const i of r.ingest) lines.push(`| ${i.what} | ${n(i.events_per_sec)} | ${n(i.events)} | ${n(i.api.n)} | ${i.api.p50} | ${i.api.p99} |`);
  return lines.join('\n') + '\n';
}

if (!isMainThread) await client(workerData as WorkerJob);
else if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();

// `lantern serve`: the embedded store, the sensor that ingests uploaded captures (and the demo on a first start) and
// live interfaces (tcpdump), and the HTTP API, bound to 127.0.0.1 unless told otherwise.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { parseIntelFiles, type LoadedIntel } from '../server/intel.js';
import { join } from 'node:path';
import { SqliteStore } from '../store/sqlite.js';
import { StoreError } from '../store/store.js';
import { ensureAdmin } from '../server/app.js';
import { assembleServer, AssembleError, type ServerParts } from '../server/assemble.js';
import { WatchFolder } from '../server/watch-folder.js';
import { applyRetention, RETENTION_INTERVAL_MS } from '../server/retention.js';
import { REPO_ROOT } from '../common/corpus.js';
import { keepPending } from '../notify/config.js';

export interface ServeOptions {
  port: number;
  host: string;
  data: string;
  tlsCert?: string;
  tlsKey?: string;
  demo: boolean;
  /** A folder whose capture files are ingested as they appear. */
  watch?: string;
  /** Interfaces captured live through tcpdump, each into a pipeline of its own. */
  interface?: string[];
  /** BPF filter for the live interfaces. */
  filter?: string;
  /** Threat-intel files matched by every pipeline. */
  intel?: string[];
  /** User rule files (YAML), reloaded when they change. */
  rules?: string[];
  /** Learning window of the modeling detections (capture seconds). */
  learn?: number;
  /** Disk budget of the kept captures (evidence), bytes (default 2 GiB); 0 keeps none. */
  evidenceBudget?: number;
}

/** The demo plant capture the project generates (scripts/demo-plant). */
export const DEMO_CAPTURE = join(REPO_ROOT, 'demo', 'demo-plant.pcapng');
/** The web console built by `npm install` (vite, web/). */
export const WEB_ROOT = join(REPO_ROOT, 'web', 'dist');
const FLUSH_INTERVAL_MS = 10_000;

export async function serveCommand(opts: ServeOptions): Promise<number> {
  if (opts.filter !== undefined && (opts.interface ?? []).length === 0) {
    process.stderr.write('lantern: --filter applies to live interfaces: give --interface too\n');
    return 2;
  }
  if ((opts.tlsCert === undefined) !== (opts.tlsKey === undefined)) {
    process.stderr.write('lantern: --tls-cert and --tls-key go together\n');
    return 2;
  }
  let intelFiles: LoadedIntel[] = [];
  if (opts.intel !== undefined && opts.intel.length > 0) {
    try {
      intelFiles = parseIntelFiles(opts.intel);
    } catch (err) {
      process.stderr.write(`lantern: ${err instanceof Error ? err.message : String(err)}\n`);
      return 2;
    }
  }
  let store: SqliteStore;
  try {
    // Owner only when it is made: it holds the store, the uploads and the evidence captures.
    mkdirSync(opts.data, { recursive: true, mode: 0o700 });
    store = new SqliteStore(join(opts.data, 'lantern.db'));
  } catch (err) {
    process.stderr.write(`lantern: cannot open the store in ${opts.data}: ${err instanceof StoreError || err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  let https: { key: Buffer; cert: Buffer } | undefined;
  try {
    if (opts.tlsCert !== undefined && opts.tlsKey !== undefined) https = { cert: readFileSync(opts.tlsCert), key: readFileSync(opts.tlsKey) };
  } catch (err) {
    process.stderr.write(`lantern: cannot read the TLS certificate or key: ${err instanceof Error ? err.message : String(err)}\n`);
    store.close();
    return 2;
  }
  let parts: ServerParts;
  try {
    parts = await assembleServer(store, {
      data: opts.data,
      intelFiles,
      ruleFiles: opts.rules,
      learn: opts.learn,
      evidenceBudget: opts.evidenceBudget,
      https,
      webRoot: WEB_ROOT,
      say: (line) => process.stdout.write(`${line}\n`),
      warn: (line) => process.stderr.write(`${line}\n`),
    });
  } catch (err) {
    process.stderr.write(`lantern: ${err instanceof Error ? err.message : String(err)}\n`);
    store.close();
    return err instanceof AssembleError ? err.exitCode : 1;
  }
  const { auth, rules, notifier, evidence, sensor, app } = parts;
  rules.watch();
  const password = await ensureAdmin(auth);
  const url = `${https ? 'https' : 'http'}://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${opts.port}`;
  try {
    await app.listen({ port: opts.port, host: opts.host });
  } catch (err) {
    process.stderr.write(`lantern: cannot listen on ${url}: ${err instanceof Error ? err.message : String(err)}\n`);
    store.close();
    return 1;
  }
  process.stdout.write(`Lantern is serving ${url} (store: ${opts.data})\n`);
  if (password !== null) process.stdout.write(`First start: user "admin", password "${password}" (shown once: keep it)\n`);
  // Captures left behind by a crash (a live segment being written, a catalogue lost) are indexed again.
  void evidence?.recover().then((n) => n > 0 && process.stdout.write(`Evidence: recovered ${n} kept captures\n`));
  if (opts.demo && store.countEvents({}) === 0 && existsSync(DEMO_CAPTURE)) {
    process.stdout.write('Empty store: loading the demo plant capture\n');
    void sensor.ingestFile(DEMO_CAPTURE, 'demo-plant.pcapng').then(
      (r) => process.stdout.write(`Demo loaded: ${r.frames} frames\n`),
      (err: unknown) => process.stderr.write(`lantern: demo: ${err instanceof Error ? err.message : String(err)}\n`),
    );
  }
  let watch: WatchFolder | null = null;
  if (opts.watch !== undefined) {
    try {
      watch = new WatchFolder(opts.watch, sensor, (line) => process.stdout.write(`watch: ${line}\n`));
      watch.start();
      process.stdout.write(`Watching ${opts.watch} for capture files\n`);
    } catch (err) {
      process.stderr.write(`lantern: cannot watch ${opts.watch}: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
  // Handlers stay installed: a second Ctrl-C (or the launcher forwarding the same one) must not cut the shutdown short.
  // They go in before tcpdump starts, so a signal from now on stops it rather than leaving it behind.
  const stopped = new Promise<void>((resolve) => {
    process.on('SIGINT', () => resolve());
    process.on('SIGTERM', () => resolve());
  });
  for (const iface of opts.interface ?? []) {
    // Said each time tcpdump has the interface open (a restart too): traffic from then on is captured.
    const said = `Capturing on ${iface}${opts.filter ? ` (${opts.filter})` : ''}\n`;
    sensor.addInterface({ interface: iface, filter: opts.filter, keep: evidence?.liveRing(iface), log: (line) => process.stderr.write(`lantern: ${line}\n`), onListening: () => process.stdout.write(said) });
  }
  const flush = () => {
    try {
      sensor.flush();
    } catch (err) {
      process.stderr.write(`lantern: writing to the store: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  };
  const timer = setInterval(flush, FLUSH_INTERVAL_MS);
  const retain = () => {
    try {
      const r = applyRetention(store);
      if (r.events + r.hints + r.counters + r.audit > 0) process.stdout.write(`Retention: deleted ${r.events} events, ${r.hints} hints, ${r.counters} counter snapshots, ${r.audit} audit entries\n`);
    } catch (err) {
      process.stderr.write(`lantern: retention: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  };
  retain();
  const retentionTimer = setInterval(retain, RETENTION_INTERVAL_MS);
  await stopped;
  clearInterval(timer);
  clearInterval(retentionTimer);
  watch?.stop();
  await app.close();
  await sensor.stopLive();
  await sensor.idle();
  evidence?.close();
  flush();
  rules.stop();
  const left = await notifier.close();
  if (left.length > 0) {
    keepPending(store, left);
    process.stdout.write(`Notifications: ${left.length} not yet delivered kept for the next start\n`);
  }
  try {
    sensor.saveBaseline();
  } catch (err) {
    process.stderr.write(`lantern: cannot save the modeling baseline: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  store.close();
  process.stdout.write('Lantern stopped\n');
  return 0;
}

// `npm run bench`: builds (or reuses) the benchmark capture, then times Lantern and tshark over it in one run.
// Usage: node bench/run.mjs [--quick] [--no-tshark]   (after `tsc -p tsconfig.json`; `npm run bench` does both)

import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GNU_TIME = '/usr/bin/time';
const RSS_POLL_MS = 20;

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const withTshark = !argv.includes('--no-tshark');

const builder = join(ROOT, 'dist/bench/build-capture.js');
if (!existsSync(builder)) {
  process.stderr.write('bench: dist/bench/build-capture.js is missing: run `npm run bench` (it compiles first)\n');
  process.exit(2);
}
const { ensureBenchCapture, describeBenchCapture, defaultBenchPath, defaultCorpusDir, BENCH_DIR, FULL_TARGET_BYTES, QUICK_TARGET_BYTES } =
  await import(builder);

function hasGnuTime() {
  return existsSync(GNU_TIME) && spawnSync(GNU_TIME, ['-f', '%e', 'true'], { stdio: 'ignore' }).status === 0;
}

function commandVersion(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0].trim() : null;
}

/** Peak RSS of a running process from /proc (the high-water mark, so sampling misses nothing before exit). */
function readHighWater(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Runs a command with stdout/stderr to logFile; returns exit status, wall seconds and peak RSS bytes. */
function measure(cmd, args, logFile) {
  const gnuTime = hasGnuTime();
  const timeFile = `${logFile}.time`;
  const log = openSync(logFile, 'w');
  const [file, fileArgs] = gnuTime ? [GNU_TIME, ['-f', '%e %M', '-o', timeFile, cmd, ...args]] : [cmd, args];
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const child = spawn(file, fileArgs, { stdio: ['ignore', log, log] });
    let polledPeak = 0;
    const poll = gnuTime ? null : setInterval(() => { polledPeak = Math.max(polledPeak, readHighWater(child.pid)); }, RSS_POLL_MS);
    child.on('error', (err) => {
      if (poll) clearInterval(poll);
      closeSync(log);
      resolve({ status: 127, wallSeconds: 0, peakRssBytes: 0, rssSource: 'none', error: err.message });
    });
    child.on('exit', (code, signal) => {
      const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (poll) clearInterval(poll);
      closeSync(log);
      let peakRssBytes = polledPeak;
      let rssSource = 'proc-vmhwm-poll';
      if (gnuTime) {
        rssSource = 'gnu-time';
        const lines = existsSync(timeFile) ? readFileSync(timeFile, 'utf8').trim().split('\n') : [];
        const last = lines[lines.length - 1] ?? '';
        const m = /^([\d.]+) (\d+)$/.exec(last);
        peakRssBytes = m ? Number(m[2]) * 1024 : 0;
        rmSync(timeFile, { force: true });
      }
      resolve({ status: signal ? 128 : code ?? 1, signal, wallSeconds, peakRssBytes, rssSource });
    });
  });
}

async function warmPageCache(path) {
  for await (const _chunk of createReadStream(path, { highWaterMark: 8 << 20 })) {
    // reading is the point: both tools then start from the same (cached) state
  }
}

function tail(path, lines = 20) {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

function rate(n, seconds) {
  return seconds > 0 ? n / seconds : 0;
}

function fmt(n, digits = 1) {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function row(cells, widths) {
  return cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
}

async function main() {
  const path = defaultBenchPath(quick);
  const corpusDir = defaultCorpusDir();
  if (!existsSync(join(corpusDir, 'MANIFEST.tsv'))) {
    process.stderr.write(`bench: no corpus at ${corpusDir} (run from the repository root, or set LANTERN_CORPUS_DIR)\n`);
    return 2;
  }
  mkdirSync(BENCH_DIR, { recursive: true });
  process.stdout.write(`Lantern benchmark${quick ? ' (quick)' : ''}: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${fmt(totalmem() / 2 ** 30, 0)} GiB, Node ${process.version}\n`);
  const { info, reused } = await ensureBenchCapture({
    path,
    targetBytes: quick ? QUICK_TARGET_BYTES : FULL_TARGET_BYTES,
    corpusDir,
    log: (line) => process.stderr.write(line + '\n'),
  });
  process.stdout.write(describeBenchCapture(info, reused) + '\n');
  await warmPageCache(path);

  const work = mkdtempSync(join(BENCH_DIR, 'run-'));
  const results = {
    date: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    machine: { cpus: cpus().length, cpu_model: cpus()[0]?.model ?? null, total_memory_bytes: totalmem(), node: process.version },
    peak_rss_source: hasGnuTime() ? 'GNU time %M' : '/proc/PID/status VmHWM, polled',
    capture: { path, bytes: info.bytes, frames: info.frames, files: info.files, passes: info.passes, build_seconds: info.buildSeconds, reused },
    lantern: null,
    tshark: null,
    ratios: null,
  };

  const exportDir = join(work, 'export');
  const lanternLog = join(work, 'lantern.log');
  process.stdout.write(`\nRunning: node bin/lantern.js analyze ${path} --export ${exportDir}\n`);
  const lr = await measure(process.execPath, [join(ROOT, 'bin/lantern.js'), 'analyze', path, '--export', exportDir], lanternLog);
  let summary;
  try {
    summary = JSON.parse(readFileSync(join(exportDir, 'summary.json'), 'utf8'));
  } catch {
    summary = null;
  }
  const lanternOk = lr.status === 0 && summary !== null;
  const lanternFrames = typeof summary?.frames === 'number' ? summary.frames : info.frames;
  results.lantern = {
    ok: lanternOk,
    exit_status: lr.status,
    wall_seconds: lr.wallSeconds,
    peak_rss_bytes: lr.peakRssBytes,
    frames: lanternFrames,
    mb_per_s: rate(info.bytes / 1e6, lr.wallSeconds),
    frames_per_s: rate(lanternFrames, lr.wallSeconds),
    reported: summary && {
      frames: summary.frames,
      bytes: summary.bytes,
      processing_seconds: summary.processing_seconds,
      peak_rss_bytes: summary.peak_rss_bytes,
    },
  };
  if (!lanternOk) {
    process.stderr.write(`bench: lantern failed (exit ${lr.status}${summary === null ? ', no summary.json' : ''}); last lines of its output:\n${tail(lanternLog)}\n`);
  } else if (summary.frames !== undefined && summary.frames !== info.frames) {
    process.stderr.write(`bench: warning: lantern counted ${summary.frames} frames, the capture holds ${info.frames}\n`);
  }

  // The cost of the detections: the same run without them (issue 6 asks for at most 20 % less throughput).
  if (lanternOk) {
    const noDetectDir = join(work, 'export-no-detect');
    process.stdout.write(`Running: node bin/lantern.js analyze ${path} --export ${noDetectDir} --no-detect\n`);
    const nd = await measure(process.execPath, [join(ROOT, 'bin/lantern.js'), 'analyze', path, '--export', noDetectDir, '--no-detect'], join(work, 'lantern-no-detect.log'));
    let alerts;
    try {
      alerts = JSON.parse(readFileSync(join(exportDir, 'summary.json'), 'utf8')).detection;
    } catch {
      alerts = null;
    }
    results.detection = {
      with_seconds: lr.wallSeconds,
      without_seconds: nd.wallSeconds,
      with_mb_per_s: rate(info.bytes / 1e6, lr.wallSeconds),
      without_mb_per_s: rate(info.bytes / 1e6, nd.wallSeconds),
      throughput_ratio: nd.wallSeconds / lr.wallSeconds,
      without_peak_rss_bytes: nd.peakRssBytes,
      summary: alerts,
    };
    process.stdout.write(
      `Detections: ${fmt(rate(info.bytes / 1e6, lr.wallSeconds))} MB/s with, ${fmt(rate(info.bytes / 1e6, nd.wallSeconds))} MB/s without (${fmt(100 * (nd.wallSeconds / lr.wallSeconds), 0)} % of the throughput kept); ${alerts ? `${alerts.detections} detections, ${alerts.findings} findings, ${alerts.alerts} alerts` : ''}\n`,
    );
  }

  const tsharkVersion = withTshark ? commandVersion('tshark', ['--version']) : null;
  if (!withTshark) process.stdout.write('tshark: skipped (--no-tshark)\n');
  else if (tsharkVersion === null) process.stdout.write('tshark: not installed; measuring Lantern alone (apt-get install tshark)\n');
  else {
    const tsharkLog = join(work, 'tshark.log');
    process.stdout.write(`Running: tshark -r ${path} -q -z io,phs   (${tsharkVersion})\n`);
    const tr = await measure('tshark', ['-r', path, '-q', '-z', 'io,phs'], tsharkLog);
    const m = /^\s*frame\s+frames:(\d+)\s+bytes:(\d+)/m.exec(readFileSync(tsharkLog, 'utf8'));
    const tsharkFrames = m ? Number(m[1]) : info.frames;
    if (tr.status !== 0) process.stderr.write(`bench: tshark exited ${tr.status}:\n${tail(tsharkLog)}\n`);
    else if (m && tsharkFrames !== info.frames) process.stderr.write(`bench: warning: tshark counted ${tsharkFrames} frames, the capture holds ${info.frames}\n`);
    results.tshark = {
      ok: tr.status === 0,
      version: tsharkVersion,
      exit_status: tr.status,
      wall_seconds: tr.wallSeconds,
      peak_rss_bytes: tr.peakRssBytes,
      frames: tsharkFrames,
      mb_per_s: rate(info.bytes / 1e6, tr.wallSeconds),
      frames_per_s: rate(tsharkFrames, tr.wallSeconds),
    };
  }
  if (results.lantern.ok && results.tshark?.ok) {
    results.ratios = {
      throughput_lantern_over_tshark: results.tshark.wall_seconds / results.lantern.wall_seconds,
      peak_rss_lantern_over_tshark: results.lantern.peak_rss_bytes / results.tshark.peak_rss_bytes,
    };
  }

  // The memory bound "whatever the capture": a hostile capture that overfills every table (more connections than the
  // flow table holds, out-of-order data behind holes, fragments that never complete).
  if (!quick) {
    const stressPath = join(BENCH_DIR, 'stress.pcapng');
    if (!existsSync(stressPath)) spawnSync(process.execPath, [join(ROOT, 'dist/bench/stress-capture.js'), stressPath], { stdio: 'inherit' });
    process.stdout.write(`Running: node bin/lantern.js analyze ${stressPath}   (hostile capture, memory bound)\n`);
    const sr = await measure(process.execPath, [join(ROOT, 'bin/lantern.js'), 'analyze', stressPath, '--quiet'], join(work, 'stress.log'));
    results.stress = { ok: sr.status === 0, wall_seconds: sr.wallSeconds, peak_rss_bytes: sr.peakRssBytes };
  }

  // Per-protocol parser throughput over the corpus conversations each module claims.
  if (!quick) {
    process.stdout.write('Running: per-protocol session throughput (dist/bench/protocols.js)\n');
    const pr = spawnSync(process.execPath, [join(ROOT, 'dist/bench/protocols.js'), '--json'], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    try {
      results.protocols = JSON.parse(pr.stdout.trim().split('\n').pop() ?? '[]');
    } catch {
      results.protocols = [];
      process.stderr.write(`bench: per-protocol run failed: ${pr.stderr}\n`);
    }
  }

  // The inventory at its caps (50,000 assets, 500,000 edges) under the CLI's heap limit, measured like the CLI runs.
  if (!quick) {
    process.stdout.write('Running: inventory at its caps (dist/bench/inventory.js)\n');
    const heap = Number(process.env.LANTERN_HEAP_MB) || 256;
    const ir = await measure(process.execPath, [`--max-old-space-size=${heap}`, '--max-semi-space-size=16', join(ROOT, 'dist/bench/inventory.js'), '--json'], join(work, 'inventory.log'));
    try {
      const out = readFileSync(join(work, 'inventory.log'), 'utf8').trim().split('\n').pop();
      results.inventory = { ok: ir.status === 0, heap_limit_mib: heap, peak_rss_bytes: ir.peakRssBytes, wall_seconds: ir.wallSeconds, ...JSON.parse(out ?? '{}') };
    } catch {
      results.inventory = { ok: false, heap_limit_mib: heap, peak_rss_bytes: ir.peakRssBytes, wall_seconds: ir.wallSeconds };
    }
  }

  // The embedded store: ingest rate and p50/p99 of the main queries (1 M events here; `node dist/bench/store.js`
  // without --events builds the 10 M store of the issue, ~5 minutes).
  if (!quick) {
    const events = Number(process.env.LANTERN_BENCH_STORE_EVENTS) || 1_000_000;
    process.stdout.write(`Running: embedded store with ${events.toLocaleString('en-US')} events (dist/bench/store.js)\n`);
    const st = spawnSync(process.execPath, [join(ROOT, 'dist/bench/store.js'), '--events', String(events), '--json'], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    try {
      results.store = JSON.parse(st.stdout);
    } catch {
      results.store = null;
      process.stderr.write(`bench: store run failed: ${st.stderr}\n`);
    }
  }

  // The HTTP API over real HTTP on the store of the issue (10 M events, 50,000 assets, 100,000 alerts; built once,
  // ~7 minutes, and kept in BENCH_DIR for the next run), then the ingest rate while a client keeps calling.
  // LANTERN_BENCH_API_EVENTS=1000000 for a quicker one.
  if (!quick) {
    const events = Number(process.env.LANTERN_BENCH_API_EVENTS) || 10_000_000;
    process.stdout.write(`Running: HTTP API over ${events.toLocaleString('en-US')} events (dist/bench/api.js)\n`);
    const ar = spawnSync(process.execPath, [join(ROOT, 'dist/bench/api.js'), '--events', String(events), '--json'], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    try {
      results.api = JSON.parse(ar.stdout);
    } catch {
      results.api = null;
      process.stderr.write(`bench: API run failed: ${ar.stderr}\n`);
    }
  }

  // The console in headless Chromium on 50,000 assets and 100,000 alerts (needs /usr/bin/chromium and web/dist).
  if (!quick) {
    process.stdout.write('Running: the web console at scale (dist/bench/console.js)\n');
    const cr = spawnSync(process.execPath, [join(ROOT, 'dist/bench/console.js')], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    results.console = cr.status === 0 ? cr.stdout.trim() : null;
    if (cr.status !== 0) process.stderr.write(`bench: console run failed: ${cr.stderr}\n`);
  }

  const widths = [9, 10, 12, 9, 13];
  const lines = ['', row(['', 'MB/s', 'frames/s', 'wall s', 'peak RSS MiB'], widths)];
  for (const [name, r] of [['lantern', results.lantern], ['tshark', results.tshark]]) {
    if (r === null) continue;
    if (r.ok) lines.push(row([name, fmt(r.mb_per_s), fmt(r.frames_per_s, 0), fmt(r.wall_seconds, 2), fmt(r.peak_rss_bytes / 2 ** 20)], widths));
    else lines.push(row([name, '-', '-', fmt(r.wall_seconds, 2), '-'], widths) + `  FAILED (exit ${r.exit_status})`);
  }
  if (results.ratios) {
    lines.push(`Lantern/tshark: throughput x${fmt(results.ratios.throughput_lantern_over_tshark, 2)}, peak RSS x${fmt(results.ratios.peak_rss_lantern_over_tshark, 2)}`);
  }
  if (results.protocols?.length) {
    lines.push('', 'Protocol sessions alone (corpus conversations replayed):');
    for (const r of results.protocols) lines.push(`  ${r.protocol.padEnd(8)} ${fmt(r.transactions_per_s, 0).padStart(12)} transactions/s ${fmt(r.mb_per_s).padStart(8)} MB/s  (${r.conversations} conversations, ${fmt(r.bytes / 1e6)} MB)`);
  }
  if (results.inventory) {
    const r = results.inventory;
    lines.push(r.ok
      ? `Inventory at caps (${fmt(r.assets, 0)} assets, ${fmt(r.edges, 0)} edges; heap limit ${r.heap_limit_mib} MiB): ${fmt(r.updates_per_s, 0)} updates/s, live heap ${fmt(r.heap_used_mib)} MiB, snapshot ${fmt(r.snapshot_seconds, 2)} s, export ${fmt(r.export_seconds, 2)} s, peak RSS ${fmt(r.peak_rss_bytes / 2 ** 20)} MiB`
      : `Inventory at caps: FAILED (heap limit ${r.heap_limit_mib} MiB, log in the work directory)`);
  }
  if (results.store) {
    const r = results.store;
    lines.push('', `Store (SQLite, ${fmt(r.events, 0)} events, ${fmt(r.assets, 0)} assets, ${fmt(r.alerts, 0)} alerts): ingest ${fmt(r.ingest.events_per_sec, 0)} events/s, ${fmt(r.bytes_per_event, 0)} B/event`);
    for (const [name, t] of Object.entries(r.latency_ms)) lines.push(`  ${name.padEnd(48)} p50 ${String(t.p50).padStart(7)} ms  p99 ${String(t.p99).padStart(7)} ms`);
  }
  if (results.api) {
    const { formatTable } = await import(join(ROOT, 'dist/bench/api.js'));
    lines.push('', formatTable(results.api).trimEnd());
  }
  if (results.detection) {
    const d = results.detection;
    lines.push(`Detections: ${fmt(d.with_mb_per_s)} MB/s with, ${fmt(d.without_mb_per_s)} MB/s without (${fmt(100 * d.throughput_ratio, 0)} % of the throughput kept)${d.summary ? `; ${d.summary.detections} detections, ${fmt(d.summary.findings, 0)} findings, ${fmt(d.summary.alerts, 0)} alerts` : ''}`);
  }
  if (results.console) lines.push('', results.console);
  if (results.stress) {
    lines.push(`Hostile capture (400,000 connections, out-of-order data, dangling fragments): ${fmt(results.stress.wall_seconds, 2)} s, peak RSS ${fmt(results.stress.peak_rss_bytes / 2 ** 20)} MiB${results.stress.ok ? '' : ' FAILED'}`);
  }
  const resultsPath = join(BENCH_DIR, quick ? 'results-quick.json' : 'results.json');
  writeFileSync(resultsPath, JSON.stringify(results, null, 2) + '\n');
  lines.push(`Capture: ${fmt(info.bytes / 1e6)} MB, ${info.frames.toLocaleString('en-US')} frames. Results: ${resultsPath}`);
  process.stdout.write(lines.join('\n') + '\n');
  if (lanternOk) rmSync(work, { recursive: true, force: true });
  else process.stderr.write(`bench: logs kept in ${work}\n`);
  return lanternOk ? 0 : 1;
}

process.exitCode = await main();

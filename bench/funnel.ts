// The alert-fatigue funnel over the whole corpus: each capture analysed alone with every detection (default learning
// window), its findings folded into alerts and the alerts grouped into incidents; totals, queues and the captures
// with the most, as the markdown docs/triage.md quotes. Usage: node dist/bench/funnel.js [--corpus DIR] [--json]
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readCaptureFile } from '../src/capture/open-capture.js';
import { Pipeline } from '../src/pipeline/pipeline.js';
import { triageRun } from '../src/triage/offline.js';

const args = process.argv.slice(2);
const at = args.indexOf('--corpus');
const corpus = resolve(at >= 0 ? args[at + 1]! : join(process.cwd(), '../shared/data/ics-corpus'));
if (!existsSync(join(corpus, 'MANIFEST.tsv'))) {
  process.stderr.write(`funnel: no corpus at ${corpus}\n`);
  process.exit(2);
}
const rows = readFileSync(join(corpus, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t')[0]!);
const total = { captures: 0, unreadable: 0, frames: 0, findings: 0, alerts: 0, incidents: 0, alertQueues: { now: 0, next: 0, later: 0 }, incidentQueues: { now: 0, next: 0, later: 0 } };
const per: { capture: string; findings: number; alerts: number; incidents: number; now: number }[] = [];
const started = process.hrtime.bigint();
for (const rel of rows) {
  const p = new Pipeline({ events: null });
  try {
    await readCaptureFile(join(corpus, rel), p, p.anomalies);
  } catch {
    total.unreadable++;
    continue;
  }
  p.finish();
  const d = p.detection!;
  const t = triageRun(d.alerts.records((ip) => p.assetIdOf(ip)), (ip) => d.asset(ip));
  total.captures++;
  total.frames += p.frames;
  const findings = d.counters().findings;
  total.findings += findings;
  total.alerts += t.alerts.length;
  total.incidents += t.incidents.length;
  for (const a of t.alerts) total.alertQueues[a.queue]++;
  for (const i of t.incidents) total.incidentQueues[i.queue]++;
  per.push({ capture: rel, findings, alerts: t.alerts.length, incidents: t.incidents.length, now: t.incidents.filter((i) => i.queue === 'now').length });
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
if (args.includes('--json')) {
  process.stdout.write(`${JSON.stringify({ ...total, seconds, per }, null, 1)}\n`);
} else {
  const q = (x: { now: number; next: number; later: number }) => `${x.now} now, ${x.next} next, ${x.later} later`;
  process.stdout.write(
    [
      `${total.captures} captures (${total.unreadable} unreadable), ${total.frames.toLocaleString('en-US')} frames, ${seconds.toFixed(0)} s`,
      '',
      '| stage | count | per capture with any |',
      '|---|---:|---:|',
      `| findings | ${total.findings.toLocaleString('en-US')} | ${(total.findings / Math.max(1, per.filter((x) => x.findings > 0).length)).toFixed(1)} |`,
      `| alerts | ${total.alerts.toLocaleString('en-US')} | ${(total.alerts / Math.max(1, per.filter((x) => x.alerts > 0).length)).toFixed(1)} |`,
      `| incidents | ${total.incidents.toLocaleString('en-US')} | ${(total.incidents / Math.max(1, per.filter((x) => x.incidents > 0).length)).toFixed(1)} |`,
      '',
      `Alerts by queue: ${q(total.alertQueues)}. Incidents by queue: ${q(total.incidentQueues)}.`,
      '',
      'Captures with the most incidents:',
      '',
      '| capture | findings | alerts | incidents | in now |',
      '|---|---:|---:|---:|---:|',
      ...per
        .sort((x, y) => y.incidents - x.incidents || y.alerts - x.alerts)
        .slice(0, 10)
        .map((x) => `| ${x.capture} | ${x.findings} | ${x.alerts} | ${x.incidents} | ${x.now} |`),
      '',
    ].join('\n'),
  );
}

// `lantern report`: the one-page management report of a period (docs/reports.md) read from the store of `lantern
// serve`, running or stopped, and written as one self-contained HTML file (print it to PDF with a browser).
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { SqliteStore } from '../store/sqlite.js';
import { gatherReport, type ReportData } from '../report/gather.js';
import { renderReportHtml } from '../report/render.js';
import { DEFAULT_REPORT_DAYS, MAX_REPORT_DAYS } from '../server/routes-report.js';

export interface ReportCommandOptions {
  /** The `--data` folder of `lantern serve` (holds lantern.db). */
  data: string;
  /** The period, epoch seconds (isoTimeOption): default the DEFAULT_REPORT_DAYS days before `to`, and now. */
  from?: number;
  to?: number;
  out: string;
  /** Clock (seconds), for tests. */
  now?: number;
}

const DAY = 86400;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** Commander's parser of `--from` and `--to`: an ISO 8601 date or date-time (UTC unless it gives an offset) → epoch seconds. */
export function isoTimeOption(value: string): number {
  const m = ISO.exec(value.trim());
  if (m === null) throw new InvalidArgumentError('expected an ISO 8601 date or time: 2026-11-01, 2026-11-01T08:00Z or 2026-11-01T08:00:00+01:00 (UTC when no offset is given)');
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = m;
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${frac}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone.toUpperCase()}`);
  if (!Number.isFinite(ms) || new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d))).getUTCDate() !== Number(d)) throw new InvalidArgumentError(`${value} is not a valid date`);
  return ms / 1000;
}

export function reportCommand(o: ReportCommandOptions): number {
  const to = o.to ?? o.now ?? Date.now() / 1000;
  const from = o.from ?? to - DEFAULT_REPORT_DAYS * DAY;
  if (!(from < to)) return fail(2, '--from must be before --to');
  if (to - from > MAX_REPORT_DAYS * DAY) return fail(2, `a report covers at most ${MAX_REPORT_DAYS} days`);
  const path = join(o.data, 'lantern.db');
  // Never create a store here: a wrong --data would otherwise report on an empty one.
  if (!existsSync(path)) return fail(2, `no store in ${o.data} (no lantern.db): give the --data folder of lantern serve`);
  let data: ReportData;
  try {
    // SqliteStore has no read-only mode; on a current schema opening it writes nothing, and WAL lets serve go on.
    const store = new SqliteStore(path);
    try {
      data = gatherReport(store, { from, to, now: o.now ?? Date.now() / 1000 });
    } finally {
      store.close();
    }
  } catch (err) {
    return fail(1, `cannot read the store in ${o.data}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const tmp = `${o.out}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, renderReportHtml(data));
    renameSync(tmp, o.out);
  } catch (err) {
    rmSync(tmp, { force: true });
    return fail(1, `cannot write ${o.out}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const h = data.headline;
  process.stdout.write(`Wrote ${o.out}: ${new Date(from * 1000).toISOString()} to ${new Date(to * 1000).toISOString()}, ${h.incidents_opened} incidents opened, ${h.alerts_raised} alerts raised\n`);
  return 0;
}

function fail(code: number, message: string): number {
  process.stderr.write(`lantern: ${message}\n`);
  return code;
}

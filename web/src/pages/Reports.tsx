// Reports: the one-page management summary of a period (docs/reports.md). Pick the last 7 or 30 days or two dates,
// see its headline numbers, then open the page in a new tab (print it there to PDF) or download it as HTML.
import { useState, type ChangeEvent } from 'react';
import { withQuery } from '../api';
import { useApi, useDebounced } from '../ui/hooks';
import { Card, Empty, Show } from '../ui/states';
import { PageTitle } from '../ui/Layout';
import { count, time } from '../ui/format';
import './reports.css';

const DAY = 86400;
/** The server's longest period (src/server/routes-report.ts MAX_REPORT_DAYS). */
const MAX_DAYS = 366;
const ROUTE = '/api/reports/summary';

type Preset = '7' | '30' | 'custom';

/** What the preview reads of the report's data (`format=json`, schema lantern.report/1). */
interface ReportSummary {
  period: { from: number; to: number };
  headline: {
    incidents_opened: number;
    incidents_resolved: number;
    incidents_still_open: number;
    alerts_raised: number;
    alerts_suppressed: number;
    alerts_by_severity: Record<string, number>;
  };
  meaning: string[];
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** `YYYY-MM-DD` of a time, UTC. */
function isoDate(ts: number): string {
  return new Date(ts * 1000).toISOString().slice(0, 10);
}

/** The period of two `YYYY-MM-DD` dates (UTC), the second one included; or why it is not one. */
function customPeriod(from: string, to: string): { from: number; to: number } | string {
  if (from === '' || to === '') return 'Choose both dates.';
  const a = Date.parse(`${from}T00:00:00Z`) / 1000;
  const b = Date.parse(`${to}T00:00:00Z`) / 1000 + DAY;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return 'These are not dates.';
  if (a >= b) return 'The first day must not be after the last one.';
  if (b - a > MAX_DAYS * DAY) return `A report covers at most ${MAX_DAYS} days.`;
  return { from: a, to: b };
}

export function Reports() {
  const [preset, setPreset] = useState<Preset>('7');
  // The end of a "last N days" period: now when the page opened or the period was last chosen.
  const [now, setNow] = useState(nowSeconds);
  const [fromDate, setFromDate] = useState(() => isoDate(nowSeconds() - 7 * DAY));
  const [toDate, setToDate] = useState(() => isoDate(nowSeconds()));

  const choose = (e: ChangeEvent<HTMLInputElement>) => {
    setPreset(e.target.value as Preset);
    setNow(nowSeconds());
  };
  const period = preset === 'custom' ? customPeriod(fromDate, toDate) : { from: now - Number(preset) * DAY, to: now };
  const invalid = typeof period === 'string' ? period : null;
  const query = typeof period === 'string' ? null : { from: period.from, to: period.to };
  const url = query === null ? null : withQuery(ROUTE, query);
  // Each look is audited (report.view): the preview waits for the dates to settle.
  const preview = useApi<ReportSummary>(useDebounced(query === null ? null : withQuery(ROUTE, { ...query, format: 'json' }), 400));
  const fileName = query === null ? '' : `lantern-report-${query.from}-${query.to}.html`;

  return (
    <>
      <PageTitle title="Reports" />
      <p className="lede muted">
        A one-page summary of a period for managers: incidents, response times, the riskiest assets, ATT&amp;CK for ICS coverage and the sensor’s health, with
        a few plain sentences on what it means. It counts what Lantern raised in the period (wall clock, UTC), that is what the team handled then.
      </p>
      <div className="grid">
        <Card title="Management summary">
          <form className="stack" onSubmit={(e) => e.preventDefault()}>
            <fieldset className="reports-period">
              <legend>Period</legend>
              {(
                [
                  ['7', 'Last 7 days'],
                  ['30', 'Last 30 days'],
                  ['custom', 'Custom dates'],
                ] as const
              ).map(([value, label]) => (
                <label key={value} className="reports-choice">
                  <input type="radio" name="period" value={value} checked={preset === value} onChange={choose} />
                  <span>{label}</span>
                </label>
              ))}
            </fieldset>
            {preset === 'custom' ? (
              <div className="filters reports-dates">
                <label>
                  First day (UTC)
                  <input type="date" value={fromDate} max={toDate || undefined} onChange={(e) => setFromDate(e.target.value)} aria-invalid={invalid !== null} aria-describedby="reports-period-note" />
                </label>
                <label>
                  Last day (UTC, included)
                  <input type="date" value={toDate} min={fromDate || undefined} onChange={(e) => setToDate(e.target.value)} aria-invalid={invalid !== null} aria-describedby="reports-period-note" />
                </label>
              </div>
            ) : null}
            <p id="reports-period-note" className={invalid !== null ? 'state error reports-invalid' : 'muted reports-note'} aria-live="polite">
              {invalid ?? (query !== null ? `${time(query.from)} → ${time(query.to)} UTC` : '')}
            </p>
            {url !== null ? (
              <div className="reports-actions">
                <a className="button reports-primary" href={url} target="_blank" rel="noopener noreferrer">
                  Open report<span className="visually-hidden"> (opens in a new tab)</span>
                </a>
                <a className="button" href={url} download={fileName}>
                  Download HTML
                </a>
              </div>
            ) : null}
          </form>
          <p className="muted reports-pdf">
            For a PDF, open the report and print it (Ctrl+P, then “Save as PDF”): it fits one A4 or Letter page. Without the console:{' '}
            <code>lantern report --data DIR --out report.html</code>.
          </p>
        </Card>
        <Card title="In this period">
          {query === null ? (
            <Empty>Choose a valid period to see its numbers.</Empty>
          ) : (
            <Show state={preview} what="the report">
              {(r) => (
                <>
                  <div className="kpis">
                    <Kpi n={r.headline.incidents_opened} label="incidents opened" />
                    <Kpi n={r.headline.incidents_resolved} label="incidents resolved" />
                    <Kpi n={r.headline.incidents_still_open} label="still open" />
                    <Kpi n={r.headline.alerts_raised} label="alerts raised" />
                    <Kpi n={(r.headline.alerts_by_severity.critical ?? 0) + (r.headline.alerts_by_severity.high ?? 0)} label="critical or high" />
                    <Kpi n={r.headline.alerts_suppressed} label="suppressed" />
                  </div>
                  <h3 className="reports-meaning">What this means</h3>
                  <ul className="reports-sentences">
                    {r.meaning.map((s, i) => (
                      <li key={i}>{s}</li>
                    ))}
                  </ul>
                </>
              )}
            </Show>
          )}
        </Card>
      </div>
    </>
  );
}

function Kpi({ n, label }: { n: number; label: string }) {
  return (
    <div className="kpi">
      <div className="n">{count(n)}</div>
      <div className="l">{label}</div>
    </div>
  );
}

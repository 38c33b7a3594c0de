// The report as one self-contained HTML page: inline CSS and SVG bars, no script and no external asset, every string
// of the data escaped (alert titles and host names come from the wire); it prints on one A4 page, and shows as a
// centred sheet on screen (docs/reports.md).
import { ATTACK_NOTICE } from '../detect/attack/index.js';
import { SEVERITY_WEIGHT } from '../store/store.js';
import { NEXT_FROM, NOW_FROM } from '../triage/score.js';
import { REPORT_ANOMALIES } from './anomalies.js';
import { MAX_SCANNED, type ReportAsset, type ReportData, type ReportDwellRow, type ReportIncident, type ReportSensor } from './gather.js';
import { count, cut, esc, plural, roleName, span, utc } from './text.js';

/** Cuts that keep the page to one sheet whatever the store holds. */
const TITLE_CHARS = 110;
const NAME_CHARS = 28;
const TACTICS_CHARS = 120;
const MEANING_CHARS = 320;
/** Sensor figures older than this are flagged: the sensor may have stopped writing them. */
const STALE_SECONDS = 3600;

const STATUS_NAMES: Readonly<Record<string, string>> = {
  new: 'New',
  acknowledged: 'Acknowledged',
  investigating: 'Investigating',
  resolved: 'Resolved',
  false_positive: 'False positive',
  learned: 'Learned',
};

const CSS = `
@page { size: A4; margin: 11mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: #e6eaee; color: #1b2128; font: 8.2pt/1.32 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
.sheet { width: 210mm; min-height: 297mm; margin: 8mm auto; padding: 11mm; background: #fff; box-shadow: 0 1px 8px rgba(0, 0, 0, 0.25); }
@media print { body { background: #fff; } .sheet { width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none; } }
@media screen and (max-width: 220mm) { .sheet { width: auto; min-height: 0; margin: 0; } }
h1 { font-size: 14pt; line-height: 1.15; margin: 0; }
h2 { font-size: 9pt; margin: 0 0 1.2mm; padding-bottom: 0.6mm; border-bottom: 0.3mm solid #cfd6dd; }
h2 small { font-weight: 400; color: #56616d; font-size: 7.2pt; }
p { margin: 0; }
section { margin-top: 3.4mm; break-inside: avoid; }
.head { display: flex; justify-content: space-between; align-items: flex-end; gap: 6mm; padding-bottom: 1.8mm; border-bottom: 0.6mm solid #1b2128; }
.brand { font-weight: 700; color: #7a4f00; letter-spacing: 0.04em; }
.meta { margin: 0; display: grid; grid-template-columns: auto auto; gap: 0.2mm 2.5mm; }
.meta dt { color: #56616d; text-align: right; }
.meta dd { margin: 0; font-weight: 600; }
.kpis { display: grid; grid-template-columns: repeat(6, 1fr); gap: 2mm; }
.kpi { background: #f1f4f7; border-radius: 1.5mm; padding: 1.4mm 2mm; min-width: 0; }
.kpi b { display: block; font-size: 13pt; line-height: 1.15; font-variant-numeric: tabular-nums; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.kpi span { display: block; color: #3f4953; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.kpi small { display: block; color: #56616d; font-size: 6.6pt; line-height: 1.2; }
.meaning { background: #fff7e0; border-left: 1mm solid #c98a00; padding: 1.6mm 3mm; }
.meaning h2 { border: 0; padding: 0; margin-bottom: 0.4mm; }
.meaning ul { margin: 0; padding-left: 4mm; }
.meaning li { margin: 0.3mm 0; }
.cols { display: grid; grid-template-columns: 1.55fr 1fr; gap: 5mm; }
.cols > * { min-width: 0; }
.cols.low { grid-template-columns: 1.6fr 1fr; }
table.dwell td, table.dwell th { padding-left: 0.6mm; padding-right: 0.6mm; }
th.group { text-align: center; border-bottom: 0.2mm solid #cfd6dd; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
th, td { text-align: left; padding: 0.45mm 1mm; border-bottom: 0.2mm solid #dde2e7; vertical-align: top; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
th { font-weight: 600; color: #56616d; font-size: 6.9pt; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.one { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.two { display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; line-clamp: 2; overflow: hidden; overflow-wrap: anywhere; }
.incidents ol { list-style: none; margin: 0; padding: 0; }
.incidents li { padding: 0.9mm 0; border-bottom: 0.2mm solid #dde2e7; }
.ititle { display: flex; gap: 1.6mm; align-items: baseline; }
.ititle strong { min-width: 0; }
.score { flex: none; min-width: 6mm; text-align: center; font-weight: 700; border-radius: 1mm; padding: 0 0.7mm; color: #fff; font-variant-numeric: tabular-nums; }
.q-now { background: #b3261e; }
.q-next { background: #a14306; }
.q-later { background: #56616d; }
.imeta { color: #56616d; font-size: 7.3pt; }
.status { font-weight: 600; color: #1b2128; }
.sev-critical { color: #b3261e; font-weight: 600; }
.sev-high { color: #a14306; font-weight: 600; }
.sev-medium { color: #7a5f00; }
.sev-low { color: #2e6b4f; }
.empty { color: #56616d; font-style: italic; padding: 1mm 0; }
.facts { display: grid; grid-template-columns: auto 1fr; gap: 0.2mm 3mm; margin: 0; }
.facts dt { color: #56616d; }
.facts dd { margin: 0; font-variant-numeric: tabular-nums; }
.cov td { padding-top: 0.2mm; padding-bottom: 0.2mm; font-size: 7.3pt; }
.bar { display: block; width: 100%; height: 2.2mm; margin-top: 0.4mm; }
.lede { color: #56616d; margin-bottom: 0.6mm; font-size: 7.2pt; }
footer { margin-top: 3mm; padding-top: 1.2mm; border-top: 0.3mm solid #cfd6dd; color: #56616d; font-size: 6.3pt; line-height: 1.28; }
footer p + p { margin-top: 0.6mm; }
.warn { color: #8a1c14; font-weight: 600; }
`;

export function renderReportHtml(d: ReportData): string {
  const period = `${utc(d.period.from)} → ${utc(d.period.to)} UTC`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>Lantern security summary · ${esc(period)}</title>
<style>${CSS}</style>
</head>
<body>
<main class="sheet">
${header(d, period)}
${headline(d)}
<section class="meaning" aria-labelledby="h-meaning"><h2 id="h-meaning">What this means</h2><ul>${d.meaning.map((s) => `<li><span class="two">${esc(cut(s, MEANING_CHARS))}</span></li>`).join('')}</ul></section>
<div class="cols">
${incidents(d.top_incidents)}
<div>
${assets(d.riskiest_assets)}
${coverage(d)}
</div>
</div>
<div class="cols low">
${dwell(d.dwell)}
${sensor(d.sensor, d.anomalies, d.generated_at)}
</div>
${footer(d)}
</main>
</body>
</html>
`;
}

function header(d: ReportData, period: string): string {
  const seconds = d.period.to - d.period.from;
  const days = Math.round(seconds / 86400);
  const length = days >= 1 && Math.abs(seconds - days * 86400) < 120 ? plural(days, 'day') : span(seconds);
  return `<header class="head">
<div><p class="brand">◆ LANTERN</p><h1>Security summary</h1></div>
<dl class="meta"><dt>Period</dt><dd>${esc(period)} (${esc(length)})</dd><dt>Generated</dt><dd>${esc(utc(d.generated_at))} UTC · Lantern ${esc(d.lantern_version)}</dd></dl>
</header>`;
}

function headline(d: ReportData): string {
  const h = d.headline;
  const q = h.still_open_by_queue;
  const kpi = (n: string, label: string, sub = '') => `<div class="kpi"><b>${n}</b><span>${label}</span>${sub ? `<small>${sub}</small>` : ''}</div>`;
  return `<section class="kpis" aria-label="Headline numbers">
${kpi(count(h.incidents_opened), 'incidents opened', `${count(h.open_incidents_now)} open overall`)}
${kpi(count(h.incidents_resolved), 'resolved', 'incidents, whenever opened')}
${kpi(count(h.incidents_still_open), 'still open', `now ${count(q.now)} · next ${count(q.next)} · later ${count(q.later)}`)}
${kpi(count(h.alerts_raised), 'alerts raised', 'not suppressed')}
${kpi(`${count(h.alerts_by_severity.critical)} · ${count(h.alerts_by_severity.high)}`, 'critical · high', 'alerts raised')}
${kpi(count(h.alerts_suppressed), 'suppressed', 'alerts hidden by rules')}
</section>`;
}

function incidents(list: readonly ReportIncident[]): string {
  const body =
    list.length === 0
      ? '<p class="empty">No incident was opened in this period.</p>'
      : `<ol>${list.map(incident).join('')}</ol>`;
  return `<section class="incidents" aria-labelledby="h-incidents"><h2 id="h-incidents">Top incidents of the period <small>by risk score</small></h2>${body}</section>`;
}

function incident(i: ReportIncident): string {
  const hosts = i.hosts.map((h) => (h.name === null ? esc(h.ip) : `${esc(cut(h.name, NAME_CHARS))} (${esc(h.ip)})`)).join(', ');
  const more = i.more_hosts > 0 ? ` and ${count(i.more_hosts)} more` : '';
  const tactics = i.tactics.length === 0 ? 'no ATT&CK for ICS tactic' : i.tactics.join(' → ');
  const queue = i.queue === 'now' || i.queue === 'next' ? i.queue : 'later';
  return `<li>
<div class="ititle"><span class="score q-${queue}" title="risk score, ${queue} queue">${Math.round(i.score)}</span><strong class="one">${esc(cut(i.title, TITLE_CHARS))}</strong></div>
<p class="imeta one"><span class="status">${esc(STATUS_NAMES[i.status] ?? i.status)}</span> · <span class="sev-${esc(i.severity)}">${esc(i.severity)}</span> · first seen ${esc(utc(i.first_seen))} UTC · ${esc(cut(tactics, TACTICS_CHARS))}</p>
${hosts ? `<p class="imeta one">Hosts: ${hosts}${more}</p>` : ''}
<p class="two">${esc(i.summary)}</p>
</li>`;
}

function assets(list: readonly ReportAsset[]): string {
  const weights = Object.entries(SEVERITY_WEIGHT)
    .reverse()
    .map(([s, w]) => `${s} ${w}`)
    .join(', ');
  const body =
    list.length === 0
      ? '<p class="empty">No asset has an open alert.</p>'
      : `<table><colgroup><col style="width: 31%"><col style="width: 33%"><col style="width: 12%"><col style="width: 24%"></colgroup><thead><tr><th>Asset</th><th>Role · level</th><th title="criticality">Crit.</th><th class="num">Open</th></tr></thead><tbody>${list
          .map((a) => {
            const role = [a.role !== null && a.role !== 'unknown' ? roleName(a.role) : null, a.purdue_level !== null ? `L${a.purdue_level}` : null].filter((x) => x !== null).join(' · ') || '—';
            return `<tr><td>${esc(cut(a.name, NAME_CHARS))}</td><td>${esc(role)}</td><td>${esc(a.criticality ?? '—')}</td><td class="num">${count(a.open_alerts)} <span class="sev-${esc(a.worst)}">${esc(a.worst)}</span></td></tr>`;
          })
          .join('')}</tbody></table>`;
  return `<section aria-labelledby="h-assets"><h2 id="h-assets">Riskiest assets now <small>open alerts weighted by severity (${esc(weights)})</small></h2>${body}</section>`;
}

function sensor(s: ReportSensor | null, anomalies: Record<string, number>, now: number): string {
  let body: string;
  if (s === null) {
    body = anomalies[REPORT_ANOMALIES.codes.bad_counters] ? '<p class="empty">The sensor’s counters could not be read.</p>' : '<p class="empty">Nothing ingested yet.</p>';
  } else {
    const rows: [string, string][] = [
      ['Frames analysed', count(s.frames)],
      ['Captures ingested', `${count(s.captures)}${s.captures_failed > 0 ? ` (<span class="warn">${count(s.captures_failed)} failed</span>)` : ''}`],
      ['Malformed-input anomalies', count(s.anomalies)],
    ];
    if (s.live_interfaces > 0) rows.push(['Live interfaces', `${count(s.live_interfaces)}${s.live_failing > 0 ? ` (<span class="warn">${count(s.live_failing)} failing</span>)` : ''}`]);
    rows.push(['Figures as of', `${esc(utc(s.at))} UTC${now - s.at > STALE_SECONDS ? ` (<span class="warn">${esc(span(now - s.at))} old</span>)` : ''}`]);
    body = `<dl class="facts">${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`;
  }
  return `<section aria-labelledby="h-sensor"><h2 id="h-sensor">Sensor health</h2>${body}</section>`;
}

function dwell(rows: readonly ReportDwellRow[]): string {
  const t = (v: number | null, up = false) => (v === null ? '—' : esc(span(v, up)));
  const all = rows.find((r) => r.severity === 'all');
  const cols = [14, 10, 15, 15, 15, 15, 8, 8].map((w) => `<col style="width: ${w}%">`).join('');
  const body =
    all === undefined || all.alerts === 0
      ? '<p class="empty">No alert was raised in this period.</p>'
      : `<table class="dwell"><colgroup>${cols}</colgroup><thead><tr><th></th><th></th><th class="group" colspan="2">Acknowledged</th><th class="group" colspan="2">Resolved</th><th class="group" colspan="2">Not yet</th></tr><tr><th>Alerts</th><th class="num">Raised</th><th class="num">median</th><th class="num">90 %</th><th class="num">median</th><th class="num">90 %</th><th class="num" title="not yet acknowledged">ack.</th><th class="num" title="not yet resolved">res.</th></tr></thead><tbody>${rows
          .map(
            (r) =>
              `<tr><td${r.severity === 'all' ? '><strong>All</strong>' : ` class="sev-${esc(r.severity)}">${esc(r.severity)}`}</td><td class="num">${count(r.alerts)}</td><td class="num">${t(r.acknowledge.p50)}</td><td class="num">${t(r.acknowledge.p90, true)}</td><td class="num">${t(r.resolve.p50)}</td><td class="num">${t(r.resolve.p90, true)}</td><td class="num">${count(r.acknowledge.open)}</td><td class="num">${count(r.resolve.open)}</td></tr>`,
          )
          .join('')}</tbody></table>`;
  return `<section aria-labelledby="h-dwell"><h2 id="h-dwell">Time to respond <small>from alert raised, wall clock</small></h2>${body}</section>`;
}

function coverage(d: ReportData): string {
  const c = d.coverage;
  const pct = c.total === 0 ? 0 : Math.round((100 * c.covered) / c.total);
  const bar = (covered: number, total: number) => {
    const w = total === 0 ? 0 : (100 * covered) / total;
    return `<svg class="bar" viewBox="0 0 100 4" preserveAspectRatio="none" aria-hidden="true"><rect width="100" height="4" fill="#e1e7ed"/><rect width="${w.toFixed(1)}" height="4" fill="#2f5d8a"/></svg>`;
  };
  const rows = c.tactics
    .map((t) => `<tr><td>${esc(t.name)}</td><td>${bar(t.covered, t.total)}</td><td class="num">${count(t.covered)} / ${count(t.total)}</td></tr>`)
    .join('');
  return `<section class="cov" aria-labelledby="h-cov"><h2 id="h-cov">ATT&amp;CK for ICS coverage <small>${count(c.covered)} of ${count(c.total)} techniques (${pct} %)</small></h2>
<p class="lede">Techniques of MITRE ATT&amp;CK® for ICS v${esc(c.attack_version)} that Lantern’s detections can see, per tactic.</p>
<table><colgroup><col style="width: 48%"><col style="width: 34%"><col style="width: 18%"></colgroup><tbody>${rows}</tbody></table></section>`;
}

function footer(d: ReportData): string {
  const notes: string[] = [];
  if (d.anomalies[REPORT_ANOMALIES.codes.scan_cap]) notes.push(`<p class="warn">The store holds more than ${count(MAX_SCANNED)} incidents or suppressed alerts: the counts above cover the first ${count(MAX_SCANNED)} read (report.scan_cap).</p>`);
  return `<footer>
${notes.join('\n')}
<p>How to read it: alerts and incidents are counted by when Lantern raised them (wall clock), that is what the team handled in the period; “first seen” is the capture time of the first evidence. “Resolved” includes false positives and learned behaviour. Risk scores run from 0 to 100: ${NOW_FROM} and above is worked now, ${NEXT_FROM} and above next. Times are UTC.</p>
<p>${esc(ATTACK_NOTICE.replace(/\n+/g, ' '))} MITRE ATT&amp;CK® and ATT&amp;CK® are registered trademarks of The MITRE Corporation.</p>
</footer>`;
}

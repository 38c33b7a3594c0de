// "What this means": two to four plain sentences for a manager, each one generated from the report's numbers (never
// from free text): what came in and what is still open, whether anything reached the control system, how fast the
// team responded, and the asset most at risk now.
import type { ReportData } from './gather.js';
import { count, cut, plural, roleName, span } from './text.js';

/** Asset names are read off the wire: a long one is cut. */
const NAME_CHARS = 60;

export function whatItMeans(d: Omit<ReportData, 'meaning'>): string[] {
  return [volume(d), stage2(d), response(d), riskiest(d)].filter((s): s is string => s !== null);
}

function volume(d: Omit<ReportData, 'meaning'>): string {
  const h = d.headline;
  const hidden = h.alerts_suppressed > 0 ? `suppression rules hid ${count(h.alerts_suppressed)} more` : '';
  if (h.alerts_raised === 0 && h.incidents_opened === 0) return `No alerts were raised in this period${hidden ? ` (${hidden})` : ''}.`;
  const sev = `${count(h.alerts_by_severity.critical)} critical, ${count(h.alerts_by_severity.high)} high${hidden ? `; ${hidden}` : ''}`;
  let s = `${plural(h.alerts_raised, 'alert')} ${h.alerts_raised === 1 ? 'was' : 'were'} raised in this period (${sev})`;
  if (h.incidents_opened === 0) return `${s}; they joined incidents opened before it.`;
  s += `, grouped into ${plural(h.incidents_opened, 'new incident')}`;
  const open = h.incidents_still_open;
  if (open === 0) return `${s}; ${h.incidents_opened === 1 ? 'it is' : 'all are'} resolved.`;
  const now = h.still_open_by_queue.now;
  return `${s}; ${count(open)} ${open === 1 ? 'is' : 'are'} still open${now > 0 ? `, ${count(now)} of ${open === 1 ? 'it' : 'them'} in the “now” queue` : ''}.`;
}

function stage2(d: Omit<ReportData, 'meaning'>): string | null {
  const s = d.stage2;
  if (s.incidents === 0) return d.headline.incidents_opened > 0 ? 'No incident of this period reached the control system itself (stage 2 of the ICS kill chain).' : null;
  const n = s.incidents;
  const open = n - s.resolved;
  const within = s.longest_to_resolve === null ? '' : ` within ${span(s.longest_to_resolve, true)}`;
  const subject = `${n === 1 ? 'One incident' : `${count(n)} incidents`} reached the control system itself (stage 2 of the ICS kill chain)`;
  let rest: string;
  if (open === 0) rest = `${n === 1 ? 'it was' : n === 2 ? 'both were' : 'all were'} resolved${within}`;
  else if (s.resolved === 0) rest = n === 1 ? 'it is still open' : n === 2 ? 'neither is resolved yet' : 'none is resolved yet';
  else rest = `${count(s.resolved)} ${s.resolved === 1 ? 'was' : 'were'} resolved${within}, ${count(open)} ${open === 1 ? 'is' : 'are'} still open`;
  return `${subject}; ${rest}.`;
}

function response(d: Omit<ReportData, 'meaning'>): string | null {
  const all = d.dwell.find((r) => r.severity === 'all');
  if (all === undefined || all.alerts === 0) return null;
  const ack = all.acknowledge;
  if (ack.p50 === null || ack.p90 === null) return all.alerts === 1 ? 'The alert of this period has not been acknowledged yet.' : `None of the ${count(all.alerts)} alerts of this period has been acknowledged yet.`;
  const waiting = ack.open > 0 ? `; ${plural(ack.open, 'alert')} still ${ack.open === 1 ? 'waits' : 'wait'} for a first look` : '';
  return `Alerts were acknowledged a median ${span(ack.p50)} after being raised (nine in ten within ${span(ack.p90, true)})${waiting}.`;
}

function riskiest(d: Omit<ReportData, 'meaning'>): string {
  const a = d.riskiest_assets[0];
  if (a === undefined) return 'No asset has an open alert now.';
  const about: string[] = [];
  if (a.role !== null && a.role !== 'unknown') about.push(roleName(a.role));
  if (a.purdue_level !== null) about.push(`Purdue level ${a.purdue_level}`);
  if (a.criticality !== null) about.push(`${a.criticality} criticality`);
  return `The asset most at risk now is ${cut(a.name, NAME_CHARS)}${about.length > 0 ? ` (${about.join(', ')})` : ''}: ${plural(a.open_alerts, 'open alert')}, the worst ${a.worst}.`;
}

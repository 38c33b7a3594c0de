import { test } from 'node:test';
import assert from 'node:assert/strict';
import { killChainStage, NEXT_FROM, NOW_FROM, queueOf, riskScore } from './score.js';
import { assignIncident, describeIncident, INCIDENT_GAP_SEC, MemoryIncidentIndex, MAX_INCIDENT_ALERTS, type TriageAlert } from './incidents.js';

const PLC = { name: 'PLC-1', criticality: 'high' as const, purdue: 1 };

test('score: a sum of named factors; a program download on a level-1 PLC is worked now, a scan of it next', () => {
  const download = riskScore({ severity: 'high', confidence: 0.9, kind: 'behavior', techniques: ['T0843'] }, PLC);
  assert.deepEqual(
    download.factors.map((f) => [f.name, f.points]),
    [
      ['severity', 30],
      ['confidence', 9],
      ['criticality', 15],
      ['purdue', 10],
      ['kill_chain', 12],
    ],
  );
  assert.equal(download.score, 76);
  assert.equal(download.queue, 'now');
  assert.match(download.factors[4].why, /stage 2, installs or moves into the control system \(Lateral Movement\)/);
  const scan = riskScore({ severity: 'medium', confidence: 0.8, kind: 'behavior', techniques: ['T0846'] }, PLC);
  assert.equal(scan.score, 18 + 8 + 15 + 10 + 0);
  assert.equal(scan.queue, 'next');
});

test('score: stage-2 process impact outranks discovery; intel adds its points; no asset and no technique are said so', () => {
  assert.ok(killChainStage(['T0816']).points > killChainStage(['T0846']).points, 'Device Restart/Shutdown over discovery');
  const intel = riskScore({ severity: 'high', confidence: 1, kind: 'indicator', techniques: [] }, null);
  assert.deepEqual(
    intel.factors.map((f) => [f.name, f.points, f.why]),
    [
      ['severity', 30, 'high severity'],
      ['confidence', 10, 'confidence 1.00'],
      ['criticality', 0, 'no known asset'],
      ['intel', 10, 'matches a threat-intel indicator'],
      ['kill_chain', 0, 'no ATT&CK for ICS technique'],
    ],
  );
  assert.equal(riskScore({ severity: 'critical', confidence: 1, kind: 'indicator', techniques: ['T0816'] }, PLC).score, 100, 'capped');
  assert.deepEqual([queueOf(NOW_FROM), queueOf(NOW_FROM - 1), queueOf(NEXT_FROM), queueOf(NEXT_FROM - 1)], ['now', 'next', 'next', 'later']);
});

let n = 0;
function alert(o: Partial<TriageAlert> & { src: string | null; dst: string | null; ts: number }): TriageAlert {
  n++;
  return { id: `al_${n}`, detection: 'behavior.x', title: `alert ${n}`, severity: 'medium', score: 40, techniques: [], first_seen: o.ts, last_seen: o.ts + 1, count: 1, ...o };
}

test('incidents: alerts of one actor within the gap group; others, and other actors doing something else to the same target, stay apart; a pivot that links two merges them into the oldest', () => {
  const index = new MemoryIncidentIndex();
  const scan = alert({ src: '10.0.9.66', dst: '10.0.1.21', ts: 100, techniques: ['T0846'], score: 51, title: 'Port scan', detection: 'behavior.port_scan' });
  const download = alert({ src: '10.0.9.66', dst: '10.0.1.22', ts: 200, techniques: ['T0843'], score: 76, title: 'Program download to 10.0.1.22', detection: 'behavior.program_download' });
  const other = alert({ src: '10.0.5.5', dst: '10.0.5.6', ts: 150 });
  const later = alert({ src: '10.0.9.66', dst: '10.0.1.21', ts: 200 + INCIDENT_GAP_SEC + 10 });
  const i1 = assignIncident(index, scan);
  assert.equal(assignIncident(index, download), i1, 'same actor');
  const i2 = assignIncident(index, other);
  assert.notEqual(i2, i1);
  assert.notEqual(assignIncident(index, later), i1, 'past the gap: a new incident');
  // The engineering workstation writes to the PLC the intruder scanned: the same target, another story.
  const engineer = assignIncident(index, alert({ src: '10.0.2.11', dst: '10.0.1.21', ts: 205, detection: 'behavior.program_upload' }));
  assert.ok(engineer !== i1 && engineer !== i2, 'another actor doing something else to the same host: apart');
  // Many sources scanning that PLC too: the same detection against the same host groups them with the first scan.
  const swarm = [1, 2, 3].map((k) => assignIncident(index, alert({ src: `198.51.100.${k}`, dst: '10.0.1.21', ts: 206 + k, detection: 'behavior.port_scan' })));
  assert.deepEqual(swarm, [i1, i1, i1]);
  // The PLC the intruder downloaded to now acts against 10.0.5.5, the actor of the other incident: a pivot that links
  // the two incidents, which merge into the older one.
  const bridge = alert({ src: '10.0.1.22', dst: '10.0.5.5', ts: 210 });
  assert.equal(assignIncident(index, bridge), i1);
  assert.equal(index.incidents.has(i2), false);
  assert.equal(index.incidents.get(i1)!.alerts, 7);
  const v = describeIncident(index.incidents.get(i1)!.members);
  assert.equal(v.title, 'Program download to 10.0.1.22 (+6 related alerts)');
  assert.deepEqual(v.tactics, ['TA0102', 'TA0109']);
  assert.equal(v.score, 76 + 5, 'worst alert plus one stage of progression');
  assert.equal(v.queue, 'now');
  assert.match(v.summary, /^7 alerts from 1970-01-01T00:01:40Z to 1970-01-01T00:03:31Z \(111 s of capture time\)\. 10\.0\.9\.66 acted in 2 of them, against /);
  assert.match(v.summary, /It began with “Port scan” and its highest-scored step was “Program download to 10\.0\.1\.22” \(score 76\)\. It progressed through Discovery → Lateral Movement\.$/);
});

test('incidents: a full incident stops growing; alerts without hosts stand alone', () => {
  const index = new MemoryIncidentIndex();
  const first = assignIncident(index, alert({ src: '10.0.0.1', dst: '10.0.0.2', ts: 0 }));
  for (let i = 1; i < MAX_INCIDENT_ALERTS; i++) assignIncident(index, alert({ src: '10.0.0.1', dst: '10.0.0.2', ts: i }));
  assert.equal(index.incidents.get(first)!.alerts, MAX_INCIDENT_ALERTS);
  assert.notEqual(assignIncident(index, alert({ src: '10.0.0.1', dst: '10.0.0.2', ts: 600 })), first);
  const a = assignIncident(index, alert({ src: null, dst: null, ts: 5 }));
  const b = assignIncident(index, alert({ src: null, dst: null, ts: 6 }));
  assert.notEqual(a, b);
});

test('dwell: to alert, to acknowledge and to resolve per severity and ISO week; open ones counted, not zero', async () => {
  const { dwellReport, isoWeek } = await import('./dwell.js');
  assert.equal(isoWeek(Date.UTC(2026, 10, 28) / 1000), '2026-W48');
  assert.equal(isoWeek(Date.UTC(2021, 0, 3) / 1000), '2020-W53');
  assert.equal(isoWeek(Date.UTC(2024, 11, 30) / 1000), '2025-W01');
  const t = Date.UTC(2026, 10, 23) / 1000;
  const r = dwellReport(
    [
      { severity: 'high', first_seen: t - 10, raised_at: t, acknowledged_at: t + 60, resolved_at: t + 600 },
      { severity: 'high', first_seen: t - 30, raised_at: t, acknowledged_at: t + 120, resolved_at: null },
      { severity: 'low', first_seen: t, raised_at: t + 7 * 86400, acknowledged_at: null, resolved_at: null },
    ],
    t - 1,
    t + 8 * 86400,
  );
  assert.deepEqual(r.by_severity.high.to_alert, { n: 2, open: 0, mean: 20, p50: 10, p90: 30, max: 30 });
  assert.deepEqual(r.by_severity.high.to_acknowledge, { n: 2, open: 0, mean: 90, p50: 60, p90: 120, max: 120 });
  assert.deepEqual(r.by_severity.high.to_resolve, { n: 1, open: 1, mean: 600, p50: 600, p90: 600, max: 600 });
  assert.deepEqual(r.by_severity.low.to_acknowledge, { n: 0, open: 1, mean: null, p50: null, p90: null, max: null });
  assert.deepEqual(r.by_week.map((w) => [w.week, w.alerts]), [['2026-W48', 2], ['2026-W49', 1]]);
});

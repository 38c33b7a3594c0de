import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { coverage, TACTICS } from '../detect/attack/index.js';
import { DETECTION_CATALOG } from '../detect/catalog.js';
import { gatherReport, STAGE2_TACTICS } from './gather.js';
import { whatItMeans } from './meaning.js';
import { handBuiltStore, T, tempStore } from './testkit.js';
import { cut, span } from './text.js';

const DAY = 86400;
const WEEK = { from: T - 7 * DAY, to: T, now: T + 60 };

test('the figures of a hand-built week: incidents, alerts by raising time, dwell, assets at risk, sensor, coverage', () => {
  const { store, dir } = handBuiltStore();
  try {
    const d = gatherReport(store, WEEK);
    assert.equal(d.schema, 'lantern.report/1');
    assert.deepEqual(d.period, { from: T - 7 * DAY, to: T, basis: 'raised_at' });
    assert.equal(d.generated_at, T + 60);
    assert.deepEqual(d.headline, {
      incidents_opened: 3,
      incidents_resolved: 2,
      incidents_still_open: 2,
      still_open_by_queue: { now: 1, next: 1, later: 0 },
      open_incidents_now: 2,
      alerts_raised: 3,
      alerts_suppressed: 1,
      alerts_by_severity: { low: 0, medium: 1, high: 1, critical: 1 },
    });
    assert.deepEqual(
      d.top_incidents.map((i) => [i.id, i.score, i.status]),
      [
        ['in_1', 90, 'resolved'],
        ['in_3', 75, 'new'],
        ['in_2', 50, 'investigating'],
      ],
      'opened in the week, highest score first; in_4 (opened before) left out',
    );
    const top = d.top_incidents[0];
    assert.deepEqual(top.tactics, ['Lateral Movement']);
    assert.deepEqual(top.hosts, [
      { ip: '10.0.0.20', name: 'PLC-1' },
      { ip: '10.0.0.5', name: null },
    ]);
    assert.equal(top.first_seen, T - 30 * DAY, 'capture time');
    assert.deepEqual(d.stage2, { incidents: 2, resolved: 1, still_open: 1, longest_to_resolve: 7200 });

    const [all, ...bySeverity] = d.dwell;
    assert.deepEqual(all, { severity: 'all', alerts: 3, acknowledge: { p50: 600, p90: 1200, open: 1 }, resolve: { p50: 3600, p90: 3600, open: 2 } });
    assert.deepEqual(
      bySeverity.map((r) => [r.severity, r.alerts]),
      [
        ['critical', 1],
        ['high', 1],
        ['medium', 1],
      ],
    );

    assert.deepEqual(d.riskiest_assets, [
      { id: 'a-plc', name: 'PLC-1', role: 'controller', purdue_level: 1, criticality: 'high', open_alerts: 2, weight: 6, worst: 'high' },
      { id: 'a-hmi', name: 'HMI-1', role: 'hmi_scada', purdue_level: 2, criticality: 'medium', open_alerts: 1, weight: 2, worst: 'medium' },
    ]);
    assert.deepEqual(d.sensor, { at: T - 100, frames: 1050, captures: 2, captures_failed: 1, anomalies: 8, live_interfaces: 1, live_failing: 1 });
    const c = coverage(DETECTION_CATALOG);
    assert.equal(d.coverage.covered, c.covered);
    assert.equal(d.coverage.total, 83);
    assert.equal(d.coverage.tactics.length, 12);
    assert.deepEqual(d.anomalies, {});

    assert.deepEqual(d.meaning, [
      '3 alerts were raised in this period (1 critical, 1 high; suppression rules hid 1 more), grouped into 3 new incidents; 2 are still open, 1 of them in the “now” queue.',
      '2 incidents reached the control system itself (stage 2 of the ICS kill chain); 1 was resolved within 2 h, 1 is still open.',
      'Alerts were acknowledged a median 10 min after being raised (nine in ten within 20 min); 1 alert still waits for a first look.',
      'The asset most at risk now is PLC-1 (controller, Purdue level 1, high criticality): 2 open alerts, the worst high.',
    ]);
    assert.deepEqual(JSON.parse(JSON.stringify(d)), d, 'plain data');
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('another period selects by raising time: the week before holds a4 and in_4 only', () => {
  const { store, dir } = handBuiltStore();
  try {
    const d = gatherReport(store, { from: T - 14 * DAY, to: T - 7 * DAY, now: T });
    assert.equal(d.headline.alerts_raised, 1);
    assert.equal(d.headline.incidents_opened, 1);
    assert.equal(d.headline.incidents_resolved, 0);
    assert.equal(d.headline.incidents_still_open, 0);
    assert.deepEqual(d.top_incidents.map((i) => i.id), ['in_4']);
    assert.match(d.meaning[0], /^1 alert was raised in this period \(0 critical, 0 high\), grouped into 1 new incident; it is resolved\.$/);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('reading stops at the cap, and says so', () => {
  const { store, dir } = handBuiltStore();
  try {
    const d = gatherReport(store, { ...WEEK, maxScanned: 2 });
    assert.deepEqual(d.anomalies, { 'report.scan_cap': 1 });
    assert.ok(d.headline.incidents_opened <= 2);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an empty store: zeros, no sensor, still two sentences', () => {
  const { store, dir } = tempStore();
  try {
    const d = gatherReport(store, WEEK);
    assert.equal(d.headline.alerts_raised, 0);
    assert.deepEqual(d.top_incidents, []);
    assert.equal(d.sensor, null);
    assert.deepEqual(d.meaning, ['No alerts were raised in this period.', 'No asset has an open alert now.']);
    store.putCounters(T, { something: 'else' });
    assert.deepEqual(gatherReport(store, WEEK).anomalies, { 'report.bad_counters': 1 });
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('stage 2 is what the risk score calls it: execution through impact, not discovery or initial access', () => {
  const stage2 = TACTICS.filter((t) => STAGE2_TACTICS.has(t.id)).map((t) => t.id);
  assert.deepEqual(stage2, ['TA0104', 'TA0110', 'TA0111', 'TA0103', 'TA0109', 'TA0107', 'TA0106', 'TA0105']);
});

test('sentences follow the numbers: one, both, none resolved', () => {
  const { store, dir } = handBuiltStore();
  try {
    const d = gatherReport(store, WEEK);
    const say = (stage2: typeof d.stage2) => whatItMeans({ ...d, stage2 })[1];
    assert.equal(say({ incidents: 1, resolved: 1, still_open: 0, longest_to_resolve: 3 * 3600 - 5 }), 'One incident reached the control system itself (stage 2 of the ICS kill chain); it was resolved within 3 h.');
    assert.equal(say({ incidents: 2, resolved: 2, still_open: 0, longest_to_resolve: 2.5 * 3600 }), '2 incidents reached the control system itself (stage 2 of the ICS kill chain); both were resolved within 2 h 30 min.');
    assert.equal(say({ incidents: 2, resolved: 0, still_open: 2, longest_to_resolve: null }), '2 incidents reached the control system itself (stage 2 of the ICS kill chain); neither is resolved yet.');
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('durations and cuts', () => {
  assert.deepEqual([0, 59.4, 59.6, 600, 3599, 3600, 5400, 86400, 90000, 200000].map((s) => span(s)), ['0 s', '59 s', '1 min', '10 min', '1 h', '1 h', '1 h 30 min', '1 d', '1 d 1 h', '2 d 8 h']);
  assert.equal(span(61, true), '2 min');
  assert.equal(cut('abcdef', 4), 'abc…');
  assert.equal(cut('abc', 4), 'abc');
  assert.equal(cut('😀😀😀😀😀', 3), '😀😀…', 'never splits a surrogate pair');
});

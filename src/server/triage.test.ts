// Triage end to end in the server: the demo plant's alerts scored and grouped into incidents, the incident worked to
// resolution through the API (carried to its alerts, audited, in the dwell figures), bulk changes, suppression rules
// with expiry that keep counting, and per-detection switches that reach the running engine.
import { test } from 'node:test';
import { login as loginAs } from './testkit.js';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, ensureAdmin } from './app.js';
import { StoreAuth } from './store-auth.js';
import { Sensor } from './sensor.js';
import { SqliteStore } from '../store/sqlite.js';
import { REPO_ROOT } from '../common/corpus.js';
import { AlertTriage } from '../triage/alert-triage.js';
import type { DetectedAlert } from '../detect/alerts.js';
import type { AlertRecord } from '../store/store.js';
import type { IncidentRecord } from '../store/triage.js';

const DEMO = [join(process.cwd(), 'demo', 'demo-plant.pcapng'), join(REPO_ROOT, 'demo', 'demo-plant.pcapng')].find((p) => existsSync(p)) ?? 'demo/demo-plant.pcapng';
const ATTACKER = '10.10.9.66';

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-triage-'));
  const store = new SqliteStore(join(dir, 'lantern.db'));
  const auth = new StoreAuth(store);
  const sensor = new Sensor(store);
  const password = (await ensureAdmin(auth))!;
  const app = await buildApp({ auth, store, sensor, uploadDir: join(dir, 'uploads') });
  const admin = await loginAs(app, 'admin', password);
  return { store, app, sensor, admin };
}

test('the demo plant: alerts scored with named factors, the attacker’s alerts grouped into the top incident, worked to resolution', async () => {
  const { store, app, sensor, admin } = await setup();
  await sensor.ingestFile(DEMO, 'demo');
  const all = store.listAlerts({ sort: 'score' }, null, 1000).items;
  assert.ok(all.length >= 7);
  for (const a of all) {
    assert.ok((a.score ?? 0) > 0 && a.score_factors!.length >= 3, a.id);
    assert.equal(a.score, Math.min(100, a.score_factors!.reduce((n, f) => n + f.points, 0)));
    assert.ok(a.raised_at !== null && a.incident !== null, a.id);
  }
  const download = all.find((a) => a.detection === 'behavior.program_download')!;
  assert.equal(download.queue, 'now');
  assert.ok(all.indexOf(download) < all.findIndex((a) => a.detection === 'behavior.port_scan'), 'a program download outranks the scan');

  const incidents = (await app.inject({ url: '/api/incidents?open=true', headers: admin })).json() as { items: IncidentRecord[] };
  const top = incidents.items[0];
  assert.ok(top.hosts.includes(ATTACKER), top.title);
  assert.ok(top.alerts >= 5, `${top.alerts} alerts`);
  assert.ok(top.tactics.includes('TA0102') && top.tactics.length >= 3, top.tactics.join());
  assert.ok(top.score_factors.some((f) => f.name === 'progression'));
  assert.match(top.summary, /10\.10\.9\.66 acted in \d+ of them/);
  assert.match(top.summary, /It progressed through Discovery → /);
  for (let i = 1; i < incidents.items.length; i++) assert.ok(incidents.items[i - 1].score >= incidents.items[i].score);
  // The engineering workstation's sanctioned upload from the PLC the attacker downloaded to shares only that target:
  // its own incident, so resolving the attack does not resolve it.
  const upload = all.find((a) => a.detection === 'behavior.program_upload')!;
  assert.ok(upload.incident !== null && upload.incident !== top.id);
  assert.ok(!top.hosts.includes((upload.details as { src: { ip: string } }).src.ip));

  const one = (await app.inject({ url: `/api/incidents/${top.id}`, headers: admin })).json() as IncidentRecord & { timeline: AlertRecord[] };
  assert.equal(one.timeline.length, top.alerts);
  for (let i = 1; i < one.timeline.length; i++) assert.ok(one.timeline[i - 1].first_seen <= one.timeline[i].first_seen);

  // Each queue lists its incidents, then the alerts none of them holds: every open alert of the queue once.
  const counted = (await app.inject({ url: '/api/triage/queues', headers: admin })).json() as { alerts: Record<string, number>; outside: Record<string, number> };
  for (const q of ['now', 'next', 'later']) {
    const held = new Set(incidents.items.filter((i) => i.queue === q).map((i) => i.id));
    const outside = ((await app.inject({ url: `/api/alerts?open=true&suppressed=false&queue=${q}&outside_queue=${q}`, headers: admin })).json() as { items: AlertRecord[] }).items;
    const inQueue = all.filter((a) => a.queue === q);
    assert.deepEqual(outside.map((a) => a.id).sort(), inQueue.filter((a) => !held.has(a.incident!)).map((a) => a.id).sort(), q);
    assert.equal(counted.outside[q], outside.length, q);
    assert.equal(counted.alerts[q] ?? 0, inQueue.length, q);
  }

  assert.equal((await app.inject({ url: '/api/alerts?outside_queue=soon', headers: admin })).statusCode, 400);
  const badHide = await app.inject({ method: 'POST', url: '/api/suppressions', headers: admin, payload: { host: ATTACKER, reason: 'x', hide_open: 'yes please' } });
  assert.deepEqual([badHide.statusCode, store.triage.listSuppressions().length], [400, 0], 'a bad request creates nothing');

  // Acknowledge, tick a playbook step, comment, then resolve with the alerts.
  assert.equal((await app.inject({ method: 'PATCH', url: `/api/incidents/${top.id}`, headers: admin, payload: { status: 'investigating', assignee: 'admin', playbook: { check: [0], respond: [] } } })).statusCode, 200);
  assert.equal((await app.inject({ method: 'POST', url: `/api/incidents/${top.id}/comments`, headers: admin, payload: { text: 'attacker laptop found on port 12' } })).statusCode, 201);
  const done = await app.inject({ method: 'PATCH', url: `/api/incidents/${top.id}`, headers: admin, payload: { status: 'resolved', alerts: true } });
  assert.equal(done.statusCode, 200, done.body);
  const resolved = done.json() as IncidentRecord;
  assert.equal(resolved.status, 'resolved');
  assert.deepEqual(resolved.playbook, { check: [0], respond: [] });
  assert.ok(resolved.acknowledged_at !== null && resolved.resolved_at !== null);
  const left = store.listAlerts({ incident: top.id, open: true }, null, 1000).items;
  assert.deepEqual(left, [], 'its alerts are resolved too');
  const audit = store.listAudit({ limit: 1000 }).items.filter((a) => a.target === top.id || (a.action === 'alert.update' && (a.detail as { via?: string } | null)?.via === `incident ${top.id}`));
  assert.ok(audit.some((a) => a.action === 'incident.update') && audit.filter((a) => a.action === 'alert.update').length === top.alerts);

  const dwell = (await app.inject({ url: '/api/triage/dwell', headers: admin })).json() as { all: { alerts: number; to_resolve: { n: number } } };
  assert.equal(dwell.all.alerts, all.length);
  assert.equal(dwell.all.to_resolve.n, top.alerts);
  const queues = (await app.inject({ url: '/api/triage/queues', headers: admin })).json() as { alerts: Record<string, number> };
  assert.equal(Object.values(queues.alerts).reduce((a, b) => a + b, 0), all.length - top.alerts);

  // Bulk: acknowledge the rest with one comment each.
  const rest = store.listAlerts({ open: true }, null, 1000).items.map((a) => a.id);
  const bulk = await app.inject({ method: 'POST', url: '/api/alerts/bulk', headers: admin, payload: { ids: [...rest, 'al_nope'], status: 'acknowledged', comment: 'seen in the morning review' } });
  assert.deepEqual(bulk.json(), { changed: rest.length, unknown: ['al_nope'] });
  assert.equal(store.listAlerts({ status: 'acknowledged' }, null, 1000).items.length, rest.length);
});

test('detection switches: off stops the running engine’s detector; a severity override applies to new alerts', async () => {
  const { app, sensor, admin, store } = await setup();
  const off = await app.inject({ method: 'PUT', url: '/api/detections/behavior.port_scan/override', headers: admin, payload: { enabled: false } });
  assert.deepEqual(off.json(), { id: 'behavior.port_scan', enabled: false, severity: null });
  await app.inject({ method: 'PUT', url: '/api/detections/behavior.program_download/override', headers: admin, payload: { severity: 'critical' } });
  assert.equal((await app.inject({ method: 'PUT', url: '/api/detections/behavior.nope/override', headers: admin, payload: { enabled: false } })).statusCode, 404);
  await sensor.ingestFile(DEMO, 'demo');
  const alerts = store.listAlerts({}, null, 1000).items;
  assert.equal(alerts.filter((a) => a.detection === 'behavior.port_scan').length, 0);
  assert.equal(alerts.find((a) => a.detection === 'behavior.program_download')?.severity, 'critical');
  assert.deepEqual((await app.inject({ url: '/api/detections/overrides', headers: admin })).json(), { 'behavior.port_scan': { enabled: false }, 'behavior.program_download': { severity: 'critical' } });
});

function detected(o: Partial<DetectedAlert> & { id: string; count: number }): DetectedAlert {
  return {
    detection: 'behavior.device_restart',
    title: 'Restart',
    kind: 'behavior',
    severity: 'high',
    confidence: 0.9,
    techniques: ['T0816'],
    tactics: ['Inhibit Response Function'],
    src: { ip: '10.0.0.5', asset: null },
    dst: { ip: '10.0.0.20', asset: 'a-plc' },
    protocol: 'dnp3',
    first_seen: 1000,
    last_seen: 1000,
    evidence: [],
    evidence_dropped: 0,
    facts: {},
    ...o,
  };
}

test('suppression: a maintenance window hides and counts; once it expires the alert shows again and joins an incident', async () => {
  const { store, app, admin } = await setup();
  let now = Date.now() / 1000;
  const triage = new AlertTriage(store, () => now);
  const created = await app.inject({ method: 'POST', url: '/api/suppressions', headers: admin, payload: { detection: 'behavior.device_restart', host: '10.0.0.20', reason: 'maintenance window WO-1234', expires: now + 3600 } });
  assert.equal(created.statusCode, 201, created.body);
  const rule = created.json() as { id: number };
  assert.equal((await app.inject({ method: 'POST', url: '/api/suppressions', headers: admin, payload: { reason: 'no scope' } })).statusCode, 400);

  const first = triage.ingest([detected({ id: 'al_r', count: 3 })], () => null);
  assert.equal(first.suppressed, 1);
  triage.ingest([detected({ id: 'al_r', count: 5 })], () => null);
  assert.equal(store.getAlert('al_r')!.suppressed_by, rule.id);
  assert.equal(store.getAlert('al_r')!.incident, null, 'hidden alerts join no incident');
  assert.deepEqual(store.listAlerts({ suppressed: false }, null, 10).items, []);
  const listed = (await app.inject({ url: '/api/suppressions', headers: admin })).json() as { suppressed: number; active: boolean }[];
  assert.deepEqual([listed[0].suppressed, listed[0].active], [5, true]);

  now += 3601;
  triage.ingest([detected({ id: 'al_r', count: 6 })], () => ({ id: 'a-plc', roles: ['controller'], purdue: 1, criticality: 'high', zone: null, vendor: null, model: null, external: false }));
  const shown = store.getAlert('al_r')!;
  assert.equal(shown.suppressed_by, null);
  assert.ok(shown.incident !== null);
  assert.equal(shown.queue, 'now', 'a restart of a high-criticality level-1 controller');
  assert.equal(store.triage.getSuppression(rule.id)!.suppressed, 5, 'what it hid stays counted');
});

test('suppression made from the queue hides the open alerts it matches at once; an incident all of whose alerts are hidden leaves the lists until one shows again', async () => {
  const { store, app, admin } = await setup();
  const triage = new AlertTriage(store);
  triage.ingest([detected({ id: 'al_restart', count: 1 }), detected({ id: 'al_scan', count: 1, detection: 'behavior.port_scan', title: 'Port scan', severity: 'medium', techniques: ['T0846'], tactics: ['Discovery'] })], () => null);
  const incident = store.getAlert('al_restart')!.incident!;
  assert.equal(store.getAlert('al_scan')!.incident, incident);
  const listed = async () => ((await app.inject({ url: '/api/incidents?open=true', headers: admin })).json() as { items: IncidentRecord[] }).items.map((i) => i.id);
  assert.deepEqual(await listed(), [incident]);

  const later = await app.inject({ method: 'POST', url: '/api/suppressions', headers: admin, payload: { detection: 'behavior.device_restart', reason: 'only what fires later', hide_open: false } });
  assert.equal((later.json() as { hidden_now: number }).hidden_now, 0);
  assert.equal(store.getAlert('al_restart')!.suppressed_by, null);
  await app.inject({ method: 'DELETE', url: `/api/suppressions/${(later.json() as { id: number }).id}`, headers: admin });

  const r1 = await app.inject({ method: 'POST', url: '/api/suppressions', headers: admin, payload: { detection: 'behavior.device_restart', host: '10.0.0.20', reason: 'test bench restarts' } });
  assert.equal(r1.statusCode, 201, r1.body);
  const rule1 = r1.json() as { id: number; hidden_now: number; active: boolean };
  assert.deepEqual([rule1.hidden_now, rule1.active], [1, true]);
  assert.equal(store.getAlert('al_restart')!.suppressed_by, rule1.id);
  assert.equal(store.triage.getIncident(incident)!.title, 'Port scan', 'the incident is described without the hidden alert');
  assert.deepEqual(await listed(), [incident]);

  const r2 = await app.inject({ method: 'POST', url: '/api/suppressions', headers: admin, payload: { host: '10.0.0.5', reason: 'engineering laptop on the bench' } });
  assert.equal((r2.json() as { hidden_now: number }).hidden_now, 1);
  assert.deepEqual(await listed(), [], 'every alert of the incident is hidden');
  const queues = (await app.inject({ url: '/api/triage/queues', headers: admin })).json() as { incidents: Record<string, number>; suppressed: number };
  assert.deepEqual([Object.values(queues.incidents).reduce((a, b) => a + b, 0), queues.suppressed], [0, 2]);

  const off = await app.inject({ method: 'PATCH', url: `/api/suppressions/${rule1.id}`, headers: admin, payload: { enabled: false } });
  assert.deepEqual([(off.json() as { active: boolean }).active, store.getAlert('al_restart')!.suppressed_by], [false, null], 'switched off: what it hid shows at once');
  assert.deepEqual(await listed(), [incident]);
  assert.equal(store.triage.getIncident(incident)!.title, 'Restart');
  const on = await app.inject({ method: 'PATCH', url: `/api/suppressions/${rule1.id}`, headers: admin, payload: { enabled: true } });
  assert.equal((on.json() as { hidden_now: number }).hidden_now, 1);
  assert.deepEqual(await listed(), []);
});

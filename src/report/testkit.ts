// Test stores for the report: a small hand-built one whose every figure is known, and a realistic one (the demo plant
// ingested through a Sensor plus a few hundred synthetic alerts with long hostile titles and host names).
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore } from '../store/sqlite.js';
import { triageAlertOf } from '../store/triage.js';
import { makeAsset } from '../store/testkit.js';
import { REPO_ROOT } from '../common/corpus.js';
import { Sensor } from '../server/sensor.js';
import { AlertTriage } from '../triage/alert-triage.js';
import { TECHNIQUES } from '../detect/attack/index.js';
import type { DetectedAlert } from '../detect/alerts.js';
import type { AlertRecord } from '../store/store.js';

export const DEMO_CAPTURE = [join(process.cwd(), 'demo', 'demo-plant.pcapng'), join(REPO_ROOT, 'demo', 'demo-plant.pcapng')].find((p) => existsSync(p)) ?? null;

export const HOSTILE = '<script>alert(1)</script>';
const DAY = 86400;

/** Sets workflow columns a store sets from the wall clock (raised_at...), through a second connection to its file. */
export function setColumns(store: SqliteStore, table: 'alerts' | 'incidents', id: string, values: Record<string, string | number | null>): void {
  const db = new Database(store.path);
  try {
    const keys = Object.keys(values);
    db.prepare(`UPDATE ${table} SET ${keys.map((k) => `${k} = ?`).join(', ')} WHERE id = ?`).run(...keys.map((k) => values[k]), id);
  } finally {
    db.close();
  }
}

export function tempStore(): { store: SqliteStore; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-report-'));
  return { store: new SqliteStore(join(dir, 'lantern.db')), dir };
}

/** The end of the hand-built store's period: it covers [T - 7 days, T). */
export const T = 1_800_000_000;

/**
 * Four alerts raised in the week (one hidden by a suppression rule), one before it; four incidents, three opened in
 * the week (two reaching stage 2), one opened before and resolved in it; two assets; one counters snapshot.
 */
export function handBuiltStore(): { store: SqliteStore; dir: string } {
  const { store, dir } = tempStore();
  store.putAssets([
    makeAsset(1, { id: 'a-plc', ips: ['10.0.0.20'], names: [{ name: 'PLC-1', source: 'test', confidence: 1, first_seen: 0, last_seen: 0 }], role: 'controller', purdue_level: 1, criticality: 'high' }),
    makeAsset(2, { id: 'a-hmi', ips: ['10.0.0.10'], names: [{ name: 'HMI-1', source: 'test', confidence: 1, first_seen: 0, last_seen: 0 }], role: 'hmi_scada', purdue_level: 2, criticality: 'medium' }),
  ]);
  const alert = (id: string, o: Partial<AlertRecord> & { techniques: string[] }): AlertRecord => {
    const { techniques, ...rest } = o;
    return {
      id,
      detection: 'behavior.program_download',
      severity: 'high',
      status: 'new',
      title: `Alert ${id}`,
      assets: ['a-plc'],
      first_seen: T - 30 * DAY,
      last_seen: T - 30 * DAY,
      count: 1,
      assignee: null,
      details: { techniques, src: { ip: '10.0.0.5', asset: null }, dst: { ip: '10.0.0.20', asset: 'a-plc' } },
      score: 50,
      queue: 'next',
      ...rest,
    };
  };
  const rule = store.triage.addSuppression({ detection: 'behavior.port_scan', host: null, asset: null, reason: 'scanner', expires: null, created_by: 'test', created: T - 9 * DAY });
  const alerts = [
    alert('a1', { severity: 'critical', status: 'resolved', techniques: ['T0843'], raised_at: T - 6 * DAY, acknowledged_at: T - 6 * DAY + 600, resolved_at: T - 6 * DAY + 3600 }),
    alert('a2', { severity: 'high', status: 'investigating', techniques: ['T0846'], raised_at: T - 5 * DAY, acknowledged_at: T - 5 * DAY + 1200 }),
    alert('a3', { severity: 'medium', techniques: ['T0843'], assets: ['a-plc', 'a-hmi'], raised_at: T - DAY }),
    alert('a4', { severity: 'low', status: 'resolved', techniques: ['T0846'], raised_at: T - 10 * DAY, acknowledged_at: T - 9 * DAY, resolved_at: T - 3 * DAY }),
    alert('a5', { severity: 'high', detection: 'behavior.port_scan', techniques: ['T0846'], raised_at: T - 2 * DAY, suppressed_by: rule }),
    alert('a6', { severity: 'high', detection: 'behavior.port_scan', techniques: ['T0846'], raised_at: T - 20 * DAY, suppressed_by: rule }),
  ];
  for (const a of alerts) store.putAlert(a);
  const incidents: [string, string, Record<string, string | number | null>][] = [
    ['in_1', 'a1', { score: 90, queue: 'now', status: 'resolved', raised_at: T - 6 * DAY, acknowledged_at: T - 6 * DAY + 600, resolved_at: T - 6 * DAY + 7200 }],
    ['in_2', 'a2', { score: 50, queue: 'next', status: 'investigating', raised_at: T - 5 * DAY, acknowledged_at: T - 5 * DAY + 1200, resolved_at: null }],
    ['in_3', 'a3', { score: 75, queue: 'now', status: 'new', raised_at: T - DAY, acknowledged_at: null, resolved_at: null }],
    ['in_4', 'a4', { score: 95, queue: 'now', status: 'resolved', raised_at: T - 10 * DAY, acknowledged_at: T - 9 * DAY, resolved_at: T - 3 * DAY }],
  ];
  for (const [id, alertId, columns] of incidents) {
    store.triage.create(id, triageAlertOf(store.getAlert(alertId)!));
    store.triage.describe(id);
    setColumns(store, 'incidents', id, columns);
  }
  store.putCounters(T - 100, {
    frames: 1000,
    inputs: [{ path: 'a.pcap' }, { path: 'b.pcap', error: { code: 'capture.bad_magic', message: 'not a capture' } }],
    anomaly_total: 7,
    live: [{ frames: 50, anomalies: 1, state: 'failed' }],
  });
  return { store, dir };
}

/** A few hundred alerts meant to strain one page: 300-character hostile titles, many hosts, every tactic. */
export function syntheticAlerts(n: number, now: number): DetectedAlert[] {
  const out: DetectedAlert[] = [];
  const severities = ['low', 'medium', 'high', 'critical'] as const;
  for (let i = 0; i < n; i++) {
    const group = i % 40;
    out.push({
      id: `al_syn_${i}`,
      detection: 'behavior.program_download',
      title: `${HOSTILE}\u202e ${'"Write to <b>coil</b> & \'register\' '.repeat(8)}${'X'.repeat(i % 3 === 0 ? 200 : 0)} #${i}`,
      kind: 'behavior',
      severity: severities[i % 4],
      confidence: 0.5 + (i % 5) / 10,
      techniques: [TECHNIQUES[i % TECHNIQUES.length].id, TECHNIQUES[(i * 7) % TECHNIQUES.length].id],
      tactics: [],
      // Alerts of a group share their acting host, so incidents gather many targets.
      src: { ip: `10.66.${group}.1`, asset: null },
      dst: { ip: `10.77.${group}.${1 + (i % 200)}`, asset: `ip:10.77.${group}.${1 + (i % 200)}` },
      protocol: 'modbus',
      first_seen: now - 3 * DAY + group * 7200 + (i % 7) * 60,
      last_seen: now - 3 * DAY + group * 7200 + (i % 7) * 60 + 30,
      count: 1 + (i % 9),
      evidence: [],
      evidence_dropped: 0,
      facts: {},
    });
  }
  return out;
}

/**
 * The demo plant through a Sensor (when the capture is there), then `n` synthetic alerts through the triage, their
 * targets as assets with hostile names, and workflow stamps spread over the last week.
 */
export async function realisticStore(n = 300): Promise<{ store: SqliteStore; dir: string; sensor: Sensor }> {
  const { store, dir } = tempStore();
  const sensor = new Sensor(store);
  if (DEMO_CAPTURE !== null) await sensor.ingestFile(DEMO_CAPTURE, 'demo-plant.pcapng');
  sensor.flush();
  const now = Date.now() / 1000;
  const alerts = syntheticAlerts(n, now);
  const assets = new Map<string, number>();
  for (const a of alerts) if (a.dst?.asset) assets.set(a.dst.asset, assets.size);
  store.putAssets(
    [...assets].map(([id, i]) =>
      makeAsset(i, {
        id,
        ips: [id.slice(3)],
        names: [{ name: `${HOSTILE}${'<img src=x onerror=alert(2)>'.repeat(3)}-${i}`, source: 'test', confidence: 1, first_seen: 0, last_seen: 0 }],
        role: 'controller',
        purdue_level: 1,
        criticality: 'high',
      }),
    ),
  );
  new AlertTriage(store).ingest(alerts, () => ({ id: 'x', roles: ['controller'], purdue: 1, criticality: 'high', zone: null, vendor: null, model: null, external: false }));
  const statuses = ['new', 'acknowledged', 'investigating', 'resolved', 'false_positive'] as const;
  for (let i = 0; i < alerts.length; i++) {
    const raised = now - 6 * DAY + i * 1500;
    const status = statuses[i % statuses.length];
    const acked = status === 'new' ? null : raised + 60 * (1 + (i % 90));
    const resolved = status === 'resolved' || status === 'false_positive' ? raised + 600 * (1 + (i % 40)) : null;
    setColumns(store, 'alerts', alerts[i].id, { status, raised_at: raised, acknowledged_at: acked, resolved_at: resolved });
  }
  return { store, dir, sensor };
}

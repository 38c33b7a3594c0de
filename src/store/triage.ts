// The triage tables of the SQLite store (migrations 3 and 4): incidents, their hosts and the link keys that relate
// alerts to them, suppression rules with the count of what they hid, and the dwell-time figures read off the alerts'
// workflow stamps.
import { ALERT_SEVERITIES, ALERT_STATUSES } from '../common/vocabulary.js';
import { describeIncident, hostsOf, MAX_INCIDENT_ALERTS, offeredKeys, type IncidentIndex, type IncidentState, type TriageAlert } from '../triage/incidents.js';
import type { Queue, ScoreFactor } from '../triage/score.js';
import { OPEN_STATUSES_SQL, cond, decodeCursor, jsonOrThrow, type Queries, num, page, pageLimit, whereSql, type Param, type Row } from './sql.js';
import { StoreError, type AlertRecord, type Page, type PlaybookChecks } from './store.js';

export interface IncidentRecord {
  id: string;
  title: string;
  summary: string;
  status: (typeof ALERT_STATUSES)[number];
  assignee: string | null;
  severity: (typeof ALERT_SEVERITIES)[number];
  score: number;
  queue: Queue;
  score_factors: ScoreFactor[];
  /** Tactic ids reached, in kill-chain order. */
  tactics: string[];
  hosts: string[];
  first_seen: number;
  last_seen: number;
  alerts: number;
  raised_at: number;
  acknowledged_at: number | null;
  resolved_at: number | null;
  playbook: PlaybookChecks | null;
}

export interface IncidentFilter {
  status?: IncidentRecord['status'];
  open?: boolean;
  queue?: Queue;
  host?: string;
}

export type IncidentPatch = Partial<Pick<IncidentRecord, 'status' | 'assignee' | 'playbook'>>;

export interface SuppressionRule {
  id: number;
  /** What it hides: a detection id, a host (either end), an asset id; at least one. */
  detection: string | null;
  host: string | null;
  asset: string | null;
  reason: string;
  created: number;
  created_by: string | null;
  /** Wall-clock seconds after which it stops hiding (a maintenance window); null: until removed. */
  expires: number | null;
  enabled: boolean;
  /** Findings it hid, and when it last did. */
  suppressed: number;
  last_suppressed: number | null;
}

export type NewSuppression = Pick<SuppressionRule, 'detection' | 'host' | 'asset' | 'reason' | 'expires'> & { created_by: string | null; created: number };

export interface DwellRow {
  severity: string;
  first_seen: number;
  raised_at: number | null;
  acknowledged_at: number | null;
  resolved_at: number | null;
}

/** Incidents whose alerts are looked at when one is described again (its newest ones). */
const DESCRIBE_ALERTS = MAX_INCIDENT_ALERTS;
const CLOSED: readonly string[] = ['resolved', 'false_positive', 'learned'];
/** An incident is listed while one of its alerts is not suppressed. */
const VISIBLE = 'EXISTS (SELECT 1 FROM alerts a WHERE a.incident = incidents.id AND a.suppressed_by IS NULL)';

export class TriageTables implements IncidentIndex {
  /** The store's prepared statements. */
  constructor(private readonly queries: Queries) {}

  // IncidentIndex: the grouping of src/triage/incidents.ts over the incidents, incident_hosts and incident_links tables.

  candidates(keys: readonly string[], from: number, to: number): IncidentState[] {
    if (keys.length === 0) return [];
    const rows = this.queries.all(
      `SELECT DISTINCT i.id, i.first_seen, i.last_seen, i.alerts FROM incident_links l JOIN incidents i ON i.id = l.incident
       WHERE l.key IN (${keys.map(() => '?').join(', ')}) AND i.status IN (${OPEN_STATUSES_SQL}) AND i.alerts < ? AND i.last_seen >= ? AND i.first_seen <= ?`,
      [...keys, MAX_INCIDENT_ALERTS, from, to],
    );
    return rows.map((r) => ({ id: r.id as string, first_seen: r.first_seen as number, last_seen: r.last_seen as number, alerts: r.alerts as number }));
  }

  create(id: string, a: TriageAlert): IncidentState {
    const now = Date.now() / 1000;
    this.queries.run(
      `INSERT OR REPLACE INTO incidents (id, title, summary, status, assignee, severity, score, queue, score_factors, tactics, hosts, first_seen, last_seen, alerts, raised_at)
       VALUES (?, ?, '', 'new', NULL, ?, ?, 'later', '[]', '[]', '[]', ?, ?, 0, ?)`,
      [id, a.title, a.severity, a.score, a.first_seen, a.last_seen, now],
    );
    const state = { id, first_seen: a.first_seen, last_seen: a.last_seen, alerts: 0 };
    this.join(state, a);
    return state;
  }

  join(incident: IncidentState, a: TriageAlert): void {
    this.queries.run('UPDATE alerts SET incident = ? WHERE id = ?', [incident.id, a.id]);
    for (const h of hostsOf(a)) this.queries.run('INSERT OR IGNORE INTO incident_hosts (host, incident) VALUES (?, ?)', [h, incident.id]);
    for (const k of offeredKeys(a)) this.queries.run('INSERT OR IGNORE INTO incident_links (key, incident) VALUES (?, ?)', [k, incident.id]);
    incident.alerts++;
    incident.first_seen = Math.min(incident.first_seen, a.first_seen);
    incident.last_seen = Math.max(incident.last_seen, a.last_seen);
    this.queries.run('UPDATE incidents SET alerts = ?, first_seen = ?, last_seen = ? WHERE id = ?', [incident.alerts, incident.first_seen, incident.last_seen, incident.id]);
  }

  merge(into: IncidentState, others: readonly IncidentState[]): void {
    for (const o of others) {
      this.queries.run('UPDATE alerts SET incident = ? WHERE incident = ?', [into.id, o.id]);
      this.queries.run('INSERT OR IGNORE INTO incident_hosts (host, incident) SELECT host, ? FROM incident_hosts WHERE incident = ?', [into.id, o.id]);
      this.queries.run('DELETE FROM incident_hosts WHERE incident = ?', [o.id]);
      this.queries.run('INSERT OR IGNORE INTO incident_links (key, incident) SELECT key, ? FROM incident_links WHERE incident = ?', [into.id, o.id]);
      this.queries.run('DELETE FROM incident_links WHERE incident = ?', [o.id]);
      this.queries.run('DELETE FROM incidents WHERE id = ?', [o.id]);
      into.alerts += o.alerts;
      into.first_seen = Math.min(into.first_seen, o.first_seen);
      into.last_seen = Math.max(into.last_seen, o.last_seen);
    }
    this.queries.run('UPDATE incidents SET alerts = ?, first_seen = ?, last_seen = ? WHERE id = ?', [into.alerts, into.first_seen, into.last_seen, into.id]);
  }

  /** Writes an incident's title, summary, score and progression again from its alerts. */
  describe(id: string): void {
    // Suppressed alerts stay members but do not describe it; an incident all of whose alerts are hidden keeps its
    // last description and leaves the lists (VISIBLE).
    const rows = this.queries.all('SELECT * FROM alerts WHERE incident = ? AND suppressed_by IS NULL ORDER BY first_seen DESC LIMIT ?', [id, DESCRIBE_ALERTS]);
    if (rows.length === 0) return;
    const v = describeIncident(rows.map(triageAlertOf));
    const count = (this.queries.get('SELECT count(*) AS n FROM alerts WHERE incident = ?', [id])!.n as number) ?? rows.length;
    this.queries.run('UPDATE incidents SET title = ?, summary = ?, severity = ?, score = ?, queue = ?, score_factors = ?, tactics = ?, hosts = ?, first_seen = ?, last_seen = ?, alerts = ? WHERE id = ?', [
      v.title,
      v.summary,
      v.severity,
      v.score,
      v.queue,
      jsonOrThrow(v.score_factors),
      jsonOrThrow(v.tactics),
      jsonOrThrow(v.hosts),
      v.first_seen,
      v.last_seen,
      count,
      id,
    ]);
  }

  getIncident(id: string): IncidentRecord | null {
    const r = this.queries.get('SELECT * FROM incidents WHERE id = ?', [id]);
    return r === undefined ? null : incidentOf(r);
  }

  listIncidents(filter: IncidentFilter, cursor?: string | null, limit?: number): Page<IncidentRecord> {
    const n = pageLimit(limit);
    const where: string[] = [VISIBLE];
    const params: Param[] = [];
    if (filter.status !== undefined) cond(where, params, 'status = ?', filter.status);
    if (filter.open === true) where.push(`status IN (${OPEN_STATUSES_SQL})`);
    if (filter.queue !== undefined) cond(where, params, 'queue = ?', filter.queue);
    if (filter.host !== undefined) cond(where, params, 'id IN (SELECT incident FROM incident_hosts WHERE host = ?)', filter.host);
    if (cursor) {
      const [score, id] = decodeCursor(cursor, 'string');
      cond(where, params, '(score, id) < (?, ?)', score, id);
    }
    const rows = this.queries.all(`SELECT * FROM incidents ${whereSql(where)} ORDER BY score DESC, id DESC LIMIT ?`, [...params, n + 1]);
    return page(rows, n, incidentOf, (r) => [r.score as number, r.id as string]);
  }

  countIncidentsBy(field: 'status' | 'queue', open = false): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.queries.all(`SELECT ${field === 'status' ? 'status' : 'queue'} AS k, count(*) AS n FROM incidents WHERE ${VISIBLE} ${open ? `AND status IN (${OPEN_STATUSES_SQL})` : ''} GROUP BY k`, [])) out[String(r.k)] = r.n as number;
    return out;
  }

  /** Applies a patch (with the dwell-time stamps a status change sets); false for an unknown id. */
  updateIncident(id: string, patch: IncidentPatch): boolean {
    const sets: string[] = [];
    const params: Param[] = [];
    if (patch.status !== undefined) {
      if (!(ALERT_STATUSES as readonly string[]).includes(patch.status)) throw new StoreError('store.invalid_record', `status: "${String(patch.status)}" is not one of ${ALERT_STATUSES.join(', ')}`);
      cond(sets, params, 'status = ?', patch.status);
      const now = Date.now() / 1000;
      if (patch.status !== 'new') cond(sets, params, 'acknowledged_at = coalesce(acknowledged_at, ?)', now);
      if (CLOSED.includes(patch.status)) cond(sets, params, 'resolved_at = coalesce(resolved_at, ?)', now);
      else sets.push('resolved_at = NULL');
    }
    if (patch.assignee !== undefined) cond(sets, params, 'assignee = ?', patch.assignee);
    if (patch.playbook !== undefined) cond(sets, params, 'playbook = ?', patch.playbook === null ? null : jsonOrThrow(patch.playbook));
    if (sets.length === 0) return this.getIncident(id) !== null;
    return this.queries.run(`UPDATE incidents SET ${sets.join(', ')} WHERE id = ?`, [...params, id]).changes > 0;
  }

  /** Ids of the incident's alerts still open (for a status change that carries to them). */
  openAlertsOf(id: string): string[] {
    return this.queries.all(`SELECT id FROM alerts WHERE incident = ? AND status IN (${OPEN_STATUSES_SQL})`, [id]).map((r) => r.id as string);
  }

  // Suppression rules.

  listSuppressions(): SuppressionRule[] {
    return this.queries.all('SELECT * FROM suppressions ORDER BY id', []).map(suppressionOf);
  }

  getSuppression(id: number): SuppressionRule | null {
    const r = this.queries.get('SELECT * FROM suppressions WHERE id = ?', [id]);
    return r === undefined ? null : suppressionOf(r);
  }

  addSuppression(s: NewSuppression): number {
    if (s.detection === null && s.host === null && s.asset === null) throw new StoreError('store.invalid_record', 'a suppression names a detection, a host or an asset');
    if (s.expires !== null) num(s.expires, 'expires');
    return Number(
      this.queries.run('INSERT INTO suppressions (detection, host, asset, reason, created, created_by, expires) VALUES (?, ?, ?, ?, ?, ?, ?)', [s.detection, s.host, s.asset, s.reason, num(s.created, 'created'), s.created_by, s.expires])
        .lastInsertRowid,
    );
  }

  updateSuppression(id: number, patch: Partial<Pick<SuppressionRule, 'reason' | 'expires' | 'enabled'>>): boolean {
    const sets: string[] = [];
    const params: Param[] = [];
    if (patch.reason !== undefined) cond(sets, params, 'reason = ?', patch.reason);
    if (patch.expires !== undefined) cond(sets, params, 'expires = ?', patch.expires === null ? null : num(patch.expires, 'expires'));
    if (patch.enabled !== undefined) cond(sets, params, 'enabled = ?', patch.enabled ? 1 : 0);
    if (sets.length === 0) return this.getSuppression(id) !== null;
    return this.queries.run(`UPDATE suppressions SET ${sets.join(', ')} WHERE id = ?`, [...params, id]).changes > 0;
  }

  /** Removes a rule; the alerts it hid show again. */
  deleteSuppression(id: number): boolean {
    const ok = this.queries.run('DELETE FROM suppressions WHERE id = ?', [id]).changes > 0;
    if (ok) this.release('suppressed_by = ?', [id]);
    return ok;
  }

  /**
   * Hides at once the open alerts a rule matches that no rule hides yet (a rule made from the queue, or switched on
   * again); their incidents are described again without them. Returns how many alerts it hid. Findings already
   * shown are not added to the rule's count, which counts what it keeps from the queues from now on.
   */
  suppressOpen(rule: SuppressionRule): number {
    const where = ['suppressed_by IS NULL', `status IN (${OPEN_STATUSES_SQL})`];
    const params: Param[] = [];
    if (rule.detection !== null) cond(where, params, 'detection = ?', rule.detection);
    if (rule.host !== null) cond(where, params, "(json_extract(details, '$.src.ip') = ? OR json_extract(details, '$.dst.ip') = ?)", rule.host, rule.host);
    if (rule.asset !== null) cond(where, params, 'id IN (SELECT alert FROM alert_assets WHERE asset = ?)', rule.asset);
    const incidents = this.queries.all(`SELECT DISTINCT incident FROM alerts ${whereSql(where)} AND incident IS NOT NULL`, params).map((r) => r.incident as string);
    const hidden = this.queries.run(`UPDATE alerts SET suppressed_by = ? ${whereSql(where)}`, [rule.id, ...params]).changes;
    for (const i of incidents) this.describe(i);
    return hidden;
  }

  countSuppressed(id: number, findings: number, ts: number): void {
    this.queries.run('UPDATE suppressions SET suppressed = suppressed + ?, last_suppressed = ? WHERE id = ?', [findings, ts, id]);
  }

  /** Alerts a rule that stopped hiding (expired, disabled) hid: they show again. */
  releaseSuppressed(activeIds: readonly number[]): number {
    const keep = activeIds.length === 0 ? '' : `AND suppressed_by NOT IN (${activeIds.map(() => '?').join(', ')})`;
    return this.release(`suppressed_by IS NOT NULL ${keep}`, [...activeIds]);
  }

  /** Shows the alerts the condition names again, and describes their incidents again with them. */
  private release(condition: string, params: Param[]): number {
    const incidents = this.queries.all(`SELECT DISTINCT incident FROM alerts WHERE ${condition} AND incident IS NOT NULL`, params).map((r) => r.incident as string);
    const shown = this.queries.run(`UPDATE alerts SET suppressed_by = NULL WHERE ${condition}`, params).changes;
    for (const i of incidents) this.describe(i);
    return shown;
  }

  // Dwell time.

  /** The workflow stamps of alerts raised in [from, to) (wall-clock seconds). */
  dwellRows(from: number, to: number): DwellRow[] {
    return this.queries.all('SELECT severity, first_seen, raised_at, acknowledged_at, resolved_at FROM alerts WHERE raised_at >= ? AND raised_at < ? AND suppressed_by IS NULL', [
      num(from, 'from'),
      num(to, 'to'),
    ]) as unknown as DwellRow[];
  }
}

/** A stored alert as the incident grouping reads it. */
export function triageAlertOf(r: Row | AlertRecord): TriageAlert {
  const details = typeof r.details === 'string' ? (JSON.parse(r.details) as Record<string, unknown>) : (r.details as Record<string, unknown>);
  const ip = (e: unknown): string | null => (typeof e === 'object' && e !== null && typeof (e as { ip?: unknown }).ip === 'string' ? (e as { ip: string }).ip : null);
  return {
    id: r.id as string,
    detection: r.detection as string,
    title: r.title as string,
    severity: r.severity as TriageAlert['severity'],
    score: (r.score as number | undefined) ?? 0,
    techniques: Array.isArray(details.techniques) ? (details.techniques as string[]) : [],
    src: ip(details.src),
    dst: ip(details.dst),
    first_seen: r.first_seen as number,
    last_seen: r.last_seen as number,
    count: r.count as number,
  };
}

function incidentOf(r: Row): IncidentRecord {
  return {
    id: r.id as string,
    title: r.title as string,
    summary: r.summary as string,
    status: r.status as IncidentRecord['status'],
    assignee: r.assignee as string | null,
    severity: r.severity as IncidentRecord['severity'],
    score: r.score as number,
    queue: r.queue as Queue,
    score_factors: JSON.parse(r.score_factors as string) as ScoreFactor[],
    tactics: JSON.parse(r.tactics as string) as string[],
    hosts: JSON.parse(r.hosts as string) as string[],
    first_seen: r.first_seen as number,
    last_seen: r.last_seen as number,
    alerts: r.alerts as number,
    raised_at: r.raised_at as number,
    acknowledged_at: r.acknowledged_at as number | null,
    resolved_at: r.resolved_at as number | null,
    playbook: r.playbook === null ? null : (JSON.parse(r.playbook as string) as PlaybookChecks),
  };
}

function suppressionOf(r: Row): SuppressionRule {
  return {
    id: r.id as number,
    detection: r.detection as string | null,
    host: r.host as string | null,
    asset: r.asset as string | null,
    reason: r.reason as string,
    created: r.created as number,
    created_by: r.created_by as string | null,
    expires: r.expires as number | null,
    enabled: r.enabled === 1,
    suppressed: r.suppressed as number,
    last_suppressed: r.last_suppressed as number | null,
  };
}

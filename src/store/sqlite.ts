// The embedded store: one SQLite file through better-sqlite3 (docs/decisions/0008-embedded-store.md). WAL journal,
// one transaction per batch, prepared statements cached by their SQL, keyset paging on (sort key, id).
import { chmodSync, existsSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { AnomalyCounter } from '../common/anomaly.js';
import type { AssetRecord, ConnectionRecord } from '../inventory/snapshot.js';
import type { HintRecord } from '../pipeline/events.js';
import { STORE_ANOMALIES } from './anomalies.js';
import { migrate, MIGRATIONS, type Migration } from './migrations.js';
import { TriageTables } from './triage.js';
import { OPEN_STATUSES_SQL, Queries, cond, decodeCursor, jsonOrThrow, num, page, pageLimit, toJson, whereSql, type Param, type Row } from './sql.js';
import {
  ALERT_SEVERITIES,
  ALERT_STATUSES,
  MAX_HISTOGRAM_BUCKETS,
  MAX_PAGE_LIMIT,
  SEVERITY_WEIGHT,
  type AlertedAsset,
  type HistogramBin,
  StoreError,
  type AlertCountField,
  type AlertFilter,
  type AlertPatch,
  type AlertRecord,
  type AlertComment,
  type ApiTokenRecord,
  type AssetQuery,
  type AuditRecord,
  type ConnectionQuery,
  type EventFilter,
  type EventQuery,
  type EventRecord,
  type Page,
  type RetentionPolicy,
  type RetentionResult,
  type SessionRecord,
  type Store,
  type StoreStats,
  type StoredAudit,
  type StoredConnection,
  type StoredEvent,
  type StoredHint,
  type UserRecord,
  type WriteResult,
} from './store.js';

export interface SqliteStoreOptions {
  /**
   * `full` (default): an fsync per commit, so a committed batch survives a crash of the process (kill -9) and a
   * power loss. `normal`: the WAL is synced at checkpoints only; a process crash loses nothing committed, a power
   * loss may take back the last batches. The store is never corrupt either way (decision 0008).
   */
  synchronous?: 'normal' | 'full';
  /** Page cache, MiB (default 64). */
  cacheMiB?: number;
  /** For tests: the migrations to apply instead of Lantern's own. */
  migrations?: readonly Migration[];
}

const MAX_CACHED_STATEMENTS = 256;
/** Hours one statement of an asset's event list or count seeks (an IN list on the index's leading column). */
const MAX_HOURS_PER_STATEMENT = 256;
/** Rows deleted per statement by retention, so one pass never holds a huge transaction. */
const RETENTION_CHUNK = 50_000;
/** Passes retention makes before it gives up approaching maxBytes. */
const MAX_RETENTION_PASSES = 64;
const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+$/;
const COUNTED_TABLES = ['events', 'hints', 'assets', 'connections', 'counters', 'alerts', 'alert_comments', 'users', 'sessions', 'api_tokens', 'audit', 'settings'];
const ALERT_COUNT_FIELDS: readonly AlertCountField[] = ['status', 'severity', 'detection', 'assignee', 'queue'];


export class SqliteStore implements Store {
  readonly anomalies = new AnomalyCounter();
  private readonly db: Database.Database;
  private readonly queries: Queries;
  private readonly insertEvents: (records: readonly EventRecord[], result: WriteResult) => void;
  private readonly insertHints: (records: readonly HintRecord[], result: WriteResult) => void;
  private readonly upsertAssets: (records: readonly AssetRecord[], result: WriteResult) => void;
  private readonly upsertConnections: (records: readonly ConnectionRecord[], result: WriteResult) => void;
  /** Incidents, suppression rules and dwell time (src/store/triage.ts). */
  readonly triage: TriageTables;

  constructor(
    readonly path: string,
    options: SqliteStoreOptions = {},
  ) {
    const fresh = path !== ':memory:' && path !== '' && !existsSync(path);
    this.db = new Database(path);
    try {
      // The store holds password and token hashes, notification secrets and what the plant said: a new one is
      // readable by its owner only (SQLite gives its WAL and shared-memory files the same mode).
      if (fresh) chmodSync(path, 0o600);
      // Both take effect only before the first table. 16 KiB pages ingest ~20% faster than 4 KiB (bench/store.ts);
      // incremental auto-vacuum lets retention hand freed pages back to the file system.
      this.db.pragma('page_size = 16384');
      this.db.pragma('auto_vacuum = INCREMENTAL');
      this.db.pragma('journal_mode = WAL');
      this.db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
      this.db.pragma('foreign_keys = ON');
      this.db.pragma(`cache_size = ${-1024 * Math.max(1, Math.floor(options.cacheMiB ?? 64))}`);
      this.db.pragma('busy_timeout = 5000');
      migrate(this.db, options.migrations ?? MIGRATIONS);
    } catch (e) {
      this.db.close();
      throw e;
    }
    this.queries = new Queries(this.db, MAX_CACHED_STATEMENTS);
    this.triage = new TriageTables(this.queries);

    const ev = this.db.prepare(
      'INSERT INTO events (ts, hour, protocol, type, flow, client_ip, server_ip, operation, access, outcome, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const hourly = this.db.prepare(
      'INSERT INTO event_hours (hour, protocol, access, outcome, type, n) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET n = n + excluded.n',
    );
    const ipHourly = this.db.prepare(
      'INSERT INTO event_ip_hours (ip, hour, protocol, access, outcome, type, n) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET n = n + excluded.n',
    );
    this.insertEvents = this.db.transaction((records: readonly EventRecord[], result: WriteResult) => {
      const perHour = new Map<string, number>();
      const perIpHour = new Map<string, number>();
      for (let i = 0; i < records.length; i++) {
        const r = records[i];
        const bad = checkEvent(r);
        const json = bad === null ? toJson(r) : null;
        if (bad !== null || json === null) {
          this.reject(result, i, bad ?? 'not serialisable as JSON');
          continue;
        }
        ev.run(r.ts, hourOf(r.ts), r.protocol, r.type, r.flow, r.client.ip, r.server.ip, r.operation.name, r.operation.access, r.outcome, json);
        const k = `${hourOf(r.ts)}\t${r.protocol}\t${r.operation.access}\t${r.outcome}\t${r.type}`;
        perHour.set(k, (perHour.get(k) ?? 0) + 1);
        const kc = `${r.client.ip}\t${k}`;
        perIpHour.set(kc, (perIpHour.get(kc) ?? 0) + 1);
        if (r.server.ip !== r.client.ip) {
          const ks = `${r.server.ip}\t${k}`;
          perIpHour.set(ks, (perIpHour.get(ks) ?? 0) + 1);
        }
        result.written++;
      }
      for (const [k, n] of perIpHour) {
        const [ip, hour, protocol, access, outcome, type] = k.split('\t');
        ipHourly.run(ip, Number(hour), protocol, access, outcome, type, n);
      }
      for (const [k, n] of perHour) {
        const [hour, protocol, access, outcome, type] = k.split('\t');
        hourly.run(Number(hour), protocol, access, outcome, type, n);
      }
    });

    const hint = this.db.prepare('INSERT INTO hints (ts, protocol, client_ip, server_ip, record) VALUES (?, ?, ?, ?, ?)');
    this.insertHints = this.db.transaction((records: readonly HintRecord[], result: WriteResult) => {
      for (let i = 0; i < records.length; i++) {
        const r = records[i];
        const bad = checkBase(r);
        const json = bad === null ? toJson(r) : null;
        if (bad !== null || json === null) {
          this.reject(result, i, bad ?? 'not serialisable as JSON');
          continue;
        }
        hint.run(r.ts, r.protocol, r.client.ip, r.server.ip, json);
        result.written++;
      }
    });

    const asset = this.db.prepare(
      'INSERT OR REPLACE INTO assets (id, first_seen, last_seen, role, external, record) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const clearIps = this.db.prepare('DELETE FROM asset_ips WHERE asset = ?');
    const addIp = this.db.prepare('INSERT OR IGNORE INTO asset_ips (asset, ip) VALUES (?, ?)');
    const clearProtocols = this.db.prepare('DELETE FROM asset_protocols WHERE asset = ?');
    const addProtocol = this.db.prepare('INSERT OR IGNORE INTO asset_protocols (asset, protocol) VALUES (?, ?)');
    this.upsertAssets = this.db.transaction((records: readonly AssetRecord[], result: WriteResult) => {
      for (let i = 0; i < records.length; i++) {
        const r = records[i];
        const bad = checkAsset(r);
        const json = bad === null ? toJson(r) : null;
        if (bad !== null || json === null) {
          this.reject(result, i, bad ?? 'not serialisable as JSON');
          continue;
        }
        asset.run(r.id, r.first_seen, r.last_seen, r.role, r.external ? 1 : 0, json);
        clearIps.run(r.id);
        for (const ip of r.ips) addIp.run(r.id, ip);
        clearProtocols.run(r.id);
        for (const p of r.protocols ?? []) addProtocol.run(r.id, p.protocol);
        result.written++;
      }
    });

    const conn = this.db.prepare(
      'INSERT OR REPLACE INTO connections (key, client_ip, server_ip, protocol, last_seen, record) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.upsertConnections = this.db.transaction((records: readonly ConnectionRecord[], result: WriteResult) => {
      for (let i = 0; i < records.length; i++) {
        const r = records[i];
        const bad = checkConnection(r);
        const json = bad === null ? toJson(r) : null;
        if (bad !== null || json === null) {
          this.reject(result, i, bad ?? 'not serialisable as JSON');
          continue;
        }
        conn.run(connectionKey(r), r.client.ip, r.server.ip, r.protocol, r.last_seen, json);
        result.written++;
      }
    });
  }

  putAssets(records: readonly AssetRecord[]): WriteResult {
    return this.write(this.upsertAssets, records);
  }

  putConnections(records: readonly ConnectionRecord[]): WriteResult {
    return this.write(this.upsertConnections, records);
  }

  appendEvents(records: readonly EventRecord[]): WriteResult {
    return this.write(this.insertEvents, records);
  }

  appendHints(records: readonly HintRecord[]): WriteResult {
    return this.write(this.insertHints, records);
  }

  queryEvents(query: EventQuery): Page<StoredEvent> {
    const limit = pageLimit(query.limit);
    const after = query.cursor ? decodeCursor(query.cursor, 'number') : null;
    let rows: Row[];
    if (query.asset === undefined) {
      const w = eventWhere(query, after);
      rows = this.all(`SELECT id, ts, record FROM events ${w.sql} ORDER BY ts DESC, id DESC LIMIT ?`, [...w.params, limit + 1]);
    } else {
      // Newest hours first, a growing run of hours per statement, until the page is full.
      rows = [];
      const all = this.eventHours(this.hourSpan(query, after));
      let at = 0;
      for (let run = 1; at < all.length && rows.length <= limit; run = Math.min(run * 2, MAX_HOURS_PER_STATEMENT)) {
        const hours = all.slice(at, at + run);
        at += run;
        const { sql, params } = assetSelect(query, after, hours, limit + 1 - rows.length);
        for (const r of this.all(sql, params)) rows.push(r);
      }
    }
    return page(rows, limit, (r) => ({ id: r.id as number, record: JSON.parse(r.record as string) as EventRecord }), (r) => [r.ts as number, r.id as number]);
  }

  countEvents(filter: EventFilter): number {
    if (filter.asset === undefined) {
      if (hourlyFilter(filter)) return this.countByHours(filter);
      const w = eventWhere(filter, null);
      return (this.get(`SELECT count(*) AS n FROM events ${w.sql}`, w.params) as { n: number }).n;
    }
    if (hourlyFilter({ ...filter, asset: undefined })) return this.countByHours(filter);
    return this.countAssetEvents(filter);
  }

  /** One asset's events counted from the events: each side on its own index, hour by hour (an OR would scan). */
  private countAssetEvents(filter: EventFilter): number {
    const all = this.eventHours(this.hourSpan(filter, null));
    let n = 0;
    for (let i = 0; i < all.length; i += MAX_HOURS_PER_STATEMENT) {
      const hours = all.slice(i, i + MAX_HOURS_PER_STATEMENT);
      for (const side of ['client', 'server'] as const) {
        const w = eventWhere(filter, null, side, hours);
        n += (this.get(`SELECT count(*) AS n FROM events ${w.sql}`, w.params) as { n: number }).n;
      }
    }
    return n;
  }

  queryHints(query: { from?: number; to?: number; protocol?: string; asset?: string; cursor?: string | null; limit?: number }): Page<StoredHint> {
    const limit = pageLimit(query.limit);
    const where: string[] = [];
    const params: Param[] = [];
    if (query.from !== undefined) cond(where, params, 'ts >= ?', num(query.from, 'from'));
    if (query.to !== undefined) cond(where, params, 'ts < ?', num(query.to, 'to'));
    if (query.protocol !== undefined) cond(where, params, 'protocol = ?', query.protocol);
    if (query.asset !== undefined) cond(where, params, '(client_ip = ? OR server_ip = ?)', query.asset, query.asset);
    if (query.cursor) {
      const [ts, id] = decodeCursor(query.cursor, 'number');
      cond(where, params, '(ts, id) < (?, ?)', ts, id);
    }
    const sql = `SELECT id, ts, record FROM hints ${whereSql(where)} ORDER BY ts DESC, id DESC LIMIT ?`;
    const rows = this.all(sql, [...params, limit + 1]);
    return page(rows, limit, (r) => ({ id: r.id as number, record: JSON.parse(r.record as string) as HintRecord }), (r) => [r.ts as number, r.id as number]);
  }

  listAssets(query: AssetQuery): Page<AssetRecord> {
    const limit = pageLimit(query.limit);
    const sort = query.sort ?? 'id';
    if (sort !== 'id' && sort !== 'last_seen' && sort !== 'first_seen') throw new StoreError('store.bad_sort', `unknown asset sort "${String(sort)}"`);
    const where: string[] = [];
    const params: Param[] = [];
    const f = query.filter ?? {};
    if (f.ip !== undefined) cond(where, params, 'a.id IN (SELECT asset FROM asset_ips WHERE ip = ?)', f.ip);
    if (f.protocol !== undefined) cond(where, params, 'a.id IN (SELECT asset FROM asset_protocols WHERE protocol = ?)', f.protocol);
    if (f.role !== undefined) cond(where, params, 'a.role = ?', f.role);
    if (f.external !== undefined) cond(where, params, 'a.external = ?', f.external ? 1 : 0);
    if (f.text !== undefined) cond(where, params, 'instr(a.record, ?) > 0', f.text);
    let order: string;
    if (sort === 'id') {
      if (query.cursor) cond(where, params, 'a.id > ?', decodeCursor(query.cursor, 'string')[1]);
      order = 'a.id';
    } else {
      if (query.cursor) {
        const [v, id] = decodeCursor(query.cursor, 'string');
        cond(where, params, `(a.${sort}, a.id) < (?, ?)`, v, id);
      }
      order = `a.${sort} DESC, a.id DESC`;
    }
    const rows = this.all(`SELECT a.id, a.${sort === 'id' ? 'id AS k' : `${sort} AS k`}, a.record FROM assets a ${whereSql(where)} ORDER BY ${order} LIMIT ?`, [...params, limit + 1]);
    return page(rows, limit, (r) => JSON.parse(r.record as string) as AssetRecord, (r) => [r.k as number | string, r.id as string]);
  }

  getAsset(id: string): AssetRecord | null {
    const r = this.get('SELECT record FROM assets WHERE id = ?', [id]);
    return r === undefined ? null : (JSON.parse(r.record as string) as AssetRecord);
  }

  countAssets(): number {
    return (this.get('SELECT count(*) AS n FROM assets', []) as { n: number }).n;
  }

  listConnections(query: ConnectionQuery): Page<StoredConnection> {
    const limit = pageLimit(query.limit);
    const where: string[] = [];
    const params: Param[] = [];
    if (query.ip !== undefined) cond(where, params, '(client_ip = ? OR server_ip = ?)', query.ip, query.ip);
    if (query.protocol !== undefined) cond(where, params, 'protocol = ?', query.protocol);
    if (query.cursor) cond(where, params, 'key > ?', decodeCursor(query.cursor, 'string')[1]);
    const rows = this.all(`SELECT key, record FROM connections ${whereSql(where)} ORDER BY key LIMIT ?`, [...params, limit + 1]);
    return page(rows, limit, (r) => ({ key: r.key as string, record: JSON.parse(r.record as string) as ConnectionRecord }), (r) => [0, r.key as string]);
  }

  putCounters(ts: number, data: unknown): void {
    this.run('INSERT OR REPLACE INTO counters (ts, data) VALUES (?, ?)', [num(ts, 'ts'), jsonOrThrow(data)]);
  }

  latestCounters(): { ts: number; data: unknown } | null {
    const r = this.get('SELECT ts, data FROM counters ORDER BY ts DESC LIMIT 1', []);
    return r === undefined ? null : { ts: r.ts as number, data: JSON.parse(r.data as string) };
  }

  putAlert(alert: AlertRecord): void {
    const bad = checkAlert(alert);
    if (bad !== null) throw new StoreError('store.invalid_record', `alert: ${bad}`);
    this.db.transaction(() => {
      this.run(
        `INSERT OR REPLACE INTO alerts (id, detection, severity, status, title, first_seen, last_seen, count, assignee, assets, details,
           score, queue, score_factors, incident, suppressed_by, raised_at, acknowledged_at, resolved_at, playbook)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          alert.id,
          alert.detection,
          alert.severity,
          alert.status,
          alert.title,
          alert.first_seen,
          alert.last_seen,
          alert.count,
          alert.assignee ?? null,
          jsonOrThrow(alert.assets),
          jsonOrThrow(alert.details ?? {}),
          alert.score ?? 0,
          alert.queue ?? 'later',
          jsonOrThrow(alert.score_factors ?? []),
          alert.incident ?? null,
          alert.suppressed_by ?? null,
          alert.raised_at ?? Date.now() / 1000,
          alert.acknowledged_at ?? null,
          alert.resolved_at ?? null,
          alert.playbook == null ? null : jsonOrThrow(alert.playbook),
        ],
      );
      this.run('DELETE FROM alert_assets WHERE alert = ?', [alert.id]);
      for (const a of alert.assets) this.run('INSERT OR IGNORE INTO alert_assets (asset, alert) VALUES (?, ?)', [a, alert.id]);
    })();
  }

  upsertAlerts(alerts: readonly AlertRecord[]): string[] {
    for (const a of alerts) {
      const bad = checkAlert(a);
      if (bad !== null) throw new StoreError('store.invalid_record', `alert: ${bad}`);
    }
    const fresh: string[] = [];
    this.db.transaction(() => {
      for (const a of alerts) {
        const known = this.get('SELECT 1 AS x FROM alerts WHERE id = ?', [a.id]) !== undefined;
        if (!known) {
          this.putAlert(a);
          fresh.push(a.id);
          continue;
        }
        // The detection's view moves on; the analyst's (status, assignee, severity, playbook, incident) stays.
        this.run(
          'UPDATE alerts SET title = ?, first_seen = min(first_seen, ?), last_seen = max(last_seen, ?), count = ?, details = ?, score = ?, queue = ?, score_factors = ?, suppressed_by = ? WHERE id = ?',
          [a.title, a.first_seen, a.last_seen, a.count, jsonOrThrow(a.details ?? {}), a.score ?? 0, a.queue ?? 'later', jsonOrThrow(a.score_factors ?? []), a.suppressed_by ?? null, a.id],
        );
      }
    })();
    return fresh;
  }

  updateAlert(id: string, patch: AlertPatch): boolean {
    const bad = checkAlertPatch(patch);
    if (bad !== null) throw new StoreError('store.invalid_record', `alert patch: ${bad}`);
    const sets: string[] = [];
    const params: Param[] = [];
    for (const key of ['severity', 'status', 'title', 'assignee', 'last_seen', 'count', 'score', 'queue'] as const) {
      const v = patch[key];
      if (v === undefined) continue;
      sets.push(`${key} = ?`);
      params.push(v);
    }
    if (patch.details !== undefined) cond(sets, params, 'details = ?', jsonOrThrow(patch.details));
    if (patch.score_factors !== undefined) cond(sets, params, 'score_factors = ?', jsonOrThrow(patch.score_factors));
    if (patch.playbook !== undefined) cond(sets, params, 'playbook = ?', patch.playbook === null ? null : jsonOrThrow(patch.playbook));
    // Dwell-time stamps: the first move past `new`, and the first close.
    if (patch.status !== undefined && patch.status !== 'new') cond(sets, params, 'acknowledged_at = coalesce(acknowledged_at, ?)', Date.now() / 1000);
    if (patch.status !== undefined && CLOSED.includes(patch.status)) cond(sets, params, 'resolved_at = coalesce(resolved_at, ?)', Date.now() / 1000);
    if (patch.status !== undefined && !CLOSED.includes(patch.status)) sets.push('resolved_at = NULL');
    if (sets.length === 0) return this.get('SELECT 1 AS x FROM alerts WHERE id = ?', [id]) !== undefined;
    return this.run(`UPDATE alerts SET ${sets.join(', ')} WHERE id = ?`, [...params, id]).changes > 0;
  }

  getAlert(id: string): AlertRecord | null {
    const r = this.get('SELECT * FROM alerts WHERE id = ?', [id]);
    return r === undefined ? null : alertOf(r);
  }

  listAlerts(filter: AlertFilter, cursor?: string | null, limit?: number): Page<AlertRecord> {
    const n = pageLimit(limit);
    const w = alertWhere(filter);
    const by = filter.sort === 'score' ? 'score' : 'last_seen';
    if (cursor) {
      const [k, id] = decodeCursor(cursor, 'string');
      cond(w.where, w.params, `(${by}, id) < (?, ?)`, k, id);
    }
    const rows = this.all(`SELECT * FROM alerts ${whereSql(w.where)} ORDER BY ${by} DESC, id DESC LIMIT ?`, [...w.params, n + 1]);
    return page(rows, n, alertOf, (r) => [r[by] as number, r.id as string]);
  }

  countAlertsBy(field: AlertCountField, filter: AlertFilter = {}): Record<string, number> {
    if (!ALERT_COUNT_FIELDS.includes(field)) throw new StoreError('store.bad_field', `cannot count alerts by "${String(field)}"`);
    const w = alertWhere(filter);
    const out: Record<string, number> = {};
    for (const r of this.all(`SELECT ${field} AS k, count(*) AS n FROM alerts ${whereSql(w.where)} GROUP BY ${field}`, w.params)) {
      out[r.k === null ? '' : String(r.k)] = r.n as number;
    }
    return out;
  }

  alertedAssets(filter: AlertFilter, limit: number): AlertedAsset[] {
    const w = alertWhere(filter);
    const weight = `CASE a.severity ${ALERT_SEVERITIES.map((s) => `WHEN '${s}' THEN ${SEVERITY_WEIGHT[s]}`).join(' ')} ELSE 0 END`;
    const rows = this.all(
      `SELECT aa.asset AS asset, count(*) AS alerts, sum(${weight}) AS weight, max(${weight}) AS worst
       FROM alert_assets aa JOIN alerts a ON a.id = aa.alert ${whereSql(w.where)}
       GROUP BY aa.asset ORDER BY weight DESC, alerts DESC, asset LIMIT ?`,
      [...w.params, Math.max(1, Math.min(MAX_PAGE_LIMIT, Math.floor(limit)))],
    );
    return rows.map((r) => ({
      asset: r.asset as string,
      alerts: r.alerts as number,
      weight: r.weight as number,
      worst: ALERT_SEVERITIES.find((s) => SEVERITY_WEIGHT[s] === r.worst) ?? 'low',
    }));
  }

  addAlertComment(alert: string, user: string, text: string, ts: number): number {
    return Number(this.run('INSERT INTO alert_comments (alert, ts, user, text) VALUES (?, ?, ?, ?)', [alert, num(ts, 'ts'), user, text]).lastInsertRowid);
  }

  listAlertComments(alert: string): AlertComment[] {
    return this.all('SELECT id, alert, ts, user, text FROM alert_comments WHERE alert = ? ORDER BY id', [alert]) as unknown as AlertComment[];
  }

  createUser(user: { name: string; password_hash: string; role: string; created: number }): number {
    try {
      return Number(
        this.run('INSERT INTO users (name, password_hash, role, created) VALUES (?, ?, ?, ?)', [user.name, user.password_hash, user.role, num(user.created, 'created')])
          .lastInsertRowid,
      );
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new StoreError('store.duplicate', `a user named "${user.name}" exists`);
      throw e;
    }
  }

  getUserByName(name: string): UserRecord | null {
    const r = this.get('SELECT * FROM users WHERE name = ?', [name]);
    return r === undefined ? null : ({ ...r, disabled: r.disabled === 1 } as unknown as UserRecord);
  }

  getUser(id: number): UserRecord | null {
    const r = this.get('SELECT * FROM users WHERE id = ?', [id]);
    return r === undefined ? null : ({ ...r, disabled: r.disabled === 1 } as unknown as UserRecord);
  }

  listUsers(): UserRecord[] {
    return this.all('SELECT * FROM users ORDER BY name', []).map((r) => ({ ...r, disabled: r.disabled === 1 }) as unknown as UserRecord);
  }

  updateUser(id: number, patch: { role?: string; disabled?: boolean }): boolean {
    let changed = 0;
    if (patch.role !== undefined) changed += this.run('UPDATE users SET role = ? WHERE id = ?', [patch.role, id]).changes;
    if (patch.disabled !== undefined) changed += this.run('UPDATE users SET disabled = ? WHERE id = ?', [patch.disabled ? 1 : 0, id]).changes;
    if (patch.disabled === true) this.run('DELETE FROM sessions WHERE user_id = ?', [id]);
    return changed > 0 || this.getUser(id) !== null;
  }

  listApiTokens(userId?: number): ApiTokenRecord[] {
    return (userId === undefined ? this.all('SELECT * FROM api_tokens ORDER BY created', []) : this.all('SELECT * FROM api_tokens WHERE user_id = ? ORDER BY created', [userId])) as unknown as ApiTokenRecord[];
  }

  deleteApiToken(id: string): boolean {
    return this.run('DELETE FROM api_tokens WHERE id = ?', [id]).changes > 0;
  }

  countUsers(): number {
    return Number((this.get('SELECT count(*) AS n FROM users', []) as { n: number }).n);
  }

  putSession(session: SessionRecord): void {
    this.run('INSERT OR REPLACE INTO sessions (id, user_id, created, expires) VALUES (?, ?, ?, ?)', [session.id, session.user_id, session.created, session.expires]);
  }

  getSession(id: string): SessionRecord | null {
    return (this.get('SELECT * FROM sessions WHERE id = ?', [id]) as unknown as SessionRecord | undefined) ?? null;
  }

  deleteSession(id: string): void {
    this.run('DELETE FROM sessions WHERE id = ?', [id]);
  }

  putApiToken(token: ApiTokenRecord): void {
    this.run('INSERT OR REPLACE INTO api_tokens (id, user_id, name, created, expires) VALUES (?, ?, ?, ?, ?)', [
      token.id,
      token.user_id,
      token.name,
      token.created,
      token.expires,
    ]);
  }

  getApiToken(id: string): ApiTokenRecord | null {
    return (this.get('SELECT * FROM api_tokens WHERE id = ?', [id]) as unknown as ApiTokenRecord | undefined) ?? null;
  }

  appendAudit(entry: AuditRecord): number {
    return Number(
      this.run('INSERT INTO audit (ts, user, action, target, detail) VALUES (?, ?, ?, ?, ?)', [
        num(entry.ts, 'ts'),
        entry.user,
        entry.action,
        entry.target,
        entry.detail === null ? null : jsonOrThrow(entry.detail),
      ]).lastInsertRowid,
    );
  }

  listAudit(query: { from?: number; to?: number; user?: string; cursor?: string | null; limit?: number }): Page<StoredAudit> {
    const limit = pageLimit(query.limit);
    const where: string[] = [];
    const params: Param[] = [];
    if (query.from !== undefined) cond(where, params, 'ts >= ?', num(query.from, 'from'));
    if (query.to !== undefined) cond(where, params, 'ts < ?', num(query.to, 'to'));
    if (query.user !== undefined) cond(where, params, 'user = ?', query.user);
    if (query.cursor) {
      const [ts, id] = decodeCursor(query.cursor, 'number');
      cond(where, params, '(ts, id) < (?, ?)', ts, id);
    }
    const rows = this.all(`SELECT * FROM audit ${whereSql(where)} ORDER BY ts DESC, id DESC LIMIT ?`, [...params, limit + 1]);
    return page(
      rows,
      limit,
      (r) => ({ ...(r as unknown as StoredAudit), detail: r.detail === null ? null : (JSON.parse(r.detail as string) as Record<string, unknown>) }),
      (r) => [r.ts as number, r.id as number],
    );
  }

  getSetting(key: string): unknown {
    const r = this.get('SELECT value FROM settings WHERE key = ?', [key]);
    return r === undefined ? undefined : JSON.parse(r.value as string);
  }

  putSetting(key: string, value: unknown): void {
    this.run('INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)', [key, jsonOrThrow(value)]);
  }

  deleteSetting(key: string): void {
    this.run('DELETE FROM settings WHERE key = ?', [key]);
  }

  retention(policy: RetentionPolicy): RetentionResult {
    const out: RetentionResult = { events: 0, hints: 0, counters: 0, audit: 0, bytes: 0 };
    if (policy.maxAgeSeconds !== undefined) {
      const cutoff = (policy.now ?? Date.now() / 1000) - num(policy.maxAgeSeconds, 'maxAgeSeconds');
      out.events += this.deleteOlder('events', cutoff);
      out.hints += this.deleteOlder('hints', cutoff);
      out.counters += this.deleteOlder('counters', cutoff);
      out.audit += this.deleteOlder('audit', cutoff);
    }
    if (policy.maxBytes !== undefined) {
      const max = num(policy.maxBytes, 'maxBytes');
      for (let pass = 0; pass < MAX_RETENTION_PASSES; pass++) {
        const used = this.usedBytes();
        if (used <= max) break;
        // Events are the bulk; once none are left, hints go.
        const table = this.rowCount('events') > 0 ? 'events' : this.rowCount('hints') > 0 ? 'hints' : null;
        if (table === null) break;
        const rows = this.rowCount(table);
        // Rows to drop, from the share of the space over the limit, a little more so passes converge.
        const n = Math.min(RETENTION_CHUNK, Math.max(1, Math.ceil((rows * (used - max)) / used) + 16));
        const deleted = this.run(`DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} ORDER BY ts, id LIMIT ?)`, [n]).changes;
        if (table === 'events') out.events += deleted;
        else out.hints += deleted;
      }
    }
    if (out.events > 0) this.resyncHours();
    this.db.pragma('incremental_vacuum');
    out.bytes = this.usedBytes();
    return out;
  }

  stats(): StoreStats {
    const rows: Record<string, number> = {};
    for (const t of COUNTED_TABLES) rows[t] = this.rowCount(t);
    let fileBytes = 0;
    for (const suffix of ['', '-wal']) {
      try {
        fileBytes += statSync(this.path + suffix).size;
      } catch {
        // No WAL right after a checkpoint: nothing to add.
      }
    }
    return { rows, bytes: this.usedBytes(), fileBytes, schemaVersion: this.db.pragma('user_version', { simple: true }) as number };
  }

  integrityCheck(): string[] {
    return (this.db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
  }

  close(): void {
    this.queries.clear();
    if (this.db.open) this.db.close();
  }

  /** The plan SQLite picks for an event list (for an asset: the statement over its newest hour). */
  explainEvents(query: EventQuery): string[] {
    const after = query.cursor ? decodeCursor(query.cursor, 'number') : null;
    const limit = pageLimit(query.limit) + 1;
    let sql: string;
    let params: Param[];
    if (query.asset === undefined) {
      const w = eventWhere(query, after);
      sql = `SELECT id, ts, record FROM events ${w.sql} ORDER BY ts DESC, id DESC LIMIT ?`;
      params = [...w.params, limit];
    } else {
      ({ sql, params } = assetSelect(query, after, [this.hourSpan(query, after).hi], limit));
    }
    return (this.queries.all(`EXPLAIN QUERY PLAN ${sql}`, params) as { detail: string }[]).map((r) => r.detail);
  }

  eventSpan(): { first: number | null; last: number | null } {
    return this.get('SELECT min(ts) AS first, max(ts) AS last FROM events', []) as { first: number | null; last: number | null };
  }

  eventHistogram(filter: Pick<EventFilter, 'from' | 'to' | 'protocol'>, bucketSeconds: number): HistogramBin[] {
    const width = num(bucketSeconds, 'bucketSeconds');
    if (!(width > 0)) throw new StoreError('store.bad_query', 'the bucket width must be positive');
    const from = filter.from === undefined ? undefined : num(filter.from, 'from');
    const to = filter.to === undefined ? undefined : num(filter.to, 'to');
    if (from !== undefined && to !== undefined && (to - from) / width > MAX_HISTOGRAM_BUCKETS) {
      throw new StoreError('store.bad_query', `at most ${MAX_HISTOGRAM_BUCKETS} buckets: widen the bucket or narrow the window`);
    }
    const where: string[] = [];
    const params: Param[] = [];
    if (filter.protocol !== undefined) cond(where, params, 'protocol = ?', filter.protocol);
    // Whole hours come from the per-hour table; finer buckets scan the events of the window.
    if (width % 3600 === 0) {
      if (from !== undefined) cond(where, params, 'hour >= ?', Math.floor(from / 3600));
      if (to !== undefined) cond(where, params, 'hour < ?', Math.ceil(to / 3600));
      const h = width / 3600;
      return this.all(`SELECT (hour / ${h}) * ${width} AS t, protocol, sum(n) AS n FROM event_hours ${whereSql(where)} GROUP BY hour / ${h}, protocol ORDER BY t, protocol`, params) as unknown as HistogramBin[];
    }
    if (from !== undefined) cond(where, params, 'ts >= ?', from);
    if (to !== undefined) cond(where, params, 'ts < ?', to);
    return this.all(`SELECT CAST(ts / ${width} AS INTEGER) * ${width} AS t, protocol, count(*) AS n FROM events ${whereSql(where)} GROUP BY 1, protocol ORDER BY t, protocol`, params) as unknown as HistogramBin[];
  }

  /**
   * Whole hours from the per-hour tables (per address when the filter names an asset), the partial hours at either
   * end of the window from the events.
   */
  private countByHours(f: EventFilter): number {
    const from = f.from === undefined ? undefined : num(f.from, 'from');
    const to = f.to === undefined ? undefined : num(f.to, 'to');
    const first = from === undefined ? -Infinity : Math.ceil(from / 3600);
    const last = to === undefined ? Infinity : Math.floor(to / 3600);
    const exact = (w: EventFilter) => {
      if (w.asset !== undefined) return this.countAssetEvents(w);
      const q = eventWhere(w, null);
      return (this.get(`SELECT count(*) AS n FROM events ${q.sql}`, q.params) as { n: number }).n;
    };
    if (first >= last) return exact(f);
    const where: string[] = [];
    const params: Param[] = [];
    if (Number.isFinite(first)) cond(where, params, 'hour >= ?', first);
    if (Number.isFinite(last)) cond(where, params, 'hour < ?', last);
    if (f.protocol !== undefined) cond(where, params, 'protocol = ?', f.protocol);
    if (f.access !== undefined) cond(where, params, 'access = ?', f.access);
    if (f.outcome !== undefined) cond(where, params, 'outcome = ?', f.outcome);
    if (f.type !== undefined) cond(where, params, 'type = ?', f.type);
    if (f.asset !== undefined) cond(where, params, 'ip = ?', f.asset);
    let n = (this.get(`SELECT coalesce(sum(n), 0) AS n FROM ${f.asset !== undefined ? 'event_ip_hours' : 'event_hours'} ${whereSql(where)}`, params) as { n: number }).n;
    if (from !== undefined && from < first * 3600) n += exact({ ...f, from, to: first * 3600 });
    if (to !== undefined && to > last * 3600) n += exact({ ...f, from: last * 3600, to });
    return n;
  }

  /** After deleting the oldest events: drops the per-hour counts before the oldest left, recounts its hour. */
  private resyncHours(): void {
    this.db.transaction(() => {
      const r = this.get('SELECT min(ts) AS ts FROM events', []) as { ts: number | null };
      if (r.ts === null) {
        this.run('DELETE FROM event_hours', []);
        this.run('DELETE FROM event_ip_hours', []);
        return;
      }
      const h = hourOf(r.ts);
      this.run('DELETE FROM event_hours WHERE hour <= ?', [h]);
      this.run('DELETE FROM event_ip_hours WHERE hour <= ?', [h]);
      this.run(
        `INSERT INTO event_ip_hours (ip, hour, protocol, access, outcome, type, n)
         SELECT ip, hour, protocol, access, outcome, type, count(*) FROM (
           SELECT client_ip AS ip, hour, protocol, access, outcome, type FROM events WHERE ts >= ? AND ts < ?
           UNION ALL
           SELECT server_ip AS ip, hour, protocol, access, outcome, type FROM events WHERE ts >= ? AND ts < ? AND server_ip <> client_ip
         ) GROUP BY ip, hour, protocol, access, outcome, type`,
        [h * 3600, (h + 1) * 3600, h * 3600, (h + 1) * 3600],
      );
      this.run(
        'INSERT INTO event_hours (hour, protocol, access, outcome, type, n) SELECT hour, protocol, access, outcome, type, count(*) FROM events WHERE ts >= ? AND ts < ? GROUP BY hour, protocol, access, outcome, type',
        [h * 3600, (h + 1) * 3600],
      );
    })();
  }

  /** Hours an event query must visit: its window, narrowed to the events stored and to the cursor. */
  /**
   * The hours of a span that hold events, newest first, from the per-hour table: events uploaded from captures years
   * apart leave most hours between them empty, and a seek per empty hour made one asset's count take seconds.
   */
  private eventHours(span: { lo: number; hi: number }): number[] {
    if (span.hi < span.lo) return [];
    const rows = this.all('SELECT DISTINCT hour FROM event_hours WHERE hour >= ? AND hour <= ? AND n > 0 ORDER BY hour DESC', [span.lo, span.hi]);
    return rows.map((r) => r.hour as number);
  }

  private hourSpan(f: EventFilter, after: [number, number] | null): { lo: number; hi: number } {
    const r = this.get('SELECT (SELECT min(ts) FROM events) AS lo, (SELECT max(ts) FROM events) AS hi', []) as { lo: number | null; hi: number | null };
    if (r.lo === null || r.hi === null) return { lo: 0, hi: -1 };
    let lo = r.lo;
    let hi = r.hi;
    if (f.from !== undefined) lo = Math.max(lo, num(f.from, 'from'));
    // `to` is exclusive, but an hour too many costs one empty seek.
    if (f.to !== undefined) hi = Math.min(hi, num(f.to, 'to'));
    if (after !== null) hi = Math.min(hi, after[0]);
    return { lo: hourOf(lo), hi: hourOf(hi) };
  }

  private write<T>(fn: (records: readonly T[], result: WriteResult) => void, records: readonly T[]): WriteResult {
    const result: WriteResult = { written: 0, rejected: [] };
    if (!Array.isArray(records)) {
      this.reject(result, -1, 'records must be an array');
      return result;
    }
    fn(records, result);
    return result;
  }

  private reject(result: WriteResult, index: number, reason: string): void {
    result.rejected.push({ index, reason });
    this.anomalies.add(STORE_ANOMALIES.codes.invalid_record);
  }

  private deleteOlder(table: string, cutoff: number): number {
    let total = 0;
    for (;;) {
      const n = this.run(`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ts < ? ORDER BY ts LIMIT ?)`, [cutoff, RETENTION_CHUNK]).changes;
      total += n;
      if (n < RETENTION_CHUNK) return total;
    }
  }

  private usedBytes(): number {
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const free = this.db.pragma('freelist_count', { simple: true }) as number;
    const size = this.db.pragma('page_size', { simple: true }) as number;
    return (pages - free) * size;
  }

  private rowCount(table: string): number {
    return (this.get(`SELECT count(*) AS n FROM ${table}`, []) as { n: number }).n;
  }

  private all(sql: string, params: readonly Param[]): Row[] {
    return this.queries.all(sql, params);
  }

  private get(sql: string, params: readonly Param[]): Row | undefined {
    return this.queries.get(sql, params);
  }

  private run(sql: string, params: readonly Param[]): Database.RunResult {
    return this.queries.run(sql, params);
  }
}

function eventWhere(f: EventFilter, after: [number, number] | null, side?: 'client' | 'server', hours?: readonly number[]): { sql: string; params: Param[] } {
  const where: string[] = [];
  const params: Param[] = [];
  if (hours !== undefined) cond(where, params, `hour IN (${hours.map(() => '?').join(', ')})`, ...hours);
  if (f.from !== undefined) cond(where, params, 'ts >= ?', num(f.from, 'from'));
  if (f.to !== undefined) cond(where, params, 'ts < ?', num(f.to, 'to'));
  if (f.protocol !== undefined) cond(where, params, 'protocol = ?', f.protocol);
  if (side === 'client') cond(where, params, 'client_ip = ?', f.asset!);
  // An event between an asset and itself is counted on the client side only.
  if (side === 'server') cond(where, params, 'server_ip = ? AND client_ip <> ?', f.asset!, f.asset!);
  if (f.operation !== undefined) cond(where, params, 'operation = ?', f.operation);
  if (f.access !== undefined) cond(where, params, 'access = ?', f.access);
  if (f.outcome !== undefined) cond(where, params, 'outcome = ?', f.outcome);
  if (f.type !== undefined) cond(where, params, 'type = ?', f.type);
  for (const [path, value] of Object.entries(f.fields ?? {})) {
    if (!FIELD_PATH.test(path)) throw new StoreError('store.bad_field', `"${path}" is not a dotted field name (protocol.field)`);
    if (typeof value !== 'string' && typeof value !== 'number') throw new StoreError('store.bad_field', `field "${path}" must be compared to a string or a number`);
    cond(where, params, 'json_extract(record, ?) = ?', `$.${path}`, value);
  }
  if (f.text !== undefined && f.text !== '') cond(where, params, 'instr(record, ?) > 0', f.text);
  if (after !== null) cond(where, params, '(ts, id) < (?, ?)', after[0], after[1]);
  return { sql: whereSql(where), params };
}

/** One page of an asset's events within some hours: each side walks its own (hour, ip, ts) index, then the merge. */
function assetSelect(q: EventQuery, after: [number, number] | null, hours: readonly number[], limit: number): { sql: string; params: Param[] } {
  const a = eventWhere(q, after, 'client', hours);
  const b = eventWhere(q, after, 'server', hours);
  const one = (w: string) => `SELECT * FROM (SELECT id, ts, record FROM events ${w} ORDER BY ts DESC, id DESC LIMIT ?)`;
  return {
    sql: `SELECT * FROM (${one(a.sql)} UNION ALL ${one(b.sql)}) ORDER BY ts DESC, id DESC LIMIT ?`,
    params: [...a.params, limit, ...b.params, limit, limit],
  };
}

/** Filters the per-hour counts can answer. */
function hourlyFilter(f: EventFilter): boolean {
  for (const [k, v] of Object.entries(f)) {
    if (v === undefined) continue;
    if (k !== 'from' && k !== 'to' && k !== 'protocol' && k !== 'access' && k !== 'outcome' && k !== 'type') return false;
  }
  return true;
}

function hourOf(ts: number): number {
  return Math.floor(ts / 3600);
}

function alertWhere(f: AlertFilter): { where: string[]; params: Param[] } {
  const where: string[] = [];
  const params: Param[] = [];
  if (f.status !== undefined) cond(where, params, 'status = ?', f.status);
  if (f.open === true) where.push(`status IN (${OPEN_STATUSES_SQL})`);
  if (f.severity !== undefined) cond(where, params, 'severity = ?', f.severity);
  if (f.detection !== undefined) cond(where, params, 'detection = ?', f.detection);
  if (f.asset !== undefined) cond(where, params, 'id IN (SELECT alert FROM alert_assets WHERE asset = ?)', f.asset);
  if (f.since !== undefined) cond(where, params, 'last_seen >= ?', num(f.since, 'since'));
  if (f.queue !== undefined) cond(where, params, 'queue = ?', f.queue);
  if (f.incident !== undefined) cond(where, params, 'incident = ?', f.incident);
  if (f.outside_queue !== undefined) cond(where, params, `(incident IS NULL OR incident NOT IN (SELECT id FROM incidents WHERE queue = ? AND status IN (${OPEN_STATUSES_SQL})))`, f.outside_queue);
  if (f.suppressed === true) where.push('suppressed_by IS NOT NULL');
  if (f.suppressed === false) where.push('suppressed_by IS NULL');
  return { where, params };
}

/** Statuses that close an alert (its resolution time). */
const CLOSED: readonly string[] = ['resolved', 'false_positive', 'learned'];

function alertOf(r: Row): AlertRecord {
  return {
    id: r.id as string,
    detection: r.detection as string,
    severity: r.severity as AlertRecord['severity'],
    status: r.status as AlertRecord['status'],
    title: r.title as string,
    assets: JSON.parse(r.assets as string) as string[],
    first_seen: r.first_seen as number,
    last_seen: r.last_seen as number,
    count: r.count as number,
    assignee: r.assignee as string | null,
    details: JSON.parse(r.details as string) as Record<string, unknown>,
    score: r.score as number,
    queue: r.queue as AlertRecord['queue'],
    score_factors: JSON.parse(r.score_factors as string) as AlertRecord['score_factors'],
    incident: r.incident as string | null,
    suppressed_by: r.suppressed_by as number | null,
    raised_at: r.raised_at as number | null,
    acknowledged_at: r.acknowledged_at as number | null,
    resolved_at: r.resolved_at as number | null,
    playbook: r.playbook === null ? null : (JSON.parse(r.playbook as string) as AlertRecord['playbook']),
  };
}

export function connectionKey(r: ConnectionRecord): string {
  return `${r.client.ip}|${r.server.ip}|${r.protocol}|${r.transport}|${r.port}`;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

function checkBase(r: unknown): string | null {
  if (!isObj(r)) return 'not an object';
  if (!isNum(r.ts)) return 'ts: missing or not a finite number';
  if (!isStr(r.protocol) || r.protocol === '') return 'protocol: missing or not a string';
  if (!isNum(r.flow)) return 'flow: missing or not a number';
  if (!isObj(r.client) || !isStr(r.client.ip)) return 'client.ip: missing or not a string';
  if (!isObj(r.server) || !isStr(r.server.ip)) return 'server.ip: missing or not a string';
  return null;
}

function checkEvent(r: unknown): string | null {
  const base = checkBase(r);
  if (base !== null) return base;
  const e = r as Record<string, unknown>;
  if (e.type !== 'transaction' && e.type !== 'repeat_summary') return `type: "${String(e.type)}" is not transaction or repeat_summary`;
  if (!isObj(e.operation) || !isStr(e.operation.name) || !isStr(e.operation.access)) return 'operation: missing name or access';
  if (!isStr(e.outcome)) return 'outcome: missing or not a string';
  return null;
}

function checkAsset(r: unknown): string | null {
  if (!isObj(r)) return 'not an object';
  if (!isStr(r.id) || r.id === '') return 'id: missing or not a string';
  if (!isNum(r.first_seen) || !isNum(r.last_seen)) return 'first_seen, last_seen: missing or not numbers';
  if (!isStr(r.role)) return 'role: missing or not a string';
  if (!Array.isArray(r.ips) || !r.ips.every(isStr)) return 'ips: missing or not a list of strings';
  if (r.protocols !== undefined && (!Array.isArray(r.protocols) || !r.protocols.every((p) => isObj(p) && isStr(p.protocol)))) return 'protocols: not a list of { protocol }';
  return null;
}

function checkConnection(r: unknown): string | null {
  if (!isObj(r)) return 'not an object';
  if (!isObj(r.client) || !isStr(r.client.ip)) return 'client.ip: missing or not a string';
  if (!isObj(r.server) || !isStr(r.server.ip)) return 'server.ip: missing or not a string';
  if (!isStr(r.protocol) || !isStr(r.transport) || !isNum(r.port)) return 'protocol, transport, port: missing or of the wrong type';
  if (!isNum(r.last_seen)) return 'last_seen: missing or not a number';
  return null;
}

function checkAlert(r: unknown): string | null {
  if (!isObj(r)) return 'not an object';
  for (const k of ['id', 'detection', 'severity', 'status', 'title'] as const) if (!isStr(r[k])) return `${k}: missing or not a string`;
  return checkAlertPatch(r) ?? checkAlertRest(r);
}

function checkAlertPatch(r: Record<string, unknown>): string | null {
  if (r.severity !== undefined && !(ALERT_SEVERITIES as readonly unknown[]).includes(r.severity)) return `severity: "${String(r.severity)}" is not one of ${ALERT_SEVERITIES.join(', ')}`;
  if (r.status !== undefined && !(ALERT_STATUSES as readonly unknown[]).includes(r.status)) return `status: "${String(r.status)}" is not one of ${ALERT_STATUSES.join(', ')}`;
  return null;
}

function checkAlertRest(r: Record<string, unknown>): string | null {
  if (!isNum(r.first_seen) || !isNum(r.last_seen) || !isNum(r.count)) return 'first_seen, last_seen, count: missing or not numbers';
  if (!Array.isArray(r.assets) || !r.assets.every(isStr)) return 'assets: missing or not a list of strings';
  return null;
}

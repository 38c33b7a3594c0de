// The store's schema as numbered migrations, applied in order, each in its own transaction; the version reached is
// kept in SQLite's `user_version`, so a crash mid-migration leaves the previous version intact.
import type Database from 'better-sqlite3';
import { StoreError } from './store.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

// Nested fields stay JSON in `record`; the columns beside it are what the queries filter and sort on. Indexes on
// (x, ts) also hold the rowid, so the keyset order (ts, id) comes straight from them. The per-address indexes lead
// with the hour: keyed by address alone, each batch would land on a random page per event and ingest would fall to
// a tenth once the index outgrows the cache (measured: docs/decisions/0008-embedded-store.md); by hour, writes
// stay in the current hour's small, cached part and a query seeks each hour it needs.
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        ts REAL NOT NULL,
        hour INTEGER NOT NULL,
        protocol TEXT NOT NULL,
        type TEXT NOT NULL,
        flow INTEGER NOT NULL,
        client_ip TEXT NOT NULL,
        server_ip TEXT NOT NULL,
        operation TEXT NOT NULL,
        access TEXT NOT NULL,
        outcome TEXT NOT NULL,
        record TEXT NOT NULL
      );
      CREATE INDEX events_ts ON events (ts);
      CREATE INDEX events_protocol_ts ON events (protocol, ts);
      CREATE INDEX events_client ON events (hour, client_ip, ts);
      CREATE INDEX events_server ON events (hour, server_ip, ts);
      -- Events per hour and kind, kept in the batch's transaction: counts over long windows read these.
      CREATE TABLE event_hours (
        hour INTEGER NOT NULL,
        protocol TEXT NOT NULL,
        access TEXT NOT NULL,
        outcome TEXT NOT NULL,
        type TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (hour, protocol, access, outcome, type)
      ) WITHOUT ROWID;

      CREATE TABLE hints (
        id INTEGER PRIMARY KEY,
        ts REAL NOT NULL,
        protocol TEXT NOT NULL,
        client_ip TEXT NOT NULL,
        server_ip TEXT NOT NULL,
        record TEXT NOT NULL
      );
      CREATE INDEX hints_ts ON hints (ts);

      CREATE TABLE assets (
        id TEXT PRIMARY KEY,
        first_seen REAL NOT NULL,
        last_seen REAL NOT NULL,
        role TEXT NOT NULL,
        external INTEGER NOT NULL,
        record TEXT NOT NULL
      );
      CREATE INDEX assets_last_seen ON assets (last_seen, id);
      CREATE INDEX assets_first_seen ON assets (first_seen, id);
      CREATE INDEX assets_role ON assets (role, id);
      CREATE TABLE asset_ips (asset TEXT NOT NULL, ip TEXT NOT NULL, PRIMARY KEY (asset, ip)) WITHOUT ROWID;
      CREATE INDEX asset_ips_ip ON asset_ips (ip);
      CREATE TABLE asset_protocols (asset TEXT NOT NULL, protocol TEXT NOT NULL, PRIMARY KEY (asset, protocol)) WITHOUT ROWID;
      CREATE INDEX asset_protocols_protocol ON asset_protocols (protocol);

      CREATE TABLE connections (
        key TEXT PRIMARY KEY,
        client_ip TEXT NOT NULL,
        server_ip TEXT NOT NULL,
        protocol TEXT NOT NULL,
        last_seen REAL NOT NULL,
        record TEXT NOT NULL
      );
      CREATE INDEX connections_client ON connections (client_ip);
      CREATE INDEX connections_server ON connections (server_ip);
      CREATE INDEX connections_protocol ON connections (protocol, key);

      CREATE TABLE counters (ts REAL PRIMARY KEY, data TEXT NOT NULL);

      CREATE TABLE alerts (
        id TEXT PRIMARY KEY,
        detection TEXT NOT NULL,
        severity TEXT NOT NULL,
        status TEXT NOT NULL,
        title TEXT NOT NULL,
        first_seen REAL NOT NULL,
        last_seen REAL NOT NULL,
        count INTEGER NOT NULL,
        assignee TEXT,
        assets TEXT NOT NULL,
        details TEXT NOT NULL
      );
      CREATE INDEX alerts_last_seen ON alerts (last_seen, id);
      CREATE INDEX alerts_status ON alerts (status, last_seen, id);
      CREATE INDEX alerts_severity ON alerts (severity, last_seen, id);
      CREATE INDEX alerts_detection ON alerts (detection, last_seen, id);
      CREATE TABLE alert_assets (asset TEXT NOT NULL, alert TEXT NOT NULL, PRIMARY KEY (asset, alert)) WITHOUT ROWID;
      CREATE INDEX alert_assets_alert ON alert_assets (alert);
      CREATE TABLE alert_comments (
        id INTEGER PRIMARY KEY,
        alert TEXT NOT NULL,
        ts REAL NOT NULL,
        user TEXT NOT NULL,
        text TEXT NOT NULL
      );
      CREATE INDEX alert_comments_alert ON alert_comments (alert, id);

      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL,
        created REAL NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created REAL NOT NULL,
        expires REAL NOT NULL
      );
      CREATE INDEX sessions_expires ON sessions (expires);
      CREATE TABLE api_tokens (
        id TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        created REAL NOT NULL,
        expires REAL
      );
      CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        ts REAL NOT NULL,
        user TEXT,
        action TEXT NOT NULL,
        target TEXT,
        detail TEXT
      );
      CREATE INDEX audit_ts ON audit (ts);

      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
  },
  {
    version: 2,
    name: 'events per address and hour',
    // One asset's event count over a long window summed whole hours here instead of seeking the events hour by hour
    // (p99 335 ms on 12 M events over years of capture time; the bar is 200 ms).
    sql: `
      CREATE TABLE event_ip_hours (
        ip TEXT NOT NULL,
        hour INTEGER NOT NULL,
        protocol TEXT NOT NULL,
        access TEXT NOT NULL,
        outcome TEXT NOT NULL,
        type TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (ip, hour, protocol, access, outcome, type)
      ) WITHOUT ROWID;
      INSERT INTO event_ip_hours (ip, hour, protocol, access, outcome, type, n)
        SELECT ip, hour, protocol, access, outcome, type, count(*) FROM (
          SELECT client_ip AS ip, hour, protocol, access, outcome, type FROM events
          UNION ALL
          SELECT server_ip AS ip, hour, protocol, access, outcome, type FROM events WHERE server_ip <> client_ip
        ) GROUP BY ip, hour, protocol, access, outcome, type;
    `,
  },
  {
    version: 3,
    name: 'triage: risk score, queues, incidents, suppressions, dwell-time stamps, playbook checks',
    sql: `
      ALTER TABLE alerts ADD COLUMN score REAL NOT NULL DEFAULT 0;
      ALTER TABLE alerts ADD COLUMN queue TEXT NOT NULL DEFAULT 'later';
      ALTER TABLE alerts ADD COLUMN score_factors TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE alerts ADD COLUMN incident TEXT;
      ALTER TABLE alerts ADD COLUMN suppressed_by INTEGER;
      ALTER TABLE alerts ADD COLUMN raised_at REAL;
      ALTER TABLE alerts ADD COLUMN acknowledged_at REAL;
      ALTER TABLE alerts ADD COLUMN resolved_at REAL;
      ALTER TABLE alerts ADD COLUMN playbook TEXT;
      CREATE INDEX alerts_score ON alerts (score, id);
      CREATE INDEX alerts_queue ON alerts (queue, score, id);
      CREATE INDEX alerts_incident ON alerts (incident);
      CREATE INDEX alerts_raised ON alerts (raised_at);

      CREATE TABLE incidents (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        summary TEXT NOT NULL,
        status TEXT NOT NULL,
        assignee TEXT,
        severity TEXT NOT NULL,
        score REAL NOT NULL,
        queue TEXT NOT NULL,
        score_factors TEXT NOT NULL,
        tactics TEXT NOT NULL,
        hosts TEXT NOT NULL,
        first_seen REAL NOT NULL,
        last_seen REAL NOT NULL,
        alerts INTEGER NOT NULL,
        raised_at REAL NOT NULL,
        acknowledged_at REAL,
        resolved_at REAL,
        playbook TEXT
      );
      CREATE INDEX incidents_score ON incidents (score, id);
      CREATE INDEX incidents_status ON incidents (status, score, id);
      CREATE TABLE incident_hosts (host TEXT NOT NULL, incident TEXT NOT NULL, PRIMARY KEY (host, incident)) WITHOUT ROWID;
      CREATE INDEX incident_hosts_incident ON incident_hosts (incident);

      CREATE TABLE suppressions (
        id INTEGER PRIMARY KEY,
        detection TEXT,
        host TEXT,
        asset TEXT,
        reason TEXT NOT NULL,
        created REAL NOT NULL,
        created_by TEXT,
        expires REAL,
        enabled INTEGER NOT NULL DEFAULT 1,
        suppressed INTEGER NOT NULL DEFAULT 0,
        last_suppressed REAL
      );
    `,
  },
  {
    version: 4,
    name: 'incident link keys: alerts that share only an affected host group only when the same detection fired (src/triage/incidents.ts)',
    // Incidents already open keep grouping as they did: every host they hold counts as having acted there.
    sql: `
      CREATE TABLE incident_links (key TEXT NOT NULL, incident TEXT NOT NULL, PRIMARY KEY (key, incident)) WITHOUT ROWID;
      CREATE INDEX incident_links_incident ON incident_links (incident);
      INSERT INTO incident_links (key, incident) SELECT 'host:' || host, incident FROM incident_hosts;
      INSERT INTO incident_links (key, incident) SELECT 'acted:' || host, incident FROM incident_hosts;
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** Brings the schema up to `migrations`' last version; refuses a store written by a newer Lantern. */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1].version;
  if (from > latest) {
    throw new StoreError(
      'store.newer_schema',
      `the store has schema version ${from}, newer than this Lantern knows (${latest}): upgrade Lantern or use another store path`,
    );
  }
  for (const m of migrations) {
    if (m.version <= from) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version | 0}`);
    })();
  }
  return { from, to: Math.max(from, latest) };
}

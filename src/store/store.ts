// The store contract of `lantern serve`: what the server keeps (inventory, protocol events, hints, counters, alerts,
// users, audit, settings) and the queries the API runs over it. SqliteStore is the embedded implementation; a
// distributed backend implements the same interface. Lists page by an opaque keyset cursor, never by offset.
import type { AssetRecord, ConnectionRecord } from '../inventory/snapshot.js';
import type { RepeatSummaryRecord, TransactionRecord } from '../pipeline/detail.js';
import type { HintRecord } from '../pipeline/events.js';
import type { Access, Outcome } from '../protocols/operation.js';
import { ALERT_SEVERITIES, ALERT_STATUSES, OPEN_ALERT_STATUSES } from '../common/vocabulary.js';
import type { Queue, ScoreFactor } from '../triage/score.js';
import type { TriageTables } from './triage.js';

export { ALERT_SEVERITIES, ALERT_STATUSES, OPEN_ALERT_STATUSES };

export type EventRecord = TransactionRecord | RepeatSummaryRecord;

/** A page of a list; `next` is the cursor of the following page, null on the last one. */
export interface Page<T> {
  items: T[];
  next: string | null;
}

/** Records a batch write skipped: their position in the batch and why (counted as `store.invalid_record`). */
export interface WriteResult {
  written: number;
  rejected: { index: number; reason: string }[];
}

export interface EventFilter {
  /** Capture time, seconds, inclusive. */
  from?: number;
  /** Capture time, seconds, exclusive. */
  to?: number;
  protocol?: string;
  /** Either side of the transaction. */
  asset?: string;
  /** Operation name (`read_holding_registers`). */
  operation?: string;
  access?: Access;
  outcome?: Outcome;
  type?: 'transaction' | 'repeat_summary';
  /** Dotted protocol fields equal to a value: `{ 'modbus.func_code': 3 }`. */
  fields?: Record<string, string | number>;
  /** Substring of the record's JSON (slow: scans what the other filters leave). */
  text?: string;
}

export interface EventQuery extends EventFilter {
  cursor?: string | null;
  /** Default 50, at most MAX_PAGE_LIMIT. */
  limit?: number;
}

/** An event as stored: the record as written plus the store's id. Newest first in lists. */
export interface StoredEvent {
  id: number;
  record: EventRecord;
}

export interface StoredHint {
  id: number;
  record: HintRecord;
}

export type AssetSort = 'id' | 'last_seen' | 'first_seen';

export interface AssetQuery {
  filter?: { ip?: string; role?: string; protocol?: string; external?: boolean; text?: string };
  /** `last_seen` and `first_seen` list newest first, `id` ascending. Default `id`. */
  sort?: AssetSort;
  cursor?: string | null;
  limit?: number;
}

export interface ConnectionQuery {
  /** Either endpoint. */
  ip?: string;
  protocol?: string;
  cursor?: string | null;
  limit?: number;
}

export interface StoredConnection {
  key: string;
  record: ConnectionRecord;
}

export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export interface AlertRecord {
  id: string;
  detection: string;
  severity: AlertSeverity;
  status: AlertStatus;
  title: string;
  /** Asset ids involved. */
  assets: string[];
  first_seen: number;
  last_seen: number;
  count: number;
  assignee: string | null;
  /** Detection-specific facts. */
  details: Record<string, unknown>;
  /** Risk score 0..100, its queue and its named factors (src/triage/score.ts). */
  score?: number;
  queue?: Queue;
  score_factors?: ScoreFactor[];
  /** The incident it is grouped in. */
  incident?: string | null;
  /** The suppression rule that hides it, while one does. */
  suppressed_by?: number | null;
  /** Wall-clock seconds: first stored, first moved past `new`, first closed (resolved, false positive, learned). */
  raised_at?: number | null;
  acknowledged_at?: number | null;
  resolved_at?: number | null;
  /** The playbook steps the analyst ticked (indexes into the detection's check and respond lists). */
  playbook?: PlaybookChecks | null;
}

export interface PlaybookChecks {
  check: number[];
  respond: number[];
}

export type AlertPatch = Partial<Pick<AlertRecord, 'severity' | 'status' | 'title' | 'assignee' | 'last_seen' | 'count' | 'details' | 'playbook' | 'score' | 'queue' | 'score_factors'>>;

export interface AlertFilter {
  status?: AlertStatus;
  /** Only alerts still to be worked (OPEN_ALERT_STATUSES). */
  open?: boolean;
  severity?: AlertSeverity;
  detection?: string;
  asset?: string;
  /** last_seen >= since. */
  since?: number;
  queue?: Queue;
  incident?: string;
  /** Only alerts no open incident of this queue holds (the triage queue lists those incidents, then these alerts). */
  outside_queue?: Queue;
  /** true: only suppressed alerts; false: only those no rule hides; absent: both. */
  suppressed?: boolean;
  /** Newest first seen (default) or highest score first. */
  sort?: 'last_seen' | 'score';
}

export type AlertCountField = 'status' | 'severity' | 'detection' | 'assignee' | 'queue';

export interface AlertComment {
  id: number;
  alert: string;
  ts: number;
  user: string;
  text: string;
}

export interface UserRecord {
  id: number;
  name: string;
  /** A password hash in its own self-describing format (scrypt parameters and salt); never a password. */
  password_hash: string;
  role: string;
  created: number;
  disabled: boolean;
}

export interface SessionRecord {
  /** The hash of the session secret, never the secret. */
  id: string;
  user_id: number;
  created: number;
  expires: number;
}

export interface ApiTokenRecord {
  /** The hash of the token, never the token. */
  id: string;
  user_id: number;
  name: string;
  created: number;
  expires: number | null;
}

export interface AuditRecord {
  ts: number;
  user: string | null;
  action: string;
  target: string | null;
  detail: Record<string, unknown> | null;
}

export interface StoredAudit extends AuditRecord {
  id: number;
}

export interface RetentionPolicy {
  /** Delete events, hints, counters and audit entries older than this (relative to `now`). */
  maxAgeSeconds?: number;
  /** Delete the oldest events (then hints) until the data fits; the file itself shrinks only on vacuum. */
  maxBytes?: number;
  /** Unix seconds; default the wall clock. */
  now?: number;
}

export interface RetentionResult {
  events: number;
  hints: number;
  counters: number;
  audit: number;
  /** Bytes in use after the deletion. */
  bytes: number;
}

export interface StoreStats {
  rows: Record<string, number>;
  /** Bytes in use (pages minus free pages). */
  bytes: number;
  /** Size of the database file plus its write-ahead log. */
  fileBytes: number;
  schemaVersion: number;
}

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 1000;
export const MAX_HISTOGRAM_BUCKETS = 500;

export interface HistogramBin {
  /** Start of the bucket, capture time in seconds. */
  t: number;
  protocol: string;
  n: number;
}

export interface AlertedAsset {
  asset: string;
  alerts: number;
  /** Sum of severity weights. */
  weight: number;
  worst: AlertSeverity;
}

export const SEVERITY_WEIGHT: Record<AlertSeverity, number> = { low: 1, medium: 2, high: 4, critical: 8 };

export interface Store {
  /** Inserts or replaces assets by id. */
  putAssets(records: readonly AssetRecord[]): WriteResult;
  /** Inserts or replaces connections by edge key (client|server|protocol|transport|port). */
  putConnections(records: readonly ConnectionRecord[]): WriteResult;
  /** Appends one batch of transactions and repeat summaries in one transaction: all of the valid ones, or none. */
  appendEvents(records: readonly EventRecord[]): WriteResult;
  appendHints(records: readonly HintRecord[]): WriteResult;

  /** Newest first (ts, then id), filtered, one page. */
  queryEvents(query: EventQuery): Page<StoredEvent>;
  countEvents(filter: EventFilter): number;
  /** Capture times of the oldest and newest stored events. */
  eventSpan(): { first: number | null; last: number | null };
  /** Events per time bucket (capture time) and protocol; at most MAX_HISTOGRAM_BUCKETS buckets. */
  eventHistogram(filter: Pick<EventFilter, 'from' | 'to' | 'protocol'>, bucketSeconds: number): HistogramBin[];
  queryHints(query: { from?: number; to?: number; protocol?: string; asset?: string; cursor?: string | null; limit?: number }): Page<StoredHint>;

  listAssets(query: AssetQuery): Page<AssetRecord>;
  getAsset(id: string): AssetRecord | null;
  countAssets(): number;
  listConnections(query: ConnectionQuery): Page<StoredConnection>;

  /** A counters and sensor-health snapshot at time `ts`. */
  putCounters(ts: number, data: unknown): void;
  latestCounters(): { ts: number; data: unknown } | null;

  /** Inserts or replaces an alert by id; a malformed alert throws StoreError `store.invalid_record`. */
  putAlert(alert: AlertRecord): void;
  /**
   * Alerts from the detections, in one transaction: new ids are inserted as given; known ones get the detection's
   * latest title, times, count and details, keeping the analyst's status, assignee and severity. Returns the ids new
   * to the store.
   */
  upsertAlerts(alerts: readonly AlertRecord[]): string[];
  /** Applies a patch; false when no alert has this id. An unknown severity or status throws `store.invalid_record`. */
  updateAlert(id: string, patch: AlertPatch): boolean;
  getAlert(id: string): AlertRecord | null;
  /** Most recently seen first. */
  listAlerts(filter: AlertFilter, cursor?: string | null, limit?: number): Page<AlertRecord>;
  countAlertsBy(field: AlertCountField, filter?: AlertFilter): Record<string, number>;
  /** Assets with the most alerts matching the filter, weighted by severity (critical 8, high 4, medium 2, low 1). */
  alertedAssets(filter: AlertFilter, limit: number): AlertedAsset[];
  addAlertComment(alert: string, user: string, text: string, ts: number): number;
  listAlertComments(alert: string): AlertComment[];

  /** The new user's id; a taken name throws StoreError `store.duplicate`. */
  createUser(user: { name: string; password_hash: string; role: string; created: number }): number;
  getUserByName(name: string): UserRecord | null;
  getUser(id: number): UserRecord | null;
  countUsers(): number;
  listUsers(): UserRecord[];
  /** Changes a user's role or disabled flag; false when there is no such user. */
  updateUser(id: number, patch: { role?: string; disabled?: boolean }): boolean;
  /** A user's tokens, or everyone's when `userId` is absent. */
  listApiTokens(userId?: number): ApiTokenRecord[];
  deleteApiToken(id: string): boolean;
  putSession(session: SessionRecord): void;
  getSession(id: string): SessionRecord | null;
  deleteSession(id: string): void;
  putApiToken(token: ApiTokenRecord): void;
  getApiToken(id: string): ApiTokenRecord | null;
  appendAudit(entry: AuditRecord): number;
  /** Newest first. */
  listAudit(query: { from?: number; to?: number; user?: string; cursor?: string | null; limit?: number }): Page<StoredAudit>;

  getSetting(key: string): unknown;
  putSetting(key: string, value: unknown): void;
  /** Incidents, suppression rules and dwell time. */
  readonly triage: TriageTables;
  deleteSetting(key: string): void;

  retention(policy: RetentionPolicy): RetentionResult;
  /** Counts every table: seconds on a large store, not for a hot path. */
  stats(): StoreStats;
  /** `ok`, or the problems SQLite's integrity check lists. */
  integrityCheck(): string[];
  close(): void;
}

/** A misuse the caller must fix (bad cursor, unknown sort, a store from a newer Lantern); `code` is stable. */
export class StoreError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

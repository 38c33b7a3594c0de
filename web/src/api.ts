// The console's client of Lantern's HTTP API (docs/api.md): the session cookie travels by itself, the CSRF token is
// held in memory (read again from /api/me after a reload) and echoed on every change, errors keep their stable codes.

export interface User {
  name: string;
  role: 'viewer' | 'analyst' | 'admin';
}

export interface Page<T> {
  items: T[];
  next: string | null;
}

/** An API error: `code` is stable (docs/api.md), `message` is for people. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let csrf: string | null = null;
let onUnauthorized: () => void = () => {};

/** Called when a request answers 401 (the session ended): the console shows the login page. */
export function setUnauthorizedHandler(f: () => void): void {
  onUnauthorized = f;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

/** `path?query`, leaving out empty values. */
export function withQuery(path: string, q: Query = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s === '' ? path : `${path}?${s}`;
}

export async function api<T>(path: string, init: { method?: string; body?: unknown; raw?: Blob | ArrayBuffer; signal?: AbortSignal } = {}): Promise<T> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = {};
  if (method !== 'GET' && csrf !== null) headers['x-csrf-token'] = csrf;
  let body: BodyInit | undefined;
  if (init.raw !== undefined) {
    headers['content-type'] = 'application/octet-stream';
    body = init.raw;
  } else if (init.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.body);
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body, credentials: 'same-origin', signal: init.signal });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', 'Lantern does not answer: is `lantern serve` still running?');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    throw new ApiError(res.status, 'bad_response', `unexpected answer from the server (${res.status})`);
  }
  if (!res.ok) {
    const e = (json as { error?: { code?: string; message?: string } } | null)?.error;
    if (res.status === 401 && path !== '/api/auth/login') onUnauthorized();
    throw new ApiError(res.status, e?.code ?? 'http', e?.message ?? `HTTP ${res.status}`);
  }
  return json as T;
}

export async function login(username: string, password: string): Promise<User> {
  const r = await api<{ user: User; csrf_token: string }>('/api/auth/login', { method: 'POST', body: { username, password } });
  csrf = r.csrf_token;
  return r.user;
}

/** The logged-in user, or null. */
export async function whoAmI(): Promise<User | null> {
  try {
    const r = await api<User & { csrf_token?: string }>('/api/me');
    csrf = r.csrf_token ?? null;
    return { name: r.name, role: r.role };
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

export async function logout(): Promise<void> {
  try {
    await api('/api/auth/logout', { method: 'POST' });
  } finally {
    csrf = null;
  }
}

const ROLE_RANK = { viewer: 0, analyst: 1, admin: 2 } as const;
export function can(user: User, role: User['role']): boolean {
  return ROLE_RANK[user.role] >= ROLE_RANK[role];
}

// Records as the API returns them (docs/inventory.md, docs/events.md).

export interface Evidence {
  property: string;
  value: string | number;
  confidence: number;
  protocol: string;
  source: string;
  flow: number | null;
  first_seen: number;
  last_seen: number;
  count: number;
}

export interface Asset {
  id: string;
  aliases: string[];
  gateway: string | null;
  behind: string | null;
  macs: string[];
  ips: string[];
  mac_vendor: string | null;
  names: { name: string; source: string; confidence: number; first_seen: number; last_seen: number }[];
  identity: Record<string, string | number>;
  identity_conflicts: Record<string, { value: string | number; confidence: number; protocol: string; last_seen: number }[]>;
  protocol_addresses: Record<string, (string | number)[]>;
  role: string;
  roles: { role: string; confidence: number; reasons: string[] }[];
  purdue_level: number | null;
  purdue_reason: string;
  criticality: string;
  criticality_source: string;
  protocols: { protocol: string; as: 'client' | 'server'; peers: number; industrial: boolean }[];
  zones: string[];
  vlans: number[];
  external: boolean;
  first_seen: number;
  last_seen: number;
  addresses: { type: 'ip' | 'mac'; address: string; source: string; first_seen: number; last_seen: number }[];
  evidence: Evidence[];
}

export interface Endpoint {
  ip: string;
  asset: string | null;
  zone: string | null;
  kind: string;
  scope: string;
}

export interface Operation {
  name: string;
  access: string;
  count: number;
  exceptions: number;
  no_response: number;
  from_server: number;
}

export interface Connection {
  client: Endpoint;
  server: Endpoint;
  protocol: string;
  transport: string;
  port: number;
  vlan: number;
  flows: number;
  packets: number;
  bytes: number;
  first_seen: number;
  last_seen: number;
  operations: Operation[];
  access: Record<string, number>;
  other_operations: number;
  external: boolean;
}

export interface ProtocolEvent {
  id: string;
  type: 'transaction' | 'repeat_summary';
  ts: number;
  protocol: string;
  [field: string]: unknown;
}

import { ALERT_SEVERITIES, ALERT_STATUSES } from '../../src/common/vocabulary';

/** Most severe first, as the console lists them. */
export const SEVERITIES = [...ALERT_SEVERITIES].reverse() as (typeof ALERT_SEVERITIES)[number][];
export const STATUSES = ALERT_STATUSES;

export interface Alert {
  id: string;
  detection: string;
  severity: (typeof ALERT_SEVERITIES)[number];
  status: (typeof ALERT_STATUSES)[number];
  title: string;
  assets: string[];
  first_seen: number;
  last_seen: number;
  count: number;
  assignee: string | null;
  details: Record<string, unknown>;
  comments?: { id: number; ts: number; user: string; text: string }[];
}

/** What a detection puts in an alert's details (docs/detection.md). */
export interface AlertFacts {
  kind?: 'behavior' | 'modeling' | 'configuration' | 'indicator';
  confidence?: number;
  techniques?: string[];
  tactics?: string[];
  protocol?: string | null;
  src?: { ip: string; asset: string | null } | null;
  dst?: { ip: string; asset: string | null } | null;
  evidence?: { ts: number; flow: number | null; protocol: string | null; what: string; target?: Record<string, unknown>; outcome?: string; note?: string }[];
  evidence_dropped?: number;
  facts?: Record<string, unknown>;
}

export interface DetectionEntry {
  id: string;
  title: string;
  kind: string;
  severity: string;
  confidence: number;
  techniques: { id: string; name: string; tactics: string[]; url: string | null }[];
  playbook: { meaning: string; check: string[]; respond: string[] };
}

export interface AlertedAsset {
  asset: string;
  alerts: number;
  weight: number;
  worst: Alert['severity'];
}

export interface Histogram {
  from: number | null;
  to: number | null;
  bucket_seconds: number;
  bins: { t: number; protocol: string; n: number }[];
}

/** The sensor's latest summary (docs/summary.md); loosely typed: the console reads a few fields. */
export interface Counters {
  ts: number | null;
  summary: {
    frames: number;
    bytes: number;
    anomaly_total: number;
    anomalies: Record<string, number>;
    first_ts: number | null;
    last_ts: number | null;
    inputs: { name?: string; path?: string; frames?: number; dropped?: number }[];
    protocols: Record<string, { transactions?: number; messages?: number; sessions?: number; [k: string]: unknown }>;
    inventory: { assets: number; connections: number; by_role: Record<string, number>; by_purdue_level: Record<string, number> } | null;
    capture_stats?: Record<string, unknown>;
    throughput?: { mb_per_s: number; frames_per_s: number };
    [k: string]: unknown;
  } | null;
}

/** A threat-intel source and its report (GET /api/intel; docs/api.md, "Threat intel"). */
export interface IntelSource {
  id: string;
  name: string;
  origin: 'api' | 'command line';
  format: 'stix' | 'list' | null;
  added: number;
  added_by: string | null;
  bytes: number;
  counts: { loaded: number; not_evaluable: number; expired: number; revoked: number; bad_lines: number; skipped_lines: number; duplicates: number; dropped: number };
  not_evaluable_by_reason: Record<string, number>;
  bad_line_samples: { line: number; text: string; reason: string }[];
  problem: string | null;
}

export interface IntelOverview {
  indicators: number;
  dropped: number;
  max_indicators: number;
  kinds: Record<'indicators' | 'ipv4' | 'ipv6' | 'cidr4' | 'cidr6' | 'domain' | 'url' | 'hash', number>;
  max_source_bytes: number;
  max_sources: number;
  /** What each not-evaluable reason code means. */
  reasons: Record<string, string>;
  sources: IntelSource[];
}

export interface IntelNotEvaluable {
  id: string;
  name: string;
  total: number;
  truncated: boolean;
  items: { id: string; name: string | null; pattern: string; code: string; reason: string }[];
}

// Triage (src/server/routes-triage.ts, routes-alerts.ts): risk score, queues, incidents, suppressions, overrides,
// dwell time.

export type Queue = 'now' | 'next' | 'later';
export const QUEUE_NAMES: readonly Queue[] = ['now', 'next', 'later'];

/** One named part of a risk score (`severity`, `kill_chain`, `worst_alert`, …) and why it counts. */
export interface ScoreFactor {
  name: string;
  points: number;
  why: string;
}

/** Playbook steps ticked: indexes into the `check` and `respond` lists shown. */
export interface PlaybookChecks {
  check: number[];
  respond: number[];
}

/** What triage adds to an alert. */
export interface AlertTriageFields {
  score?: number;
  queue?: Queue;
  score_factors?: ScoreFactor[];
  incident?: string | null;
  suppressed_by?: number | null;
  raised_at?: number | null;
  acknowledged_at?: number | null;
  resolved_at?: number | null;
  playbook?: PlaybookChecks | null;
}

export type TriagedAlert = Alert & AlertTriageFields;

export interface Incident {
  id: string;
  title: string;
  summary: string;
  status: Alert['status'];
  assignee: string | null;
  severity: Alert['severity'];
  score: number;
  queue: Queue;
  score_factors: ScoreFactor[];
  /** Tactic ids (`TA0108`) in kill-chain order. */
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

/** GET /api/incidents/:id: the incident, its alerts oldest first, its comments. */
export interface IncidentDetail extends Incident {
  timeline: TriagedAlert[];
  comments: { id: number; ts: number; user: string; text: string }[];
}

export interface QueueCounts {
  alerts: Partial<Record<Queue, number>>;
  /** Open alerts of each queue that no open incident of that queue holds. */
  outside: Partial<Record<Queue, number>>;
  incidents: Partial<Record<Queue, number>>;
  suppressed: number;
}

export interface Suppression {
  id: number;
  detection: string | null;
  host: string | null;
  asset: string | null;
  reason: string;
  created: number;
  created_by: string | null;
  /** Wall-clock seconds; null: until removed. */
  expires: number | null;
  enabled: boolean;
  suppressed: number;
  last_suppressed: number | null;
  active: boolean;
  /** Open alerts it hid when it was created or switched on (POST and PATCH answers only). */
  hidden_now?: number;
}

/** GET /api/detections/overrides: only the detections the analyst changed. */
export type DetectionOverrides = Record<string, { enabled?: boolean; severity?: Alert['severity'] }>;

export interface Durations {
  n: number;
  open: number;
  mean: number | null;
  p50: number | null;
  p90: number | null;
  max: number | null;
}

export interface DwellStats {
  alerts: number;
  to_alert: Durations;
  to_acknowledge: Durations;
  to_resolve: Durations;
}

export interface DwellReport {
  from: number;
  to: number;
  all: DwellStats;
  by_severity: Partial<Record<Alert['severity'], DwellStats>>;
  by_week: ({ week: string } & DwellStats)[];
}

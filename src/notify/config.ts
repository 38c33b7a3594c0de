// Notification targets as data: validation (the same rules for the API and for what is read back from the store),
// defaults, persistence in the store's settings (`notify.targets`, JSON), and the view the API gives (no secrets).
import { randomBytes } from 'node:crypto';
import type { AnomalyCounter } from '../common/anomaly.js';
import { NOTIFY_ANOMALIES } from './anomalies.js';
import { DEFAULT_FACILITY, DEFAULT_STREAM_MAX_BYTES, DEFAULT_UDP_MAX_BYTES, MAX_FACILITY, MAX_MESSAGE_BYTES, MIN_MESSAGE_BYTES } from './syslog.js';
import {
  CEF_HEADERS,
  NOTIFY_SEVERITIES,
  STREAM_FRAMINGS,
  SYSLOG_TRANSPORTS,
  TARGET_FORMATS,
  TARGET_KINDS,
  type CefHeader,
  type NotifyTarget,
  type StreamFraming,
  type SyslogTransport,
} from './types.js';

export const SETTING_KEY = 'notify.targets';
export const MAX_TARGETS = 32;
export const LIMITS = {
  name: 64,
  url: 2048,
  host: 253,
  caFile: 4096,
  secretMin: 16,
  secretMax: 1024,
} as const;
export const DEFAULT_PORT: Record<SyslogTransport, number> = { udp: 514, tcp: 514, tls: 6514 };
export const DEFAULT_CEF_HEADER: CefHeader = '3164';
export const DEFAULT_FRAMING: StreamFraming = 'octet_counting';
const ID_RE = /^nt_[A-Za-z0-9_-]{1,32}$/;
const HOST_RE = /^[A-Za-z0-9._:-]+$/;

export function newTargetId(): string {
  return `nt_${randomBytes(9).toString('base64url')}`;
}

export type TargetCheck = { ok: true; target: NotifyTarget } | { ok: false; problems: string[] };

const oneOf = <T extends string>(list: readonly T[], v: unknown): v is T => typeof v === 'string' && (list as readonly string[]).includes(v);
const isInt = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const text = (v: unknown, min: number, max: number): v is string => typeof v === 'string' && v.length >= min && v.length <= max;

/**
 * Checks a whole target and returns it with the defaults of its kind filled in and the other kind's fields left out.
 * Never throws: a target from the store may be anything.
 */
export function checkTarget(raw: unknown): TargetCheck {
  const problems: string[] = [];
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, problems: ['a target is an object'] };
  const r = raw as Record<string, unknown>;
  if (typeof r.id !== 'string' || !ID_RE.test(r.id)) problems.push('id: nt_ and up to 32 letters, digits, _ or -');
  if (!text(r.name, 1, LIMITS.name) || (r.name as string).trim() === '') problems.push(`name: 1 to ${LIMITS.name} characters`);
  if (!oneOf(TARGET_KINDS, r.kind)) problems.push(`kind: one of ${TARGET_KINDS.join(', ')}`);
  if (typeof r.enabled !== 'boolean') problems.push('enabled: true or false');
  if (!(typeof r.min_score === 'number' && Number.isFinite(r.min_score) && r.min_score >= 0 && r.min_score <= 100)) problems.push('min_score: 0 to 100');
  if (!oneOf(NOTIFY_SEVERITIES, r.min_severity)) problems.push(`min_severity: one of ${NOTIFY_SEVERITIES.join(', ')}`);
  if (!oneOf(TARGET_FORMATS, r.format)) problems.push(`format: one of ${TARGET_FORMATS.join(', ')}`);
  if (problems.length > 0) return { ok: false, problems };
  const base = {
    id: r.id as string,
    name: (r.name as string).trim(),
    kind: r.kind as NotifyTarget['kind'],
    enabled: r.enabled as boolean,
    format: r.format as NotifyTarget['format'],
    min_score: r.min_score as number,
    min_severity: r.min_severity as NotifyTarget['min_severity'],
  };
  if (base.kind === 'webhook') {
    if (base.format !== 'json') problems.push('format: a webhook sends json');
    const url = checkUrl(r.url);
    if (url !== null) problems.push(url);
    if (r.secret !== undefined && r.secret !== null && !text(r.secret, LIMITS.secretMin, LIMITS.secretMax)) problems.push(`secret: ${LIMITS.secretMin} to ${LIMITS.secretMax} characters`);
    for (const k of ['host', 'port', 'transport', 'facility', 'cef_header', 'framing', 'ca_file', 'max_bytes']) if (r[k] !== undefined && r[k] !== null) problems.push(`${k}: not for a webhook`);
    if (problems.length > 0) return { ok: false, problems };
    return { ok: true, target: { ...base, url: r.url as string, secret: (r.secret as string | null | undefined) ?? null } };
  }
  if (base.format === 'json') problems.push('format: syslog sends 5424 or cef');
  if (!text(r.host, 1, LIMITS.host) || !HOST_RE.test(r.host as string)) problems.push('host: a host name or an IP address');
  const transport = r.transport ?? 'udp';
  if (!oneOf(SYSLOG_TRANSPORTS, transport)) problems.push(`transport: one of ${SYSLOG_TRANSPORTS.join(', ')}`);
  const t = oneOf(SYSLOG_TRANSPORTS, transport) ? transport : 'udp';
  const port = r.port ?? DEFAULT_PORT[t];
  if (!isInt(port, 1, 65_535)) problems.push('port: 1 to 65535');
  const facility = r.facility ?? DEFAULT_FACILITY;
  if (!isInt(facility, 0, MAX_FACILITY)) problems.push(`facility: 0 to ${MAX_FACILITY}`);
  const cefHeader = r.cef_header ?? DEFAULT_CEF_HEADER;
  if (!oneOf(CEF_HEADERS, cefHeader)) problems.push(`cef_header: one of ${CEF_HEADERS.join(', ')}`);
  const framing = r.framing ?? DEFAULT_FRAMING;
  if (!oneOf(STREAM_FRAMINGS, framing)) problems.push(`framing: one of ${STREAM_FRAMINGS.join(', ')}`);
  const caFile = r.ca_file ?? null;
  if (caFile !== null && !text(caFile, 1, LIMITS.caFile)) problems.push(`ca_file: a path of 1 to ${LIMITS.caFile} characters`);
  if (caFile !== null && t !== 'tls') problems.push('ca_file: only with transport tls');
  const maxBytes = r.max_bytes ?? (t === 'udp' ? DEFAULT_UDP_MAX_BYTES : DEFAULT_STREAM_MAX_BYTES);
  if (!isInt(maxBytes, MIN_MESSAGE_BYTES, MAX_MESSAGE_BYTES)) problems.push(`max_bytes: ${MIN_MESSAGE_BYTES} to ${MAX_MESSAGE_BYTES}`);
  for (const k of ['url', 'secret']) if (r[k] !== undefined && r[k] !== null) problems.push(`${k}: not for syslog`);
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    target: {
      ...base,
      host: r.host as string,
      port: port as number,
      transport: t,
      facility: facility as number,
      cef_header: cefHeader as CefHeader,
      framing: framing as StreamFraming,
      ca_file: caFile as string | null,
      max_bytes: maxBytes as number,
    },
  };
}

/** null when the URL is acceptable, else the problem. */
function checkUrl(v: unknown): string | null {
  if (!text(v, 1, LIMITS.url)) return `url: 1 to ${LIMITS.url} characters`;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return 'url: not a URL';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'url: http or https';
  // fetch refuses them, and a password in a URL ends up in logs: the signature secret authenticates instead.
  if (u.username !== '' || u.password !== '') return 'url: no user name or password in the URL (use the secret)';
  return null;
}

/** The targets kept in the store; a stored target that fails validation is skipped and counted. */
export function loadTargets(store: { getSetting(key: string): unknown }, anomalies?: AnomalyCounter): NotifyTarget[] {
  let raw: unknown;
  try {
    raw = store.getSetting(SETTING_KEY);
  } catch {
    anomalies?.add(NOTIFY_ANOMALIES.codes.invalid_target);
    return [];
  }
  if (!Array.isArray(raw)) return [];
  const out: NotifyTarget[] = [];
  const seen = new Set<string>();
  for (const item of raw.slice(0, MAX_TARGETS)) {
    const c = checkTarget(item);
    if (!c.ok || seen.has(c.target.id)) {
      anomalies?.add(NOTIFY_ANOMALIES.codes.invalid_target);
      continue;
    }
    seen.add(c.target.id);
    out.push(c.target);
  }
  return out;
}

export function saveTargets(store: { putSetting(key: string, value: unknown): void }, targets: readonly NotifyTarget[]): void {
  store.putSetting(SETTING_KEY, targets);
}

/** A target as the API shows it: the secret only as set or not; for non-admins, a webhook URL cut to its origin. */
export type PublicTarget = Omit<NotifyTarget, 'secret'> & { secret_set?: boolean };

export function publicTarget(t: NotifyTarget, full: boolean): PublicTarget {
  const { secret, ...rest } = t;
  if (t.kind !== 'webhook') return rest;
  // Many webhook URLs carry a token in their path (chat services): only admins, who may change them, see it.
  let url = rest.url ?? '';
  if (!full) {
    try {
      const u = new URL(url);
      url = u.pathname === '/' && u.search === '' ? u.origin : `${u.origin}/…`;
    } catch {
      url = '…';
    }
  }
  return { ...rest, url, secret_set: typeof secret === 'string' && secret !== '' };
}

/** Fields that decide where and how messages go: a change to any of them opens a new connection. */
export function deliveryKey(t: NotifyTarget): string {
  return JSON.stringify([t.kind, t.url, t.host, t.port, t.transport, t.framing, t.ca_file]);
}


/** Notifications still queued when `serve` stopped (Notifier.close), queued again at its next start. */
export const PENDING_SETTING_KEY = 'notify.pending';

export function keepPending(store: { putSetting(key: string, value: unknown): void }, pending: readonly unknown[]): void {
  store.putSetting(PENDING_SETTING_KEY, pending);
}

/** What the last run kept, removed from the store (the notifier holds it from now on). */
export function takePending(store: { getSetting(key: string): unknown; putSetting(key: string, value: unknown): void }): unknown {
  const v = store.getSetting(PENDING_SETTING_KEY) ?? null;
  if (v !== null) store.putSetting(PENDING_SETTING_KEY, null);
  return v;
}

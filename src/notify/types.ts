// Alert notifications: the alert as notifiers see it, the configured targets, and what the API reports of each.
/** Alert severities plus `info` (least first), the order `min_severity` compares in. */
export const NOTIFY_SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type NotifySeverity = (typeof NOTIFY_SEVERITIES)[number];
export type NotifyEventType = 'alert.new' | 'alert.updated';

export interface NotifyEndpoint {
  ip: string;
  asset: string | null;
}

/** An alert handed to the notifier: the names of DetectedAlert (src/detect/alerts.ts) and the store's AlertRecord. */
export interface NotifyAlert {
  id: string;
  detection: string;
  title: string;
  /** `behavior`, `modeling`, `configuration`, `indicator` (or `test` for a test notification). */
  kind: string;
  severity: NotifySeverity;
  /** The risk score, 0..100. */
  score: number;
  /** 0..1. */
  confidence: number;
  techniques: string[];
  tactics: string[];
  src: NotifyEndpoint | null;
  dst: NotifyEndpoint | null;
  protocol: string | null;
  /** Capture time, seconds. */
  first_seen: number;
  last_seen: number;
  count: number;
  /** The workflow status (`new`, `acknowledged`...: src/common/vocabulary.ts). */
  status: string;
  /** Link to the alert in the console. */
  url?: string;
}

export const TARGET_KINDS = ['webhook', 'syslog'] as const;
export const TARGET_FORMATS = ['json', '5424', 'cef'] as const;
export const SYSLOG_TRANSPORTS = ['udp', 'tcp', 'tls'] as const;
/** The syslog envelope around a CEF record: RFC 3164-style (the CEF guide's), RFC 5424, or the bare record. */
export const CEF_HEADERS = ['3164', '5424', 'none'] as const;
/** Stream framing over TCP and TLS: RFC 6587 octet counting (RFC 5425 for TLS) or a line feed after each message. */
export const STREAM_FRAMINGS = ['octet_counting', 'lf'] as const;

export type TargetKind = (typeof TARGET_KINDS)[number];
export type TargetFormat = (typeof TARGET_FORMATS)[number];
export type SyslogTransport = (typeof SYSLOG_TRANSPORTS)[number];
export type CefHeader = (typeof CEF_HEADERS)[number];
export type StreamFraming = (typeof STREAM_FRAMINGS)[number];

/** A notification target as stored (setting `notify.targets`); webhook fields or syslog fields by `kind`. */
export interface NotifyTarget {
  id: string;
  name: string;
  kind: TargetKind;
  enabled: boolean;
  /** `json` for webhooks; `5424` or `cef` for syslog. */
  format: TargetFormat;
  /** Alerts with a lower score are not sent. */
  min_score: number;
  /** Alerts less severe are not sent. */
  min_severity: NotifySeverity;
  /** Webhook: http or https URL. */
  url?: string;
  /** Webhook: HMAC-SHA256 key of the `X-Lantern-Signature` header; write-only in the API. */
  secret?: string | null;
  /** Syslog: receiver host name or address, port, transport. */
  host?: string;
  port?: number;
  transport?: SyslogTransport;
  /** Syslog facility, 0..23 (default 20, local4). */
  facility?: number;
  cef_header?: CefHeader;
  framing?: StreamFraming;
  /** TLS: PEM file of the CA that signed the receiver's certificate (default: the system's CAs). */
  ca_file?: string | null;
  /** Largest message in bytes (default 2048 over UDP, 8192 over TCP and TLS). */
  max_bytes?: number;
}

export interface TargetCounters {
  /** Messages accepted into the queue (ever). */
  queued: number;
  /** Messages in the queue or being delivered now. */
  pending: number;
  sent: number;
  /** Attempts that failed and were tried again. */
  retried: number;
  dead_lettered: number;
  /** Messages refused because the queue was full (or still queued at shutdown). */
  dropped: number;
  last_error: string | null;
  /** Unix seconds. */
  last_error_at: number | null;
  last_success: number | null;
}

export interface DeadLetter {
  /** Unix seconds. */
  at: number;
  alert: string;
  title: string;
  event: NotifyEventType;
  attempts: number;
  error: string;
}

export interface TestOutcome {
  ok: boolean;
  /** HTTP status of a webhook's answer. */
  status: number | null;
  error: string | null;
  ms: number;
}

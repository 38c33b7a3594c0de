// Syslog messages of alerts: RFC 5424 (header, structured data with the RFC 5612 example enterprise number, UTF-8 MSG
// with its BOM) and the RFC 3164-style envelope the ArcSight CEF guide shows; each fitted to a byte cap.
import type { NotifyAlert, NotifyEventType, NotifySeverity } from './types.js';
import { byteLength, cutChars, cutUtf8 } from './utf8.js';

/**
 * The private enterprise number of the structured-data id. 32473 is the number RFC 5612 reserves for documentation
 * and examples: Lantern has no number of its own from IANA yet, and must not borrow someone else's.
 */
export const LANTERN_PEN = 32473;
export const SD_ID = `lantern@${LANTERN_PEN}`;
/** local4 (RFC 5424 section 6.2.1: local0..local7 are 16..23). */
export const DEFAULT_FACILITY = 20;
export const MAX_FACILITY = 23;
export const APP_NAME = 'lantern';
/** Receivers must accept 480 bytes (RFC 5424 section 6.1); nothing smaller is allowed as a cap. */
export const MIN_MESSAGE_BYTES = 480;
/** Receivers should accept 2048 bytes over UDP (RFC 5426) and 8192 over TLS (RFC 5425). */
export const DEFAULT_UDP_MAX_BYTES = 2048;
export const DEFAULT_STREAM_MAX_BYTES = 8192;
/** The largest UDP payload over IPv4. */
export const MAX_MESSAGE_BYTES = 65_507;
/** One structured-data value, in characters, before escaping. */
const MAX_PARAM_CHARS = 512;
/** The text is not cut below this many bytes while fields could be left out instead. */
const MIN_TEXT_BYTES = 40;
const BOM = '\uFEFF';
const NIL = '-';

/** RFC 5424 severities: critical 2, error 3, warning 4, notice 5, informational 6. */
export const SYSLOG_SEVERITY: Record<NotifySeverity, number> = { critical: 2, high: 3, medium: 4, low: 5, info: 6 };

export function priority(facility: number, severity: NotifySeverity): number {
  return facility * 8 + SYSLOG_SEVERITY[severity];
}

/** A header field (HOSTNAME, APP-NAME, PROCID, MSGID): printable US-ASCII only, at most `max` characters, or `-`. */
export function headerField(s: string, max: number): string {
  const clean = s.replace(/[^\x21-\x7e]/g, '').slice(0, max);
  return clean === '' ? NIL : clean;
}

/** A PARAM-VALUE: `"`, `\` and `]` are escaped with a backslash (RFC 5424 section 6.3.3). */
export function escapeParamValue(v: string): string {
  return v.replace(/["\\\]]/g, '\\$&');
}

/** RFC 5424 TIMESTAMP (RFC 3339, UTC, milliseconds), or `-` for a clock that makes no sense. */
export function timestamp5424(ms: number): string {
  const d = new Date(ms);
  return Number.isFinite(d.getTime()) ? d.toISOString() : NIL;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 3164 TIMESTAMP `Mmm dd hh:mm:ss` (day padded with a space); in UTC, since the format cannot say the zone. */
export function timestamp3164(ms: number): string {
  const d = new Date(Number.isFinite(ms) ? ms : 0);
  const two = (n: number) => (n < 10 ? `0${n}` : String(n));
  const day = d.getUTCDate();
  return `${MONTHS[d.getUTCMonth()]} ${day < 10 ? ` ${day}` : day} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

export interface SyslogContext {
  facility: number;
  /** The sender's host name (HOSTNAME); `-` when unknown. */
  hostname: string;
  /** PROCID; `-` leaves it out. */
  procId: string;
  /** Milliseconds: the time of the message (TIMESTAMP). */
  now: number;
  maxBytes: number;
}

export interface Built {
  bytes: Buffer;
  /** The message was over `maxBytes` and was shortened. */
  truncated: boolean;
}

/** `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID`. */
export function header5424(pri: number, ctx: SyslogContext, msgId: string): string {
  return `<${pri}>1 ${timestamp5424(ctx.now)} ${headerField(ctx.hostname, 255)} ${APP_NAME} ${headerField(ctx.procId, 128)} ${headerField(msgId, 32)}`;
}

/** `<PRI>Mmm dd hh:mm:ss HOSTNAME ` : the envelope of a CEF record sent RFC 3164-style. */
export function header3164(pri: number, ctx: SyslogContext): string {
  return `<${pri}>${timestamp3164(ctx.now)} ${headerField(ctx.hostname, 255)} `;
}

const secondsIso = (s: number) => timestamp5424(s * 1000);

/** The alert's structured-data parameters, most important first (the last ones go first when the cap is hit). */
export function alertParams(a: NotifyAlert): [string, string][] {
  const p: [string, string][] = [
    ['id', a.id],
    ['detection', a.detection],
    ['score', String(a.score)],
    ['severity', a.severity],
    ['kind', a.kind],
    ['count', String(a.count)],
  ];
  if (a.src !== null) p.push(['src', a.src.ip]);
  if (a.dst !== null) p.push(['dst', a.dst.ip]);
  if (a.protocol !== null) p.push(['protocol', a.protocol]);
  p.push(['status', a.status], ['first_seen', secondsIso(a.first_seen)], ['last_seen', secondsIso(a.last_seen)], ['confidence', String(a.confidence)]);
  if (a.src?.asset) p.push(['src_asset', a.src.asset]);
  if (a.dst?.asset) p.push(['dst_asset', a.dst.asset]);
  if (a.techniques.length > 0) p.push(['techniques', a.techniques.join(',')]);
  if (a.tactics.length > 0) p.push(['tactics', a.tactics.join(',')]);
  if (a.url !== undefined && a.url !== '') p.push(['url', a.url]);
  return p.map(([k, v]) => [k, cutChars(v, MAX_PARAM_CHARS)]);
}

function structuredData(params: readonly [string, string][]): string {
  if (params.length === 0) return NIL;
  let s = `[${SD_ID}`;
  for (const [k, v] of params) s += ` ${k}="${escapeParamValue(v)}"`;
  return `${s}]`;
}

/**
 * Assembles `HEADER SP STRUCTURED-DATA [SP BOM MSG]` within `maxBytes`: first the text is shortened, then parameters
 * are left out from the least important, then (never in practice: header fields are capped) the bytes are cut.
 */
export function fit5424(header: string, params: readonly [string, string][], text: string, maxBytes: number): Built {
  let p = params;
  let truncated = false;
  for (;;) {
    const head = `${header} ${structuredData(p)}`;
    const headBytes = byteLength(head);
    if (text === '') {
      if (headBytes <= maxBytes) return { bytes: Buffer.from(head, 'utf8'), truncated };
    } else {
      const room = maxBytes - headBytes - 1 - 3;
      if (byteLength(text) <= room) return { bytes: Buffer.from(`${head} ${BOM}${text}`, 'utf8'), truncated };
      if (room >= MIN_TEXT_BYTES || (p.length === 0 && room > 0)) return { bytes: Buffer.from(`${head} ${BOM}${cutUtf8(text, room)}`, 'utf8'), truncated: true };
    }
    truncated = true;
    if (p.length === 0) return { bytes: Buffer.from(cutUtf8(head, maxBytes), 'utf8'), truncated };
    p = p.slice(0, -1);
  }
}

/** An alert as an RFC 5424 message: MSGID the event, structured data `[lantern@32473 ...]`, MSG the title. */
export function format5424(a: NotifyAlert, event: NotifyEventType, ctx: SyslogContext): Built {
  return fit5424(header5424(priority(ctx.facility, a.severity), ctx, event), alertParams(a), a.title.replace(/[\r\n]+/g, ' '), ctx.maxBytes);
}

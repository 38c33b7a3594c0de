// One notification as its target sends it: webhook JSON (signed when the target has a secret), RFC 5424, or CEF in
// the envelope the target asks for. Pure: the clock, host name and delivery id come in.
import { formatCef } from './cef.js';
import { DEFAULT_FACILITY, DEFAULT_UDP_MAX_BYTES, format5424, header3164, header5424, priority, type SyslogContext } from './syslog.js';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signature, webhookBody } from './webhook.js';
import { DEFAULT_CEF_HEADER } from './config.js';
import type { NotifyAlert, NotifyEventType, NotifyTarget } from './types.js';
import { byteLength } from './utf8.js';

export interface RenderContext {
  hostname: string;
  procId: string;
  /** Lantern's version (CEF Device Version). */
  version: string;
  /** Milliseconds. */
  now: number;
  /** The notification's id, the same for each of its attempts. */
  delivery: string;
}

export interface Rendered {
  body: Buffer;
  headers: Record<string, string>;
  truncated: boolean;
}

export function renderMessage(t: NotifyTarget, a: NotifyAlert, event: NotifyEventType, ctx: RenderContext): Rendered {
  if (t.kind === 'webhook') {
    const body = webhookBody(a, event, Math.round(ctx.now) / 1000);
    const headers: Record<string, string> = { [EVENT_HEADER]: event, [DELIVERY_HEADER]: ctx.delivery };
    if (typeof t.secret === 'string' && t.secret !== '') headers[SIGNATURE_HEADER] = signature(body, t.secret);
    return { body: Buffer.from(body, 'utf8'), headers, truncated: false };
  }
  const s: SyslogContext = { facility: t.facility ?? DEFAULT_FACILITY, hostname: ctx.hostname, procId: ctx.procId, now: ctx.now, maxBytes: t.max_bytes ?? DEFAULT_UDP_MAX_BYTES };
  if (t.format !== 'cef') {
    const m = format5424(a, event, s);
    return { body: m.bytes, headers: {}, truncated: m.truncated };
  }
  const pri = priority(s.facility, a.severity);
  const envelope = {
    '3164': () => header3164(pri, s),
    // CEF parsers expect the record to start with `CEF:`: the MSG goes without a BOM (RFC 5424 MSG-ANY).
    '5424': () => `${header5424(pri, s, event)} - `,
    none: () => '',
  }[t.cef_header ?? DEFAULT_CEF_HEADER]();
  const cef = formatCef(a, event, ctx.version, s.maxBytes - byteLength(envelope));
  return { body: Buffer.from(envelope + cef.text, 'utf8'), headers: {}, truncated: cef.truncated };
}

// Evidence routes: the packets of an alert (its hosts, its time window) or of any window and hosts, as pcapng from
// the kept captures (src/evidence), with what could not be covered in response headers; the coverage and the
// keeper's state as JSON. Downloads are audited.
import { createReadStream, createWriteStream, fstatSync, openSync, rmSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './errors.js';
import { ERROR_RESPONSES, type AuditFn } from './routes-data.js';
import type { AlertRecord, Store } from '../store/store.js';
import { DEFAULT_MAX_EXPORT_FRAMES, type Evidence, type ExportRequest } from '../evidence/evidence.js';
import { IP_PROTOCOLS, parseAddress, type HostTerm } from '../evidence/frame-match.js';

export const PCAPNG_CONTENT_TYPE = 'application/x-pcapng';
/** Seconds added before an alert's first and after its last sighting (default of `margin`). */
export const ALERT_MARGIN_SECONDS = 60;
/** Longest window one export may ask for. */
export const MAX_WINDOW_SECONDS = 7 * 86400;
/** Gaps listed in the X-Lantern-Evidence-Gaps header (all of them are in the file's comments). */
const MAX_HEADER_GAPS = 20;

const errors = ERROR_RESPONSES;
const PCAP_RESPONSE = {
  200: { description: 'pcapng (application/x-pcapng); headers X-Lantern-Evidence-Frames, -Truncated (no, frames, bytes), -Gaps (JSON), -Gaps-Total, -Captures', type: 'string', format: 'binary' },
  ...errors,
} as const;
const HOST_LIST = {
  type: 'array',
  maxItems: 16,
  items: { type: 'string', maxLength: 100 },
  description: 'an address (frames from or to it) or two joined by a comma (frames between them); repeatable, any matches',
} as const;
const GAP_SCHEMA = {
  type: 'object',
  required: ['from', 'to', 'reason'],
  properties: { from: { type: 'number' }, to: { type: 'number' }, reason: { type: 'string' }, capture: { type: 'string' } },
} as const;

/** `a` or `a,b` → a host term; null when an address does not parse. */
function hostTerm(text: string): HostTerm | null {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length > 2 || parts.some((p) => parseAddress(p) === null)) return null;
  return parts.length === 2 ? { a: parts[0], b: parts[1] } : { a: parts[0] };
}

function protocolNumber(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const named = IP_PROTOCOLS[text.toLowerCase()];
  if (named !== undefined) return named;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 255) throw new ApiError('request.invalid', `protocol ${text}: expected tcp, udp, icmp, icmpv6 or a number 0-255`);
  return n;
}

function checkWindow(from: number, to: number): void {
  if (!(to > from)) throw new ApiError('request.invalid', '`to` must be after `from`');
  if (to - from > MAX_WINDOW_SECONDS) throw new ApiError('request.invalid', `the window is longer than ${MAX_WINDOW_SECONDS} seconds`);
}

/** The hosts of an alert: its source and destination (a pair when both), else the addresses of its assets. */
export function alertHosts(alert: AlertRecord, store: Store): HostTerm[] {
  const ipOf = (x: unknown): string | null => {
    const ip = typeof x === 'object' && x !== null ? (x as { ip?: unknown }).ip : undefined;
    return typeof ip === 'string' && parseAddress(ip) !== null ? ip : null;
  };
  const src = ipOf(alert.details.src);
  const dst = ipOf(alert.details.dst);
  if (src !== null && dst !== null) return src === dst ? [{ a: src }] : [{ a: src, b: dst }];
  if (src !== null || dst !== null) return [{ a: (src ?? dst)! }];
  const ips = new Set<string>();
  for (const id of alert.assets) for (const ip of store.getAsset(id)?.ips ?? []) if (parseAddress(ip) !== null) ips.add(ip);
  return [...ips].slice(0, 16).map((a) => ({ a }));
}

/** JSON that is plain ASCII (a header value), non-ASCII characters escaped. */
/** Alerts of an incident whose hosts select its packets. */
const MAX_INCIDENT_ALERTS_EXPORTED = 500;

function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function safeFileName(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 150);
}

function describeHosts(hosts: readonly HostTerm[]): string[] {
  return hosts.map((h) => (h.b === undefined ? h.a : `${h.a},${h.b}`));
}

export function registerEvidenceRoutes(app: FastifyInstance, store: Store, evidence: Evidence, audit: AuditFn): void {
  /** Runs the export into a spool file, then answers it with its length and the headers the export decided. */
  async function send(req: FastifyRequest, reply: FastifyReply, request: ExportRequest, fileName: string, target: string): Promise<FastifyReply> {
    const spool = evidence.spoolPath();
    let result;
    try {
      result = await evidence.exportEvidence(request, createWriteStream(spool));
    } catch (err) {
      rmSync(spool, { force: true });
      throw err;
    }
    // Opened, then unlinked at once: the open descriptor keeps the bytes until the answer is sent (or dropped).
    const fd = openSync(spool, 'r');
    rmSync(spool, { force: true });
    const size = fstatSync(fd).size;
    const body = createReadStream('', { fd });
    audit(req, 'evidence.export', target, {
      from: request.from,
      to: request.to,
      hosts: describeHosts(request.hosts ?? []),
      frames: result.frames,
      bytes: size,
      truncated: result.truncated,
      gaps: result.gaps.length,
    });
    return reply
      .header('content-type', PCAPNG_CONTENT_TYPE)
      .header('content-disposition', `attachment; filename="${fileName}"`)
      .header('content-length', size)
      .header('x-lantern-evidence-frames', String(result.frames))
      .header('x-lantern-evidence-truncated', result.truncated ?? 'no')
      .header('x-lantern-evidence-gaps', asciiJson(result.gaps.slice(0, MAX_HEADER_GAPS)))
      .header('x-lantern-evidence-gaps-total', String(result.gaps.length))
      .header('x-lantern-evidence-captures', String(result.captures.length))
      .send(body);
  }

  /** An alert's or an incident's packets: by id, over its span widened by a margin. */
  const SPAN_REQUEST = {
    params: { type: 'object', properties: { id: { type: 'string', maxLength: 128 } } },
    querystring: {
      type: 'object',
      additionalProperties: false,
      properties: {
        margin: { type: 'number', minimum: 0, maximum: 3600, default: ALERT_MARGIN_SECONDS, description: 'seconds before first seen and after last seen' },
        max_frames: { type: 'integer', minimum: 1, maximum: DEFAULT_MAX_EXPORT_FRAMES },
      },
    },
  } as const;

  app.get(
    '/api/alerts/:id/pcap',
    {
      config: { role: 'analyst' },
      schema: {
        summary: "The alert's packets as pcapng: its source and destination (or its assets' addresses), from first seen − margin to last seen + margin",
        ...SPAN_REQUEST,
        response: PCAP_RESPONSE,
      },
    },
    async (req, reply) => {
      const { id } = req.params as { id: string };
      const q = req.query as { margin: number; max_frames?: number };
      const alert = store.getAlert(id);
      if (alert === null) throw new ApiError('not_found', 'no such alert');
      const hosts = alertHosts(alert, store);
      if (hosts.length === 0) throw new ApiError('not_found', 'the alert names no host address to select its packets by');
      const from = alert.first_seen - q.margin;
      // `to` is exclusive: a frame at exactly last_seen + margin is still in.
      const to = alert.last_seen + q.margin + 1e-6;
      if (to - from > MAX_WINDOW_SECONDS) throw new ApiError('request.invalid', `the alert spans more than ${MAX_WINDOW_SECONDS} seconds: export a window of it with /api/evidence/pcap`);
      const request: ExportRequest = { from, to, hosts, maxFrames: q.max_frames, title: `Lantern evidence for alert ${alert.id} (${alert.detection}): ${alert.title}` };
      return send(req, reply, request, `lantern-${safeFileName(alert.detection)}-${safeFileName(alert.id)}.pcapng`, `alert:${alert.id}`);
    },
  );

  app.get(
    '/api/incidents/:id/pcap',
    {
      config: { role: 'analyst' },
      schema: {
        summary: "An incident's packets as pcapng: every pair of hosts its alerts name, from its first seen − margin to its last seen + margin",
        ...SPAN_REQUEST,
        response: PCAP_RESPONSE,
      },
    },
    async (req, reply) => {
      const { id } = req.params as { id: string };
      const q = req.query as { margin: number; max_frames?: number };
      const incident = store.triage.getIncident(id);
      if (incident === null) throw new ApiError('not_found', 'no such incident');
      // The pairs its alerts name (a host alone when an alert has one end), deduplicated.
      const seen = new Set<string>();
      const hosts: HostTerm[] = [];
      for (const a of store.listAlerts({ incident: id }, null, MAX_INCIDENT_ALERTS_EXPORTED).items) {
        for (const h of alertHosts(a, store)) {
          const k = describeHosts([h])[0];
          if (seen.has(k)) continue;
          seen.add(k);
          hosts.push(h);
        }
      }
      if (hosts.length === 0) throw new ApiError('not_found', 'the incident names no host address to select its packets by');
      const from = incident.first_seen - q.margin;
      const to = incident.last_seen + q.margin + 1e-6;
      if (to - from > MAX_WINDOW_SECONDS) throw new ApiError('request.invalid', `the incident spans more than ${MAX_WINDOW_SECONDS} seconds: export a window of it with /api/evidence/pcap`);
      const request: ExportRequest = { from, to, hosts, maxFrames: q.max_frames, title: `Lantern evidence for incident ${incident.id}: ${incident.title}` };
      return send(req, reply, request, `lantern-incident-${safeFileName(incident.id)}.pcapng`, `incident:${incident.id}`);
    },
  );

  const windowQuery = {
    from: { type: 'number', description: 'capture time, seconds, inclusive' },
    to: { type: 'number', description: 'capture time, seconds, exclusive' },
  } as const;

  app.get(
    '/api/evidence/pcap',
    {
      config: { role: 'analyst' },
      schema: {
        summary: 'Packets of a capture-time window (at most 7 days), optionally of some hosts, ports and IP protocol, as pcapng',
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['from', 'to'],
          properties: {
            ...windowQuery,
            host: HOST_LIST,
            port: { type: 'array', maxItems: 16, items: { type: 'integer', minimum: 0, maximum: 65535 } },
            protocol: { type: 'string', maxLength: 8, description: 'tcp, udp, icmp, icmpv6 or an IP protocol number' },
            max_frames: { type: 'integer', minimum: 1, maximum: DEFAULT_MAX_EXPORT_FRAMES },
          },
        },
        response: PCAP_RESPONSE,
      },
    },
    async (req, reply) => {
      const q = req.query as { from: number; to: number; host?: string[]; port?: number[]; protocol?: string; max_frames?: number };
      checkWindow(q.from, q.to);
      const hosts: HostTerm[] = [];
      for (const h of q.host ?? []) {
        const term = hostTerm(h);
        if (term === null) throw new ApiError('request.invalid', `host ${h}: expected an IP address or two joined by a comma`);
        hosts.push(term);
      }
      const request: ExportRequest = { from: q.from, to: q.to, hosts, ports: q.port, protocol: protocolNumber(q.protocol), maxFrames: q.max_frames };
      const stamp = new Date(q.from * 1000).toISOString().replace(/[:.]/g, '-');
      return send(req, reply, request, `lantern-evidence-${safeFileName(stamp)}.pcapng`, 'window');
    },
  );

  app.get(
    '/api/evidence/coverage',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Which kept captures cover a capture-time window, and its gaps (what an export of it could not contain)',
        querystring: { type: 'object', additionalProperties: false, required: ['from', 'to'], properties: windowQuery },
        response: {
          200: {
            type: 'object',
            required: ['captures', 'gaps'],
            properties: {
              captures: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['id', 'name', 'kind', 'first', 'last', 'bytes', 'open'],
                  properties: { id: { type: 'string' }, name: { type: 'string' }, kind: { type: 'string' }, first: { type: 'number' }, last: { type: 'number' }, bytes: { type: 'number' }, open: { type: 'boolean' } },
                },
              },
              gaps: { type: 'array', items: GAP_SCHEMA },
            },
          },
          ...errors,
        },
      },
    },
    async (req) => {
      const q = req.query as { from: number; to: number };
      checkWindow(q.from, q.to);
      return evidence.coverage(q.from, q.to);
    },
  );

  app.get(
    '/api/evidence',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'The evidence keeper: budget, bytes kept, captures, evictions and other counters, anomalies',
        response: { 200: { type: 'object', additionalProperties: true }, ...errors },
      },
    },
    async () => evidence.stats(),
  );
}

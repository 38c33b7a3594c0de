// Threat-intel matching: ended flows (both addresses), DNS (question and answers), HTTP (Host and URL) and TLS (SNI)
// transactions checked against an IndicatorSet; every hit is a finding carrying the indicator's source and context.
// Transactions rather than hints: they hold the URL, every DNS question (answered or not) and the CNAMEs, and the
// name hints repeat them. Hash indicators have no traffic source yet (file transfers will feed matchHash).
import type { FlowRecord } from '../../flow/flow.js';
import type { TransactionRecord } from '../../pipeline/detail.js';
import { isTechniqueId } from '../attack/index.js';
import type { Detection, DetectionInfo, DetectContext } from '../types.js';
import type { Indicator } from './indicator.js';
import { IndicatorSet } from './indicator-set.js';
import { IntelFeed } from './intel-feed.js';

/** Indicators whose STIX confidence is below this raise medium alerts; above (or without one), high. */
export const HIGH_SEVERITY_CONFIDENCE = 50;
/** Longest description carried into an alert: the rest is in the feed. */
const MAX_DESCRIPTION = 500;
const MAX_PATTERN = 500;
const MAX_REFERENCES = 5;
const MAX_PHASES = 10;
/** DNS answers checked per transaction (the DNS module already keeps at most its own MAX_ANSWERS). */
const MAX_ANSWERS = 64;

export type MatchedField = 'client.ip' | 'server.ip' | 'dns.query' | 'dns.answer' | 'http.host' | 'http.url' | 'tls.sni';

export const indicatorMatchInfo: DetectionInfo = {
  id: 'indicator.match',
  title: 'Traffic matching a threat-intel indicator',
  kind: 'indicator',
  severity: 'medium',
  confidence: 0.9,
  // Indicators name what is bad, not what the adversary did: each hit adds the techniques its indicator names.
  techniques: [],
  playbook: {
    meaning:
      'A host exchanged traffic with an address, looked up or contacted a domain, or requested a URL that a threat-intel feed lists. In a control network every outside contact is news; one to a listed command-and-control, malware or scanning host may mean a compromised engineering workstation, HMI or remote-access path.',
    check: [
      'Which feed listed it, why (name, description, labels, references) and how sure it is (confidence, valid until)?',
      'Which internal host made the contact, and is it an engineering workstation, HMI, historian or jump host? Was it a single lookup or repeated traffic (alert count, first and last seen)?',
      'Did the contact succeed (DNS answer, HTTP status, TLS handshake, bytes in the flow) and did the host then talk to controllers in an unusual way?',
      'Is the indicator stale or too broad (a shared hosting address, a CDN range, a parent domain of a legitimate service)?',
    ],
    respond: [
      'If confirmed: block the address or domain at the zone boundary and the site DNS, isolate the host from the control network, collect its disk and memory before reimaging, and check the controllers it reached for program or setting changes.',
      'If the indicator is wrong for this site: remove it from the feed or suppress it with the reason.',
    ],
  },
};

/** The `indicator.match` detection over `intel` (a feed is read at every record, so replacing its set takes effect at once). */
export function indicatorDetection(intel: IndicatorSet | IntelFeed): Detection {
  const feed = intel instanceof IndicatorSet ? new IntelFeed(intel) : intel;
  return {
    ...indicatorMatchInfo,
    create: () => ({
      flowEnd(f: FlowRecord, ctx: DetectContext) {
        const set = feed.set;
        if (set.size === 0) return;
        const protocol = f.protocol ?? f.transport;
        for (const ind of set.matchIp(f.server.ip)) {
          raise(ctx, ind, { ts: f.firstTs, flow: f.id, protocol, src: f.client.ip, dst: f.server.ip, what: 'flow', field: 'server.ip', value: f.server.ip, title: `Traffic from ${f.client.ip} to ${f.server.ip}` });
        }
        for (const ind of set.matchIp(f.client.ip)) {
          raise(ctx, ind, { ts: f.firstTs, flow: f.id, protocol, src: f.client.ip, dst: f.server.ip, what: 'flow', field: 'client.ip', value: f.client.ip, title: `Traffic to ${f.server.ip} from ${f.client.ip}` });
        }
      },
      transaction(t: TransactionRecord, ctx: DetectContext) {
        const set = feed.set;
        if (set.size === 0) return;
        if (t.protocol === 'dns') matchDns(set, t, ctx);
        else if (t.protocol === 'http') matchHttp(set, t, ctx);
        else if (t.protocol === 'tls') {
          const sni = t.target.sni;
          if (typeof sni === 'string' && set.hasDomains) {
            for (const ind of set.matchDomain(sni)) raise(ctx, ind, hit(t, 'tls_client_hello', 'tls.sni', sni, `TLS connection from ${t.client.ip} to ${sni} (${t.server.ip})`));
          }
        }
      },
    }),
  };
}

function matchDns(set: IndicatorSet, t: TransactionRecord, ctx: DetectContext): void {
  const query = typeof t.target.query === 'string' ? t.target.query : '';
  if (query !== '' && set.hasDomains) {
    for (const ind of set.matchDomain(query)) raise(ctx, ind, hit(t, 'dns_query', 'dns.query', query, `${t.client.ip} looked up ${query}`));
  }
  const answers = (t as { dns?: { answers?: unknown } }).dns?.answers;
  if (!Array.isArray(answers)) return;
  const n = Math.min(answers.length, MAX_ANSWERS);
  for (let i = 0; i < n; i++) {
    const a = answers[i] as { type?: unknown; data?: unknown };
    if (typeof a !== 'object' || a === null || typeof a.data !== 'string') continue;
    const data = a.data;
    const found = a.type === 'a' || a.type === 'aaaa' ? set.matchIp(data) : a.type === 'cname' && set.hasDomains ? set.matchDomain(data) : null;
    if (found === null) continue;
    for (const ind of found) raise(ctx, ind, hit(t, 'dns_answer', 'dns.answer', data, `DNS answer to ${t.client.ip} for ${query || 'a query'} names ${data}`));
  }
}

function matchHttp(set: IndicatorSet, t: TransactionRecord, ctx: DetectContext): void {
  const host = typeof t.target.host === 'string' ? t.target.host : '';
  const uri = typeof t.target.uri === 'string' ? t.target.uri : '';
  // Absolute-form URIs (requests to a proxy) and CONNECT authorities name the real destination.
  const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(uri);
  const connect = t.operation.name === 'connect';
  const name = hostOf(connect ? uri : absolute ? uri.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '') : host);
  if (name !== null && set.hasDomains) {
    for (const ind of set.matchDomain(name)) raise(ctx, ind, hit(t, 'http_request', 'http.host', name, `HTTP request from ${t.client.ip} to ${name} (${t.server.ip})`));
  }
  if (!connect && set.hasUrls && (absolute || (host !== '' && uri.startsWith('/')))) {
    const url = absolute ? uri : `${host}${uri}`;
    for (const ind of set.matchUrl(url)) raise(ctx, ind, hit(t, 'http_request', 'http.url', url, `HTTP request from ${t.client.ip} for ${url.length > 120 ? `${url.slice(0, 120)}…` : url}`));
  }
}

/** The host name of `host[:port][/path]`, or null for an IP literal (flows match those) or nothing. */
function hostOf(s: string): string | null {
  const end = s.search(/[/?#]/);
  let h = end < 0 ? s : s.slice(0, end);
  if (h.startsWith('[')) return null;
  const colon = h.lastIndexOf(':');
  if (colon >= 0) h = h.slice(0, colon);
  if (h === '' || /^[\d.]+$/.test(h)) return null;
  return h;
}

interface Hit {
  ts: number;
  flow: number | null;
  protocol: string;
  src: string;
  dst: string;
  what: string;
  field: MatchedField;
  value: string;
  /** What happened, naming the hosts; the indicator part is added. */
  title: string;
}

function hit(t: TransactionRecord, what: string, field: MatchedField, value: string, title: string): Hit {
  return { ts: t.ts, flow: t.flow, protocol: t.protocol, src: t.client.ip, dst: t.server.ip, what, field, value, title };
}

function raise(ctx: DetectContext, ind: Indicator, h: Hit): void {
  const severity = ind.confidence === undefined || ind.confidence >= HIGH_SEVERITY_CONFIDENCE ? 'high' : 'medium';
  ctx.raise(indicatorMatchInfo, {
    ts: h.ts,
    src: h.src,
    dst: h.dst,
    protocol: h.protocol,
    key: ind.id,
    title: `${h.title.endsWith(h.value) ? `${h.title},` : `${h.title}: ${h.value} is`} a known indicator${ind.name !== undefined ? ` (${ind.name})` : ind.labels.length > 0 ? ` (${ind.labels.join(', ')})` : ''} (source: ${ind.source})`,
    severity,
    evidence: { ts: h.ts, flow: h.flow, protocol: h.protocol, what: h.what, target: { field: h.field, value: h.value }, note: `indicator ${ind.id}` },
    facts: { indicator: indicatorFacts(ind), matched: { field: h.field, value: h.value } },
    // The feed's ATT&CK for ICS techniques (enterprise ids and unknown ones stay in facts.indicator.techniques only).
    techniques: ind.techniques.filter(isTechniqueId),
  });
}

function indicatorFacts(ind: Indicator): Record<string, unknown> {
  return {
    id: ind.id,
    name: ind.name ?? null,
    source: ind.source,
    pattern: cut(ind.pattern, MAX_PATTERN),
    labels: ind.labels,
    confidence: ind.confidence ?? null,
    description: ind.description === undefined ? null : cut(ind.description, MAX_DESCRIPTION),
    valid_until: ind.valid_until ?? null,
    created_by: ind.created_by ?? null,
    kill_chain_phases: ind.kill_chain_phases.slice(0, MAX_PHASES),
    references: ind.external_references.slice(0, MAX_REFERENCES).map((r) => ({ source_name: r.source_name, url: r.url ?? null, external_id: r.external_id ?? null })),
    techniques: ind.techniques,
  };
}

function cut(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

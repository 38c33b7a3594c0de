// HTTP request/response pairs → normalised transactions, and asset hints from heads (docs/protocols/http.md).
import { latencyMs, type AssetHintEvent, type TransactionEvent } from '../operation.js';
import { methodAccess, statusName } from './codes.js';
import type { HttpFields, HttpHead } from './types.js';

export const PROTOCOL_ID = 'http';

/** A request waiting for (or paired with) its response; body lengths grow as the bodies stream past. */
export interface HttpExchange {
  request: HttpHead | null;
  requestTs: number;
  requestBodyLen: number;
  response: HttpHead | null;
  responseTs: number;
  responseBodyLen: number;
}

export function describeExchange(x: HttpExchange): TransactionEvent {
  const rq = x.request;
  const rs = x.response;
  const status = rs?.status ?? 0;
  const http: HttpFields = { status, request_body_len: x.requestBodyLen, response_body_len: x.responseBodyLen };
  const target: { host?: string; uri?: string } = {};
  if (rq !== null) {
    http.method = rq.method;
    if (rq.host !== undefined) http.host = target.host = rq.host.toLowerCase();
    http.uri = target.uri = rq.uri;
    if (rq.userAgent !== undefined) http.user_agent = rq.userAgent;
  }
  if (rs !== null) {
    if (rs.server !== undefined) http.server = rs.server;
    if (rs.contentType !== undefined) http.content_type = rs.contentType;
  }
  const method = rq?.method ?? '';
  const outcome: TransactionEvent['outcome'] = rs === null ? 'no_response' : status >= 400 ? 'exception' : 'ok';
  return {
    protocol: PROTOCOL_ID,
    type: 'transaction',
    ts: rq !== null ? x.requestTs : x.responseTs,
    operation: { code: status, name: rq !== null ? method.toLowerCase() : 'unknown', access: methodAccess(method) },
    target,
    outcome,
    latency_ms: rq !== null && rs !== null ? latencyMs(x.requestTs, x.responseTs) : null,
    origin: rq !== null ? 'client' : 'server',
    ...(outcome === 'exception' ? { error: { code: status, name: statusName(status) } } : {}),
    http,
  };
}

const IPV4_LITERAL = /^\d+(\.\d+){0,3}$/;
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_][a-z0-9_-]{0,62})*$/;

/** The host name of a Host header (port and trailing dot dropped, lowercase), or null for IP literals and junk. */
export function hostName(host: string): string | null {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[')) return null;
  const colon = h.lastIndexOf(':');
  if (colon >= 0) {
    if (!/^\d*$/.test(h.slice(colon + 1))) return null;
    h = h.slice(0, colon);
  }
  if (h.endsWith('.')) h = h.slice(0, -1);
  if (IPV4_LITERAL.test(h) || !HOST_NAME.test(h)) return null;
  return h;
}

export function userAgentHint(userAgent: string, ts: number): AssetHintEvent {
  return { protocol: PROTOCOL_ID, type: 'asset_hint', ts, side: 'client', identity: { user_agent: userAgent }, source: 'http_request' };
}

export function hostHint(name: string, ts: number): AssetHintEvent {
  return { protocol: PROTOCOL_ID, type: 'asset_hint', ts, side: 'server', names: [{ name, source: 'http_host' }], source: 'http_request' };
}

/** The server's role, with its Server header as software when present. */
export function serverHint(server: string | undefined, ts: number): AssetHintEvent {
  const hint: AssetHintEvent = { protocol: PROTOCOL_ID, type: 'asset_hint', ts, side: 'server', role: 'http_server', source: 'http_response' };
  if (server !== undefined && server !== '') return { ...hint, identity: { software: server } };
  return hint;
}

// OPC UA messages → normalised transactions and asset hints (docs/protocols/opcua.md lists the fields).
import type { AssetHintEvent, AssetIdentity, CodeName, Operation, Outcome, Target, TransactionEvent } from '../operation.js';
import { latencyMs } from '../operation.js';
import { MESSAGE_TYPES, messageTypeCode, statusIsBad, statusName } from './codes.js';
import { policyName } from './parse.js';
import type { ApplicationDescription, Chunk, MessageType, ServiceMessage } from './types.js';

/** One side of a transaction: the chunk that completed the message, its decoded body if any, its time. */
export interface Side {
  readonly chunk: Chunk;
  readonly service: ServiceMessage | null;
  readonly ts: number;
  readonly chunks: number;
}

function transportOperation(type: MessageType): Operation {
  const t = MESSAGE_TYPES[type];
  return { code: messageTypeCode(type), name: t.name, access: t.access };
}

export const ENCRYPTED_OPERATION: Operation = { code: messageTypeCode('MSG'), name: 'encrypted_message', access: 'other' };

function serviceOperation(req: ServiceMessage | null, resp: ServiceMessage | null): Operation | null {
  const known = req?.service ?? resp?.service ?? null;
  if (known !== null) return { code: known.request, name: known.name, access: known.access };
  const s = req ?? (resp?.kind === 'fault' ? null : resp);
  if (s === null) return null;
  return { code: Math.max(s.encoding_id, 0), name: `unknown_${s.encoding_id >= 0 ? s.encoding_id : s.type_id}`, access: 'other' };
}

function status(code: number): { code: number; name: string } {
  return { code, name: statusName(code) };
}

function put(o: Record<string, unknown>, k: string, v: unknown): void {
  if (v !== undefined && v !== null) o[k] = v;
}

function chunkFields(o: Record<string, unknown>, c: Chunk, prefix: string): void {
  put(o, `${prefix}secure_channel_id`, c.secure_channel_id);
  put(o, `${prefix}token_id`, c.token_id);
  put(o, `${prefix}sequence_number`, c.sequence_number);
  if (c.security_policy_uri !== undefined) {
    put(o, `${prefix}security_policy_uri`, c.security_policy_uri);
    put(o, `${prefix}security_policy`, policyName(c.security_policy_uri));
    put(o, `${prefix}sender_certificate_length`, c.sender_certificate_length);
    put(o, `${prefix}receiver_thumbprint_length`, c.receiver_thumbprint_length);
  }
}

function appFields(a: ApplicationDescription): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  put(o, 'application_uri', a.application_uri);
  put(o, 'product_uri', a.product_uri);
  put(o, 'application_name', a.application_name);
  o.application_type = a.application_type;
  if (a.discovery_urls.length > 0) o.discovery_urls = a.discovery_urls;
  return o;
}

function serviceFields(o: Record<string, unknown>, s: ServiceMessage, request: boolean): void {
  if (request) {
    o.request_type = s.service !== null ? `${s.service.service}Request` : s.type_id;
    put(o, 'request_handle', s.request_handle);
    put(o, 'request_timestamp', s.timestamp);
    if (s.items.length > 0) o.nodes = s.items;
    put(o, 'node_count', s.item_count);
    if (s.values.length > 0) o.input_arguments = s.values;
    put(o, 'endpoint_url', s.endpoint_url);
    put(o, 'session_name', s.session_name);
    put(o, 'security_mode', s.security_mode);
    put(o, 'security_token_request_type', s.request_type);
    put(o, 'identity_token', s.identity_token);
    put(o, 'user_name', s.user_name);
    if (s.application !== null) o.client_application = appFields(s.application);
  } else {
    o.response_type = s.kind === 'fault' ? 'ServiceFault' : s.service !== null ? `${s.service.service}Response` : s.type_id;
    put(o, 'response_handle', s.request_handle);
    put(o, 'response_timestamp', s.timestamp);
    if (s.service_result !== null) {
      o.service_result = statusName(s.service_result);
      o.service_result_code = s.service_result;
    }
    if (s.values.length > 0) o.values = s.values;
    if (s.results.length > 0) o.results = s.results.map(statusName);
    put(o, 'result_count', s.item_count);
    if (s.endpoints.length > 0) {
      o.endpoints = s.endpoints.map((e) => ({
        endpoint_url: e.endpoint_url,
        security_mode: e.security_mode,
        security_policy: e.security_policy,
        security_level: e.security_level,
      }));
    }
    put(o, 'endpoint_count', s.endpoint_count);
    if (s.application !== null) o.server_application = appFields(s.application);
    put(o, 'subscription_id', s.subscription_id);
  }
  if (request) put(o, 'subscription_id', s.subscription_id);
}

function targetOf(req: ServiceMessage | null, reqChunk: Chunk | null): Target {
  const t: Record<string, unknown> = {};
  if (req !== null) {
    const first = req.items[0];
    if (first !== undefined) {
      t.node = first.node;
      if (first.attribute !== undefined) t.area = first.attribute;
      if (first.method !== undefined) t.method = first.method;
    }
    if (req.item_count !== null) t.count = req.item_count;
    put(t, 'endpoint_url', req.endpoint_url);
  }
  if (reqChunk?.hello?.endpoint_url) t.endpoint_url = reqChunk.hello.endpoint_url;
  return t as Target;
}

/** A request (or lone message) with its response: the transaction record. */
export interface DescribeOptions {
  /** The body is encrypted: only the transport fields are known. */
  readonly encrypted?: boolean;
  /** A message that gets no answer by design (CLO, RHE, encrypted MSG): outcome `ok`, not `no_response`. */
  readonly lone?: boolean;
}

export function describeTransaction(req: Side | null, resp: Side | null, opts: DescribeOptions = {}): TransactionEvent {
  const encrypted = opts.encrypted === true;
  const first = (req ?? resp)!;
  const o: Record<string, unknown> = { message_type: first.chunk.type };
  let operation = serviceOperation(req?.service ?? null, resp?.service ?? null);
  if (encrypted) {
    operation = first.chunk.type === 'MSG' ? ENCRYPTED_OPERATION : serviceOperationForType(first.chunk.type);
    o.encrypted = true;
    o.chunk_type = first.chunk.chunk;
  }
  operation ??= transportOperation(first.chunk.type);
  chunkFields(o, first.chunk, '');
  put(o, 'request_id', first.chunk.request_id);
  o.message_size = first.chunk.size;
  if (first.chunks > 1) o.chunk_count = first.chunks;
  if (req?.chunk.hello !== undefined) o.hello = req.chunk.hello;
  if (req !== null && req.service !== null) serviceFields(o, req.service, true);
  let outcome: Outcome = resp === null && req !== null && opts.lone !== true ? 'no_response' : 'ok';
  let error: CodeName | undefined;
  if (resp !== null) {
    const c = resp.chunk;
    if (req !== null && c.type !== req.chunk.type) o.response_message_type = c.type;
    if (req !== null) {
      const r: Record<string, unknown> = {};
      chunkFields(r, c, '');
      if (c.security_policy_uri !== undefined || req.chunk.type === 'OPN') o.response_security = r;
      if (resp.chunks > 1) o.response_chunk_count = resp.chunks;
      o.response_size = c.size;
    }
    if (c.hello !== undefined) o.acknowledge = c.hello;
    if (c.error_code !== undefined) {
      error = status(c.error_code);
      outcome = 'exception';
      o.error = statusName(c.error_code);
      put(o, 'reason', c.reason);
    }
    if (c.chunk === 'A') o.aborted = true;
    const s = resp.service;
    if (s !== null) {
      serviceFields(o, s, false);
      if (s.kind === 'fault' || (s.service_result !== null && statusIsBad(s.service_result))) {
        outcome = 'exception';
        error = status(s.service_result ?? 0x80000000);
      }
    }
  }
  if (first.chunk.type === 'RHE') {
    put(o, 'server_uri', first.chunk.server_uri);
    put(o, 'endpoint_url', first.chunk.endpoint_url);
  }
  const target = targetOf(req?.service ?? null, req?.chunk ?? null);
  const latency_ms = req !== null && resp !== null ? latencyMs(req.ts, resp.ts) : null;
  const origin = req !== null ? 'client' : 'server';
  if (error !== undefined) {
    return { protocol: 'opcua', type: 'transaction', ts: first.ts, operation, target, outcome, error, latency_ms, origin, opcua: o };
  }
  return { protocol: 'opcua', type: 'transaction', ts: first.ts, operation, target, outcome, latency_ms, origin, opcua: o };
}

function serviceOperationForType(type: MessageType): Operation {
  if (type === 'OPN') return { code: 446, name: 'open_secure_channel', access: 'other' };
  if (type === 'CLO') return { code: 452, name: 'close_secure_channel', access: 'other' };
  return ENCRYPTED_OPERATION;
}

/** Identity an application description carries (product = product URI, name = application name). */
export function identityHint(
  side: 'client' | 'server',
  app: ApplicationDescription,
  ts: number,
  source: string,
): AssetHintEvent | null {
  const identity: AssetIdentity = {};
  if (app.product_uri !== null && app.product_uri !== '') identity.product = app.product_uri;
  if (app.application_name !== null && app.application_name !== '') identity.name = app.application_name;
  if (app.application_uri !== null && app.application_uri !== '') identity.application_uri = app.application_uri;
  identity.device_type = `opcua_${app.application_type}`;
  if (Object.keys(identity).length === 1) return null;
  const hint: AssetHintEvent = { protocol: 'opcua', type: 'asset_hint', ts, side, role: side, identity, source };
  return app.application_uri ? { ...hint, address: app.application_uri } : hint;
}

export function roleHint(side: 'client' | 'server', ts: number, source: string): AssetHintEvent {
  return { protocol: 'opcua', type: 'asset_hint', ts, side, role: side, source };
}


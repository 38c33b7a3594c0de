// HTTP methods with their access class, and status reason names (RFC 9110 sections 9 and 15, WebDAV RFC 4918).
import type { Access } from '../operation.js';

/** Methods the probe recognises at the start of a client stream (any token is accepted once the flow is HTTP). */
export const KNOWN_METHODS: readonly string[] = [
  'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH',
  'PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'REPORT', 'SEARCH',
];

export function methodAccess(method: string): Access {
  switch (method) {
    case 'GET':
    case 'HEAD':
    case 'OPTIONS':
      return 'read';
    case 'POST':
    case 'PUT':
    case 'PATCH':
    case 'DELETE':
      return 'write';
    default:
      return 'other';
  }
}

const STATUS_NAMES: Readonly<Record<number, string>> = {
  100: 'continue', 101: 'switching_protocols',
  200: 'ok', 201: 'created', 202: 'accepted', 204: 'no_content', 206: 'partial_content', 207: 'multi_status',
  301: 'moved_permanently', 302: 'found', 303: 'see_other', 304: 'not_modified', 307: 'temporary_redirect', 308: 'permanent_redirect',
  400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed', 406: 'not_acceptable',
  407: 'proxy_authentication_required', 408: 'request_timeout', 409: 'conflict', 410: 'gone', 411: 'length_required',
  413: 'content_too_large', 414: 'uri_too_long', 415: 'unsupported_media_type', 429: 'too_many_requests',
  500: 'internal_server_error', 501: 'not_implemented', 502: 'bad_gateway', 503: 'service_unavailable', 504: 'gateway_timeout',
  505: 'http_version_not_supported',
};

export function statusName(status: number): string {
  return STATUS_NAMES[status] ?? `status_${status}`;
}

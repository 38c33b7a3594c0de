// One TLS handshake → a `client_hello` transaction, and the SNI as the server's name (docs/protocols/tls.md).
import { createHash } from 'node:crypto';
import { latencyMs, type AssetHintEvent, type CodeName, type TransactionEvent } from '../operation.js';
import { alertName, cipherName, isGrease, versionName } from './codes.js';
import type { ClientHello, ServerHello, TlsFields } from './types.js';

export const PROTOCOL_ID = 'tls';
const HANDSHAKE_CLIENT_HELLO = 1;

export interface Handshake {
  client: ClientHello | null;
  clientTs: number;
  server: ServerHello | null;
  serverTs: number;
  certSubject: string | null;
  /** Alert description the server sent before its ServerHello (-1 when none). */
  serverAlert: number;
}

/** JA3 (Salesforce): MD5 of version,ciphers,extensions,groups,point formats in decimal, GREASE values left out. */
export function ja3(ch: ClientHello): string {
  const list = (v: number[]) => v.filter((x) => !isGrease(x)).join('-');
  const text = `${ch.legacyVersion},${list(ch.ciphers)},${list(ch.extensions)},${list(ch.groups)},${ch.pointFormats.join('-')}`;
  return createHash('md5').update(text).digest('hex');
}

export function describeHandshake(h: Handshake): TransactionEvent {
  const ch = h.client;
  const sh = h.server;
  const tls: TlsFields = { alpn: ch?.alpn ?? [] };
  if (ch !== null) {
    tls.version = versionName(ch.maxVersion);
    if (ch.sni !== undefined) tls.sni = ch.sni;
    tls.ja3 = ja3(ch);
  }
  if (sh !== null) {
    tls.server_version = versionName(sh.version);
    tls.cipher = sh.cipher;
    const name = cipherName(sh.cipher);
    if (name !== undefined) tls.cipher_name = name;
    if (sh.alpn !== undefined) tls.server_alpn = sh.alpn;
  }
  if (h.certSubject !== null) tls.cert_subject = h.certSubject;
  let outcome: TransactionEvent['outcome'] = sh !== null ? 'ok' : 'no_response';
  let error: CodeName | undefined;
  if (sh === null && h.serverAlert >= 0) {
    outcome = 'exception';
    error = { code: h.serverAlert, name: alertName(h.serverAlert) };
    tls.alert = error.name;
  }
  return {
    protocol: PROTOCOL_ID,
    type: 'transaction',
    ts: ch !== null ? h.clientTs : h.serverTs,
    operation: { code: HANDSHAKE_CLIENT_HELLO, name: 'client_hello', access: 'other' },
    target: ch?.sni !== undefined ? { sni: ch.sni } : {},
    outcome,
    latency_ms: ch !== null && sh !== null ? latencyMs(h.clientTs, h.serverTs) : null,
    origin: ch !== null ? 'client' : 'server',
    ...(error !== undefined ? { error } : {}),
    tls,
  };
}

const NAME = /^(?=.{1,253}$)[a-z0-9_*]([a-z0-9_-]{0,62})(\.[a-z0-9_][a-z0-9_-]{0,62})*\.?$/;
const IPV4_LITERAL = /^\d+(\.\d+){3}$/;

/** The SNI as a name of the server (lowercase, no trailing dot), or null when it is not a host name. */
export function sniHint(ch: ClientHello, ts: number): AssetHintEvent | null {
  if (ch.sni === undefined) return null;
  let name = ch.sni.toLowerCase();
  if (!NAME.test(name) || IPV4_LITERAL.test(name)) return null;
  if (name.endsWith('.')) name = name.slice(0, -1);
  return { protocol: PROTOCOL_ID, type: 'asset_hint', ts, side: 'server', names: [{ name, source: 'tls_sni' }], source: 'tls_client_hello' };
}

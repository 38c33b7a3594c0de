// DNS queries and responses → normalised transactions and asset hints (docs/protocols/dns.md).
import type { AssetHintEvent, CodeName, HostName, NameSource, TransactionEvent } from '../operation.js';
import { latencyMs } from '../operation.js';
import { OPCODE_UPDATE, opcodeName, rcodeName, typeName } from './codes.js';
import type { DnsAnswer, DnsBinding, DnsMessage, DnsVariant } from './types.js';

export const PROTOCOL_ID = 'dns';

export type Side = 'client' | 'server';

export interface DnsFields {
  variant: DnsVariant;
  id: number;
  opcode?: number;
  opcode_name?: string;
  query?: string;
  qtype?: number;
  qclass?: number;
  unicast_response?: boolean;
  rcode?: number;
  rcode_name?: string;
  answers?: DnsAnswer[];
  answers_truncated?: boolean;
  authoritative?: boolean;
  truncated?: boolean;
  conflict?: boolean;
  tentative?: boolean;
}

/**
 * One transaction from a query and/or its response (not both missing). `lone`: a query sent to a multicast group,
 * whose answers come on other flows: outcome ok without latency rather than no_response.
 */
export function describeTransaction(
  variant: DnsVariant,
  query: DnsMessage | null,
  queryTs: number,
  querySide: Side,
  resp: DnsMessage | null,
  respTs: number,
  respSide: Side,
  lone: boolean,
): TransactionEvent {
  const base = (query ?? resp)!;
  const q = query?.question ?? resp?.question ?? null;
  const qtype = q === null ? 0 : q.type;
  const dns: DnsFields = { variant, id: base.id };
  if (base.opcode !== 0) {
    dns.opcode = base.opcode;
    dns.opcode_name = opcodeName(base.opcode);
  }
  if (q !== null) {
    dns.query = q.name;
    dns.qtype = q.type;
    dns.qclass = q.class;
    if (q.unicastResponse) dns.unicast_response = true;
  }
  let outcome: TransactionEvent['outcome'] = resp === null && !lone ? 'no_response' : 'ok';
  let error: CodeName | undefined;
  if (resp !== null) {
    dns.rcode = resp.rcode;
    dns.rcode_name = rcodeName(resp.rcode);
    dns.answers = resp.answers;
    if (resp.answerCount > resp.answers.length) dns.answers_truncated = true;
    if (variant === 'llmnr') {
      dns.conflict = resp.authoritative;
      dns.tentative = resp.recursionDesired;
    } else {
      dns.authoritative = resp.authoritative;
    }
    dns.truncated = resp.truncated;
    if (resp.rcode !== 0) {
      outcome = 'exception';
      error = { code: resp.rcode, name: dns.rcode_name };
    }
  }
  return {
    protocol: PROTOCOL_ID,
    type: 'transaction',
    ts: query !== null ? queryTs : respTs,
    operation: { code: qtype, name: q === null ? 'none' : typeName(qtype), access: base.opcode === OPCODE_UPDATE ? 'write' : 'other' },
    target: q === null ? {} : { query: q.name },
    outcome,
    latency_ms: query !== null && resp !== null ? latencyMs(queryTs, respTs) : null,
    origin: query !== null ? querySide : respSide,
    ...(error !== undefined ? { error } : {}),
    dns,
  };
}

const SOURCES: Record<DnsVariant, NameSource> = { dns: 'dns', mdns: 'mdns', llmnr: 'llmnr' };

/**
 * Name hints a response carries: one per address an A/AAAA record or a reverse PTR names (subject ip). The question
 * name is added to an answer-section address record reached through a CNAME. Left out: mDNS records with TTL 0
 * (goodbyes: the binding ended), service names (a label starting with `_`, as some mDNS stacks give A records to
 * service instances), loopback and unspecified addresses.
 */
export function bindingHints(variant: DnsVariant, msg: DnsMessage, side: Side, ts: number): AssetHintEvent[] {
  const out: AssetHintEvent[] = [];
  const source = SOURCES[variant];
  for (const b of msg.bindings) {
    if ((variant === 'mdns' && b.ttl === 0) || !isHostName(b.name) || !isHostAddress(b.ip)) continue;
    const names: HostName[] = [{ name: b.name, source }];
    const qname = msg.question?.name;
    if (isCnameTarget(msg, b, qname)) names.push({ name: qname!, source });
    out.push({ protocol: PROTOCOL_ID, type: 'asset_hint', ts, side, subject: { ip: b.ip }, names, source: `${variant}_answer` });
  }
  return out;
}

function isCnameTarget(msg: DnsMessage, b: DnsBinding, qname: string | undefined): boolean {
  return msg.hasCname && b.section === 0 && qname !== undefined && qname !== b.name && !qname.endsWith('.arpa');
}

export function serverRoleHint(side: Side, ts: number): AssetHintEvent {
  return { protocol: PROTOCOL_ID, type: 'asset_hint', ts, side, role: 'dns_server', source: 'dns_answer' };
}

function isHostName(name: string): boolean {
  return name !== '.' && !name.startsWith('_') && !name.includes('._');
}

function isHostAddress(ip: string): boolean {
  return !ip.startsWith('127.') && ip !== '0.0.0.0' && ip !== '::1' && ip !== '::';
}

// NetBIOS name service requests and responses → normalised transactions and asset hints (docs/protocols/nbns.md).
import { latencyMs, type AssetHintEvent, type CodeName, type HostName, type TransactionEvent } from '../operation.js';
import { TYPE_NB, TYPE_NBSTAT, isHostNameSuffix, opcodeEntry, questionTypeName, rcodeName, registersName, suffixName } from './codes.js';
import type { NbAddress, NbnsMessage, NodeStatusName } from './types.js';

export const PROTOCOL_ID = 'nbns';

export type Side = 'client' | 'server';

export interface NbnsFields {
  trn_id: number;
  name?: string;
  suffix?: number;
  suffix_name?: string;
  scope?: string;
  qtype?: number;
  broadcast: boolean;
  ttl?: number;
  addresses?: NbAddress[];
  rcode?: number;
  rcode_name?: string;
  authoritative?: boolean;
  status_names?: NodeStatusName[];
  mac?: string;
}

/** One transaction from a request and/or its response; `lone`: a broadcast request, whose answers come on other flows. */
export function describeTransaction(
  req: NbnsMessage | null,
  reqTs: number,
  reqSide: Side,
  resp: NbnsMessage | null,
  respTs: number,
  respSide: Side,
  lone: boolean,
): TransactionEvent {
  const base = (req ?? resp)!;
  const name = req?.name ?? resp?.name ?? null;
  const qtype = req?.name != null ? req.qtype : base.qtype;
  const entry = opcodeEntry(base.opcode);
  const nbns: NbnsFields = { trn_id: base.trnId, broadcast: base.broadcast };
  if (name !== null) {
    nbns.name = name.name;
    if (name.suffix >= 0) {
      nbns.suffix = name.suffix;
      nbns.suffix_name = suffixName(name.suffix);
    }
    if (name.scope !== '') nbns.scope = name.scope;
    nbns.qtype = qtype;
  }
  const registered = req !== null && registersName(req.opcode) ? req : null;
  if (registered !== null && registered.addresses.length > 0) {
    nbns.ttl = registered.ttl;
    nbns.addresses = registered.addresses;
  }
  let outcome: TransactionEvent['outcome'] = resp === null && !lone ? 'no_response' : 'ok';
  let error: CodeName | undefined;
  if (resp !== null) {
    nbns.rcode = resp.rcode;
    nbns.rcode_name = rcodeName(resp.rcode);
    nbns.authoritative = resp.authoritative;
    if (resp.addresses.length > 0) {
      nbns.ttl = resp.ttl;
      nbns.addresses = resp.addresses;
    }
    if (resp.statusNames.length > 0) nbns.status_names = resp.statusNames;
    if (resp.mac !== '') nbns.mac = resp.mac;
    if (resp.rcode !== 0) {
      outcome = 'exception';
      error = { code: resp.rcode, name: nbns.rcode_name };
    }
  }
  const sub: CodeName | undefined = name !== null ? { code: qtype, name: questionTypeName(qtype) } : undefined;
  return {
    protocol: PROTOCOL_ID,
    type: 'transaction',
    ts: req !== null ? reqTs : respTs,
    operation: sub === undefined ? { code: base.opcode, name: entry.name, access: entry.access } : { code: base.opcode, name: entry.name, access: entry.access, sub },
    target: name === null ? {} : name.suffix >= 0 ? { name: name.name, suffix: name.suffix } : { name: name.name },
    outcome,
    latency_ms: req !== null && resp !== null ? latencyMs(reqTs, respTs) : null,
    origin: req !== null ? reqSide : respSide,
    ...(error !== undefined ? { error } : {}),
    nbns,
  };
}

/**
 * Name hints of one message: a registration or refresh request names the addresses it registers, a positive name
 * query response the addresses it gives; a node status response names its sender (subject: the sender's address and
 * MAC). Only unique names with suffix 0x00 or 0x20 are host names.
 */
export function nameHints(msg: NbnsMessage, side: Side, senderIp: string, ts: number): AssetHintEvent[] {
  const out: AssetHintEvent[] = [];
  const n = msg.name;
  if (n === null || msg.rcode !== 0) return out;
  const addressSource = !msg.response && registersName(msg.opcode) ? 'nbns_registration' : msg.response && msg.opcode === 0 && msg.qtype === TYPE_NB ? 'nbns_response' : '';
  if (addressSource !== '' && n.suffix >= 0 && isHostNameSuffix(n.suffix)) {
    for (const a of msg.addresses) {
      if (a.group || a.ip === '0.0.0.0') continue;
      out.push({ protocol: PROTOCOL_ID, type: 'asset_hint', ts, side, subject: { ip: a.ip }, names: [{ name: n.name, source: 'netbios' }], source: addressSource });
    }
  }
  if (msg.response && msg.qtype === TYPE_NBSTAT && (msg.statusNames.length > 0 || msg.mac !== '')) {
    const names: HostName[] = [];
    for (const s of msg.statusNames) {
      if (!s.group && isHostNameSuffix(s.suffix) && !names.some((h) => h.name === s.name)) names.push({ name: s.name, source: 'netbios' });
    }
    const subject = msg.mac !== '' ? { ip: senderIp, mac: msg.mac } : { ip: senderIp };
    if (names.length > 0 || msg.mac !== '') {
      const identity = names.length > 0 ? { identity: { name: names[0].name } } : {};
      out.push({ protocol: PROTOCOL_ID, type: 'asset_hint', ts, side, subject, names, source: 'nbns_node_status', ...identity });
    }
  }
  return out;
}

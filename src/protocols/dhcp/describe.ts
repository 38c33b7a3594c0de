// DHCPv4 messages → normalised transactions (one per message) and asset hints (docs/protocols/dhcp.md).
import type { AssetHintEvent, AssetIdentity, HintSubject, HostName, TransactionEvent } from '../operation.js';
import { MSG, OP_REPLY, OP_REQUEST, messageName } from './codes.js';
import type { DhcpFields } from './types.js';

export const PROTOCOL_ID = 'dhcp';

export type Side = 'client' | 'server';

export function describeMessage(f: DhcpFields, side: Side, ts: number): TransactionEvent {
  const name = messageName(f.msg_type, f.op);
  const nak = f.msg_type === MSG.NAK;
  return {
    protocol: PROTOCOL_ID,
    type: 'transaction',
    ts,
    operation: { code: f.msg_type, name, access: 'other' },
    target: f.client_mac !== undefined ? { client_mac: f.client_mac } : {},
    outcome: nak ? 'exception' : 'ok',
    latency_ms: null,
    origin: side,
    ...(nak ? { error: { code: MSG.NAK, name: 'nak' } } : {}),
    dhcp: f,
  };
}

/**
 * Hints of one message. A client message (op 1) speaks for the client's MAC: host name (option 12, and the client
 * FQDN of option 81), vendor class, parameter list; with its address when a request asks for one (option 50, or
 * ciaddr when renewing) or an inform states it. A server's ACK binds the client's MAC to yiaddr. The sender of a reply
 * is the DHCP server unless the server identifier names another host (then it is a relay).
 */
export function messageHints(f: DhcpFields, side: Side, senderIp: string, ts: number): AssetHintEvent[] {
  const out: AssetHintEvent[] = [];
  const source = `dhcp_${messageName(f.msg_type, f.op)}`;
  if (f.op === OP_REPLY && (f.server_id === undefined || f.server_id === senderIp) && f.msg_type !== 0) {
    out.push({ protocol: PROTOCOL_ID, type: 'asset_hint', ts, side, role: 'dhcp_server', source });
  }
  if (f.client_mac === undefined || f.client_mac === '00:00:00:00:00:00' || f.client_mac === 'ff:ff:ff:ff:ff:ff') return out;
  const subject: { mac: string; ip?: string } = { mac: f.client_mac };
  const names: HostName[] = [];
  const identity: AssetIdentity = {};
  if (f.op === OP_REQUEST) {
    if (f.msg_type === MSG.REQUEST) {
      const ip = f.requested_ip ?? f.ciaddr;
      if (ip !== undefined) subject.ip = ip;
    } else if (f.msg_type === MSG.INFORM && f.ciaddr !== undefined) {
      subject.ip = f.ciaddr;
    }
    if (f.vendor_class !== undefined) identity.dhcp_vendor_class = f.vendor_class;
    if (f.param_list !== undefined) identity.dhcp_fingerprint = f.param_list;
  } else if (f.msg_type === MSG.ACK) {
    if (f.yiaddr !== undefined) subject.ip = f.yiaddr;
  } else {
    return out;
  }
  if (f.host_name !== undefined && f.host_name !== '') {
    names.push({ name: f.host_name, source: 'dhcp' });
    identity.name = f.host_name;
  }
  if (f.fqdn !== undefined && f.fqdn !== '' && f.fqdn !== '.' && f.fqdn !== f.host_name) names.push({ name: f.fqdn, source: 'dhcp' });
  if (subject.ip === undefined && names.length === 0 && Object.keys(identity).length === 0) return out;
  const hint: AssetHintEvent = {
    protocol: PROTOCOL_ID,
    type: 'asset_hint',
    ts,
    side,
    subject: subject as HintSubject,
    ...(names.length > 0 ? { names } : {}),
    ...(Object.keys(identity).length > 0 ? { identity } : {}),
    source,
  };
  out.push(hint);
  return out;
}

// EtherNet/IP and CIP messages → normalised transactions and asset hints (docs/protocols/enip.md lists every field).
import { latencyMs, type AssetHintEvent, type AssetIdentity, type CodeName, type Outcome, type TransactionEvent } from '../operation.js';
import {
  CMD_LIST_IDENTITY,
  DEVICE_TYPES,
  DEVICE_TYPE_ROLES,
  IDENTITY_RESET_TYPES,
  ITEM_SEQUENCED_ADDRESS,
  STATUS_PARTIAL_TRANSFER,
  cipService,
  className,
  encapCommand,
  encapStatusName,
  generalStatusName,
  unknownName,
} from './codes.js';
import type { CipRequest, CipResponse, EncapHeader, EncapMessage, Identity } from './types.js';
import { CIP_VENDORS } from './vendors.js';

/** The encapsulation facts of one exchange, shared by the CIP transactions it carries. */
export interface ExchangeInfo {
  ts: number;
  origin: 'client' | 'server';
  header: EncapHeader;
  connectionId: number | null;
  sequence: number | null;
  /** Reply encapsulation header, null without reply. */
  reply: EncapHeader | null;
  replyTs: number;
  /** Route path when the request came through Unconnected_Send. */
  route: string | null;
}

function outcomeOf(info: ExchangeInfo, rsp: CipResponse | null, needCip: boolean): { outcome: Outcome; error?: CodeName } {
  if (info.reply === null) return { outcome: 'no_response' };
  if (info.reply.status !== 0) return { outcome: 'exception', error: { code: info.reply.status, name: encapStatusName(info.reply.status) } };
  if (rsp === null) return needCip ? { outcome: 'no_response' } : { outcome: 'ok' };
  if (rsp.status !== 0 && rsp.status !== STATUS_PARTIAL_TRANSFER) return { outcome: 'exception', error: { code: rsp.status, name: generalStatusName(rsp.status) } };
  return { outcome: 'ok' };
}

function baseFields(info: ExchangeInfo): Record<string, unknown> {
  const f: Record<string, unknown> = {
    command: encapCommand(info.header.command).name,
    command_code: info.header.command,
    session_handle: info.reply?.session ?? info.header.session,
    sender_context: info.header.context,
  };
  if (info.reply !== null && info.reply.status !== 0) {
    f.encap_status = info.reply.status;
    f.encap_status_name = encapStatusName(info.reply.status);
  }
  if (info.connectionId !== null) f.connection_id = info.connectionId;
  if (info.sequence !== null) f.sequence = info.sequence;
  return f;
}

export function identityFields(id: Identity): Record<string, unknown> {
  const f: Record<string, unknown> = {
    vendor_id: id.vendor_id,
    vendor_name: CIP_VENDORS.get(id.vendor_id) ?? null,
    device_type: id.device_type,
    device_type_name: DEVICE_TYPES[id.device_type] ?? unknownName(id.device_type),
    product_code: id.product_code,
    revision: id.revision,
    status: id.status,
    serial: id.serial,
    product_name: id.product_name,
  };
  if (id.state !== undefined) f.state = id.state;
  if (id.encap_version !== undefined) f.encap_version = id.encap_version;
  if (id.socket !== undefined) f.socket_address = `${id.socket.address}:${id.socket.port}`;
  return f;
}

/** One transaction for an encapsulation command that carries no CIP message (ListIdentity, RegisterSession...). */
export function encapTransaction(info: ExchangeInfo, reply: EncapMessage | null, request: EncapMessage | null): TransactionEvent {
  const cmd = encapCommand(info.header.command);
  const fields = baseFields(info);
  const o = outcomeOf(info, null, false);
  if (request?.protocolVersion != null) fields.protocol_version = request.protocolVersion;
  if (reply !== null) {
    if (reply.identities.length > 0) fields.identities = reply.identities.map(identityFields);
    if (reply.services.length > 0) fields.services = reply.services.map((s) => ({ version: s.version, flags: s.flags, name: s.name }));
  }
  const ev: TransactionEvent = {
    protocol: 'enip',
    type: 'transaction',
    ts: info.ts,
    operation: { code: info.header.command, name: cmd.name, access: cmd.access },
    target: {},
    outcome: o.outcome,
    latency_ms: info.reply !== null ? latencyMs(info.ts, info.replyTs) : null,
    origin: info.origin,
    ...(o.error ? { error: o.error } : {}),
    enip: fields,
  };
  return ev;
}

/** One transaction per CIP service: `index`/`count` locate it inside a Multiple_Service_Packet (else -1/0). */
export function cipTransaction(
  info: ExchangeInfo,
  req: CipRequest,
  rsp: CipResponse | null,
  index: number,
  count: number,
): TransactionEvent {
  const p = req.path;
  const svc = cipService(req.service, p.cls, p.symbol !== null);
  const target: Record<string, unknown> = {};
  if (p.cls >= 0) target.area = className(p.cls);
  if (p.instance >= 0) target.address = p.instance;
  if (req.elements !== undefined) target.count = req.elements;
  if (p.attribute >= 0) target.attribute = p.attribute;
  if (p.member >= 0) target.member = p.member;
  if (p.connPoint >= 0) target.connection_point = p.connPoint;
  if (p.symbol !== null) target.tag = p.symbol;
  if (info.route !== null) target.route = info.route;
  const fields = baseFields(info);
  fields.service_code = req.service;
  if (p.cls >= 0) fields.class = p.cls;
  fields.path = p.text;
  if (p.ports !== null) fields.path_ports = p.ports;
  if (info.route !== null) fields.route_path = info.route;
  if (count > 0) {
    fields.msp_index = index;
    fields.msp_count = count;
  }
  fields.request_data_length = req.dataLength;
  if (req.dataType !== undefined) fields.data_type = req.dataType;
  if (req.fragmentOffset !== undefined) fields.fragment_offset = req.fragmentOffset;
  if (req.forwardOpen !== undefined) {
    const fo: Record<string, unknown> = { ...req.forwardOpen };
    if (rsp?.forwardOpen !== undefined) {
      fo.o_t_connection_id = rsp.forwardOpen.o_t_connection_id;
      fo.t_o_connection_id = rsp.forwardOpen.t_o_connection_id;
      fo.o_t_api_us = rsp.forwardOpen.o_t_api_us;
      fo.t_o_api_us = rsp.forwardOpen.t_o_api_us;
    }
    fields.forward_open = fo;
  }
  if (req.forwardClose !== undefined) fields.forward_close = { ...req.forwardClose };
  let sub: CodeName | undefined;
  if (req.resetType !== undefined) {
    sub = { code: req.resetType, name: IDENTITY_RESET_TYPES[req.resetType] ?? unknownName(req.resetType) };
    fields.reset_type = req.resetType;
  }
  const o = outcomeOf(info, rsp, true);
  if (rsp !== null) {
    fields.general_status = rsp.status;
    fields.general_status_name = generalStatusName(rsp.status);
    if (rsp.extStatus.length > 0) fields.extended_status = rsp.extStatus;
    fields.response_data_length = rsp.dataLength;
    if (rsp.identity !== undefined) fields.identity = identityFields(rsp.identity);
  }
  return {
    protocol: 'enip',
    type: 'transaction',
    ts: info.ts,
    operation: sub === undefined ? { code: req.service, name: svc.name, access: svc.access } : { code: req.service, name: svc.name, access: svc.access, sub },
    target,
    outcome: o.outcome,
    latency_ms: info.reply !== null ? latencyMs(info.ts, info.replyTs) : null,
    origin: info.origin,
    ...(o.error ? { error: o.error } : {}),
    enip: fields,
  };
}

/** A lone CIP reply (no pending request matched it): described by its own service code and status. */
export function orphanReplyTransaction(info: ExchangeInfo, rsp: CipResponse, index: number, count: number): TransactionEvent {
  const fields = baseFields(info);
  fields.service_code = rsp.service;
  if (count > 0) {
    fields.msp_index = index;
    fields.msp_count = count;
  }
  fields.general_status = rsp.status;
  fields.general_status_name = generalStatusName(rsp.status);
  if (rsp.extStatus.length > 0) fields.extended_status = rsp.extStatus;
  fields.response_data_length = rsp.dataLength;
  const svc = cipService(rsp.service, -1, false);
  const failed = rsp.status !== 0 && rsp.status !== STATUS_PARTIAL_TRANSFER;
  return {
    protocol: 'enip',
    type: 'transaction',
    ts: info.ts,
    operation: { code: rsp.service, name: svc.name, access: svc.access },
    target: {},
    outcome: failed ? 'exception' : 'ok',
    latency_ms: null,
    origin: info.origin,
    ...(failed ? { error: { code: rsp.status, name: generalStatusName(rsp.status) } } : {}),
    enip: fields,
  };
}

export interface IoCounters {
  connectionId: number;
  dir: 0 | 1;
  packets: number;
  bytes: number;
  firstSeq: number;
  lastSeq: number;
  gaps: number;
  firstTs: number;
  lastTs: number;
}

/** One summary transaction per CIP I/O connection (UDP 2222), emitted when the flow ends. */
export function ioTransaction(c: IoCounters): TransactionEvent {
  return {
    protocol: 'enip',
    type: 'transaction',
    ts: c.firstTs,
    operation: { code: ITEM_SEQUENCED_ADDRESS, name: 'cip_io', access: 'other' },
    target: { connection_id: c.connectionId },
    outcome: 'ok',
    latency_ms: null,
    origin: c.dir === 0 ? 'client' : 'server',
    enip: {
      command: 'cip_io',
      io: {
        connection_id: c.connectionId,
        direction: c.dir === 0 ? 'client_to_server' : 'server_to_client',
        packets: c.packets,
        bytes: c.bytes,
        first_sequence: c.firstSeq,
        last_sequence: c.lastSeq,
        sequence_gaps: c.gaps,
        first_ts: c.firstTs,
        last_ts: c.lastTs,
      },
    },
  };
}

export function identityHint(ts: number, side: 'client' | 'server', id: Identity, source: string): AssetHintEvent {
  const identity: AssetIdentity = {
    vendor: CIP_VENDORS.get(id.vendor_id),
    vendor_id: id.vendor_id,
    product_code: id.product_code,
    product: id.product_name,
    firmware: id.revision,
    serial: id.serial,
    device_type: DEVICE_TYPES[id.device_type] ?? unknownName(id.device_type),
    device_type_code: id.device_type,
  };
  if (id.socket !== undefined) identity.socket_address = id.socket.address;
  return { protocol: 'enip', type: 'asset_hint', ts, side, role: DEVICE_TYPE_ROLES[id.device_type] ?? 'server', identity, source };
}

export function roleHint(ts: number, side: 'client' | 'server', source: string): AssetHintEvent {
  return { protocol: 'enip', type: 'asset_hint', ts, side, role: side === 'client' ? 'client' : 'server', source };
}

export const LIST_IDENTITY_SOURCE = encapCommand(CMD_LIST_IDENTITY).name;

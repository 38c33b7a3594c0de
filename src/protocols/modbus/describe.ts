// Modbus request/response pairs → normalised transactions and asset hints (docs/protocols/modbus.md).
import { latencyMs, type Access, type AssetHintEvent, type AssetIdentity, type CodeName, type Operation, type TransactionEvent } from '../operation.js';
import {
  FC_DIAGNOSTICS,
  FC_ENCAPSULATED_INTERFACE,
  FC_UMAS,
  FUNCTION_AREAS,
  MEI_READ_DEVICE_ID,
  UMAS_STATUS_ERROR,
  diagnosticEntry,
  exceptionName,
  functionEntry,
  meiEntry,
  umasEntry,
} from './codes.js';
import type { ModbusAdu, ModbusFields } from './types.js';

export const PROTOCOL_ID = 'modbus';

interface MutableTarget {
  unit: number;
  area?: string;
  address?: number;
  count?: number;
  file?: number;
  [field: string]: unknown;
}

/** One transaction from a request and/or its response (either may be missing, not both). */
export function describeTransaction(req: ModbusAdu | null, reqTs: number, resp: ModbusAdu | null, respTs: number): TransactionEvent {
  const base = (req ?? resp)!;
  const func = base.func;
  const rq: ModbusFields = req?.fields ?? {};
  const rs: ModbusFields = resp?.fields ?? {};

  const entry = functionEntry(func);
  let access: Access = entry.access;
  let sub: CodeName | undefined;
  if (func === FC_DIAGNOSTICS) {
    const code = rq.sub_function ?? rs.sub_function;
    if (code !== undefined) {
      const d = diagnosticEntry(code);
      sub = { code, name: d.name };
      access = d.access;
    }
  } else if (func === FC_ENCAPSULATED_INTERFACE) {
    const code = rq.mei_type ?? rs.mei_type;
    if (code !== undefined) {
      const m = meiEntry(code);
      sub = { code, name: m.name };
      access = m.access;
    }
  } else if (func === FC_UMAS && rq.umas_code !== undefined) {
    const u = umasEntry(rq.umas_code);
    sub = { code: rq.umas_code, name: u.name };
    access = u.access;
  }
  const operation: Operation = sub === undefined ? { code: func, name: entry.name, access } : { code: func, name: entry.name, access, sub };

  const target: MutableTarget = { unit: base.unitId };
  const area = FUNCTION_AREAS[func];
  if (area !== undefined) target.area = area;
  if (func === 23) {
    if (rq.write_address !== undefined) target.address = rq.write_address;
    if (rq.write_quantity !== undefined) target.count = rq.write_quantity;
  } else if (func === 20 || func === 21) {
    const first = rq.file_requests?.[0];
    if (first !== undefined) {
      target.file = first.file_number;
      target.address = first.record_number;
      target.count = first.record_length;
    }
  } else if (func === FC_ENCAPSULATED_INTERFACE && (rq.mei_type ?? rs.mei_type) === MEI_READ_DEVICE_ID) {
    target.area = 'device_identification';
    const obj = rq.object_id;
    if (obj !== undefined) target.address = obj;
  } else {
    const address = rq.address ?? rs.address;
    if (address !== undefined) target.address = address;
    const count = rq.quantity ?? rs.quantity;
    if (count !== undefined) target.count = count;
  }

  const modbus: Record<string, unknown> = { transaction_id: base.transactionId, unit_id: base.unitId, func_code: func };
  Object.assign(modbus, rq);
  for (const key of Object.keys(rs) as (keyof ModbusFields)[]) {
    if (modbus[key] === undefined) modbus[key] = rs[key];
    else if (key === 'byte_count') modbus.response_byte_count = rs.byte_count;
    else if (key === 'values_truncated' || key === 'data_truncated') modbus[key] = true;
  }
  if ((func === 1 || func === 2) && rq.quantity !== undefined && rs.read_values !== undefined && rs.read_values.length > rq.quantity) {
    modbus.read_values = rs.read_values.slice(0, rq.quantity);
  }

  let outcome: TransactionEvent['outcome'] = resp === null ? 'no_response' : 'ok';
  let error: CodeName | undefined;
  if (resp !== null && resp.exceptionCode >= 0) {
    outcome = 'exception';
    error = { code: resp.exceptionCode, name: exceptionName(resp.exceptionCode) };
    modbus.exception_code = resp.exceptionCode;
  } else if (resp !== null && resp.exceptionCode < 0 && (resp.funcCode & 0x80) !== 0) {
    outcome = 'exception';
  } else if (func === FC_UMAS && rs.umas_status === UMAS_STATUS_ERROR) {
    outcome = 'exception';
    error = { code: UMAS_STATUS_ERROR, name: 'umas_error' };
  }

  const event: TransactionEvent = {
    protocol: PROTOCOL_ID,
    type: 'transaction',
    ts: req !== null ? reqTs : respTs,
    operation,
    target,
    outcome,
    latency_ms: req !== null && resp !== null ? latencyMs(reqTs, respTs) : null,
    origin: req !== null ? 'client' : 'server',
    ...(error !== undefined ? { error } : {}),
    modbus,
  };
  return event;
}

export function roleHint(side: 'client' | 'server', ts: number, adu: ModbusAdu): AssetHintEvent {
  const source = functionEntry(adu.func).name;
  if (side === 'client') return { protocol: PROTOCOL_ID, type: 'asset_hint', ts, side, role: 'client', source };
  return { protocol: PROTOCOL_ID, type: 'asset_hint', ts, side, role: 'server', address: adu.unitId, source };
}

/** Identity the server gave in a response (MEI 14 objects, report server id text), or null. */
export function identityHint(ts: number, resp: ModbusAdu): AssetHintEvent | null {
  const f = resp.fields;
  const identity: AssetIdentity = {};
  let source: string;
  if (f.objects !== undefined && f.objects.length > 0) {
    source = 'read_device_identification';
    for (const o of f.objects) {
      if (o.value === '') continue;
      switch (o.id) {
        case 0: identity.vendor = o.value; break;
        case 1: identity.order_number = o.value; break;
        case 2: identity.firmware = o.value; break;
        case 3: identity.vendor_url = o.value; break;
        case 4: identity.product = o.value; break;
        case 5: identity.model = o.value; break;
        case 6: identity.name = o.value; break;
      }
    }
  } else if (f.server_id_text !== undefined) {
    source = 'report_server_id';
    identity.product = f.server_id_text;
    if (f.server_id !== undefined) identity.server_id = f.server_id;
  } else {
    return null;
  }
  if (Object.keys(identity).length === 0) return null;
  return { protocol: PROTOCOL_ID, type: 'asset_hint', ts, side: 'server', role: 'server', address: resp.unitId, identity, source };
}

// S7comm / S7comm-plus PDUs → normalised transactions and asset hints (docs/protocols/s7comm.md lists every field).
import type { AssetHintEvent, AssetIdentity, CodeName, Operation, Outcome, Target, TransactionEvent } from '../operation.js';
import { latencyMs } from '../operation.js';
import {
  AREAS,
  DATA_TRANSPORT_SIZES,
  FUNCTION_GROUPS,
  FUNCTIONS,
  GROUP_CPU,
  ITEM_TRANSPORT_SIZES,
  PI_SERVICES,
  RETURN_CODES,
  RETURN_SUCCESS,
  ROSCTR,
  S7PLUS_FUNCTIONS,
  S7PLUS_OPCODES,
  S7PLUS_VERSIONS,
  SUB_READ_SZL,
  SYNTAX_IDS,
  SZL_LISTS,
  USERDATA_TYPES,
  codeName,
  errorName,
  subfunctionEntry,
  FUNC_READ_VAR,
  FUNC_WRITE_VAR,
  FUNC_SETUP_COMMUNICATION,
  FUNC_PI_SERVICE,
  ROSCTR_USERDATA,
  S7PLUS_SYSTEM_EVENT,
} from './codes.js';
import type { S7Pdu, S7PlusPdu, SzlIdentity } from './types.js';

export const PROTOCOL_ID = 's7comm';

const hex4 = (n: number) => `0x${n.toString(16).padStart(4, '0')}`;

function operationOf(pdu: S7Pdu): Operation {
  const ud = pdu.userdata;
  if (ud !== null) {
    const entry = subfunctionEntry(ud.group, ud.subfunction);
    let access = entry?.access ?? 'other';
    if (ud.group === GROUP_CPU && ud.subfunction === SUB_READ_SZL && pdu.szlId >= 0) access = SZL_LISTS[pdu.szlId & 0xff]?.access ?? 'read';
    return {
      name: codeName(FUNCTION_GROUPS, ud.group),
      code: ud.group,
      access,
      sub: { code: ud.subfunction, name: entry?.name ?? `unknown_${ud.subfunction}` },
    };
  }
  if (pdu.rosctr === ROSCTR_USERDATA) return { name: 'malformed_userdata', code: ROSCTR_USERDATA, access: 'other' };
  const f = FUNCTIONS[pdu.func];
  return { name: f?.name ?? `unknown_${pdu.func}`, code: pdu.func, access: f?.access ?? 'other' };
}

function itemsOf(req: S7Pdu | null, resp: S7Pdu | null): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  const n = Math.max(req?.items.length ?? 0, resp?.dataItems.length ?? 0);
  for (let i = 0; i < n; i++) {
    const it = req?.items[i];
    const out: Record<string, unknown> = {};
    if (it !== undefined) {
      out.syntax = codeName(SYNTAX_IDS, it.syntax);
      if (it.area >= 0) out.area = codeName(AREAS, it.area);
      if (it.db >= 0) out.db = it.db;
      if (it.byte >= 0) {
        out.byte = it.byte;
        out.bit = it.bit;
      }
      if (it.transportSize >= 0) out.transport_size = codeName(ITEM_TRANSPORT_SIZES, it.transportSize);
      if (it.length >= 0) out.length = it.length;
    }
    const wd = req?.dataItems[i];
    if (wd !== undefined) out.data_bytes = wd.length;
    const rd = resp?.dataItems[i];
    if (rd !== undefined) {
      out.return_code = rd.returnCode;
      out.return_name = codeName(RETURN_CODES, rd.returnCode);
      if (rd.transportSize > 0) {
        out.data_transport_size = codeName(DATA_TRANSPORT_SIZES, rd.transportSize);
        out.data_bytes = rd.length;
      }
    }
    items.push(out);
  }
  return items;
}

function targetOf(req: S7Pdu, resp: S7Pdu | null): Target {
  const ud = req.userdata;
  const t: Record<string, unknown> = {};
  if (req.items.length > 0) {
    const it = req.items[0];
    if (it.area >= 0) t.area = codeName(AREAS, it.area);
    if (it.db >= 0) t.db = it.db;
    if (it.byte >= 0) {
      t.address = it.byte;
      t.bit = it.bit;
    }
    if (it.length >= 0) t.count = it.length;
    t.items = req.items.length;
  } else if (req.szlId >= 0 || (ud !== null && ud.group === GROUP_CPU && ud.subfunction === SUB_READ_SZL && resp !== null && resp.szlId >= 0)) {
    const src = req.szlId >= 0 ? req : resp!;
    t.area = 'szl';
    t.address = src.szlId;
    t.szl_id = hex4(src.szlId);
    t.szl_index = hex4(src.szlIndex);
  } else if (req.blockType !== '') {
    t.area = req.blockType;
    if (req.blockNumber >= 0) t.address = req.blockNumber;
  }
  if (req.piService !== '') t.service = req.piService;
  return t as Target;
}

function errorOf(req: S7Pdu, resp: S7Pdu): CodeName | undefined {
  if (resp.errorClass > 0 || resp.errorCode > 0) {
    const code = (resp.errorClass << 8) | resp.errorCode;
    return { code, name: errorName(code) };
  }
  const ud = resp.userdata;
  if (ud !== null) {
    if (ud.errorCode > 0) return { code: ud.errorCode, name: errorName(ud.errorCode) };
    if (ud.returnCode >= 0 && ud.returnCode !== RETURN_SUCCESS) return { code: ud.returnCode, name: codeName(RETURN_CODES, ud.returnCode) };
    return undefined;
  }
  if (req.func === FUNC_READ_VAR || req.func === FUNC_WRITE_VAR) {
    for (const d of resp.dataItems) if (d.returnCode !== RETURN_SUCCESS) return { code: d.returnCode, name: codeName(RETURN_CODES, d.returnCode) };
  }
  return undefined;
}

function identityFields(id: SzlIdentity): Record<string, unknown> {
  return { ...id };
}

function ownFields(req: S7Pdu, resp: S7Pdu | null): Record<string, unknown> {
  const f: Record<string, unknown> = { rosctr: codeName(ROSCTR, req.rosctr), pdu_ref: req.pduRef };
  if (resp !== null) {
    f.response_rosctr = codeName(ROSCTR, resp.rosctr);
    if (resp.errorClass >= 0) {
      f.error_class = resp.errorClass;
      f.error_code = resp.errorCode;
    }
  }
  const ud = req.userdata ?? resp?.userdata ?? null;
  if (ud !== null) {
    f.function_group = codeName(FUNCTION_GROUPS, ud.group);
    f.subfunction = subfunctionEntry(ud.group, ud.subfunction)?.name ?? `unknown_${ud.subfunction}`;
    f.userdata_type = codeName(USERDATA_TYPES, ud.type);
    f.sequence = ud.sequence;
    if (req.continuation) f.continuation = true;
    const rud = resp?.userdata;
    if (rud !== undefined && rud !== null) {
      if (rud.dataUnitRef >= 0) {
        f.data_unit_ref = rud.dataUnitRef;
        f.last_data_unit = rud.lastDataUnit === 0;
      }
      if (rud.errorCode >= 0) f.userdata_error = rud.errorCode;
      if (rud.returnCode >= 0) f.return_code = rud.returnCode;
    }
  }
  if (req.func === FUNC_SETUP_COMMUNICATION || resp?.func === FUNC_SETUP_COMMUNICATION) {
    if (req.amqCalling >= 0) {
      f.max_amq_calling = req.amqCalling;
      f.max_amq_called = req.amqCalled;
      f.pdu_length = req.pduLength;
    }
    if (resp !== null && resp.pduLength >= 0) {
      f.negotiated_max_amq_calling = resp.amqCalling;
      f.negotiated_max_amq_called = resp.amqCalled;
      f.negotiated_pdu_length = resp.pduLength;
    }
  }
  if (req.items.length > 0 || (resp !== null && resp.dataItems.length > 0)) {
    f.item_count = req.itemCount;
    f.items = itemsOf(req, resp);
  }
  if (req.cycleTimebase >= 0) {
    f.cycle_timebase = req.cycleTimebase;
    f.cycle_factor = req.cycleFactor;
  }
  if (req.filename !== '') f.filename = req.filename;
  if (req.blockType !== '') f.block_type = req.blockType;
  if (req.blockNumber >= 0) f.block_number = req.blockNumber;
  if (req.filesystem !== '') f.filesystem = req.filesystem;
  const blockLength = req.blockLength >= 0 ? req.blockLength : (resp?.blockLength ?? -1);
  if (blockLength >= 0) f.block_length = blockLength;
  const uploadId = resp !== null && resp.uploadId > 0 ? resp.uploadId : req.uploadId;
  if (uploadId > 0) f.upload_id = uploadId;
  if (resp !== null && resp.functionStatus >= 0) f.more_data = (resp.functionStatus & 0x01) !== 0;
  if (req.piService !== '') {
    f.pi_service = req.piService;
    if (req.func === FUNC_PI_SERVICE) f.pi_action = PI_SERVICES[req.piService] ?? 'unknown';
    if (req.piBlocks.length > 0) f.pi_blocks = req.piBlocks;
  }
  const szl = resp !== null && resp.szlId >= 0 && (req.szlId < 0 || req.szlId === resp.szlId) ? resp : req.szlId >= 0 ? req : null;
  if (szl !== null) {
    f.szl_id = hex4(szl.szlId);
    f.szl_index = hex4(szl.szlIndex);
    f.szl_list = SZL_LISTS[szl.szlId & 0xff]?.name ?? `unknown_${szl.szlId & 0xff}`;
    if (szl.szlRecordCount >= 0) f.szl_records = szl.szlRecordCount;
    if (szl.identity !== null) f.identity = identityFields(szl.identity);
  }
  if (resp?.blockCounts) f.block_counts = resp.blockCounts;
  const clock = req.clock !== '' ? req.clock : (resp?.clock ?? '');
  if (clock !== '') f.clock = clock;
  return f;
}

/**
 * A transaction from a request and its response (`resp` null: no response), or a lone message (`req` is then the
 * message itself, `lone` true).
 */
export function describeS7(
  req: S7Pdu,
  reqTs: number,
  resp: S7Pdu | null,
  respTs: number,
  origin: 'client' | 'server',
  lone: boolean,
): TransactionEvent {
  let outcome: Outcome = lone ? 'ok' : resp === null ? 'no_response' : 'ok';
  const asResp = lone && (req.rosctr === 2 || req.rosctr === 3 || req.userdata?.type === 8) ? req : resp;
  const error = asResp !== null ? errorOf(req, asResp) : undefined;
  if (error !== undefined) outcome = 'exception';
  const ev: Record<string, unknown> = {
    protocol: PROTOCOL_ID,
    type: 'transaction',
    ts: reqTs,
    operation: operationOf(req),
    target: targetOf(req, resp),
    outcome,
    latency_ms: resp !== null ? latencyMs(reqTs, respTs) : null,
    origin,
  };
  if (error !== undefined) ev.error = error;
  ev[PROTOCOL_ID] = ownFields(req, lone ? null : resp);
  return ev as unknown as TransactionEvent;
}

export function describeS7Plus(req: S7PlusPdu, reqTs: number, resp: S7PlusPdu | null, respTs: number, origin: 'client' | 'server', lone: boolean): TransactionEvent {
  const f = req.func >= 0 ? S7PLUS_FUNCTIONS[req.func] : undefined;
  const operation: Operation =
    req.version === S7PLUS_SYSTEM_EVENT
      ? { name: 'system_event', code: S7PLUS_SYSTEM_EVENT, access: 'other' }
      : req.func >= 0
      ? { name: f?.name ?? `unknown_${req.func}`, code: req.func, access: f?.access ?? 'other' }
      : { name: codeName(S7PLUS_OPCODES, req.opcode), code: req.opcode, access: 'other' };
  const own: Record<string, unknown> = {
    s7comm_plus: true,
    version: codeName(S7PLUS_VERSIONS, req.version),
    opcode: codeName(S7PLUS_OPCODES, req.opcode),
    integrity: req.integrity,
  };
  if (req.func >= 0) own.function_code = req.func;
  if (req.sequence >= 0) own.sequence = req.sequence;
  if (resp !== null) own.response_opcode = codeName(S7PLUS_OPCODES, resp.opcode);
  return {
    protocol: PROTOCOL_ID,
    type: 'transaction',
    ts: reqTs,
    operation,
    target: {},
    outcome: lone ? 'ok' : resp === null ? 'no_response' : 'ok',
    latency_ms: resp !== null ? latencyMs(reqTs, respTs) : null,
    origin,
    [PROTOCOL_ID]: own,
  } as TransactionEvent;
}

export function roleHint(side: 'client' | 'server', ts: number, source: string, identity?: AssetIdentity): AssetHintEvent {
  const ev: Record<string, unknown> = { protocol: PROTOCOL_ID, type: 'asset_hint', ts, side, role: side, source };
  if (identity !== undefined) ev.identity = identity;
  return ev as unknown as AssetHintEvent;
}

/** The CPU identity an SZL answer carries, in the inventory's vocabulary. */
export function identityHint(id: SzlIdentity, szlId: number, ts: number): AssetHintEvent | null {
  const out: AssetIdentity = {};
  if (id.order_number !== undefined) out.order_number = id.order_number;
  if (id.firmware !== undefined) out.firmware = id.firmware;
  if (id.hardware !== undefined) out.hardware = id.hardware;
  if (id.serial !== undefined) out.serial = id.serial;
  if (id.module_type !== undefined) out.model = id.module_type;
  if (id.module_name !== undefined) out.name = id.module_name;
  if (id.plc_name !== undefined) out.plc_name = id.plc_name;
  if (id.plant_id !== undefined) out.plant_id = id.plant_id;
  if (id.copyright !== undefined) out.copyright = id.copyright;
  if (id.location !== undefined) out.location = id.location;
  if (id.boot_loader !== undefined) out.boot_loader = id.boot_loader;
  if (id.memory_card_serial !== undefined) out.memory_card_serial = id.memory_card_serial;
  if (Object.keys(out).length === 0) return null;
  if (out.order_number !== undefined || out.model !== undefined) out.vendor = 'Siemens';
  return roleHint('server', ts, `szl_${hex4(szlId)}`, out);
}

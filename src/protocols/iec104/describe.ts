// IEC 60870-5-104 APDUs → normalised transactions and asset hints (docs/protocols/iec104.md lists the fields).
import { latencyMs, type AssetHintEvent, type CodeName, type Outcome, type TransactionEvent } from '../operation.js';
import { cotName, typeEntry, U_FUNCTIONS } from './codes.js';
import type { Asdu } from './types.js';

/** One I-format message as the session keeps it while it waits for its answer. */
export interface AsduMessage {
  readonly ts: number;
  /** 'client' or 'server': the side that sent it. */
  readonly from: 'client' | 'server';
  readonly sendSeq: number;
  readonly recvSeq: number;
  readonly asdu: Asdu;
}

/** What answered an activation: the confirmation (COT 7/9, or 44-47), a termination, or the data of a read. */
export interface AsduAnswer {
  con: AsduMessage | null;
  term: AsduMessage | null;
  data: AsduMessage | null;
}

function asduFields(m: AsduMessage): Record<string, unknown> {
  const a = m.asdu;
  const f: Record<string, unknown> = {
    apci: 'I',
    send_seq: m.sendSeq,
    recv_seq: m.recvSeq,
    type_id: a.typeId,
    cot: a.cot,
    cot_name: cotName(a.cot),
    negative: a.negative,
    test: a.test,
    originator: a.originator,
    common_address: a.commonAddress,
    sq: a.sq,
    num_objects: a.numObjects,
    objects: a.objects,
  };
  if (a.cotSize !== 2 || a.caSize !== 2) f.header_variant = `cot${a.cotSize}_ca${a.caSize}`;
  return f;
}

export function errorOf(a: Asdu): CodeName {
  return { code: a.cot, name: a.negative ? `${cotName(a.cot)}_negative` : cotName(a.cot) };
}

/** A transaction around an ASDU: lone (answer null), or an activation with its confirmation/termination/data. */
export function asduTransaction(req: AsduMessage, answer: AsduAnswer | null, outcome: Outcome): TransactionEvent {
  const a = req.asdu;
  const t = typeEntry(a.typeId);
  const fields = asduFields(req);
  let latency: number | null = null;
  let error: CodeName | undefined;
  if (answer !== null) {
    const first = answer.con ?? answer.data ?? answer.term;
    if (first !== null) latency = latencyMs(req.ts, first.ts);
    if (answer.con !== null) {
      fields.response_cot = answer.con.asdu.cot;
      fields.response_cot_name = cotName(answer.con.asdu.cot);
      fields.response_negative = answer.con.asdu.negative;
      if (outcome === 'exception') error = errorOf(answer.con.asdu);
    }
    if (t.terminated && a.cot === 6 && a.objects[0]?.se !== 'select') {
      fields.terminated = answer.term !== null;
      if (answer.term !== null) fields.term_latency_ms = latencyMs(req.ts, answer.term.ts);
    }
    if (answer.data !== null) {
      fields.response_type_id = answer.data.asdu.typeId;
      fields.response_type_name = typeEntry(answer.data.asdu.typeId).name;
      fields.response_cot = answer.data.asdu.cot;
      fields.response_cot_name = cotName(answer.data.asdu.cot);
      fields.response_objects = answer.data.asdu.objects;
    }
  } else if (a.negative) {
    error = errorOf(a);
  }
  const first = a.objects.length > 0 ? a.objects[0].ioa : undefined;
  const event: TransactionEvent = {
    protocol: 'iec104',
    type: 'transaction',
    ts: req.ts,
    operation: { code: a.typeId, name: t.name, access: t.access, sub: { code: a.cot, name: cotName(a.cot) } },
    target: { unit: a.commonAddress, area: t.area, address: first, count: a.numObjects },
    outcome,
    latency_ms: latency,
    origin: req.from,
    ...(error !== undefined ? { error } : {}),
    iec104: fields,
  };
  return event;
}

/** A U-format transaction: act with its con (or lone). */
export function uTransaction(fn: number, ts: number, origin: 'client' | 'server', conTs: number | null, outcome: Outcome, control: number): TransactionEvent {
  const u = U_FUNCTIONS[fn];
  return {
    protocol: 'iec104',
    type: 'transaction',
    ts,
    operation: { code: u.act, name: u.name, access: u.access, sub: { code: control, name: control === u.act ? 'act' : 'con' } },
    target: {},
    outcome,
    latency_ms: conTs === null ? null : latencyMs(ts, conTs),
    origin,
    iec104: { apci: 'U', u_function: u.name, u_control: control, confirmed: conTs !== null },
  };
}

export function roleHint(ts: number, side: 'client' | 'server', role: string, source: string, address?: number): AssetHintEvent {
  return { protocol: 'iec104', type: 'asset_hint', ts, side, role, source, ...(address !== undefined ? { address } : {}) };
}

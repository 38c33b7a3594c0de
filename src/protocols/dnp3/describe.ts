// DNP3 messages → normalised transactions and asset hints (docs/protocols/dnp3.md lists every field).
import { latencyMs, type AssetHintEvent, type CodeName, type Outcome, type TransactionEvent } from '../operation.js';
import { CLASS_NAMES, FC_UNSOLICITED_RESPONSE, commandStatusName, functionInfo, groupName, iinError, iinNames, isBroadcast } from './codes.js';
import { MAX_POINTS, attributeIdentity } from './parse.js';
import type { Dnp3Message, Dnp3Point, ObjectHeader } from './types.js';

export interface PendingRequest {
  readonly msg: Dnp3Message;
}

function collectPoints(msgs: readonly Dnp3Message[]): { points: Dnp3Point[]; total: number } {
  const points: Dnp3Point[] = [];
  let total = 0;
  for (const m of msgs) {
    total += m.app.pointsTotal;
    for (const p of m.app.points) if (points.length < MAX_POINTS) points.push(p);
  }
  return { points, total };
}

function headersOf(msgs: readonly Dnp3Message[]): ObjectHeader[] {
  const out: ObjectHeader[] = [];
  for (const m of msgs) for (const h of m.app.objects) out.push(h);
  return out;
}

/** The first non-zero command status among CROB / analog output block points. */
function commandError(points: readonly Dnp3Point[]): CodeName | null {
  for (const p of points) if ((p.group === 12 || p.group === 41) && p.status !== undefined && p.status !== 0) return { code: p.status, name: commandStatusName(p.status) };
  return null;
}

/**
 * One transaction: a request with its response fragments, a request left unanswered (`responses` null, not lone), a
 * lone message (confirm, broadcast, no-ack request: `lone`), or response fragments alone (unsolicited, or a response
 * whose request was not seen).
 */
export function describeTransaction(
  request: Dnp3Message | null,
  requestTs: number,
  responses: readonly Dnp3Message[] | null,
  responseTs: number,
  lone = false,
  incomplete = false,
): TransactionEvent {
  const first = request ?? responses![0];
  const info = functionInfo(first.app.func);
  const reqHeaders = request !== null ? request.app.objects : [];
  const respHeaders = responses !== null ? headersOf(responses) : [];
  const targetHeader = reqHeaders[0] ?? respHeaders[0];
  const target: Record<string, unknown> = { unit: first.outstation };
  if (targetHeader !== undefined) {
    target.area = groupName(targetHeader.group);
    if (targetHeader.start !== undefined) target.address = targetHeader.start;
    else if (request !== null && request.app.points.length > 0 && request.app.points[0].group === targetHeader.group) target.address = request.app.points[0].index;
    if (targetHeader.range !== 'all_objects') target.count = targetHeader.count;
  }
  const classes: string[] = [];
  for (const h of reqHeaders) if (h.group === 60 && CLASS_NAMES[h.variation] !== undefined) classes.push(CLASS_NAMES[h.variation]);
  if (classes.length > 0) target.classes = classes;

  const dnp3: Record<string, unknown> = {
    master: first.master,
    outstation: first.outstation,
    link_src: first.src,
    link_dst: first.dst,
    broadcast: isBroadcast(first.dst),
    func_code: first.app.func,
    func: info.name,
    seq: first.app.seq,
    fir: first.app.fir,
    fin: first.app.fin,
    con: first.app.con,
    uns: first.app.uns,
  };
  let outcome: Outcome = 'ok';
  let error: CodeName | null = null;
  if (request !== null) {
    dnp3.objects = reqHeaders;
    const { points, total } = collectPoints([request]);
    if (total > 0) {
      dnp3.request_points = points;
      dnp3.request_points_total = total;
    }
  }
  if (responses !== null) {
    const last = responses[responses.length - 1];
    const head = responses[0];
    dnp3.response_func_code = head.app.func;
    dnp3.response_seq = head.app.seq;
    dnp3.response_con = head.app.con;
    dnp3.response_uns = head.app.uns;
    dnp3.fragments = responses.length;
    let iin1 = 0;
    let iin2 = 0;
    for (const r of responses) {
      iin1 |= Math.max(0, r.app.iin1);
      iin2 |= Math.max(0, r.app.iin2);
    }
    dnp3.iin1 = iin1;
    dnp3.iin2 = iin2;
    dnp3.iin = iinNames(iin1, iin2);
    dnp3.response_objects = respHeaders;
    const { points, total } = collectPoints(responses);
    if (total > 0) {
      dnp3.response_points = points;
      dnp3.response_points_total = total;
    }
    if (incomplete || !last.app.fin) dnp3.incomplete = true;
    const iinErr = iinError(iin2);
    const cmdErr = commandError(points);
    if (iinErr !== null) {
      outcome = 'exception';
      error = iinErr;
      dnp3.error_source = 'iin';
    } else if (cmdErr !== null && request !== null) {
      outcome = 'exception';
      error = cmdErr;
      dnp3.error_source = 'command_status';
    }
  } else if (request !== null && !lone) {
    outcome = 'no_response';
  }
  const unsolicited = request === null && first.app.func === FC_UNSOLICITED_RESPONSE;
  // A message alone from the responder's side: its sender is the origin for unsolicited data, the other side otherwise.
  const senderSide = first.side === 0 ? 'client' : 'server';
  const origin = request !== null || unsolicited ? senderSide : senderSide === 'client' ? 'server' : 'client';
  const ev: Record<string, unknown> = {
    protocol: 'dnp3',
    type: 'transaction',
    ts: request !== null ? requestTs : responseTs,
    operation: operationOf(first, info.name, info.access),
    target,
    outcome,
    latency_ms: request !== null && responses !== null ? latencyMs(requestTs, responseTs) : null,
    origin,
  };
  if (error !== null) ev.error = error;
  ev.dnp3 = dnp3;
  return ev as unknown as TransactionEvent;
}

function operationOf(msg: Dnp3Message, name: string, access: TransactionEvent['operation']['access']): TransactionEvent['operation'] {
  const crob = msg.app.points.find((p) => p.group === 12 && p.op_type !== undefined);
  if (crob !== undefined && info3to6(msg.app.func)) {
    const sub = crob.tcc !== undefined && crob.tcc !== 'nul' ? `${crob.op_type}_${crob.tcc}` : crob.op_type!;
    return { code: msg.app.func, name, access, sub: { code: crob.control_code!, name: sub } };
  }
  return { code: msg.app.func, name, access };
}

function info3to6(func: number): boolean {
  return func >= 3 && func <= 6;
}

export function roleHint(side: 'client' | 'server', role: 'master' | 'outstation', address: number, func: number, ts: number): AssetHintEvent {
  return { protocol: 'dnp3', type: 'asset_hint', ts, side, role, address, source: functionInfo(func).name };
}

/** Identity from device attributes (g0) in a response, or null. */
export function identityHint(msg: Dnp3Message, ts: number): AssetHintEvent | null {
  const identity = attributeIdentity(msg.app.points);
  if (identity === null) return null;
  return {
    protocol: 'dnp3',
    type: 'asset_hint',
    ts,
    side: msg.side === 0 ? 'client' : 'server',
    role: 'outstation',
    address: msg.outstation,
    identity,
    source: 'device_attributes',
  };
}

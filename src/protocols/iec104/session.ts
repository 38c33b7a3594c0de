// IEC 60870-5-104 session: APCI framing per direction, sequence number checks, and pairing of activations with their
// confirmations and terminations (104 §5, 101 §7.2.3 / §7.4) and of U-format act with con.
import { PendingRequests } from '../pending.js';
import type { Direction, ProtocolSession, SessionContext } from '../protocol.js';
import { A } from './anomalies.js';
import {
  COT_ACTIVATION,
  COT_ACTIVATION_CON,
  COT_ACTIVATION_TERM,
  COT_DEACTIVATION,
  COT_DEACTIVATION_CON,
  COT_REQUEST,
  isMonitoring,
  typeEntry,
} from './codes.js';
import { asduTransaction, roleHint, uTransaction, type AsduAnswer, type AsduMessage } from './describe.js';
import { APDU_START, MAX_APDU_LENGTH, MIN_APDU_LENGTH, parseApdu } from './parse.js';
import type { Apdu } from './types.js';

const BUFFER_SIZE = 2 + MAX_APDU_LENGTH;
const RESYNC_LIMIT = 2048;
const MAX_HINTED_ADDRESSES = 32;
const C_RD_NA_1 = 102;
const SEQ_MOD = 0x8000;
const MAX_LEADING_ZEROS = 4;
const MAX_KEY_BASES = 1024;

interface Waiting {
  readonly req: AsduMessage;
  readonly answer: AsduAnswer;
}

interface UWaiting {
  readonly fn: number;
  readonly ts: number;
  readonly origin: 'client' | 'server';
}

/**
 * FIFO keys over PendingRequests: a master may repeat an activation (same type, CA, IOA) before its confirmation;
 * answers then match activations in order. `push` gives the next unique key of a base key, `take` the oldest waiting.
 */
class KeyQueue {
  private readonly ends = new Map<string, number[]>();

  push(base: string): string {
    let e = this.ends.get(base);
    if (e === undefined) {
      if (this.ends.size >= MAX_KEY_BASES) this.ends.clear(); // entries left behind then time out as unanswered
      e = [0, 0];
      this.ends.set(base, e);
    }
    return `${base}#${e[1]++}`;
  }

  take<R>(base: string, pending: PendingRequests<R>): { key: string; request: R; ts: number } | undefined {
    const e = this.ends.get(base);
    if (e === undefined) return undefined;
    while (e[0] < e[1]) {
      const key = `${base}#${e[0]++}`;
      const w = pending.take(key);
      if (w !== undefined) {
        if (e[0] === e[1]) this.ends.delete(base);
        return { key, request: w.request, ts: w.ts };
      }
    }
    this.ends.delete(base);
    return undefined;
  }
}

/** Index into U_FUNCTIONS of an act/con control octet, -1 otherwise. */
function uFunction(c: number): { fn: number; act: boolean } | null {
  switch (c) {
    case 0x07: return { fn: 0, act: true };
    case 0x0b: return { fn: 0, act: false };
    case 0x13: return { fn: 1, act: true };
    case 0x23: return { fn: 1, act: false };
    case 0x43: return { fn: 2, act: true };
    case 0x83: return { fn: 2, act: false };
    default: return null;
  }
}

/** A plausible APCI header at b[o..o+3): start, length, control octet consistent with the length. */
export function plausibleHeader(b: Uint8Array, o: number): boolean {
  if (b[o] !== APDU_START) return false;
  const len = b[o + 1];
  if (len < MIN_APDU_LENGTH || len > MAX_APDU_LENGTH) return false;
  const c1 = b[o + 2];
  if (len === 4) return c1 === 0x01 || uFunction(c1) !== null;
  return (c1 & 1) === 0 && len >= 10;
}

export class Iec104Session implements ProtocolSession {
  private readonly buf = [new Uint8Array(BUFFER_SIZE), new Uint8Array(BUFFER_SIZE)];
  private readonly fill = [0, 0];
  private readonly dead = [false, false];
  private readonly resync = [false, false];
  private readonly skipped = [0, 0];
  private readonly started = [false, false];
  private readonly leadingZeros = [0, 0];
  /** Next expected N(S) per direction; -1 when unknown (start of capture, after a gap). */
  private readonly nextSend = [-1, -1];
  private readonly scratch: string[] = [];
  private readonly pending: PendingRequests<Waiting>;
  private readonly terms: PendingRequests<Waiting>;
  private readonly uPending: PendingRequests<UWaiting>;
  private readonly pendingKeys = new KeyQueue();
  private readonly termKeys = new KeyQueue();
  private readonly hinted = new Set<string>();
  private readonly lastHint = [-2, -2, -2, -2];
  /** APDUs framed, by direction and format: [I, S, U] of dir 0, then of dir 1 (tests and the corpus comparison). */
  readonly apdus = new Uint32Array(6);

  constructor(private readonly ctx: SessionContext) {
    this.pending = new PendingRequests<Waiting>((w, _ts, why) => {
      if (why === 'cap') ctx.anomaly(A.pending_cap);
      ctx.emit(asduTransaction(w.req, w.answer, w.answer.con === null && w.answer.term === null ? 'no_response' : 'ok'));
    });
    // Confirmed activations waiting for their termination: given up, they were still answered (outcome ok).
    this.terms = new PendingRequests<Waiting>((w, _ts, why) => {
      if (why === 'cap') ctx.anomaly(A.pending_cap);
      ctx.emit(asduTransaction(w.req, w.answer, 'ok'));
    });
    this.uPending = new PendingRequests<UWaiting>((w, _ts, why) => {
      if (why === 'cap') ctx.anomaly(A.pending_cap);
      ctx.emit(uTransaction(w.fn, w.ts, w.origin, null, 'no_response', [0x07, 0x13, 0x43][w.fn]));
    }, { maxPending: 16 });
  }

  onData(dir: Direction, data: Uint8Array, ts: number): void {
    if (this.dead[dir]) return;
    const buf = this.buf[dir];
    let pos = 0;
    while (pos < data.length && !this.dead[dir]) {
      if (this.resync[dir]) {
        pos = this.resyncStep(dir, data, pos);
        continue;
      }
      let fill = this.fill[dir];
      if (fill === 0 && !this.started[dir] && data[pos] === 0 && this.leadingZeros[dir] < MAX_LEADING_ZEROS) {
        // A capture that starts mid-flow often opens with a TCP keep-alive probe: one garbage byte (0x00) just before
        // the stream's next sequence number. Skipped before the first APDU only.
        this.leadingZeros[dir]++;
        pos++;
        continue;
      }
      if (fill === 0) {
        // Fast path: whole APDUs straight from the borrowed chunk.
        if (data.length - pos >= 2) {
          if (!this.checkHeader(dir, data[pos], data[pos + 1])) return;
          const total = 2 + data[pos + 1];
          if (data.length - pos >= total) {
            this.handle(dir, data, pos, ts);
            pos += total;
            continue;
          }
        }
        const n = data.length - pos;
        buf.set(data.subarray(pos), 0);
        this.fill[dir] = n;
        return;
      }
      if (fill < 2) {
        buf[fill++] = data[pos++];
        this.fill[dir] = fill;
        if (!this.checkHeader(dir, buf[0], buf[1])) return;
        continue;
      }
      const total = 2 + buf[1];
      const n = Math.min(total - fill, data.length - pos);
      buf.set(data.subarray(pos, pos + n), fill);
      pos += n;
      fill += n;
      this.fill[dir] = fill;
      if (fill === total) {
        this.fill[dir] = 0;
        this.handle(dir, buf, 0, ts);
      }
    }
  }

  private checkHeader(dir: Direction, start: number, len: number): boolean {
    if (start !== APDU_START) this.ctx.anomaly(A.bad_start);
    else if (len < MIN_APDU_LENGTH || len > MAX_APDU_LENGTH) this.ctx.anomaly(A.invalid_length);
    else return true;
    this.dead[dir] = true;
    this.fill[dir] = 0;
    return false;
  }

  /** After a gap: slides over the bytes until 3 of them look like an APCI header, or gives up after 2 KiB. */
  private resyncStep(dir: Direction, data: Uint8Array, pos: number): number {
    const buf = this.buf[dir];
    buf[this.fill[dir]++] = data[pos++];
    while (this.fill[dir] >= 3) {
      if (plausibleHeader(buf, 0)) {
        this.resync[dir] = false;
        if (this.fill[dir] > 3) this.fill[dir] = 3; // unreachable: one byte enters at a time
        return pos;
      }
      buf.copyWithin(0, 1, this.fill[dir]);
      this.fill[dir]--;
      if (++this.skipped[dir] > RESYNC_LIMIT) {
        this.ctx.anomaly(A.gap_resync_failed);
        this.dead[dir] = true;
        this.fill[dir] = 0;
        return data.length;
      }
    }
    return pos;
  }

  onGap(dir: Direction, _bytes: number, _ts: number): void {
    if (this.dead[dir]) return;
    this.fill[dir] = 0;
    this.resync[dir] = true;
    this.skipped[dir] = 0;
    this.nextSend[dir] = -1;
  }

  onEnd(_ts: number): void {
    this.pending.drain();
    this.terms.drain();
    this.uPending.drain();
  }

  private handle(dir: Direction, b: Uint8Array, off: number, ts: number): void {
    const anomalies = this.scratch;
    if (anomalies.length !== 0) anomalies.length = 0;
    this.started[dir] = true;
    const apdu = parseApdu(b, off, anomalies);
    for (const code of anomalies) this.ctx.anomaly(code);
    this.apdus[dir * 3 + (apdu.format === 'I' ? 0 : apdu.format === 'S' ? 1 : 2)]++;
    if (this.pending.size !== 0) this.pending.expire(ts);
    if (this.terms.size !== 0) this.terms.expire(ts);
    if (this.uPending.size !== 0) this.uPending.expire(ts);
    if (apdu.format === 'I') this.checkSend(dir, apdu.sendSeq);
    if (apdu.format !== 'U') this.checkReceive(dir, apdu.recvSeq);
    if (apdu.format === 'U') this.onU(dir, apdu.uControl, ts);
    else if (apdu.asdu !== null) this.onAsdu(dir, apdu, ts);
  }

  private checkSend(dir: Direction, ns: number): void {
    const expected = this.nextSend[dir];
    if (expected >= 0 && ns !== expected) {
      const ahead = (ns - expected + SEQ_MOD) % SEQ_MOD;
      this.ctx.anomaly(ahead < SEQ_MOD / 2 ? A.send_seq_gap : A.send_seq_repeat);
    }
    this.nextSend[dir] = (ns + 1) % SEQ_MOD;
  }

  private checkReceive(dir: Direction, nr: number): void {
    const peerNext = this.nextSend[1 - dir];
    if (peerNext < 0) return;
    const ahead = (nr - peerNext + SEQ_MOD) % SEQ_MOD;
    if (ahead !== 0 && ahead < SEQ_MOD / 2) this.ctx.anomaly(A.recv_seq_unsent);
  }

  private side(dir: Direction): 'client' | 'server' {
    return dir === 0 ? 'client' : 'server';
  }

  private onU(dir: Direction, control: number, ts: number): void {
    const u = uFunction(control);
    if (u === null) return;
    if (u.act && u.fn === 0) this.hint(ts, dir, 'master', 'startdt');
    if (u.act) {
      if (u.fn === 0 || u.fn === 1) {
        // STARTDT/STOPDT restart the data transfer state: sequence numbers start again at the next STARTDT.
        if (u.fn === 0) this.nextSend[0] = this.nextSend[1] = -1;
      }
      this.uPending.add(`${u.fn}:${dir}`, { fn: u.fn, ts, origin: this.side(dir) }, ts);
      return;
    }
    const w = this.uPending.take(`${u.fn}:${1 - dir}`);
    if (w === undefined) {
      this.ctx.anomaly(A.response_without_request);
      this.ctx.emit(uTransaction(u.fn, ts, this.side(dir), null, 'ok', control));
      return;
    }
    if (u.fn === 0) this.nextSend[0] = this.nextSend[1] = 0;
    this.ctx.emit(uTransaction(u.fn, w.request.ts, w.request.origin, ts, 'ok', [0x07, 0x13, 0x43][u.fn]));
  }

  /** Role of the side that sent a message: the controlling station (`master`) or a controlled one (`outstation`). */
  private hint(ts: number, dir: Direction, role: 'master' | 'outstation', source: string, ca?: number): void {
    if (ca !== undefined && (ca === 0 || ca === 0xffff)) ca = undefined; // not used / broadcast
    const last = dir * 2 + (role === 'master' ? 0 : 1);
    if (this.lastHint[last] === (ca ?? -1)) return; // the common case: the same station again
    this.lastHint[last] = ca ?? -1;
    const key = `${dir}:${role}:${ca ?? ''}`;
    if (this.hinted.has(key)) return;
    if (this.hinted.size >= MAX_HINTED_ADDRESSES) {
      if (this.hinted.size === MAX_HINTED_ADDRESSES) {
        this.ctx.anomaly(A.hint_cap);
        this.hinted.add('capped');
      }
      return;
    }
    this.hinted.add(key);
    this.ctx.emit(roleHint(ts, this.side(dir), role, source, ca));
  }

  private onAsdu(dir: Direction, apdu: Apdu, ts: number): void {
    const a = apdu.asdu!;
    const t = typeEntry(a.typeId);
    const msg: AsduMessage = { ts, from: this.side(dir), sendSeq: apdu.sendSeq, recvSeq: apdu.recvSeq, asdu: a };
    if (isMonitoring(a.typeId)) this.hint(ts, dir, 'outstation', t.name, a.commonAddress);
    else if (a.cot === COT_ACTIVATION && (t.confirmed || a.typeId === C_RD_NA_1)) {
      this.hint(ts, dir, 'master', t.name);
      this.hint(ts, (1 - dir) as Direction, 'outstation', t.name, a.commonAddress);
    }
    const ioa = a.objects.length > 0 ? a.objects[0].ioa : -1;
    const cot = a.cot;
    const other = 1 - dir;
    const isRead = a.typeId === C_RD_NA_1;
    if ((cot === COT_ACTIVATION || cot === COT_DEACTIVATION) && (t.confirmed || isRead)) {
      const base = isRead ? `rd:${a.commonAddress}:${ioa}:${dir}` : `${a.typeId}:${a.commonAddress}:${ioa}:${dir}`;
      this.pending.add(this.pendingKeys.push(base), { req: msg, answer: { con: null, term: null, data: null } }, ts);
      return;
    }
    if (cot === COT_ACTIVATION_CON || cot === COT_DEACTIVATION_CON || (cot >= 44 && cot <= 47)) {
      const base = isRead ? `rd:${a.commonAddress}:${ioa}:${other}` : `${a.typeId}:${a.commonAddress}:${ioa}:${other}`;
      const w = this.pendingKeys.take(base, this.pending);
      if (w === undefined) return this.lone(msg, true);
      w.request.answer.con = msg;
      const failed = a.negative || cot >= 44;
      const select = w.request.req.asdu.objects[0]?.se === 'select';
      if (!failed && t.terminated && w.request.req.asdu.cot === COT_ACTIVATION && !select) {
        this.terms.add(this.termKeys.push(base), w.request, w.ts);
        return;
      }
      this.ctx.emit(asduTransaction(w.request.req, w.request.answer, failed ? 'exception' : 'ok'));
      return;
    }
    if (cot === COT_ACTIVATION_TERM) {
      const base = `${a.typeId}:${a.commonAddress}:${ioa}:${other}`;
      const w = this.termKeys.take(base, this.terms) ?? this.pendingKeys.take(base, this.pending);
      if (w === undefined) return this.lone(msg, true);
      w.request.answer.term = msg;
      this.ctx.emit(asduTransaction(w.request.req, w.request.answer, a.negative ? 'exception' : 'ok'));
      return;
    }
    if (cot === COT_REQUEST && isMonitoring(a.typeId)) {
      const w = this.pendingKeys.take(`rd:${a.commonAddress}:${ioa}:${other}`, this.pending);
      if (w !== undefined) {
        w.request.answer.data = msg;
        this.ctx.emit(asduTransaction(w.request.req, w.request.answer, 'ok'));
        return;
      }
    }
    this.lone(msg, false);
  }

  private lone(msg: AsduMessage, unmatched: boolean): void {
    if (unmatched) this.ctx.anomaly(A.response_without_request);
    this.ctx.emit(asduTransaction(msg, null, msg.asdu.negative || msg.asdu.cot >= 44 && msg.asdu.cot <= 47 ? 'exception' : 'ok'));
  }
}

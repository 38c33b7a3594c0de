// S7comm session: TPKT framing per direction, COTP DT reassembly up to end-of-TSDU, PDU-reference pairing of S7comm
// jobs/userdata requests with their acks, sequence pairing of S7comm-plus requests, identity hints from SZL answers.
import type { Direction, ProtocolSession, SessionContext } from '../protocol.js';
import { PendingRequests } from '../pending.js';
import { S7COMM_ANOMALIES } from './anomalies.js';
import {
  COTP_CC,
  COTP_CR,
  COTP_DC,
  COTP_DR,
  COTP_DT,
  COTP_ER,
  COTP_TYPES,
  FUNC_END_UPLOAD,
  FUNC_START_UPLOAD,
  FUNC_UPLOAD,
  ROSCTR_ACK,
  ROSCTR_ACK_DATA,
  ROSCTR_JOB,
  ROSCTR_USERDATA,
  S7PLUS_OP_REQUEST,
  S7PLUS_OP_RESPONSE,
  S7PLUS_OP_RESPONSE2,
  S7PLUS_PROTOCOL_ID,
  S7_PROTOCOL_ID,
  TSAP_CONNECTION_TYPES,
  UD_TYPE_REQUEST,
  UD_TYPE_RESPONSE,
  codeName,
} from './codes.js';
import { describeS7, describeS7Plus, identityHint, roleHint } from './describe.js';
import { newCotp, parseCotp, parseS7, parseS7Plus, tpktLength } from './parse.js';
import type { S7Pdu, S7PlusPdu } from './types.js';

const A = S7COMM_ANOMALIES.codes;

/** A TPKT frame is at most 65,535 bytes; the partial-frame buffer never needs more. */
export const MAX_FRAME_BUFFER = 65_536;
/** COTP DT fragments gathered until end-of-TSDU (S7 PDUs are at most 960 bytes, S7comm-plus a few KiB). */
export const MAX_TSDU_BYTES = 256 * 1024;
export const MAX_PENDING = 256;
export const MAX_OPEN_UPLOADS = 32;

const KEY_USERDATA = 0x40000;
const KEY_PLUS = 0x80000;

interface Waiting {
  readonly dir: Direction;
  readonly s7: S7Pdu | null;
  readonly plus: S7PlusPdu | null;
}

class DirState {
  buf: Uint8Array | null = null;
  len = 0;
  dead = false;
  tsdu: Uint8Array | null = null;
  tsduLen = 0;
  tsduDropped = false;
}

export class S7Session implements ProtocolSession {
  private readonly dirs = [new DirState(), new DirState()];
  private readonly cotp = newCotp();
  private readonly pending: PendingRequests<Waiting>;
  private readonly anomalyScratch: string[] = [];
  private readonly uploads = new Map<number, S7Pdu>();
  /** First requests of multi-part userdata answers, by the sequence number the follow-up requests repeat. */
  private readonly parts = new Map<number, S7Pdu>();
  private rolesSent = false;

  constructor(private readonly ctx: SessionContext) {
    this.pending = new PendingRequests<Waiting>(
      (w, ts, why) => {
        if (why === 'cap') ctx.anomaly(A.pending_cap);
        this.emitUnanswered(w, ts);
      },
      { maxPending: MAX_PENDING },
    );
  }

  onData(dir: Direction, data: Uint8Array, ts: number): void {
    const st = this.dirs[dir];
    if (st.dead || data.length === 0) return;
    let off = 0;
    // Complete a buffered partial frame first, taking only the bytes it still needs.
    while (st.len > 0 && off < data.length) {
      const len = st.len < 4 ? -1 : tpktLength(st.buf!, 0, st.len);
      if (len === -2) return this.stop(st);
      const need = len === -1 ? 4 - st.len : len - st.len;
      const take = Math.min(need, data.length - off);
      if (!this.keep(st, data, off, off + take)) return;
      off += take;
      if (len > 0 && st.len === len) {
        st.len = 0;
        this.frame(dir, st.buf!, 4, len, ts);
      }
    }
    if (off === data.length || st.dead) return;
    const used = this.frames(dir, data, off, data.length, ts);
    if (used < data.length && !st.dead) this.keep(st, data, used, data.length);
  }

  private stop(st: DirState): void {
    this.ctx.anomaly(A.bad_tpkt);
    st.dead = true;
    st.buf = null;
    st.len = 0;
  }

  onGap(dir: Direction): void {
    const st = this.dirs[dir];
    st.len = 0;
    st.tsduLen = 0;
    st.tsduDropped = false;
  }

  onEnd(): void {
    this.pending.drain();
  }

  private keep(st: DirState, b: Uint8Array, off: number, end: number): boolean {
    const n = end - off;
    if (st.len + n > MAX_FRAME_BUFFER) {
      this.ctx.anomaly(A.tpkt_buffer_cap);
      st.dead = true;
      st.buf = null;
      st.len = 0;
      return false;
    }
    if (st.buf === null || st.buf.length < st.len + n) {
      const grown = new Uint8Array(Math.min(MAX_FRAME_BUFFER, Math.max(256, (st.len + n) * 2)));
      if (st.buf !== null) grown.set(st.buf.subarray(0, st.len));
      st.buf = grown;
    }
    st.buf.set(b.subarray(off, end), st.len);
    st.len += n;
    return true;
  }

  /** Handles every whole TPKT frame in b[off..end); returns the offset of the first byte not consumed. */
  private frames(dir: Direction, b: Uint8Array, off: number, end: number, ts: number): number {
    const st = this.dirs[dir];
    while (off < end) {
      const len = tpktLength(b, off, end);
      if (len === -1) break;
      if (len === -2) {
        this.stop(st);
        return end;
      }
      if (end - off < len) break;
      this.frame(dir, b, off + 4, off + len, ts);
      off += len;
    }
    return off;
  }

  private frame(dir: Direction, b: Uint8Array, off: number, end: number, ts: number): void {
    const c = this.cotp;
    if (!parseCotp(b, off, end, c)) {
      this.ctx.anomaly(A.bad_cotp);
      return;
    }
    switch (c.type) {
      case COTP_DT:
        this.data(dir, b, c.dataOffset, c.dataEnd, c.eot, ts);
        return;
      case COTP_CR:
      case COTP_CC:
        this.connect(c.type === COTP_CR, ts);
        return;
      case COTP_DR:
      case COTP_DC:
      case COTP_ER:
        return;
      default:
        this.ctx.anomaly(COTP_TYPES[c.type] === undefined ? A.bad_cotp : A.cotp_unknown_type);
    }
  }

  /** The first CR (or CC) gives the role hints, the server's with rack and slot from an S7 called TSAP. */
  private connect(request: boolean, ts: number): void {
    const c = this.cotp;
    if (!this.rolesSent) {
      this.rolesSent = true;
      this.ctx.emit(roleHint('client', ts, request ? 'cotp_cr' : 'cotp_cc'));
      const id: Record<string, string | number> = {};
      if (c.rack >= 0 && c.connectionType in TSAP_CONNECTION_TYPES) {
        id.rack = c.rack;
        id.slot = c.slot;
        id.connection_type = codeName(TSAP_CONNECTION_TYPES, c.connectionType);
      }
      this.ctx.emit(roleHint('server', ts, request ? 'cotp_cr' : 'cotp_cc', Object.keys(id).length > 0 ? id : undefined));
    }
  }

  private data(dir: Direction, b: Uint8Array, off: number, end: number, eot: boolean, ts: number): void {
    const st = this.dirs[dir];
    if (eot && st.tsduLen === 0 && !st.tsduDropped) {
      this.tsdu(dir, b, off, end, ts);
      return;
    }
    const n = end - off;
    if (!st.tsduDropped) {
      if (st.tsduLen + n > MAX_TSDU_BYTES) {
        this.ctx.anomaly(A.cotp_reassembly_cap);
        st.tsduDropped = true;
        st.tsduLen = 0;
      } else {
        if (st.tsdu === null || st.tsdu.length < st.tsduLen + n) {
          const grown = new Uint8Array(Math.min(MAX_TSDU_BYTES, Math.max(1024, (st.tsduLen + n) * 2)));
          if (st.tsdu !== null) grown.set(st.tsdu.subarray(0, st.tsduLen));
          st.tsdu = grown;
        }
        st.tsdu.set(b.subarray(off, end), st.tsduLen);
        st.tsduLen += n;
      }
    }
    if (eot) {
      const len = st.tsduLen;
      const dropped = st.tsduDropped;
      st.tsduLen = 0;
      st.tsduDropped = false;
      if (!dropped && len > 0) this.tsdu(dir, st.tsdu!, 0, len, ts);
    }
  }

  private tsdu(dir: Direction, b: Uint8Array, off: number, end: number, ts: number): void {
    if (end <= off) return;
    const an = this.anomalyScratch;
    an.length = 0;
    if (b[off] === S7_PROTOCOL_ID) {
      const pdu = parseS7(b, off, end, an);
      this.flushAnomalies();
      if (pdu !== null) this.s7(dir, pdu, ts);
    } else if (b[off] === S7PLUS_PROTOCOL_ID) {
      const pdu = parseS7Plus(b, off, end, an);
      this.flushAnomalies();
      if (pdu !== null) this.s7plus(dir, pdu, ts);
    } else {
      this.ctx.anomaly(A.not_s7);
    }
  }

  private flushAnomalies(): void {
    for (const code of this.anomalyScratch) this.ctx.anomaly(code);
    this.anomalyScratch.length = 0;
  }

  private roles(ts: number): void {
    if (this.rolesSent) return;
    this.rolesSent = true;
    this.ctx.emit(roleHint('client', ts, 's7comm'));
    this.ctx.emit(roleHint('server', ts, 's7comm'));
  }

  private s7(dir: Direction, pdu: S7Pdu, ts: number): void {
    this.roles(ts);
    const origin = dir === 0 ? 'client' : 'server';
    const r = pdu.rosctr;
    const ud = pdu.userdata;
    if (r === ROSCTR_JOB) {
      if (pdu.func === FUNC_UPLOAD || pdu.func === FUNC_END_UPLOAD) this.fillUpload(pdu);
      this.pending.add((dir << 16) | pdu.pduRef, { dir, s7: pdu, plus: null }, ts);
    } else if (r === ROSCTR_ACK || r === ROSCTR_ACK_DATA) {
      const w = this.pending.take(((dir ^ 1) << 16) | pdu.pduRef);
      if (w === undefined || w.request.s7 === null) {
        this.ctx.anomaly(A.unmatched_response);
        this.ctx.emit(describeS7(pdu, ts, null, ts, origin, true));
        return;
      }
      const req = w.request.s7;
      if (req.itemCount !== pdu.itemCount && pdu.func === req.func && pdu.dataItems.length > 0) this.ctx.anomaly(A.item_count_mismatch);
      if (req.func === FUNC_START_UPLOAD && pdu.uploadId > 0) this.rememberUpload(pdu.uploadId, req);
      if (req.func === FUNC_END_UPLOAD) this.uploads.delete(req.uploadId);
      this.ctx.emit(describeS7(req, w.ts, pdu, ts, w.request.dir === 0 ? 'client' : 'server', false));
      this.szlHint(req, pdu, ts);
    } else if (r === ROSCTR_USERDATA && ud === null) {
      this.ctx.emit(describeS7(pdu, ts, null, ts, origin, true));
    } else if (r === ROSCTR_USERDATA && ud !== null) {
      if (ud.type === UD_TYPE_REQUEST) {
        if (pdu.continuation) this.fillContinuation(pdu);
        this.pending.add(KEY_USERDATA | (dir << 16) | pdu.pduRef, { dir, s7: pdu, plus: null }, ts);
      } else if (ud.type === UD_TYPE_RESPONSE) {
        const w = this.pending.take(KEY_USERDATA | ((dir ^ 1) << 16) | pdu.pduRef);
        if (w === undefined || w.request.s7 === null) {
          this.ctx.anomaly(A.unmatched_response);
          this.ctx.emit(describeS7(pdu, ts, null, ts, origin, true));
          this.szlHint(null, pdu, ts);
          return;
        }
        const req = w.request.s7;
        if (req.continuation) {
          pdu.szlId = pdu.szlIndex = pdu.szlRecordCount = -1;
          pdu.identity = null;
          pdu.blockCounts = null;
        }
        this.trackParts(req, pdu);
        this.ctx.emit(describeS7(req, w.ts, pdu, ts, w.request.dir === 0 ? 'client' : 'server', false));
        this.szlHint(req, pdu, ts);
      } else {
        this.ctx.emit(describeS7(pdu, ts, null, ts, origin, true));
      }
    }
  }

  private szlHint(req: S7Pdu | null, resp: S7Pdu, ts: number): void {
    if (resp.identity === null) return;
    if (req !== null && req.szlId >= 0 && req.szlId !== resp.szlId) return;
    if (req !== null && req.szlId < 0) return;
    const h = identityHint(resp.identity, resp.szlId, ts);
    if (h !== null) this.ctx.emit(h);
  }

  /** A multi-part userdata answer: remember what was asked, for the follow-up requests repeating its sequence number. */
  private trackParts(req: S7Pdu, resp: S7Pdu): void {
    const ud = resp.userdata!;
    if (ud.lastDataUnit <= 0) {
      this.parts.delete(ud.sequence);
      return;
    }
    const first = req.continuation ? (this.parts.get(ud.sequence) ?? req) : req;
    if (!this.parts.has(ud.sequence) && this.parts.size >= MAX_OPEN_UPLOADS) {
      this.ctx.anomaly(A.upload_table_cap);
      this.parts.delete(this.parts.keys().next().value as number);
    }
    this.parts.set(ud.sequence, first);
  }

  private fillContinuation(pdu: S7Pdu): void {
    const first = this.parts.get(pdu.userdata!.sequence);
    if (first === undefined) return;
    pdu.szlId = first.szlId;
    pdu.szlIndex = first.szlIndex;
    pdu.blockType = first.blockType;
    pdu.blockNumber = first.blockNumber;
  }

  private rememberUpload(id: number, req: S7Pdu): void {
    if (this.uploads.size >= MAX_OPEN_UPLOADS && !this.uploads.has(id)) {
      this.ctx.anomaly(A.upload_table_cap);
      this.uploads.delete(this.uploads.keys().next().value as number);
    }
    this.uploads.set(id, req);
  }

  private fillUpload(pdu: S7Pdu): void {
    const start = this.uploads.get(pdu.uploadId);
    if (start === undefined) return;
    pdu.filename = start.filename;
    pdu.blockType = start.blockType;
    pdu.blockNumber = start.blockNumber;
    pdu.filesystem = start.filesystem;
  }

  private s7plus(dir: Direction, pdu: S7PlusPdu, ts: number): void {
    this.roles(ts);
    const origin = dir === 0 ? 'client' : 'server';
    if (pdu.opcode === S7PLUS_OP_REQUEST && pdu.sequence >= 0) {
      this.pending.add(KEY_PLUS | (dir << 16) | pdu.sequence, { dir, s7: null, plus: pdu }, ts);
    } else if ((pdu.opcode === S7PLUS_OP_RESPONSE || pdu.opcode === S7PLUS_OP_RESPONSE2) && pdu.sequence >= 0) {
      const w = this.pending.take(KEY_PLUS | ((dir ^ 1) << 16) | pdu.sequence);
      if (w === undefined || w.request.plus === null) {
        this.ctx.anomaly(A.unmatched_response);
        this.ctx.emit(describeS7Plus(pdu, ts, null, ts, origin, true));
        return;
      }
      this.ctx.emit(describeS7Plus(w.request.plus, w.ts, pdu, ts, w.request.dir === 0 ? 'client' : 'server', false));
    } else {
      this.ctx.emit(describeS7Plus(pdu, ts, null, ts, origin, true));
    }
  }

  private emitUnanswered(w: Waiting, ts: number): void {
    const origin = w.dir === 0 ? 'client' : 'server';
    if (w.s7 !== null) this.ctx.emit(describeS7(w.s7, ts, null, ts, origin, false));
    else if (w.plus !== null) this.ctx.emit(describeS7Plus(w.plus, ts, null, ts, origin, false));
  }
}

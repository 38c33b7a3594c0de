// Modbus/TCP session: MBAP framing of each direction's byte stream (or of each UDP datagram), pairing of requests and
// responses by transaction id, unanswered requests, asset hints.
import { PendingRequests } from '../pending.js';
import type { Direction, ProtocolSession, SessionContext } from '../protocol.js';
import { MODBUS_ANOMALIES } from './anomalies.js';
import { EXCEPTION_BIT, FC_UMAS, FUNCTION_CODES, isUserDefined } from './codes.js';
import { describeTransaction, identityHint, roleHint } from './describe.js';
import { MAX_UMAS_MBAP_LENGTH, maxLengthFor, parseAdu } from './parse.js';
import type { ModbusAdu } from './types.js';

const A = MODBUS_ANOMALIES.codes;
/** Header plus function code: enough to judge an ADU's header. */
const HEADER_WITH_FC = 8;
const BUFFER_CAPACITY = 6 + MAX_UMAS_MBAP_LENGTH;
/** After capture loss, at most this many bytes are searched for a plausible header. */
const RESYNC_LIMIT = 2048;
const MAX_HINTED_UNITS = 32;

/** Why an ADU header cannot be framed (null when it can): b[off..off+8) must be there. */
export function headerProblem(b: Uint8Array, off: number): string | null {
  if (b[off + 2] !== 0 || b[off + 3] !== 0) return A.bad_protocol_id;
  const length = (b[off + 4] << 8) | b[off + 5];
  if (length < 2 || length > maxLengthFor(b[off + 7])) return A.invalid_length;
  return null;
}

/** A header plausible enough to resume on after capture loss, or to detect the protocol with. */
export function plausibleHeader(b: Uint8Array, off: number, dir: Direction): boolean {
  if (headerProblem(b, off) !== null) return false;
  const length = (b[off + 4] << 8) | b[off + 5];
  if (length > 254) return false;
  const fc = b[off + 7];
  const func = fc & 0x7f;
  if ((fc & EXCEPTION_BIT) !== 0) {
    if (dir === 0) return false;
    return FUNCTION_CODES[func] !== undefined || isUserDefined(func) || func === FC_UMAS;
  }
  return FUNCTION_CODES[func] !== undefined || isUserDefined(func);
}

class DirectionState {
  buf: Uint8Array | null = null;
  len = 0;
  dead = false;
  resync = false;
  scanned = 0;
}

export class ModbusSession implements ProtocolSession {
  private readonly dirs = [new DirectionState(), new DirectionState()];
  private readonly pending: PendingRequests<ModbusAdu>;
  private clientHinted = false;
  private readonly hintedUnits = new Set<number>();
  private readonly udp: boolean;

  constructor(private readonly ctx: SessionContext) {
    this.udp = ctx.flow.transport === 'udp';
    this.pending = new PendingRequests<ModbusAdu>((req, ts, why) => {
      if (why === 'cap') ctx.anomaly(A.pending_cap);
      else if (why === 'replaced') ctx.anomaly(A.duplicate_transaction_id);
      ctx.emit(describeTransaction(req, ts, null, 0));
    });
  }

  onData(dir: Direction, data: Uint8Array, ts: number): void {
    const st = this.dirs[dir];
    if (st.dead || data.length === 0) return;
    this.pending.expire(ts);
    if (this.udp) {
      this.frameDatagram(dir, data, ts);
      return;
    }
    let off = 0;
    while (off < data.length && !st.dead) {
      if (st.resync) {
        off = this.fillResync(st, dir, data, off, ts);
        continue;
      }
      if (st.len === 0) {
        off = this.frameDirect(dir, data, off, ts);
        if (st.dead || off >= data.length) return;
        st.buf ??= new Uint8Array(BUFFER_CAPACITY);
        st.buf.set(data.subarray(off), 0);
        st.len = data.length - off;
        return;
      }
      off = this.fillBuffered(st, dir, data, off, ts);
    }
  }

  onGap(dir: Direction): void {
    const st = this.dirs[dir];
    if (st.dead || this.udp) return;
    st.len = 0;
    st.resync = true;
    st.scanned = 0;
  }

  onEnd(_ts: number): void {
    this.pending.drain();
  }

  /** Frames whole ADUs straight from `data`; returns where the first incomplete one starts. */
  private frameDirect(dir: Direction, data: Uint8Array, off: number, ts: number): number {
    const st = this.dirs[dir];
    while (data.length - off >= HEADER_WITH_FC) {
      const problem = headerProblem(data, off);
      if (problem !== null) {
        this.ctx.anomaly(problem);
        st.dead = true;
        return data.length;
      }
      const total = 6 + ((data[off + 4] << 8) | data[off + 5]);
      if (data.length - off < total) return off;
      this.handle(dir, parseAdu(data, off, dir === 1), ts);
      off += total;
    }
    return off;
  }

  /** Adds bytes to a partial ADU in the buffer; handles it once whole. */
  private fillBuffered(st: DirectionState, dir: Direction, data: Uint8Array, off: number, ts: number): number {
    const buf = st.buf!;
    if (st.len < HEADER_WITH_FC) {
      const take = Math.min(HEADER_WITH_FC - st.len, data.length - off);
      buf.set(data.subarray(off, off + take), st.len);
      st.len += take;
      off += take;
      if (st.len < HEADER_WITH_FC) return off;
      const problem = headerProblem(buf, 0);
      if (problem !== null) {
        this.ctx.anomaly(problem);
        st.dead = true;
        return data.length;
      }
    }
    const total = 6 + ((buf[4] << 8) | buf[5]);
    const take = Math.min(total - st.len, data.length - off);
    buf.set(data.subarray(off, off + take), st.len);
    st.len += take;
    off += take;
    if (st.len === total) {
      st.len = 0;
      this.handle(dir, parseAdu(buf, 0, dir === 1), ts);
    }
    return off;
  }

  /** After a gap: buffers bytes and looks for a plausible header to resume on. */
  private fillResync(st: DirectionState, dir: Direction, data: Uint8Array, off: number, ts: number): number {
    st.buf ??= new Uint8Array(BUFFER_CAPACITY);
    const buf = st.buf;
    const take = Math.min(BUFFER_CAPACITY - st.len, data.length - off);
    buf.set(data.subarray(off, off + take), st.len);
    st.len += take;
    off += take;
    let i = 0;
    for (; i + HEADER_WITH_FC <= st.len; i++) {
      if (plausibleHeader(buf, i, dir)) {
        st.resync = false;
        break;
      }
    }
    st.scanned += i;
    if (st.resync && st.scanned > RESYNC_LIMIT) {
      this.ctx.anomaly(A.gap_resync_failed);
      st.dead = true;
      return data.length;
    }
    if (i > 0) {
      buf.copyWithin(0, i, st.len);
      st.len -= i;
    }
    if (!st.resync && st.len > 0) {
      // Re-deliver the buffered bytes through the normal path.
      const pending = buf.slice(0, st.len);
      st.len = 0;
      const used = this.frameDirect(dir, pending, 0, ts);
      if (!st.dead && used < pending.length) {
        buf.set(pending.subarray(used), 0);
        st.len = pending.length - used;
      }
    }
    return off;
  }

  private frameDatagram(dir: Direction, data: Uint8Array, ts: number): void {
    let off = 0;
    while (data.length - off >= HEADER_WITH_FC) {
      const problem = headerProblem(data, off);
      if (problem !== null) {
        this.ctx.anomaly(problem);
        return;
      }
      const total = 6 + ((data[off + 4] << 8) | data[off + 5]);
      if (data.length - off < total) break;
      this.handle(dir, parseAdu(data, off, dir === 1), ts);
      off += total;
    }
    if (off < data.length) this.ctx.anomaly(A.truncated_pdu);
  }

  private handle(dir: Direction, adu: ModbusAdu, ts: number): void {
    for (const code of adu.anomalies) this.ctx.anomaly(code);
    if (dir === 0) {
      if (!this.clientHinted) {
        this.clientHinted = true;
        this.ctx.emit(roleHint('client', ts, adu));
      }
      this.pending.add(adu.transactionId, adu, ts);
      return;
    }
    if (!this.hintedUnits.has(adu.unitId)) {
      if (this.hintedUnits.size < MAX_HINTED_UNITS) {
        this.hintedUnits.add(adu.unitId);
        this.ctx.emit(roleHint('server', ts, adu));
      } else if (this.hintedUnits.size === MAX_HINTED_UNITS) {
        this.hintedUnits.add(-1);
        this.ctx.anomaly(A.unit_hint_cap);
      }
    }
    const entry = this.pending.take(adu.transactionId);
    if (entry === undefined) {
      this.ctx.anomaly(A.response_without_request);
      this.ctx.emit(describeTransaction(null, 0, adu, ts));
    } else {
      if (entry.request.unitId !== adu.unitId) this.ctx.anomaly(A.unit_id_mismatch);
      if (entry.request.func !== adu.func) this.ctx.anomaly(A.function_mismatch);
      this.ctx.emit(describeTransaction(entry.request, entry.ts, adu, ts));
    }
    const identity = identityHint(ts, adu);
    if (identity !== null) this.ctx.emit(identity);
  }
}

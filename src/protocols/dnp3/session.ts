// DNP3 session: link framing of each direction's byte stream (TCP) or datagram (UDP) with CRC checks, transport
// reassembly per link address pair, request/response pairing by application sequence per (master, outstation) pair,
// multi-fragment responses, unsolicited responses, asset hints.
import { PendingRequests } from '../pending.js';
import type { Direction, ProtocolSession, SessionContext } from '../protocol.js';
import { DNP3_ANOMALIES } from './anomalies.js';
import {
  FC_AUTHENTICATE_RESPONSE,
  FC_CONFIRM,
  FC_RESPONSE,
  FC_UNSOLICITED_RESPONSE,
  LINK_CONFIRMED_USER_DATA,
  LINK_PRIMARY_FUNCTIONS,
  LINK_SECONDARY_FUNCTIONS,
  LINK_UNCONFIRMED_USER_DATA,
  functionInfo,
  isBroadcast,
} from './codes.js';
import { describeTransaction, identityHint, roleHint, type PendingRequest } from './describe.js';
import {
  LINK_HEADER_SIZE,
  LINK_MIN_LENGTH,
  LINK_START_0,
  LINK_START_1,
  MAX_FRAME_SIZE,
  MAX_USER_DATA,
  crcOk,
  extractUserData,
  frameSize,
  isResponseCode,
  parseApplication,
} from './parse.js';
import type { Dnp3Message } from './types.js';

const A = DNP3_ANOMALIES.codes;
const BUFFER_CAPACITY = 4 * MAX_FRAME_SIZE;
/** Garbage tolerated between valid frames before a direction is given up. */
const RESYNC_LIMIT = 4096;
export const MAX_FRAGMENT_SIZE = 8192;
const MAX_REASSEMBLIES = 16;
const MAX_OPEN_RESPONSES = 16;
const MAX_HINTS = 32;
const MAX_QUEUES = 1024;

/*
 * Transport reassembly (IEEE 1815-2012 §8). Each link user-data frame carries one transport segment: a header octet
 * (FIN 0x80, FIR 0x40, 6-bit sequence) and up to 249 octets of an application fragment. Segments of one fragment go
 * from one link source to one destination, so reassembly state is kept per direction and (source, destination) pair
 * (a TCP connection may carry several outstations behind a gateway), capped at 16 pairs and 8 KiB per fragment.
 * The rules, as the standard's receiver applies them:
 *  - FIR starts a new fragment, whatever is in progress (an unfinished one is discarded: `transport_fragment_discarded`);
 *  - a segment without FIR is accepted only as the successor (seq + 1 mod 64) of the last accepted segment of the
 *    fragment in progress; the same sequence again is a link-layer retry (`transport_duplicate`, dropped, fragment
 *    kept); any other sequence discards the fragment (`transport_out_of_sequence`), and a non-FIR segment with no
 *    fragment in progress is dropped (`transport_no_first`);
 *  - FIN completes the fragment, which goes to the application parser; frames with a bad CRC never reach here.
 * After capture loss (onGap) every pair of that direction is reset, so no fragment is ever glued across a hole.
 */
class Reassembly {
  buf: Uint8Array | null = null;
  len = 0;
  active = false;
  lastSeq = -1;
  constructor(readonly key: number) {}
}

class DirectionState {
  buf: Uint8Array | null = null;
  len = 0;
  dead = false;
  skipping = false;
  skipped = 0;
  readonly reassembly = new Map<number, Reassembly>();
}

/** A response of several fragments being collected for its request. */
interface OpenResponse {
  readonly request: { msg: Dnp3Message; ts: number } | null;
  readonly fragments: Dnp3Message[];
  lastSeq: number;
  /** Time of the first fragment (the response time). */
  readonly ts: number;
}

export class Dnp3Session implements ProtocolSession {
  private readonly dirs = [new DirectionState(), new DirectionState()];
  private readonly pending: PendingRequests<PendingRequest>;
  private readonly open = new Map<number, OpenResponse>();
  private readonly hinted = new Set<string>();
  /** Per (pair, sequence): requests enqueued (tail) and answered or given up (head). */
  private readonly queues = new Map<number, { head: number; tail: number }>();
  private readonly udp: boolean;
  private readonly userData = new Uint8Array(MAX_USER_DATA);

  constructor(private readonly ctx: SessionContext) {
    this.udp = ctx.flow.transport === 'udp';
    this.pending = new PendingRequests<PendingRequest>((req, ts, why) => {
      if (why === 'cap') ctx.anomaly(A.pending_cap);
      ctx.emit(describeTransaction(req.msg, ts, null, 0));
    });
  }

  onData(dir: Direction, data: Uint8Array, ts: number): void {
    const st = this.dirs[dir];
    if (st.dead || data.length === 0) return;
    this.pending.expire(ts);
    if (this.udp) {
      const used = this.consume(st, dir, data, 0, data.length, ts);
      if (used < data.length && !st.dead) this.ctx.anomaly(A.truncated_frame);
      return;
    }
    let off = 0;
    if (st.len === 0) {
      off = this.consume(st, dir, data, 0, data.length, ts);
      if (st.dead || off >= data.length) return;
      st.buf ??= new Uint8Array(BUFFER_CAPACITY);
      st.buf.set(data.subarray(off), 0);
      st.len = data.length - off;
      return;
    }
    const buf = st.buf!;
    while (off < data.length && !st.dead) {
      const take = Math.min(BUFFER_CAPACITY - st.len, data.length - off);
      buf.set(data.subarray(off, off + take), st.len);
      st.len += take;
      off += take;
      const used = this.consume(st, dir, buf, 0, st.len, ts);
      buf.copyWithin(0, used, st.len);
      st.len -= used;
    }
  }

  onGap(dir: Direction): void {
    const st = this.dirs[dir];
    if (this.udp || st.dead) return;
    st.len = 0;
    for (const r of st.reassembly.values()) {
      r.active = false;
      r.len = 0;
      r.lastSeq = -1;
    }
  }

  onEnd(_ts: number): void {
    for (const st of this.dirs) if (!st.dead && st.len > 0) this.ctx.anomaly(A.truncated_frame);
    for (const key of [...this.open.keys()]) this.closeOpen(key, true);
    this.pending.drain();
  }

  /** Frames link frames from b[off, end); returns where an incomplete frame starts (or end). */
  private consume(st: DirectionState, dir: Direction, b: Uint8Array, off: number, end: number, ts: number): number {
    let o = off;
    while (end - o >= 2 && !st.dead) {
      if (b[o] !== LINK_START_0 || b[o + 1] !== LINK_START_1) {
        let n = o + 1;
        while (n < end && !(b[n] === LINK_START_0 && (n + 1 >= end || b[n + 1] === LINK_START_1))) n++;
        this.skip(st, n - o);
        o = n;
        continue;
      }
      if (end - o < LINK_HEADER_SIZE) break;
      if (!crcOk(b, o, 8)) {
        this.ctx.anomaly(A.bad_header_crc);
        this.skip(st, 1);
        o++;
        continue;
      }
      const length = b[o + 2];
      if (length < LINK_MIN_LENGTH) {
        this.ctx.anomaly(A.invalid_link_length);
        this.skip(st, 1);
        o++;
        continue;
      }
      const total = frameSize(length);
      if (end - o < total) break;
      const n = extractUserData(b, o, this.userData);
      if (n < 0) this.ctx.anomaly(A.bad_data_crc);
      else this.frame(st, dir, b, o, n, ts);
      st.skipping = false;
      st.skipped = 0;
      o += total;
    }
    if (end - o === 1 && b[o] !== LINK_START_0) {
      this.skip(st, 1);
      o++;
    }
    return o;
  }

  private skip(st: DirectionState, n: number): void {
    if (!st.skipping) {
      st.skipping = true;
      this.ctx.anomaly(A.garbage_skipped);
    }
    st.skipped += n;
    if (st.skipped > RESYNC_LIMIT) {
      this.ctx.anomaly(A.resync_failed);
      st.dead = true;
      st.len = 0;
    }
  }

  /** One link frame with good CRCs; its user data (n octets) is in this.userData. */
  private frame(st: DirectionState, dir: Direction, b: Uint8Array, o: number, n: number, ts: number): void {
    const control = b[o + 3];
    const prm = (control & 0x40) !== 0;
    const lfc = control & 0x0f;
    if ((prm ? LINK_PRIMARY_FUNCTIONS[lfc] : LINK_SECONDARY_FUNCTIONS[lfc]) === undefined) this.ctx.anomaly(A.unknown_link_function);
    if (!prm || (lfc !== LINK_CONFIRMED_USER_DATA && lfc !== LINK_UNCONFIRMED_USER_DATA)) {
      // Only user-data functions carry transport segments (opendnp3 conformance 6.6.2.x sends data in others).
      if (n > 0) this.ctx.anomaly(A.data_in_link_only_frame);
      return;
    }
    if (n === 0) {
      this.ctx.anomaly(A.empty_user_data);
      return;
    }
    const dst = b[o + 4] | (b[o + 5] << 8);
    const src = b[o + 6] | (b[o + 7] << 8);
    const key = (src << 16) | dst;
    const th = this.userData[0];
    const fin = (th & 0x80) !== 0;
    const fir = (th & 0x40) !== 0;
    const seq = th & 0x3f;
    let r = st.reassembly.get(key);
    if (r === undefined) {
      if (fir && fin) {
        // A whole fragment in one segment needs no state (an address scan sends many such frames).
        this.message(dir, (control & 0x80) !== 0, src, dst, parseApplication(this.userData, 1, n), ts);
        return;
      }
      if (st.reassembly.size >= MAX_REASSEMBLIES) {
        for (const [k, old] of st.reassembly) if (!old.active) st.reassembly.delete(k);
      }
      if (st.reassembly.size >= MAX_REASSEMBLIES) {
        this.ctx.anomaly(A.reassembly_cap);
        return;
      }
      r = new Reassembly(key);
      st.reassembly.set(key, r);
    }
    if (fir) {
      if (r.active) this.ctx.anomaly(A.transport_fragment_discarded);
      r.active = true;
      r.len = 0;
    } else if (!r.active) {
      this.ctx.anomaly(seq === r.lastSeq ? A.transport_duplicate : A.transport_no_first);
      return;
    } else if (seq === r.lastSeq) {
      this.ctx.anomaly(A.transport_duplicate);
      return;
    } else if (seq !== ((r.lastSeq + 1) & 0x3f)) {
      this.ctx.anomaly(A.transport_out_of_sequence);
      r.active = false;
      r.len = 0;
      return;
    }
    r.lastSeq = seq;
    const payload = n - 1;
    if (r.len + payload > MAX_FRAGMENT_SIZE) {
      this.ctx.anomaly(A.fragment_too_large);
      r.active = false;
      r.len = 0;
      return;
    }
    if (!fin || r.len > 0) {
      r.buf ??= new Uint8Array(MAX_FRAGMENT_SIZE);
      r.buf.set(this.userData.subarray(1, n), r.len);
      r.len += payload;
    }
    if (!fin) return;
    r.active = false;
    const app = r.len > 0 ? parseApplication(r.buf!, 0, r.len) : parseApplication(this.userData, 1, n);
    r.len = 0;
    this.message(dir, (control & 0x80) !== 0, src, dst, app, ts);
  }

  private message(dir: Direction, linkDir: boolean, src: number, dst: number, app: Dnp3Message['app'], ts: number): void {
    for (const code of app.anomalies) this.ctx.anomaly(code);
    if (app.pointsTotal > app.points.length) this.ctx.anomaly(A.points_capped);
    if (app.func < 0) return;
    const response = isResponseCode(app.func);
    if (response && linkDir) this.ctx.anomaly(A.response_from_master);
    if (!response && app.func !== FC_CONFIRM && !linkDir) this.ctx.anomaly(A.request_from_outstation);
    // Roles follow the function code (responses come from outstations); a confirm follows the link DIR bit.
    const fromMaster = app.func === FC_CONFIRM ? linkDir : !response;
    const msg: Dnp3Message = { app, src, dst, linkDir, side: dir, master: fromMaster ? src : dst, outstation: fromMaster ? dst : src };
    this.hint(msg, fromMaster ? 'master' : 'outstation', ts);
    const pairKey = (msg.master * 65536 + msg.outstation) * 16;
    if (app.func === FC_CONFIRM || app.func === FC_UNSOLICITED_RESPONSE) {
      if (app.func === FC_CONFIRM) this.ctx.emit(describeTransaction(msg, ts, null, 0, true));
      else this.ctx.emit(describeTransaction(null, 0, [msg], ts));
      if (app.func === FC_UNSOLICITED_RESPONSE) this.identity(msg, ts);
      return;
    }
    if (!response) {
      if (functionInfo(app.func).noResponse || isBroadcast(dst)) {
        this.ctx.emit(describeTransaction(msg, ts, null, 0, true));
        return;
      }
      this.enqueue(pairKey + app.seq, msg, ts);
      return;
    }
    // A solicited response (129) or authentication response (131).
    const pair = pairKey / 16;
    const open = this.open.get(pair);
    if (!app.fir && open !== undefined && app.seq === ((open.lastSeq + 1) & 0x0f)) {
      open.fragments.push(msg);
      open.lastSeq = app.seq;
      if (app.fin) this.closeOpen(pair, false);
      this.identity(msg, ts);
      return;
    }
    if (open !== undefined) this.closeOpen(pair, true);
    const entry = app.fir || app.func === FC_AUTHENTICATE_RESPONSE ? this.dequeue(pairKey + app.seq) : undefined;
    if (entry === undefined) this.ctx.anomaly(A.response_without_request);
    if (app.fin || app.func !== FC_RESPONSE) {
      this.ctx.emit(describeTransaction(entry?.request.msg ?? null, entry?.ts ?? 0, [msg], ts));
    } else if (this.open.size < MAX_OPEN_RESPONSES) {
      this.open.set(pair, { request: entry === undefined ? null : { msg: entry.request.msg, ts: entry.ts }, fragments: [msg], lastSeq: app.seq, ts });
    } else {
      this.ctx.anomaly(A.pending_cap);
      this.ctx.emit(describeTransaction(entry?.request.msg ?? null, entry?.ts ?? 0, [msg], ts));
    }
    this.identity(msg, ts);
  }

  /*
   * Masters may send a request again with the sequence of one still unanswered (a retry, or a pipelining master as in
   * the ICSNPP dnp3_example capture, which sends select/operate 7, 8, 7, 8, 7 before the first answer). Requests of one
   * (pair, sequence) wait in order, and a response takes the oldest still waiting.
   */
  private enqueue(base: number, msg: Dnp3Message, ts: number): void {
    let q = this.queues.get(base);
    if (q === undefined) {
      if (this.queues.size >= MAX_QUEUES) this.queues.clear();
      q = { head: 0, tail: 0 };
      this.queues.set(base, q);
    } else if (q.head < q.tail) {
      this.ctx.anomaly(A.duplicate_sequence);
    }
    this.pending.add(base * 256 + (q.tail & 255), { msg }, ts);
    q.tail++;
  }

  private dequeue(base: number): { request: PendingRequest; ts: number } | undefined {
    const q = this.queues.get(base);
    if (q === undefined) return undefined;
    while (q.head < q.tail) {
      const e = this.pending.take(base * 256 + (q.head & 255));
      q.head++;
      if (e !== undefined) {
        if (q.head === q.tail) this.queues.delete(base);
        return e;
      }
    }
    this.queues.delete(base);
    return undefined;
  }

  private closeOpen(pair: number, incomplete: boolean): void {
    const open = this.open.get(pair);
    if (open === undefined) return;
    this.open.delete(pair);
    this.ctx.emit(describeTransaction(open.request?.msg ?? null, open.request?.ts ?? 0, open.fragments, open.ts, false, incomplete));
  }

  private hint(msg: Dnp3Message, role: 'master' | 'outstation', ts: number): void {
    const side = msg.side === 0 ? 'client' : 'server';
    const address = role === 'master' ? msg.master : msg.outstation;
    const key = `${side}/${role}/${address}`;
    if (this.hinted.has(key)) return;
    if (this.hinted.size >= MAX_HINTS) {
      if (this.hinted.size === MAX_HINTS) {
        this.hinted.add('');
        this.ctx.anomaly(A.hint_cap);
      }
      return;
    }
    this.hinted.add(key);
    this.ctx.emit(roleHint(side, role, address, msg.app.func, ts));
  }

  private identity(msg: Dnp3Message, ts: number): void {
    const h = identityHint(msg, ts);
    if (h !== null) this.ctx.emit(h);
  }
}

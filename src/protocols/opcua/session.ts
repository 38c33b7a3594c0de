// OPC UA session: message framing of each direction's byte stream (Part 6 §7.1.2), chunk reassembly per request id
// (§6.7.2: C accumulates, A aborts, F completes), request/response pairing by request id, HEL/ACK, encrypted traffic.
import { PendingRequests } from '../pending.js';
import type { Direction, ProtocolSession, SessionContext } from '../protocol.js';
import { OPCUA_ANOMALIES } from './anomalies.js';
import { describeTransaction, identityHint, roleHint, type Side } from './describe.js';
import {
  chunkTypeAt, HEADER_LENGTH, headerProblem, looksPlaintext, MAX_CHUNK_SIZE, messageTypeAt, MIN_SIZE, parseChunk,
  parseService, policyName, Reader, u32le, withError,
} from './parse.js';
import type { Chunk, MessageType } from './types.js';

const A = OPCUA_ANOMALIES.codes;
/** After capture loss, at most this many bytes are searched for a plausible header. */
const RESYNC_LIMIT = 64 * 1024;
/** Bytes held for messages being reassembled, per direction (all of its messages together). */
const MAX_REASSEMBLY_BYTES = 4 * 1024 * 1024;
const MAX_MESSAGE_CHUNKS = 4096;
const MAX_PARTIAL_MESSAGES = 16;
const MAX_HINTS = 16;
/** Symmetric (MSG/CLO) chunk: header, channel id, token id; the sequence header follows. */
const SYMMETRIC_HEADER_END = 16;

interface Partial {
  parts: Uint8Array[];
  bytes: number;
}

class DirectionState {
  buf: Uint8Array = new Uint8Array(0);
  len = 0;
  dead = false;
  resync = false;
  skip = 0;
  readonly partials = new Map<number, Partial>();
  partialBytes = 0;
}

/** True when a header at b[off] (12 bytes there) looks like a real chunk start: used after capture loss. */
function plausibleAt(b: Uint8Array, off: number, channel: number | null): boolean {
  const type = messageTypeAt(b, off);
  if (type === null || chunkTypeAt(b, off) === null) return false;
  const size = u32le(b, off + 4);
  if (size < MIN_SIZE[type] || size > MAX_CHUNK_SIZE) return false;
  if (channel !== null && (type === 'MSG' || type === 'CLO')) return u32le(b, off + 8) === channel;
  return true;
}

export class OpcuaSession implements ProtocolSession {
  private readonly dirs = [new DirectionState(), new DirectionState()];
  private readonly pending: PendingRequests<Side>;
  private hello: Side | null = null;
  private openEncrypted: Side | null = null;
  /** Security policy of the channel (from OPN), null until seen. */
  private policy: string | null = null;
  /** On a secured channel, whether MSG bodies are readable (Sign) or not (SignAndEncrypt); null until judged. */
  private plaintext = false;
  private channel: number | null = null;
  private readonly hinted = new Set<string>();

  constructor(private readonly ctx: SessionContext) {
    this.pending = new PendingRequests<Side>((req, _ts, why) => {
      if (why === 'cap') ctx.anomaly(A.pending_cap);
      else if (why === 'replaced') ctx.anomaly(A.duplicate_request_id);
      ctx.emit(describeTransaction(req, null));
    });
  }

  onData(dir: Direction, data: Uint8Array, ts: number): void {
    const st = this.dirs[dir];
    if (st.dead || data.length === 0) return;
    this.pending.expire(ts);
    let off = 0;
    while (off < data.length && !st.dead) {
      const left = data.length - off;
      if (st.skip > 0) {
        const n = Math.min(st.skip, left);
        st.skip -= n;
        off += n;
        continue;
      }
      if (st.resync) {
        off = this.fillResync(st, dir, data, off, ts);
        continue;
      }
      if (st.len === 0 && left >= HEADER_LENGTH) {
        const problem = headerProblem(data, off);
        if (problem !== null) {
          this.kill(st, problem);
          return;
        }
        const size = u32le(data, off + 4);
        if (size > MAX_CHUNK_SIZE) {
          this.ctx.anomaly(A.message_too_large);
          st.skip = size;
          continue;
        }
        if (left >= size) {
          this.onChunk(dir, data, off, size, ts);
          off += size;
          continue;
        }
      }
      // Buffer: first the header, then the rest of the chunk.
      const want = st.len < HEADER_LENGTH ? HEADER_LENGTH : u32le(st.buf, 4);
      const n = Math.min(want - st.len, left);
      this.append(st, data, off, n);
      off += n;
      if (st.len === HEADER_LENGTH && want === HEADER_LENGTH) {
        const problem = headerProblem(st.buf, 0);
        if (problem !== null) {
          this.kill(st, problem);
          return;
        }
        const size = u32le(st.buf, 4);
        if (size > MAX_CHUNK_SIZE) {
          this.ctx.anomaly(A.message_too_large);
          st.skip = size - HEADER_LENGTH;
          st.len = 0;
        }
        continue;
      }
      if (st.len >= HEADER_LENGTH && st.len === want) {
        st.len = 0;
        this.onChunk(dir, st.buf, 0, want, ts);
      }
    }
  }

  onGap(dir: Direction): void {
    const st = this.dirs[dir];
    if (st.dead) return;
    st.len = 0;
    st.skip = 0;
    st.resync = true;
    st.partials.clear();
    st.partialBytes = 0;
  }

  onEnd(): void {
    if (this.hello !== null) this.ctx.emit(describeTransaction(this.hello, null));
    this.hello = null;
    if (this.openEncrypted !== null) this.ctx.emit(describeTransaction(this.openEncrypted, null, { encrypted: true }));
    this.openEncrypted = null;
    this.pending.drain();
  }

  private kill(st: DirectionState, code: string): void {
    this.ctx.anomaly(code);
    st.dead = true;
    st.len = 0;
    st.partials.clear();
    st.partialBytes = 0;
  }

  private dropPartial(st: DirectionState, id: number): void {
    const p = st.partials.get(id);
    if (p === undefined) return;
    st.partialBytes -= p.bytes;
    st.partials.delete(id);
  }

  private append(st: DirectionState, data: Uint8Array, off: number, n: number): void {
    if (st.len + n > st.buf.length) {
      const grown = new Uint8Array(Math.max(st.len + n, Math.min(st.buf.length * 2 || 4096, MAX_CHUNK_SIZE + RESYNC_LIMIT)));
      grown.set(st.buf.subarray(0, st.len));
      st.buf = grown;
    }
    st.buf.set(data.subarray(off, off + n), st.len);
    st.len += n;
  }

  /** Buffers up to RESYNC_LIMIT bytes after a gap and looks for a plausible header; returns the new offset in data. */
  private fillResync(st: DirectionState, dir: Direction, data: Uint8Array, off: number, ts: number): number {
    const n = Math.min(RESYNC_LIMIT - st.len, data.length - off);
    this.append(st, data, off, n);
    off += n;
    for (let p = 0; p + 12 <= st.len; p++) {
      if (plausibleAt(st.buf, p, this.channel)) {
        const rest = st.buf.slice(p, st.len);
        st.len = 0;
        st.resync = false;
        this.onData(dir, rest, ts);
        return off;
      }
    }
    if (st.len >= RESYNC_LIMIT) this.kill(st, A.gap_resync_failed);
    return off;
  }

  private cur: Uint8Array = new Uint8Array(0);
  private curOff = 0;
  private readonly encryptedFn = (type: MessageType, policy: string | null): boolean => this.isEncrypted(type, policy);

  /** Whether the chunk at this.cur[this.curOff] (being parsed) has an encrypted sequence header and body. */
  private isEncrypted(type: MessageType, policy: string | null): boolean {
    const b = this.cur;
    const off = this.curOff;
    const size = u32le(b, off + 4);
    if (type === 'OPN') return policy !== null && policyName(policy) !== 'None';
    if (this.policy === 'None' || this.plaintext === true) return false;
    // Secured (or not yet seen) channel: readable bodies mean Sign mode; a body that is not a known service is taken
    // as encrypted (SignAndEncrypt) and the next chunk is judged again.
    this.plaintext = size > SYMMETRIC_HEADER_END + 8 && looksPlaintext(b, off + SYMMETRIC_HEADER_END + 8, off + size);
    return !this.plaintext;
  }

  private onChunk(dir: Direction, b: Uint8Array, off: number, size: number, ts: number): void {
    this.cur = b;
    this.curOff = off;
    const chunk = parseChunk(b, off, size, this.encryptedFn);
    for (const a of chunk.anomalies) this.ctx.anomaly(a);
    if (chunk.secure_channel_id !== undefined && chunk.secure_channel_id !== 0) this.channel = chunk.secure_channel_id;
    switch (chunk.type) {
      case 'HEL':
        if (this.hello !== null) this.ctx.emit(describeTransaction(this.hello, null));
        this.hello = { chunk, service: null, ts, chunks: 1 };
        this.hint('client', roleHint('client', ts, 'hello'));
        this.hint('server', roleHint('server', ts, 'hello'));
        return;
      case 'ACK':
      case 'ERR': {
        const resp: Side = { chunk, service: null, ts, chunks: 1 };
        if (this.hello !== null && dir === 1) {
          this.ctx.emit(describeTransaction(this.hello, resp));
          this.hello = null;
        } else this.ctx.emit(describeTransaction(null, resp));
        return;
      }
      case 'RHE': {
        const side: Side = { chunk, service: null, ts, chunks: 1 };
        this.ctx.emit(describeTransaction(dir === 0 ? side : null, dir === 0 ? null : side, { lone: true }));
        return;
      }
      default:
        break;
    }
    if (chunk.type === 'OPN' && chunk.security_policy_uri !== undefined) {
      this.policy = policyName(chunk.security_policy_uri);
    }
    if (chunk.body_offset < 0) {
      if (chunk.request_id === undefined && chunk.anomalies.length === 0) this.onEncrypted(dir, chunk, ts);
      return;
    }
    this.onPlainChunk(dir, chunk, b, off + chunk.body_offset, off + size, ts);
  }

  private onEncrypted(dir: Direction, chunk: Chunk, ts: number): void {
    const side: Side = { chunk, service: null, ts, chunks: 1 };
    if (chunk.type === 'OPN') {
      if (dir === 0) {
        if (this.openEncrypted !== null) this.ctx.emit(describeTransaction(this.openEncrypted, null, { encrypted: true }));
        this.openEncrypted = side;
      } else {
        this.ctx.emit(describeTransaction(this.openEncrypted, side, { encrypted: true }));
        this.openEncrypted = null;
      }
      return;
    }
    this.ctx.emit(describeTransaction(dir === 0 ? side : null, dir === 0 ? null : side, { encrypted: true, lone: true }));
  }

  private onPlainChunk(dir: Direction, chunk: Chunk, b: Uint8Array, bodyOff: number, end: number, ts: number): void {
    const st = this.dirs[dir];
    const id = chunk.request_id!;
    let partial = st.partials.get(id);
    if (chunk.chunk === 'C') {
      if (partial === undefined) {
        if (st.partials.size >= MAX_PARTIAL_MESSAGES) {
          this.ctx.anomaly(A.reassembly_cap);
          return;
        }
        partial = { parts: [], bytes: 0 };
        st.partials.set(id, partial);
      }
      if (st.partialBytes + (end - bodyOff) > MAX_REASSEMBLY_BYTES || partial.parts.length >= MAX_MESSAGE_CHUNKS) {
        this.ctx.anomaly(A.reassembly_cap);
        this.dropPartial(st, id);
        return;
      }
      partial.parts.push(b.slice(bodyOff, end));
      partial.bytes += end - bodyOff;
      st.partialBytes += end - bodyOff;
      return;
    }
    if (chunk.chunk === 'A') {
      this.dropPartial(st, id);
      const r = new Reader(b, bodyOff, end);
      const error_code = r.u32();
      const reason = r.string();
      const aborted = withError(chunk, error_code, reason);
      // A server may abort a response before sending any of its chunks: the request is then what it aborts.
      const req = dir === 1 ? this.pending.take(id) : undefined;
      if (req !== undefined) this.ctx.emit(describeTransaction(req.request, { chunk: aborted, service: null, ts, chunks: 1 }));
      else if (partial === undefined) this.ctx.anomaly(A.chunk_without_start);
      return;
    }
    let chunks = 1;
    let service;
    if (partial !== undefined) {
      this.dropPartial(st, id);
      const whole = new Uint8Array(partial.bytes + (end - bodyOff));
      let o = 0;
      for (const p of partial.parts) {
        whole.set(p, o);
        o += p.length;
      }
      whole.set(b.subarray(bodyOff, end), o);
      chunks = partial.parts.length + 1;
      service = parseService(whole, 0, whole.length);
    } else service = parseService(b, bodyOff, end);
    for (const a of service.anomalies) this.ctx.anomaly(a);
    const side: Side = { chunk, service, ts, chunks };
    this.hints(service, ts);
    const isRequest = service.kind === 'request' || (service.kind === 'unknown' && dir === 0);
    if (isRequest && chunk.type === 'CLO') {
      this.ctx.emit(describeTransaction(side, null, { lone: true }));
      return;
    }
    if (isRequest) {
      this.pending.add(id, side, ts);
      return;
    }
    const req = this.pending.take(id);
    if (req === undefined) this.ctx.anomaly(A.response_without_request);
    this.ctx.emit(describeTransaction(req?.request ?? null, side));
  }

  private hints(s: NonNullable<Side['service']>, ts: number): void {
    if (s.application === null) return;
    const side = s.kind === 'request' ? 'client' : 'server';
    const source = s.service !== null ? s.service.name : 'unknown';
    const hint = identityHint(side, s.application, ts, source);
    if (hint !== null) this.hint(`${side}|${source}|${s.application.application_uri}|${s.application.product_uri}`, hint);
  }

  private hint(key: string, event: Parameters<SessionContext['emit']>[0]): void {
    if (this.hinted.has(key)) return;
    if (this.hinted.size >= MAX_HINTS) return;
    this.hinted.add(key);
    this.ctx.emit(event);
  }
}

// HTTP/1.x session: message heads buffered up to 16 KiB, bodies skipped by Content-Length, chunked framing or until
// close (counted, never buffered), pipelined requests paired with responses in order, CONNECT/Upgrade ends parsing.
import type { Direction, ProtocolSession, SessionContext } from '../protocol.js';
import { HTTP_ANOMALIES } from './anomalies.js';
import { describeExchange, hostHint, hostName, serverHint, userAgentHint, type HttpExchange } from './describe.js';
import { isStartLine, parseHead } from './parse.js';
import type { HttpHead } from './types.js';

const A = HTTP_ANOMALIES.codes;
export const MAX_HEAD_BYTES = 16 * 1024;
export const MAX_PENDING = 32;
export const MAX_HINTS = 16;
const MAX_CHUNK_LINE = 1024;
const MAX_CHUNK_DIGITS = 12;
const CR = 0x0d;
const LF = 0x0a;

const enum Mode {
  HEAD,
  BODY_LENGTH,
  CHUNK_SIZE,
  CHUNK_DATA,
  CHUNK_DATA_END,
  TRAILER,
  UNTIL_CLOSE,
  /** CONNECT, Upgrade, or no longer HTTP: bytes are ignored. */
  STOPPED,
}

class DirectionState {
  mode = Mode.HEAD;
  head: Uint8Array | null = null;
  headLen = 0;
  headCut = false;
  firstLineChecked = false;
  lineLen = 0;
  remaining = 0;
  chunkSize = 0;
  chunkDigits = 0;
  chunkExt = false;
  /** The exchange whose body this direction is reading. */
  current: HttpExchange | null = null;
}

/** Head buffers start small (most heads are a few hundred bytes) and double up to MAX_HEAD_BYTES. */
const INITIAL_HEAD_BYTES = 1024;

function grow(old: Uint8Array | null, used: number): Uint8Array {
  const next = new Uint8Array(old === null ? INITIAL_HEAD_BYTES : Math.min(MAX_HEAD_BYTES, old.length * 2));
  if (old !== null) next.set(old.subarray(0, used));
  return next;
}

function hex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x66) return l - 0x61 + 10;
  return -1;
}

export class HttpSession implements ProtocolSession {
  private readonly dirs = [new DirectionState(), new DirectionState()];
  /** Requests in order, waiting for their responses. */
  private readonly pending: HttpExchange[] = [];
  private readonly hinted = new Set<string>();

  constructor(private readonly ctx: SessionContext) {}

  onData(dir: Direction, data: Uint8Array, ts: number): void {
    const st = this.dirs[dir];
    let off = 0;
    const end = data.length;
    // Every branch consumes at least one byte or stops the direction.
    while (off < end) {
      switch (st.mode) {
        case Mode.STOPPED:
          return;
        case Mode.HEAD:
          off = this.scanHead(st, dir, data, off, ts);
          break;
        case Mode.BODY_LENGTH:
        case Mode.CHUNK_DATA: {
          const n = Math.min(st.remaining, end - off);
          off += n;
          st.remaining -= n;
          this.countBody(st, dir, n);
          if (st.remaining === 0) {
            if (st.mode === Mode.CHUNK_DATA) st.mode = Mode.CHUNK_DATA_END;
            else this.messageDone(st, dir);
          }
          break;
        }
        case Mode.UNTIL_CLOSE:
          this.countBody(st, dir, end - off);
          return;
        case Mode.CHUNK_SIZE:
          off = this.scanChunkSize(st, data, off);
          break;
        case Mode.CHUNK_DATA_END: {
          const c = data[off++];
          if (c === LF) this.startChunkSize(st);
          else if (c !== CR) this.stop(st, A.bad_chunk);
          break;
        }
        case Mode.TRAILER: {
          const c = data[off++];
          if (c === LF) {
            if (st.lineLen === 0) this.messageDone(st, dir);
            st.lineLen = 0;
          } else if (c !== CR && ++st.lineLen > MAX_HEAD_BYTES) {
            this.stop(st, A.bad_chunk);
          }
          break;
        }
      }
    }
  }

  onGap(dir: Direction, bytes: number): void {
    const st = this.dirs[dir];
    if (st.mode === Mode.STOPPED) return;
    if (st.mode === Mode.UNTIL_CLOSE) {
      this.countBody(st, dir, bytes);
      return;
    }
    if ((st.mode === Mode.BODY_LENGTH || st.mode === Mode.CHUNK_DATA) && bytes < st.remaining) {
      st.remaining -= bytes;
      this.countBody(st, dir, bytes);
      return;
    }
    this.stop(st, A.gap);
  }

  onEnd(_ts: number): void {
    const server = this.dirs[1];
    // A response read until close ends with the flow; so does a request or response cut short.
    if (server.current !== null && server.current.response !== null) {
      this.ctx.emit(describeExchange(server.current));
      server.current = null;
    }
    for (const x of this.pending) this.ctx.emit(describeExchange(x));
    this.pending.length = 0;
  }

  private stop(st: DirectionState, code: string | null): void {
    if (code !== null) this.ctx.anomaly(code);
    st.mode = Mode.STOPPED;
    st.head = null;
  }

  private countBody(st: DirectionState, dir: Direction, n: number): void {
    const x = st.current;
    if (x === null) return;
    if (dir === 0) x.requestBodyLen += n;
    else x.responseBodyLen += n;
  }

  /** Copies head bytes (up to the cap) until the blank line; returns the offset after what was consumed. */
  private scanHead(st: DirectionState, dir: Direction, data: Uint8Array, off: number, ts: number): number {
    const end = data.length;
    for (let i = off; i < end; i++) {
      const c = data[i];
      if (st.headLen === 0 && !st.headCut && (c === CR || c === LF)) continue; // blank lines before a message
      if (st.headLen < MAX_HEAD_BYTES) {
        if (st.head === null || st.headLen === st.head.length) st.head = grow(st.head, st.headLen);
        st.head[st.headLen++] = c;
      } else {
        st.headCut = true;
      }
      if (c === LF) {
        if (!st.firstLineChecked) {
          st.firstLineChecked = true;
          if (!isStartLine(st.head!, 0, st.headLen)) {
            this.stop(st, A.bad_start_line);
            return end;
          }
        }
        if (st.lineLen === 0) {
          this.headDone(st, dir, ts);
          return i + 1;
        }
        st.lineLen = 0;
      } else if (c !== CR) {
        st.lineLen++;
      }
      if (st.headCut && !st.firstLineChecked) {
        this.stop(st, A.bad_start_line);
        return end;
      }
    }
    return end;
  }

  private headDone(st: DirectionState, dir: Direction, ts: number): void {
    const head = parseHead(st.head!, 0, st.headLen, st.headCut);
    st.headLen = 0;
    st.headCut = false;
    st.firstLineChecked = false;
    st.lineLen = 0;
    if (head === null || head.isRequest !== (dir === 0)) {
      this.stop(st, A.bad_start_line);
      return;
    }
    for (const code of head.anomalies) this.ctx.anomaly(code);
    if (head.contentLength === -2) {
      this.stop(st, null);
      return;
    }
    if (dir === 0) this.onRequest(st, head, ts);
    else this.onResponse(st, head, ts);
  }

  private onRequest(st: DirectionState, head: HttpHead, ts: number): void {
    const ua = head.userAgent;
    if (ua !== undefined && ua !== '' && this.fresh(`u:${ua}`)) this.ctx.emit(userAgentHint(ua, ts));
    if (head.host !== undefined && this.fresh(`h:${head.host}`)) {
      const name = hostName(head.host);
      if (name !== null) this.ctx.emit(hostHint(name, ts));
    }
    const x: HttpExchange = { request: head, requestTs: ts, requestBodyLen: 0, response: null, responseTs: 0, responseBodyLen: 0 };
    if (this.pending.length >= MAX_PENDING) {
      this.ctx.anomaly(A.pending_cap);
      this.ctx.emit(describeExchange(this.pending.shift()!));
    }
    this.pending.push(x);
    st.current = x;
    if (head.method === 'CONNECT') {
      // What follows is the tunnelled protocol (usually TLS), whatever the proxy answers.
      st.mode = Mode.STOPPED;
      st.head = null;
      return;
    }
    this.startBody(st, head.chunked, head.contentLength > 0 ? head.contentLength : 0, 0);
  }

  private onResponse(st: DirectionState, head: HttpHead, ts: number): void {
    if (this.fresh(`s:${head.server ?? ''}`)) this.ctx.emit(serverHint(head.server, ts));
    if (head.status < 200 && head.status !== 101) return; // interim response: the final one follows
    let x = this.pending.shift();
    if (x === undefined) {
      this.ctx.anomaly(A.response_without_request);
      x = { request: null, requestTs: 0, requestBodyLen: 0, response: null, responseTs: 0, responseBodyLen: 0 };
    }
    x.response = head;
    x.responseTs = ts;
    st.current = x;
    const method = x.request?.method;
    if (head.status === 101 || (method === 'CONNECT' && head.status < 300)) {
      this.ctx.emit(describeExchange(x));
      st.current = null;
      this.stop(st, null);
      this.stop(this.dirs[0], null);
      return;
    }
    if (method === 'HEAD' || head.status === 204 || head.status === 304) {
      this.messageDone(st, 1);
      return;
    }
    this.startBody(st, head.chunked, head.contentLength, 1);
  }

  /** `length` -1: no Content-Length (a response then runs until close). */
  private startBody(st: DirectionState, chunked: boolean, length: number, dir: Direction): void {
    if (chunked) {
      this.startChunkSize(st);
    } else if (length > 0) {
      st.mode = Mode.BODY_LENGTH;
      st.remaining = length;
    } else if (length < 0 && dir === 1) {
      st.mode = Mode.UNTIL_CLOSE;
    } else {
      this.messageDone(st, dir);
    }
  }

  private startChunkSize(st: DirectionState): void {
    st.mode = Mode.CHUNK_SIZE;
    st.chunkSize = 0;
    st.chunkDigits = 0;
    st.chunkExt = false;
    st.lineLen = 0;
  }

  private scanChunkSize(st: DirectionState, data: Uint8Array, off: number): number {
    const end = data.length;
    for (let i = off; i < end; i++) {
      const c = data[i];
      if (c === LF) {
        if (st.chunkDigits === 0) {
          this.stop(st, A.bad_chunk);
          return end;
        }
        st.lineLen = 0;
        if (st.chunkSize === 0) {
          st.mode = Mode.TRAILER;
        } else {
          st.mode = Mode.CHUNK_DATA;
          st.remaining = st.chunkSize;
        }
        return i + 1;
      }
      if (++st.lineLen > MAX_CHUNK_LINE) {
        this.stop(st, A.bad_chunk);
        return end;
      }
      if (c === CR || st.chunkExt) continue;
      const d = hex(c);
      if (d >= 0) {
        if (++st.chunkDigits > MAX_CHUNK_DIGITS) {
          this.stop(st, A.bad_chunk);
          return end;
        }
        st.chunkSize = st.chunkSize * 16 + d;
      } else if (c === 0x3b || c === 0x20 || c === 0x09) {
        st.chunkExt = true;
      } else {
        this.stop(st, A.bad_chunk);
        return end;
      }
    }
    return end;
  }

  /** A whole message (head and body) has passed in `dir`. */
  private messageDone(st: DirectionState, dir: Direction): void {
    st.mode = Mode.HEAD;
    st.lineLen = 0;
    const x = st.current;
    st.current = null;
    if (dir === 1 && x !== null) this.ctx.emit(describeExchange(x));
  }

  /** True the first time a hint-giving value (User-Agent, Host, Server) is seen on this flow, up to MAX_HINTS. */
  private fresh(key: string): boolean {
    if (this.hinted.has(key)) return false;
    if (this.hinted.size >= MAX_HINTS) {
      if (this.hinted.size === MAX_HINTS) {
        this.ctx.anomaly(A.hint_cap);
        this.hinted.add('');
      }
      return false;
    }
    this.hinted.add(key);
    return true;
  }
}

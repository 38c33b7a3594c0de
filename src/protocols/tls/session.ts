// TLS session: reads the records of each direction until the handshake turns encrypted (ChangeCipherSpec,
// application data, TLS 1.3 after ServerHello, or ServerHelloDone), then ignores the rest of the flow.
import type { Direction, ProtocolSession, SessionContext } from '../protocol.js';
import { TLS_ANOMALIES } from './anomalies.js';
import { describeHandshake, sniHint, type Handshake } from './describe.js';
import { certificateSubject, parseClientHello, parseServerHello } from './parse.js';

const A = TLS_ANOMALIES.codes;
export const RECORD_HEADER_LENGTH = 5;
export const MAX_RECORD_LENGTH = (1 << 14) + 2048;
export const MAX_HANDSHAKE_BYTES = 64 * 1024;
const HANDSHAKE_HEADER_LENGTH = 4;

const CONTENT_CHANGE_CIPHER_SPEC = 20;
const CONTENT_ALERT = 21;
const CONTENT_APPLICATION_DATA = 23;
const CONTENT_HEARTBEAT = 24;

const HS_CLIENT_HELLO = 1;
const HS_SERVER_HELLO = 2;
const HS_CERTIFICATE = 11;
const HS_SERVER_HELLO_DONE = 14;
const TLS13 = 0x0304;

class DirectionState {
  done = false;
  header = new Uint8Array(RECORD_HEADER_LENGTH);
  headerLen = 0;
  contentType = 0;
  /** Bytes of the current record body still to come. */
  remaining = 0;
  /** Handshake-message bytes gathered across records. */
  hs: Uint8Array | null = null;
  hsLen = 0;
  /** Handshake messages seen in this direction. */
  messages = 0;
  alert = new Uint8Array(2);
  alertLen = 0;
}

export class TlsSession implements ProtocolSession {
  private readonly dirs = [new DirectionState(), new DirectionState()];
  private readonly hs: Handshake = { client: null, clientTs: 0, server: null, serverTs: 0, certSubject: null, serverAlert: -1 };
  private emitted = false;

  constructor(private readonly ctx: SessionContext) {}

  onData(dir: Direction, data: Uint8Array, ts: number): void {
    const st = this.dirs[dir];
    let off = 0;
    const end = data.length;
    while (off < end && !st.done) {
      if (st.remaining === 0) {
        // Record header, possibly split over calls.
        while (st.headerLen < RECORD_HEADER_LENGTH && off < end) st.header[st.headerLen++] = data[off++];
        if (st.headerLen < RECORD_HEADER_LENGTH) return;
        st.headerLen = 0;
        const h = st.header;
        const type = h[0];
        const length = (h[3] << 8) | h[4];
        if (h[1] !== 3 || length > MAX_RECORD_LENGTH || type < CONTENT_CHANGE_CIPHER_SPEC || type > CONTENT_HEARTBEAT) {
          this.finish(st, dir, A.bad_record, ts);
          return;
        }
        if (type === CONTENT_CHANGE_CIPHER_SPEC || type === CONTENT_APPLICATION_DATA || type === CONTENT_HEARTBEAT) {
          this.finish(st, dir, null, ts);
          return;
        }
        st.contentType = type; // alert (21) or handshake (22)
        st.remaining = length;
        st.alertLen = 0;
        continue;
      }
      const n = Math.min(st.remaining, end - off);
      if (st.contentType === CONTENT_ALERT) {
        for (let i = 0; i < n && st.alertLen < 2; i++) st.alert[st.alertLen++] = data[off + i];
        off += n;
        st.remaining -= n;
        if (st.alertLen === 2) {
          if (dir === 1 && this.hs.server === null) this.hs.serverAlert = st.alert[1];
          this.finish(st, dir, null, ts);
        }
        continue;
      }
      if (!this.gather(st, data, off, n)) {
        this.finish(st, dir, A.handshake_too_long, ts);
        return;
      }
      off += n;
      st.remaining -= n;
      this.handshakeMessages(st, dir, ts);
    }
  }

  onGap(dir: Direction, _bytes: number, ts: number): void {
    const st = this.dirs[dir];
    if (!st.done) this.finish(st, dir, A.gap, ts);
  }

  onEnd(ts: number): void {
    this.emit(ts);
  }

  private gather(st: DirectionState, data: Uint8Array, off: number, n: number): boolean {
    const need = st.hsLen + n;
    if (need > MAX_HANDSHAKE_BYTES) return false;
    if (st.hs === null || st.hs.length < need) {
      const grown = new Uint8Array(Math.min(MAX_HANDSHAKE_BYTES, Math.max(need, 2 * (st.hs?.length ?? 2048))));
      if (st.hs !== null) grown.set(st.hs.subarray(0, st.hsLen));
      st.hs = grown;
    }
    st.hs.set(data.subarray(off, off + n), st.hsLen);
    st.hsLen = need;
    return true;
  }

  /** Handles each whole handshake message gathered so far. */
  private handshakeMessages(st: DirectionState, dir: Direction, ts: number): void {
    let o = 0;
    const b = st.hs!;
    while (!st.done && st.hsLen - o >= HANDSHAKE_HEADER_LENGTH) {
      const type = b[o];
      const len = (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3];
      if (HANDSHAKE_HEADER_LENGTH + len > MAX_HANDSHAKE_BYTES) {
        this.finish(st, dir, A.handshake_too_long, ts);
        return;
      }
      if (st.hsLen - o < HANDSHAKE_HEADER_LENGTH + len) break;
      this.message(st, dir, type, b, o + HANDSHAKE_HEADER_LENGTH, o + HANDSHAKE_HEADER_LENGTH + len, ts);
      o += HANDSHAKE_HEADER_LENGTH + len;
    }
    if (st.done) return;
    if (o > 0) {
      b.copyWithin(0, o, st.hsLen);
      st.hsLen -= o;
    }
  }

  private message(st: DirectionState, dir: Direction, type: number, b: Uint8Array, off: number, end: number, ts: number): void {
    const first = st.messages++ === 0;
    const anomalies: string[] = [];
    if (dir === 0) {
      if (first && type === HS_CLIENT_HELLO) {
        const ch = parseClientHello(b, off, end, anomalies);
        if (ch !== null) {
          this.hs.client = ch;
          this.hs.clientTs = ts;
          const hint = sniHint(ch, ts);
          if (hint !== null) this.ctx.emit(hint);
        }
      } else if (first) {
        anomalies.push(A.unexpected_handshake);
      }
      for (const code of anomalies) this.ctx.anomaly(code);
      // Nothing after the ClientHello is exported: stop reading the client.
      this.finish(st, dir, null, ts);
      return;
    }
    if (first && type !== HS_SERVER_HELLO) {
      this.ctx.anomaly(A.unexpected_handshake);
      this.finish(st, dir, null, ts);
      return;
    }
    if (type === HS_SERVER_HELLO) {
      const sh = parseServerHello(b, off, end, anomalies);
      for (const code of anomalies) this.ctx.anomaly(code);
      if (sh === null) {
        this.finish(st, dir, null, ts);
        return;
      }
      this.hs.server = sh;
      this.hs.serverTs = ts;
      if (sh.version === TLS13) this.finish(st, dir, null, ts); // the rest is encrypted
      return;
    }
    if (type === HS_CERTIFICATE) {
      // certificate_list length (3), then the first certificate's length (3) and DER.
      if (end - off >= 6) {
        const certLen = (b[off + 3] << 16) | (b[off + 4] << 8) | b[off + 5];
        const subject = off + 6 + certLen <= end ? certificateSubject(b, off + 6, off + 6 + certLen) : null;
        if (subject === null) this.ctx.anomaly(A.malformed_certificate);
        else this.hs.certSubject = subject;
      }
      return;
    }
    if (type === HS_SERVER_HELLO_DONE) this.finish(st, dir, null, ts);
  }

  /** This direction's handshake is over (or unreadable): drop its buffers; the server's end emits the transaction. */
  private finish(st: DirectionState, dir: Direction, anomaly: string | null, ts: number): void {
    if (anomaly !== null) this.ctx.anomaly(anomaly);
    st.done = true;
    st.hs = null;
    st.hsLen = 0;
    if (dir === 1) this.emit(ts);
  }

  private emit(_ts: number): void {
    if (this.emitted) return;
    if (this.hs.client === null && this.hs.server === null) return;
    this.emitted = true;
    this.ctx.emit(describeHandshake(this.hs));
  }
}

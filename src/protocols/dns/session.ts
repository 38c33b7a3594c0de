// DNS, mDNS and LLMNR session: each UDP datagram is one message; DNS over TCP is framed by its 2-byte length prefix.
// Queries are paired with responses by id and question; the QR bit, not the direction, says which is which, since an
// mDNS host sends both into one multicast flow.
import { PendingRequests } from '../pending.js';
import type { Direction, ProtocolSession, SessionContext } from '../protocol.js';
import type { AssetHintEvent } from '../operation.js';
import { DNS_ANOMALIES } from './anomalies.js';
import { HEADER_LENGTH, LLMNR_PORT, MDNS_PORT } from './codes.js';
import { bindingHints, describeTransaction, serverRoleHint, type Side } from './describe.js';
import { parseMessage, plausibleHeader } from './parse.js';
import type { DnsMessage, DnsVariant } from './types.js';

const A = DNS_ANOMALIES.codes;
/** Largest DNS over TCP message (the length prefix is 16 bits). */
const MAX_TCP_MESSAGE = 0xffff;
/** Hints remembered per flow to emit each at most once; at the cap the memory is cleared. */
export const MAX_REMEMBERED_HINTS = 256;

interface PendingQuery {
  readonly msg: DnsMessage;
  readonly side: Side;
}

class TcpDirection {
  buf: Uint8Array | null = null;
  len = 0;
  dead = false;
}

/** True for an IPv4 multicast or limited broadcast address, or an IPv6 multicast address (text form). */
export function isGroupAddress(ip: string): boolean {
  if (ip.includes(':')) return ip.startsWith('ff');
  if (ip === '255.255.255.255') return true;
  const first = Number(ip.slice(0, ip.indexOf('.')));
  return first >= 224 && first <= 239;
}

export function variantOf(serverPort: number, clientPort: number): DnsVariant {
  if (serverPort === MDNS_PORT || clientPort === MDNS_PORT) return 'mdns';
  if (serverPort === LLMNR_PORT || clientPort === LLMNR_PORT) return 'llmnr';
  return 'dns';
}

export class DnsSession implements ProtocolSession {
  private readonly variant: DnsVariant;
  private readonly udp: boolean;
  /** The flow goes to a multicast group: queries are lone messages, answers come on other flows. */
  private readonly group: boolean;
  private readonly pending: PendingRequests<PendingQuery>;
  private readonly tcp = [new TcpDirection(), new TcpDirection()];
  private readonly hinted = new Set<string>();
  private readonly roleHinted = [false, false];

  constructor(private readonly ctx: SessionContext) {
    const flow = ctx.flow;
    this.variant = variantOf(flow.server.port, flow.client.port);
    this.udp = flow.transport === 'udp';
    this.group = isGroupAddress(flow.server.ip) || isGroupAddress(flow.client.ip);
    this.pending = new PendingRequests<PendingQuery>((q, ts, why) => {
      if (why === 'cap') ctx.anomaly(A.pending_cap);
      ctx.emit(describeTransaction(this.variant, q.msg, ts, q.side, null, 0, q.side, false));
    });
  }

  onData(dir: Direction, data: Uint8Array, ts: number): void {
    if (this.udp) {
      if (data.length > 0) this.handle(dir, data, 0, data.length, ts);
      return;
    }
    const st = this.tcp[dir];
    let off = 0;
    while (off < data.length && !st.dead) {
      if (st.len === 0) {
        // Whole messages straight from the chunk.
        if (data.length - off < 2) break;
        const total = 2 + ((data[off] << 8) | data[off + 1]);
        if (!this.frameOk(st, data, off, data.length)) return;
        if (data.length - off < total) break;
        this.handle(dir, data, off + 2, off + total, ts);
        off += total;
        continue;
      }
      off = this.fill(st, dir, data, off, ts);
    }
    if (st.dead || off >= data.length) return;
    // Keep the start of a message that continues in the next chunk.
    const need = data.length - off;
    st.buf ??= new Uint8Array(Math.max(512, need));
    if (st.buf.length < need) st.buf = grow(st.buf, need, 0);
    st.buf.set(data.subarray(off), 0);
    st.len = need;
  }

  onGap(dir: Direction): void {
    // TCP: the length prefixes are lost, and DNS has no marker to resynchronise on. UDP: the cut datagram was parsed
    // as far as it went (truncated_message).
    if (!this.udp) this.tcp[dir].dead = true;
  }

  onEnd(_ts: number): void {
    this.pending.drain();
  }

  /** Checks the length prefix and header at b[off..]; kills the direction when they are not DNS. */
  private frameOk(st: TcpDirection, b: Uint8Array, off: number, end: number): boolean {
    const length = (b[off] << 8) | b[off + 1];
    if (length < HEADER_LENGTH) {
      this.ctx.anomaly(A.bad_tcp_length);
      st.dead = true;
      return false;
    }
    if (end - off >= 2 + 6 && !plausibleHeader(b, off + 2)) {
      this.ctx.anomaly(A.not_dns);
      st.dead = true;
      return false;
    }
    return true;
  }

  /** Adds bytes to the partial message in the buffer; handles it once whole. */
  private fill(st: TcpDirection, dir: Direction, data: Uint8Array, off: number, ts: number): number {
    let buf = st.buf!;
    if (st.len < 8) {
      const take = Math.min(8 - st.len, data.length - off);
      buf.set(data.subarray(off, off + take), st.len);
      st.len += take;
      off += take;
      if (st.len >= 2 && !this.frameOk(st, buf, 0, st.len)) return data.length;
      if (st.len < 8) return off;
    }
    const total = 2 + ((buf[0] << 8) | buf[1]);
    if (buf.length < total) buf = st.buf = grow(buf, total, st.len);
    const take = Math.min(total - st.len, data.length - off);
    buf.set(data.subarray(off, off + take), st.len);
    st.len += take;
    off += take;
    if (st.len === total) {
      st.len = 0;
      this.handle(dir, buf, 2, total, ts);
    }
    return off;
  }

  private handle(dir: Direction, b: Uint8Array, start: number, end: number, ts: number): void {
    if (end - start < HEADER_LENGTH) {
      this.ctx.anomaly(A.truncated_message);
      return;
    }
    const msg = parseMessage(b, start, end);
    for (const code of msg.anomalies) this.ctx.anomaly(code);
    const side: Side = dir === 0 ? 'client' : 'server';
    this.pending.expire(ts);
    const key = pairKey(msg);
    if (!msg.response) {
      if (this.group) {
        this.ctx.emit(describeTransaction(this.variant, msg, ts, side, null, 0, side, true));
        return;
      }
      const earlier = this.pending.take(key);
      if (earlier !== undefined) {
        this.ctx.anomaly(A.retransmitted_query);
        this.pending.add(key, earlier.request, earlier.ts);
      } else {
        this.pending.add(key, { msg, side }, ts);
      }
      return;
    }
    const entry = this.pending.take(key);
    if (entry === undefined) {
      if (this.variant === 'dns' && !this.group) this.ctx.anomaly(A.response_without_query);
      this.ctx.emit(describeTransaction(this.variant, null, 0, side, msg, ts, side, false));
    } else {
      this.ctx.emit(describeTransaction(this.variant, entry.request.msg, entry.ts, entry.request.side, msg, ts, side, false));
    }
    if (this.variant === 'dns' && !this.roleHinted[dir]) {
      this.roleHinted[dir] = true;
      this.ctx.emit(serverRoleHint(side, ts));
    }
    if (msg.rcode === 0) for (const h of bindingHints(this.variant, msg, side, ts)) this.hint(h);
  }

  /** Emits a hint unless this flow already did (same side, subject and names). */
  private hint(h: AssetHintEvent): void {
    let key = `${h.side}|${h.subject?.ip ?? ''}`;
    if (h.names !== undefined) for (const n of h.names) key += `|${n.name}`;
    if (this.hinted.has(key)) return;
    if (this.hinted.size >= MAX_REMEMBERED_HINTS) {
      this.ctx.anomaly(A.hint_memory_cap);
      this.hinted.clear();
    }
    this.hinted.add(key);
    this.ctx.emit(h);
  }
}

/** Queries and responses pair on id and question (a response repeats its query's question). */
function pairKey(msg: DnsMessage): string {
  const q = msg.question;
  return q === null ? `${msg.id}` : `${msg.id}|${q.type}|${q.class}|${q.name}`;
}

function grow(buf: Uint8Array, need: number, keep: number): Uint8Array {
  let size = buf.length * 2;
  while (size < need) size *= 2;
  const out = new Uint8Array(Math.min(size, MAX_TCP_MESSAGE + 2));
  out.set(buf.subarray(0, keep));
  return out;
}

// EtherNet/IP session: encapsulation framing on TCP (and one message per UDP datagram), request/reply pairing
// (SendRRData and list/register commands by command + sender context in order; connected SendUnitData by connection
// id + CIP sequence count), Unconnected_Send unwrapped, Multiple_Service_Packet expanded, CIP I/O (UDP 2222) counted
// per connection and summarised at the end of the flow.
import { PendingRequests } from '../pending.js';
import type { Direction, ProtocolSession, SessionContext } from '../protocol.js';
import { A } from './anomalies.js';
import {
  CLASS_IDENTITY,
  CMD_LIST_IDENTITY,
  CMD_LIST_INTERFACES,
  CMD_LIST_SERVICES,
  CMD_REGISTER_SESSION,
  CMD_SEND_RR_DATA,
  CMD_SEND_UNIT_DATA,
  ENCAP_COMMANDS,
  SVC_FORWARD_OPEN,
  SVC_GET_ATTRIBUTES_ALL,
  SVC_LARGE_FORWARD_OPEN,
  SVC_MULTIPLE_SERVICE_PACKET,
  SVC_UNCONNECTED_SEND,
} from './codes.js';
import {
  cipTransaction,
  encapTransaction,
  identityHint,
  ioTransaction,
  orphanReplyTransaction,
  roleHint,
  type ExchangeInfo,
  type IoCounters,
} from './describe.js';
import { ENCAP_HEADER_LENGTH, MAX_ENCAP_DATA_LENGTH, MAX_NESTING, parseEncap, parseIdentityAttributes, parseIoPacket, plausibleHeader, u16 } from './parse.js';
import type { CipRequest, CipResponse, EncapMessage } from './types.js';

export const MAX_IO_CONNECTIONS = 256;
export const MAX_KNOWN_CONNECTIONS = 256;
export const RESYNC_WINDOW = 4096;
/** Pairing queues (one per command + sender context with requests waiting); more means stale state: cleared. */
export const MAX_QUEUES = 1024;

interface Pending {
  ts: number;
  origin: 'client' | 'server';
  msg: EncapMessage;
  base: string;
  index: number;
}

/** Commands that are answered (the rest are lone messages). */
function answered(command: number): boolean {
  return (
    command === CMD_SEND_RR_DATA ||
    command === CMD_SEND_UNIT_DATA ||
    command === CMD_LIST_IDENTITY ||
    command === CMD_LIST_SERVICES ||
    command === CMD_LIST_INTERFACES ||
    command === CMD_REGISTER_SESSION
  );
}

/** The request a CIP exchange is really about: Unconnected_Send unwrapped (route kept), up to the nesting cap. */
function unwrap(req: CipRequest): { req: CipRequest; route: string | null } {
  let r = req;
  let route: string | null = null;
  for (let i = 0; i < MAX_NESTING && r.service === SVC_UNCONNECTED_SEND && r.embedded; i++) {
    if (r.route !== undefined) route = route === null ? r.route : `${route} | ${r.route}`;
    r = r.embedded;
  }
  return { req: r, route };
}

export class EnipSession implements ProtocolSession {
  private readonly bufs: [Uint8Array, Uint8Array] = [new Uint8Array(0), new Uint8Array(0)];
  private readonly lens = [0, 0];
  private readonly dead = [false, false];
  private readonly resync = [false, false];
  private readonly scanned = [0, 0];
  private readonly pending: PendingRequests<Pending>;
  private readonly queues = new Map<string, { head: number; tail: number }>();
  /** T→O connection id (the target's replies) → O→T connection id (the originator's requests), from Forward_Open. */
  private readonly connections = new Map<number, number>();
  private readonly originatorIds = new Set<number>();
  private readonly io = new Map<number, IoCounters>();
  private readonly anomalies: string[] = [];
  private hinted = false;

  constructor(private readonly ctx: SessionContext) {
    this.pending = new PendingRequests<Pending>((p, _ts, why) => {
      if (why === 'cap') ctx.anomaly(A.pending_cap);
      const q = this.queues.get(p.base);
      if (q !== undefined && q.head === p.index) {
        q.head++;
        if (q.head >= q.tail) this.queues.delete(p.base);
      }
      this.emitExchange(p, null, 0);
    });
  }

  onData(dir: Direction, data: Uint8Array, ts: number): void {
    if (this.ctx.flow.transport === 'udp') {
      this.onDatagram(dir, data, ts);
      return;
    }
    if (this.dead[dir] || data.length === 0) return;
    let buf: Uint8Array;
    let len: number;
    if (this.lens[dir] === 0) {
      buf = data;
      len = data.length;
    } else {
      buf = this.append(dir, data);
      len = this.lens[dir];
    }
    let off = 0;
    while (len - off >= ENCAP_HEADER_LENGTH) {
      if (this.resync[dir]) {
        if (!plausibleHeader(buf, off)) {
          off++;
          if (++this.scanned[dir] > RESYNC_WINDOW) {
            this.ctx.anomaly(A.resync_failed);
            this.kill(dir);
            return;
          }
          continue;
        }
        this.resync[dir] = false;
      }
      const command = u16(buf, off);
      const length = u16(buf, off + 2);
      if (ENCAP_COMMANDS[command] === undefined || length > MAX_ENCAP_DATA_LENGTH) {
        this.ctx.anomaly(A.bad_header);
        this.kill(dir);
        return;
      }
      if (len - off < ENCAP_HEADER_LENGTH + length) break;
      this.onMessage(dir, buf, off, ts);
      off += ENCAP_HEADER_LENGTH + length;
    }
    this.keep(dir, buf, off, len);
  }

  onGap(dir: Direction, _bytes: number, _ts: number): void {
    if (this.ctx.flow.transport === 'udp') {
      this.ctx.anomaly(A.truncated);
      return;
    }
    if (this.dead[dir]) return;
    this.ctx.anomaly(A.gap);
    this.lens[dir] = 0;
    this.resync[dir] = true;
    this.scanned[dir] = 0;
  }

  onEnd(_ts: number): void {
    this.pending.drain();
    this.queues.clear();
    for (const c of this.io.values()) this.ctx.emit(ioTransaction(c));
    this.io.clear();
  }

  private kill(dir: Direction): void {
    this.dead[dir] = true;
    this.lens[dir] = 0;
    this.bufs[dir] = new Uint8Array(0);
  }

  private append(dir: Direction, data: Uint8Array): Uint8Array {
    const need = this.lens[dir] + data.length;
    let buf = this.bufs[dir];
    if (buf.length < need) {
      const grown = new Uint8Array(Math.max(need, buf.length * 2, 256));
      grown.set(buf.subarray(0, this.lens[dir]));
      buf = this.bufs[dir] = grown;
    }
    buf.set(data, this.lens[dir]);
    this.lens[dir] = need;
    return buf;
  }

  /** Keeps the unparsed tail [off, len) of `buf` (which may be the borrowed input) in the direction's buffer. */
  private keep(dir: Direction, buf: Uint8Array, off: number, len: number): void {
    const rest = len - off;
    if (rest === 0) {
      this.lens[dir] = 0;
      return;
    }
    let own = this.bufs[dir];
    if (buf === own) {
      if (off > 0) own.copyWithin(0, off, len);
    } else {
      if (own.length < rest) own = this.bufs[dir] = new Uint8Array(Math.max(rest, 256));
      own.set(buf.subarray(off, len));
    }
    this.lens[dir] = rest;
  }

  private onDatagram(dir: Direction, data: Uint8Array, ts: number): void {
    if (data.length >= ENCAP_HEADER_LENGTH && ENCAP_COMMANDS[u16(data, 0)] !== undefined) {
      const length = u16(data, 2);
      if (ENCAP_HEADER_LENGTH + length <= data.length) {
        if (ENCAP_HEADER_LENGTH + length < data.length) this.ctx.anomaly(A.trailing_bytes);
        this.onMessage(dir, data, 0, ts);
        return;
      }
      this.ctx.anomaly(A.truncated);
      return;
    }
    const p = parseIoPacket(data);
    if (p === null) {
      this.ctx.anomaly(A.io_bad_packet);
      return;
    }
    let c = this.io.get(p.connectionId);
    if (c === undefined) {
      if (this.io.size >= MAX_IO_CONNECTIONS) {
        this.ctx.anomaly(A.io_connection_cap);
        return;
      }
      c = { connectionId: p.connectionId, dir, packets: 0, bytes: 0, firstSeq: p.sequence, lastSeq: p.sequence, gaps: 0, firstTs: ts, lastTs: ts };
      this.io.set(p.connectionId, c);
    } else {
      if (p.sequence !== ((c.lastSeq + 1) >>> 0)) {
        c.gaps++;
        this.ctx.anomaly(A.io_sequence_gap);
      }
      c.lastSeq = p.sequence;
      c.lastTs = ts;
    }
    c.packets++;
    c.bytes += p.dataLength;
  }

  private onMessage(dir: Direction, b: Uint8Array, off: number, ts: number): void {
    const anomalies = this.anomalies;
    anomalies.length = 0;
    const msg = parseEncap(b, off, dir, anomalies);
    this.pending.expire(ts);
    const h = msg.header;
    const isReply = this.isReply(dir, msg);
    if (!isReply && h.status !== 0) anomalies.push(A.request_status_nonzero);
    if (isReply && h.status !== 0) anomalies.push(A.encap_error_status);
    if (isReply) this.onReply(dir, msg, b, ts, anomalies);
    else if (answered(h.command)) {
      const origin = dir === 0 ? 'client' : 'server';
      const base = this.requestBase(msg, true);
      let index = 0;
      if (h.command !== CMD_SEND_UNIT_DATA) {
        let q = this.queues.get(base);
        if (q === undefined) {
          if (this.queues.size >= MAX_QUEUES) {
            anomalies.push(A.pending_cap);
            this.pending.drain();
            this.queues.clear();
          }
          this.queues.set(base, (q = { head: 0, tail: 0 }));
        }
        index = q.tail++;
      }
      const key = h.command === CMD_SEND_UNIT_DATA ? base : `${base}#${index}`;
      this.pending.add(key, { ts, origin, msg, base, index }, ts);
    } else {
      const info = this.info(dir === 0 ? 'client' : 'server', msg, ts);
      this.ctx.emit(encapTransaction(info, null, msg));
    }
    for (const code of anomalies) this.ctx.anomaly(code);
  }

  private isReply(dir: Direction, msg: EncapMessage): boolean {
    const h = msg.header;
    if ((h.command === CMD_SEND_RR_DATA || h.command === CMD_SEND_UNIT_DATA) && msg.cip !== null) return msg.cip.kind === 'response';
    if (h.command === CMD_LIST_IDENTITY || h.command === CMD_LIST_SERVICES || h.command === CMD_LIST_INTERFACES) return h.length > 0;
    return dir === 1 && answered(h.command);
  }

  /** The pairing key: command + sender context (in order), or connection id + sequence for connected data. */
  private requestBase(msg: EncapMessage, request: boolean): string {
    const h = msg.header;
    if (h.command !== CMD_SEND_UNIT_DATA) return `${h.command}:${h.context}`;
    let conn: number | undefined;
    if (msg.connectionId !== null) conn = request ? (this.originatorIds.has(msg.connectionId) ? msg.connectionId : undefined) : this.connections.get(msg.connectionId);
    return `u:${conn ?? '*'}:${msg.sequence ?? '-'}`;
  }

  private take(msg: EncapMessage): { request: Pending; ts: number } | undefined {
    const base = this.requestBase(msg, false);
    if (msg.header.command === CMD_SEND_UNIT_DATA) return this.pending.take(base);
    const q = this.queues.get(base);
    if (q === undefined) return undefined;
    let found: { request: Pending; ts: number } | undefined;
    while (found === undefined && q.head < q.tail) found = this.pending.take(`${base}#${q.head++}`);
    if (q.head >= q.tail) this.queues.delete(base);
    return found;
  }

  private info(origin: 'client' | 'server', msg: EncapMessage, ts: number): ExchangeInfo {
    return { ts, origin, header: msg.header, connectionId: msg.connectionId, sequence: msg.sequence, reply: null, replyTs: 0, route: null };
  }

  private onReply(dir: Direction, msg: EncapMessage, b: Uint8Array, ts: number, anomalies: string[]): void {
    const found = this.take(msg);
    if (found === undefined) {
      anomalies.push(A.response_without_request);
      const info = this.info(dir === 1 ? 'server' : 'client', msg, ts);
      info.reply = msg.header;
      info.replyTs = ts;
      const cip = msg.cip;
      if (cip !== null && cip.kind === 'response' && cip.services !== undefined && cip.services.length > 0) {
        for (let i = 0; i < cip.services.length; i++) this.ctx.emit(orphanReplyTransaction(info, cip.services[i], i, cip.services.length));
      } else if (cip !== null && cip.kind === 'response') this.ctx.emit(orphanReplyTransaction(info, cip, -1, 0));
      else this.ctx.emit(encapTransaction(info, msg, null));
      this.hints(dir, msg, null, ts);
      return;
    }
    const rsp = msg.cip !== null && msg.cip.kind === 'response' ? msg.cip : null;
    const req = found.request.msg.cip !== null && found.request.msg.cip.kind === 'request' ? found.request.msg.cip : null;
    if (req !== null && rsp !== null) this.enrich(b, unwrap(req).req, rsp, anomalies);
    this.emitExchange(found.request, msg, ts);
    this.hints(dir, msg, req, ts);
  }

  /** Decodes reply data that needs the request: Identity Get_Attributes_All; records Forward_Open connection ids. */
  private enrich(b: Uint8Array, req: CipRequest, rsp: CipResponse, anomalies: string[]): void {
    if (rsp.service !== req.service && rsp.service !== SVC_UNCONNECTED_SEND) anomalies.push(A.service_mismatch);
    if (req.service === SVC_GET_ATTRIBUTES_ALL && req.path.cls === CLASS_IDENTITY && req.path.instance !== 0 && rsp.status === 0) {
      const id = parseIdentityAttributes(b, rsp.dataOffset, rsp.dataOffset + rsp.dataLength, anomalies, false);
      if (id !== null) rsp.identity = id;
    }
    if ((req.service === SVC_FORWARD_OPEN || req.service === SVC_LARGE_FORWARD_OPEN) && rsp.forwardOpen !== undefined) {
      if (this.connections.size >= MAX_KNOWN_CONNECTIONS) {
        const first = this.connections.keys().next().value as number;
        const o2t = this.connections.get(first)!;
        this.connections.delete(first);
        this.originatorIds.delete(o2t);
        anomalies.push(A.io_connection_cap);
      }
      this.connections.set(rsp.forwardOpen.t_o_connection_id, rsp.forwardOpen.o_t_connection_id);
      this.originatorIds.add(rsp.forwardOpen.o_t_connection_id);
    }
    if (req.service === SVC_MULTIPLE_SERVICE_PACKET && req.services !== undefined && rsp.services !== undefined) {
      const n = Math.min(req.services.length, rsp.services.length);
      for (let i = 0; i < n; i++) this.enrich(b, unwrap(req.services[i]).req, rsp.services[i], anomalies);
    }
  }

  private emitExchange(p: Pending, reply: EncapMessage | null, replyTs: number): void {
    const info = this.info(p.origin, p.msg, p.ts);
    if (reply !== null) {
      info.reply = reply.header;
      info.replyTs = replyTs;
    }
    const cip = p.msg.cip;
    if (cip === null || cip.kind !== 'request') {
      this.ctx.emit(encapTransaction(info, reply, p.msg));
      return;
    }
    const { req, route } = unwrap(cip);
    info.route = route;
    const rsp = reply !== null && reply.cip !== null && reply.cip.kind === 'response' ? reply.cip : null;
    if (req.service === SVC_MULTIPLE_SERVICE_PACKET && req.services !== undefined && req.services.length > 0) {
      const n = req.services.length;
      for (let i = 0; i < n; i++) {
        const inner = unwrap(req.services[i]);
        const sub = { ...info, route: inner.route ?? info.route };
        let r = rsp?.services?.[i] ?? null;
        // An MSP refused as a whole (no embedded replies) fails each embedded service with the outer status.
        if (r === null && rsp !== null && rsp.status !== 0) r = rsp;
        this.ctx.emit(cipTransaction(sub, inner.req, r, i, n));
      }
      return;
    }
    this.ctx.emit(cipTransaction(info, req, rsp, -1, 0));
  }

  private hints(dir: Direction, msg: EncapMessage, req: CipRequest | null, ts: number): void {
    const side = dir === 1 ? 'server' : 'client';
    if (!this.hinted && msg.header.command !== CMD_LIST_IDENTITY) {
      this.hinted = true;
      this.ctx.emit(roleHint(ts, 'client', 'request'));
      this.ctx.emit(roleHint(ts, 'server', 'reply'));
    }
    for (const id of msg.identities) this.ctx.emit(identityHint(ts, side, id, 'list_identity'));
    const rsp = msg.cip;
    if (req !== null && rsp !== null && rsp.kind === 'response') {
      const { req: r, route } = unwrap(req);
      // An identity read through Unconnected_Send is of a device behind the server: kept in the transaction only.
      if (route === null && rsp.identity !== undefined && r.path.ports === null) {
        this.ctx.emit(identityHint(ts, side, rsp.identity, 'get_attributes_all_identity'));
      }
    }
  }
}

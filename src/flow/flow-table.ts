// The flow table: bidirectional flows keyed by transport, VLANs, addresses and ports; client/server roles; TCP
// state and reassembly; idle and lifetime expiry by capture time in O(expired); a cap with LRU eviction.
//
// Expiry. Each flow sits on one of four LRU lists ordered by last-seen time, one per idle timeout (TCP opening: a
// handshake seen, not yet acknowledged both ways; TCP established or picked up mid-stream; UDP and other IP
// protocols; closed TCP lingering to absorb late ACKs, FINs and data). A packet moves its flow to the tail of its list
// (at most once per LRU_GRANULARITY_SEC: a move touches two other flows, cold in cache), so each list's head is its
// next flow to expire (at most LRU_GRANULARITY_SEC late) and expire() only looks at heads. A fifth list orders live
// flows by creation for the lifetime timeout. A TCP flow ends on RST or once both FINs were reached in sequence; it then
// lingers (closedLingerSec) so the last ACK does not start a new flow; a SYN on that key starts a new flow (port reuse).
// A lifetime timeout really ends the flow (record, session end); the next packet starts a new flow mid-stream.

import type { AnomalyCounter } from '../common/anomaly.js';
import { IPPROTO, L3, TCP_FLAG, type Packet } from '../decode/packet.js';
import type { Transport } from '../protocols/protocol.js';
import type { ProtocolRegistry } from '../protocols/registry.js';
import { FLOW_ANOMALIES, TCP_STREAM_ANOMALIES } from './anomalies.js';
import { DetectBudget } from './detect.js';
import { FlowCounters } from './flow-counters.js';
import { FlowIndex, FlowKey } from './flow-key.js';
import { CLOSE, Flow, LIST, TCP_BITS, VOLUME_MARKS, transportOf, type FlowEndReason, type FlowRecord, type RoleSource } from './flow.js';
import { FlowDelivery, PROTOCOL_UNDECIDED, type ProtocolEventSink } from './session-delivery.js';
import { ReassemblyEnv, TcpStream } from './tcp-reassembly.js';

export { FlowCounters } from './flow-counters.js';
export type { FlowEndReason, FlowRecord, FlowTcpSummary, FlowTransport, RoleSource } from './flow.js';
export type { ProtocolEventSink } from './session-delivery.js';

export interface FlowTableOptions {
  /** Live plus lingering flows; at the cap the least recently seen is evicted (`flow.table_full`). */
  maxFlows: number;
  /** Idle timeout of an established (or mid-stream) TCP flow. */
  tcpIdleSec: number;
  /** Idle timeout of a TCP flow whose handshake has not completed (SYN scans, refused connections). */
  tcpHalfOpenIdleSec: number;
  /** Idle timeout of UDP flows and flows of other IP protocols (ICMP...). */
  udpIdleSec: number;
  /** How long a TCP flow closed by FINs or RST lingers to absorb late packets. */
  closedLingerSec: number;
  /** Longest life of a flow: older flows end (endReason lifetime) even when busy. */
  lifetimeSec: number;
  /** Out-of-order TCP bytes buffered per direction. */
  maxBufferedBytesPerDirection: number;
  /** Out-of-order TCP segments buffered per direction. */
  maxBufferedSegmentsPerDirection: number;
  /** Out-of-order TCP bytes buffered over the whole table. */
  maxBufferedBytesTotal: number;
  /** First bytes of each direction kept for protocol detection. */
  detectBytesPerDirection: number;
  /** Detection buffers over the whole table. */
  detectBytesTotal: number;
  /** Receives the protocol events sessions emit. */
  eventSink: ProtocolEventSink | null;
}

// maxFlows: an idle TCP flow holds ~740 B of heap (~960 B with a minimal session; UDP ~320 B; measured on Node 20
// x64, no pointer compression), so 65,536 flows take ~50-65 MB plus their sessions' state: the caps are sized to the
// CLI's heap limit and 200 MB RSS budget (docs/decisions/0005-memory-budget.md).
export const DEFAULT_FLOW_TABLE_OPTIONS: Readonly<FlowTableOptions> = Object.freeze({
  maxFlows: 65_536,
  tcpIdleSec: 600,
  tcpHalfOpenIdleSec: 30,
  udpIdleSec: 120,
  closedLingerSec: 10,
  lifetimeSec: 3600,
  maxBufferedBytesPerDirection: 256 * 1024,
  maxBufferedSegmentsPerDirection: 1024,
  maxBufferedBytesTotal: 32 * 1024 * 1024,
  detectBytesPerDirection: 2048,
  detectBytesTotal: 8 * 1024 * 1024,
  eventSink: null,
});

export interface FlowEndListener {
  onFlowEnd(flow: FlowRecord): void;
  /**
   * A flow's payload in one direction reached one of VOLUME_MARKS (while it runs): bulk transfers are seen when they
   * happen, not when the connection ends. `flow` is its record so far (end reason `active`).
   */
  onFlowVolume?(flow: FlowRecord, toServer: boolean, ts: number): void;
}


/** A flow moves to the tail of its LRU list at most this often; expiry may be this late. */
export const LRU_GRANULARITY_SEC = 1;

/** Ports above this are ephemeral (IANA dynamic range). */
const EPHEMERAL_PORT_MIN = 49152;
const WELL_KNOWN_PORT_END = 1024;

class FlowList {
  head: Flow | null = null;
  tail: Flow | null = null;

  constructor(readonly idleSec: number) {}
}

export class FlowTable {
  readonly counters = new FlowCounters();
  private readonly options: FlowTableOptions;
  private readonly index = new FlowIndex<Flow>();
  private readonly key = new FlowKey();
  private readonly lists: FlowList[];
  private ageHead: Flow | null = null;
  private ageTail: Flow | null = null;
  private nextId = 1;
  private readonly delivery: FlowDelivery;
  private readonly env: ReassemblyEnv<Flow>;

  constructor(
    private readonly registry: ProtocolRegistry,
    private readonly anomalies: AnomalyCounter,
    options?: Partial<FlowTableOptions>,
    private readonly listener?: FlowEndListener,
  ) {
    const o = (this.options = { ...DEFAULT_FLOW_TABLE_OPTIONS, ...options });
    this.lists = [
      new FlowList(o.tcpHalfOpenIdleSec),
      new FlowList(o.tcpIdleSec),
      new FlowList(o.udpIdleSec),
      new FlowList(o.closedLingerSec),
    ];
    this.delivery = new FlowDelivery(
      registry,
      anomalies,
      new DetectBudget(o.detectBytesPerDirection, o.detectBytesTotal),
      o.eventSink,
    );
    this.env = new ReassemblyEnv<Flow>(
      this.delivery,
      this.counters,
      anomalies,
      o.maxBufferedBytesPerDirection,
      o.maxBufferedSegmentsPerDirection,
      o.maxBufferedBytesTotal,
    );
  }

  /** Flows in the table, live and lingering closed ones. */
  get size(): number {
    return this.index.size;
  }

  /** Out-of-order bytes buffered over the table. */
  get bufferedBytes(): number {
    return this.env.bufferedTotal;
  }

  /** Live flows, oldest first (for inspection and tests; not for the hot path). */
  *flows(): IterableIterator<Flow> {
    for (let f = this.ageHead; f !== null; f = f.ageNext) yield f;
  }

  process(pkt: Packet): void {
    const l3 = pkt.l3;
    if (l3 !== L3.IPV4 && l3 !== L3.IPV6) return;
    let proto = pkt.l4;
    if (proto === 0) {
      // No L4 header: a fragment waiting for the rest, a truncated TCP/UDP header, or a protocol the decoder skips.
      proto = pkt.ipProto;
      if (pkt.fragment || proto === IPPROTO.TCP || proto === IPPROTO.UDP) return;
    }
    const key = this.key;
    if (!key.set(pkt)) return;
    const srcIsA = key.srcIsA;
    const ts = pkt.ts;
    const isTcp = proto === IPPROTO.TCP;
    const flags = isTcp ? pkt.tcpFlags : 0;
    const synOnly = (flags & (TCP_FLAG.SYN | TCP_FLAG.ACK)) === TCP_FLAG.SYN;
    if (isTcp) this.counters.tcpSegments++;

    let flow: Flow | null = this.index.find(key);
    if (flow !== null) {
      if (flow.closed !== CLOSE.OPEN) {
        if (!synOnly) {
          this.counters.afterClose++;
          if (pkt.payloadEnd > pkt.payloadOff) {
            this.anomalies.add(
              flow.closed === CLOSE.RST ? TCP_STREAM_ANOMALIES.codes.data_after_rst : TCP_STREAM_ANOMALIES.codes.data_after_fin,
            );
          }
          return;
        }
        this.drop(flow);
        flow = null;
      } else if (ts - flow.firstTs > this.options.lifetimeSec) {
        this.end(flow, 'lifetime', ts);
        flow = null;
      } else if (ts - flow.lastTs > this.lists[flow.list].idleSec) {
        this.end(flow, 'idle', ts);
        flow = null;
      } else if (synOnly && this.isNewConnection(flow, srcIsA, pkt.seq | 0)) {
        this.end(flow, 'reused', ts);
        flow = null;
      }
    }
    if (flow === null) flow = this.create(key, srcIsA, proto, flags, pkt, ts);

    const dir = srcIsA === flow.clientIsA ? 0 : 1;
    const payload = pkt.payloadEnd - pkt.payloadOff;
    if (dir === 0) {
      flow.packets0++;
      flow.bytes0 += pkt.wireLen;
      if ((flow.payload0 += payload) >= flow.nextVolume0) this.volume(flow, 0, ts);
    } else {
      flow.packets1++;
      flow.bytes1 += pkt.wireLen;
      if ((flow.payload1 += payload) >= flow.nextVolume1) this.volume(flow, 1, ts);
    }
    if (ts > flow.lastTs) flow.lastTs = ts;

    if (isTcp) {
      this.tcp(flow, dir, flags, pkt, ts);
      if (flow.closed !== CLOSE.OPEN) return;
    } else if (proto === IPPROTO.UDP && payload > 0) {
      this.delivery.data(flow, dir, pkt.l4Buf, pkt.payloadOff, pkt.payloadEnd, ts);
      if (pkt.payloadCut && pkt.payloadWireLength > payload) {
        this.delivery.gap(flow, dir, pkt.payloadWireLength - payload, ts);
      }
    }
    this.touch(flow);
  }

  expire(nowSec: number): void {
    const lists = this.lists;
    for (let i = LIST.OPENING; i <= LIST.OTHER; i++) {
      const list = lists[i];
      let f = list.head;
      while (f !== null && nowSec - f.lastTs > list.idleSec) {
        this.end(f, 'idle', nowSec);
        f = list.head;
      }
    }
    const closed = lists[LIST.CLOSED];
    let c = closed.head;
    while (c !== null && nowSec - c.lastTs > closed.idleSec) {
      this.drop(c);
      c = closed.head;
    }
    const lifetime = this.options.lifetimeSec;
    let a = this.ageHead;
    while (a !== null && nowSec - a.firstTs > lifetime) {
      this.end(a, 'lifetime', nowSec);
      a = this.ageHead;
    }
  }

  flush(nowSec: number): void {
    while (this.ageHead !== null) this.end(this.ageHead, 'end_of_input', nowSec);
    const closed = this.lists[LIST.CLOSED];
    while (closed.head !== null) this.drop(closed.head);
  }

  private create(key: FlowKey, srcIsA: boolean, proto: number, flags: number, pkt: Packet, ts: number): Flow {
    if (this.index.size >= this.options.maxFlows) this.evictOne(ts);
    const transport = transportOf(proto);
    let clientIsA = srcIsA;
    let roleSource: RoleSource = 'first_packet';
    if ((flags & TCP_FLAG.SYN) !== 0) {
      // SYN: the sender is the client. SYN+ACK: the sender is the server.
      clientIsA = (flags & TCP_FLAG.ACK) === 0 ? srcIsA : !srcIsA;
      roleSource = 'handshake';
    } else if (transport === 'tcp' || transport === 'udp') {
      const s = this.portScore(transport, pkt.srcPort);
      const d = this.portScore(transport, pkt.dstPort);
      if (s !== d) {
        clientIsA = s > d ? !srcIsA : srcIsA;
        roleSource = 'port_hint';
      }
    }
    const flow = new Flow(this.nextId++, key, proto, transport, clientIsA, roleSource, ts);
    let list: number = LIST.OTHER;
    if (transport === 'tcp') {
      flow.s0 = new TcpStream<Flow>(flow, 0);
      flow.s1 = new TcpStream<Flow>(flow, 1);
      list = roleSource === 'handshake' ? LIST.OPENING : LIST.ESTABLISHED;
    }
    this.index.insert(flow);
    this.append(flow, list);
    if (this.ageTail === null) {
      this.ageHead = flow;
    } else {
      this.ageTail.ageNext = flow;
      flow.agePrev = this.ageTail;
    }
    this.ageTail = flow;
    this.counters.created++;
    this.counters.active++;
    return flow;
  }

  /** How strongly a port says "server": a module's hint port 3, well-known 2, registered 1, ephemeral 0. */
  private portScore(transport: Transport, port: number): number {
    if (this.registry.isHintPort(transport, port)) return 3;
    if (port < WELL_KNOWN_PORT_END) return 2;
    return port < EPHEMERAL_PORT_MIN ? 1 : 0;
  }

  /** A SYN (without ACK) on a live flow: a retransmitted SYN, or a new connection on the same ports. */
  private isNewConnection(flow: Flow, srcIsA: boolean, seq: number): boolean {
    const s = srcIsA === flow.clientIsA ? flow.s0 : flow.s1;
    if (s === null || !s.seqKnown) return false;
    return !s.synSeen || seq !== s.isn;
  }

  private tcp(flow: Flow, dir: 0 | 1, flags: number, pkt: Packet, ts: number): void {
    const s = dir === 0 ? flow.s0! : flow.s1!;
    const peer = dir === 0 ? flow.s1! : flow.s0!;
    if ((flags & TCP_FLAG.SYN) !== 0) flow.tcpBits |= TCP_BITS.HANDSHAKE;
    if ((flags & TCP_FLAG.ACK) !== 0) {
      flow.tcpBits |= dir === 0 ? TCP_BITS.ACK_FROM_CLIENT : TCP_BITS.ACK_FROM_SERVER;
      peer.peerAcked(this.env, pkt.ack, ts);
    }
    if ((flags & TCP_FLAG.RST) !== 0) {
      this.close(flow, CLOSE.RST, ts);
      return;
    }
    const cut = pkt.payloadCut ? pkt.payloadWireLength - (pkt.payloadEnd - pkt.payloadOff) : 0;
    s.segment(this.env, pkt.seq, flags, pkt.l4Buf, pkt.payloadOff, pkt.payloadEnd, ts, cut > 0 ? cut : 0);
    if (s.finished && peer.finished) this.close(flow, CLOSE.FIN, ts);
  }

  /** Moves a flow to the tail of its list, changing list when a TCP handshake completed. */
  private touch(flow: Flow): void {
    let target = flow.list;
    if (
      target === LIST.OPENING &&
      (flow.tcpBits & (TCP_BITS.ACK_FROM_CLIENT | TCP_BITS.ACK_FROM_SERVER)) ===
        (TCP_BITS.ACK_FROM_CLIENT | TCP_BITS.ACK_FROM_SERVER)
    ) {
      target = LIST.ESTABLISHED;
    }
    if (target === flow.list && (flow.lastTs - flow.listTs < LRU_GRANULARITY_SEC || this.lists[target].tail === flow)) {
      return;
    }
    this.unlink(flow);
    this.append(flow, target);
  }

  /** Least recently seen first: a lingering closed flow if any (already reported), else the oldest live one. */
  private evictOne(ts: number): void {
    const closed = this.lists[LIST.CLOSED].head;
    if (closed !== null) {
      this.drop(closed);
      return;
    }
    let victim: Flow | null = null;
    for (let i = LIST.OPENING; i <= LIST.OTHER; i++) {
      const h = this.lists[i].head;
      if (h !== null && (victim === null || h.lastTs < victim.lastTs)) victim = h;
    }
    if (victim === null) return;
    this.anomalies.add(FLOW_ANOMALIES.codes.table_full);
    this.end(victim, 'evicted', ts);
  }

  /** Ends a TCP flow on RST or FINs: reported now, then kept on the CLOSED list to absorb late packets. */
  private close(flow: Flow, how: number, ts: number): void {
    this.unlinkAge(flow);
    this.unlink(flow);
    flow.closed = how;
    this.append(flow, LIST.CLOSED);
    this.report(flow, how === CLOSE.RST ? 'rst' : 'fin', ts);
  }

  /** Ends a live flow and removes it. */
  /** A direction's payload reached its volume mark: the listener hears of it, and the mark moves past the payload. */
  private volume(flow: Flow, dir: number, ts: number): void {
    const bytes = dir === 0 ? flow.payload0 : flow.payload1;
    let next = Infinity;
    for (const m of VOLUME_MARKS) {
      if (m > bytes) {
        next = m;
        break;
      }
    }
    if (dir === 0) flow.nextVolume0 = next;
    else flow.nextVolume1 = next;
    if (this.listener?.onFlowVolume !== undefined) this.listener.onFlowVolume(flow.record('active', flow.protocol ?? (flow.transport === 'tcp' || flow.transport === 'udp' ? PROTOCOL_UNDECIDED : null)), dir === 0, ts);
  }

  private end(flow: Flow, reason: FlowEndReason, ts: number): void {
    this.unlinkAge(flow);
    this.unlink(flow);
    this.index.remove(flow);
    this.report(flow, reason, ts);
  }

  /** Removes a lingering closed flow (already reported). */
  private drop(flow: Flow): void {
    this.unlink(flow);
    this.index.remove(flow);
  }

  /**
   * The end of a live flow (already off the live lists): pending data and gaps delivered, session ended, buffers
   * released, counters, and last the record to the listener.
   */
  private report(flow: Flow, reason: FlowEndReason, ts: number): void {
    const env = this.env;
    const s0 = flow.s0;
    const s1 = flow.s1;
    if (s0 !== null && s1 !== null) {
      s0.flushPending(env, ts);
      s1.flushPending(env, ts);
    }
    this.delivery.end(flow, ts);
    let protocol = flow.protocol;
    if (flow.transport === 'tcp' || flow.transport === 'udp') {
      if (protocol === null) protocol = PROTOCOL_UNDECIDED;
      this.counters.countProtocol(protocol);
    }
    const c = this.counters;
    c.ended++;
    c.active--;
    if (reason === 'idle') c.timedOutIdle++;
    else if (reason === 'lifetime') c.timedOutLifetime++;
    else if (reason === 'evicted') c.evictedCap++;
    const record = this.listener !== undefined ? flow.record(reason, protocol) : null;
    if (s0 !== null && s1 !== null) {
      s0.release(env);
      s1.release(env);
      flow.s0 = null;
      flow.s1 = null;
    }
    if (record !== null) this.listener!.onFlowEnd(record);
  }

  private append(flow: Flow, listIndex: number): void {
    const list = this.lists[listIndex];
    flow.list = listIndex;
    flow.listTs = flow.lastTs;
    flow.next = null;
    flow.prev = list.tail;
    if (list.tail === null) list.head = flow;
    else list.tail.next = flow;
    list.tail = flow;
  }

  private unlink(flow: Flow): void {
    if (flow.list === LIST.NONE) return;
    const list = this.lists[flow.list];
    if (flow.prev === null) list.head = flow.next;
    else flow.prev.next = flow.next;
    if (flow.next === null) list.tail = flow.prev;
    else flow.next.prev = flow.prev;
    flow.prev = null;
    flow.next = null;
    flow.list = LIST.NONE;
  }

  private unlinkAge(flow: Flow): void {
    if (flow.agePrev === null) {
      if (this.ageHead !== flow) return;
      this.ageHead = flow.ageNext;
    } else {
      flow.agePrev.ageNext = flow.ageNext;
    }
    if (flow.ageNext === null) this.ageTail = flow.agePrev;
    else flow.ageNext.agePrev = flow.agePrev;
    flow.agePrev = null;
    flow.ageNext = null;
  }
}

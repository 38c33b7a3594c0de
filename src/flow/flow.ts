// One bidirectional flow (one class, so every flow has the same shape) and the plain objects derived from it:
// FlowInfo for protocol sessions, FlowRecord for the end-of-flow report.

import { IPPROTO } from '../decode/packet.js';
import type { Endpoint, FlowInfo, ProtocolSession } from '../protocols/protocol.js';
import type { Detection } from './detect.js';
import { ipv4String, ipv6String } from '../common/ip.js';
import { tagVlanInner, tagVlanOuter, type FlowKey, type KeyedFlow } from './flow-key.js';
import type { TcpStream } from './tcp-reassembly.js';

export type FlowTransport = 'tcp' | 'udp' | 'icmp' | 'icmp6' | 'ip';
export type RoleSource = FlowInfo['roleSource'];
/**
 * Why a flow record was made. `reused`: a new connection (SYN with a new ISN) arrived on the key of a flow still open;
 * `active`: a snapshot of a flow still open (inventory snapshots, never flows.ndjson).
 */
export type FlowEndReason = 'fin' | 'rst' | 'idle' | 'lifetime' | 'evicted' | 'end_of_input' | 'reused' | 'active';

export interface FlowTcpSummary {
  /** A SYN or SYN+ACK was seen (else the connection was picked up mid-stream). */
  readonly handshake: boolean;
  readonly gaps: number;
  readonly gapBytes: number;
  readonly retransmissions: number;
  readonly overlapMismatches: number;
}

/** What a FlowEndListener receives: a plain summary, safe to keep. */
export interface FlowRecord {
  readonly id: number;
  readonly transport: FlowTransport;
  readonly ipProto: number;
  readonly client: Endpoint;
  readonly server: Endpoint;
  readonly roleSource: RoleSource;
  /** [outer, inner] VLAN ids, 0 when untagged. */
  readonly vlan: readonly number[];
  /** Detected protocol id, `unknown`, `undecided` (TCP/UDP), or null for other IP protocols (never probed). */
  readonly protocol: string | null;
  readonly firstTs: number;
  readonly lastTs: number;
  readonly packetsToServer: number;
  readonly packetsToClient: number;
  /** Frame bytes on the wire. */
  readonly bytesToServer: number;
  readonly bytesToClient: number;
  /** L4 payload bytes as captured (TCP: including retransmitted bytes). */
  readonly payloadBytesToServer: number;
  readonly payloadBytesToClient: number;
  readonly endReason: FlowEndReason;
  /** Per flow TCP stream facts, summed over both directions; null for other transports. */
  readonly tcp: FlowTcpSummary | null;
}

/** TCP facts about a flow, as bits of Flow.tcpBits. */
export const TCP_BITS = {
  ACK_FROM_CLIENT: 1,
  ACK_FROM_SERVER: 2,
  HANDSHAKE: 4,
} as const;

/** Which LRU list a flow is on; each list has one idle timeout, so its head is always the next to expire. */
export const LIST = { OPENING: 0, ESTABLISHED: 1, OTHER: 2, CLOSED: 3, NONE: -1 } as const;

export const CLOSE = { OPEN: 0, FIN: 1, RST: 2 } as const;

export function transportOf(ipProto: number): FlowTransport {
  switch (ipProto) {
    case IPPROTO.TCP:
      return 'tcp';
    case IPPROTO.UDP:
      return 'udp';
    case IPPROTO.ICMP:
      return 'icmp';
    case IPPROTO.IPV6_ICMP:
      return 'icmp6';
    default:
      return 'ip';
  }
}

/** Payload bytes in one direction at which a running flow reports its volume: 64 KiB, then each 16 times more. */
export const VOLUME_MARKS: readonly number[] = [64 * 1024, 1024 * 1024, 16 * 1024 * 1024, 256 * 1024 * 1024];

export class Flow implements KeyedFlow {
  // Fields in the order the per-packet path reads them (V8 lays them out in this order): key, then state and timers,
  // then streams and counters; list links and descriptive fields last.

  // The key (see FlowKey): endpoint A is the lower address (then port), B the higher.
  readonly hash: number;
  readonly tag: number;
  readonly ports: number;
  readonly a4: number;
  readonly b4: number;
  readonly addr6: Uint8Array | null;

  /** CLOSE.OPEN, or how the flow closed (it then lingers on the CLOSED list to absorb late packets). */
  closed: number = CLOSE.OPEN;
  /** True when endpoint A of the key is the client. */
  readonly clientIsA: boolean;
  lastTs: number;
  readonly firstTs: number;
  /** Which LRU list the flow is on (LIST.*), and its last-seen time when it took its place there (lists are ordered by it). */
  list: number = LIST.NONE;
  listTs: number;

  /** Client-to-server and server-to-client streams (TCP only; released when the flow ends). */
  s0: TcpStream<Flow> | null = null;
  s1: TcpStream<Flow> | null = null;
  tcpBits = 0;
  packets0 = 0;
  bytes0 = 0;
  payload0 = 0;
  packets1 = 0;
  bytes1 = 0;
  payload1 = 0;
  /** Payload bytes at which each direction next reports its volume (VOLUME_MARKS); Infinity past the last. */
  nextVolume0 = VOLUME_MARKS[0];
  nextVolume1 = VOLUME_MARKS[0];
  session: ProtocolSession | null = null;
  /** Detected protocol id, 'unknown', or null while undecided. */
  protocol: string | null = null;
  detection: Detection | null = null;

  // Idle LRU list (by last seen) and lifetime list (by creation): intrusive doubly linked lists.
  prev: Flow | null = null;
  next: Flow | null = null;
  agePrev: Flow | null = null;
  ageNext: Flow | null = null;

  readonly id: number;
  readonly ipProto: number;
  readonly transport: FlowTransport;
  readonly roleSource: RoleSource;

  constructor(
    id: number,
    key: FlowKey,
    ipProto: number,
    transport: FlowTransport,
    clientIsA: boolean,
    roleSource: RoleSource,
    firstTs: number,
  ) {
    this.hash = key.hash;
    this.tag = key.tag;
    this.ports = key.ports;
    this.a4 = key.a4;
    this.b4 = key.b4;
    this.addr6 = key.ipv6 ? key.copyAddr6() : null;
    this.clientIsA = clientIsA;
    this.lastTs = firstTs;
    this.firstTs = firstTs;
    this.listTs = firstTs;
    this.id = id;
    this.ipProto = ipProto;
    this.transport = transport;
    this.roleSource = roleSource;
  }

  get clientPort(): number {
    return this.port(this.clientIsA);
  }

  get serverPort(): number {
    return this.port(!this.clientIsA);
  }

  client(): Endpoint {
    return { ip: this.ip(this.clientIsA), port: this.port(this.clientIsA) };
  }

  server(): Endpoint {
    return { ip: this.ip(!this.clientIsA), port: this.port(!this.clientIsA) };
  }

  vlan(): number[] {
    return [tagVlanOuter(this.tag), tagVlanInner(this.tag)];
  }

  private ip(sideA: boolean): string {
    const a6 = this.addr6;
    if (a6 !== null) return ipv6String(a6, sideA ? 0 : 16);
    return ipv4String(sideA ? this.a4 : this.b4);
  }

  private port(sideA: boolean): number {
    return sideA ? Math.floor(this.ports / 0x10000) : this.ports & 0xffff;
  }

  /** The facts a protocol session may read (built once, when a session is created). */
  info(): FlowInfo {
    return Object.freeze({
      id: this.id,
      transport: this.transport === 'udp' ? 'udp' : 'tcp',
      client: Object.freeze(this.client()),
      server: Object.freeze(this.server()),
      vlan: Object.freeze(this.vlan()),
      roleSource: this.roleSource,
    });
  }

  record(endReason: FlowEndReason, protocol: string | null): FlowRecord {
    let tcp: FlowTcpSummary | null = null;
    const s0 = this.s0;
    const s1 = this.s1;
    if (s0 !== null && s1 !== null) {
      tcp = {
        handshake: (this.tcpBits & TCP_BITS.HANDSHAKE) !== 0,
        gaps: s0.gaps + s1.gaps,
        gapBytes: s0.gapBytes + s1.gapBytes,
        retransmissions: s0.retransmissions + s1.retransmissions,
        overlapMismatches: s0.overlapMismatches + s1.overlapMismatches,
      };
    }
    return {
      id: this.id,
      transport: this.transport,
      ipProto: this.ipProto,
      client: this.client(),
      server: this.server(),
      roleSource: this.roleSource,
      vlan: this.vlan(),
      protocol,
      firstTs: this.firstTs,
      lastTs: this.lastTs,
      packetsToServer: this.packets0,
      packetsToClient: this.packets1,
      bytesToServer: this.bytes0,
      bytesToClient: this.bytes1,
      payloadBytesToServer: this.payload0,
      payloadBytesToClient: this.payload1,
      endReason,
      tcp,
    };
  }
}

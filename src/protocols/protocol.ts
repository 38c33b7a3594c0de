// The contract between the flow layer and an application protocol module. A module is a descriptor (id, port hints,
// a probe) plus a session factory; the flow layer owns reassembly and hands each session ordered bytes.

import type { AnomalyDefinition } from '../common/anomaly.js';

export type Transport = 'tcp' | 'udp';

/** 0 = client to server ("request" side), 1 = server to client. */
export type Direction = 0 | 1;
export const TO_SERVER: Direction = 0;
export const TO_CLIENT: Direction = 1;

/**
 * What a probe says about the first bytes of a flow direction:
 * `match`: this is the protocol; `no_match`: it is not; `need_more`: cannot tell yet (give more bytes).
 */
export type ProbeResult = 'match' | 'no_match' | 'need_more';

export interface Endpoint {
  readonly ip: string;
  readonly port: number;
}

/** Read-only facts about the flow a session runs on. */
export interface FlowInfo {
  readonly id: number;
  readonly transport: Transport;
  readonly client: Endpoint;
  readonly server: Endpoint;
  /** Outer and inner VLAN ids (0 when untagged). */
  readonly vlan: readonly number[];
  /** How the client/server roles were decided. */
  readonly roleSource: 'handshake' | 'port_hint' | 'first_packet';
}

/** What a session may call back into: anomaly counting and event emission. */
export interface SessionContext {
  readonly flow: FlowInfo;
  /** Records an anomaly under a code the module declared. */
  anomaly(code: string): void;
  /** Hands a protocol event (transaction, hint...) to the pipeline. Later issues give events their schema. */
  emit(event: ProtocolEvent): void;
}

export interface ProtocolEvent {
  readonly protocol: string;
  readonly type: string;
  readonly ts: number;
  readonly [field: string]: unknown;
}

export interface ProtocolSession {
  /**
   * Ordered bytes of one direction (TCP: reassembled stream data; UDP: one datagram). `data` is borrowed: valid only
   * during the call. `ts` is the capture time of the packet that completed these bytes.
   */
  onData(dir: Direction, data: Uint8Array, ts: number): void;
  /**
   * `bytes` of this direction's stream were never seen (capture loss); the next onData starts after the hole. UDP: the
   * datagram just delivered was cut short by `bytes` (the capture's snap length).
   */
  onGap(dir: Direction, bytes: number, ts: number): void;
  /** The flow ended (FIN/RST, timeout, eviction or end of input). */
  onEnd(ts: number): void;
}

export interface ProtocolModule {
  /** Short stable id: `modbus`, `dnp3`, ... */
  readonly id: string;
  readonly name: string;
  readonly transports: readonly Transport[];
  /**
   * `industrial` for control-system protocols (the inventory's controller, HMI and engineering roles rest on them);
   * absent for IT protocols.
   */
  readonly category?: 'industrial';
  /** Well-known ports: hints that order the probes, never proof. */
  readonly ports: readonly number[];
  /**
   * Every anomaly this module may raise, from its `defineAnomalies` catalogue (`.definitions`): docs/anomalies.md
   * lists them, and the conformance suite checks the module raises no others.
   */
  readonly anomalies: readonly AnomalyDefinition[];
  /** Pure: looks at the first bytes seen in one direction. Must not throw (a throw counts as `no_match`). */
  probe(data: Uint8Array, dir: Direction, transport: Transport): ProbeResult;
  createSession(ctx: SessionContext): ProtocolSession;
}

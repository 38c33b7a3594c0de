// The normalised vocabulary every protocol module describes its messages in: a transaction (a request with its
// response, or a lone message) with an operation, a target and an outcome, plus asset hints. Inventory and detection
// read only these, never a protocol's own fields, so a new protocol lights up both without touching them.
// Exported as DIR/events/<protocol>.ndjson and DIR/hints.ndjson (docs/events.md).
import type { ProtocolEvent } from './protocol.js';
import { ACCESS, OUTCOMES } from '../common/vocabulary.js';

export { ACCESS, OUTCOMES };
export type Access = (typeof ACCESS)[number];

export type Outcome = (typeof OUTCOMES)[number];

/** A code-table entry: the raw number from the wire beside its name (unknown codes keep their number). */
export interface CodeName {
  readonly code: number;
  readonly name: string;
}

export interface Operation extends CodeName {
  readonly access: Access;
  /** A sub-function where the protocol has one (Modbus diagnostics, UMAS, S7 userdata, CIP service on a class). */
  readonly sub?: CodeName;
}

/** What an operation is aimed at; each protocol fills what applies and documents it. */
export interface Target {
  /** Unit, station, slave or common address of the device addressed behind the server. */
  readonly unit?: number;
  /** Data area or object class: `holding_registers`, `DB`, `analog_input`, `Identity`... */
  readonly area?: string;
  readonly address?: number;
  readonly count?: number;
  readonly [field: string]: unknown;
}

/**
 * One transaction as a session emits it. The pipeline adds `client`, `server` and `flow` from the flow. Protocol
 * fields sit under the protocol id: `{ protocol: 'modbus', ..., modbus: { func_code: 3, ... } }`.
 */
export interface TransactionEvent extends ProtocolEvent {
  readonly type: 'transaction';
  /** Time of the request, or of the lone message. */
  readonly ts: number;
  readonly operation: Operation;
  readonly target: Target;
  readonly outcome: Outcome;
  /** Response time minus request time; null without both. */
  readonly latency_ms: number | null;
  /** Which side sent the (first) message: `client` for requests, `server` for unsolicited messages. */
  readonly origin: 'client' | 'server';
  /** Exception, error or status code and name when the outcome is `exception`. */
  readonly error?: CodeName;
}

export interface AssetIdentity {
  vendor?: string;
  vendor_id?: number;
  product?: string;
  product_code?: number;
  model?: string;
  order_number?: string;
  firmware?: string;
  hardware?: string;
  serial?: string;
  device_type?: string;
  name?: string;
  [field: string]: string | number | undefined;
}

/** Where a host name was learned. */
export const NAME_SOURCES = ['dns', 'mdns', 'llmnr', 'dhcp', 'netbios', 'lldp', 'cdp', 'tls_sni', 'http_host', 'protocol'] as const;
export type NameSource = (typeof NAME_SOURCES)[number];

export interface HostName {
  readonly name: string;
  readonly source: NameSource;
}

/**
 * The host a hint is about when it is not one of the flow's endpoints: the address a DNS answer names, the MAC and
 * leased address of a DHCP client, the sender of an LLDP or CDP frame.
 */
export interface HintSubject {
  readonly ip?: string;
  readonly mac?: string;
  /**
   * A device reached through the flow side rather than at its address (a BACnet router's MS/TP device, a module
   * behind a gateway): its address in the protocol (`5/0x0c` for BACnet network 5, MAC 0x0c).
   */
  readonly behind?: string;
}

/** What a message says about one side of the flow: its role for this protocol, and identity it carries. */
export interface AssetHintEvent extends ProtocolEvent {
  readonly type: 'asset_hint';
  readonly side: 'client' | 'server';
  /** Set when the hint is about another host than `side` (then `side` only says who sent the message). */
  readonly subject?: HintSubject;
  /** Names of the host the hint is about. */
  readonly names?: readonly HostName[];
  /** The side's role in this protocol: `master`, `outstation`, `client`, `server`, `plc`, `hmi`, `engineering`... */
  readonly role?: string;
  readonly identity?: AssetIdentity;
  /** Protocol-level address of the side (DNP3 address, BACnet device instance, Modbus unit id...). */
  readonly address?: number | string;
  /** The message it came from (`read_device_identification`, `szl_0x011c`, `list_identity`...). */
  readonly source: string;
}

/** Rounds a latency to microseconds (capture timestamps carry no more). */
export function latencyMs(requestTs: number, responseTs: number): number {
  return Math.round((responseTs - requestTs) * 1e6) / 1e3;
}

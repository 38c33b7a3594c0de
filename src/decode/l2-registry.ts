// Layer-2 (non-IP) frames: EtherType → protocol handler registry, filled by protocol modules (GOOSE, SV, PROFINET,
// LLDP...). Frames of EtherTypes nobody handles are only counted, per name (ethertypes.ts) or per EtherType hex.

import type { Packet } from './packet.js';
import { ETHERTYPE_NAMES, LLC_SAP_NAMES, SNAP_NAMES } from './ethertypes.js';
import type { DecodeContext } from './context.js';
import { L2 } from './anomalies.js';

export interface L2Handler {
  readonly id: string;
  /** Called during decode with the packet filled to L2 (etherType, l2PayloadOff/End, VLANs). Borrowed: do not keep pkt. */
  onFrame(pkt: Packet): void;
}

const handlers = new Map<number, L2Handler>();
const names: (string | undefined)[] = new Array(0x10000);
for (const [type, name] of ETHERTYPE_NAMES) names[type] = name;
const llcNames: string[] = new Array(0x100);
for (let sap = 0; sap < 0x100; sap++) llcNames[sap] = `llc_0x${sap.toString(16).padStart(2, '0')}`;
for (const [sap, name] of LLC_SAP_NAMES) llcNames[sap] = name;
const snapNames = new Map<number, string>(SNAP_NAMES);

/** Registers the handler of one EtherType. A second registration for the same EtherType is a programming error. */
export function registerL2Handler(etherType: number, handler: L2Handler): void {
  const prev = handlers.get(etherType);
  if (prev !== undefined && prev !== handler) {
    throw new Error(`registerL2Handler: EtherType 0x${etherType.toString(16)} already handled by ${prev.id}`);
  }
  handlers.set(etherType, handler);
}

export function unregisterL2Handler(etherType: number): void {
  handlers.delete(etherType);
}

/** The name of an EtherType (`goose`), or its hex (`0x88b5`) when unnamed. */
export function etherTypeName(etherType: number): string {
  const t = etherType & 0xffff;
  return (names[t] ??= `0x${t.toString(16).padStart(4, '0')}`);
}

export function llcSapName(dsap: number): string {
  return llcNames[dsap & 0xff];
}

/** Name of a SNAP protocol with a non-zero OUI (`cdp`), or `snap_<oui>_<pid>`. */
export function snapName(oui: number, pid: number): string {
  const key = oui * 0x10000 + pid;
  let name = snapNames.get(key);
  if (name === undefined) {
    if (snapNames.size >= MAX_SNAP_NAMES) return 'snap_other';
    name = `snap_${oui.toString(16).padStart(6, '0')}_${pid.toString(16).padStart(4, '0')}`;
    snapNames.set(key, name);
  }
  return name;
}

const MAX_SNAP_NAMES = 4096;

/** Counts a non-IP frame under `name` in the l2 counters. */
export function countL2(ctx: DecodeContext, name: string): void {
  const l2 = ctx.counters.l2;
  l2.set(name, (l2.get(name) ?? 0) + 1);
}

/** Hands a non-IP EtherType frame (pkt filled to L2) to its handler, and counts it. */
export function dispatchL2(ctx: DecodeContext, pkt: Packet, etherType: number): void {
  countL2(ctx, etherTypeName(etherType));
  const handler = handlers.get(etherType);
  if (handler === undefined) return;
  try {
    handler.onFrame(pkt);
  } catch {
    ctx.anomalies.add(L2.codes.handler_error);
  }
}

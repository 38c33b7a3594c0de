// The shared shape of the flow detections about controllers: ended flows judged against what is known of the
// controllers (hosts answering an industrial protocol, and their /24 or /64 zones). A flow that ends before its
// controller is known (an SSH session closed before the first Modbus poll) waits in a bounded backlog and is judged
// again when a new controller appears.
import type { FlowRecord } from '../../flow/flow.js';
import type { TransactionRecord } from '../../pipeline/detail.js';
import { classifyAddress, parseIpv4, parseIpv6 } from '../../inventory/address-class.js';
import type { ArpObservation, Detection, DetectionInfo, DetectContext, Finding } from '../types.js';
import { isLearnable } from './arp-bindings.js';

/** Ended flows kept for a later judgement, and for how long (capture seconds): a capture's first hour. */
const MAX_BACKLOG = 2_048;
const BACKLOG_SEC = 3_600;
const MAX_CONTROLLERS = 50_000;
const MAX_ON_LINK = 50_000;

/** What a flow detection knows: the controllers' zones, and the addresses seen on the local link. */
export interface ControllerKnowledge {
  readonly zones: ReadonlySet<string>;
  /** Sender addresses of ARP packets: hosts on the capture's own segments, whatever their address range. */
  readonly onLink: ReadonlySet<string>;
}

export interface ControllerFlowRule {
  /** Cheap test of the flow (and what is known of the network): could it ever fire? */
  candidate(f: FlowRecord, known: ControllerKnowledge): boolean;
  /** The finding for a candidate flow given what is known now, or null (it may match later). */
  judge(f: FlowRecord, ctx: DetectContext, known: ControllerKnowledge): Finding | null;
}

export function zoneOf(ip: string): string | null {
  return classifyAddress(ip).zone;
}

/**
 * True for an address on the internet as seen from `peer`: public unicast, not seen in ARP on the local link, and not
 * in the peer's own /16 (IPv6: /48). Plants and labs often number their networks from a public block they own (the
 * corpus has 141.81.0.0/16, 134.249.0.0/16, 130.126.0.0/16 captures); a neighbour in the same block is theirs.
 */
export function isExternal(ip: string, peer: string, known: ControllerKnowledge): boolean {
  const c = classifyAddress(ip);
  if (c.kind !== 'unicast' || c.scope !== 'public' || ip === peer || known.onLink.has(ip)) return false;
  const a = parseIpv4(ip);
  if (a >= 0) {
    const b = parseIpv4(peer);
    return b < 0 || Math.floor(a / 65536) !== Math.floor(b / 65536);
  }
  const x = parseIpv6(ip);
  const y = parseIpv6(peer);
  return x === null || y === null || x[0] !== y[0] || x[1] !== y[1] || x[2] !== y[2];
}

export function flowEvidence(f: FlowRecord, what: string, note?: string): Finding['evidence'] {
  return {
    ts: f.lastTs,
    flow: f.id,
    protocol: f.protocol,
    what,
    target: { transport: f.transport, client: `${f.client.ip}:${f.client.port}`, server: `${f.server.ip}:${f.server.port}`, bytes_to_server: f.bytesToServer, bytes_to_client: f.bytesToClient, duration_sec: Math.round((f.lastTs - f.firstTs) * 1000) / 1000, end: f.endReason },
    ...(note !== undefined ? { note } : {}),
  };
}

export function controllerFlowDetection(info: DetectionInfo, rule: ControllerFlowRule): Detection {
  return {
    ...info,
    create() {
      const controllers = new Set<string>();
      const zones = new Set<string>();
      const onLink = new Set<string>();
      const known: ControllerKnowledge = { zones, onLink };
      let backlog: FlowRecord[] = [];
      return {
        transaction(t: TransactionRecord, ctx: DetectContext) {
          const ip = t.server.ip;
          if (controllers.has(ip) || !ctx.isIndustrialServer(ip) || controllers.size >= MAX_CONTROLLERS) return;
          controllers.add(ip);
          const zone = zoneOf(ip);
          if (zone !== null) zones.add(zone);
          if (backlog.length === 0) return;
          const left: FlowRecord[] = [];
          for (const f of backlog) {
            const finding = rule.judge(f, ctx, known);
            if (finding !== null) ctx.raise(info, finding);
            else left.push(f);
          }
          backlog = left;
        },
        arp(a: ArpObservation) {
          if (onLink.size < MAX_ON_LINK && isLearnable(a)) onLink.add(a.senderIp);
        },
        flowEnd(f: FlowRecord, ctx: DetectContext) {
          if (!rule.candidate(f, known)) return;
          const finding = rule.judge(f, ctx, known);
          if (finding !== null) ctx.raise(info, finding);
          else if (backlog.length < MAX_BACKLOG) backlog.push(f);
        },
        expire(nowSec: number) {
          if (backlog.length > 0 && nowSec - backlog[0].lastTs > BACKLOG_SEC) backlog = backlog.filter((f) => nowSec - f.lastTs <= BACKLOG_SEC);
        },
      };
    },
  };
}

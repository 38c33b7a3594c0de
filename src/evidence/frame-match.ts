// Which frames belong to an evidence query: capture time in [from, to), then hosts (single addresses or pairs),
// ports and IP protocol read by the L2-L4 decoder of src/decode (Ethernet, VLAN, SLL, raw IP, ARP sender/target).
import { isIPv4, isIPv6 } from 'node:net';
import { AnomalyCounter } from '../common/anomaly.js';
import type { Frame } from '../capture/frame.js';
import { Decoder } from '../decode/decoder.js';
import { IPPROTO, L3, Packet } from '../decode/packet.js';

/** One host term: frames from or to `a`, or, with `b`, frames between `a` and `b` (either direction). */
export interface HostTerm {
  a: string;
  b?: string;
}

export interface EvidenceQuery {
  /** Capture time, seconds, inclusive. */
  from: number;
  /** Capture time, seconds, exclusive. */
  to: number;
  /** Any term matching is enough; none: every frame of the window. */
  hosts?: HostTerm[];
  /** Source or destination port (TCP/UDP; fragments other than a whole datagram carry none). */
  ports?: number[];
  /** IP protocol number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6). */
  protocol?: number;
}

export const IP_PROTOCOLS: Readonly<Record<string, number>> = { icmp: 1, tcp: 6, udp: 17, icmpv6: 58 };

/** An address as the matcher compares it: IPv4 as an unsigned 32-bit number, IPv6 as 16 bytes. */
export type ParsedAddress = { v: 4; n: number } | { v: 6; bytes: Uint8Array };

/** Parses an IPv4 or IPv6 literal (no zone, no prefix); null when it is not one. */
export function parseAddress(text: string): ParsedAddress | null {
  if (isIPv4(text)) {
    const p = text.split('.').map(Number);
    return { v: 4, n: ((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0 };
  }
  if (!isIPv6(text) || text.includes('%')) return null;
  let hexText = text;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    // An embedded IPv4 tail (`::ffff:10.0.0.1`) becomes its two hex groups.
    const p = text.slice(lastColon + 1).split('.').map(Number);
    hexText = `${text.slice(0, lastColon + 1)}${((p[0] << 8) | p[1]).toString(16)}:${((p[2] << 8) | p[3]).toString(16)}`;
  }
  const groupsOf = (s: string): number[] => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const dbl = hexText.indexOf('::');
  let groups: number[];
  if (dbl >= 0) {
    const left = groupsOf(hexText.slice(0, dbl));
    const right = groupsOf(hexText.slice(dbl + 2));
    groups = [...left, ...new Array<number>(Math.max(0, 8 - left.length - right.length)).fill(0), ...right];
  } else {
    groups = groupsOf(hexText);
  }
  if (groups.length !== 8 || groups.some((g) => !(g >= 0 && g <= 0xffff))) return null;
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    bytes[2 * i] = groups[i] >> 8;
    bytes[2 * i + 1] = groups[i] & 0xff;
  }
  return { v: 6, bytes };
}

/** Terms compiled for the per-frame test: IPv4 terms as numbers, IPv6 as byte arrays; -1 / null for "any". */
class CompiledTerm {
  constructor(
    readonly v: 4 | 6,
    readonly a4: number,
    readonly b4: number,
    readonly a6: Uint8Array | null,
    readonly b6: Uint8Array | null,
    readonly pair: boolean,
  ) {}
}

function equal16(buf: Uint8Array, off: number, addr: Uint8Array): boolean {
  for (let i = 0; i < 16; i++) if (buf[off + i] !== addr[i]) return false;
  return true;
}

/**
 * Tests frames against a query. One decoder and one Packet, reused; IP fragment reassembly is off (a reassembled
 * datagram would depend on frames before the segment an export starts at), so a port filter sees unfragmented
 * packets only.
 */
export class FrameMatcher {
  readonly from: number;
  readonly to: number;
  /** The window's ends split into seconds and nanoseconds once, so frames compare exactly, without float rounding. */
  private readonly fromSec: number;
  private readonly fromNsec: number;
  private readonly toSec: number;
  private readonly toNsec: number;
  private readonly terms: CompiledTerm[] = [];
  private readonly anyHost: boolean;
  private readonly ports: Set<number> | null;
  private readonly protocol: number;
  private readonly decoder = new Decoder(new AnomalyCounter(), { maxFragmentBytes: 0, maxFragmentDatagrams: 1 });
  private readonly pkt = new Packet();
  /** False when the query names no host, port or protocol: every frame of the window matches, undecoded. */
  readonly needsDecode: boolean;

  constructor(query: EvidenceQuery) {
    this.from = query.from;
    this.to = query.to;
    this.fromSec = Math.floor(query.from);
    this.fromNsec = Math.round((query.from - this.fromSec) * 1e9);
    this.toSec = Math.floor(query.to);
    this.toNsec = Math.round((query.to - this.toSec) * 1e9);
    for (const h of query.hosts ?? []) {
      const a = parseAddress(h.a);
      const b = h.b === undefined ? null : parseAddress(h.b);
      if (a === null || (h.b !== undefined && b === null)) continue;
      // A pair of an IPv4 and an IPv6 address can match nothing: it is kept, and matches nothing.
      if (b !== null && a.v !== b.v) {
        this.terms.push(new CompiledTerm(4, -2, -2, null, null, true));
        continue;
      }
      if (a.v === 4) this.terms.push(new CompiledTerm(4, a.n, b === null ? -1 : (b as { n: number }).n, null, null, b !== null));
      else this.terms.push(new CompiledTerm(6, -1, -1, a.bytes, b === null ? null : (b as { bytes: Uint8Array }).bytes, b !== null));
    }
    this.anyHost = (query.hosts ?? []).length === 0;
    this.ports = query.ports !== undefined && query.ports.length > 0 ? new Set(query.ports) : null;
    this.protocol = query.protocol ?? -1;
    this.needsDecode = !this.anyHost || this.ports !== null || this.protocol >= 0;
  }

  /** Whether the frame's time is inside the window. */
  inWindow(frame: Frame): boolean {
    const s = frame.tsSec;
    const ns = frame.tsNsec;
    return (s > this.fromSec || (s === this.fromSec && ns >= this.fromNsec)) && (s < this.toSec || (s === this.toSec && ns < this.toNsec));
  }

  /** Whether the frame matches the hosts, ports and protocol (time is tested by inWindow). Never throws. */
  matches(frame: Frame): boolean {
    if (!this.needsDecode) return true;
    const pkt = this.pkt;
    this.decoder.decode(frame, pkt);
    if (this.protocol >= 0 && (pkt.l3 === L3.IPV4 || pkt.l3 === L3.IPV6 ? pkt.ipProto !== this.protocol : true)) return false;
    if (this.ports !== null && !((pkt.l4 === IPPROTO.TCP || pkt.l4 === IPPROTO.UDP) && (this.ports.has(pkt.srcPort) || this.ports.has(pkt.dstPort)))) return false;
    return this.anyHost || this.hostMatch(pkt);
  }

  private hostMatch(pkt: Packet): boolean {
    const l3 = pkt.l3;
    const terms = this.terms;
    if (l3 === L3.IPV4 || l3 === L3.ARP) {
      const s = l3 === L3.IPV4 ? pkt.src4 : pkt.arpSenderIp;
      const d = l3 === L3.IPV4 ? pkt.dst4 : pkt.arpTargetIp;
      for (let i = 0; i < terms.length; i++) {
        const t = terms[i];
        if (t.v !== 4) continue;
        if (t.pair ? (s === t.a4 && d === t.b4) || (s === t.b4 && d === t.a4) : s === t.a4 || d === t.a4) return true;
      }
      return false;
    }
    if (l3 === L3.IPV6) {
      const buf = pkt.addrBuf;
      const so = pkt.src6Off;
      const dO = pkt.dst6Off;
      for (let i = 0; i < terms.length; i++) {
        const t = terms[i];
        if (t.v !== 6) continue;
        const a = t.a6!;
        if (!t.pair) {
          if (equal16(buf, so, a) || equal16(buf, dO, a)) return true;
          continue;
        }
        const b = t.b6!;
        if ((equal16(buf, so, a) && equal16(buf, dO, b)) || (equal16(buf, so, b) && equal16(buf, dO, a))) return true;
      }
    }
    return false;
  }
}

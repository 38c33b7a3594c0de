// Test support for the flow layer: Packets built field by field (no decoder), and recording protocol modules.

import { IPPROTO, L3, Packet, TCP_FLAG } from '../decode/packet.js';
import type {
  Direction,
  ProbeResult,
  ProtocolModule,
  ProtocolSession,
  SessionContext,
  Transport,
} from '../protocols/protocol.js';

export const { FIN, SYN, RST, PSH, ACK } = TCP_FLAG;

export interface PacketSpec {
  src?: string;
  dst?: string;
  sport?: number;
  dport?: number;
  /** IPPROTO value; TCP by default. */
  proto?: number;
  flags?: number;
  seq?: number;
  ack?: number;
  payload?: Uint8Array | string;
  ts?: number;
  vlanOuter?: number;
  vlanInner?: number;
}

function parseIpv4(s: string): number {
  const p = s.split('.').map(Number);
  return ((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0;
}

function parseIpv6(s: string, out: Uint8Array, off: number): void {
  const [head, tail] = s.includes('::') ? s.split('::') : [s, ''];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = [...h, ...new Array<string>(8 - h.length - t.length).fill('0'), ...t].map((g) => parseInt(g, 16));
  for (let i = 0; i < 8; i++) {
    out[off + 2 * i] = groups[i] >>> 8;
    out[off + 2 * i + 1] = groups[i] & 0xff;
  }
}

/** Bytes of a string (Latin-1), for readable payloads. */
export function bytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}

export function text(b: Uint8Array): string {
  return String.fromCharCode(...b);
}

/** A decoded packet as the decoder would leave it; the payload sits after 40 filler bytes in l4Buf. */
export function packet(spec: PacketSpec): Packet {
  const pkt = new Packet();
  const src = spec.src ?? '10.0.0.1';
  const dst = spec.dst ?? '10.0.0.2';
  const payload = typeof spec.payload === 'string' ? bytes(spec.payload) : (spec.payload ?? new Uint8Array(0));
  if (src.includes(':')) {
    pkt.l3 = L3.IPV6;
    const a = new Uint8Array(40);
    parseIpv6(src, a, 8);
    parseIpv6(dst, a, 24);
    pkt.addrBuf = a;
    pkt.src6Off = 8;
    pkt.dst6Off = 24;
  } else {
    pkt.l3 = L3.IPV4;
    pkt.src4 = parseIpv4(src);
    pkt.dst4 = parseIpv4(dst);
  }
  const proto = spec.proto ?? IPPROTO.TCP;
  pkt.ipProto = proto;
  pkt.l4 = proto === IPPROTO.TCP || proto === IPPROTO.UDP || proto === IPPROTO.ICMP ? proto : 0;
  pkt.srcPort = spec.sport ?? 0;
  pkt.dstPort = spec.dport ?? 0;
  pkt.tcpFlags = spec.flags ?? (proto === IPPROTO.TCP ? ACK : 0);
  pkt.seq = (spec.seq ?? 0) >>> 0;
  pkt.ack = (spec.ack ?? 0) >>> 0;
  const l4 = new Uint8Array(40 + payload.length).fill(0xee);
  l4.set(payload, 40);
  pkt.l4Buf = l4;
  pkt.payloadOff = 40;
  pkt.payloadEnd = 40 + payload.length;
  pkt.ts = spec.ts ?? 0;
  pkt.tsSec = Math.floor(pkt.ts);
  pkt.wireLen = 54 + payload.length;
  pkt.caplen = pkt.wireLen;
  pkt.vlanOuter = spec.vlanOuter ?? 0;
  pkt.vlanInner = spec.vlanInner ?? 0;
  pkt.vlanCount = pkt.vlanInner ? 2 : pkt.vlanOuter ? 1 : 0;
  return pkt;
}

export type SessionCall =
  | { call: 'data'; flow: number; dir: Direction; data: string; ts: number }
  | { call: 'gap'; flow: number; dir: Direction; bytes: number }
  | { call: 'end'; flow: number };

export interface RecordingOptions {
  ports?: number[];
  transports?: Transport[];
  /** Default: match when the direction's bytes start with `magic`, need_more while they could, else no_match. */
  probe?: (data: Uint8Array, dir: Direction) => ProbeResult;
  magic?: string;
  /** Makes onData throw when the data contains this text. */
  throwOn?: string;
}

/** A test module whose sessions record every call into `calls`; `probes` records each probe call. */
export function recordingModule(id: string, o: RecordingOptions = {}) {
  const calls: SessionCall[] = [];
  const probes: { dir: Direction; data: string }[] = [];
  const magic = o.magic ?? id.toUpperCase();
  const defaultProbe = (data: Uint8Array): ProbeResult => {
    const n = Math.min(data.length, magic.length);
    for (let i = 0; i < n; i++) if (data[i] !== magic.charCodeAt(i)) return 'no_match';
    return data.length >= magic.length ? 'match' : 'need_more';
  };
  const module: ProtocolModule = {
    id,
    name: `test ${id}`,
    transports: o.transports ?? ['tcp'],
    ports: o.ports ?? [],
    anomalies: [],
    probe(data, dir) {
      probes.push({ dir, data: text(data) });
      return (o.probe ?? defaultProbe)(data, dir);
    },
    createSession(ctx: SessionContext): ProtocolSession {
      const flow = ctx.flow.id;
      return {
        onData(dir, data, ts) {
          const s = text(data);
          if (o.throwOn !== undefined && s.includes(o.throwOn)) throw new Error('test session failure');
          calls.push({ call: 'data', flow, dir, data: s, ts });
        },
        onGap(dir, n) {
          calls.push({ call: 'gap', flow, dir, bytes: n });
        },
        onEnd() {
          calls.push({ call: 'end', flow });
        },
      };
    },
  };
  return { module, calls, probes };
}

/** Concatenated data the sessions got for one direction. */
export function streamOf(calls: readonly SessionCall[], dir: Direction): string {
  return calls
    .filter((c): c is Extract<SessionCall, { call: 'data' }> => c.call === 'data' && c.dir === dir)
    .map((c) => c.data)
    .join('');
}

export { prng } from '../common/prng.js';

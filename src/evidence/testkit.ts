// Test helpers of evidence keeping (not used by the product): synthetic traffic between a few hosts written as pcap
// or pcapng, the brute-force filter an export must equal, and an export read back.
import { readFileSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { AnomalyCounter } from '../common/anomaly.js';
import { readCaptureFile } from '../capture/open-capture.js';
import { PcapngReader } from '../capture/read-pcapng.js';
import { PcapReader } from '../capture/read-pcap.js';
import type { Frame } from '../capture/frame.js';
import { PcapngWriter } from '../capture/write-pcapng.js';
import { LINKTYPE } from '../common/link-types.js';
import { prng } from '../common/prng.js';
import { FrameMatcher, type EvidenceQuery } from './frame-match.js';

export interface SynthFrame {
  tsSec: number;
  tsNsec: number;
  linkType: number;
  data: Uint8Array;
}

export const HOSTS4 = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '192.168.1.10'];
export const HOSTS6 = ['fd00::1', 'fd00::2'];

function ip4(text: string): number[] {
  return text.split('.').map(Number);
}

function ip6(text: string): number[] {
  const [l, r = ''] = text.split('::');
  const lg = l === '' ? [] : l.split(':');
  const rg = r === '' ? [] : r.split(':');
  const groups = [...lg, ...new Array(8 - lg.length - rg.length).fill('0'), ...rg].map((g) => parseInt(g, 16));
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

/** Ethernet (optionally VLAN-tagged) or raw IPv4/IPv6 + UDP or TCP, with `payload` bytes. */
export function ipFrame(o: { src: string; dst: string; sport: number; dport: number; tcp?: boolean; vlan?: number; raw?: boolean; payload?: number; seed?: number }): Uint8Array {
  const v6 = o.src.includes(':');
  const l4len = (o.tcp ? 20 : 8) + (o.payload ?? 16);
  const l3len = (v6 ? 40 : 20) + l4len;
  const out: number[] = [];
  if (!o.raw) {
    out.push(0, 0x1d, 0x9c, 0, 0, 2, 0, 0x1d, 0x9c, 0, 0, 1);
    if (o.vlan !== undefined) out.push(0x81, 0x00, (o.vlan >> 8) & 0x0f, o.vlan & 0xff);
    out.push(...(v6 ? [0x86, 0xdd] : [0x08, 0x00]));
  }
  const proto = o.tcp ? 6 : 17;
  if (v6) out.push(0x60, 0, 0, 0, l4len >> 8, l4len & 0xff, proto, 64, ...ip6(o.src), ...ip6(o.dst));
  else out.push(0x45, 0, l3len >> 8, l3len & 0xff, 0, 1, 0x40, 0, 64, proto, 0, 0, ...ip4(o.src), ...ip4(o.dst));
  out.push(o.sport >> 8, o.sport & 0xff, o.dport >> 8, o.dport & 0xff);
  if (o.tcp) out.push(0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x18, 0x20, 0, 0, 0, 0, 0);
  else out.push(l4len >> 8, l4len & 0xff, 0, 0);
  for (let i = 0; i < (o.payload ?? 16); i++) out.push(((o.seed ?? 0) + i * 13) & 0xff);
  return Uint8Array.from(out);
}

/** An Ethernet ARP request from `sender` for `target`. */
export function arpFrame(sender: string, target: string): Uint8Array {
  return Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0x1d, 0x9c, 0, 0, 3, 0x08, 0x06, 0, 1, 0x08, 0, 6, 4, 0, 1, 0, 0x1d, 0x9c, 0, 0, 3, ...ip4(sender), 0, 0, 0, 0, 0, 0, ...ip4(target)]);
}

/**
 * `n` frames from `start` (seconds), about `rate` per second, between random hosts: IPv4 UDP/TCP (some VLAN-tagged),
 * IPv6, ARP; with `rawShare`, some as raw IPv4 (link type 101). Times go back a little now and then, as merged
 * captures do.
 */
export function synthTraffic(n: number, opts: { start?: number; rate?: number; seed?: number; rawShare?: number; bigEvery?: number } = {}): SynthFrame[] {
  const next = prng(opts.seed ?? 1);
  const rng = { next };
  let t = (opts.start ?? 1_700_000_000) * 1e6;
  const step = 1e6 / (opts.rate ?? 1000);
  const out: SynthFrame[] = [];
  for (let i = 0; i < n; i++) {
    t += Math.floor(rng.next() * 2 * step);
    const jitter = rng.next() < 0.02 ? -Math.floor(rng.next() * 5 * step) : 0;
    const us = Math.max(0, t + jitter);
    const kind = rng.next();
    let data: Uint8Array;
    let linkType: number = LINKTYPE.ETHERNET;
    const payload = opts.bigEvery !== undefined && i % opts.bigEvery === 0 ? 1400 : 10 + Math.floor(rng.next() * 80);
    if (kind < 0.05) {
      data = arpFrame(HOSTS4[Math.floor(rng.next() * HOSTS4.length)], HOSTS4[Math.floor(rng.next() * HOSTS4.length)]);
    } else if (kind < 0.15) {
      const a = Math.floor(rng.next() * 2);
      data = ipFrame({ src: HOSTS6[a], dst: HOSTS6[1 - a], sport: 40000 + a, dport: 502, tcp: true, payload, seed: i });
    } else {
      const a = Math.floor(rng.next() * HOSTS4.length);
      let b = Math.floor(rng.next() * HOSTS4.length);
      if (b === a) b = (a + 1) % HOSTS4.length;
      const raw = opts.rawShare !== undefined && rng.next() < opts.rawShare;
      if (raw) linkType = LINKTYPE.RAW;
      data = ipFrame({ src: HOSTS4[a], dst: HOSTS4[b], sport: 1024 + a, dport: [502, 102, 20000, 44818][b % 4], tcp: rng.next() < 0.6, vlan: !raw && rng.next() < 0.2 ? 10 : undefined, raw, payload, seed: i });
    }
    out.push({ tsSec: Math.floor(us / 1e6), tsNsec: (us % 1e6) * 1000, linkType, data });
  }
  return out;
}

/** Classic pcap, little-endian, microseconds; every frame must have `linkType`. */
export function pcapBytes(frames: readonly SynthFrame[], linkType: number = LINKTYPE.ETHERNET): Buffer {
  const parts: Buffer[] = [];
  const h = Buffer.alloc(24);
  h.writeUInt32LE(0xa1b2c3d4, 0);
  h.writeUInt16LE(2, 4);
  h.writeUInt16LE(4, 6);
  h.writeUInt32LE(262144, 16);
  h.writeUInt32LE(linkType, 20);
  parts.push(h);
  for (const f of frames) {
    const r = Buffer.alloc(16);
    r.writeUInt32LE(f.tsSec, 0);
    r.writeUInt32LE(Math.floor(f.tsNsec / 1000), 4);
    r.writeUInt32LE(f.data.length, 8);
    r.writeUInt32LE(f.data.length, 12);
    parts.push(r, Buffer.from(f.data));
  }
  return Buffer.concat(parts);
}

export function writePcapng(path: string, frames: readonly SynthFrame[]): void {
  const w = new PcapngWriter(path, { application: 'lantern evidence test' });
  const ids = new Map<number, number>();
  for (const f of frames) {
    let id = ids.get(f.linkType);
    if (id === undefined) {
      id = w.addInterface(f.linkType, 262144, true);
      ids.set(f.linkType, id);
    }
    w.writePacket(id, f.tsSec, f.tsNsec, f.data, 0, f.data.length, f.data.length);
  }
  w.close();
}

export function writePcap(path: string, frames: readonly SynthFrame[]): void {
  writeFileSync(path, pcapBytes(frames));
}

/** A frame as compared: time, link type and bytes. */
export interface SeenFrame {
  tsSec: number;
  tsNsec: number;
  linkType: number;
  hex: string;
}

function seen(f: Frame): SeenFrame {
  return { tsSec: f.tsSec, tsNsec: f.tsNsec, linkType: f.linkType, hex: Buffer.from(f.buf.subarray(f.offset, f.offset + f.caplen)).toString('hex') };
}

/** What an export must give: every frame of the file in [from, to) that the query matches, in file order. */
export async function bruteForce(path: string, query: EvidenceQuery): Promise<SeenFrame[]> {
  const matcher = new FrameMatcher(query);
  const out: SeenFrame[] = [];
  await readCaptureFile(path, { onFrame: (f) => void (matcher.inWindow(f) && matcher.matches(f) && out.push(seen(f))) }, new AnomalyCounter());
  return out;
}

/** The frames of a pcap or pcapng held in memory. */
export function framesOf(bytes: Uint8Array): SeenFrame[] {
  const out: SeenFrame[] = [];
  const handler = { onFrame: (f: Frame) => void out.push(seen(f)) };
  const pcapng = bytes[0] === 0x0a && bytes[1] === 0x0d;
  const reader = pcapng ? new PcapngReader(handler, new AnomalyCounter()) : new PcapReader(handler, new AnomalyCounter());
  reader.push(bytes);
  reader.end();
  return out;
}

/** A Writable collecting what it is given. */
export class Sink extends Writable {
  readonly chunks: Buffer[] = [];

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.chunks.push(Buffer.from(chunk));
    cb();
  }

  get bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

export function fileFrames(path: string): SeenFrame[] {
  return framesOf(readFileSync(path));
}

// Test helpers of the decode layer (not used by the product): frames from bytes, one-call decoding, the set of
// declared anomaly codes, and a minimal pcap/pcapng reader for smoke tests over the shared corpus.

import { readFileSync } from 'node:fs';
import { AnomalyCounter } from '../common/anomaly.js';
import type { Frame } from '../capture/frame.js';
import { Packet } from './packet.js';
import { Decoder, type DecoderOptions } from './decoder.js';
import { DECODE_ANOMALIES } from './anomalies.js';

export const DECLARED_CODES: ReadonlySet<string> = new Set(DECODE_ANOMALIES.map((d) => d.code));

export interface FrameOptions {
  linkType?: number;
  /** Bytes on the wire; defaults to the byte count (no snap-length cut). */
  origLen?: number;
  tsSec?: number;
  tsNsec?: number;
}

export function frameOf(bytes: Uint8Array, opts: FrameOptions = {}): Frame {
  return {
    buf: bytes,
    offset: 0,
    caplen: bytes.length,
    origLen: opts.origLen ?? bytes.length,
    tsSec: opts.tsSec ?? 1_700_000_000,
    tsNsec: opts.tsNsec ?? 0,
    linkType: opts.linkType ?? 1,
    interfaceId: 0,
    streamOffset: 0,
  };
}

export class Harness {
  readonly anomalies = new AnomalyCounter();
  readonly decoder: Decoder;
  readonly pkt = new Packet();

  constructor(options?: DecoderOptions) {
    this.decoder = new Decoder(this.anomalies, options);
  }

  decode(bytes: Uint8Array, opts: FrameOptions = {}): Packet {
    this.decoder.decode(frameOf(bytes, opts), this.pkt);
    return this.pkt;
  }

  /** Anomaly codes raised so far, with counts. */
  get raised(): Record<string, number> {
    return this.anomalies.toJSON();
  }
}

/** Decodes one frame with a fresh decoder. */
export function decodeOnce(bytes: Uint8Array, opts: FrameOptions = {}): { pkt: Packet; raised: Record<string, number>; h: Harness } {
  const h = new Harness();
  const pkt = h.decode(bytes, opts);
  return { pkt, raised: h.raised, h };
}

/** Codes raised that no catalogue declares. */
export function undeclared(anomalies: AnomalyCounter): string[] {
  return Object.keys(anomalies.toJSON()).filter((c) => !DECLARED_CODES.has(c));
}

/**
 * Calls onFrame for every packet record of a classic pcap or pcapng file (either byte order). Just enough format
 * for smoke tests: unknown blocks are skipped, a damaged file stops the walk.
 */
export function readCaptureFile(path: string, onFrame: (frame: Frame) => void): void {
  const b = readFileSync(path);
  const buf = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const frame = frameOf(buf);
  if (buf.length < 24) return;
  const magic = dv.getUint32(0, false);
  if (magic === 0x0a0d0d0a) {
    readPcapng(buf, dv, frame, onFrame);
    return;
  }
  let le: boolean;
  let nanos: boolean;
  if (magic === 0xa1b2c3d4 || magic === 0xa1b23c4d) [le, nanos] = [false, magic === 0xa1b23c4d];
  else if (magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1) [le, nanos] = [true, magic === 0x4d3cb2a1];
  else return;
  frame.linkType = dv.getUint32(20, le) & 0xffff;
  for (let o = 24; o + 16 <= buf.length; ) {
    const caplen = dv.getUint32(o + 8, le);
    if (o + 16 + caplen > buf.length) return;
    frame.tsSec = dv.getUint32(o, le);
    frame.tsNsec = nanos ? dv.getUint32(o + 4, le) : dv.getUint32(o + 4, le) * 1000;
    frame.caplen = caplen;
    frame.origLen = dv.getUint32(o + 12, le);
    frame.offset = o + 16;
    onFrame(frame);
    o += 16 + caplen;
  }
}

function readPcapng(buf: Uint8Array, dv: DataView, frame: Frame, onFrame: (frame: Frame) => void): void {
  let le = true;
  let linkTypes: number[] = [];
  for (let o = 0; o + 12 <= buf.length; ) {
    let type = dv.getUint32(o, le);
    if (type === 0x0a0d0d0a) {
      le = dv.getUint32(o + 8, true) === 0x1a2b3c4d;
      type = 0x0a0d0d0a;
      linkTypes = [];
    }
    const length = dv.getUint32(o + 4, le);
    if (length < 12 || o + length > buf.length) return;
    if (type === 1) {
      linkTypes.push(dv.getUint16(o + 8, le));
    } else if (type === 6) {
      const iface = dv.getUint32(o + 8, le);
      const ts = dv.getUint32(o + 12, le) * 4294967296 + dv.getUint32(o + 16, le);
      frame.linkType = linkTypes[iface] ?? -1;
      frame.tsSec = Math.floor(ts / 1e6);
      frame.tsNsec = (ts % 1e6) * 1000;
      frame.caplen = Math.min(dv.getUint32(o + 20, le), length - 32);
      frame.origLen = dv.getUint32(o + 24, le);
      frame.offset = o + 28;
      onFrame(frame);
    } else if (type === 3) {
      frame.linkType = linkTypes[0] ?? -1;
      frame.origLen = dv.getUint32(o + 8, le);
      frame.caplen = Math.min(frame.origLen, length - 16);
      frame.offset = o + 12;
      onFrame(frame);
    }
    o += length;
  }
}

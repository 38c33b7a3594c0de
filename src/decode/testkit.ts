// Test helpers of the decode layer (not used by the product): frames from bytes, one-call decoding, the set of
// declared anomaly codes.

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


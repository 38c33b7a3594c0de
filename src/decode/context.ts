// State shared by the layer decoders of one Decoder: where anomalies and counters go, the fragment reassembler, and
// per-frame flags.

import type { AnomalyCounter } from '../common/anomaly.js';
import type { DecodeCounters } from './counters.js';
import type { FragmentReassembler } from './ip-fragments.js';
import type { Packet } from './packet.js';

export class DecodeContext {
  /** Set when a header of this frame was cut short (a `*.truncated` anomaly); reset per frame. */
  headerCut = false;

  constructor(
    readonly anomalies: AnomalyCounter,
    readonly counters: DecodeCounters,
    readonly fragments: FragmentReassembler,
  ) {}

  /** Records a `*.truncated` anomaly. */
  truncated(code: string): void {
    this.headerCut = true;
    this.anomalies.add(code);
  }
}

/** True when bytes up to `end` of pkt.buf are missing only because the capture's snap length cut the frame there. */
export function cutByCapture(pkt: Packet, buf: Uint8Array, end: number): boolean {
  return buf === pkt.buf && end >= pkt.frameEnd && pkt.caplen < pkt.wireLen;
}

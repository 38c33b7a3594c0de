// The decode entry point: one frame from a capture reader in, the reused Packet filled from L2 to L4 out.

import type { AnomalyCounter } from '../common/anomaly.js';
import type { Frame } from '../capture/frame.js';
import { L3, type Packet } from './packet.js';
import { DecodeCounters } from './counters.js';
import { DecodeContext } from './context.js';
import { LINK } from './anomalies.js';
import { LINK_DECODERS, type LinkDecoder } from './link.js';
import {
  DEFAULT_FRAGMENT_TIMEOUT_SEC,
  DEFAULT_MAX_FRAGMENT_BYTES,
  DEFAULT_MAX_FRAGMENT_DATAGRAMS,
  FragmentReassembler,
} from './ip-fragments.js';

export { DecodeCounters } from './counters.js';
export { ipSrcString, ipDstString, macString } from './format.js';

export interface DecoderOptions {
  /** Capture-time seconds an incomplete datagram is kept (default 30). */
  fragmentTimeoutSec?: number;
  /** Datagrams under reassembly at once (default 4096). */
  maxFragmentDatagrams?: number;
  /** Bytes held for reassembly in total (default 16 MiB). */
  maxFragmentBytes?: number;
}

export class Decoder {
  readonly counters = new DecodeCounters();
  private readonly ctx: DecodeContext;
  private readonly fragments: FragmentReassembler;
  private lastLinkType = -1;
  private linkDecoder: LinkDecoder | undefined = undefined;

  constructor(
    private readonly anomalies: AnomalyCounter,
    options: DecoderOptions = {},
  ) {
    this.fragments = new FragmentReassembler(anomalies, this.counters, {
      timeoutSec: options.fragmentTimeoutSec ?? DEFAULT_FRAGMENT_TIMEOUT_SEC,
      maxDatagrams: Math.max(1, options.maxFragmentDatagrams ?? DEFAULT_MAX_FRAGMENT_DATAGRAMS),
      maxBytes: Math.max(0, options.maxFragmentBytes ?? DEFAULT_MAX_FRAGMENT_BYTES),
    });
    this.ctx = new DecodeContext(anomalies, this.counters, this.fragments);
  }

  /** Resets pkt and fills it from `frame`; pkt's buffers borrow frame.buf (and a reassembled datagram). Never throws. */
  decode(frame: Frame, pkt: Packet): void {
    pkt.reset();
    const buf = frame.buf;
    let off = frame.offset;
    let end = off + frame.caplen;
    if (!(off >= 0 && frame.caplen >= 0 && end <= buf.length)) {
      this.anomalies.add(LINK.codes.bad_caplen);
      off = Math.min(Math.max(0, off | 0), buf.length);
      end = Math.min(Math.max(off, end | 0), buf.length);
    }
    pkt.tsSec = frame.tsSec;
    pkt.tsNsec = frame.tsNsec;
    pkt.ts = frame.tsSec + frame.tsNsec / 1e9;
    pkt.linkType = frame.linkType;
    pkt.caplen = end - off;
    pkt.wireLen = frame.origLen;
    pkt.buf = buf;
    pkt.frameOff = off;
    pkt.frameEnd = end;
    this.counters.frames++;

    const linkType = frame.linkType;
    this.counters.countLinkType(linkType);
    if (linkType !== this.lastLinkType) {
      this.lastLinkType = linkType;
      this.linkDecoder = LINK_DECODERS.get(linkType);
    }
    const decodeLink = this.linkDecoder;
    if (decodeLink === undefined) {
      const unsupported = this.counters.unsupportedLink;
      unsupported.set(linkType, (unsupported.get(linkType) ?? 0) + 1);
      this.anomalies.add(LINK.codes.unsupported);
      return;
    }
    const ctx = this.ctx;
    ctx.headerCut = false;
    decodeLink(ctx, pkt, off, end);
    // IP decoders flag a cut payload themselves; for other frames, whole headers plus a snapped frame means a cut.
    // A cut header is a `*.truncated` anomaly instead.
    if (ctx.headerCut) pkt.payloadCut = false;
    else if (pkt.l3 === L3.NONE && pkt.caplen < pkt.wireLen) pkt.payloadCut = true;
    if (pkt.payloadCut) this.counters.payloadCut++;
  }

  /** Capture time moved on: expire fragment state older than the timeout. */
  expire(nowSec: number): void {
    this.fragments.expire(nowSec);
  }
}

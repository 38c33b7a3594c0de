// TCP header (RFC 9293 §3.1): ports, seq/ack as uint32, data offset, flags, window, options walked within the header.

import { IPPROTO, type Packet } from './packet.js';
import type { DecodeContext } from './context.js';
import { TCP } from './anomalies.js';

export const TCP_MIN_HEADER_LENGTH = 20;

const OPT_EOL = 0;
const OPT_NOP = 1;
const OPT_MSS = 2;
const OPT_WINDOW_SCALE = 3;
const OPT_SACK_PERMITTED = 4;
const OPT_SACK = 5;
const OPT_TIMESTAMPS = 8;

/** Decodes the segment buf[off, end); `wireEnd` is where the IP header says it ends (> end when cut by capture). */
export function decodeTcp(ctx: DecodeContext, pkt: Packet, buf: Uint8Array, off: number, end: number, wireEnd: number): void {
  if (end - off < TCP_MIN_HEADER_LENGTH) {
    ctx.truncated(TCP.codes.truncated);
    return;
  }
  ctx.counters.tcp++;
  pkt.l4 = IPPROTO.TCP;
  const srcPort = (buf[off] << 8) | buf[off + 1];
  const dstPort = (buf[off + 2] << 8) | buf[off + 3];
  pkt.srcPort = srcPort;
  pkt.dstPort = dstPort;
  pkt.seq = ((buf[off + 4] << 24) | (buf[off + 5] << 16) | (buf[off + 6] << 8) | buf[off + 7]) >>> 0;
  pkt.ack = ((buf[off + 8] << 24) | (buf[off + 9] << 16) | (buf[off + 10] << 8) | buf[off + 11]) >>> 0;
  const headerLength = (buf[off + 12] >> 4) << 2;
  const flags = buf[off + 13];
  pkt.tcpFlags = flags;
  pkt.window = (buf[off + 14] << 8) | buf[off + 15];
  if (srcPort === 0 || dstPort === 0) ctx.anomalies.add(TCP.codes.port_zero);
  if ((flags & 0x03) === 0x03 || (flags & 0x06) === 0x06 || (flags & 0x05) === 0x05 || (flags & 0x3f) === 0) {
    ctx.anomalies.add(TCP.codes.bad_flags);
  }
  // Until the header is known whole, the segment carries no payload we can trust.
  pkt.payloadOff = end;
  pkt.payloadEnd = end;
  if (headerLength < TCP_MIN_HEADER_LENGTH) {
    ctx.anomalies.add(TCP.codes.bad_header_length);
    return;
  }
  const headerEnd = off + headerLength;
  if (headerEnd > end) {
    if (headerEnd > wireEnd) ctx.anomalies.add(TCP.codes.bad_header_length);
    else ctx.truncated(TCP.codes.truncated);
    return;
  }
  if (headerLength > TCP_MIN_HEADER_LENGTH) walkOptions(ctx, pkt, buf, off + TCP_MIN_HEADER_LENGTH, headerEnd);
  pkt.payloadOff = headerEnd;
  pkt.payloadWireLength = wireEnd - headerEnd;
}

function walkOptions(ctx: DecodeContext, pkt: Packet, buf: Uint8Array, off: number, end: number): void {
  let o = off;
  while (o < end) {
    const kind = buf[o];
    if (kind === OPT_EOL) return;
    if (kind === OPT_NOP) {
      o++;
      continue;
    }
    const length = o + 1 < end ? buf[o + 1] : 0;
    if (length < 2 || o + length > end) {
      ctx.anomalies.add(TCP.codes.bad_option);
      return;
    }
    switch (kind) {
      case OPT_MSS:
        if (length !== 4) return badOption(ctx);
        pkt.tcpMss = (buf[o + 2] << 8) | buf[o + 3];
        break;
      case OPT_WINDOW_SCALE:
        if (length !== 3) return badOption(ctx);
        pkt.tcpWindowScale = buf[o + 2];
        break;
      case OPT_SACK_PERMITTED:
        if (length !== 2) return badOption(ctx);
        pkt.tcpSackPermitted = true;
        break;
      case OPT_SACK:
        if (length < 10 || (length - 2) % 8 !== 0) return badOption(ctx);
        break;
      case OPT_TIMESTAMPS:
        if (length !== 10) return badOption(ctx);
        break;
    }
    o += length;
  }
}

function badOption(ctx: DecodeContext): void {
  ctx.anomalies.add(TCP.codes.bad_option);
}

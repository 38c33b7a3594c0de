// UDP header (RFC 768): ports and the length field, which bounds the payload.

import { IPPROTO, type Packet } from './packet.js';
import type { DecodeContext } from './context.js';
import { UDP } from './anomalies.js';

export const UDP_HEADER_LENGTH = 8;

/** Decodes the datagram buf[off, end); `wireEnd` is where the IP header says it ends (> end when cut by capture). */
export function decodeUdp(ctx: DecodeContext, pkt: Packet, buf: Uint8Array, off: number, end: number, wireEnd: number): void {
  if (end - off < UDP_HEADER_LENGTH) {
    ctx.truncated(UDP.codes.truncated);
    return;
  }
  ctx.counters.udp++;
  pkt.l4 = IPPROTO.UDP;
  const srcPort = (buf[off] << 8) | buf[off + 1];
  const dstPort = (buf[off + 2] << 8) | buf[off + 3];
  pkt.srcPort = srcPort;
  pkt.dstPort = dstPort;
  if (srcPort === 0 || dstPort === 0) ctx.anomalies.add(UDP.codes.port_zero);
  const length = (buf[off + 4] << 8) | buf[off + 5];
  const payloadOff = off + UDP_HEADER_LENGTH;
  pkt.payloadOff = payloadOff;
  let payloadWireEnd = wireEnd;
  if (length < UDP_HEADER_LENGTH || off + length > wireEnd) {
    ctx.anomalies.add(UDP.codes.bad_length);
  } else if (off + length < wireEnd) {
    ctx.anomalies.add(UDP.codes.length_mismatch);
    payloadWireEnd = off + length;
  }
  pkt.payloadEnd = payloadWireEnd < end ? payloadWireEnd : end;
  pkt.payloadWireLength = payloadWireEnd - payloadOff;
}

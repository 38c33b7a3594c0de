// ICMP (RFC 792) and ICMPv6 (RFC 4443) headers: type and code; the rest of the message is left as payload.

import { IPPROTO, type Packet } from './packet.js';
import type { DecodeContext } from './context.js';
import { ICMP } from './anomalies.js';

export const ICMP_HEADER_LENGTH = 8;

export function decodeIcmp(ctx: DecodeContext, pkt: Packet, buf: Uint8Array, off: number, end: number, wireEnd: number, v6: boolean): void {
  if (end - off < ICMP_HEADER_LENGTH) {
    ctx.truncated(ICMP.codes.truncated);
    return;
  }
  if (v6) {
    ctx.counters.icmpv6++;
    pkt.l4 = IPPROTO.IPV6_ICMP;
  } else {
    ctx.counters.icmp++;
    pkt.l4 = IPPROTO.ICMP;
  }
  pkt.icmpType = buf[off];
  pkt.icmpCode = buf[off + 1];
  pkt.payloadOff = off + ICMP_HEADER_LENGTH;
  pkt.payloadEnd = end;
  pkt.payloadWireLength = wireEnd - pkt.payloadOff;
}

// Dispatch from an IP protocol number to the transport decoders (TCP, UDP, ICMP, ICMPv6); others keep their payload.

import { IPPROTO, type Packet } from './packet.js';
import type { DecodeContext } from './context.js';
import { ICMP } from './anomalies.js';
import { decodeTcp } from './tcp.js';
import { decodeUdp } from './udp.js';
import { decodeIcmp } from './icmp.js';

/** Decodes the L4 data buf[off, end) of protocol `proto`; `wireEnd` is where the IP header says it ends. */
export function decodeL4(ctx: DecodeContext, pkt: Packet, proto: number, buf: Uint8Array, off: number, end: number, wireEnd: number, v6: boolean): void {
  pkt.ipProto = proto;
  pkt.l4Buf = buf;
  pkt.l4Off = off;
  switch (proto) {
    case IPPROTO.TCP:
      decodeTcp(ctx, pkt, buf, off, end, wireEnd);
      return;
    case IPPROTO.UDP:
      decodeUdp(ctx, pkt, buf, off, end, wireEnd);
      return;
    case IPPROTO.ICMP:
      if (v6) ctx.anomalies.add(ICMP.codes.icmpv4_over_ipv6);
      decodeIcmp(ctx, pkt, buf, off, end, wireEnd, false);
      return;
    case IPPROTO.IPV6_ICMP:
      if (!v6) ctx.anomalies.add(ICMP.codes.icmpv6_over_ipv4);
      decodeIcmp(ctx, pkt, buf, off, end, wireEnd, true);
      return;
    default:
      ctx.counters.otherIpProto++;
      pkt.payloadOff = off;
      pkt.payloadEnd = end;
      pkt.payloadWireLength = wireEnd - off;
  }
}

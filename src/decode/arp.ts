// ARP (RFC 826) and RARP (RFC 903): opcode, and sender/target MAC and IPv4 addresses for the Ethernet/IPv4 form.

import { L3, type Packet } from './packet.js';
import type { DecodeContext } from './context.js';
import { ARP } from './anomalies.js';

export const ARP_FIXED_LENGTH = 8;
/** Fixed part plus two Ethernet MACs and two IPv4 addresses. */
export const ARP_ETHERNET_IPV4_LENGTH = 28;
const HTYPE_ETHERNET = 1;
const HTYPE_IEEE802 = 6;
const PTYPE_IPV4 = 0x0800;
const MAX_OPCODE = 25;

export function decodeArp(ctx: DecodeContext, pkt: Packet, off: number, end: number): void {
  const buf = pkt.buf;
  if (end - off < ARP_FIXED_LENGTH) {
    ctx.truncated(ARP.codes.truncated);
    return;
  }
  ctx.counters.arp++;
  pkt.l3 = L3.ARP;
  const htype = (buf[off] << 8) | buf[off + 1];
  const ptype = (buf[off + 2] << 8) | buf[off + 3];
  const hlen = buf[off + 4];
  const plen = buf[off + 5];
  const op = (buf[off + 6] << 8) | buf[off + 7];
  pkt.arpOp = op;
  if (op === 0 || op > MAX_OPCODE) ctx.anomalies.add(ARP.codes.bad_opcode);
  if (end - off < ARP_FIXED_LENGTH + 2 * (hlen + plen)) {
    ctx.truncated(ARP.codes.truncated);
    return;
  }
  if ((htype !== HTYPE_ETHERNET && htype !== HTYPE_IEEE802) || ptype !== PTYPE_IPV4 || hlen !== 6 || plen !== 4) {
    ctx.anomalies.add(ARP.codes.unsupported_format);
    return;
  }
  pkt.arpSenderMacOff = off + 8;
  pkt.arpSenderIp = ((buf[off + 14] << 24) | (buf[off + 15] << 16) | (buf[off + 16] << 8) | buf[off + 17]) >>> 0;
  pkt.arpTargetMacOff = off + 18;
  pkt.arpTargetIp = ((buf[off + 24] << 24) | (buf[off + 25] << 16) | (buf[off + 26] << 8) | buf[off + 27]) >>> 0;
}

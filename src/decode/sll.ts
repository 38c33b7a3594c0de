// Linux cooked capture headers: SLL (LINKTYPE_LINUX_SLL, 16 bytes) and SLL2 (LINKTYPE_LINUX_SLL2, 20 bytes),
// as documented at tcpdump.org/linktypes; the protocol field is an EtherType or a Linux ETH_P_* value below 0x0600.

import type { Packet } from './packet.js';
import type { DecodeContext } from './context.js';
import { SLL } from './anomalies.js';
import { ETHERTYPE_MIN } from './ethertypes.js';
import { decodeEtherType, decodeLlc } from './ethernet.js';
import { countL2, etherTypeName } from './l2-registry.js';

export const SLL_HEADER_LENGTH = 16;
export const SLL2_HEADER_LENGTH = 20;
const ARPHRD_ETHER = 1;
const ARPHRD_NETLINK = 824;
const SLL_ADDRESS_FIELD = 8;
const ETH_P_802_3 = 0x0001;
const ETH_P_802_2 = 0x0004;
const ETH_P_CAN = 0x000c;
const ETH_P_CANFD = 0x000d;

export function decodeSll(ctx: DecodeContext, pkt: Packet, off: number, end: number): void {
  if (end - off < SLL_HEADER_LENGTH) {
    ctx.truncated(SLL.codes.truncated);
    return;
  }
  const buf = pkt.buf;
  const arphrd = (buf[off + 2] << 8) | buf[off + 3];
  const addressLength = (buf[off + 4] << 8) | buf[off + 5];
  const protocol = (buf[off + 14] << 8) | buf[off + 15];
  decodeCooked(ctx, pkt, arphrd, addressLength, off + 6, protocol, off + SLL_HEADER_LENGTH, end);
}

export function decodeSll2(ctx: DecodeContext, pkt: Packet, off: number, end: number): void {
  if (end - off < SLL2_HEADER_LENGTH) {
    ctx.truncated(SLL.codes.truncated);
    return;
  }
  const buf = pkt.buf;
  const protocol = (buf[off] << 8) | buf[off + 1];
  const arphrd = (buf[off + 8] << 8) | buf[off + 9];
  const addressLength = buf[off + 11];
  decodeCooked(ctx, pkt, arphrd, addressLength, off + 12, protocol, off + SLL2_HEADER_LENGTH, end);
}

function decodeCooked(ctx: DecodeContext, pkt: Packet, arphrd: number, addressLength: number, addressOff: number, protocol: number, off: number, end: number): void {
  ctx.counters.sll++;
  if (addressLength > SLL_ADDRESS_FIELD) ctx.anomalies.add(SLL.codes.bad_address_length);
  else if (addressLength === 6 && arphrd === ARPHRD_ETHER) pkt.srcMacOff = addressOff;
  if (arphrd === ARPHRD_NETLINK) {
    countL2(ctx, 'netlink');
    return;
  }
  if (protocol >= ETHERTYPE_MIN) {
    decodeEtherType(ctx, pkt, protocol, off, end);
    return;
  }
  switch (protocol) {
    case ETH_P_802_2:
      decodeLlc(ctx, pkt, -1, off, end);
      return;
    case ETH_P_802_3:
      pkt.l2PayloadOff = off;
      pkt.l2PayloadEnd = end;
      countL2(ctx, 'ipx');
      return;
    case ETH_P_CAN:
    case ETH_P_CANFD:
      countL2(ctx, 'can');
      return;
    default:
      countL2(ctx, etherTypeName(protocol));
  }
}

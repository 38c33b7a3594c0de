// Ethernet II and IEEE 802.3 framing (the 0x0600 type/length rule), 802.2 LLC and SNAP, stacked VLAN tags (802.1Q,
// 802.1ad, pre-standard QinQ 0x9100), HSR tags (IEC 62439-3), then dispatch by EtherType.

import type { Packet } from './packet.js';
import { cutByCapture, type DecodeContext } from './context.js';
import { ETH, LLC, VLAN } from './anomalies.js';
import { ETHERTYPE, ETHERTYPE_MIN, IEEE_802_3_MAX_LENGTH, SNAP_OUI_BRIDGE_TUNNEL, SNAP_OUI_ETHERTYPE } from './ethertypes.js';
import { countL2, dispatchL2, llcSapName, snapName } from './l2-registry.js';
import { decodeIpv4 } from './ipv4.js';
import { decodeIpv6 } from './ipv6.js';
import { decodeArp } from './arp.js';

export const ETHERNET_HEADER_LENGTH = 14;
/** Stacked VLAN/HSR tags followed before giving up. */
export const MAX_TAGS = 8;
const VLAN_TAG_LENGTH = 4;
const HSR_TAG_LENGTH = 6;
const LLC_SAP_SNAP = 0xaa;
const LLC_CONTROL_UI = 0x03;
const SNAP_HEADER_LENGTH = 5;

export function decodeEthernet(ctx: DecodeContext, pkt: Packet, off: number, end: number): void {
  if (end - off < ETHERNET_HEADER_LENGTH) {
    ctx.truncated(ETH.codes.truncated);
    return;
  }
  ctx.counters.ethernet++;
  pkt.dstMacOff = off;
  pkt.srcMacOff = off + 6;
  const buf = pkt.buf;
  decodeEtherType(ctx, pkt, (buf[off + 12] << 8) | buf[off + 13], off + ETHERNET_HEADER_LENGTH, end);
}

/**
 * Decodes what follows a type/length field of value `type` at pkt.buf[off, end): tags, then 802.3 + LLC when
 * `type` is a length, else the EtherType's protocol.
 */
export function decodeEtherType(ctx: DecodeContext, pkt: Packet, type: number, off: number, end: number): void {
  const buf = pkt.buf;
  for (let tags = 0; type === ETHERTYPE.VLAN || type === ETHERTYPE.QINQ || type === ETHERTYPE.QINQ_OLD || type === ETHERTYPE.HSR; tags++) {
    if (tags >= MAX_TAGS) {
      ctx.anomalies.add(VLAN.codes.too_many_tags);
      return;
    }
    if (type === ETHERTYPE.HSR) {
      if (end - off < HSR_TAG_LENGTH) {
        ctx.truncated(VLAN.codes.truncated);
        return;
      }
      countL2(ctx, 'hsr');
      type = (buf[off + 4] << 8) | buf[off + 5];
      off += HSR_TAG_LENGTH;
      continue;
    }
    if (end - off < VLAN_TAG_LENGTH) {
      ctx.truncated(VLAN.codes.truncated);
      return;
    }
    const vid = ((buf[off] << 8) | buf[off + 1]) & 0x0fff;
    if (pkt.vlanCount === 0) {
      pkt.vlanOuter = vid;
      ctx.counters.vlanTagged++;
    } else if (pkt.vlanCount === 1) {
      pkt.vlanInner = vid;
    }
    pkt.vlanCount++;
    type = (buf[off + 2] << 8) | buf[off + 3];
    off += VLAN_TAG_LENGTH;
  }
  if (type <= IEEE_802_3_MAX_LENGTH) {
    decodeLlc(ctx, pkt, type, off, end);
    return;
  }
  if (type < ETHERTYPE_MIN) {
    ctx.anomalies.add(ETH.codes.bad_type_length);
    return;
  }
  pkt.etherType = type;
  pkt.l2PayloadOff = off;
  pkt.l2PayloadEnd = end;
  switch (type) {
    case ETHERTYPE.IPV4:
      decodeIpv4(ctx, pkt, off, end);
      return;
    case ETHERTYPE.IPV6:
      decodeIpv6(ctx, pkt, off, end);
      return;
    case ETHERTYPE.ARP:
    case ETHERTYPE.RARP:
      decodeArp(ctx, pkt, off, end);
      return;
    default:
      dispatchL2(ctx, pkt, type);
  }
}

/**
 * 802.3 payload of `length` bytes at pkt.buf[off, end): 802.2 LLC, then SNAP when DSAP = SSAP = 0xAA. `length` -1:
 * no length field (Linux cooked capture), the LLC data runs to `end`.
 */
export function decodeLlc(ctx: DecodeContext, pkt: Packet, length: number, off: number, end: number): void {
  const buf = pkt.buf;
  let llcEnd = length < 0 ? end : off + length;
  if (llcEnd > end) {
    if (!cutByCapture(pkt, buf, end)) ctx.anomalies.add(ETH.codes.length_exceeds_frame);
    llcEnd = end;
  }
  if (pkt.llcDsap >= 0) {
    ctx.anomalies.add(LLC.codes.nested);
    return;
  }
  // Novell "raw" 802.3: IPX straight after the length, its checksum field always 0xFFFF.
  if (llcEnd - off >= 2 && buf[off] === 0xff && buf[off + 1] === 0xff) {
    pkt.l2PayloadOff = off;
    pkt.l2PayloadEnd = llcEnd;
    countL2(ctx, 'ipx');
    return;
  }
  if (llcEnd - off < 3) {
    llcShort(ctx, length, 3);
    return;
  }
  const dsap = buf[off];
  const ssap = buf[off + 1];
  let control = buf[off + 2];
  let headerLength = 3;
  // I- and S-format PDUs carry a 2-byte control field; U-format (low bits 11) one byte.
  if ((control & 0x03) !== 0x03) {
    if (llcEnd - off < 4) {
      llcShort(ctx, length, 4);
      return;
    }
    control |= buf[off + 3] << 8;
    headerLength = 4;
  }
  ctx.counters.llc++;
  pkt.llcDsap = dsap;
  pkt.llcSsap = ssap;
  pkt.llcControl = control;
  const payloadOff = off + headerLength;
  if (dsap === LLC_SAP_SNAP && (ssap & 0xfe) === LLC_SAP_SNAP && control === LLC_CONTROL_UI) {
    if (llcEnd - payloadOff < SNAP_HEADER_LENGTH) {
      llcShort(ctx, length, headerLength + SNAP_HEADER_LENGTH);
      return;
    }
    const oui = (buf[payloadOff] << 16) | (buf[payloadOff + 1] << 8) | buf[payloadOff + 2];
    const pid = (buf[payloadOff + 3] << 8) | buf[payloadOff + 4];
    pkt.snapOui = oui;
    pkt.snapPid = pid;
    if (oui === SNAP_OUI_ETHERTYPE || oui === SNAP_OUI_BRIDGE_TUNNEL) {
      decodeEtherType(ctx, pkt, pid, payloadOff + SNAP_HEADER_LENGTH, llcEnd);
      return;
    }
    pkt.l2PayloadOff = payloadOff + SNAP_HEADER_LENGTH;
    pkt.l2PayloadEnd = llcEnd;
    countL2(ctx, snapName(oui, pid));
    return;
  }
  pkt.l2PayloadOff = payloadOff;
  pkt.l2PayloadEnd = llcEnd;
  countL2(ctx, llcSapName(dsap));
}

/** The LLC/SNAP header needs `need` bytes: the 802.3 length said fewer, or the frame ended first. */
function llcShort(ctx: DecodeContext, length: number, need: number): void {
  if (length >= 0 && length < need) ctx.anomalies.add(ETH.codes.length_too_short);
  else ctx.truncated(LLC.codes.truncated);
}

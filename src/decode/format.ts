// Text forms of a packet's addresses for logs and events (never used on the per-frame hot path): IPs through
// common/ip.ts, MACs colon-separated lowercase.

import { ipv4String, ipv6String } from '../common/ip.js';
import { L3, type Packet } from './packet.js';

export function macString(buf: Uint8Array, off: number): string {
  if (off < 0 || off + 6 > buf.length) return '';
  let s = '';
  for (let i = 0; i < 6; i++) {
    if (i > 0) s += ':';
    s += buf[off + i].toString(16).padStart(2, '0');
  }
  return s;
}

/** Source IP of the packet's IPv4/IPv6 header, or '' when it has none. */
export function ipSrcString(pkt: Packet): string {
  if (pkt.l3 === L3.IPV4) return ipv4String(pkt.src4);
  if (pkt.l3 === L3.IPV6) return ipv6String(pkt.addrBuf, pkt.src6Off);
  return '';
}

export function ipDstString(pkt: Packet): string {
  if (pkt.l3 === L3.IPV4) return ipv4String(pkt.dst4);
  if (pkt.l3 === L3.IPV6) return ipv6String(pkt.addrBuf, pkt.dst6Off);
  return '';
}

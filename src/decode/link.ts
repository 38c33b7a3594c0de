// Link-layer dispatch: the table from LINKTYPE_* number (tcpdump.org/linktypes.html) to the decoder of that header.

import type { Packet } from './packet.js';
import type { DecodeContext } from './context.js';
import { LINK } from './anomalies.js';
import { LINKTYPE } from '../common/link-types.js';
import { decodeEthernet } from './ethernet.js';
import { decodeSll, decodeSll2 } from './sll.js';
import { decodeIpv4 } from './ipv4.js';
import { decodeIpv6 } from './ipv6.js';

/** Decodes the frame at pkt.buf[off, end) from its link-layer header down. */
export type LinkDecoder = (ctx: DecodeContext, pkt: Packet, off: number, end: number) => void;

const LOOPBACK_HEADER_LENGTH = 4;
const AF_INET = 2;
// AF_INET6 differs per BSD: 24 (NetBSD, OpenBSD, BSD/OS), 28 (FreeBSD, DragonFly), 30 (macOS, Darwin).
const AF_INET6_BSD = 24;
const AF_INET6_FREEBSD = 28;
const AF_INET6_DARWIN = 30;

function isKnownFamily(family: number): boolean {
  return family === AF_INET || family === AF_INET6_BSD || family === AF_INET6_FREEBSD || family === AF_INET6_DARWIN;
}

function decodeFamily(ctx: DecodeContext, pkt: Packet, family: number, off: number, end: number): void {
  ctx.counters.loopback++;
  if (family === AF_INET) decodeIpv4(ctx, pkt, off, end);
  else decodeIpv6(ctx, pkt, off, end);
}

/** DLT_NULL: a 4-byte address family in the byte order of the machine that captured, so both orders are accepted. */
function decodeNull(ctx: DecodeContext, pkt: Packet, off: number, end: number): void {
  if (end - off < LOOPBACK_HEADER_LENGTH) {
    ctx.truncated(LINK.codes.truncated);
    return;
  }
  const b = pkt.buf;
  const little = (b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (b[off + 3] << 24)) >>> 0;
  const big = ((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0;
  const family = isKnownFamily(little) ? little : big;
  if (!isKnownFamily(family)) {
    ctx.anomalies.add(LINK.codes.unknown_family);
    return;
  }
  decodeFamily(ctx, pkt, family, off + LOOPBACK_HEADER_LENGTH, end);
}

/** LINKTYPE_LOOP (OpenBSD): the same 4-byte family, always in network byte order. */
function decodeLoop(ctx: DecodeContext, pkt: Packet, off: number, end: number): void {
  if (end - off < LOOPBACK_HEADER_LENGTH) {
    ctx.truncated(LINK.codes.truncated);
    return;
  }
  const b = pkt.buf;
  const family = ((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0;
  if (!isKnownFamily(family)) {
    ctx.anomalies.add(LINK.codes.unknown_family);
    return;
  }
  decodeFamily(ctx, pkt, family, off + LOOPBACK_HEADER_LENGTH, end);
}

/** LINKTYPE_RAW: IPv4 or IPv6, told apart by the version nibble. */
function decodeRaw(ctx: DecodeContext, pkt: Packet, off: number, end: number): void {
  if (end <= off) {
    ctx.truncated(LINK.codes.truncated);
    return;
  }
  ctx.counters.rawIp++;
  const version = pkt.buf[off] >> 4;
  if (version === 4) decodeIpv4(ctx, pkt, off, end);
  else if (version === 6) decodeIpv6(ctx, pkt, off, end);
  else ctx.anomalies.add(LINK.codes.unknown_ip_version);
}

function decodeRawIpv4(ctx: DecodeContext, pkt: Packet, off: number, end: number): void {
  ctx.counters.rawIp++;
  decodeIpv4(ctx, pkt, off, end);
}

function decodeRawIpv6(ctx: DecodeContext, pkt: Packet, off: number, end: number): void {
  ctx.counters.rawIp++;
  decodeIpv6(ctx, pkt, off, end);
}

export const LINK_DECODERS: ReadonlyMap<number, LinkDecoder> = new Map<number, LinkDecoder>([
  [LINKTYPE.NULL, decodeNull],
  [LINKTYPE.ETHERNET, decodeEthernet],
  [LINKTYPE.RAW, decodeRaw],
  [LINKTYPE.LOOP, decodeLoop],
  [LINKTYPE.LINUX_SLL, decodeSll],
  [LINKTYPE.IPV4, decodeRawIpv4],
  [LINKTYPE.IPV6, decodeRawIpv6],
  [LINKTYPE.LINUX_SLL2, decodeSll2],
]);

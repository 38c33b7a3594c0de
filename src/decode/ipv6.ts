// IPv6 header (RFC 8200 §3) and its extension-header chain (§4: hop-by-hop, routing, fragment, destination options,
// AH (RFC 4302), mobility, HIP, shim6); ESP and "no next header" end the chain; fragments go to reassembly.

import { L3, type Packet } from './packet.js';
import { cutByCapture, type DecodeContext } from './context.js';
import { FRAG, IPV6 } from './anomalies.js';
import { decodeL4 } from './l4.js';

export const IPV6_HEADER_LENGTH = 40;
/** Extension headers followed in one chain before giving up. */
export const MAX_EXTENSION_HEADERS = 10;

const NH_HOP_BY_HOP = 0;
const NH_ROUTING = 43;
const NH_FRAGMENT = 44;
const NH_ESP = 50;
const NH_AH = 51;
const NH_NONE = 59;
const NH_DEST_OPTIONS = 60;
const NH_MOBILITY = 135;
const NH_HIP = 139;
const NH_SHIM6 = 140;
const FRAGMENT_HEADER_LENGTH = 8;

/** Decodes the IPv6 packet at pkt.buf[off, end). */
export function decodeIpv6(ctx: DecodeContext, pkt: Packet, off: number, end: number): void {
  const buf = pkt.buf;
  if (end - off < IPV6_HEADER_LENGTH) {
    ctx.truncated(IPV6.codes.truncated);
    return;
  }
  if (buf[off] >> 4 !== 6) {
    ctx.anomalies.add(IPV6.codes.bad_version);
    return;
  }
  ctx.counters.ipv6++;
  pkt.l3 = L3.IPV6;
  pkt.addrBuf = buf;
  pkt.src6Off = off + 8;
  pkt.dst6Off = off + 24;
  pkt.ttl = buf[off + 7];
  const payloadLength = (buf[off + 4] << 8) | buf[off + 5];
  const next = buf[off + 6];
  pkt.ipProto = next;
  const dataOff = off + IPV6_HEADER_LENGTH;
  let wireEnd = dataOff + payloadLength;
  if (payloadLength === 0 && end > dataOff && next !== NH_NONE) {
    ctx.anomalies.add(IPV6.codes.zero_payload_length);
    wireEnd = end;
  }
  // Bytes after the payload length are Ethernet padding or trailers: ignored.
  let dataEnd = wireEnd;
  if (wireEnd > end) {
    if (cutByCapture(pkt, buf, end)) {
      pkt.payloadCut = true;
    } else {
      // The frame on the wire was shorter than the header says: believe the frame.
      ctx.anomalies.add(IPV6.codes.payload_length_exceeds_capture);
      wireEnd = end;
    }
    dataEnd = end;
  }
  decodeChain(ctx, pkt, next, buf, dataOff, dataEnd, wireEnd, false);
}

/**
 * Walks the extension headers from buf[off] (header type `next`) to the upper layer. `reassembled`: buf is a
 * reassembled fragmentable part, which may hold no hop-by-hop or fragment header.
 */
function decodeChain(ctx: DecodeContext, pkt: Packet, next: number, buf: Uint8Array, off: number, end: number, wireEnd: number, reassembled: boolean): void {
  let o = off;
  for (let count = 0; ; count++) {
    let length: number;
    switch (next) {
      case NH_HOP_BY_HOP:
      case NH_ROUTING:
      case NH_DEST_OPTIONS:
      case NH_MOBILITY:
      case NH_HIP:
      case NH_SHIM6:
        if (next === NH_HOP_BY_HOP && (count !== 0 || reassembled)) ctx.anomalies.add(IPV6.codes.hop_by_hop_not_first);
        length = o + 2 <= end ? (buf[o + 1] + 1) << 3 : 2;
        break;
      case NH_AH:
        length = o + 2 <= end ? (buf[o + 1] + 2) << 2 : 2;
        break;
      case NH_FRAGMENT:
        length = FRAGMENT_HEADER_LENGTH;
        break;
      case NH_ESP:
      case NH_NONE:
        pkt.ipProto = next;
        pkt.l4Buf = buf;
        pkt.l4Off = o;
        pkt.payloadOff = o;
        pkt.payloadEnd = end;
        pkt.payloadWireLength = wireEnd - o;
        ctx.counters.otherIpProto++;
        return;
      default:
        decodeL4(ctx, pkt, next, buf, o, end, wireEnd, true);
        return;
    }
    if (count >= MAX_EXTENSION_HEADERS) {
      ctx.anomalies.add(IPV6.codes.too_many_extension_headers);
      return;
    }
    if (o + length > end) {
      if (o + length <= wireEnd && cutByCapture(pkt, buf, end)) ctx.truncated(IPV6.codes.truncated);
      else ctx.anomalies.add(IPV6.codes.bad_extension_header);
      return;
    }
    if (next === NH_FRAGMENT) {
      decodeFragment(ctx, pkt, buf, o, end, wireEnd, reassembled);
      return;
    }
    next = buf[o];
    pkt.ipProto = next;
    o += length;
  }
}

function decodeFragment(ctx: DecodeContext, pkt: Packet, buf: Uint8Array, off: number, end: number, wireEnd: number, reassembled: boolean): void {
  const next = buf[off];
  const offsetFlags = (buf[off + 2] << 8) | buf[off + 3];
  const fragmentOffset = offsetFlags & 0xfff8;
  const more = (offsetFlags & 1) !== 0;
  const id = ((buf[off + 4] << 24) | (buf[off + 5] << 16) | (buf[off + 6] << 8) | buf[off + 7]) >>> 0;
  const dataOff = off + FRAGMENT_HEADER_LENGTH;
  pkt.ipId = id;
  pkt.ipProto = next;
  if (reassembled) {
    ctx.anomalies.add(IPV6.codes.second_fragment_header);
    return;
  }
  // An atomic fragment (offset 0, no more fragments) is a whole datagram (RFC 6946).
  if (fragmentOffset === 0 && !more) {
    decodeChain(ctx, pkt, next, buf, dataOff, end, wireEnd, true);
    return;
  }
  ctx.counters.fragments++;
  pkt.fragment = true;
  if (end < wireEnd) {
    ctx.anomalies.add(FRAG.codes.payload_cut);
    return;
  }
  const a = pkt.src6Off;
  const s = pkt.addrBuf;
  const key = String.fromCharCode(
    6,
    (s[a] << 8) | s[a + 1], (s[a + 2] << 8) | s[a + 3], (s[a + 4] << 8) | s[a + 5], (s[a + 6] << 8) | s[a + 7],
    (s[a + 8] << 8) | s[a + 9], (s[a + 10] << 8) | s[a + 11], (s[a + 12] << 8) | s[a + 13], (s[a + 14] << 8) | s[a + 15],
    (s[a + 16] << 8) | s[a + 17], (s[a + 18] << 8) | s[a + 19], (s[a + 20] << 8) | s[a + 21], (s[a + 22] << 8) | s[a + 23],
    (s[a + 24] << 8) | s[a + 25], (s[a + 26] << 8) | s[a + 27], (s[a + 28] << 8) | s[a + 29], (s[a + 30] << 8) | s[a + 31],
    id >>> 16,
    id & 0xffff,
  );
  const datagram = ctx.fragments.add(key, fragmentOffset, more, next, buf, dataOff, end, pkt.ts);
  if (datagram === null) return;
  pkt.fragment = false;
  pkt.reassembled = true;
  decodeChain(ctx, pkt, ctx.fragments.completedProto, datagram, 0, datagram.length, datagram.length, true);
}


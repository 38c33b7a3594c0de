// IPv4 header (RFC 791 §3.1): header and total lengths, options walked within the header, fragments to reassembly.

import { L3, type Packet } from './packet.js';
import { cutByCapture, type DecodeContext } from './context.js';
import { FRAG, IPV4 } from './anomalies.js';
import { decodeL4 } from './l4.js';

export const IPV4_MIN_HEADER_LENGTH = 20;

const OPT_EOL = 0;
const OPT_NOP = 1;
const OPT_LSRR = 0x83;
const OPT_SSRR = 0x89;
const FLAG_RESERVED = 0x8000;
const FLAG_MORE_FRAGMENTS = 0x2000;
const FRAGMENT_OFFSET_MASK = 0x1fff;

/** Decodes the IPv4 packet at pkt.buf[off, end). */
export function decodeIpv4(ctx: DecodeContext, pkt: Packet, off: number, end: number): void {
  const buf = pkt.buf;
  if (end - off < IPV4_MIN_HEADER_LENGTH) {
    ctx.truncated(IPV4.codes.truncated);
    return;
  }
  const versionIhl = buf[off];
  if (versionIhl >> 4 !== 4) {
    ctx.anomalies.add(IPV4.codes.bad_version);
    return;
  }
  const headerLength = (versionIhl & 0x0f) << 2;
  if (headerLength < IPV4_MIN_HEADER_LENGTH) {
    ctx.anomalies.add(IPV4.codes.bad_header_length);
    return;
  }
  if (end - off < headerLength) {
    ctx.truncated(IPV4.codes.truncated);
    return;
  }
  ctx.counters.ipv4++;
  pkt.l3 = L3.IPV4;
  const totalLength = (buf[off + 2] << 8) | buf[off + 3];
  const id = (buf[off + 4] << 8) | buf[off + 5];
  const flagsOffset = (buf[off + 6] << 8) | buf[off + 7];
  const proto = buf[off + 9];
  const src = ((buf[off + 12] << 24) | (buf[off + 13] << 16) | (buf[off + 14] << 8) | buf[off + 15]) >>> 0;
  const dst = ((buf[off + 16] << 24) | (buf[off + 17] << 16) | (buf[off + 18] << 8) | buf[off + 19]) >>> 0;
  pkt.ttl = buf[off + 8];
  pkt.ipId = id;
  pkt.ipProto = proto;
  pkt.src4 = src;
  pkt.dst4 = dst;
  if (headerLength > IPV4_MIN_HEADER_LENGTH) walkOptions(ctx, buf, off + IPV4_MIN_HEADER_LENGTH, off + headerLength);
  if ((flagsOffset & FLAG_RESERVED) !== 0) ctx.anomalies.add(IPV4.codes.reserved_flag);

  let wireEnd: number;
  if (totalLength === 0) {
    ctx.anomalies.add(IPV4.codes.zero_total_length);
    wireEnd = end;
  } else if (totalLength < headerLength) {
    ctx.anomalies.add(IPV4.codes.bad_total_length);
    return;
  } else {
    wireEnd = off + totalLength;
  }
  // Bytes after the total length are Ethernet padding or trailers: ignored.
  let dataEnd = wireEnd;
  if (wireEnd > end) {
    if (cutByCapture(pkt, buf, end)) {
      pkt.payloadCut = true;
    } else {
      // The frame on the wire was shorter than the header says: believe the frame.
      ctx.anomalies.add(IPV4.codes.total_length_exceeds_capture);
      wireEnd = end;
    }
    dataEnd = end;
  }
  const dataOff = off + headerLength;

  const more = (flagsOffset & FLAG_MORE_FRAGMENTS) !== 0;
  const fragmentOffset = (flagsOffset & FRAGMENT_OFFSET_MASK) << 3;
  if (!more && fragmentOffset === 0) {
    decodeL4(ctx, pkt, proto, buf, dataOff, dataEnd, wireEnd, false);
    return;
  }
  ctx.counters.fragments++;
  pkt.fragment = true;
  if (dataEnd < wireEnd) {
    ctx.anomalies.add(FRAG.codes.payload_cut);
    return;
  }
  const key = String.fromCharCode(4, src >>> 16, src & 0xffff, dst >>> 16, dst & 0xffff, id, proto);
  const datagram = ctx.fragments.add(key, fragmentOffset, more, proto, buf, dataOff, dataEnd, pkt.ts);
  if (datagram === null) return;
  pkt.fragment = false;
  pkt.reassembled = true;
  decodeL4(ctx, pkt, proto, datagram, 0, datagram.length, datagram.length, false);
}

function walkOptions(ctx: DecodeContext, buf: Uint8Array, off: number, end: number): void {
  let o = off;
  while (o < end) {
    const type = buf[o];
    if (type === OPT_EOL) return;
    if (type === OPT_NOP) {
      o++;
      continue;
    }
    const length = o + 1 < end ? buf[o + 1] : 0;
    if (length < 2 || o + length > end) {
      ctx.anomalies.add(IPV4.codes.bad_option);
      return;
    }
    if (type === OPT_LSRR || type === OPT_SSRR) ctx.anomalies.add(IPV4.codes.source_route);
    o += length;
  }
}

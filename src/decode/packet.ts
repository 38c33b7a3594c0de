// The decoded view of one frame, L2 to L4. One Packet object is reused for every frame: its buffers are borrowed
// views, valid only until the next frame is decoded. Numbers, not objects, so decoding allocates nothing.

export const L3 = { NONE: 0, IPV4: 4, IPV6: 6, ARP: 0x0806 } as const;
export const IPPROTO = { ICMP: 1, TCP: 6, UDP: 17, IPV6_ICMP: 58 } as const;
export const TCP_FLAG = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10, URG: 0x20, ECE: 0x40, CWR: 0x80 } as const;

export class Packet {
  /** 1-based index of the frame in the input, over all files. */
  frameNumber = 0;
  tsSec = 0;
  tsNsec = 0;
  /** tsSec + tsNsec / 1e9 */
  ts = 0;
  linkType = 0;
  caplen = 0;
  wireLen = 0;

  /** Frame buffer (borrowed) and where the frame sits in it. */
  buf: Uint8Array = EMPTY;
  frameOff = 0;
  frameEnd = 0;

  // Layer 2. MAC offsets point into buf; -1 when the link type has none (raw IP, loopback).
  srcMacOff = -1;
  dstMacOff = -1;
  /** Number of 802.1Q/802.1ad tags seen (0, 1, 2 or more); outer and inner VLAN ids. */
  vlanCount = 0;
  vlanOuter = 0;
  vlanInner = 0;
  /** Final EtherType after VLAN tags (0 when the frame had none, e.g. 802.3/LLC). */
  etherType = 0;
  /** Offset in buf where the EtherType's payload (the L3 header or L2 protocol PDU) starts, and its end. */
  l2PayloadOff = 0;
  l2PayloadEnd = 0;
  /** 802.2 LLC header of an 802.3 frame (-1 when none), and the SNAP OUI/protocol id after it (-1 when none). */
  llcDsap = -1;
  llcSsap = -1;
  llcControl = -1;
  snapOui = -1;
  snapPid = -1;

  // ARP/RARP over Ethernet/IPv4 (l3 = L3.ARP). MAC offsets point into buf (-1 when absent); IPs as uint32.
  arpOp = 0;
  arpSenderMacOff = -1;
  arpSenderIp = 0;
  arpTargetMacOff = -1;
  arpTargetIp = 0;

  // Layer 3.
  /** L3.NONE, L3.IPV4, L3.IPV6 or L3.ARP */
  l3 = 0;
  /** IPv4 addresses as unsigned 32-bit numbers. */
  src4 = 0;
  dst4 = 0;
  /** IPv6 addresses: 16 bytes each at these offsets in addrBuf. */
  addrBuf: Uint8Array = EMPTY;
  src6Off = 0;
  dst6Off = 0;
  /** Upper-layer protocol number (after IPv6 extension headers). */
  ipProto = 0;
  ttl = 0;
  /** IPv4 identification, or the IPv6 fragment header identification (0 when none). */
  ipId = 0;
  /** True when this frame held a fragment that did not (yet) complete a datagram: no L4 below. */
  fragment = false;
  /** True when the L4 data below comes from a reassembled datagram (l4Buf is then a fresh copy). */
  reassembled = false;

  // Layer 4. Offsets index l4Buf, which is buf or a reassembled datagram.
  /** IPPROTO.TCP, IPPROTO.UDP, IPPROTO.ICMP, IPPROTO.IPV6_ICMP, or 0 when no L4 header was decoded. */
  l4 = 0;
  l4Buf: Uint8Array = EMPTY;
  l4Off = 0;
  srcPort = 0;
  dstPort = 0;
  tcpFlags = 0;
  seq = 0;
  ack = 0;
  window = 0;
  icmpType = 0;
  icmpCode = 0;
  /** Application payload in l4Buf: [payloadOff, payloadEnd). */
  payloadOff = 0;
  payloadEnd = 0;
  /** Payload length the headers declare (IP/UDP lengths); larger than payloadLength when the capture cut it. */
  payloadWireLength = 0;
  /** True when the headers are whole but the capture's snap length cut the bytes after them. */
  payloadCut = false;
  /** TCP options of this segment: MSS (0 when absent), window scale shift (-1 when absent), SACK permitted. */
  tcpMss = 0;
  tcpWindowScale = -1;
  tcpSackPermitted = false;

  /** Resets every field a decoder may set; called once per frame. */
  reset(): void {
    this.srcMacOff = -1;
    this.dstMacOff = -1;
    this.vlanCount = 0;
    this.vlanOuter = 0;
    this.vlanInner = 0;
    this.etherType = 0;
    this.l2PayloadOff = 0;
    this.l2PayloadEnd = 0;
    this.llcDsap = -1;
    this.llcSsap = -1;
    this.llcControl = -1;
    this.snapOui = -1;
    this.snapPid = -1;
    this.arpOp = 0;
    this.arpSenderMacOff = -1;
    this.arpSenderIp = 0;
    this.arpTargetMacOff = -1;
    this.arpTargetIp = 0;
    this.l3 = 0;
    this.src4 = 0;
    this.dst4 = 0;
    this.addrBuf = EMPTY;
    this.src6Off = 0;
    this.dst6Off = 0;
    this.ipProto = 0;
    this.ttl = 0;
    this.ipId = 0;
    this.fragment = false;
    this.reassembled = false;
    this.l4 = 0;
    this.l4Buf = EMPTY;
    this.l4Off = 0;
    this.srcPort = 0;
    this.dstPort = 0;
    this.tcpFlags = 0;
    this.seq = 0;
    this.ack = 0;
    this.window = 0;
    this.icmpType = 0;
    this.icmpCode = 0;
    this.payloadOff = 0;
    this.payloadEnd = 0;
    this.payloadWireLength = 0;
    this.payloadCut = false;
    this.tcpMss = 0;
    this.tcpWindowScale = -1;
    this.tcpSackPermitted = false;
  }

  get payloadLength(): number {
    return this.payloadEnd - this.payloadOff;
  }
}

const EMPTY = new Uint8Array(0);

// Anomaly catalogues of the link, network and transport decoders (one per layer; codes are `<layer>.<name>`).

import { defineAnomalies, type AnomalyDefinition } from '../common/anomaly.js';

export const LINK = defineAnomalies('link', {
  unsupported: { severity: 'weird', description: 'Link type Lantern does not decode; the frame is counted per link type and skipped.' },
  bad_caplen: { severity: 'violation', description: 'The capture record claims more bytes than its buffer holds; decoding used the bytes present.' },
  truncated: { severity: 'weird', description: 'Frame too short for its link-layer pseudo-header (BSD loopback family word).' },
  unknown_family: { severity: 'weird', description: 'BSD loopback address family is neither AF_INET nor an AF_INET6 value (24, 28, 30).' },
  unknown_ip_version: { severity: 'weird', description: 'Raw-IP link: the first nibble is neither 4 nor 6.' },
});

export const ETH = defineAnomalies('eth', {
  truncated: { severity: 'weird', description: 'Frame shorter than the 14-byte Ethernet header.' },
  bad_type_length: { severity: 'violation', description: 'Type/length field between 1501 and 1535: neither an 802.3 length nor an EtherType.' },
  length_too_short: { severity: 'violation', description: '802.3 length field below the LLC (3 or 4 bytes) or LLC + SNAP (8 bytes) header it announces.' },
  length_exceeds_frame: { severity: 'weird', description: '802.3 length field is larger than the frame (and the capture did not cut it).' },
});

export const VLAN = defineAnomalies('vlan', {
  truncated: { severity: 'weird', description: 'Frame ends inside an 802.1Q/802.1ad/QinQ or HSR tag.' },
  too_many_tags: { severity: 'cap', description: 'More stacked tags than the decoder follows (8); the rest of the frame is not decoded.' },
});

export const LLC = defineAnomalies('llc', {
  truncated: { severity: 'weird', description: 'Frame ends inside the 802.2 LLC header or the SNAP header.' },
  nested: { severity: 'violation', description: 'A second LLC header inside a SNAP-encapsulated frame; not followed.' },
});

export const SLL = defineAnomalies('sll', {
  truncated: { severity: 'weird', description: 'Frame shorter than the Linux cooked-capture header (16 bytes SLL, 20 bytes SLL2).' },
  bad_address_length: { severity: 'weird', description: 'Cooked-capture link-layer address length larger than the 8-byte address field.' },
});

export const ARP = defineAnomalies('arp', {
  truncated: { severity: 'weird', description: 'Frame ends inside the ARP/RARP header or its addresses.' },
  unsupported_format: { severity: 'weird', description: 'ARP for a hardware/protocol pair other than Ethernet/IPv4; only the opcode is decoded.' },
  bad_opcode: { severity: 'violation', description: 'ARP opcode 0 or above the assigned range (1-25).' },
});

export const IPV4 = defineAnomalies('ipv4', {
  truncated: { severity: 'weird', description: 'The IPv4 header (20 bytes, or its IHL with options) is cut short.' },
  bad_version: { severity: 'violation', description: 'IP version field is not 4 where an IPv4 header was expected.' },
  bad_header_length: { severity: 'violation', description: 'IHL below 5 (20 bytes).' },
  bad_total_length: { severity: 'violation', description: 'Total length smaller than the header length.' },
  zero_total_length: { severity: 'weird', description: 'Total length 0 (typical of TCP segmentation offload on the capturing host); the frame length was used.' },
  total_length_exceeds_capture: { severity: 'weird', description: 'Total length runs past the end of the frame, and the snap length does not explain it; the frame end was used.' },
  bad_option: { severity: 'weird', description: 'An IPv4 option length is below 2 or runs past the header; option walk stopped.' },
  reserved_flag: { severity: 'weird', description: 'The reserved (evil) bit of the flags field is set.' },
  source_route: { severity: 'weird', description: 'Loose or strict source-route option (LSRR/SSRR): rare, and a classic spoofing aid.' },
});

export const IPV6 = defineAnomalies('ipv6', {
  truncated: { severity: 'weird', description: 'The 40-byte IPv6 header is cut short.' },
  bad_version: { severity: 'violation', description: 'IP version field is not 6 where an IPv6 header was expected.' },
  zero_payload_length: { severity: 'weird', description: 'Payload length 0 with data following (jumbogram or segmentation offload); the frame length was used.' },
  payload_length_exceeds_capture: { severity: 'weird', description: 'Payload length runs past the end of the frame, and the snap length does not explain it; the frame end was used.' },
  bad_extension_header: { severity: 'violation', description: 'An extension header is cut short or its length runs past the payload.' },
  too_many_extension_headers: { severity: 'cap', description: 'Extension-header chain longer than the decoder follows (10); no L4 decoded.' },
  hop_by_hop_not_first: { severity: 'violation', description: 'Hop-by-hop options header appears after the first position of the chain.' },
  second_fragment_header: { severity: 'violation', description: 'A second fragment header in one chain (RFC 8200 allows one); not followed.' },
});

export const FRAG = defineAnomalies('frag', {
  overlap: { severity: 'weird', description: 'A fragment overlaps data already held (same bytes: duplicate or retransmission).' },
  overlap_mismatch: { severity: 'violation', description: 'A fragment overlaps data already held with different bytes (evasion attempt); first data wins.' },
  timeout: { severity: 'cap', description: 'A datagram was still incomplete when its reassembly timeout (capture time) ran out; dropped.' },
  too_many_datagrams: { severity: 'cap', description: 'Concurrent datagrams under reassembly reached the cap; the oldest was dropped.' },
  too_many_bytes: { severity: 'cap', description: 'Bytes held for reassembly reached the cap; oldest datagrams were dropped.' },
  too_large: { severity: 'violation', description: 'Fragment data ends beyond 65535 bytes (ping of death); the datagram was dropped.' },
  too_many_fragments: { severity: 'cap', description: 'One datagram received more fragments than the cap (1024); it was dropped.' },
  bad_length: { severity: 'violation', description: 'A fragment that is not the last carries a length that is not a multiple of 8; ignored.' },
  bad_end: { severity: 'violation', description: 'Fragments disagree on the datagram end (two last fragments, or data past the last one); dropped.' },
  payload_cut: { severity: 'weird', description: 'The capture cut a fragment short; it cannot take part in reassembly.' },
});

export const TCP = defineAnomalies('tcp', {
  truncated: { severity: 'weird', description: 'The TCP header (20 bytes, or its data offset with options) is cut short.' },
  bad_header_length: { severity: 'violation', description: 'Data offset below 5, or larger than the segment.' },
  bad_flags: { severity: 'violation', description: 'Impossible flag combination: SYN+FIN, SYN+RST, FIN+RST, or no flag at all.' },
  port_zero: { severity: 'weird', description: 'Source or destination port 0.' },
  bad_option: { severity: 'weird', description: 'A TCP option length is below 2, wrong for its kind, or runs past the header.' },
});

export const UDP = defineAnomalies('udp', {
  truncated: { severity: 'weird', description: 'The 8-byte UDP header is cut short.' },
  bad_length: { severity: 'violation', description: 'UDP length below 8, or above the IP payload.' },
  length_mismatch: { severity: 'weird', description: 'UDP length is smaller than the IP payload; the extra bytes were ignored.' },
  port_zero: { severity: 'weird', description: 'Source or destination port 0.' },
});

export const ICMP = defineAnomalies('icmp', {
  truncated: { severity: 'weird', description: 'The 8-byte ICMP or ICMPv6 header is cut short.' },
  icmpv6_over_ipv4: { severity: 'weird', description: 'IP protocol 58 (ICMPv6) inside IPv4.' },
  icmpv4_over_ipv6: { severity: 'weird', description: 'Next header 1 (ICMP for IPv4) inside IPv6.' },
});

export const L2 = defineAnomalies('l2', {
  handler_error: { severity: 'violation', description: 'A registered Layer-2 protocol handler threw; the frame is counted and skipped.' },
});

/** Every code the decode layer may raise. */
export const DECODE_ANOMALIES: readonly AnomalyDefinition[] = [
  LINK, ETH, VLAN, LLC, SLL, ARP, IPV4, IPV6, FRAG, TCP, UDP, ICMP, L2,
].flatMap((c) => c.definitions);

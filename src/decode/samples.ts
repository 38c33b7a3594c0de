// Valid frames of every link type and layer the decoder handles, for the truncation, fuzz and benchmark loops.

import { hex } from '../common/hex.js';
import { LINKTYPE } from '../common/link-types.js';

export interface SampleFrame {
  readonly name: string;
  readonly linkType: number;
  readonly bytes: Uint8Array;
}

const IPV4_TCP = `
  45 00 00 64         # IPv4, IHL 5, total length 100
  12 34 40 00         # id 0x1234, DF
  40 06 00 00         # TTL 64, TCP, checksum
  c0 a8 01 0a         # src 192.168.1.10
  c0 a8 01 14         # dst 192.168.1.20
  c3 50 01 f6         # TCP 50000 -> 502
  00 00 10 00         # seq
  00 00 20 00         # ack
  50 18 fa f0         # data offset 5, PSH+ACK, window 64240
  00 00 00 00         # checksum, urgent
  00 01 00 00 00 06 01 03 00 00 00 0a   # 60 bytes of data: Modbus read holding registers...
  00 01 00 00 00 06 01 03 00 00 00 0a
  00 01 00 00 00 06 01 03 00 00 00 0a
  00 01 00 00 00 06 01 03 00 00 00 0a
  00 01 00 00 00 06 01 03 00 00 00 0a
`;

const IPV6_EXT_UDP = `
  60 00 00 00  00 30 00 40   # IPv6, payload 48, next hop-by-hop, hop limit 64
  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01   # src 2001:db8::1
  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02   # dst 2001:db8::2
  2b 00 01 04 00 00 00 00    # hop-by-hop: next routing, PadN
  3c 00 04 00 00 00 00 00    # routing: next destination options, type 4 (SRH stub), 8 bytes
  11 00 01 04 00 00 00 00    # destination options: next UDP, PadN
  13 88 13 89 00 18 00 00    # UDP 5000 -> 5001, length 24
  00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f   # data
`;

const ETH = `00 1b 1b 01 02 03  00 0c 29 aa bb cc   # dst, src MAC\n`;

export const SAMPLE_FRAMES: readonly SampleFrame[] = [
  { name: 'ethernet/ipv4/tcp', linkType: LINKTYPE.ETHERNET, bytes: hex`${ETH} 08 00 ${IPV4_TCP}` },
  {
    name: 'ethernet/ipv4 options/tcp options',
    linkType: LINKTYPE.ETHERNET,
    bytes: hex`
      ${ETH} 08 00
      46 00 00 34  00 01 40 00  40 06 00 00  0a 00 00 01  0a 00 00 02   # IPv4, IHL 6, total 52
      01 01 01 00                                                       # options: NOP NOP NOP EOL
      c0 01 00 66  00 00 00 01  00 00 00 00  70 02 fa f0 00 00 00 00   # TCP SYN, data offset 7
      02 04 05 b4  03 03 07 00                                          # MSS 1460, WS 7, EOL
    `,
  },
  { name: 'ethernet/vlan/ipv4/tcp', linkType: LINKTYPE.ETHERNET, bytes: hex`${ETH} 81 00 00 64 08 00 ${IPV4_TCP}` },
  { name: 'ethernet/qinq/ipv6 ext/udp', linkType: LINKTYPE.ETHERNET, bytes: hex`${ETH} 88 a8 00 c8 81 00 00 0a 86 dd ${IPV6_EXT_UDP}` },
  {
    name: 'ethernet/llc snap/ipv4/tcp',
    linkType: LINKTYPE.ETHERNET,
    bytes: hex`${ETH} 00 6c  aa aa 03 00 00 00 08 00 ${IPV4_TCP}`,
  },
  { name: 'ethernet/llc stp', linkType: LINKTYPE.ETHERNET, bytes: hex`01 80 c2 00 00 00 00 0c 29 aa bb cc  00 07  42 42 03 00 00 00 00` },
  { name: 'ethernet/llc snap cdp', linkType: LINKTYPE.ETHERNET, bytes: hex`01 00 0c cc cc cc 00 0c 29 aa bb cc  00 0c  aa aa 03 00 00 0c 20 00 02 b4 00 00` },
  {
    name: 'ethernet/arp',
    linkType: LINKTYPE.ETHERNET,
    bytes: hex`ff ff ff ff ff ff 00 0c 29 aa bb cc 08 06  0001 0800 06 04 0001  000c29aabbcc c0a8010a  000000000000 c0a80114`,
  },
  { name: 'ethernet/vlan/goose', linkType: LINKTYPE.ETHERNET, bytes: hex`01 0c cd 01 00 01 00 1b 1b 01 02 03 81 00 80 00 88 b8 00 01 00 0c 00 00 00 00 61 02 80 00` },
  { name: 'ethernet/hsr/ipv4/tcp', linkType: LINKTYPE.ETHERNET, bytes: hex`${ETH} 89 2f 10 5a 00 07 08 00 ${IPV4_TCP}` },
  {
    name: 'ethernet/ipv4/icmp',
    linkType: LINKTYPE.ETHERNET,
    bytes: hex`${ETH} 08 00  45 00 00 24 00 01 00 00 40 01 00 00 0a 00 00 02 0a 00 00 01  03 03 00 00 00 00 00 00 45 00 00 1c 00 01 00 00`,
  },
  {
    name: 'ethernet/ipv6/icmpv6',
    linkType: LINKTYPE.ETHERNET,
    bytes: hex`33 33 00 00 00 01 00 0c 29 aa bb cc 86 dd  60000000 0008 3a 01  fe800000000000000000000000000001 ff020000000000000000000000000001  80 00 00 00 12 34 00 01`,
  },
  {
    name: 'ethernet/ipv6/ah/udp',
    linkType: LINKTYPE.ETHERNET,
    bytes: hex`33 33 00 00 00 01 00 0c 29 aa bb cc 86 dd  60000000 0020 33 40  20010db8000000000000000000000001 20010db8000000000000000000000002  11 04 0000 00001000 00000001 000000000000000000000000  1388 1389 0008 0000`,
  },
  { name: 'null le/ipv4/tcp', linkType: LINKTYPE.NULL, bytes: hex`02 00 00 00 ${IPV4_TCP}` },
  { name: 'null be/ipv6 ext/udp', linkType: LINKTYPE.NULL, bytes: hex`00 00 00 1e ${IPV6_EXT_UDP}` },
  { name: 'loop/ipv4/tcp', linkType: LINKTYPE.LOOP, bytes: hex`00 00 00 02 ${IPV4_TCP}` },
  { name: 'raw/ipv4/tcp', linkType: LINKTYPE.RAW, bytes: hex`${IPV4_TCP}` },
  { name: 'raw/ipv6 ext/udp', linkType: LINKTYPE.RAW, bytes: hex`${IPV6_EXT_UDP}` },
  { name: 'ipv4/tcp', linkType: LINKTYPE.IPV4, bytes: hex`${IPV4_TCP}` },
  { name: 'ipv6/udp', linkType: LINKTYPE.IPV6, bytes: hex`${IPV6_EXT_UDP}` },
  { name: 'sll/ipv4/tcp', linkType: LINKTYPE.LINUX_SLL, bytes: hex`0000 0001 0006 000c29aabbcc0000 0800 ${IPV4_TCP}` },
  { name: 'sll/llc', linkType: LINKTYPE.LINUX_SLL, bytes: hex`0000 0001 0006 000c29aabbcc0000 0004 aa aa 03 00 00 00 08 00 ${IPV4_TCP}` },
  { name: 'sll2/ipv6 ext/udp', linkType: LINKTYPE.LINUX_SLL2, bytes: hex`86dd 0000 00000002 0001 00 06 000c29aabbcc0000 ${IPV6_EXT_UDP}` },
  {
    name: 'raw/ipv4 fragment',
    linkType: LINKTYPE.RAW,
    bytes: hex`45 00 00 24 00 07 20 00 40 11 00 00 0a 00 00 01 0a 00 00 02  13 88 13 89 00 28 00 00 00 01 02 03 04 05 06 07`,
  },
  {
    name: 'raw/ipv6 fragment',
    linkType: LINKTYPE.RAW,
    bytes: hex`60000000 0018 2c 40  fe800000000000000000000000000001 fe800000000000000000000000000002  11 00 0001 00000005  1388 1389 0028 0000 00010203 04050607`,
  },
];

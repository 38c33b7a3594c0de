// Hand-made EtherNet/IP messages shared by the parser, session and conformance tests (annotated hex, no captures).
import { hex } from '../../common/hex.js';

function le16(n: number): string {
  return `${(n & 0xff).toString(16).padStart(2, '0')} ${((n >> 8) & 0xff).toString(16).padStart(2, '0')}`;
}

function le32(n: number): string {
  return `${le16(n & 0xffff)} ${le16(n >>> 16)}`;
}

/** An encapsulation message: 24-byte header (command, length, session, status, context, options 0) + data. */
export function encap(command: number, session: number, status: number, context: string, data: Uint8Array): Uint8Array {
  const header = hex`${le16(command)} ${le16(data.length)} ${le32(session)} ${le32(status)} ${context} 00 00 00 00`;
  const out = new Uint8Array(header.length + data.length);
  out.set(header);
  out.set(data, header.length);
  return out;
}

/** SendRRData data: interface handle 0, timeout, CPF with null address and unconnected data item around `cip`. */
export function rrData(cip: Uint8Array): Uint8Array {
  return concat(hex`00 00 00 00  # interface handle
    0a 00        # timeout
    02 00        # item count
    00 00 00 00  # null address item
    b2 00 ${le16(cip.length)}  # unconnected data item`, cip);
}

/** SendUnitData data: connected address item (connection id) and connected data item (sequence + `cip`). */
export function unitData(connectionId: number, sequence: number, cip: Uint8Array): Uint8Array {
  return concat(hex`00 00 00 00  # interface handle
    00 00        # timeout
    02 00        # item count
    a1 00 04 00 ${le32(connectionId)}  # connected address item
    b1 00 ${le16(cip.length + 2)} ${le16(sequence)}  # connected data item, sequence count`, cip);
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export const CTX = '01 02 03 04 05 06 07 08';
export const SESSION = 0x11223344;

export const REGISTER_REQUEST = encap(0x65, 0, 0, CTX, hex`01 00  # protocol version 1
  00 00  # options`);
export const REGISTER_REPLY = encap(0x65, SESSION, 0, CTX, hex`01 00 00 00`);

export const LIST_IDENTITY_REQUEST = encap(0x63, 0, 0, CTX, new Uint8Array(0));
export const LIST_IDENTITY_REPLY = encap(
  0x63,
  0,
  0,
  CTX,
  hex`01 00        # item count
  0c 00 36 00        # ListIdentity item, length 54
  01 00              # encapsulation version 1
  00 02 af 12 c0 a8 01 0a 00 00 00 00 00 00 00 00  # sockaddr: AF_INET, port 44818, 192.168.1.10
  01 00              # vendor id 1
  0e 00              # device type 0x0e (PLC)
  36 00              # product code 54
  14 0b              # revision 20.11
  60 30              # status
  78 56 34 12        # serial 0x12345678
  14 31 37 35 36 2d 4c 36 31 2f 42 20 4c 4f 47 49 58 35 35 36 31  # "1756-L61/B LOGIX5561" (20)
  03                 # state`,
);

/** Get_Attributes_All on Identity instance 1, and its reply. */
export const GET_IDENTITY_REQUEST = encap(0x6f, SESSION, 0, CTX, rrData(hex`01  # service get_attributes_all
  02 20 01 24 01  # path: 2 words, class 0x01, instance 1`));
export const GET_IDENTITY_REPLY = encap(0x6f, SESSION, 0, CTX, rrData(hex`81 00 00 00  # reply, status 0
  01 00 0e 00 36 00 14 0b 60 30 78 56 34 12  # vendor, type, product, revision, status, serial
  06 31 37 35 36 2d 4c  # product name "1756-L"`));

/** Unconnected_Send (class 6) carrying Read_Tag "Tag1" x1 routed to backplane slot 0, and the reply. */
export const READ_TAG_ROUTED_REQUEST = encap(0x6f, SESSION, 0, CTX, rrData(hex`52 02 20 06 24 01  # unconnected_send on Connection Manager
  0a f0        # priority/tick, timeout ticks
  0a 00        # embedded message size 10
  4c 03 91 04 54 61 67 31 01 00  # read_tag, path symbol "Tag1", 1 element
  01 00        # route path: 1 word, reserved
  01 00        # port 1, link 0`));
export const READ_TAG_ROUTED_REPLY = encap(0x6f, SESSION, 0, CTX, rrData(hex`cc 00 00 00  # read_tag reply, status 0
  c4 00 2a 00 00 00  # DINT 42`));

/** Forward_Open (class 3 connection) and its reply: O→T id 0x00000101 (target's), T→O id 0x20000002 (ours). */
export const FORWARD_OPEN_REQUEST = encap(0x6f, SESSION, 0, CTX, rrData(hex`54 02 20 06 24 01  # forward_open
  0a 0e              # priority/tick, timeout ticks
  00 00 00 00        # O→T connection id (target chooses)
  02 00 00 20        # T→O connection id 0x20000002
  07 00              # connection serial 7
  01 00              # originator vendor 1
  44 33 22 11        # originator serial
  03 00 00 00        # timeout multiplier, reserved
  80 84 1e 00        # O→T RPI 2,000,000 us
  f4 43              # O→T parameters
  80 84 1e 00        # T→O RPI
  f4 43              # T→O parameters
  a3                 # transport class 3, application trigger
  03                 # connection path 3 words
  01 00 20 02 24 01  # port 1 link 0, class 0x02, instance 1`));
export const FORWARD_OPEN_REPLY = encap(0x6f, SESSION, 0, CTX, rrData(hex`d4 00 00 00  # forward_open reply
  01 01 00 00        # O→T connection id 0x101
  02 00 00 20        # T→O connection id
  07 00 01 00 44 33 22 11  # serial, vendor, originator serial
  80 84 1e 00 80 84 1e 00  # APIs
  00 00              # application reply size, reserved`));

/** Connected Multiple_Service_Packet: Get_Attribute_Single on Identity, Set_Attribute_Single on TCP/IP; reply. */
export const MSP_REQUEST = encap(0x70, SESSION, 0, CTX, unitData(0x101, 5, hex`0a 02 20 02 24 01  # multiple_service_packet
  02 00 06 00 0e 00  # 2 services at offsets 6, 14
  0e 03 20 01 24 01 30 07  # get_attribute_single identity/1/7
  10 03 20 f5 24 01 30 05 00 00 00 00  # set_attribute_single TCP/IP 1/5 with 4 bytes`));
export const MSP_REPLY = encap(0x70, SESSION, 0, CTX, unitData(0x20000002, 5, hex`8a 00 1e 00  # reply, embedded service error
  02 00 06 00 0c 00  # 2 replies at 6, 12
  8e 00 00 00 05 00  # get_attribute_single ok
  90 00 0f 00        # set_attribute_single: privilege violation`));

/** A Reset on Identity that is never answered. */
export const RESET_REQUEST = encap(0x6f, SESSION, 0, 'aa aa aa aa aa aa aa aa', rrData(hex`05 02 20 01 24 01  # reset identity/1`));

/** RegisterSession refused: unsupported protocol revision. */
export const REGISTER_REFUSED = encap(0x65, 0, 0x69, CTX, hex`02 00 00 00`);

/** A CIP I/O datagram (UDP 2222): sequenced address (connection 0x1234, sequence n) and 6 bytes of data. */
export function ioPacket(sequence: number): Uint8Array {
  return hex`02 00              # item count
  02 80 08 00 34 12 00 00 ${le32(sequence)}  # sequenced address item: connection id, sequence
  b1 00 06 00 ${le16(sequence & 0xffff)} 01 00 00 00  # connected data: sequence count, run/idle header`;
}

export const T_CONCAT_REQUESTS = concat(GET_IDENTITY_REQUEST, READ_TAG_ROUTED_REQUEST, FORWARD_OPEN_REQUEST, MSP_REQUEST);
export const T_CONCAT_REPLIES = concat(GET_IDENTITY_REPLY, READ_TAG_ROUTED_REPLY, FORWARD_OPEN_REPLY, MSP_REPLY);

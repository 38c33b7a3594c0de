// Hand-made NetBIOS name service messages shared by the parser and session tests.
import { hex } from '../../common/hex.js';

/** First-level encoding (RFC 1001 §14.1) of a name padded with spaces to 15 bytes plus its suffix, as a length-prefixed label. */
export function encodedName(name: string, suffix: number, pad = 0x20): Uint8Array {
  const raw = new Uint8Array(16).fill(pad);
  for (let i = 0; i < name.length && i < 15; i++) raw[i] = name.charCodeAt(i);
  raw[15] = suffix;
  const out = new Uint8Array(33);
  out[0] = 32;
  for (let i = 0; i < 16; i++) {
    out[1 + 2 * i] = 0x41 + (raw[i] >> 4);
    out[2 + 2 * i] = 0x41 + (raw[i] & 15);
  }
  return out;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Broadcast registration of PLC-HMI<00> at 192.168.1.40 (as Windows sends it, the additional record points at the question name). */
export const REGISTRATION = concat(
  hex`
    80 10              # trn id
    29 10              # request, opcode 5 registration, rd; broadcast
    00 01 00 00 00 00 00 01
  `,
  encodedName('PLC-HMI', 0x00),
  hex`
    00                 # end of name
    00 20 00 01        # NB, IN
    c0 0c              # additional record: pointer to the question name
    00 20 00 01
    00 04 93 e0        # ttl 300000
    00 06
    60 00              # NB flags: unique, h-node
    c0 a8 01 28        # 192.168.1.40
  `,
);

/** Unicast node status query for * and its response (two names, MAC 00:1b:1b:aa:bb:cc). */
export const STATUS_QUERY = concat(hex`00 42  00 00  00 01 00 00 00 00 00 00`, encodedName('*', 0x00, 0), hex`00  00 21 00 01  # NBSTAT IN`);
export const STATUS_RESPONSE = concat(
  hex`00 42  84 00  00 00 00 01 00 00 00 00  # response, authoritative, one answer`,
  encodedName('*', 0x00, 0),
  hex`
    00  00 21 00 01  00 00 00 00
    00 3f              # rdata length 63
    03                 # three names
  `,
  new TextEncoder().encode('RTU-7          '),
  hex`00  04 00          # RTU-7<00>, unique, active`,
  new TextEncoder().encode('WORKGROUP      '),
  hex`00  84 00          # WORKGROUP<00>, group`,
  new TextEncoder().encode('RTU-7          '),
  hex`20  04 00          # RTU-7<20>`,
  hex`00 1b 1b aa bb cc  # unit id`,
  hex`00 00`,
);

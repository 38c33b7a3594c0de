// Test helpers: wrap S7 PDUs in COTP DT and TPKT, pad SZL text records (hand-made test data, no captures).
import { hex } from '../../common/hex.js';

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** TPKT header around a COTP TPDU. */
export function tpkt(cotp: Uint8Array): Uint8Array {
  const len = cotp.length + 4;
  return concatBytes(new Uint8Array([3, 0, len >> 8, len & 0xff]), cotp);
}

/** TPKT + COTP DT (end of TSDU unless `eot` is false) around a payload. */
export function dt(payload: Uint8Array, eot = true): Uint8Array {
  return tpkt(concatBytes(new Uint8Array([0x02, 0xf0, eot ? 0x80 : 0x00]), payload));
}

/** An SZL record of a 16-bit index followed by ASCII text padded with NULs to `size` bytes. */
export function textRecord(index: number, text: string, size: number): Uint8Array {
  const r = new Uint8Array(2 + size);
  r[0] = index >> 8;
  r[1] = index & 0xff;
  for (let i = 0; i < text.length && i < size; i++) r[2 + i] = text.charCodeAt(i);
  return r;
}

export const CR = hex`
  03 00 00 16                 # TPKT v3, length 22
  11 e0                       # COTP LI 17, CR
  00 00 00 01 00              # dst ref, src ref, class 0
  c1 02 01 00                 # calling TSAP 0x0100
  c2 02 01 23                 # called TSAP: PG, rack 1 (0x23 >> 5), slot 3
  c0 01 0a                    # TPDU size 1024
`;

export const CC = hex`
  03 00 00 16  11 d0  00 01 00 02 00  c1 02 01 00  c2 02 01 23  c0 01 0a   # CC echoing the TSAPs
`;

export const SETUP_JOB = dt(hex`
  32 01 00 00 00 01 00 08 00 00   # S7 job, PDU ref 1, param 8, data 0
  f0 00 00 01 00 01 01 e0         # setup communication: AmQ 1/1, PDU 480
`);
export const SETUP_ACK = dt(hex`
  32 03 00 00 00 01 00 08 00 00 00 00   # ack_data, PDU ref 1, no error
  f0 00 00 01 00 01 00 f0               # AmQ 1/1, PDU 240
`);

export const READ_JOB = dt(hex`
  32 01 00 00 00 02 00 1a 00 00   # job, ref 2, param 26
  04 02                           # read var, 2 items
  12 0a 10 02 00 04 00 05 84 00 00 50   # S7ANY BYTE x4 DB5 DBX 10.0
  12 0a 10 01 00 01 00 00 82 00 00 1b   # S7ANY BIT x1 outputs Q 3.3
`);
export const READ_ACK = dt(hex`
  32 03 00 00 00 02 00 02 00 0d 00 00   # ack_data, ref 2, param 2, data 13
  04 02                                 # read var, 2 items
  ff 04 00 20 01 02 03 04               # success, BYTE/WORD, 32 bits
  ff 03 00 01 01                        # success, BIT, 1 bit
`);
export const READ_ACK_ERROR = dt(hex`
  32 03 00 00 00 02 00 02 00 0c 00 00
  04 02
  ff 04 00 20 01 02 03 04
  05 00 00 00                           # address out of range
`);

export const WRITE_JOB = dt(hex`
  32 01 00 00 00 03 00 0e 00 06   # job, ref 3, param 14, data 6
  05 01                           # write var, 1 item
  12 0a 10 04 00 01 00 00 83 00 00 50   # WORD x1 flags MW10
  00 04 00 10 ab cd               # data item: BYTE/WORD, 16 bits
`);
export const WRITE_ACK = dt(hex`
  32 03 00 00 00 03 00 02 00 01 00 00  05 01  ff
`);

export const SZL_REQ = dt(hex`
  32 07 00 00 00 04 00 08 00 08   # userdata, ref 4, param 8, data 8
  00 01 12 04 11 44 01 00         # head, plen 4, request, type 4 / group 4 (CPU), read SZL, seq 0
  ff 09 00 04 00 11 00 00         # SZL 0x0011 index 0
`);
export const SZL_RESP = dt(
  concatBytes(
    hex`
    32 07 00 00 00 04 00 0c 00 44   # userdata, ref 4, param 12, data 68
    00 01 12 08 12 84 01 01 00 00 00 00   # response, group 4, SZL, seq 1, last unit, no error
    ff 09 00 40                     # success, octet string, 64 bytes
    00 11 00 00 00 1c 00 02         # SZL 0x0011, index 0, 28-byte records, 2 of them
    00 01                           # index 1: module
    36 45 53 37 20 31 32 33 2d 34 41 42 35 36 2d 30 43 44 37 20   # "6ES7 123-4AB56-0CD7 "
    00 c0 00 05 00 01               # BGTyp, module version 5
    00 07                           # index 7: basic firmware
    20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20
    00 c0 56 04 01 02               # V4.1.2
  `,
  ),
);

export const PI_INSE = dt(hex`
  32 01 00 00 00 08 00 1a 00 00
  28 00 00 00 00 00 00 fd         # PI service
  00 0a 01 00 30 43 30 30 30 31 32 50   # parameter block: 1 block, "0C00012P" (FC 12, passive)
  05 5f 49 4e 53 45               # "_INSE"
`);
export const PLC_STOP = dt(hex`
  32 01 00 00 00 09 00 10 00 00
  29 00 00 00 00 00 09 50 5f 50 52 4f 47 52 41 4d   # PLC stop "P_PROGRAM"
`);
export const ACK_PASSWORD = dt(hex`
  32 02 00 00 00 09 00 00 00 00 d2 41   # ack, ref 9, error 0xd241
`);

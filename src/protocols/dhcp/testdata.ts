// Hand-made DHCP messages shared by the parser and session tests.
import { hex } from '../../common/hex.js';

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** sname (64) and file (128), empty. */
export const NO_SNAME_FILE = new Uint8Array(192);

export const REQUEST = concat(
  hex`
    01 01 06 00        # op request, ethernet, hlen 6, hops 0
    3d 1d 4e 5f        # xid
    00 00 80 00        # secs 0, broadcast flag
    00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00   # ciaddr yiaddr siaddr giaddr
    00 0e 8c 12 34 56  00 00 00 00 00 00 00 00 00 00     # chaddr 00:0e:8c:12:34:56 (Siemens OUI)
  `,
  NO_SNAME_FILE,
  hex`
    63 82 53 63        # magic cookie
    35 01 03           # message type request
    32 04 c0 a8 01 32  # requested ip 192.168.1.50
    36 04 c0 a8 01 01  # server id 192.168.1.1
    0c 05 50 4c 43 2d 31   # host name "PLC-1"
    3c 08 4d 53 46 54 20 35 2e 30   # vendor class "MSFT 5.0"
    37 04 01 03 06 0f  # parameter list 1,3,6,15
    3d 07 01 00 0e 8c 12 34 56   # client id: type 1 + MAC
    ff                 # end
  `,
);

export const ACK = concat(
  hex`
    02 01 06 00  3d 1d 4e 5f  00 00 80 00
    00 00 00 00        # ciaddr
    c0 a8 01 32        # yiaddr 192.168.1.50
    00 00 00 00  00 00 00 00
    00 0e 8c 12 34 56  00 00 00 00 00 00 00 00 00 00
  `,
  NO_SNAME_FILE,
  hex`
    63 82 53 63
    35 01 05           # ack
    36 04 c0 a8 01 01  # server id
    33 04 00 00 0e 10  # lease 3600 s
    01 04 ff ff ff 00  # subnet mask
    03 04 c0 a8 01 01  # router
    06 08 c0 a8 01 01 08 08 08 08   # dns servers
    0f 03 6c 61 62     # domain "lab"
    ff
  `,
);

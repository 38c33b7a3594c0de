// Annotated BACnet/IP datagrams shared by the parser and session tests.
import { hex } from '../../common/hex.js';

export const WHO_IS = hex`
  81 0b 00 0d        # BVLC type 0x81, original-broadcast-npdu, length 13
  01 00              # NPDU version 1, control: no addresses
  10 08              # unconfirmed request, who-is
  09 64              # [0] low limit 100
  1a 01 2c           # [1] high limit 300
`;

export const I_AM = hex`
  81 0b 00 18        # original-broadcast-npdu, length 24
  01 20 ff ff 00 ff  # NPDU: DNET 0xFFFF (global broadcast), DLEN 0, hop count 255
  10 00              # unconfirmed request, i-am
  c4 02 00 00 6c     # object id: device 108
  22 01 e0           # unsigned max APDU 480
  91 00              # enumerated segmentation: segmented-both
  21 2a              # unsigned vendor id 42
`;

export const RP_REQUEST = hex`
  81 0a 00 11        # original-unicast-npdu, length 17
  01 04              # NPDU, expecting reply
  00 05 01 0c        # confirmed request, max seg unspecified/max APDU 1476, invoke 1, read-property
  0c 02 00 00 6c     # [0] object id device 108
  19 4d              # [1] property 77 object-name
`;

export const RP_ACK = hex`
  81 0a 00 1a        # original-unicast-npdu, length 26
  01 00              # NPDU
  30 01 0c           # complex ACK, invoke 1, read-property
  0c 02 00 00 6c     # [0] device 108
  19 4d              # [1] object-name
  3e                 # [3] opening
  75 06 00 52 54 55 2d 31  # character string, length 6: UTF-8 "RTU-1"
  3f                 # [3] closing
`;

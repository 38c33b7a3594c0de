// BACnet/IP module descriptor: BVLC over UDP (Annex J), NPDU, APDU with the common services decoded.
import type { Direction, ProbeResult, ProtocolModule, Transport } from '../protocol.js';
import { BACNET_ANOMALIES } from './anomalies.js';
import { BVLC, BVLC_TYPE_IP } from './codes.js';
import { BacnetSession } from './session.js';

/** UDP 47808 (0xBAC0) and the neighbouring ports sites use for further BACnet/IP networks. */
export const BACNET_PORTS: readonly number[] = Array.from({ length: 16 }, (_, i) => 47808 + i);

/**
 * Matches a datagram that is one BVLC message: type 0x81, a standard function, a BVLC length of at least 4 and not
 * above the datagram length (some stacks send a short one), and for NPDU-carrying functions an NPDU of version 1 with no reserved control bits set.
 */
export function probeBacnet(data: Uint8Array, _dir: Direction, transport: Transport): ProbeResult {
  if (transport !== 'udp') return 'no_match';
  if (data.length < 4) return data.length === 0 || data[0] === BVLC_TYPE_IP ? 'need_more' : 'no_match';
  if (data[0] !== BVLC_TYPE_IP || data[1] > BVLC.SECURE_BVLL) return 'no_match';
  const length = (data[2] << 8) | data[3];
  if (length < 4 || length > data.length) return 'no_match';
  const fn = data[1];
  let npdu = -1;
  if (fn === BVLC.ORIGINAL_UNICAST || fn === BVLC.ORIGINAL_BROADCAST || fn === BVLC.DISTRIBUTE_BROADCAST) npdu = 4;
  else if (fn === BVLC.FORWARDED_NPDU) npdu = 10;
  if (npdu < 0) return fn === BVLC.SECURE_BVLL ? 'no_match' : 'match';
  if (data.length < npdu + 2) return 'no_match';
  if (data[npdu] !== 1 || (data[npdu + 1] & 0x50) !== 0) return 'no_match';
  return 'match';
}

export const bacnetModule: ProtocolModule = {
  id: 'bacnet',
  name: 'BACnet/IP',
  transports: ['udp'],
  category: 'industrial',
  ports: BACNET_PORTS,
  anomalies: BACNET_ANOMALIES.definitions,
  probe: probeBacnet,
  createSession: (ctx) => new BacnetSession(ctx),
};

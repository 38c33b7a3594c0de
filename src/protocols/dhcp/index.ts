// DHCPv4 module descriptor (RFC 2131/2132, UDP 67 and 68): BOOTP header with the DHCP magic cookie and options.
import type { Direction, ProbeResult, ProtocolModule, Transport } from '../protocol.js';
import { DHCP_ANOMALIES } from './anomalies.js';
import { CLIENT_PORT, SERVER_PORT } from './codes.js';
import { looksLikeDhcp } from './parse.js';
import { DhcpSession } from './session.js';

/** Matches a datagram with op 1 or 2, a hardware address length and hop count of at most 16, and the magic cookie. */
export function probeDhcp(data: Uint8Array, _dir: Direction, transport: Transport): ProbeResult {
  return transport === 'udp' && looksLikeDhcp(data) ? 'match' : 'no_match';
}

export const dhcpModule: ProtocolModule = {
  id: 'dhcp',
  name: 'DHCPv4',
  transports: ['udp'],
  ports: [SERVER_PORT, CLIENT_PORT],
  anomalies: DHCP_ANOMALIES.definitions,
  probe: probeDhcp,
  createSession: (ctx) => new DhcpSession(ctx),
};

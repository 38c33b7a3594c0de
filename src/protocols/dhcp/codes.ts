// DHCPv4 code tables. Sources: RFC 2131 §2-3 (BOOTP header, message flow), RFC 2132 (options; §9.6 message types),
// IANA "BOOTP Vendor Extensions and DHCP Options" and "DHCP Message Type 53 Values" registries (RFC 4388, 6926, 7724).

export const SERVER_PORT = 67;
export const CLIENT_PORT = 68;
/** Fixed BOOTP header up to the magic cookie. */
export const HEADER_LENGTH = 236;
export const MAGIC_COOKIE = 0x63825363;
export const OP_REQUEST = 1;
export const OP_REPLY = 2;

export const OPTION = {
  PAD: 0,
  SUBNET_MASK: 1,
  ROUTER: 3,
  DNS_SERVERS: 6,
  HOST_NAME: 12,
  DOMAIN_NAME: 15,
  REQUESTED_IP: 50,
  LEASE_TIME: 51,
  OVERLOAD: 52,
  MESSAGE_TYPE: 53,
  SERVER_ID: 54,
  PARAMETER_LIST: 55,
  MESSAGE: 56,
  VENDOR_CLASS: 60,
  CLIENT_ID: 61,
  CLIENT_FQDN: 81,
  END: 255,
} as const;

export const MSG = { DISCOVER: 1, OFFER: 2, REQUEST: 3, DECLINE: 4, ACK: 5, NAK: 6, RELEASE: 7, INFORM: 8 } as const;

export const MESSAGE_TYPES: Readonly<Record<number, string>> = {
  1: 'discover',
  2: 'offer',
  3: 'request',
  4: 'decline',
  5: 'ack',
  6: 'nak',
  7: 'release',
  8: 'inform',
  9: 'forcerenew',
  10: 'leasequery',
  11: 'leaseunassigned',
  12: 'leaseunknown',
  13: 'leaseactive',
  14: 'bulkleasequery',
  15: 'leasequerydone',
  16: 'activeleasequery',
  17: 'leasequerystatus',
  18: 'tls',
};

/** Name of a message: its DHCP type, or `bootp_request`/`bootp_reply` without option 53 (type 0). */
export function messageName(type: number, op: number): string {
  if (type === 0) return op === OP_REPLY ? 'bootp_reply' : 'bootp_request';
  return MESSAGE_TYPES[type] ?? `unknown_${type}`;
}

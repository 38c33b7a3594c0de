// DNS code tables. Sources: RFC 1035 §3.2 (types, classes), IANA "Domain Name System (DNS) Parameters" registry
// (resource record types, opcodes, rcodes), RFC 6762 §10.2 / §5.4 (mDNS cache-flush and unicast-response bits),
// RFC 4795 §2.1.1 (LLMNR header flags).

export const DNS_PORT = 53;
export const MDNS_PORT = 5353;
export const LLMNR_PORT = 5355;
export const HEADER_LENGTH = 12;

export const TYPE = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, HINFO: 13, MX: 15, TXT: 16, AAAA: 28, SRV: 33, DNAME: 39, OPT: 41 } as const;
export const CLASS_IN = 1;
export const OPCODE_UPDATE = 5;

/** Resource record types (IANA registry); others are named `unknown_<n>`. */
export const RR_TYPES: Readonly<Record<number, string>> = {
  1: 'a',
  2: 'ns',
  5: 'cname',
  6: 'soa',
  10: 'null',
  11: 'wks',
  12: 'ptr',
  13: 'hinfo',
  14: 'minfo',
  15: 'mx',
  16: 'txt',
  17: 'rp',
  18: 'afsdb',
  24: 'sig',
  25: 'key',
  28: 'aaaa',
  29: 'loc',
  33: 'srv',
  35: 'naptr',
  36: 'kx',
  37: 'cert',
  39: 'dname',
  41: 'opt',
  42: 'apl',
  43: 'ds',
  44: 'sshfp',
  45: 'ipseckey',
  46: 'rrsig',
  47: 'nsec',
  48: 'dnskey',
  49: 'dhcid',
  50: 'nsec3',
  51: 'nsec3param',
  52: 'tlsa',
  53: 'smimea',
  55: 'hip',
  59: 'cds',
  60: 'cdnskey',
  61: 'openpgpkey',
  62: 'csync',
  63: 'zonemd',
  64: 'svcb',
  65: 'https',
  99: 'spf',
  108: 'eui48',
  109: 'eui64',
  249: 'tkey',
  250: 'tsig',
  251: 'ixfr',
  252: 'axfr',
  255: 'any',
  256: 'uri',
  257: 'caa',
};

export function typeName(type: number): string {
  return RR_TYPES[type] ?? `unknown_${type}`;
}

export const CLASSES: Readonly<Record<number, string>> = { 1: 'in', 3: 'ch', 4: 'hs', 254: 'none', 255: 'any' };

/** Opcodes (RFC 1035, 1996, 2136, 8490). */
export const OPCODES: Readonly<Record<number, string>> = { 0: 'query', 1: 'iquery', 2: 'status', 4: 'notify', 5: 'update', 6: 'dso' };

export function opcodeName(op: number): string {
  return OPCODES[op] ?? `unknown_${op}`;
}

/** Response codes of the 4-bit header field (RFC 1035, 2136, 8490). */
export const RCODES: Readonly<Record<number, string>> = {
  0: 'noerror',
  1: 'formerr',
  2: 'servfail',
  3: 'nxdomain',
  4: 'notimp',
  5: 'refused',
  6: 'yxdomain',
  7: 'yxrrset',
  8: 'nxrrset',
  9: 'notauth',
  10: 'notzone',
  11: 'dsotypeni',
};

export function rcodeName(rcode: number): string {
  return RCODES[rcode] ?? `unknown_${rcode}`;
}

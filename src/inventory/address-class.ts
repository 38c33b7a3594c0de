// What an IP address is: unicast or a group, private or public, and the subnet zone it falls in. Ranges from
// RFC 1918 / RFC 6598 / RFC 3927 (IPv4) and RFC 4193 / RFC 4291 (IPv6); a zone is the /24 (IPv4) or /64 (IPv6).

export type AddressKind = 'unicast' | 'broadcast' | 'multicast' | 'unspecified' | 'loopback';
export type AddressScope = 'private' | 'link_local' | 'public' | 'loopback' | 'special';

export interface AddressClass {
  readonly kind: AddressKind;
  readonly scope: AddressScope;
  /** Subnet zone: `10.1.2.0/24`, `fd00:1:2:3::/64`; null for group and unspecified addresses. */
  readonly zone: string | null;
}

/** Parses dotted-quad text into an unsigned 32-bit number, or -1. */
export function parseIpv4(text: string): number {
  let n = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return -1;
    } else if (c === 46 && digits > 0 && dots < 3) {
      n = n * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else return -1;
  }
  if (dots !== 3 || digits === 0) return -1;
  return n * 256 + part;
}

/** Expands IPv6 text (RFC 4291 §2.2 forms, including an embedded IPv4 tail) into 8 groups, or null. */
export function parseIpv6(text: string): number[] | null {
  if (!text.includes(':')) return null;
  let s = text;
  const lastColon = s.lastIndexOf(':');
  if (s.indexOf('.', lastColon) > 0) {
    const v4 = parseIpv4(s.slice(lastColon + 1));
    if (v4 < 0) return null;
    s = `${s.slice(0, lastColon + 1)}${Math.floor(v4 / 65536).toString(16)}:${(v4 % 65536).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const group = (h: string): number[] | null => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = group(halves[0]);
  const rest = halves.length === 2 ? group(halves[1]) : [];
  if (head === null || rest === null) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const zeros = 8 - head.length - rest.length;
  if (zeros < 1) return null;
  return [...head, ...new Array<number>(zeros).fill(0), ...rest];
}

function classifyV4(n: number): AddressClass {
  const a = Math.floor(n / 0x1000000);
  const b = Math.floor(n / 0x10000) & 255;
  const zone = `${a}.${b}.${Math.floor(n / 256) & 255}.0/24`;
  if (n === 0) return { kind: 'unspecified', scope: 'special', zone: null };
  if (n === 0xffffffff) return { kind: 'broadcast', scope: 'special', zone: null };
  if (a >= 224 && a <= 239) return { kind: 'multicast', scope: 'special', zone: null };
  if (a === 127) return { kind: 'loopback', scope: 'loopback', zone };
  // A host part of all ones in a /24 is taken as a subnet broadcast: plants use /24s overwhelmingly, and an asset
  // named x.y.z.255 is almost always that.
  if ((n & 255) === 255) return { kind: 'broadcast', scope: 'special', zone };
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127)) {
    return { kind: 'unicast', scope: 'private', zone };
  }
  if (a === 169 && b === 254) return { kind: 'unicast', scope: 'link_local', zone };
  if (a === 0 || a >= 240) return { kind: 'unicast', scope: 'special', zone };
  return { kind: 'unicast', scope: 'public', zone };
}

function classifyV6(g: readonly number[]): AddressClass {
  const zone = `${g.slice(0, 4).map((x) => x.toString(16)).join(':')}::/64`;
  if (g.every((x) => x === 0)) return { kind: 'unspecified', scope: 'special', zone: null };
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return { kind: 'loopback', scope: 'loopback', zone: null };
  if (g[0] >>> 8 === 0xff) return { kind: 'multicast', scope: 'special', zone: null };
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return classifyV4(g[6] * 65536 + g[7]);
  if ((g[0] & 0xffc0) === 0xfe80) return { kind: 'unicast', scope: 'link_local', zone };
  if ((g[0] & 0xfe00) === 0xfc00) return { kind: 'unicast', scope: 'private', zone };
  return { kind: 'unicast', scope: 'public', zone };
}

/** Classifies IP text; anything unparsable is `special` with no zone. */
export function classifyAddress(ip: string): AddressClass {
  const v4 = parseIpv4(ip);
  if (v4 >= 0) return classifyV4(v4);
  const v6 = parseIpv6(ip);
  if (v6 !== null) return classifyV6(v6);
  return { kind: 'unicast', scope: 'special', zone: null };
}

/** True for addresses that name one host (assets are made only for these). */
export function isHostAddress(ip: string): boolean {
  const c = classifyAddress(ip);
  return c.kind === 'unicast' || c.kind === 'loopback';
}

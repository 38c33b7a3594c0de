// Threat-intel indicators as Lantern holds them, whatever the source (STIX 2.1 bundle or plain list), and the value
// forms they match on: exact IPv4/IPv6, CIDR ranges, domains (with their subdomains), URLs and file hashes.
import { ipv4String, ipv6GroupsString } from '../../common/ip.js';
import { parseIpv4, parseIpv6 } from '../../inventory/address-class.js';

export type HashAlgorithm = 'md5' | 'sha1' | 'sha256';

/** One value an indicator matches; an indicator matches when any of its values does (OR). */
export type Observable =
  | { readonly kind: 'ipv4' | 'ipv6'; readonly value: string }
  | { readonly kind: 'cidr4'; readonly network: number; readonly prefix: number }
  | { readonly kind: 'cidr6'; readonly network: bigint; readonly prefix: number }
  | { readonly kind: 'domain' | 'url'; readonly value: string }
  | { readonly kind: 'hash'; readonly algorithm: HashAlgorithm; readonly value: string };

export interface KillChainPhase {
  readonly kill_chain_name: string;
  readonly phase_name: string;
}

export interface ExternalReference {
  readonly source_name: string;
  readonly url?: string;
  readonly external_id?: string;
  readonly description?: string;
}

export interface Indicator {
  /** STIX id (`indicator--…`), or `<source>:<value>` for a plain-list line. */
  readonly id: string;
  /** The feed it came from, as the operator named it (file name, feed name). */
  readonly source: string;
  /** The STIX pattern, or the plain-list value as written. */
  readonly pattern: string;
  readonly observables: readonly Observable[];
  readonly name?: string;
  readonly description?: string;
  /** STIX `labels` and `indicator_types` together (`malicious-activity`, `compromised`...). */
  readonly labels: readonly string[];
  readonly confidence?: number;
  readonly valid_from?: string;
  readonly valid_until?: string;
  /** Name of the identity that made it (STIX created_by_ref, resolved within the bundle), or the ref itself. */
  readonly created_by?: string;
  readonly kill_chain_phases: readonly KillChainPhase[];
  readonly external_references: readonly ExternalReference[];
  /** ATT&CK for ICS technique ids the indicator names (external references, `indicates` relationships). */
  readonly techniques: readonly string[];
}

const HASH_LENGTHS: Readonly<Record<number, HashAlgorithm>> = { 32: 'md5', 40: 'sha1', 64: 'sha256' };
const HEX = /^[0-9a-f]+$/;
// Labels of letters, digits, `-` and `_` (seen in real names), at least two labels: a single label would match a
// whole top-level domain.
const DOMAIN = /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))+$/;

/** Address or CIDR text → an observable (a /32 or /128 is an exact address), or a reason it is not one. */
export function ipObservable(text: string): Observable | string {
  const t = text.trim();
  const slash = t.indexOf('/');
  const addr = slash < 0 ? t : t.slice(0, slash);
  const v4 = parseIpv4(addr);
  const v6 = v4 < 0 ? parseIpv6(addr.toLowerCase()) : null;
  if (v4 < 0 && v6 === null) return `'${cut(t)}' is not an IPv4 or IPv6 address`;
  const max = v4 >= 0 ? 32 : 128;
  let prefix = max;
  if (slash >= 0) {
    const p = t.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p) || Number(p) > max) return `'${cut(t)}' has a bad prefix length`;
    prefix = Number(p);
  }
  if (v4 >= 0) {
    if (prefix === 32) return { kind: 'ipv4', value: ipv4String(v4) };
    return { kind: 'cidr4', network: (v4 & v4Mask(prefix)) >>> 0, prefix };
  }
  if (prefix === 128) return { kind: 'ipv6', value: ipv6GroupsString(v6!) };
  return { kind: 'cidr6', network: v6Number(v6!) & v6Mask(prefix), prefix };
}

export function domainObservable(text: string): Observable | string {
  const d = normaliseDomain(text.trim().replace(/^\*\./, ''));
  if (!DOMAIN.test(d)) return `'${cut(text)}' is not a domain name of two labels or more`;
  return { kind: 'domain', value: d };
}

export function urlObservable(text: string): Observable | string {
  const u = normaliseUrl(text.trim());
  return u === null ? `'${cut(text)}' is not a URL with a host` : { kind: 'url', value: u };
}

export function hashObservable(text: string, algorithm?: HashAlgorithm): Observable | string {
  const h = text.trim().toLowerCase();
  const alg = HASH_LENGTHS[h.length];
  if (!HEX.test(h) || alg === undefined) return `'${cut(text)}' is not an MD5, SHA-1 or SHA-256 hash in hex`;
  if (algorithm !== undefined && algorithm !== alg) return `'${cut(text)}' is not a ${algorithm} hash (wrong length)`;
  return { kind: 'hash', algorithm: alg, value: h };
}

/** Lower case, no trailing dot. */
export function normaliseDomain(name: string): string {
  const d = name.toLowerCase();
  return d.endsWith('.') ? d.slice(0, -1) : d;
}

/**
 * A URL as matched: host (lower case, no default port) + path + query, without scheme or fragment, so an indicator
 * for `https://h/p` also matches a cleartext request for `http://h/p` (the same resource) and the request line's
 * `Host` + URI compares directly. Scheme-less text is taken as http. Null when there is no host.
 */
export function normaliseUrl(text: string): string | null {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    return null;
  }
  if (u.hostname === '') return null;
  const host = normaliseDomain(u.hostname);
  const port = u.port === '' || u.port === '80' || u.port === '443' ? '' : `:${u.port}`;
  return `${host}${port}${u.pathname === '' ? '/' : u.pathname}${u.search}`;
}

export function v4Mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function v6Number(groups: readonly number[]): bigint {
  let n = 0n;
  for (const g of groups) n = (n << 16n) | BigInt(g);
  return n;
}

export function v6Mask(prefix: number): bigint {
  return prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << BigInt(128 - prefix);
}

/** The text of an observable as a feed would write it (for reports). */
export function observableText(o: Observable): string {
  switch (o.kind) {
    case 'cidr4':
      return `${ipv4String(o.network)}/${o.prefix}`;
    case 'cidr6': {
      const groups: number[] = [];
      for (let i = 7; i >= 0; i--) groups.push(Number((o.network >> BigInt(i * 16)) & 0xffffn));
      return `${ipv6GroupsString(groups)}/${o.prefix}`;
    }
    default:
      return o.value;
  }
}

function cut(s: string): string {
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}

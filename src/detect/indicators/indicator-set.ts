// The indicator matcher: exact addresses and domains, URLs and hashes in maps; CIDR ranges as one map per prefix
// length in use (network → indicators), so a look-up is one masked probe per length, whatever the overlap; domains
// also match their subdomains (`evil.com` matches `a.evil.com`) by probing each parent of the name seen.
import { AnomalyCounter } from '../../common/anomaly.js';
import { parseIpv4, parseIpv6 } from '../../inventory/address-class.js';
import { INDICATOR_ANOMALY } from './anomalies.js';
import { normaliseDomain, normaliseUrl, v4Mask, v6Mask, v6Number, type Indicator, type Observable } from './indicator.js';

/**
 * Indicators held. Measured: ~0.5 kB of heap per plain-list indicator (200 k took ~100 MB), so 100 k stays near 50 MB
 * inside the CLI's 256 MB heap (docs/decisions/0005-memory-budget.md); a bigger feed needs a bigger heap and this raised.
 */
export const MAX_INDICATORS = 100_000;
/** Values held across all indicators (a pattern can list many). */
export const MAX_VALUES = 500_000;
/** Parent domains probed per name (a DNS name has at most 127 labels). */
const MAX_LABELS = 127;

const NONE: readonly Indicator[] = Object.freeze([]);

export interface IndicatorCounts {
  indicators: number;
  ipv4: number;
  ipv6: number;
  cidr4: number;
  cidr6: number;
  domain: number;
  url: number;
  hash: number;
}

export class IndicatorSet {
  readonly anomalies = new AnomalyCounter();
  /** Indicators or values not loaded because a cap was reached. */
  dropped = 0;
  private readonly ids = new Set<string>();
  private readonly exactIp = new Map<string, Indicator[]>();
  private readonly cidr4 = new Map<number, Map<number, Indicator[]>>();
  private cidr4Lengths: number[] = [];
  private readonly cidr6 = new Map<number, Map<bigint, Indicator[]>>();
  private cidr6Lengths: number[] = [];
  private readonly domains = new Map<string, Indicator[]>();
  private readonly urls = new Map<string, Indicator[]>();
  private readonly hashes = new Map<string, Indicator[]>();
  private readonly count: IndicatorCounts = { indicators: 0, ipv4: 0, ipv6: 0, cidr4: 0, cidr6: 0, domain: 0, url: 0, hash: 0 };
  private values = 0;

  constructor(
    private readonly maxIndicators = MAX_INDICATORS,
    private readonly maxValues = MAX_VALUES,
  ) {}

  /** Adds an indicator (a second one with the same id is ignored); false when a cap stopped it. */
  add(ind: Indicator): boolean {
    if (this.ids.has(ind.id)) return true;
    if (this.ids.size >= this.maxIndicators) {
      this.anomalies.add(INDICATOR_ANOMALY.too_many_indicators);
      this.dropped++;
      return false;
    }
    if (this.values + ind.observables.length > this.maxValues) {
      this.anomalies.add(INDICATOR_ANOMALY.too_many_values);
      this.dropped++;
      return false;
    }
    this.ids.add(ind.id);
    this.count.indicators++;
    for (const o of ind.observables) this.index(o, ind);
    this.values += ind.observables.length;
    return true;
  }

  addAll(list: readonly Indicator[]): number {
    let n = 0;
    for (const ind of list) if (this.add(ind)) n++;
    return n;
  }

  get size(): number {
    return this.ids.size;
  }

  counts(): IndicatorCounts {
    return { ...this.count };
  }

  /** Indicators an address (text as the pipeline writes it) falls under: exact, then the CIDR ranges holding it. */
  matchIp(ip: string): readonly Indicator[] {
    const exact = this.exactIp.get(ip) ?? NONE;
    const v6 = ip.includes(':');
    if (v6 ? this.cidr6Lengths.length === 0 : this.cidr4Lengths.length === 0) return exact;
    let out: Indicator[] | null = null;
    if (!v6) {
      const n = parseIpv4(ip);
      if (n < 0) return exact;
      for (const p of this.cidr4Lengths) {
        const hit = this.cidr4.get(p)!.get((n & v4Mask(p)) >>> 0);
        if (hit !== undefined) out = (out ?? [...exact]).concat(hit);
      }
    } else {
      const g = parseIpv6(ip);
      if (g === null) return exact;
      const n = v6Number(g);
      for (const p of this.cidr6Lengths) {
        const hit = this.cidr6.get(p)!.get(n & v6Mask(p));
        if (hit !== undefined) out = (out ?? [...exact]).concat(hit);
      }
    }
    return out ?? exact;
  }

  /** Indicators for a name or any of its parent domains (case and a trailing dot ignored). */
  matchDomain(name: string): readonly Indicator[] {
    if (this.domains.size === 0 || name === '') return NONE;
    let d = normaliseDomain(name);
    let out: readonly Indicator[] = NONE;
    for (let i = 0; i < MAX_LABELS; i++) {
      const hit = this.domains.get(d);
      if (hit !== undefined) out = out.length === 0 ? hit : out.concat(hit);
      const dot = d.indexOf('.');
      if (dot < 0) break;
      d = d.slice(dot + 1);
    }
    return out;
  }

  /** Indicators for a URL (normalised as indicator URLs are: host, port unless default, path, query). */
  matchUrl(url: string): readonly Indicator[] {
    if (this.urls.size === 0) return NONE;
    const u = normaliseUrl(url);
    return u === null ? NONE : (this.urls.get(u) ?? NONE);
  }

  /** Indicators for a file hash in hex (MD5, SHA-1 or SHA-256; case ignored). No traffic source feeds this yet. */
  matchHash(hex: string): readonly Indicator[] {
    if (this.hashes.size === 0) return NONE;
    return this.hashes.get(hex.toLowerCase()) ?? NONE;
  }

  get hasDomains(): boolean {
    return this.domains.size > 0;
  }

  get hasUrls(): boolean {
    return this.urls.size > 0;
  }

  private index(o: Observable, ind: Indicator): void {
    this.count[o.kind]++;
    switch (o.kind) {
      case 'ipv4':
      case 'ipv6':
        push(this.exactIp, o.value, ind);
        return;
      case 'cidr4': {
        let m = this.cidr4.get(o.prefix);
        if (m === undefined) {
          this.cidr4.set(o.prefix, (m = new Map()));
          this.cidr4Lengths = [...this.cidr4.keys()].sort((a, b) => b - a);
        }
        push(m, o.network, ind);
        return;
      }
      case 'cidr6': {
        let m = this.cidr6.get(o.prefix);
        if (m === undefined) {
          this.cidr6.set(o.prefix, (m = new Map()));
          this.cidr6Lengths = [...this.cidr6.keys()].sort((a, b) => b - a);
        }
        push(m, o.network, ind);
        return;
      }
      case 'domain':
        push(this.domains, o.value, ind);
        return;
      case 'url':
        push(this.urls, o.value, ind);
        return;
      case 'hash':
        push(this.hashes, o.value, ind);
    }
  }
}

function push<K>(m: Map<K, Indicator[]>, k: K, ind: Indicator): void {
  const list = m.get(k);
  if (list === undefined) m.set(k, [ind]);
  else if (!list.includes(ind)) list.push(ind);
}

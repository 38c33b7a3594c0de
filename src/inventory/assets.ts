// The asset table: one record per device, keyed by the addresses it has been seen with. IP addresses are joined into
// one asset only on a MAC's own claim (ARP sender, DHCP client, LLDP/CDP sender), never on the Ethernet source of
// routed traffic, so a router's MAC does not swallow the hosts behind it and a DHCP renumbering does not split a
// device. Every property value is kept with its evidence; conflicting values sit side by side.
import { classifyAddress, isHostAddress } from './address-class.js';

const INTERN_MAX_ENTRIES = 65_536;
const INTERN_MAX_LENGTH = 128;
const pool = new Map<string, string>();

/**
 * One copy of a repeated string (property names, vendors, firmware versions, roles): values parsed from packets are
 * fresh strings, and 50,000 assets repeat a few hundred of them. A cache only: cleared when full.
 */
export function intern(s: string): string {
  if (s.length > INTERN_MAX_LENGTH) return s;
  const known = pool.get(s);
  if (known !== undefined) return known;
  if (pool.size >= INTERN_MAX_ENTRIES) pool.clear();
  pool.set(s, s);
  return s;
}

/** Where a fact was seen: the protocol (or `arp`, `lldp`...), the message, the flow (null for layer 2) and when. */
export interface Evidence {
  readonly protocol: string;
  readonly source: string;
  readonly flow: number | null;
  readonly ts: number;
}

/** How an address came to belong to an asset. */
export type BindingSource = 'flow' | 'link_local' | 'arp' | 'ndp' | 'dhcp' | 'lldp' | 'cdp' | 'protocol';

/**
 * Claims (as opposed to `flow`: the Ethernet source of a frame) bind a MAC to an IP: the device's own statement, or a
 * link-local source address, which no router forwards (RFC 4291 §2.5.6, RFC 3927 §2.6.2).
 */
const CLAIMS: ReadonlySet<BindingSource> = new Set(['arp', 'ndp', 'dhcp', 'lldp', 'cdp', 'link_local']);

export class AddressSeen {
  constructor(
    readonly address: string,
    public source: BindingSource,
    public first: number,
    public last: number,
  ) {}

  see(ts: number, source: BindingSource): void {
    if (ts < this.first) this.first = ts;
    if (ts > this.last) this.last = ts;
    // A claim outranks a frame's source address.
    if (CLAIMS.has(source)) this.source = source;
  }

  get claimed(): boolean {
    return CLAIMS.has(this.source);
  }
}

/**
 * An asset's addresses of one kind: a short array searched linearly (a device has one or two), far lighter than a Map
 * for 50,000 assets.
 */
export class AddressList {
  private readonly list: AddressSeen[] = [];

  get size(): number {
    return this.list.length;
  }

  get(address: string): AddressSeen | undefined {
    for (const s of this.list) if (s.address === address) return s;
    return undefined;
  }

  has(address: string): boolean {
    return this.get(address) !== undefined;
  }

  add(s: AddressSeen): void {
    this.list.push(s);
  }

  keys(): string[] {
    return this.list.map((s) => s.address);
  }

  values(): readonly AddressSeen[] {
    return this.list;
  }
}

/** One value of one property, with the first and the latest evidence for it. */
export class ValueSeen {
  count = 1;
  latest: Evidence;

  constructor(
    readonly property: string,
    readonly value: string | number,
    public confidence: number,
    public firstEvidence: Evidence,
  ) {
    this.latest = firstEvidence;
  }
}

export const ASSET_CAPS = {
  ipsPerAsset: 64,
  macsPerAsset: 16,
  valuesPerProperty: 8,
  propertiesPerAsset: 64,
  protocolRolesPerAsset: 32,
} as const;

export interface ProtocolRoleSeen {
  /** `protocol/role`: `modbus/server`, `dnp3/master`. */
  readonly key: string;
  count: number;
  first: number;
  last: number;
}

export class Asset {
  readonly ips = new AddressList();
  readonly macs = new AddressList();
  /** Values of properties (`names.dns`, `identity.firmware`, `address.dnp3`...), flat. Null until the first hint. */
  props: ValueSeen[] | null = null;
  protocolRoles: ProtocolRoleSeen[] | null = null;
  /** Distinct properties held (the cap counts these). */
  private propertyCount = 0;
  /** Ids of assets merged into this one. */
  aliases: string[] | null = null;
  vlans: number[] | null = null;
  /** Set when merged into another asset: lookups through stale references follow it. */
  mergedInto: Asset | null = null;
  /** Facts dropped at a cap. */
  capped = 0;
  /** For a device reached through another (behind a BACnet router, a gateway): that asset, and the address behind it. */
  gateway: Asset | null = null;
  behind: string | null = null;
  /** Changed since the inventory's records were last written (the store's delta flush); new assets start changed. */
  changed = true;

  constructor(
    readonly id: string,
    public first: number,
    public last: number,
  ) {}

  touch(ts: number): void {
    this.changed = true;
    if (ts > this.last) this.last = ts;
    if (ts < this.first) this.first = ts;
  }

  addVlan(vlan: number): void {
    if (vlan === 0) return;
    const v = (this.vlans ??= []);
    if (!v.includes(vlan) && v.length < 16) {
      v.push(vlan);
      this.changed = true;
    }
  }

  /** The values of one property (allocates: for snapshots, not per event). */
  values(property: string): ValueSeen[] {
    return this.props === null ? [] : this.props.filter((v) => v.property === property);
  }

  /** Records one value of a property; values differing from the known ones are kept beside them. */
  addValue(property: string, value: string | number, confidence: number, ev: Evidence): void {
    this.changed = true;
    const props = (this.props ??= []);
    let sameProperty = 0;
    for (const v of props) {
      if (v.property !== property) continue;
      sameProperty++;
      if (v.value !== value) continue;
      v.count++;
      if (confidence > v.confidence) v.confidence = confidence;
      if (ev.ts >= v.latest.ts) v.latest = ev;
      return;
    }
    if (sameProperty === 0) {
      if (this.propertyCount >= ASSET_CAPS.propertiesPerAsset) {
        this.capped++;
        return;
      }
      this.propertyCount++;
    } else if (sameProperty >= ASSET_CAPS.valuesPerProperty) {
      this.capped++;
      return;
    }
    props.push(new ValueSeen(intern(property), typeof value === 'string' ? intern(value) : value, confidence, ev));
  }

  /** Takes over a value from a merged asset, adding up counts. */
  mergeValue(from: ValueSeen): void {
    const same = this.props?.find((v) => v.property === from.property && v.value === from.value);
    if (same === undefined) {
      const before = this.props?.length ?? 0;
      this.addValue(from.property, from.value, from.confidence, from.firstEvidence);
      if ((this.props?.length ?? 0) > before) {
        const added = this.props![this.props!.length - 1];
        added.count = from.count;
        added.latest = from.latest;
      }
      return;
    }
    same.count += from.count;
    if (from.confidence > same.confidence) same.confidence = from.confidence;
    if (from.firstEvidence.ts < same.firstEvidence.ts) same.firstEvidence = from.firstEvidence;
    if (from.latest.ts > same.latest.ts) same.latest = from.latest;
  }

  addProtocolRole(protocol: string, role: string, ts: number, count = 1): void {
    this.changed = true;
    const roles = (this.protocolRoles ??= []);
    const key = `${protocol}/${role}`;
    for (const r of roles) {
      if (r.key !== key) continue;
      r.count += count;
      if (ts < r.first) r.first = ts;
      if (ts > r.last) r.last = ts;
      return;
    }
    if (roles.length < ASSET_CAPS.protocolRolesPerAsset) roles.push({ key: intern(key), count, first: ts, last: ts });
    else this.capped++;
  }

  /** The best value of a property: highest confidence, then most often seen, then latest. */
  best(property: string): ValueSeen | undefined {
    let best: ValueSeen | undefined;
    for (const v of this.props ?? []) {
      if (v.property !== property) continue;
      if (best === undefined) {
        best = v;
        continue;
      }
      if (v.confidence > best.confidence || (v.confidence === best.confidence && (v.count > best.count || (v.count === best.count && v.latest.ts > best.latest.ts)))) best = v;
    }
    return best;
  }

  hasClaimedMac(): boolean {
    for (const m of this.macs.values()) if (m.claimed) return true;
    return false;
  }

  /** Adds or refreshes an address. */
  see(list: AddressList, address: string, ts: number, source: BindingSource): void {
    this.changed = true;
    const s = list.get(address);
    if (s !== undefined) s.see(ts, source);
    else if (list.size < (list === this.ips ? ASSET_CAPS.ipsPerAsset : ASSET_CAPS.macsPerAsset)) list.add(new AddressSeen(address, source, ts, ts));
    else this.capped++;
  }
}

/** Frame-level MAC → IP observations, to tell a host's MAC from a gateway's that fronts many addresses. */
class MacUse {
  private readonly ips: string[] = [];
  /** Distinct IPs: exact up to the tracked maximum, then approximate (above the gateway threshold either way). */
  distinct = 0;

  /** The IPs tracked (borrowed). */
  get tracked(): readonly string[] {
    return this.ips;
  }

  see(ip: string): void {
    if (this.ips.includes(ip)) return;
    this.distinct++;
    if (this.ips.length < MAX_TRACKED_IPS_PER_MAC) this.ips.push(ip);
  }
}

/** Above this many source IPs behind one MAC, the MAC is a layer-3 gateway's (router, firewall, L3 switch). */
export const GATEWAY_MAC_MIN_IPS = 4;
const MAX_REBOUND = 65_536;
const MAX_TRACKED_IPS_PER_MAC = 32;

export interface AssetTableCounters {
  created: number;
  merged: number;
  evicted: number;
  /** Claims of an IP by a second MAC while the first still holds it (failover pair, NIC team, or spoofing). */
  bindingConflicts: number;
}

export class AssetTable {
  readonly byIp = new Map<string, Asset>();
  readonly byMac = new Map<string, Asset>();
  readonly assets = new Map<string, Asset>();
  readonly macUse = new Map<string, MacUse>();
  /** Devices behind a gateway, by `gateway id>protocol:address`. */
  readonly byBehind = new Map<string, Asset>();
  /** LLDP chassis ids and CDP device ids: one device announcing from several port MACs stays one asset. */
  readonly byChassis = new Map<string, Asset>();
  readonly counters: AssetTableCounters = { created: 0, merged: 0, evicted: 0, bindingConflicts: 0 };
  /**
   * IPs whose owning asset changed (created, merged, evicted) since the records were last written: the edges that
   * name them must be rewritten too. At its cap, `reboundOverflow` says "all of them".
   */
  readonly rebound = new Set<string>();
  reboundOverflow = false;

  constructor(readonly maxAssets = 50_000) {}

  /** Forgets the change marks once the records are written. */
  clearChanges(): void {
    for (const a of this.assets.values()) a.changed = false;
    this.rebound.clear();
    this.reboundOverflow = false;
  }

  private bindIp(ip: string, a: Asset): void {
    this.byIp.set(ip, a);
    if (this.rebound.size < MAX_REBOUND) this.rebound.add(ip);
    else this.reboundOverflow = true;
  }

  get size(): number {
    return this.assets.size;
  }

  /** The asset of a host IP, created when new; null for group, unspecified or unparsable addresses. */
  ofIp(ip: string, ts: number): Asset | null {
    let a = this.byIp.get(ip);
    if (a !== undefined) {
      a.touch(ts);
      a.ips.get(ip)?.see(ts, 'flow');
      return a;
    }
    if (!isHostAddress(ip)) return null;
    a = this.create(`ip:${ip}`, ts);
    a.see(a.ips, ip, ts, 'flow');
    this.bindIp(ip, a);
    return a;
  }

  /** The asset of a device reached through `gateway` at `protocol` address `address`, created when new. */
  ofBehind(gateway: Asset, protocol: string, address: string, ts: number): Asset {
    const key = `${gateway.id}>${protocol}:${address}`;
    let a = this.byBehind.get(key);
    if (a !== undefined) {
      a.touch(ts);
      return this.resolve(a);
    }
    a = this.create(key, ts);
    a.gateway = gateway;
    a.behind = `${protocol}:${address}`;
    this.byBehind.set(key, a);
    return a;
  }

  /** The asset of a MAC, or a new MAC-only asset. */
  ofMac(mac: string, ts: number, source: BindingSource): Asset {
    let a = this.byMac.get(mac);
    if (a !== undefined) {
      a.touch(ts);
      return a;
    }
    a = this.create(`mac:${mac}`, ts);
    a.see(a.macs, mac, ts, source);
    this.byMac.set(mac, a);
    return a;
  }

  /** The Ethernet source of a frame from `ip`: a weak binding, shown unless the MAC turns out to front many IPs. */
  observeFrameSource(mac: string, ip: string, ts: number, vlan: number): void {
    const a = this.ofIp(ip, ts);
    if (a === null) return;
    a.addVlan(vlan);
    let use = this.macUse.get(mac);
    if (use === undefined) {
      if (this.macUse.size >= this.maxAssets * 2) this.macUse.clear();
      this.macUse.set(mac, (use = new MacUse()));
    }
    const before = use.distinct;
    use.see(ip);
    // The MAC just turned out to front many addresses (a gateway's): the assets showing it change their records.
    if (use.distinct !== before) {
      if (before < GATEWAY_MAC_MIN_IPS && use.distinct >= GATEWAY_MAC_MIN_IPS) for (const other of use.tracked) this.byIp.get(other)?.touch(ts);
      // The MAC's own asset shows how many addresses it fronts.
      const owner = this.byMac.get(mac);
      if (owner !== undefined) owner.changed = true;
    }
    a.see(a.macs, mac, ts, 'flow');
  }

  /** Distinct source IPs seen behind a MAC (frames), saturating at the tracked maximum plus the overflow count. */
  ipsBehindMac(mac: string): number {
    const u = this.macUse.get(mac);
    return u === undefined ? 0 : u.distinct;
  }

  /**
   * A MAC states that it owns an IP (ARP sender, DHCP lease, LLDP management address). Joins the IP's asset into the
   * MAC's when the IP had no owner MAC yet (the DHCP renumbering case); an IP already owned by another MAC keeps its
   * asset and records the second MAC beside the first (counted as a binding conflict).
   */
  claim(mac: string, ip: string | null, ts: number, source: BindingSource): Asset {
    if (ip !== null && !isHostAddress(ip)) ip = null;
    const byMac = this.byMac.get(mac);
    const byIp = ip !== null ? this.byIp.get(ip) : undefined;
    let owner: Asset;
    if (byMac === undefined && byIp === undefined) {
      owner = this.create(ip !== null ? `ip:${ip}` : `mac:${mac}`, ts);
      if (ip !== null) this.bindIp(ip, owner);
    } else if (byMac === undefined) {
      owner = byIp!;
      if (owner.hasClaimedMac() && !owner.macs.get(mac)?.claimed) this.counters.bindingConflicts++;
    } else if (byIp === undefined || byIp === byMac) {
      owner = byMac;
      if (ip !== null && byIp === undefined) this.bindIp(ip, owner);
    } else if (!byIp.hasClaimedMac()) {
      owner = this.merge(byIp, byMac);
    } else {
      // The IP belongs to another MAC's asset: keep both, record the claim on the IP's asset.
      this.counters.bindingConflicts++;
      owner = byIp;
    }
    owner.touch(ts);
    if (!this.byMac.has(mac)) this.byMac.set(mac, owner);
    owner.see(owner.macs, mac, ts, source);
    if (ip !== null) owner.see(owner.ips, ip, ts, source);
    return owner;
  }

  /** Adds a MAC the device states as its own (an LLDP/CDP port MAC) to an asset, when no other asset has it. */
  addMac(asset: Asset, mac: string, ts: number, source: BindingSource): Asset {
    const other = this.byMac.get(mac);
    if (other !== undefined && other !== asset) return asset;
    this.byMac.set(mac, asset);
    asset.see(asset.macs, mac, ts, source);
    return asset;
  }

  /** Adds an IP to an asset (an address the device states as its own, e.g. an LLDP management address). */
  addIp(asset: Asset, ip: string, ts: number, source: BindingSource): Asset {
    // A management address of 127.0.0.1 (some switches announce it) names no interface.
    if (!isHostAddress(ip) || classifyAddress(ip).kind === 'loopback') return asset;
    const other = this.byIp.get(ip);
    if (other !== undefined && other !== asset) {
      if (other.hasClaimedMac()) return asset;
      asset = this.merge(other, asset);
    }
    this.bindIp(ip, asset);
    asset.see(asset.ips, ip, ts, source);
    return asset;
  }

  /** Follows merges. */
  resolve(a: Asset): Asset {
    while (a.mergedInto !== null) a = a.mergedInto;
    return a;
  }

  /** Moves everything `from` knows into `into`; `from` disappears (its id stays as an alias). */
  private merge(from: Asset, into: Asset): Asset {
    for (const s of from.ips.values()) {
      into.see(into.ips, s.address, s.first, s.source);
      into.see(into.ips, s.address, s.last, s.source);
      this.bindIp(s.address, into);
    }
    for (const s of from.macs.values()) {
      into.see(into.macs, s.address, s.first, s.source);
      into.see(into.macs, s.address, s.last, s.source);
      if (this.byMac.get(s.address) === from) this.byMac.set(s.address, into);
    }
    for (const [k, v] of this.byChassis) if (v === from) this.byChassis.set(k, into);
    // Devices behind `from` now name `into` as their gateway.
    for (const v of this.byBehind.values()) if (v.gateway === from) v.changed = true;
    for (const v of from.props ?? []) into.mergeValue(v);
    for (const r of from.protocolRoles ?? []) {
      const slash = r.key.indexOf('/');
      into.addProtocolRole(r.key.slice(0, slash), r.key.slice(slash + 1), r.first, r.count);
      into.addProtocolRole(r.key.slice(0, slash), r.key.slice(slash + 1), r.last, 0);
    }
    for (const v of from.vlans ?? []) into.addVlan(v);
    (into.aliases ??= []).push(from.id, ...(from.aliases ?? []));
    into.touch(from.first);
    into.touch(from.last);
    into.capped += from.capped;
    from.mergedInto = into;
    this.assets.delete(from.id);
    this.counters.merged++;
    return into;
  }

  private create(id: string, ts: number): Asset {
    if (this.assets.size >= this.maxAssets) this.evict();
    // An id can come back after its asset was merged away or evicted: keep ids unique.
    let unique = id;
    for (let n = 2; this.assets.has(unique); n++) unique = `${id}#${n}`;
    const a = new Asset(unique, ts, ts);
    this.assets.set(unique, a);
    this.counters.created++;
    return a;
  }

  /** At the cap, the tenth of assets seen least recently go (counted); their addresses may come back as new assets. */
  private evict(): void {
    const all = [...this.assets.values()].sort((x, y) => x.last - y.last);
    const n = Math.max(1, Math.floor(all.length / 10));
    for (let i = 0; i < n; i++) {
      const a = all[i];
      for (const ip of a.ips.keys()) {
        if (this.byIp.get(ip) !== a) continue;
        this.byIp.delete(ip);
        if (this.rebound.size < MAX_REBOUND) this.rebound.add(ip);
        else this.reboundOverflow = true;
      }
      for (const mac of a.macs.keys()) if (this.byMac.get(mac) === a) this.byMac.delete(mac);
      for (const [k, v] of this.byChassis) if (v === a) this.byChassis.delete(k);
      if (a.gateway !== null) this.byBehind.delete(a.id);
      this.assets.delete(a.id);
      this.counters.evicted++;
    }
  }
}

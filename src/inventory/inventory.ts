// The inventory stage: turns frames (Ethernet source of IP traffic, ARP), link discovery, protocol hints,
// transactions and ended flows into assets and communication-map edges, incrementally (a live capture grows it) and
// within caps. `snapshot()` renders both as the records `assets.json` and `connections.json` hold (docs/inventory.md).
import { ipv4String, ipv6String } from '../common/ip.js';
import { macString } from '../decode/format.js';
import { IPPROTO, L3, type Packet } from '../decode/packet.js';
import type { FlowRecord } from '../flow/flow.js';
import type { HintRecord } from '../pipeline/events.js';
import type { TransactionRecord } from '../pipeline/detail.js';
import type { LinkDiscovery } from '../protocols/link-discovery/types.js';
import type { AssetIdentity, HostName, NameSource } from '../protocols/operation.js';
import type { FlowInfo } from '../protocols/protocol.js';
import type { ProtocolRegistry } from '../protocols/registry.js';
import { AssetTable, GATEWAY_MAC_MIN_IPS, type Asset, type Evidence } from './assets.js';
import { EdgeTable, type EdgeTransport } from './connections.js';
import { buildSnapshot, type InventoryDelta, type InventorySnapshot, type AssetOverride } from './snapshot.js';

/** How far a name or identity from each source is trusted (0..1): a device's own statement above a third party's. */
export const NAME_CONFIDENCE: Readonly<Record<NameSource, number>> = {
  lldp: 0.9,
  cdp: 0.9,
  protocol: 0.85,
  dhcp: 0.8,
  netbios: 0.8,
  mdns: 0.8,
  dns: 0.7,
  llmnr: 0.7,
  tls_sni: 0.4,
  http_host: 0.4,
};
/** Identity a device states about itself in an industrial protocol (SZL, Identity object, MEI, Device object). */
const INDUSTRIAL_IDENTITY_CONFIDENCE = 0.9;
/** Identity from IT protocols (banners, user agents, DHCP vendor class): easily changed or generic. */
const IT_IDENTITY_CONFIDENCE = 0.6;
const LINK_IDENTITY_CONFIDENCE = 0.85;

/** Frame-source observations of one (MAC, IP) pair are refreshed at most this often (capture seconds). */
const FRAME_REFRESH_SEC = 60;
const FRAME_CACHE_SIZE = 4096;
/** Names learned for addresses no asset has yet (a DNS answer before the connection). */
const MAX_PENDING_NAMES = 10_000;

export interface InventoryOptions {
  registry: ProtocolRegistry;
  maxAssets?: number;
  maxEdges?: number;
  overrides?: readonly AssetOverride[];
}

export interface InventoryCounters {
  hints: number;
  transactions: number;
  flows: number;
  arp: number;
  linkDiscovery: number;
  pendingNamesDropped: number;
}

export class Inventory {
  readonly assets: AssetTable;
  readonly edges: EdgeTable;
  readonly counters: InventoryCounters = { hints: 0, transactions: 0, flows: 0, arp: 0, linkDiscovery: 0, pendingNamesDropped: 0 };
  readonly industrial: ReadonlySet<string>;
  overrides: readonly AssetOverride[];
  private readonly cacheMac = new Int32Array(FRAME_CACHE_SIZE);
  private readonly cacheIp = new Int32Array(FRAME_CACHE_SIZE);
  private readonly cacheUntil = new Float64Array(FRAME_CACHE_SIZE);
  private readonly pendingNames = new Map<string, { name: string; source: NameSource; ev: Evidence }[]>();
  /** Open flows' edge fingerprints at the last committed delta (snapshot.ts). */
  liveSeen = new Map<string, number>();

  constructor(options: InventoryOptions) {
    this.assets = new AssetTable(options.maxAssets);
    this.edges = new EdgeTable(options.maxEdges);
    this.industrial = new Set(options.registry.modules.filter((m) => m.category === 'industrial').map((m) => m.id));
    this.overrides = options.overrides ?? [];
  }

  /** Per IP frame (hot path): the Ethernet source MAC beside the source IP, sampled through a small cache. */
  observeFrame(pkt: Packet): void {
    const off = pkt.srcMacOff;
    const b = pkt.buf;
    // No MAC (raw IP, SLL), or a group or all-zero one (loopback, some tunnels): the source names no interface, but
    // the source address is still a host that sent something.
    const macValid = off >= 0 && (b[off] & 1) === 0 && (b[off] | b[off + 1] | b[off + 2] | b[off + 3] | b[off + 4] | b[off + 5]) !== 0;
    const macKey = macValid ? (((b[off + 2] << 24) | (b[off + 3] << 16) | (b[off + 4] << 8) | b[off + 5]) ^ Math.imul((b[off] << 8) | b[off + 1], 0x9e3779b1)) | 0 : 0;
    let ipKey: number;
    if (pkt.l3 === L3.IPV4) ipKey = pkt.src4 | 0;
    else {
      const a = pkt.addrBuf;
      const o = pkt.src6Off;
      ipKey = 0x811c9dc5;
      for (let i = 0; i < 16; i++) ipKey = Math.imul(ipKey ^ a[o + i], 0x01000193);
    }
    const slot = Math.imul(macKey ^ Math.imul(ipKey, 0x85ebca6b), 0xc2b2ae35) >>> 20;
    // Neighbour discovery (RFC 4861 §7.1: router/neighbour solicitations and advertisements, hop limit 255, never
    // routed) is IPv6's ARP: the sender's own claim of its address.
    if (macValid && pkt.l4 === IPPROTO.IPV6_ICMP && pkt.ttl === 255 && pkt.icmpType >= 133 && pkt.icmpType <= 136) {
      const ip6 = ipv6String(pkt.addrBuf, pkt.src6Off);
      if (ip6 !== '::') {
        this.assets.claim(macString(b, off), ip6, pkt.ts, 'ndp').addVlan(pkt.vlanOuter);
        this.applyPendingNames(ip6);
      }
    }
    if (this.cacheMac[slot] === macKey && this.cacheIp[slot] === ipKey && pkt.ts < this.cacheUntil[slot]) return;
    this.cacheMac[slot] = macKey;
    this.cacheIp[slot] = ipKey;
    this.cacheUntil[slot] = pkt.ts + FRAME_REFRESH_SEC;
    const ip = pkt.l3 === L3.IPV4 ? ipv4String(pkt.src4) : ipv6String(pkt.addrBuf, pkt.src6Off);
    const known = this.assets.byIp.has(ip);
    if (!macValid) {
      this.assets.ofIp(ip, pkt.ts)?.addVlan(pkt.vlanOuter);
      if (!known) this.applyPendingNames(ip);
      return;
    }
    const mac = macString(b, off);
    this.assets.observeFrameSource(mac, ip, pkt.ts, pkt.vlanOuter);
    // A link-local source (fe80::/10, 169.254/16) was not routed: the frame's source MAC is the sender's own.
    if (pkt.l3 === L3.IPV4 ? pkt.src4 >>> 16 === 0xa9fe : (pkt.addrBuf[pkt.src6Off] === 0xfe && (pkt.addrBuf[pkt.src6Off + 1] & 0xc0) === 0x80)) {
      this.assets.claim(mac, ip, pkt.ts, 'link_local');
    }
    if (!known) this.applyPendingNames(ip);
    // A MAC that just reached the gateway threshold gets its own asset (the router, firewall or L3 switch).
    if (this.assets.ipsBehindMac(mac) === GATEWAY_MAC_MIN_IPS && !this.assets.byMac.has(mac)) this.assets.ofMac(mac, pkt.ts, 'flow');
  }

  /** An ARP request or reply: the sender states its MAC owns its IP. */
  observeArp(pkt: Packet): void {
    if (pkt.arpSenderMacOff < 0 || pkt.arpSenderIp === 0) return;
    this.counters.arp++;
    const ip = ipv4String(pkt.arpSenderIp);
    const known = this.assets.byIp.has(ip);
    this.assets.claim(macString(pkt.buf, pkt.arpSenderMacOff), ip, pkt.ts, 'arp').addVlan(pkt.vlanOuter);
    if (!known) this.applyPendingNames(ip);
  }

  /** An LLDP or CDP frame: the sending device's names, platform, capabilities and management addresses. */
  observeLinkDiscovery(ld: LinkDiscovery, ts: number, vlan: number): void {
    this.counters.linkDiscovery++;
    const chassisMac = ld.chassis_id_subtype === 'mac_address' && ld.chassis_id !== undefined && /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(ld.chassis_id) ? ld.chassis_id : null;
    const mac = chassisMac ?? ld.sender_mac;
    const chassisKey = ld.chassis_id !== undefined ? `${ld.protocol}:${ld.chassis_id_subtype ?? ''}:${ld.chassis_id}` : null;
    const known = chassisKey !== null ? this.assets.byChassis.get(chassisKey) : undefined;
    let asset = known !== undefined ? this.assets.resolve(known) : this.assets.claim(mac, null, ts, ld.protocol);
    if (known !== undefined) asset = this.assets.addMac(asset, ld.sender_mac, ts, ld.protocol);
    else if (chassisKey !== null && this.assets.byChassis.size < this.assets.maxAssets) this.assets.byChassis.set(chassisKey, asset);
    if (chassisMac !== null && ld.sender_mac !== chassisMac) asset = this.assets.addMac(asset, ld.sender_mac, ts, ld.protocol);
    for (const ip of ld.management_addresses) asset = this.assets.addIp(asset, ip, ts, ld.protocol);
    asset.addVlan(vlan);
    const ev: Evidence = { protocol: ld.protocol, source: ld.protocol === 'lldp' ? 'lldpdu' : 'cdp_announcement', flow: null, ts };
    if (ld.system_name) asset.addValue(`names.${ld.protocol}`, ld.system_name, NAME_CONFIDENCE[ld.protocol], ev);
    if (ld.system_description) asset.addValue('identity.description', ld.system_description, LINK_IDENTITY_CONFIDENCE, ev);
    if (ld.platform) asset.addValue('identity.model', ld.platform, LINK_IDENTITY_CONFIDENCE, ev);
    if (ld.software_version) asset.addValue('identity.software', ld.software_version, LINK_IDENTITY_CONFIDENCE, ev);
    // The port the frame left by: where on the switch (or which interface of the device) this link is.
    const port = ld.port_description ?? ld.port_id;
    if (port) asset.addValue('link.port', port, LINK_IDENTITY_CONFIDENCE, ev);
    for (const c of ld.enabled_capabilities.length > 0 ? ld.enabled_capabilities : ld.capabilities) asset.addValue('capability', c, LINK_IDENTITY_CONFIDENCE, ev);
    asset.addProtocolRole(ld.protocol, 'sender', ts);
  }

  /** A protocol's asset hint. */
  observeHint(h: HintRecord): void {
    this.counters.hints++;
    const ev: Evidence = { protocol: h.protocol, source: h.source, flow: h.flow, ts: h.ts };
    let asset: Asset | null;
    const subject = h.subject;
    if (subject?.behind !== undefined) {
      const gateway = this.assets.ofIp(h.side === 'client' ? h.client.ip : h.server.ip, h.ts);
      if (gateway === null) return;
      gateway.addProtocolRole(h.protocol, 'gateway', h.ts);
      asset = this.assets.ofBehind(gateway, h.protocol, subject.behind, h.ts);
      if (h.role !== undefined) asset.addProtocolRole(h.protocol, h.role, h.ts);
    } else if (subject !== undefined) {
      if (subject.mac !== undefined) asset = this.assets.claim(subject.mac, subject.ip ?? null, h.ts, h.protocol === 'dhcp' ? 'dhcp' : 'protocol');
      else if (subject.ip !== undefined) {
        asset = this.assets.byIp.get(subject.ip) ?? null;
        // A name for an address not (yet) seen in traffic waits until it is, rather than making an asset.
        if (asset === null) {
          this.pendName(subject.ip, h.names ?? [], ev);
          return;
        }
      } else return;
    } else {
      asset = this.assets.ofIp(h.side === 'client' ? h.client.ip : h.server.ip, h.ts);
    }
    if (asset === null) return;
    if (h.role !== undefined && subject === undefined) asset.addProtocolRole(h.protocol, h.role, h.ts);
    if (h.identity !== undefined) this.addIdentity(asset, h.identity, h.protocol, ev);
    for (const n of h.names ?? []) asset.addValue(`names.${n.source}`, n.name, NAME_CONFIDENCE[n.source] ?? 0.5, ev);
    if (h.address !== undefined && (subject === undefined || subject.behind !== undefined)) asset.addValue(`address.${h.protocol}`, h.address, INDUSTRIAL_IDENTITY_CONFIDENCE, ev);
  }

  /** Every transaction (before the export's detail filter): the edge's operation histogram. */
  observeTransaction(t: TransactionRecord, flow: FlowInfo): void {
    this.counters.transactions++;
    const e = this.edges.edgeOfFlow(flow.id, flow.client.ip, flow.server.ip, t.protocol, flow.transport, flow.server.port, flow.vlan[0] ?? 0, t.ts);
    this.edges.addOperation(e, t.operation.name, t.operation.access, t.outcome, t.origin === 'server');
  }

  /**
   * An ended flow's packets and bytes go to its edge. An end becomes an asset only if it sent something: a scanned
   * address that never answered is an edge's target, not a device.
   */
  observeFlowEnd(f: FlowRecord): void {
    this.counters.flows++;
    this.addFlow(f, this.edges);
    this.endpointSeen(f.client.ip, f.packetsToServer > 0, f);
    this.endpointSeen(f.server.ip, f.packetsToClient > 0, f);
  }

  private endpointSeen(ip: string, sent: boolean, f: FlowRecord): void {
    const known = this.assets.byIp.has(ip);
    if (!known && !sent) return;
    const a = this.assets.ofIp(ip, f.firstTs);
    if (a === null) return;
    a.touch(f.lastTs);
    if (f.vlan[0] !== 0) a.addVlan(f.vlan[0]);
    if (!known) this.applyPendingNames(ip);
  }

  /** The inventory as records; `active` flows (still open) count in their edges without being consumed. */
  snapshot(active: Iterable<FlowRecord> = []): InventorySnapshot {
    return buildSnapshot(this, active);
  }

  /** The records changed since the last delta's `commit()` (all of them the first time), for the store's flush. */
  delta(active: Iterable<FlowRecord> = []): InventoryDelta {
    return buildSnapshot(this, active, true);
  }

  /** Adds a flow to an edge table (this one, or the snapshot's scratch copy for live flows). */
  addFlow(f: FlowRecord, edges: EdgeTable): void {
    edges.addFlow(f.id, f.client.ip, f.server.ip, edgeProtocol(f), f.transport as EdgeTransport, f.transport === 'tcp' || f.transport === 'udp' ? f.server.port : 0, f.vlan[0] ?? 0, {
      flows: 1,
      packetsToServer: f.packetsToServer,
      packetsToClient: f.packetsToClient,
      bytesToServer: f.bytesToServer,
      bytesToClient: f.bytesToClient,
      first: f.firstTs,
      last: f.lastTs,
    });
  }

  private addIdentity(asset: Asset, identity: AssetIdentity, protocol: string, ev: Evidence): void {
    const confidence = this.industrial.has(protocol) ? INDUSTRIAL_IDENTITY_CONFIDENCE : IT_IDENTITY_CONFIDENCE;
    for (const key in identity) {
      const v = identity[key];
      if (v === undefined || v === '') continue;
      if (key === 'name' && typeof v === 'string') asset.addValue('names.protocol', v, NAME_CONFIDENCE.protocol, ev);
      else asset.addValue(`identity.${key}`, v, confidence, ev);
    }
  }

  private pendName(ip: string, names: readonly HostName[], ev: Evidence): void {
    if (names.length === 0) return;
    let list = this.pendingNames.get(ip);
    if (list === undefined) {
      if (this.pendingNames.size >= MAX_PENDING_NAMES) {
        this.counters.pendingNamesDropped++;
        // Oldest first out: Map iteration order is insertion order.
        this.pendingNames.delete(this.pendingNames.keys().next().value!);
      }
      this.pendingNames.set(ip, (list = []));
    }
    for (const n of names) if (list.length < 8 && !list.some((x) => x.name === n.name && x.source === n.source)) list.push({ name: n.name, source: n.source, ev });
  }

  private applyPendingNames(ip: string): void {
    const list = this.pendingNames.get(ip);
    if (list === undefined) return;
    this.pendingNames.delete(ip);
    const a = this.assets.byIp.get(ip);
    if (a === undefined) return;
    for (const n of list) a.addValue(`names.${n.source}`, n.name, NAME_CONFIDENCE[n.source] ?? 0.5, n.ev);
  }
}

/** The protocol an edge is filed under: the detected one, else `unknown`/`undecided`, else the transport. */
export function edgeProtocol(f: FlowRecord): string {
  return f.protocol ?? f.transport;
}

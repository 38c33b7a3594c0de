// Renders the inventory as records (docs/inventory.md): assets with every property's evidence and their roles, and
// communication-map edges. Roles need the whole map (who polls whom), so they are judged here, not per event.
import type { Access } from '../protocols/operation.js';
import type { FlowRecord } from '../flow/flow.js';
import { classifyAddress } from './address-class.js';
import { GATEWAY_MAC_MIN_IPS, type Asset, type ValueSeen } from './assets.js';
import { EdgeTable, TRANSPORTS, type EdgeTransport, type EdgeView } from './connections.js';
import type { Inventory } from './inventory.js';
import { macVendor } from './mac-vendor.js';
import { defaultCriticality, inferRoles, purdueLevel, type Criticality, type ProtocolUse, type RoleJudgement } from './roles.js';

/** An analyst's correction of one asset, matched by id, IP or MAC. */
export interface AssetOverride {
  readonly match: { readonly id?: string; readonly ip?: string; readonly mac?: string };
  readonly criticality?: Criticality;
  readonly purdue_level?: number;
  readonly name?: string;
}

export interface EvidenceRecord {
  property: string;
  value: string | number;
  confidence: number;
  protocol: string;
  source: string;
  flow: number | null;
  first_seen: number;
  last_seen: number;
  count: number;
}

export interface AddressRecord {
  type: 'ip' | 'mac';
  address: string;
  /** How it was bound: `arp`, `dhcp`, `lldp`, `cdp` (the device's own claim), `flow` (seen as a frame's source). */
  source: string;
  first_seen: number;
  last_seen: number;
}

export interface AssetRecord {
  id: string;
  aliases: string[];
  /** For a device reached through another asset (behind a BACnet router or a gateway): that asset's id. */
  gateway: string | null;
  /** Its address behind the gateway, `protocol:address` (`bacnet:5/0x0c`). */
  behind: string | null;
  macs: string[];
  ips: string[];
  mac_vendor: string | null;
  names: { name: string; source: string; confidence: number; first_seen: number; last_seen: number }[];
  identity: Record<string, string | number>;
  /** Properties seen with more than one value: every value, best first. */
  identity_conflicts: Record<string, { value: string | number; confidence: number; protocol: string; last_seen: number }[]>;
  protocol_addresses: Record<string, (string | number)[]>;
  role: string;
  roles: RoleJudgement[];
  purdue_level: number | null;
  purdue_reason: string;
  criticality: Criticality;
  criticality_source: 'default' | 'override';
  protocols: { protocol: string; as: 'client' | 'server'; peers: number; industrial: boolean }[];
  zones: string[];
  vlans: number[];
  external: boolean;
  first_seen: number;
  last_seen: number;
  addresses: AddressRecord[];
  evidence: EvidenceRecord[];
}

export interface EndpointRecord {
  ip: string;
  asset: string | null;
  zone: string | null;
  /** `unicast`, `broadcast`, `multicast`... */
  kind: string;
  /** `private`, `public`, `link_local`... */
  scope: string;
}

export interface ConnectionRecord {
  client: EndpointRecord;
  server: EndpointRecord;
  protocol: string;
  transport: string;
  port: number;
  vlan: number;
  flows: number;
  packets: number;
  bytes: number;
  packets_to_server: number;
  packets_to_client: number;
  bytes_to_server: number;
  bytes_to_client: number;
  first_seen: number;
  last_seen: number;
  operations: { name: string; access: Access; count: number; exceptions: number; no_response: number; from_server: number }[];
  access: Partial<Record<Access, number>>;
  other_operations: number;
  external: boolean;
}

export interface InventorySummary {
  assets: number;
  connections: number;
  by_role: Record<string, number>;
  by_purdue_level: Record<string, number>;
  external_assets: number;
  zones: { zone: string; assets: number }[];
  counters: Record<string, number>;
}

export interface InventorySnapshot {
  /** Assets in id order, built on demand (records of 50,000 assets do not all sit in memory at once). */
  assets(): IterableIterator<AssetRecord>;
  /** Edges, generated on demand (a map may hold 500,000: stream them). */
  connections(): IterableIterator<ConnectionRecord>;
  readonly summary: InventorySummary;
  /** One asset's record by id, or null (another pipeline's view of the same device, to merge with). */
  asset(id: string): AssetRecord | null;
  /** One edge's record by its key (`client|server|protocol|transport|port`), or null. */
  connection(key: string): ConnectionRecord | null;
}

/**
 * The records changed since the last `commit()`: `assets()` and `connections()` yield only those (the summary still
 * covers everything). An asset counts as changed when it did, or when an edge it is an end of did (its roles and
 * protocols come from the map); an edge, when it did, when its open flows moved, or when an end changed asset.
 */
export interface InventoryDelta extends InventorySnapshot {
  /** Clears the change marks: call it once the records are written. */
  commit(): void;
}

const MAX_EVIDENCE_PER_ASSET = 64;
const MAX_ZONES_LISTED = 256;

interface Usage {
  /** Distinct peers, tracked for industrial protocols only (the roles rest on them); others count edges. */
  peers: Set<string> | null;
  edges: number;
  ops: Partial<Record<Access, number>>;
}

function usageOf(map: Map<Asset, Map<string, Usage>>, asset: Asset, protocol: string, industrial: boolean): Usage {
  let byProto = map.get(asset);
  if (byProto === undefined) map.set(asset, (byProto = new Map()));
  let u = byProto.get(protocol);
  if (u === undefined) byProto.set(protocol, (u = { peers: industrial ? new Set() : null, edges: 0, ops: {} }));
  return u;
}

/** One edge's part in what its client uses and its server serves. */
function addUsage(served: Map<Asset, Map<string, Usage>>, used: Map<Asset, Map<string, Usage>>, v: EdgeView, c: Asset | undefined, s: Asset | undefined, industrial: boolean): void {
  if (c !== undefined) {
    const u = usageOf(used, c, v.protocol, industrial);
    u.peers?.add(v.server);
    u.edges++;
    // What the client did: operations it sent, not what the server volunteered.
    for (const op of v.operations) if (op.count > op.from_server) u.ops[op.access] = (u.ops[op.access] ?? 0) + op.count - op.from_server;
  }
  if (s !== undefined) {
    const u = usageOf(served, s, v.protocol, industrial);
    u.peers?.add(v.client);
    u.edges++;
    for (const op of v.operations) u.ops[op.access] = (u.ops[op.access] ?? 0) + op.count;
  }
}

/**
 * Every asset's roles, Purdue level and criticality as the next snapshot would judge them (the map's closed and open
 * flows), without building records: what detections read through their asset context.
 */
export function judgeAssets(inv: Inventory, active: Iterable<FlowRecord>): Map<Asset, Judgement> {
  const table = inv.assets;
  const live = new EdgeTable(Number.MAX_SAFE_INTEGER);
  for (const f of active) inv.addFlow(f, live);
  const assetOfIp = (ip: string): Asset | undefined => {
    const a = table.byIp.get(ip);
    return a === undefined ? undefined : table.resolve(a);
  };
  const served = new Map<Asset, Map<string, Usage>>();
  const used = new Map<Asset, Map<string, Usage>>();
  const visit = (v: EdgeView) => addUsage(served, used, v, assetOfIp(v.client), assetOfIp(v.server), inv.industrial.has(v.protocol));
  for (const v of inv.edges.views()) visit(v);
  for (const v of live.views()) if (inv.edges.find(v.client, v.server, v.protocol, v.transport, v.port) < 0) visit(v);
  const out = new Map<Asset, Judgement>();
  for (const a of table.assets.values()) if (a.mergedInto === null) out.set(a, judge(inv, a, served.get(a), used.get(a)));
  return out;
}

/** What the snapshot decided about an asset: kept for all assets, while full records are built one at a time. */
export interface Judgement {
  roles: RoleJudgement[];
  purdue: { level: number | null; reason: string };
  criticality: Criticality;
  criticalitySource: AssetRecord['criticality_source'];
  analystNames: string[];
  external: boolean;
  zones: string[];
}

export function buildSnapshot(inv: Inventory, active: Iterable<FlowRecord>, delta = false): InventoryDelta {
  const table = inv.assets;
  // Open flows count in a scratch table, so the snapshot never changes what the inventory holds.
  const live = new EdgeTable(Number.MAX_SAFE_INTEGER);
  for (const f of active) inv.addFlow(f, live);
  const liveOf = new Map<string, EdgeView>();
  // Open flows' edges are rebuilt each time: one changed when its counts moved since the last commit.
  const liveSeen = new Map<string, number>();
  const liveChanged = new Set<string>();
  for (const v of live.views()) {
    const k = edgeKey(v);
    liveOf.set(k, v);
    if (!delta) continue;
    const fingerprint = v.flows + v.packetsToServer + v.packetsToClient + v.bytesToServer + v.bytesToClient + v.last;
    liveSeen.set(k, fingerprint);
    if (inv.liveSeen.get(k) !== fingerprint) liveChanged.add(k);
  }
  // An edge whose open flows left it (a flow's protocol got decided: it now counts under another edge) changed too.
  if (delta) for (const k of inv.liveSeen.keys()) if (!liveSeen.has(k)) liveChanged.add(k);
  // A table edge carries its own mark; an open flow's (in the scratch table, always marked) is judged by its counts.
  const edgeChanged = (v: EdgeView, open = false): boolean =>
    (v.changed && !open) ||
    table.reboundOverflow ||
    (table.rebound.size > 0 && (table.rebound.has(v.client) || table.rebound.has(v.server))) ||
    (liveChanged.size > 0 && liveChanged.has(edgeKey(v)));
  const touched = new Set<Asset>();

  const assetOfIp = (ip: string): Asset | undefined => {
    const a = table.byIp.get(ip);
    return a === undefined ? undefined : table.resolve(a);
  };

  // One pass over the map: what each asset serves and uses.
  const served = new Map<Asset, Map<string, Usage>>();
  const used = new Map<Asset, Map<string, Usage>>();
  let edgeCount = 0;
  const visit = (v: EdgeView, changed: boolean) => {
    edgeCount++;
    const c = assetOfIp(v.client);
    const s = assetOfIp(v.server);
    if (changed) {
      if (c !== undefined) touched.add(c);
      if (s !== undefined) touched.add(s);
    }
    addUsage(served, used, v, c, s, inv.industrial.has(v.protocol));
  };
  for (const v of inv.edges.views()) visit(v, delta && edgeChanged(v));
  for (const v of live.views()) if (inv.edges.find(v.client, v.server, v.protocol, v.transport, v.port) < 0) visit(v, delta && edgeChanged(v, true));

  const ordered = [...table.assets.values()].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const judged = new Map<Asset, Judgement>();
  const byRole: Record<string, number> = {};
  const byLevel: Record<string, number> = {};
  const zones = new Map<string, number>();
  let external = 0;
  for (const a of ordered) {
    const j = judge(inv, a, served.get(a), used.get(a));
    judged.set(a, j);
    byRole[j.roles[0].role] = (byRole[j.roles[0].role] ?? 0) + 1;
    const l = j.purdue.level === null ? 'unknown' : String(j.purdue.level);
    byLevel[l] = (byLevel[l] ?? 0) + 1;
    if (j.external) external++;
    for (const z of j.zones) zones.set(z, (zones.get(z) ?? 0) + 1);
  }
  function* assets(): IterableIterator<AssetRecord> {
    for (const a of ordered) {
      if (a.mergedInto !== null || (delta && !a.changed && !touched.has(a))) continue;
      yield assetRecord(inv, a, judged.get(a)!, served.get(a), used.get(a));
    }
  }

  // Endpoints repeat across edges: classify each address once per snapshot.
  const endpoints = new Map<string, EndpointRecord>();
  const endpoint = (ip: string): EndpointRecord => {
    let e = endpoints.get(ip);
    if (e === undefined) {
      const c = classifyAddress(ip);
      e = { ip, asset: assetOfIp(ip)?.id ?? null, zone: c.zone, kind: c.kind, scope: c.scope };
      endpoints.set(ip, e);
    }
    return e;
  };
  function* connections(): IterableIterator<ConnectionRecord> {
    for (const v of inv.edges.views()) if (!delta || edgeChanged(v)) yield connectionRecord(v, liveOf.get(edgeKey(v)), endpoint);
    for (const v of live.views()) {
      if (inv.edges.find(v.client, v.server, v.protocol, v.transport, v.port) >= 0) continue;
      if (!delta || edgeChanged(v, true)) yield connectionRecord(v, undefined, endpoint);
    }
  }

  return {
    assets,
    connections,
    asset(id: string): AssetRecord | null {
      const a = table.assets.get(id);
      const j = a === undefined ? undefined : judged.get(a);
      return a === undefined || j === undefined || a.mergedInto !== null ? null : assetRecord(inv, a, j, served.get(a), used.get(a));
    },
    connection(key: string): ConnectionRecord | null {
      const [client, server, protocol, transport, port] = key.split('|');
      if (port === undefined || !(TRANSPORTS as readonly string[]).includes(transport)) return null;
      const e = inv.edges.find(client, server, protocol, transport as EdgeTransport, Number(port));
      const extra = liveOf.get(key);
      if (e >= 0) return connectionRecord(inv.edges.view(e), extra, endpoint);
      return extra === undefined ? null : connectionRecord(extra, undefined, endpoint);
    },
    commit(): void {
      if (!delta) return;
      table.clearChanges();
      inv.edges.clearChanges();
      inv.liveSeen = liveSeen;
    },
    summary: {
      assets: ordered.length,
      connections: edgeCount,
      by_role: byRole,
      by_purdue_level: byLevel,
      external_assets: external,
      zones: [...zones].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, MAX_ZONES_LISTED).map(([zone, n]) => ({ zone, assets: n })),
      counters: {
        assets_created: table.counters.created,
        assets_merged: table.counters.merged,
        assets_evicted: table.counters.evicted,
        binding_conflicts: table.counters.bindingConflicts,
        edges_evicted: inv.edges.counters.evicted,
        operations_capped: inv.edges.counters.operationsCapped,
        hints: inv.counters.hints,
        transactions: inv.counters.transactions,
        arp: inv.counters.arp,
        link_discovery: inv.counters.linkDiscovery,
        pending_names_dropped: inv.counters.pendingNamesDropped,
      },
    },
  };
}

function edgeKey(v: EdgeView): string {
  return `${v.client}|${v.server}|${v.protocol}|${v.transport}|${v.port}`;
}

function connectionRecord(v: EdgeView, extra: EdgeView | undefined, endpoint: (ip: string) => EndpointRecord): ConnectionRecord {
  const pS = v.packetsToServer + (extra?.packetsToServer ?? 0);
  const pC = v.packetsToClient + (extra?.packetsToClient ?? 0);
  const bS = v.bytesToServer + (extra?.bytesToServer ?? 0);
  const bC = v.bytesToClient + (extra?.bytesToClient ?? 0);
  const access: Partial<Record<Access, number>> = {};
  for (const op of v.operations) access[op.access] = (access[op.access] ?? 0) + op.count;
  const client = endpoint(v.client);
  const server = endpoint(v.server);
  return {
    client,
    server,
    protocol: v.protocol,
    transport: v.transport,
    port: v.port,
    vlan: v.vlan,
    flows: v.flows + (extra?.flows ?? 0),
    packets: pS + pC,
    bytes: bS + bC,
    packets_to_server: pS,
    packets_to_client: pC,
    bytes_to_server: bS,
    bytes_to_client: bC,
    first_seen: Math.min(v.first, extra?.first ?? Infinity),
    last_seen: Math.max(v.last, extra?.last ?? -Infinity),
    operations: v.operations.map((o) => ({ ...o })).sort((x, y) => y.count - x.count || (x.name < y.name ? -1 : 1)),
    access,
    other_operations: v.otherOperations,
    external: client.scope === 'public' || server.scope === 'public',
  };
}

function toUse(u: Map<string, Usage> | undefined, industrial: ReadonlySet<string>): Map<string, ProtocolUse> {
  const out = new Map<string, ProtocolUse>();
  for (const [p, x] of u ?? []) out.set(p, { peers: x.peers?.size ?? x.edges, ops: x.ops, industrial: industrial.has(p) });
  return out;
}

/** Owned MACs (claimed, or the asset's own per the MAC index) and the MACs shown (owned, or not a gateway's). */
function macsOf(table: Inventory['assets'], a: Asset): { macs: string[]; ipsBehind: number } {
  const owned = (mac: string) => a.macs.get(mac)!.claimed || table.byMac.get(mac) === a;
  let ipsBehind = 0;
  for (const m of a.macs.keys()) if (owned(m)) ipsBehind = Math.max(ipsBehind, table.ipsBehindMac(m));
  return { macs: a.macs.keys().filter((m) => owned(m) || table.ipsBehindMac(m) < GATEWAY_MAC_MIN_IPS), ipsBehind };
}

function judge(inv: Inventory, a: Asset, servedBy: Map<string, Usage> | undefined, usedBy: Map<string, Usage> | undefined): Judgement {
  const classes = a.ips.keys().map(classifyAddress);
  const isExternal = classes.length > 0 && classes.every((c) => c.scope === 'public');
  const capabilities: string[] = [];
  for (const v of a.props ?? []) if (v.property === 'capability') capabilities.push(String(v.value));
  const roles = inferRoles({
    served: toUse(servedBy, inv.industrial),
    used: toUse(usedBy, inv.industrial),
    protocolRoles: new Set((a.protocolRoles ?? []).map((r) => r.key)),
    deviceType: a.best('identity.device_type')?.value as string | undefined,
    description: (a.best('identity.description') ?? a.best('identity.model'))?.value as string | undefined,
    capabilities,
    ipsBehindMac: macsOf(inv.assets, a).ipsBehind,
    external: isExternal,
  });
  const primary = roles[0].role;
  let purdue = purdueLevel(primary, isExternal);
  let criticality = defaultCriticality(primary);
  let criticalitySource: AssetRecord['criticality_source'] = 'default';
  const analystNames: string[] = [];
  for (const o of inv.overrides) {
    const m = o.match;
    if (m.id === undefined && m.ip === undefined && m.mac === undefined) continue;
    if ((m.id !== undefined && m.id !== a.id) || (m.ip !== undefined && !a.ips.has(m.ip)) || (m.mac !== undefined && !a.macs.has(m.mac))) continue;
    if (o.criticality !== undefined) {
      criticality = o.criticality;
      criticalitySource = 'override';
    }
    if (o.purdue_level !== undefined) purdue = { level: o.purdue_level, reason: 'set by the analyst' };
    if (o.name !== undefined) analystNames.push(o.name);
  }
  return {
    roles,
    purdue,
    criticality,
    criticalitySource,
    analystNames,
    external: isExternal,
    zones: [...new Set(classes.map((c) => c.zone).filter((z): z is string => z !== null))],
  };
}

function assetRecord(inv: Inventory, a: Asset, j: Judgement, servedBy: Map<string, Usage> | undefined, usedBy: Map<string, Usage> | undefined): AssetRecord {
  const table = inv.assets;
  const evidence: EvidenceRecord[] = [];
  const names: AssetRecord['names'] = [];
  const identity: Record<string, string | number> = {};
  const conflicts: AssetRecord['identity_conflicts'] = {};
  const protocolAddresses: Record<string, (string | number)[]> = {};
  const byProperty = new Map<string, ValueSeen[]>();
  for (const v of a.props ?? []) {
    const list = byProperty.get(v.property);
    if (list === undefined) byProperty.set(v.property, [v]);
    else list.push(v);
  }
  for (const [prop, values] of byProperty) {
    for (const v of values) {
      if (evidence.length < MAX_EVIDENCE_PER_ASSET) {
        evidence.push({
          property: prop,
          value: v.value,
          confidence: v.confidence,
          protocol: v.firstEvidence.protocol,
          source: v.firstEvidence.source,
          flow: v.firstEvidence.flow,
          first_seen: v.firstEvidence.ts,
          last_seen: v.latest.ts,
          count: v.count,
        });
      }
    }
    if (prop.startsWith('names.')) {
      for (const v of values) names.push({ name: String(v.value), source: prop.slice(6), confidence: v.confidence, first_seen: v.firstEvidence.ts, last_seen: v.latest.ts });
    } else if (prop.startsWith('identity.')) {
      const key = prop.slice(9);
      const best = a.best(prop)!;
      identity[key] = best.value;
      if (values.length > 1) {
        conflicts[key] = [best, ...values.filter((v) => v !== best)].map((v) => ({ value: v.value, confidence: v.confidence, protocol: v.latest.protocol, last_seen: v.latest.ts }));
      }
    } else if (prop.startsWith('address.')) {
      protocolAddresses[prop.slice(8)] = values.map((v) => v.value);
    }
  }
  names.sort((x, y) => y.confidence - x.confidence || y.last_seen - x.last_seen);

  for (const n of j.analystNames) names.unshift({ name: n, source: 'analyst', confidence: 1, first_seen: a.first, last_seen: a.last });
  const { macs } = macsOf(table, a);
  const served = toUse(servedBy, inv.industrial);
  const used = toUse(usedBy, inv.industrial);
  const protocols: AssetRecord['protocols'] = [];
  for (const [p, u] of served) protocols.push({ protocol: p, as: 'server', peers: u.peers, industrial: u.industrial });
  for (const [p, u] of used) protocols.push({ protocol: p, as: 'client', peers: u.peers, industrial: u.industrial });
  protocols.sort((x, y) => Number(y.industrial) - Number(x.industrial) || (x.protocol < y.protocol ? -1 : x.protocol > y.protocol ? 1 : 0));

  const addresses: AddressRecord[] = [];
  for (const s of a.ips.values()) addresses.push({ type: 'ip', address: s.address, source: s.source, first_seen: s.first, last_seen: s.last });
  for (const mac of macs) {
    const s = a.macs.get(mac)!;
    addresses.push({ type: 'mac', address: mac, source: s.source, first_seen: s.first, last_seen: s.last });
  }
  const vendorMac = macs.find((m) => a.macs.get(m)!.claimed) ?? macs[0];
  return {
    id: a.id,
    aliases: a.aliases ?? [],
    gateway: a.gateway === null ? null : table.resolve(a.gateway).id,
    behind: a.behind,
    macs,
    ips: a.ips.keys(),
    mac_vendor: vendorMac === undefined ? null : macVendor(vendorMac),
    names,
    identity,
    identity_conflicts: conflicts,
    protocol_addresses: protocolAddresses,
    role: j.roles[0].role,
    roles: j.roles,
    purdue_level: j.purdue.level,
    purdue_reason: j.purdue.reason,
    criticality: j.criticality,
    criticality_source: j.criticalitySource,
    protocols,
    zones: j.zones,
    vlans: a.vlans ?? [],
    external: j.external,
    first_seen: a.first,
    last_seen: a.last,
    addresses,
    evidence,
  };
}

// Merges the records two pipelines of one sensor (the capture files, each live interface) hold for the same asset id
// or edge key, so the store keeps one record made of both (docs/decisions/0009-live-capture-in-serve.md).
import type { AddressRecord, AssetRecord, ConnectionRecord, EvidenceRecord } from '../inventory/snapshot.js';
import { ASSET_CAPS } from '../inventory/assets.js';

const MAX_EVIDENCE = 64;
const MAX_NAMES = 64;
const MAX_ALIASES = 64;

function union<T>(lists: readonly (readonly T[])[], cap: number): T[] {
  const out: T[] = [];
  for (const l of lists) for (const x of l) if (out.length < cap && !out.includes(x)) out.push(x);
  return out;
}

/** Folds items by key: the first of a key is copied, later ones are combined into it. */
function fold<T>(lists: readonly (readonly T[])[], key: (x: T) => string, combine: (into: T, x: T) => void, cap: number): T[] {
  const byKey = new Map<string, T>();
  for (const l of lists) {
    for (const x of l) {
      const k = key(x);
      const known = byKey.get(k);
      if (known !== undefined) combine(known, x);
      else if (byKey.size < cap) byKey.set(k, { ...x });
    }
  }
  return [...byKey.values()];
}

/** The record whose role judgement is the surest: a role other than `unknown` beats it, then the higher confidence. */
function roleRecord(records: readonly AssetRecord[]): AssetRecord {
  let best = records[0];
  const score = (r: AssetRecord) => (r.role === 'unknown' ? 0 : 1) + (r.roles[0]?.confidence ?? 0) / 2;
  for (const r of records) if (score(r) > score(best)) best = r;
  return best;
}

/**
 * One asset seen by several pipelines. Addresses, names, evidence (counts added: each pipeline counts its own
 * traffic), protocol addresses, VLANs and zones are united; times span them all; the role comes from the surest
 * judgement; scalar identity values from the most recently seen record, the others filling in what it lacks.
 */
export function mergeAssetRecords(records: readonly AssetRecord[]): AssetRecord {
  if (records.length === 1) return records[0];
  let latest = records[0];
  for (const r of records) if (r.last_seen > latest.last_seen) latest = r;
  const ordered = [latest, ...records.filter((r) => r !== latest)];
  const judged = roleRecord(ordered);
  const override = ordered.find((r) => r.criticality_source === 'override');

  const identity: AssetRecord['identity'] = {};
  for (const r of [...ordered].reverse()) Object.assign(identity, r.identity);
  const evidence = fold<EvidenceRecord>(
    ordered.map((r) => r.evidence),
    (e) => `${e.property}\u0000${e.value}`,
    (into, e) => {
      into.count += e.count;
      into.confidence = Math.max(into.confidence, e.confidence);
      into.first_seen = Math.min(into.first_seen, e.first_seen);
      into.last_seen = Math.max(into.last_seen, e.last_seen);
    },
    MAX_EVIDENCE,
  );
  const conflicts: AssetRecord['identity_conflicts'] = {};
  const keys = new Set(ordered.flatMap((r) => [...Object.keys(r.identity), ...Object.keys(r.identity_conflicts)]));
  for (const key of keys) {
    const entries = fold(
      ordered.map((r) => {
        const own = r.identity_conflicts[key];
        if (own !== undefined) return own;
        const v = r.identity[key];
        if (v === undefined) return [];
        const ev = r.evidence.find((e) => e.property === `identity.${key}` && e.value === v);
        return [{ value: v, confidence: ev?.confidence ?? 0, protocol: ev?.protocol ?? '', last_seen: ev?.last_seen ?? r.last_seen }];
      }),
      (e) => String(e.value),
      (into, e) => {
        into.confidence = Math.max(into.confidence, e.confidence);
        into.last_seen = Math.max(into.last_seen, e.last_seen);
      },
      ASSET_CAPS.valuesPerProperty,
    );
    if (entries.length > 1) conflicts[key] = entries;
  }
  const protocolAddresses: AssetRecord['protocol_addresses'] = {};
  for (const r of ordered) for (const [k, v] of Object.entries(r.protocol_addresses)) protocolAddresses[k] = union([protocolAddresses[k] ?? [], v], ASSET_CAPS.valuesPerProperty);
  const names = fold(
    ordered.map((r) => r.names),
    (n) => `${n.source}\u0000${n.name}`,
    (into, n) => {
      into.confidence = Math.max(into.confidence, n.confidence);
      into.first_seen = Math.min(into.first_seen, n.first_seen);
      into.last_seen = Math.max(into.last_seen, n.last_seen);
    },
    MAX_NAMES,
  ).sort((x, y) => y.confidence - x.confidence || y.last_seen - x.last_seen);
  const protocols = fold(
    ordered.map((r) => r.protocols),
    (p) => `${p.protocol}\u0000${p.as}`,
    // Peers seen by two pipelines may be the same hosts: the larger count, not the sum.
    (into, p) => {
      into.peers = Math.max(into.peers, p.peers);
      into.industrial ||= p.industrial;
    },
    ASSET_CAPS.protocolRolesPerAsset * 2,
  ).sort((x, y) => Number(y.industrial) - Number(x.industrial) || (x.protocol < y.protocol ? -1 : x.protocol > y.protocol ? 1 : 0));
  const addresses = fold<AddressRecord>(
    ordered.map((r) => r.addresses),
    (a) => `${a.type}\u0000${a.address}`,
    (into, a) => {
      into.first_seen = Math.min(into.first_seen, a.first_seen);
      into.last_seen = Math.max(into.last_seen, a.last_seen);
      if (into.source === 'flow') into.source = a.source;
    },
    ASSET_CAPS.ipsPerAsset + ASSET_CAPS.macsPerAsset,
  );
  return {
    id: latest.id,
    aliases: union(
      ordered.map((r) => r.aliases),
      MAX_ALIASES,
    ),
    gateway: ordered.find((r) => r.gateway !== null)?.gateway ?? null,
    behind: ordered.find((r) => r.behind !== null)?.behind ?? null,
    macs: union(
      ordered.map((r) => r.macs),
      ASSET_CAPS.macsPerAsset,
    ),
    ips: union(
      ordered.map((r) => r.ips),
      ASSET_CAPS.ipsPerAsset,
    ),
    mac_vendor: ordered.find((r) => r.mac_vendor !== null)?.mac_vendor ?? null,
    names,
    identity,
    identity_conflicts: conflicts,
    protocol_addresses: protocolAddresses,
    role: judged.role,
    roles: judged.roles,
    purdue_level: judged.purdue_level,
    purdue_reason: judged.purdue_reason,
    criticality: (override ?? judged).criticality,
    criticality_source: (override ?? judged).criticality_source,
    protocols,
    zones: union(
      ordered.map((r) => r.zones),
      256,
    ),
    vlans: union(
      ordered.map((r) => r.vlans),
      16,
    ),
    external: ordered.every((r) => r.external),
    first_seen: Math.min(...ordered.map((r) => r.first_seen)),
    last_seen: latest.last_seen,
    addresses,
    evidence,
  };
}

/** One edge seen by several pipelines: each counts its own flows, so flows, packets, bytes and operations add up. */
export function mergeConnectionRecords(records: readonly ConnectionRecord[]): ConnectionRecord {
  if (records.length === 1) return records[0];
  const first = records[0];
  const sum = (f: (r: ConnectionRecord) => number) => records.reduce((n, r) => n + f(r), 0);
  const operations = fold(
    records.map((r) => r.operations),
    (o) => o.name,
    (into, o) => {
      into.count += o.count;
      into.exceptions += o.exceptions;
      into.no_response += o.no_response;
      into.from_server += o.from_server;
    },
    Number.MAX_SAFE_INTEGER,
  ).sort((x, y) => y.count - x.count || (x.name < y.name ? -1 : 1));
  const access: ConnectionRecord['access'] = {};
  for (const r of records) for (const [k, n] of Object.entries(r.access) as [keyof ConnectionRecord['access'], number][]) access[k] = (access[k] ?? 0) + n;
  return {
    client: records.find((r) => r.client.asset !== null)?.client ?? first.client,
    server: records.find((r) => r.server.asset !== null)?.server ?? first.server,
    protocol: first.protocol,
    transport: first.transport,
    port: first.port,
    vlan: first.vlan,
    flows: sum((r) => r.flows),
    packets: sum((r) => r.packets),
    bytes: sum((r) => r.bytes),
    packets_to_server: sum((r) => r.packets_to_server),
    packets_to_client: sum((r) => r.packets_to_client),
    bytes_to_server: sum((r) => r.bytes_to_server),
    bytes_to_client: sum((r) => r.bytes_to_client),
    first_seen: Math.min(...records.map((r) => r.first_seen)),
    last_seen: Math.max(...records.map((r) => r.last_seen)),
    operations,
    access,
    other_operations: sum((r) => r.other_operations),
    external: records.some((r) => r.external),
  };
}

// The communication map's graph and layout, as pure deterministic functions (no DOM, no randomness): the same
// connections and assets always give the same picture. Nodes are assets, and the addresses of edge ends that are not
// assets (servers that never answered, group addresses, external IPs). Horizontal bands by Purdue level (external on
// top, then 5 → 0, unknown at the bottom); inside a band, groups by zone; inside a group, by role then name. Only
// the busiest nodes are drawn; the others are counted in a "+N more" chip of their band and zone, and their edges
// end on that chip.
import type { Connection, Endpoint } from '../api';
import { INDUSTRIAL_PROTOCOLS as INDUSTRIAL } from '../../../src/common/vocabulary';

/** The asset fields the map uses. */
export interface MapAsset {
  id: string;
  names: { name: string }[];
  ips: string[];
  role: string;
  purdue_level: number | null;
  zones: string[];
  criticality: string;
  external: boolean;
}

export type BandId = 'external' | 'L5' | 'L4' | 'L3' | 'L2' | 'L1' | 'L0' | 'unknown' | 'unloaded';

/** Bands top to bottom. */
export const BANDS: { id: BandId; label: string }[] = [
  { id: 'external', label: 'External' },
  { id: 'L5', label: 'Level 5 · internet' },
  { id: 'L4', label: 'Level 4 · enterprise' },
  { id: 'L3', label: 'Level 3 · operations' },
  { id: 'L2', label: 'Level 2 · supervisory' },
  { id: 'L1', label: 'Level 1 · basic control' },
  { id: 'L0', label: 'Level 0 · process' },
  { id: 'unknown', label: 'Unknown level' },
  { id: 'unloaded', label: 'Not loaded · level not read' },
];

/** Roles in the order nodes are sorted in a group; `address` and `group` are edge ends that are not assets. */
export const NODE_ROLES = ['controller', 'field_device', 'hmi_scada', 'engineering_workstation', 'historian', 'network_device', 'it_host', 'unknown', 'address', 'group'] as const;

/** Control-system protocols (the server's `category: 'industrial'` modules). */
export const INDUSTRIAL_PROTOCOLS: ReadonlySet<string> = new Set<string>(INDUSTRIAL);

export interface MapNode {
  /** `asset id`, or `addr:<ip>` for an edge end that is not an asset. */
  key: string;
  /** The asset id (null for an address). */
  asset: string | null;
  label: string;
  ips: string[];
  /** Asset role, or `address` (unanswered or external address), `group` (broadcast/multicast). */
  role: string;
  level: number | null;
  /** False when the asset's record was not loaded (its level is then unknown to the map). */
  known: boolean;
  zone: string;
  band: BandId;
  external: boolean;
  criticality: string | null;
  packets: number;
  bytes: number;
  /** Indices of its connections in the input list. */
  conns: number[];
}

export interface Graph {
  nodes: Map<string, MapNode>;
  /** Every connection's [client node key, server node key], by input index. */
  ends: [string, string][];
  protocols: string[];
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Compares names and zones naturally (10.0.0.9 before 10.0.0.10), then exactly, so the order is total. */
export function naturalCompare(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

function bandOf(level: number | null, external: boolean): BandId {
  if (external) return 'external';
  if (level === null || level < 0 || level > 5 || !Number.isInteger(level)) return 'unknown';
  return `L${level}` as BandId;
}

/** The node key of an edge end. */
export function endKey(e: Endpoint): string {
  return e.asset ?? `addr:${e.ip}`;
}

function newNode(e: Endpoint, assets: ReadonlyMap<string, MapAsset>): MapNode {
  const a = e.asset === null ? undefined : assets.get(e.asset);
  if (e.asset !== null) {
    if (a !== undefined) {
      return {
        key: a.id,
        asset: a.id,
        label: a.names[0]?.name ?? a.ips[0] ?? a.id,
        ips: a.ips.length > 0 ? a.ips : [e.ip],
        role: a.role,
        level: a.purdue_level,
        known: true,
        zone: a.zones[0] ?? e.zone ?? 'no zone',
        band: bandOf(a.purdue_level, a.external),
        external: a.external,
        criticality: a.criticality,
        packets: 0,
        bytes: 0,
        conns: [],
      };
    }
    // An asset whose record was not loaded: its level is not known.
    const external = e.scope === 'public';
    return { key: e.asset, asset: e.asset, label: e.ip, ips: [e.ip], role: 'unknown', level: null, known: false, zone: e.zone ?? 'no zone', band: external ? 'external' : 'unloaded', external, criticality: null, packets: 0, bytes: 0, conns: [] };
  }
  const group = e.kind === 'broadcast' || e.kind === 'multicast';
  const external = e.scope === 'public';
  return {
    key: `addr:${e.ip}`,
    asset: null,
    label: e.ip,
    ips: [e.ip],
    role: group ? 'group' : 'address',
    level: null,
    known: true,
    zone: e.zone ?? (group ? e.kind : 'no zone'),
    band: bandOf(null, external),
    external,
    criticality: null,
    packets: 0,
    bytes: 0,
    conns: [],
  };
}

/** The nodes of a list of connections (assets looked up in `assets`). */
export function buildGraph(conns: readonly Connection[], assets: ReadonlyMap<string, MapAsset>): Graph {
  const nodes = new Map<string, MapNode>();
  const ends: [string, string][] = [];
  const protocols = new Set<string>();
  const touch = (e: Endpoint, c: Connection, i: number): string => {
    const k = endKey(e);
    let n = nodes.get(k);
    if (n === undefined) nodes.set(k, (n = newNode(e, assets)));
    n.packets += c.packets;
    n.bytes += c.bytes;
    n.conns.push(i);
    if (!n.ips.includes(e.ip)) n.ips = [...n.ips, e.ip];
    return k;
  };
  conns.forEach((c, i) => {
    const a = touch(c.client, c, i);
    const b = touch(c.server, c, i);
    ends.push([a, b]);
    protocols.add(c.protocol);
  });
  return { nodes, ends, protocols: [...protocols].sort(naturalCompare) };
}

/** The `n` busiest connections (packets, then bytes; ties keep the input order). */
export function busiest<T extends { packets: number; bytes: number }>(items: readonly T[], n: number): T[] {
  if (items.length <= n) return [...items];
  return items
    .map((c, i) => ({ c, i }))
    .sort((x, y) => y.c.packets - x.c.packets || y.c.bytes - x.c.bytes || x.i - y.i)
    .slice(0, n)
    .map((x) => x.c);
}

// Geometry, in SVG user units.
export const NODE_R = 15;
export const CELL_W = 124;
export const CELL_H = 70;
export const LABEL_W = 170;
const ZONE_HEAD = 22;
const GROUP_PAD = 10;
const GROUP_GAP = 18;
const BAND_PAD = 16;
const MIN_ROW_W = 1000;
const BAND_MIN_H = 76;

export interface PlacedNode {
  key: string;
  x: number;
  y: number;
}

/** A "+N more" chip: the nodes of a band and zone not drawn. */
export interface Chip {
  key: string;
  band: BandId;
  /** Its zone, or null for the nodes of several zones with nothing drawn. */
  zone: string | null;
  /** How many zones its nodes are in. */
  zones: number;
  /** The summarised nodes, busiest first. */
  nodes: string[];
  x: number;
  y: number;
}

export interface ZoneBox {
  band: BandId;
  zone: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface BandBox {
  id: BandId;
  label: string;
  y: number;
  h: number;
  /** Nodes in the band, drawn or not. */
  count: number;
}

/** Node pairs (or chips) joined by one or more connections. */
export interface MapEdge {
  id: string;
  /** Anchors (node or chip keys); `from` is the lesser. */
  from: string;
  to: string;
  conns: number[];
  protocols: string[];
  packets: number;
  bytes: number;
  industrial: boolean;
  /** One end (or both) is a chip. */
  summarised: boolean;
}

export interface Layout {
  width: number;
  height: number;
  bands: BandBox[];
  zones: ZoneBox[];
  placed: Map<string, PlacedNode>;
  chips: Map<string, Chip>;
  edges: MapEdge[];
  /** Drawn node keys in reading order (band, zone, role, name): the keyboard's tab order. */
  order: string[];
}

function roleRank(role: string): number {
  const i = (NODE_ROLES as readonly string[]).indexOf(role);
  return i === -1 ? NODE_ROLES.length : i;
}

/** The order of nodes in a group: role, then name, then key. */
export function compareNodes(a: MapNode, b: MapNode): number {
  return roleRank(a.role) - roleRank(b.role) || naturalCompare(a.label, b.label) || naturalCompare(a.key, b.key);
}

/** The `max` busiest nodes (packets, bytes, then key). */
export function drawnNodes(g: Graph, max: number): Set<string> {
  const all = [...g.nodes.values()];
  if (all.length <= max) return new Set(all.map((n) => n.key));
  all.sort((a, b) => b.packets - a.packets || b.bytes - a.bytes || naturalCompare(a.key, b.key));
  return new Set(all.slice(0, max).map((n) => n.key));
}

/** Lays out `g`, drawing at most `maxNodes` nodes. */
export function layout(g: Graph, conns: readonly Connection[], maxNodes: number): Layout {
  const drawn = drawnNodes(g, maxNodes);
  // band → zone → nodes
  const byBand = new Map<BandId, Map<string, MapNode[]>>();
  for (const n of g.nodes.values()) {
    let zones = byBand.get(n.band);
    if (zones === undefined) byBand.set(n.band, (zones = new Map()));
    const list = zones.get(n.zone);
    if (list === undefined) zones.set(n.zone, [n]);
    else list.push(n);
  }
  const busiestFirst = (a: MapNode, b: MapNode) => b.packets - a.packets || b.bytes - a.bytes || naturalCompare(a.key, b.key);

  // The groups of each band: a zone with drawn nodes (and a chip for its others), then one group for the zones
  // with nothing drawn (one chip for all their nodes).
  interface Group {
    zone: string;
    label: string;
    shown: MapNode[];
    hidden: MapNode[];
    zones: number;
    cols: number;
    w: number;
    h: number;
  }
  const sized = (zone: string, label: string, shown: MapNode[], hidden: MapNode[], zones: number): Group => {
    const cells = shown.length + (hidden.length > 0 ? 1 : 0);
    const cols = Math.max(1, Math.min(cells, Math.ceil(Math.sqrt(cells * 2.5)), 10));
    const rows = Math.ceil(cells / cols);
    return { zone, label, shown, hidden, zones, cols, w: cols * CELL_W + 2 * GROUP_PAD, h: ZONE_HEAD + rows * CELL_H + GROUP_PAD };
  };
  const plan: { band: (typeof BANDS)[number]; groups: Group[]; count: number }[] = [];
  let area = 0;
  for (const band of BANDS) {
    const zmap = byBand.get(band.id);
    if (zmap === undefined) continue;
    const groups: Group[] = [];
    const rest: MapNode[] = [];
    let restZones = 0;
    let count = 0;
    for (const zone of [...zmap.keys()].sort(naturalCompare)) {
      const members = zmap.get(zone)!;
      count += members.length;
      const shown = members.filter((n) => drawn.has(n.key)).sort(compareNodes);
      const hidden = members.filter((n) => !drawn.has(n.key));
      if (shown.length === 0) {
        rest.push(...hidden);
        restZones++;
      } else groups.push(sized(zone, zone, shown, hidden.sort(busiestFirst), 1));
    }
    if (rest.length > 0) {
      // A single zone keeps its name; several are one group.
      const zone = restZones === 1 ? rest[0]!.zone : '*';
      groups.push(sized(zone, restZones === 1 ? zone : `${restZones.toLocaleString('en-US')} other zones`, [], rest.sort(busiestFirst), restZones));
    }
    for (const gr of groups) area += (gr.w + GROUP_GAP) * (gr.h + GROUP_GAP);
    plan.push({ band, groups, count });
  }
  // Rows about twice as wide as the picture is tall.
  const rowW = Math.max(MIN_ROW_W, Math.sqrt(area * 2));

  const placed = new Map<string, PlacedNode>();
  const chips = new Map<string, Chip>();
  const anchorOf = new Map<string, string>();
  const bands: BandBox[] = [];
  const zones: ZoneBox[] = [];
  const order: string[] = [];
  let y = 0;
  let width = LABEL_W + 200;

  for (const { band, groups, count } of plan) {
    const top = y;
    y += BAND_PAD;
    let x = LABEL_W;
    let rowH = 0;
    for (const gr of groups) {
      if (x > LABEL_W && x + gr.w > LABEL_W + rowW) {
        x = LABEL_W;
        y += rowH + GROUP_GAP;
        rowH = 0;
      }
      zones.push({ band: band.id, zone: gr.label, x, y, w: gr.w, h: gr.h });
      const cell = (i: number) => ({ x: x + GROUP_PAD + (i % gr.cols) * CELL_W + CELL_W / 2, y: y + ZONE_HEAD + Math.floor(i / gr.cols) * CELL_H + NODE_R + 6 });
      gr.shown.forEach((n, i) => {
        placed.set(n.key, { key: n.key, ...cell(i) });
        anchorOf.set(n.key, n.key);
        order.push(n.key);
      });
      if (gr.hidden.length > 0) {
        const key = `chip:${band.id}:${gr.zone}`;
        chips.set(key, { key, band: band.id, zone: gr.zone === '*' ? null : gr.zone, zones: gr.zones, nodes: gr.hidden.map((n) => n.key), ...cell(gr.shown.length) });
        for (const n of gr.hidden) anchorOf.set(n.key, key);
      }
      x += gr.w + GROUP_GAP;
      width = Math.max(width, x);
      rowH = Math.max(rowH, gr.h);
    }
    y += rowH + BAND_PAD;
    bands.push({ id: band.id, label: band.label, y: top, h: Math.max(y - top, BAND_MIN_H), count });
    y = top + Math.max(y - top, BAND_MIN_H);
  }

  // Edges: connections aggregated per pair of anchors.
  const edgeMap = new Map<string, MapEdge>();
  g.ends.forEach(([ca, sa], i) => {
    const a = anchorOf.get(ca)!;
    const b = anchorOf.get(sa)!;
    if (a === b && a.startsWith('chip:')) return; // both ends summarised in the same chip: nothing to draw
    const [from, to] = a <= b ? [a, b] : [b, a];
    const id = `${from}\u0000${to}`;
    const c = conns[i]!;
    let e = edgeMap.get(id);
    if (e === undefined) {
      edgeMap.set(id, (e = { id, from, to, conns: [], protocols: [], packets: 0, bytes: 0, industrial: false, summarised: from.startsWith('chip:') || to.startsWith('chip:') }));
    }
    e.conns.push(i);
    if (!e.protocols.includes(c.protocol)) e.protocols.push(c.protocol);
    e.packets += c.packets;
    e.bytes += c.bytes;
    if (INDUSTRIAL_PROTOCOLS.has(c.protocol)) e.industrial = true;
  });
  const edges = [...edgeMap.values()];
  for (const e of edges) e.protocols.sort(naturalCompare);
  // Thin and summarised edges first, so the busiest are drawn on top.
  edges.sort((a, b) => Number(b.summarised) - Number(a.summarised) || a.packets - b.packets || (a.id < b.id ? -1 : 1));

  return { width: width + 20, height: Math.max(y, 120), bands, zones, placed, chips, edges, order };
}

/** Stroke width of an edge carrying `packets` (logarithmic). */
export function edgeWidth(packets: number): number {
  return Math.min(9, 1 + Math.log10(Math.max(1, packets)) * 1.4);
}

/** Nodes whose name or an address contains `text` (case-insensitive), busiest first. */
export function findNodes(g: Graph, text: string, limit = 50): MapNode[] {
  const t = text.trim().toLowerCase();
  if (t === '') return [];
  const out: MapNode[] = [];
  for (const n of g.nodes.values()) {
    if (n.label.toLowerCase().includes(t) || n.ips.some((ip) => ip.toLowerCase().includes(t)) || (n.asset ?? '').toLowerCase().includes(t)) out.push(n);
  }
  out.sort((a, b) => b.packets - a.packets || naturalCompare(a.key, b.key));
  return out.slice(0, limit);
}

/** The asset ids the connections touch. */
export function assetIds(conns: readonly Connection[]): Set<string> {
  const s = new Set<string>();
  for (const c of conns) {
    if (c.client.asset !== null) s.add(c.client.asset);
    if (c.server.asset !== null) s.add(c.server.asset);
  }
  return s;
}

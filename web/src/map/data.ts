// Loads what the map draws: connections page by page (up to a cap), the busiest kept, and the assets they touch
// (listed page by page when many, fetched one by one when few or when a drawn node's record is still missing).
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError, withQuery, type Asset, type Connection, type Counters, type Page } from '../api';
import { assetIds, buildGraph, busiest, drawnNodes, type MapAsset } from './layout';

/** Connections read from the server at most. */
export const FETCH_CAP = 10_000;
/** Connections kept (the busiest of those read). */
export const EDGE_CAP = 5_000;
/** Nodes drawn (the busiest); the others are counted in "+N more" chips. */
export const MAX_NODES = 400;
const PAGE = 1000;
/** Asset pages listed at most before fetching the missing drawn ones by id (none when there are more assets). */
const ASSET_PAGES = 5;
/** Up to this many assets are fetched by id rather than listed. */
const BY_ID_MAX = 80;
const PARALLEL = 6;

export interface MapData {
  /** The kept connections (the busiest `EDGE_CAP` of those loaded). */
  conns: Connection[];
  /** Connections read from the server. */
  loaded: number;
  /** Every connection matching the filter was read. */
  complete: boolean;
  assets: Map<string, MapAsset>;
  /** Assets the kept connections touch whose record was not loaded (their level is unknown to the map). */
  missing: number;
  /** Frames the sensor had counted when loading started, if known (to tell when newer data exists). */
  at: number | null;
}

export interface MapLoad {
  data: MapData | null;
  error: Error | null;
  /** What is being loaded, while loading. */
  progress: string | null;
  reload: () => void;
}

function slim(a: Asset): MapAsset {
  return { id: a.id, names: a.names.slice(0, 1).map((n) => ({ name: n.name })), ips: a.ips, role: a.role, purdue_level: a.purdue_level, zones: a.zones, criticality: a.criticality, external: a.external };
}

/** Runs `f` over `items`, `n` at a time. */
async function pool<T>(items: readonly T[], n: number, f: (t: T) => Promise<void>): Promise<void> {
  let i = 0;
  const worker = async () => {
    while (i < items.length) await f(items[i++]!);
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}

export async function loadMap(protocol: string, signal: AbortSignal, progress: (s: string) => void): Promise<Omit<MapData, 'at'>> {
  // How many assets there are: listing them is worth it only when they are few enough.
  const counters = api<Counters>('/api/counters', { signal }).then(
    (c) => c.summary?.inventory?.assets ?? null,
    () => null,
  );
  const all: Connection[] = [];
  let cursor: string | null = null;
  let complete = false;
  for (;;) {
    progress(all.length === 0 ? 'connections' : `connections (${all.length.toLocaleString('en-US')} so far)`);
    const p: Page<Connection> = await api<Page<Connection>>(withQuery('/api/connections', { protocol, limit: PAGE, cursor }), { signal });
    for (const c of p.items) all.push(c);
    cursor = p.next;
    if (cursor === null) {
      complete = true;
      break;
    }
    if (all.length >= FETCH_CAP) break;
  }
  const conns = busiest(all, EDGE_CAP);

  const need = assetIds(conns);
  const assets = new Map<string, MapAsset>();
  const byId = async (ids: string[]) =>
    pool(ids, PARALLEL, async (id) => {
      try {
        assets.set(id, slim(await api<Asset>(`/api/assets/${encodeURIComponent(id)}`, { signal })));
      } catch (err) {
        if (!(err instanceof ApiError && err.status === 404)) throw err; // evicted since: left unknown
      }
    });
  const assetTotal = await counters;
  if (need.size <= BY_ID_MAX) {
    progress('assets');
    await byId([...need]);
  } else {
    let acursor: string | null = null;
    const pages = assetTotal !== null && assetTotal > ASSET_PAGES * PAGE ? 0 : ASSET_PAGES;
    for (let i = 0; i < pages; i++) {
      progress(`assets (${assets.size.toLocaleString('en-US')} of ${need.size.toLocaleString('en-US')})`);
      const p: Page<Asset> = await api<Page<Asset>>(withQuery('/api/assets', { limit: PAGE, cursor: acursor }), { signal });
      for (const a of p.items) if (need.has(a.id)) assets.set(a.id, slim(a));
      acursor = p.next;
      if (acursor === null || assets.size >= need.size) break;
    }
    // Drawn nodes must have their record: fetch those still missing.
    const drawn = drawnNodes(buildGraph(conns, assets), MAX_NODES);
    const missing = [...drawn].filter((k) => need.has(k) && !assets.has(k));
    if (missing.length > 0) {
      progress(`assets (${missing.length.toLocaleString('en-US')} more)`);
      await byId(missing);
    }
  }
  let missing = 0;
  for (const id of need) if (!assets.has(id)) missing++;
  return { conns, loaded: all.length, complete, assets, missing };
}

/** The map's data for `protocol` ('' for all), loaded again on `reload()`. */
export function useMapData(protocol: string, frames: number | null): MapLoad {
  const [state, setState] = useState<{ data: MapData | null; error: Error | null; progress: string | null }>({ data: null, error: null, progress: 'connections' });
  const [tick, setTick] = useState(0);
  // `frames` is read when loading starts; a change alone does not reload (the page offers to).
  const framesRef = useRef(frames);
  framesRef.current = frames;
  useEffect(() => {
    const ctl = new AbortController();
    const at = framesRef.current;
    setState({ data: null, error: null, progress: 'connections' });
    loadMap(protocol, ctl.signal, (progress) => {
      if (!ctl.signal.aborted) setState((s) => ({ ...s, progress }));
    }).then(
      (d) => {
        if (!ctl.signal.aborted) setState({ data: { ...d, at }, error: null, progress: null });
      },
      (error: Error) => {
        if (!ctl.signal.aborted) setState({ data: null, error, progress: null });
      },
    );
    return () => ctl.abort();
  }, [protocol, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

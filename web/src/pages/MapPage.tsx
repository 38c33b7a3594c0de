// The communication map (issue 5): who talks to whom, laid out by Purdue level and zone, filtered by protocol; a
// click (or Enter) on a node or edge opens its details, and a table view lists the same connections for screen
// readers. Large inventories are capped: the busiest connections and nodes are drawn, and the page says so.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { Counters } from '../api';
import { useApi, useDebounced, useSession } from '../ui/hooks';
import { PageTitle } from '../ui/Layout';
import { Empty, ErrorBox } from '../ui/states';
import { count } from '../ui/format';
import { buildGraph, findNodes, layout as layOut, naturalCompare, NODE_ROLES } from '../map/layout';
import { EDGE_CAP, FETCH_CAP, MAX_NODES, useMapData, type MapData } from '../map/data';
import { MapCanvas, type Selection } from '../map/MapCanvas';
import { Panel } from '../map/Panel';
import { EdgeTable } from '../map/EdgeTable';
import { RoleSwatch, roleLabel } from '../map/shapes';
import '../map/map.css';

export function MapPage() {
  const [params, setParams] = useSearchParams();
  const protocol = params.get('protocol') ?? '';
  const table = params.get('view') === 'table';
  const set = (k: string, v: string) => {
    const p = new URLSearchParams(params);
    if (v === '') p.delete(k);
    else p.set(k, v);
    setParams(p, { replace: true });
  };

  const { stream } = useSession();
  const frames = stream.last?.frames ?? null;
  const load = useMapData(protocol, frames);
  const counters = useApi<Counters>('/api/counters');
  const data = load.data;

  const graph = useMemo(() => (data === null ? null : buildGraph(data.conns, data.assets)), [data]);
  const lay = useMemo(() => (graph === null || data === null ? null : layOut(graph, data.conns, MAX_NODES)), [graph, data]);

  // Protocols offered: those the sensor counted and those seen on the map so far.
  const [seen, setSeen] = useState<string[]>([]);
  useEffect(() => {
    if (graph === null) return;
    setSeen((old) => (graph.protocols.every((p) => old.includes(p)) ? old : [...new Set([...old, ...graph.protocols])]));
  }, [graph]);
  const protocols = useMemo(() => {
    const s = new Set([...seen, ...Object.keys(counters.data?.summary?.protocols ?? {})]);
    if (protocol !== '') s.add(protocol);
    return [...s].sort(naturalCompare);
  }, [seen, counters.data, protocol]);

  const [selected, setSelected] = useState<Selection | null>(null);
  const [centre, setCentre] = useState<{ key: string; n: number } | null>(null);
  useEffect(() => setSelected(null), [protocol]);
  const onSelect = useCallback((s: Selection) => setSelected(s), []);
  const onClose = useCallback(() => {
    const s = selected;
    setSelected(null);
    // Back to the node or chip that was open, when it is drawn.
    if (s !== null && (s.kind === 'node' || s.kind === 'chip')) {
      requestAnimationFrame(() => {
        for (const el of document.querySelectorAll<SVGGElement>('.map-svg [data-key]')) {
          if (el.dataset.key === s.key) {
            el.focus();
            return;
          }
        }
      });
    }
  }, [selected]);

  const [text, setText] = useState('');
  const q = useDebounced(text, 200);
  const matches = useMemo(() => (graph === null ? [] : findNodes(graph, q, 50)), [graph, q]);
  const hits = useMemo(() => new Set(matches.map((n) => n.key)), [matches]);
  const pick = (key: string) => {
    setSelected({ kind: 'node', key });
    setCentre((c) => ({ key, n: (c?.n ?? 0) + 1 }));
  };

  const total = protocol === '' ? (counters.data?.summary?.inventory?.connections ?? null) : null;
  // Newer traffic than the map shows: the sensor's frame count moved since loading (when the stream had not yet
  // reported at load time, its first report is the reference).
  const [base, setBase] = useState<{ data: MapData; frames: number | null } | null>(null);
  useEffect(() => {
    if (data !== null && base?.data !== data) setBase({ data, frames: data.at });
    else if (base !== null && base.frames === null && frames !== null) setBase({ ...base, frames });
  }, [data, base, frames]);
  const newer = data !== null && base?.data === data && base.frames !== null && frames !== null && frames !== base.frames;

  let status = '';
  if (data !== null && graph !== null && data.conns.length > 0) {
    const n = data.conns.length;
    if (data.complete && data.loaded <= EDGE_CAP) status = `${count(n)} connection${n === 1 ? '' : 's'}`;
    else if (data.complete) status = `Showing the ${count(n)} busiest of ${count(data.loaded)} connections`;
    else status = `Showing the ${count(n)} busiest of the first ${count(FETCH_CAP)} connections read${total !== null && total > data.loaded ? ` (of ${count(total)} in all)` : ' (more exist)'}`;
    const nodes = graph.nodes.size;
    status += ` · ${nodes > MAX_NODES ? `the ${count(MAX_NODES)} busiest of ${count(nodes)} nodes drawn` : `${count(nodes)} node${nodes === 1 ? '' : 's'}`}`;
  }

  const roles = useMemo(() => {
    if (graph === null) return [];
    const present = new Set([...graph.nodes.values()].map((n) => n.role));
    return NODE_ROLES.filter((r) => present.has(r));
  }, [graph]);

  let content;
  if (load.error !== null) {
    content = <ErrorBox error={load.error} retry={load.reload} />;
  } else if (data === null || graph === null || lay === null) {
    content = (
      <p className="state" role="status" aria-live="polite">
        Loading {load.progress ?? 'the map'}…
      </p>
    );
  } else if (data.conns.length === 0) {
    content =
      protocol === '' ? (
        <Empty>
          <p>
            <strong>No connections yet.</strong> The map draws who talks to whom once Lantern has seen traffic.
          </p>
          <p>
            <Link to="/captures">Upload a capture on the Captures page</Link>, or start the sensor on a live interface.
          </p>
        </Empty>
      ) : (
        <Empty>
          <p>
            No <strong>{protocol}</strong> connections.
          </p>
          <button type="button" onClick={() => set('protocol', '')}>
            Show all protocols
          </button>
        </Empty>
      );
  } else {
    content = (
      <div className={selected !== null ? 'two-col map-body' : 'map-body'}>
        <div className="col">
          {table ? (
            <EdgeTable graph={graph} conns={data.conns} onSelect={onSelect} />
          ) : (
            <section className="card map-card" aria-label="Communication map">
              <MapCanvas graph={graph} layout={lay} selected={selected} hits={hits} onSelect={onSelect} centre={centre} />
              <ul className="legend map-legend" aria-label="Legend">
                {roles.map((r) => (
                  <li key={r}>
                    <RoleSwatch role={r} /> {roleLabel(r)}
                  </li>
                ))}
                <li>
                  <svg className="map-swatch" viewBox="0 0 40 12" width="40" height="12" aria-hidden="true" focusable="false">
                    <line className="map-key-ics" x1="2" y1="6" x2="38" y2="6" />
                  </svg>{' '}
                  Industrial protocol (solid)
                </li>
                <li>
                  <svg className="map-swatch" viewBox="0 0 40 12" width="40" height="12" aria-hidden="true" focusable="false">
                    <line className="map-key-it" x1="2" y1="6" x2="38" y2="6" />
                  </svg>{' '}
                  Other protocol (dashed)
                </li>
                <li className="muted">Thicker: more packets · faint: to a “+N more” group</li>
              </ul>
            </section>
          )}
        </div>
        {selected !== null ? <Panel graph={graph} layout={lay} conns={data.conns} selected={selected} onSelect={onSelect} onClose={onClose} /> : null}
      </div>
    );
  }

  return (
    <>
      <PageTitle title="Communication map" />
      <form className="filters" role="search" aria-label="Filter the map" onSubmit={(e) => e.preventDefault()}>
        <label>
          Protocol
          <select value={protocol} onChange={(e) => set('protocol', e.target.value)}>
            <option value="">All protocols</option>
            {protocols.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <label>
          Find a node
          <input
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && matches[0] !== undefined) {
                e.preventDefault();
                pick(matches[0].key);
              }
            }}
            placeholder="name or IP"
            size={22}
            aria-describedby="map-find-result"
          />
        </label>
        <button type="button" aria-pressed={table} onClick={() => set('view', table ? '' : 'table')}>
          Table view
        </button>
        <span className="count" role="status" aria-live="polite">
          {status}
        </span>
      </form>
      <div id="map-find-result" className="map-find" aria-live="polite">
        {q.trim() !== '' && graph !== null ? (
          matches.length === 0 ? (
            <span className="muted">No node matches “{q.trim()}”.</span>
          ) : (
            <>
              <span className="muted">
                {matches.length >= 50 ? '50+' : matches.length} match{matches.length === 1 ? '' : 'es'}
                {lay !== null ? `, ${matches.filter((m) => lay.placed.has(m.key)).length} drawn (ringed)` : ''}:
              </span>{' '}
              {matches.slice(0, 8).map((m) => (
                <button key={m.key} type="button" className="map-match" onClick={() => pick(m.key)}>
                  {m.label}
                </button>
              ))}
              {matches.length > 8 ? <span className="muted"> …</span> : null}
            </>
          )
        ) : null}
      </div>
      {newer ? (
        <p className="map-newer">
          The sensor has seen more traffic since the map was drawn.{' '}
          <button type="button" onClick={load.reload}>
            Redraw the map
          </button>
        </p>
      ) : null}
      {data !== null && data.missing > 0 ? (
        <p className="muted">
          {count(data.missing)} asset record{data.missing === 1 ? '' : 's'} not loaded (too many assets): those nodes (none of them drawn) are counted in the “Not loaded”
          band.
        </p>
      ) : null}
      {content}
    </>
  );
}

// The map's SVG: bands, zones, nodes, "+N more" chips and edges, with pan (drag, arrow keys), zoom (wheel, +/-
// buttons and keys) and fit. Nodes and chips are focusable buttons in reading order; Enter or a click selects them.
import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState, type CSSProperties, type KeyboardEvent, type PointerEvent } from 'react';
import { edgeWidth, NODE_R, type Graph, type Layout, type MapEdge } from './layout';
import { ROLE_LETTER, roleLabel, Shape } from './shapes';
import { purdue } from '../ui/format';

export type Selection = { kind: 'node'; key: string } | { kind: 'edge'; id: string } | { kind: 'conn'; index: number } | { kind: 'chip'; key: string };

interface View {
  x: number;
  y: number;
  k: number;
}

const MIN_K = 0.1;
const MAX_K = 3;
const clampK = (k: number) => Math.min(MAX_K, Math.max(MIN_K, k));

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** The accessible name of a node: "PLC-1, controller, level 1". */
export function nodeLabel(g: Graph, key: string): string {
  const n = g.nodes.get(key);
  if (n === undefined) return key;
  const level = n.band === 'external' ? 'external' : n.level === null ? 'level unknown' : `level ${n.level}`;
  return `${n.label}, ${roleLabel(n.role).toLowerCase()}, ${level}${n.zone !== 'no zone' ? `, zone ${n.zone}` : ''}`;
}

function endPoint(l: Layout, key: string): { x: number; y: number } | undefined {
  return l.placed.get(key) ?? l.chips.get(key);
}

/** A gentle curve between two anchors (bent to one side, so edges along a row do not overlap). */
function edgePath(l: Layout, e: MapEdge): string | null {
  const a = endPoint(l, e.from);
  const b = endPoint(l, e.to);
  if (a === undefined || b === undefined) return null;
  if (e.from === e.to) return `M${a.x},${a.y - NODE_R} c 30,-40 60,0 ${NODE_R},${NODE_R}`;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.hypot(dx, dy) || 1;
  const bend = Math.min(60, len * 0.12);
  const cx = (a.x + b.x) / 2 - (dy / len) * bend;
  const cy = (a.y + b.y) / 2 + (dx / len) * bend;
  return `M${a.x.toFixed(1)},${a.y.toFixed(1)} Q${cx.toFixed(1)},${cy.toFixed(1)} ${b.x.toFixed(1)},${b.y.toFixed(1)}`;
}

interface LayerProps {
  graph: Graph;
  layout: Layout;
  selected: Selection | null;
  hits: ReadonlySet<string>;
  onSelect: (s: Selection) => void;
  onFocusNode: (x: number, y: number) => void;
  dragged: () => boolean;
}

/** Everything drawn; memoised so panning and zooming do not render it again. */
const Layer = memo(function Layer({ graph, layout, selected, hits, onSelect, onFocusNode, dragged }: LayerProps) {
  const focusKey = selected?.kind === 'node' || selected?.kind === 'chip' ? selected.key : null;
  const selEdge = selected?.kind === 'edge' ? selected.id : null;
  const touches = (e: MapEdge) => focusKey !== null && (e.from === focusKey || e.to === focusKey);
  const dim = focusKey !== null || selEdge !== null;
  const click = (s: Selection) => () => {
    if (!dragged()) onSelect(s);
  };
  const key = (s: Selection) => (ev: KeyboardEvent) => {
    if (ev.key === 'Enter' || ev.key === ' ') {
      ev.preventDefault();
      onSelect(s);
    }
  };
  const neighbours = new Set<string>();
  if (focusKey !== null) for (const e of layout.edges) if (touches(e)) neighbours.add(e.from === focusKey ? e.to : e.from);
  if (selEdge !== null) {
    const e = layout.edges.find((x) => x.id === selEdge);
    if (e) neighbours.add(e.from).add(e.to);
  }

  return (
    <>
      <g className="map-bands" aria-hidden="true">
        {layout.bands.map((b, i) => (
          <g key={b.id}>
            <rect className={`map-band ${i % 2 ? 'odd' : ''}`} x={0} y={b.y} width={layout.width} height={b.h} />
            <text className="map-band-label" x={12} y={b.y + 24}>
              {b.label.split(' · ')[0]}
            </text>
            <text className="map-band-sub" x={12} y={b.y + 41}>
              {b.label.split(' · ')[1] ?? ''}
            </text>
            <text className="map-band-count" x={12} y={b.y + (b.label.includes(' · ') ? 58 : 41)}>
              {b.count.toLocaleString('en-US')} node{b.count === 1 ? '' : 's'}
            </text>
          </g>
        ))}
        {layout.zones.map((z) => (
          <g key={`${z.band}/${z.zone}`}>
            <rect className="map-zone" x={z.x} y={z.y} width={z.w} height={z.h} rx={6} />
            <text className="map-zone-label" x={z.x + 8} y={z.y + 15}>
              {truncate(z.zone, Math.floor(z.w / 7))}
            </text>
          </g>
        ))}
      </g>
      <g className="map-edges" aria-hidden="true">
        {layout.edges.map((e) => {
          const d = edgePath(layout, e);
          if (d === null) return null;
          const on = e.id === selEdge || touches(e);
          const cls = `map-edge ${e.industrial ? 'ics' : 'it'}${e.summarised ? ' summary' : ''}${on ? ' on' : dim ? ' dim' : ''}`;
          return (
            <g key={e.id} className={cls} onClick={click({ kind: 'edge', id: e.id })}>
              <path className="line" d={d} strokeWidth={edgeWidth(e.packets)} />
              <path className="hit" d={d}>
                <title>{`${e.protocols.join(', ')} · ${e.packets.toLocaleString('en-US')} packets`}</title>
              </path>
            </g>
          );
        })}
      </g>
      <g className="map-nodes">
        {layout.order.map((k) => {
          const n = graph.nodes.get(k)!;
          const p = layout.placed.get(k)!;
          const sel = focusKey === k;
          const cls = `map-node r-${n.role}${sel ? ' selected' : ''}${hits.has(k) ? ' hit' : ''}${dim && !sel && !neighbours.has(k) ? ' dim' : ''}${n.asset === null ? ' bare' : ''}`;
          return (
            <g
              key={k}
              data-key={k}
              className={cls}
              transform={`translate(${p.x},${p.y})`}
              tabIndex={0}
              role="button"
              aria-label={nodeLabel(graph, k)}
              aria-pressed={sel}
              onClick={click({ kind: 'node', key: k })}
              onKeyDown={key({ kind: 'node', key: k })}
              onFocus={() => onFocusNode(p.x, p.y)}
            >
              <circle className="ring" r={NODE_R + 7} />
              <Shape role={n.role} />
            </g>
          );
        })}
      </g>
      {/* Letters and names drawn over the nodes but outside their buttons: the buttons' names say more than they show. */}
      <g className="map-nodes-text" aria-hidden="true">
        {layout.order.map((k) => {
          const n = graph.nodes.get(k)!;
          const p = layout.placed.get(k)!;
          return (
            <g key={k} className={`map-node r-${n.role}${focusKey === k ? ' selected' : ''}${n.asset === null ? ' bare' : ''}`} transform={`translate(${p.x},${p.y})`}>
              <text className="letter" dy="0.35em">
                {ROLE_LETTER[n.role] ?? '?'}
              </text>
              <text className="name" y={NODE_R + 15}>
                {truncate(n.label, 18)}
              </text>
            </g>
          );
        })}
        {[...layout.chips.values()].map((c) => {
          const sel = focusKey === c.key;
          const band = c.band === 'external' ? 'external' : c.band === 'unknown' ? 'level unknown' : c.band === 'unloaded' ? 'level not loaded' : purdue(Number(c.band.slice(1))).toLowerCase();
          return (
            <g
              key={c.key}
              data-key={c.key}
              className={`map-chip${sel ? ' selected' : ''}${dim && !sel && !neighbours.has(c.key) ? ' dim' : ''}`}
              transform={`translate(${c.x},${c.y})`}
              tabIndex={0}
              role="button"
              aria-label={`${c.nodes.length.toLocaleString('en-US')} more nodes in ${c.zone === null ? `${c.zones.toLocaleString('en-US')} zones` : c.zone === 'no zone' ? 'no zone' : `zone ${c.zone}`}, ${band}`}
              aria-pressed={sel}
              onClick={click({ kind: 'chip', key: c.key })}
              onKeyDown={key({ kind: 'chip', key: c.key })}
              onFocus={() => onFocusNode(c.x, c.y)}
            >
              <rect className="ring" x={-50} y={-19} width={100} height={38} rx={19} />
              <rect className="chip" x={-44} y={-13} width={88} height={26} rx={13} />
              <text className="chip-text" dy="0.35em">
                +{c.nodes.length.toLocaleString('en-US')} more
              </text>
            </g>
          );
        })}
      </g>
    </>
  );
});

/** Dashes about 6 px long on screen whatever the zoom (short dashes in user units, zoomed out, are slow to draw). */
function dashStyle(k: number): CSSProperties {
  const f = Math.max(1, 2 ** Math.round(Math.log2(1 / k)));
  return { ['--map-dash' as string]: `${6 * f} ${4 * f}` };
}

export interface MapCanvasProps {
  graph: Graph;
  layout: Layout;
  selected: Selection | null;
  hits: ReadonlySet<string>;
  onSelect: (s: Selection) => void;
  /** A node to bring into view (a search result chosen). */
  centre: { key: string; n: number } | null;
}

export function MapCanvas({ graph, layout, selected, hits, onSelect, centre }: MapCanvasProps) {
  const box = useRef<HTMLDivElement>(null);
  const [view, setView] = useState<View>({ x: 0, y: 0, k: 1 });
  const viewRef = useRef(view);
  viewRef.current = view;
  const drag = useRef<{ id: number; sx: number; sy: number; vx: number; vy: number; moved: boolean } | null>(null);
  const moved = useRef(false);

  const size = () => {
    const r = box.current?.getBoundingClientRect();
    return { w: r?.width ?? 800, h: r?.height ?? 600 };
  };

  const fit = useCallback(() => {
    const { w, h } = size();
    const k = clampK(Math.min(w / layout.width, h / layout.height, 1.2));
    setView({ k, x: (w - layout.width * k) / 2, y: Math.max(0, (h - layout.height * k) / 2) });
  }, [layout]);

  // A new layout is fitted to the view.
  useLayoutEffect(fit, [fit]);

  const zoomAt = useCallback((factor: number, cx?: number, cy?: number) => {
    const { w, h } = size();
    const px = cx ?? w / 2;
    const py = cy ?? h / 2;
    setView((v) => {
      const k = clampK(v.k * factor);
      const f = k / v.k;
      return { k, x: px - (px - v.x) * f, y: py - (py - v.y) * f };
    });
  }, []);

  // When the view is resized (the side panel opens or closes), the point at its centre stays at its centre.
  useEffect(() => {
    const el = box.current;
    if (el === null || typeof ResizeObserver === 'undefined') return;
    let last = el.getBoundingClientRect();
    const ro = new ResizeObserver(() => {
      const r = el.getBoundingClientRect();
      const dx = (r.width - last.width) / 2;
      const dy = (r.height - last.height) / 2;
      last = r;
      if (dx !== 0 || dy !== 0) setView((v) => ({ ...v, x: v.x + dx, y: v.y + dy }));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Wheel zoom needs a non-passive listener (to keep the page from scrolling).
  useEffect(() => {
    const el = box.current;
    if (el === null) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const r = el.getBoundingClientRect();
      zoomAt(Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0015)), e.clientX - r.left, e.clientY - r.top);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [zoomAt]);

  const centreOn = useCallback((x: number, y: number, always: boolean) => {
    const { w, h } = size();
    const v = viewRef.current;
    const sx = x * v.k + v.x;
    const sy = y * v.k + v.y;
    const margin = 40;
    if (!always && sx > margin && sx < w - margin && sy > margin && sy < h - margin) return;
    const k = always ? Math.max(v.k, 0.8) : v.k;
    setView({ k, x: w / 2 - x * k, y: h / 2 - y * k });
  }, []);

  useEffect(() => {
    if (centre === null) return;
    const p = layout.placed.get(centre.key);
    if (p) centreOn(p.x, p.y, true);
  }, [centre, layout, centreOn]);

  const onFocusNode = useCallback((x: number, y: number) => centreOn(x, y, false), [centreOn]);
  const dragged = useCallback(() => moved.current, []);

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    moved.current = false;
    drag.current = { id: e.pointerId, sx: e.clientX, sy: e.clientY, vx: viewRef.current.x, vy: viewRef.current.y, moved: false };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (d === null || d.id !== e.pointerId) return;
    const dx = e.clientX - d.sx;
    const dy = e.clientY - d.sy;
    if (!d.moved && Math.hypot(dx, dy) < 4) return;
    if (!d.moved) {
      d.moved = true;
      moved.current = true;
      box.current?.setPointerCapture(e.pointerId);
    }
    setView((v) => ({ ...v, x: d.vx + dx, y: d.vy + dy }));
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    if (drag.current?.id === e.pointerId) drag.current = null;
    if (box.current?.hasPointerCapture(e.pointerId)) box.current.releasePointerCapture(e.pointerId);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = 60;
    const pan = (dx: number, dy: number) => setView((v) => ({ ...v, x: v.x + dx, y: v.y + dy }));
    switch (e.key) {
      case 'ArrowLeft':
        pan(step, 0);
        break;
      case 'ArrowRight':
        pan(-step, 0);
        break;
      case 'ArrowUp':
        pan(0, step);
        break;
      case 'ArrowDown':
        pan(0, -step);
        break;
      case '+':
      case '=':
        zoomAt(1.25);
        break;
      case '-':
        zoomAt(0.8);
        break;
      case '0':
        fit();
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  return (
    <div className="map-frame">
      <div className="map-tools" role="group" aria-label="Zoom">
        <button type="button" onClick={() => zoomAt(1.25)} aria-label="Zoom in" title="Zoom in (+)">
          +
        </button>
        <button type="button" onClick={() => zoomAt(0.8)} aria-label="Zoom out" title="Zoom out (−)">
          −
        </button>
        <button type="button" onClick={fit} title="Fit the whole map (0)">
          Fit
        </button>
        <span className="muted map-zoom" aria-hidden="true">
          {Math.round(view.k * 100)}%
        </span>
      </div>
      <div
        ref={box}
        className="map-view"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onKeyDown={onKeyDown}
      >
        <svg className="map-svg" style={dashStyle(view.k)} role="group" aria-label="Communication map: nodes in bands by Purdue level, grouped by zone. Arrow keys pan, + and − zoom, 0 fits.">
          <g transform={`translate(${view.x},${view.y}) scale(${view.k})`}>
            <Layer graph={graph} layout={layout} selected={selected} hits={hits} onSelect={onSelect} onFocusNode={onFocusNode} dragged={dragged} />
          </g>
        </svg>
      </div>
    </div>
  );
}

// The map's side panel: the selected node (with its edges, each reachable by keyboard), the selected edge (its
// connections), one connection (ends, protocol, volumes, times, operations), or a "+N more" chip's nodes.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { Connection } from '../api';
import { bytes, count, purdue, time } from '../ui/format';
import { BANDS, INDUSTRIAL_PROTOCOLS, naturalCompare, type Graph, type Layout } from './layout';
import type { Selection } from './MapCanvas';
import { roleLabel } from './shapes';

interface PanelProps {
  graph: Graph;
  layout: Layout;
  conns: readonly Connection[];
  selected: Selection;
  onSelect: (s: Selection) => void;
  onClose: () => void;
}

const LIST_STEP = 50;

function byPackets(conns: readonly Connection[], idx: readonly number[]): number[] {
  return [...idx].sort((a, b) => conns[b]!.packets - conns[a]!.packets || a - b);
}

function bandLabel(band: string): string {
  return BANDS.find((b) => b.id === band)?.label ?? band;
}

function protoPort(c: Connection): string {
  return c.port === 0 ? `${c.protocol} (${c.transport})` : `${c.protocol} · ${c.transport}/${c.port}`;
}

export function Panel({ graph, layout, conns, selected, onSelect, onClose }: PanelProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  const [shown, setShown] = useState(LIST_STEP);
  const selKey = JSON.stringify(selected);
  // A new selection: its heading takes the focus (keyboard and screen-reader users land on it), lists start short.
  useEffect(() => {
    setShown(LIST_STEP);
    heading.current?.focus({ preventScroll: false });
  }, [selKey]);

  const endName = (key: string, ip: string) => {
    const n = graph.nodes.get(key);
    return n === undefined || n.label === ip ? ip : `${n.label} (${ip})`;
  };
  const nodeButton = (key: string, ip?: string) => (
    <button type="button" className="map-linkish" onClick={() => onSelect({ kind: 'node', key })}>
      {ip === undefined ? (graph.nodes.get(key)?.label ?? key) : endName(key, ip)}
    </button>
  );
  const more = (total: number) =>
    total > shown ? (
      <button type="button" onClick={() => setShown((s) => s + LIST_STEP * 4)}>
        Show more ({count(total - shown)} left)
      </button>
    ) : null;

  const connList = (idx: readonly number[], from: string | null) => {
    const sorted = byPackets(conns, idx);
    return (
      <>
        <ul className="plain-list map-list">
          {sorted.slice(0, shown).map((i) => {
            const c = conns[i]!;
            const [ck, sk] = graph.ends[i]!;
            const peer =
              from === null ? null : ck === from ? (
                <>
                  <span aria-hidden="true">→ </span>
                  <span className="visually-hidden">to </span>
                  {endName(sk, c.server.ip)}
                </>
              ) : (
                <>
                  <span aria-hidden="true">← </span>
                  <span className="visually-hidden">from </span>
                  {endName(ck, c.client.ip)}
                </>
              );
            return (
              <li key={i}>
                <button type="button" className="map-linkish" onClick={() => onSelect({ kind: 'conn', index: i })}>
                  {peer ?? `${endName(ck, c.client.ip)} → ${endName(sk, c.server.ip)}`}
                </button>
                <div className="muted">
                  {protoPort(c)} · {count(c.packets)} packet{c.packets === 1 ? '' : 's'} · {bytes(c.bytes)}
                </div>
              </li>
            );
          })}
        </ul>
        {more(sorted.length)}
      </>
    );
  };

  let title: string;
  let body: ReactNode = null;

  if (selected.kind === 'node') {
    const n = graph.nodes.get(selected.key);
    if (n === undefined) {
      title = 'Not on the map';
      body = <p className="muted">This node is not in the current view (another protocol filter?).</p>;
    } else {
      title = n.label;
      const drawn = layout.placed.has(n.key);
      body = (
        <>
          <dl className="facts">
            <dt>IP</dt>
            <dd className="mono">{n.ips.join(', ')}</dd>
            <dt>Role</dt>
            <dd>{roleLabel(n.role)}</dd>
            <dt>Level</dt>
            <dd>{n.band === 'external' ? `External${n.level !== null ? ` (${purdue(n.level)})` : ''}` : n.known ? purdue(n.level) : 'not loaded'}</dd>
            <dt>Zone</dt>
            <dd className="mono">{n.zone}</dd>
            {n.criticality !== null ? (
              <>
                <dt>Criticality</dt>
                <dd>{n.criticality}</dd>
              </>
            ) : null}
            <dt>Traffic</dt>
            <dd>
              {count(n.packets)} packet{n.packets === 1 ? '' : 's'} · {bytes(n.bytes)}
            </dd>
          </dl>
          {!drawn ? <p className="muted">Not drawn: counted in “+N more” of its band and zone.</p> : null}
          <p>
            {n.asset !== null ? (
              <Link to={`/assets/${encodeURIComponent(n.asset)}`}>Open asset {n.label}</Link>
            ) : (
              <span className="muted">{n.role === 'group' ? 'A broadcast or multicast address' : 'An address with no asset (it never answered, or is outside the network)'}.</span>
            )}
          </p>
          <h3>
            Edges <span className="muted">({count(n.conns.length)})</span>
          </h3>
          {connList(n.conns, n.key)}
        </>
      );
    }
  } else if (selected.kind === 'edge') {
    const e = layout.edges.find((x) => x.id === selected.id);
    if (e === undefined) {
      title = 'Not on the map';
      body = <p className="muted">This edge is not in the current view.</p>;
    } else {
      const name = (k: string) => (k.startsWith('chip:') ? `+${layout.chips.get(k)?.nodes.length ?? 0} more` : (graph.nodes.get(k)?.label ?? k));
      title = `${name(e.from)} ↔ ${name(e.to)}`;
      body = (
        <>
          <dl className="facts">
            <dt>Protocols</dt>
            <dd>{e.protocols.join(', ')}</dd>
            <dt>Connections</dt>
            <dd>{count(e.conns.length)}</dd>
            <dt>Packets</dt>
            <dd>{count(e.packets)}</dd>
            <dt>Bytes</dt>
            <dd>{bytes(e.bytes)}</dd>
          </dl>
          {e.conns.length === 1 ? <ConnDetail c={conns[e.conns[0]!]!} ends={graph.ends[e.conns[0]!]!} nodeButton={nodeButton} /> : null}
          {e.conns.length > 1 ? (
            <>
              <h3>Connections</h3>
              {connList(e.conns, null)}
            </>
          ) : null}
        </>
      );
    }
  } else if (selected.kind === 'conn') {
    const c = conns[selected.index];
    if (c === undefined) {
      title = 'Not on the map';
    } else {
      title = `${c.protocol} connection`;
      body = <ConnDetail c={c} ends={graph.ends[selected.index]!} nodeButton={nodeButton} />;
    }
  } else {
    const chip = layout.chips.get(selected.key);
    if (chip === undefined) {
      title = 'Not on the map';
    } else {
      title = `${count(chip.nodes.length)} more in ${chip.zone ?? `${count(chip.zones)} zones`}`;
      body = (
        <>
          <p className="muted">
            {bandLabel(chip.band)}, {chip.zone === null ? `${count(chip.zones)} zones with no node drawn` : <>zone <span className="mono">{chip.zone}</span></>}: nodes not drawn (the map draws the busiest), busiest
            first.
          </p>
          <ul className="plain-list map-list">
            {chip.nodes.slice(0, shown).map((k) => {
              const n = graph.nodes.get(k)!;
              return (
                <li key={k}>
                  {nodeButton(k)}
                  <div className="muted">
                    {roleLabel(n.role)} · <span className="mono">{n.ips[0]}</span>
                    {chip.zone === null ? <span className="mono"> · {n.zone}</span> : null} · {count(n.packets)} packet{n.packets === 1 ? '' : 's'}
                  </div>
                </li>
              );
            })}
          </ul>
          {more(chip.nodes.length)}
        </>
      );
    }
  }

  return (
    <aside className="card map-panel" aria-labelledby="map-panel-title" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="map-panel-head">
        <h2 id="map-panel-title" ref={heading} tabIndex={-1}>
          {title}
        </h2>
        <button type="button" onClick={onClose} aria-label="Close details">
          ×
        </button>
      </div>
      {body}
    </aside>
  );
}

function ConnDetail({ c, ends, nodeButton }: { c: Connection; ends: [string, string]; nodeButton: (key: string, ip?: string) => ReactNode }) {
  const ops = [...c.operations].sort((a, b) => b.count - a.count || naturalCompare(a.name, b.name));
  return (
    <>
      <dl className="facts">
        <dt>Client</dt>
        <dd>{nodeButton(ends[0], c.client.ip)}</dd>
        <dt>Server</dt>
        <dd>{nodeButton(ends[1], c.server.ip)}</dd>
        <dt>Protocol</dt>
        <dd>
          {protoPort(c)}
          {INDUSTRIAL_PROTOCOLS.has(c.protocol) ? <span className="badge map-ics-badge">industrial</span> : null}
        </dd>
        {c.vlan !== 0 ? (
          <>
            <dt>VLAN</dt>
            <dd>{c.vlan}</dd>
          </>
        ) : null}
        <dt>Packets</dt>
        <dd>{count(c.packets)}</dd>
        <dt>Bytes</dt>
        <dd>{bytes(c.bytes)}</dd>
        <dt>Flows</dt>
        <dd>{count(c.flows)}</dd>
        <dt>First seen</dt>
        <dd>{time(c.first_seen)}</dd>
        <dt>Last seen</dt>
        <dd>{time(c.last_seen)}</dd>
        {c.external ? (
          <>
            <dt>External</dt>
            <dd>an end is on a public address</dd>
          </>
        ) : null}
      </dl>
      <h3>Operations</h3>
      {ops.length === 0 ? (
        <p className="muted">No operations decoded on this connection.</p>
      ) : (
        <table className="plain">
          <caption className="visually-hidden">Operations of this connection</caption>
          <thead>
            <tr>
              <th scope="col">Operation</th>
              <th scope="col">Access</th>
              <th scope="col" className="num">
                Count
              </th>
              <th scope="col" className="num">
                Exceptions
              </th>
            </tr>
          </thead>
          <tbody>
            {ops.map((o) => (
              <tr key={o.name}>
                <td className="mono">{o.name}</td>
                <td>{o.access}</td>
                <td className="num">{count(o.count)}</td>
                <td className="num">{count(o.exceptions)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {c.other_operations > 0 ? <p className="muted">and {count(c.other_operations)} more operations not listed (64 names at most per edge)</p> : null}
    </>
  );
}

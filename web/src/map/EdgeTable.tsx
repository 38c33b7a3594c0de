// The map as a plain table of connections (busiest first): the accessible alternative to the picture.
import { useMemo, useState } from 'react';
import type { Connection } from '../api';
import { bytes, count, time } from '../ui/format';
import type { Graph } from './layout';
import type { Selection } from './MapCanvas';

const STEP = 200;

export function EdgeTable({ graph, conns, onSelect }: { graph: Graph; conns: readonly Connection[]; onSelect: (s: Selection) => void }) {
  const [shown, setShown] = useState(STEP);
  const order = useMemo(() => conns.map((_, i) => i).sort((a, b) => conns[b]!.packets - conns[a]!.packets || a - b), [conns]);
  const name = (key: string, ip: string) => {
    const n = graph.nodes.get(key);
    return n === undefined || n.label === ip ? ip : `${n.label} (${ip})`;
  };
  return (
    <div className="card map-table">
      <table className="plain">
        <caption className="visually-hidden">Connections, busiest first</caption>
        <thead>
          <tr>
            <th scope="col">Client</th>
            <th scope="col">Server</th>
            <th scope="col">Protocol</th>
            <th scope="col" className="num">
              Port
            </th>
            <th scope="col" className="num">
              Packets
            </th>
            <th scope="col" className="num">
              Bytes
            </th>
            <th scope="col">Last seen</th>
            <th scope="col">
              <span className="visually-hidden">Details</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {order.slice(0, shown).map((i) => {
            const c = conns[i]!;
            const [ck, sk] = graph.ends[i]!;
            return (
              <tr key={i}>
                <td>{name(ck, c.client.ip)}</td>
                <td>{name(sk, c.server.ip)}</td>
                <td>{c.protocol}</td>
                <td className="num">{c.port === 0 ? c.transport : `${c.transport}/${c.port}`}</td>
                <td className="num">{count(c.packets)}</td>
                <td className="num">{bytes(c.bytes)}</td>
                <td>{time(c.last_seen)}</td>
                <td>
                  <button type="button" onClick={() => onSelect({ kind: 'conn', index: i })} aria-label={`Details of ${c.protocol} from ${name(ck, c.client.ip)} to ${name(sk, c.server.ip)}`}>
                    Details
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {order.length > shown ? (
        <p>
          <button type="button" onClick={() => setShown((s) => s + STEP * 5)}>
            Show more ({count(order.length - shown)} left)
          </button>
        </p>
      ) : null}
    </div>
  );
}

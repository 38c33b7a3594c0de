// One asset: who it is (identity with the evidence behind each value), what it does (roles with reasons, connections,
// operations), what was raised about it (alerts) and when things were first seen (timeline).
import { Link, useParams } from 'react-router';
import { withQuery, type Alert, type Asset, type Connection, type Page } from '../api';
import { useApi } from '../ui/hooks';
import { Card, Empty, Severity, Show } from '../ui/states';
import { PageTitle } from '../ui/Layout';
import { assetName, bytes, count, purdue, role, time } from '../ui/format';

export function AssetPage() {
  const id = useParams().id ?? '';
  const asset = useApi<Asset>(`/api/assets/${encodeURIComponent(id)}`);
  return (
    <Show state={asset} what="the asset">
      {(a) => <AssetView a={a} />}
    </Show>
  );
}

function AssetView({ a }: { a: Asset }) {
  const ip = a.ips[0];
  const conns = useApi<Page<Connection>>(ip === undefined ? null : withQuery('/api/connections', { ip, limit: 500 }));
  const alerts = useApi<Page<Alert>>(withQuery('/api/alerts', { asset: a.id, limit: 100 }));
  return (
    <>
      <PageTitle title={assetName(a)}>
        {ip !== undefined ? (
          <Link className="button" to={`/events?asset=${encodeURIComponent(ip)}`}>
            Events of this asset
          </Link>
        ) : null}
        <Link className="button" to={`/map?focus=${encodeURIComponent(a.id)}`}>
          On the map
        </Link>
      </PageTitle>
      <p className="lede">
        <span className="badge">{role(a.role)}</span> {purdue(a.purdue_level)} · criticality <strong>{a.criticality}</strong>
        {a.criticality_source === 'override' ? ' (set by an analyst)' : ''} {a.external ? <span className="badge sev-high">external</span> : null}
      </p>
      <div className="two-col">
        <div className="col">
          <Card title="Identity">
            <Identity a={a} />
          </Card>
          <Card title="Connections">
            <Show state={conns} what="connections">
              {(p) => <Connections a={a} edges={p.items} more={p.next !== null} />}
            </Show>
          </Card>
          <Card title="Operations">
            <Show state={conns} what="operations">
              {(p) => <Operations edges={p.items} a={a} />}
            </Show>
          </Card>
        </div>
        <div className="col">
          <Card title="Alerts">
            <Show state={alerts} what="alerts">
              {(p) =>
                p.items.length === 0 ? (
                  <Empty>No alert concerns this asset.</Empty>
                ) : (
                  <ul className="plain-list">
                    {p.items.map((al) => (
                      <li key={al.id}>
                        <Severity level={al.severity} /> <Link to={`/alerts/${encodeURIComponent(al.id)}`}>{al.title}</Link>{' '}
                        <span className="muted">
                          {al.status.replace('_', ' ')} · {time(al.last_seen)}
                        </span>
                      </li>
                    ))}
                  </ul>
                )
              }
            </Show>
          </Card>
          <Card title="Roles">
            {a.roles.length === 0 ? (
              <Empty>No role evidence.</Empty>
            ) : (
              <ul className="plain-list">
                {a.roles.map((r) => (
                  <li key={r.role}>
                    <strong>{role(r.role)}</strong> <span className="muted">{Math.round(r.confidence * 100)} %</span>
                    <ul>
                      {r.reasons.map((why) => (
                        <li key={why}>{why}</li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ul>
            )}
            <p className="muted">Purdue level: {a.purdue_reason}</p>
          </Card>
          <Card title="Addresses and names">
            <Addresses a={a} />
          </Card>
          <Card title="Timeline">
            <Timeline a={a} alerts={alerts.data?.items ?? []} />
          </Card>
        </div>
      </div>
    </>
  );
}

function Identity({ a }: { a: Asset }) {
  const props = Object.entries(a.identity);
  if (props.length === 0 && a.mac_vendor === null) return <Empty>No identity seen yet: Lantern reports what the traffic told, nothing more.</Empty>;
  return (
    <>
      <dl className="facts">
        {a.mac_vendor !== null ? (
          <>
            <dt>MAC vendor</dt>
            <dd>{a.mac_vendor} <span className="muted">(IEEE registry)</span></dd>
          </>
        ) : null}
        {props.map(([k, v]) => {
          const ev = a.evidence.filter((e) => e.property === `identity.${k}`);
          const conflicts = a.identity_conflicts[k] ?? [];
          return (
            <div key={k} className="fact-row">
              <dt>{k.replace(/_/g, ' ')}</dt>
              <dd>
                <span className="mono">{String(v)}</span>
                {ev.length > 0 ? (
                  <details>
                    <summary>
                      Evidence ({ev.length}){conflicts.length > 0 ? `, ${conflicts.length} conflicting` : ''}
                    </summary>
                    <table className="plain">
                      <thead>
                        <tr>
                          <th>Value</th>
                          <th>Protocol</th>
                          <th>Message</th>
                          <th className="num">Seen</th>
                          <th>Last</th>
                          <th className="num">Confidence</th>
                        </tr>
                      </thead>
                      <tbody>
                        {ev.map((e, i) => (
                          <tr key={i}>
                            <td className="mono">{String(e.value)}</td>
                            <td>{e.protocol}</td>
                            <td>{e.source}</td>
                            <td className="num">{count(e.count)}</td>
                            <td>{time(e.last_seen)}</td>
                            <td className="num">{Math.round(e.confidence * 100)} %</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </details>
                ) : null}
              </dd>
            </div>
          );
        })}
      </dl>
    </>
  );
}

function Connections({ a, edges, more }: { a: Asset; edges: Connection[]; more: boolean }) {
  if (edges.length === 0) return <Empty>No connection seen.</Empty>;
  const mine = new Set(a.ips);
  return (
    <>
      <table className="plain">
        <thead>
          <tr>
            <th>Direction</th>
            <th>Peer</th>
            <th>Protocol</th>
            <th className="num">Packets</th>
            <th className="num">Bytes</th>
            <th>Last seen</th>
          </tr>
        </thead>
        <tbody>
          {edges.map((e) => {
            const outbound = mine.has(e.client.ip);
            const peer = outbound ? e.server : e.client;
            return (
              <tr key={`${e.client.ip}-${e.server.ip}-${e.protocol}-${e.transport}-${e.port}-${e.vlan}`}>
                <td>{outbound ? 'to (client)' : 'from (server)'}</td>
                <td>{peer.asset !== null ? <Link to={`/assets/${encodeURIComponent(peer.asset)}`}>{peer.ip}</Link> : <span className="mono">{peer.ip}</span>}</td>
                <td>
                  {e.protocol} <span className="muted">{e.transport}/{e.port}</span>
                </td>
                <td className="num">{count(e.packets)}</td>
                <td className="num">{bytes(e.bytes)}</td>
                <td>{time(e.last_seen)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {more ? <p className="muted">Showing the first 500 connections.</p> : null}
    </>
  );
}

function Operations({ a, edges }: { a: Asset; edges: Connection[] }) {
  const mine = new Set(a.ips);
  const rows = new Map<string, { name: string; protocol: string; access: string; as: string; count: number; exceptions: number; no_response: number }>();
  for (const e of edges) {
    const as = mine.has(e.client.ip) ? 'sent' : 'received';
    for (const op of e.operations) {
      const k = `${e.protocol}|${op.name}|${as}`;
      const r = rows.get(k) ?? { name: op.name, protocol: e.protocol, access: op.access, as, count: 0, exceptions: 0, no_response: 0 };
      r.count += op.count;
      r.exceptions += op.exceptions;
      r.no_response += op.no_response;
      rows.set(k, r);
    }
  }
  if (rows.size === 0) return <Empty>No protocol operation seen.</Empty>;
  return (
    <table className="plain">
      <thead>
        <tr>
          <th>Operation</th>
          <th>Protocol</th>
          <th>Access</th>
          <th>Requests</th>
          <th className="num">Count</th>
          <th className="num">Exceptions</th>
          <th className="num">No response</th>
        </tr>
      </thead>
      <tbody>
        {[...rows.values()]
          .sort((x, y) => y.count - x.count)
          .map((r) => (
            <tr key={`${r.protocol}|${r.name}|${r.as}`}>
              <td className="mono">{r.name}</td>
              <td>{r.protocol}</td>
              <td>{r.access}</td>
              <td>{r.as}</td>
              <td className="num">{count(r.count)}</td>
              <td className="num">{count(r.exceptions)}</td>
              <td className="num">{count(r.no_response)}</td>
            </tr>
          ))}
      </tbody>
    </table>
  );
}

function Addresses({ a }: { a: Asset }) {
  return (
    <>
      <table className="plain">
        <thead>
          <tr>
            <th>Address</th>
            <th>Learned from</th>
            <th>First seen</th>
          </tr>
        </thead>
        <tbody>
          {a.addresses.map((ad) => (
            <tr key={`${ad.type}${ad.address}`}>
              <td className="mono">{ad.address}</td>
              <td>{ad.source}</td>
              <td>{time(ad.first_seen)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {a.names.length > 0 ? (
        <>
          <h3>Names</h3>
          <ul className="plain-list">
            {a.names.map((n) => (
              <li key={`${n.name}|${n.source}`}>
                {n.name} <span className="muted">({n.source})</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {a.zones.length > 0 ? <p className="muted">Zones: {a.zones.join(', ')}{a.vlans.length > 0 ? ` · VLANs ${a.vlans.join(', ')}` : ''}</p> : null}
      {a.gateway !== null || a.behind !== null ? (
        <p className="muted">
          Reached through {a.gateway ?? ''} {a.behind ?? ''}
        </p>
      ) : null}
    </>
  );
}

function Timeline({ a, alerts }: { a: Asset; alerts: Alert[] }) {
  const items: { t: number; what: string }[] = [{ t: a.first_seen, what: 'First seen' }];
  for (const ad of a.addresses) items.push({ t: ad.first_seen, what: `${ad.type.toUpperCase()} ${ad.address} (${ad.source})` });
  for (const n of a.names) items.push({ t: n.first_seen, what: `Name ${n.name} (${n.source})` });
  const seen = new Set<string>();
  for (const e of a.evidence) {
    const k = `${e.property}=${e.value}`;
    if (seen.has(k)) continue;
    seen.add(k);
    items.push({ t: e.first_seen, what: `${e.property.replace(/^identity\./, '').replace(/[._]/g, ' ')}: ${e.value} (${e.protocol})` });
  }
  for (const al of alerts) items.push({ t: al.first_seen, what: `Alert: ${al.title}` });
  items.push({ t: a.last_seen, what: 'Last seen' });
  items.sort((x, y) => x.t - y.t);
  return (
    <ol className="timeline">
      {items.slice(0, 200).map((it, i) => (
        <li key={i}>
          <span className="muted">{time(it.t)}</span> {it.what}
        </li>
      ))}
    </ol>
  );
}

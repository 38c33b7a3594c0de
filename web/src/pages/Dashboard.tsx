// The dashboard: what needs attention (open alerts, riskiest assets), what the plant speaks (protocols, traffic over
// time), and whether the sensor sees it all (health). Refreshes as the sensor writes to the store.
import { Link } from 'react-router';
import { SEVERITIES, STATUSES, type AlertedAsset, type Asset, type Counters, type Histogram } from '../api';
import { useApi, useRefresh } from '../ui/hooks';
import { Card, Empty, Severity, Show } from '../ui/states';
import { HBars, StackedBars } from '../ui/charts';
import { PageTitle } from '../ui/Layout';
import { DwellCard, QueueCard } from '../triage/DashboardCards';
import { assetName, bytes, count, duration, role, time } from '../ui/format';

export function Dashboard() {
  const v = useRefresh();
  const counters = useApi<Counters>('/api/counters', v);
  const bySeverity = useApi<Record<string, number>>('/api/alerts/counts?by=severity&open=true', v);
  const byStatus = useApi<Record<string, number>>('/api/alerts/counts?by=status', v);
  const risky = useApi<AlertedAsset[]>('/api/alerts/assets?open=true&limit=8', v);
  const hist = useApi<Histogram>('/api/events/histogram?buckets=60', v);
  const events = useApi<{ count: number }>('/api/events/count', v);
  const s = counters.data?.summary ?? null;
  const openAlerts = bySeverity.data ? Object.values(bySeverity.data).reduce((a, b) => a + b, 0) : null;

  return (
    <>
      <PageTitle title="Dashboard" />
      {counters.data !== null && s === null ? (
        <Empty>
          <p>
            <strong>Nothing seen yet.</strong> Upload a capture on the <Link to="/captures">Captures</Link> page, drop one in the watched folder, or start
            Lantern with <code>--interface</code> to watch a live network.
          </p>
        </Empty>
      ) : null}
      <div className="grid">
        <Card title="At a glance" className="wide">
          <div className="kpis">
            <Kpi n={openAlerts} label="open alerts" to="/alerts" />
            <Kpi n={s?.inventory?.assets ?? null} label="assets" to="/assets" />
            <Kpi n={s?.inventory?.connections ?? null} label="connections" to="/map" />
            <Kpi n={events.data?.count ?? null} label="stored events" to="/events" />
            <Kpi n={s?.frames ?? null} label="frames analysed" />
            <Kpi n={s?.anomaly_total ?? null} label="anomalies" />
          </div>
        </Card>

        <QueueCard refresh={v} />
        <DwellCard refresh={v} />

        <Card title="Open alerts by severity">
          <Show state={bySeverity} what="alert counts">
            {(c) =>
              Object.keys(c).length === 0 ? (
                <Empty>No open alerts.</Empty>
              ) : (
                <HBars label="Open alerts by severity" rows={SEVERITIES.map((sev) => ({ key: sev, label: <Severity level={sev} />, n: c[sev] ?? 0, className: `sev-${sev}` }))} />
              )
            }
          </Show>
        </Card>

        <Card title="Alerts by status">
          <Show state={byStatus} what="alert counts">
            {(c) =>
              Object.keys(c).length === 0 ? (
                <Empty>No alerts yet.</Empty>
              ) : (
                <HBars label="Alerts by status" rows={STATUSES.filter((st) => c[st] !== undefined).map((st) => ({ key: st, label: st.replace('_', ' '), n: c[st] }))} />
              )
            }
          </Show>
        </Card>

        <Card title="Riskiest assets">
          <Show state={risky} what="assets">
            {(rows) =>
              rows.length === 0 ? (
                <Empty>No asset has an open alert. Assets are ranked by their open alerts, weighted by severity.</Empty>
              ) : (
                <table className="plain">
                  <thead>
                    <tr>
                      <th>Asset</th>
                      <th>Worst</th>
                      <th className="num">Open alerts</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((r) => (
                      <tr key={r.asset}>
                        <td>
                          <AssetLink id={r.asset} />
                        </td>
                        <td>
                          <Severity level={r.worst} />
                        </td>
                        <td className="num">{count(r.alerts)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )
            }
          </Show>
        </Card>

        <Card title="Traffic over time" className="wide">
          <Show state={hist} what="traffic">
            {(h) => (h.bins.length === 0 ? <Empty>No protocol events stored yet.</Empty> : <StackedBars bins={h.bins} bucketSeconds={h.bucket_seconds} label="Protocol events over capture time" />)}
          </Show>
        </Card>

        <Card title="Protocols in use">
          <Show state={counters} what="protocols">
            {(c) => {
              const protocols = Object.entries(c.summary?.protocols ?? {}).sort((a, b) => (b[1].transactions ?? 0) - (a[1].transactions ?? 0));
              if (protocols.length === 0) return <Empty>No application protocol decoded yet.</Empty>;
              const span = c.summary?.first_ts != null && c.summary?.last_ts != null ? Math.max(1, c.summary.last_ts - c.summary.first_ts) : null;
              return (
                <table className="plain">
                  <thead>
                    <tr>
                      <th>Protocol</th>
                      <th className="num">Transactions</th>
                      <th className="num">Per minute</th>
                      <th className="num">No response</th>
                    </tr>
                  </thead>
                  <tbody>
                    {protocols.map(([name, p]) => {
                      const outcomes = (p.by_outcome ?? {}) as Record<string, number>;
                      return (
                        <tr key={name}>
                          <td>
                            <Link to={`/events?protocol=${encodeURIComponent(name)}`}>{name}</Link>
                          </td>
                          <td className="num">{count(p.transactions ?? 0)}</td>
                          <td className="num">{span === null ? '—' : (((p.transactions ?? 0) / span) * 60).toFixed(1)}</td>
                          <td className="num">{count(outcomes.no_response ?? 0)}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              );
            }}
          </Show>
        </Card>

        <Card title="Sensor health">
          <Show state={counters} what="sensor health">
            {(c) =>
              c.summary === null ? (
                <Empty>The sensor has not written anything yet.</Empty>
              ) : (
                <SensorHealth c={c} />
              )
            }
          </Show>
        </Card>

        <Card title="Assets by role">
          <Show state={counters} what="roles">
            {(c) => {
              const roles = Object.entries(c.summary?.inventory?.by_role ?? {}).sort((a, b) => b[1] - a[1]);
              return roles.length === 0 ? (
                <Empty>No assets yet.</Empty>
              ) : (
                <HBars label="Assets by role" rows={roles.map(([r, n]) => ({ key: r, label: <Link to={`/assets?role=${encodeURIComponent(r)}`}>{role(r)}</Link>, n }))} />
              );
            }}
          </Show>
        </Card>
      </div>
    </>
  );
}

function Kpi({ n, label, to }: { n: number | null; label: string; to?: string }) {
  const body = (
    <>
      <div className="n">{count(n)}</div>
      <div className="l">{label}</div>
    </>
  );
  return <div className="kpi">{to ? <Link to={to}>{body}</Link> : body}</div>;
}

function SensorHealth({ c }: { c: Counters }) {
  const s = c.summary!;
  const stats = (s.capture_stats ?? {}) as Record<string, number>;
  const dropped = (stats.kernel_dropped ?? 0) + (stats.interface_dropped ?? 0) + (stats.dropped ?? 0);
  const anomalies = Object.entries(s.anomalies ?? {}).sort((a, b) => b[1] - a[1]).slice(0, 5);
  return (
    <>
      <dl className="facts">
        <dt>Last update</dt>
        <dd>{c.ts === null ? '—' : new Date(c.ts * 1000).toISOString().replace('T', ' ').slice(0, 19)} UTC</dd>
        <dt>Inputs</dt>
        <dd>{count(s.inputs?.length ?? 0)}</dd>
        <dt>Frames</dt>
        <dd>
          {count(s.frames)} ({bytes(s.bytes)})
        </dd>
        <dt>Dropped by capture</dt>
        <dd>{count(dropped)}</dd>
        <dt>Capture time</dt>
        <dd>
          {time(s.first_ts)} → {time(s.last_ts)}
          {s.first_ts != null && s.last_ts != null ? ` (${duration(s.last_ts - s.first_ts)})` : ''}
        </dd>
        <dt>Anomalies</dt>
        <dd>{count(s.anomaly_total)}</dd>
      </dl>
      {anomalies.length > 0 ? (
        <>
          <h3>Most frequent anomalies</h3>
          <table className="plain">
            <tbody>
              {anomalies.map(([code, n]) => (
                <tr key={code}>
                  <td className="mono">{code}</td>
                  <td className="num">{count(n)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </>
  );
}

/** An asset's name, linking to its page. */
export function AssetLink({ id }: { id: string }) {
  const a = useApi<Asset>(`/api/assets/${encodeURIComponent(id)}`);
  return <Link to={`/assets/${encodeURIComponent(id)}`}>{a.data ? `${assetName(a.data)} · ${role(a.data.role)}` : id}</Link>;
}

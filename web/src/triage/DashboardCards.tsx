// The dashboard's triage cards: what is to be worked now (queue counts, linking to the triage queue) and the dwell
// time of the last four weeks per severity (median and 90th percentile to acknowledge and to resolve, still open).
import { Link } from 'react-router';
import { QUEUE_NAMES, SEVERITIES, type DwellReport, type Durations, type QueueCounts } from '../api';
import { useApi } from '../ui/hooks';
import { Card, Empty, Severity, Show } from '../ui/states';
import { count } from '../ui/format';
import { QUEUE_LABEL, humanDuration } from './format';
import './triage.css';

export function QueueCard({ refresh }: { refresh: number }) {
  const counts = useApi<QueueCounts>('/api/triage/queues', refresh);
  return (
    <Card title="To work now">
      <Show state={counts} what="the queues">
        {(c) => (
          <>
            <div className="queue-card-rows">
              {QUEUE_NAMES.map((q) => {
                const ni = c.incidents[q] ?? 0;
                const na = c.alerts[q] ?? 0;
                return (
                  <Link key={q} to={`/triage?queue=${q}`}>
                    <div className="q">{QUEUE_LABEL[q]}</div>
                    <div className="n">{count(ni)}</div>
                    <div className="l">
                      incident{ni === 1 ? '' : 's'} · {count(na)} alert{na === 1 ? '' : 's'}
                    </div>
                  </Link>
                );
              })}
            </div>
            <p className="muted small-note">
              {c.suppressed > 0 ? `${count(c.suppressed)} suppressed alert${c.suppressed === 1 ? '' : 's'} hidden. ` : ''}
              <Link to="/triage">Open the triage queue</Link>
            </p>
          </>
        )}
      </Show>
    </Card>
  );
}

/** Median / 90th percentile, and how many still wait for this step. */
function Pair({ d }: { d: Durations }) {
  return (
    <>
      {d.n === 0 ? <span className="muted">—</span> : `${humanDuration(d.p50)} / ${humanDuration(d.p90)}`}
      {d.open > 0 ? <div className="muted">{count(d.open)} waiting</div> : null}
    </>
  );
}

export function DwellCard({ refresh }: { refresh: number }) {
  const dwell = useApi<DwellReport>('/api/triage/dwell', refresh);
  return (
    <Card title="Dwell time">
      <Show state={dwell} what="dwell time">
        {(r) => {
          const rows = SEVERITIES.filter((s) => r.by_severity[s] !== undefined);
          if (rows.length === 0) return <Empty>No alert raised in the last four weeks.</Empty>;
          return (
            <>
              <table className="plain dwell-table">
                <caption className="visually-hidden">Dwell time of alerts raised in the last four weeks, median / 90th percentile</caption>
                <thead>
                  <tr>
                    <th scope="col">Severity</th>
                    <th scope="col">To acknowledge</th>
                    <th scope="col">To resolve</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((s) => {
                    const d = r.by_severity[s]!;
                    return (
                      <tr key={s}>
                        <th scope="row">
                          <Severity level={s} />
                        </th>
                        <td>
                          <Pair d={d.to_acknowledge} />
                        </td>
                        <td>
                          <Pair d={d.to_resolve} />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              <p className="muted small-note">
                Median / 90th percentile from an alert being raised, over the {count(r.all.alerts)} alerts of the last four weeks. First evidence to alert (for an uploaded capture, its age): median{' '}
                {humanDuration(r.all.to_alert.p50)}.
              </p>
            </>
          );
        }}
      </Show>
    </Card>
  );
}

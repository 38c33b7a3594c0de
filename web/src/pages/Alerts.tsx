// Alerts: the list (filters by status and severity, newest first, server-paged) and one alert with its workflow:
// status, assignee, severity, comments. Every change is audited by the server.
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { api, can, withQuery, SEVERITIES, STATUSES, type Alert, type AlertFacts, type DetectionEntry } from '../api';
import { useApi, usePaged, useSession } from '../ui/hooks';
import { DataTable, type Column } from '../ui/DataTable';
import { Card, Empty, ErrorBox, Severity, Show } from '../ui/states';
import { PageTitle } from '../ui/Layout';
import { count, time } from '../ui/format';
import { AssetLink } from './Dashboard';
import { AlertPlaybook, AlertTriageCard } from '../triage/AlertTriage';

const COLUMNS: Column<Alert>[] = [
  { header: 'Severity', width: '6.5rem', render: (a) => <Severity level={a.severity} /> },
  { header: 'Title', width: 'minmax(14rem, 3fr)', render: (a) => a.title },
  { header: 'Techniques', width: 'minmax(7rem, 1fr)', render: (a) => ((a.details as AlertFacts).techniques ?? []).join(', ') || '—' },
  { header: 'Detection', width: 'minmax(8rem, 1fr)', render: (a) => <span className="mono">{a.detection}</span> },
  { header: 'Status', width: '8rem', render: (a) => a.status.replace('_', ' ') },
  { header: 'Assignee', width: '7rem', render: (a) => a.assignee ?? '—' },
  { header: 'Count', width: '5rem', numeric: true, render: (a) => count(a.count) },
  { header: 'Last seen', width: '10.5rem', render: (a) => time(a.last_seen) },
];

export function Alerts() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  // `status=open` (the default) lists what is still to be worked; `status=any` everything.
  const status = params.get('status') ?? 'open';
  const severity = params.get('severity') ?? '';
  const set = (k: string, v: string) => {
    const p = new URLSearchParams(params);
    if (v === '') p.delete(k);
    else p.set(k, v);
    setParams(p, { replace: true });
  };
  const filter = status === 'open' ? { open: true } : status === 'any' ? {} : { status };
  const list = usePaged<Alert>(withQuery('/api/alerts', { ...filter, severity }), 200);
  return (
    <>
      <PageTitle title="Alerts" />
      <form className="filters" aria-label="Filter alerts" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status
          <select value={status} onChange={(e) => set('status', e.target.value)}>
            <option value="open">Open (new, acknowledged, investigating)</option>
            <option value="any">Any status</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.replace('_', ' ')}
              </option>
            ))}
          </select>
        </label>
        <label>
          Severity
          <select value={severity} onChange={(e) => set('severity', e.target.value)}>
            <option value="">Any severity</option>
            {SEVERITIES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
      </form>
      {list.error !== null ? (
        <ErrorBox error={list.error} retry={list.reload} />
      ) : !list.loading && list.items.length === 0 ? (
        <Empty>No alert matches. Detections raise alerts as traffic arrives; an empty queue is good news.</Empty>
      ) : (
        <DataTable
          label="Alerts"
          rows={list.items}
          columns={COLUMNS}
          rowKey={(a) => a.id}
          more={list.more || (list.loading && list.items.length === 0)}
          loadMore={list.loadMore}
          onActivate={(a) => navigate(`/alerts/${encodeURIComponent(a.id)}`)}
        />
      )}
    </>
  );
}

export function AlertPage() {
  const id = useParams().id ?? '';
  const alert = useApi<Alert>(`/api/alerts/${encodeURIComponent(id)}`);
  return (
    <Show state={alert} what="the alert">
      {(a) => <AlertView a={a} reload={alert.reload} />}
    </Show>
  );
}

function AlertView({ a, reload }: { a: Alert; reload: () => void }) {
  const { user } = useSession();
  const catalog = useApi<{ items: DetectionEntry[] }>('/api/detections');
  const detection = catalog.data?.items.find((d) => d.id === a.detection) ?? null;
  const f = a.details as AlertFacts;
  const analyst = can(user, 'analyst');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const change = (patch: Partial<Pick<Alert, 'status' | 'assignee' | 'severity'>>, what: string) => {
    setBusy(true);
    api(`/api/alerts/${encodeURIComponent(a.id)}`, { method: 'PATCH', body: patch }).then(
      () => {
        setBusy(false);
        setMessage({ ok: true, text: what });
        reload();
      },
      (err: Error) => {
        setBusy(false);
        setMessage({ ok: false, text: err.message });
      },
    );
  };
  const addComment = (e: FormEvent) => {
    e.preventDefault();
    if (comment.trim() === '') return;
    setBusy(true);
    api(`/api/alerts/${encodeURIComponent(a.id)}/comments`, { method: 'POST', body: { text: comment.trim() } }).then(
      () => {
        setBusy(false);
        setComment('');
        setMessage({ ok: true, text: 'Comment added' });
        reload();
      },
      (err: Error) => {
        setBusy(false);
        setMessage({ ok: false, text: err.message });
      },
    );
  };
  return (
    <>
      <PageTitle title={a.title}>
        <Link className="button" to="/alerts">
          All alerts
        </Link>
      </PageTitle>
      <p className="lede">
        <Severity level={a.severity} /> <span className="mono">{a.detection}</span> · {a.status.replace('_', ' ')} · seen {count(a.count)} times, {time(a.first_seen)} →{' '}
        {time(a.last_seen)} UTC
      </p>
      <div role="status" aria-live="polite" className={message ? (message.ok ? 'notice ok' : 'state error') : undefined}>
        {message?.text}
      </div>
      <div className="two-col">
        <div className="col">
          <Card title="Assets">
            {a.assets.length === 0 ? (
              <Empty>No asset recorded.</Empty>
            ) : (
              <ul className="plain-list">
                {a.assets.map((id) => (
                  <li key={id}>
                    <AssetLink id={id} />
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <Card title="Evidence">
            {(f.evidence ?? []).length === 0 ? (
              <Empty>No evidence recorded.</Empty>
            ) : (
              <>
                <table className="plain">
                  <thead>
                    <tr>
                      <th>Time (UTC)</th>
                      <th>Protocol</th>
                      <th>What</th>
                      <th>Target</th>
                      <th className="num">Flow</th>
                    </tr>
                  </thead>
                  <tbody>
                    {(f.evidence ?? []).map((e, i) => (
                      <tr key={i}>
                        <td>{time(e.ts)}</td>
                        <td>{e.protocol ?? '—'}</td>
                        <td className="mono">
                          {e.what}
                          {e.outcome !== undefined && e.outcome !== 'ok' ? ` (${e.outcome.replace('_', ' ')})` : ''}
                        </td>
                        <td className="mono">{e.target ? Object.entries(e.target).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(' ') : (e.note ?? '')}</td>
                        <td className="num">{e.flow ?? '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {(f.evidence_dropped ?? 0) > 0 ? <p className="muted">{count(f.evidence_dropped ?? 0)} more occurrences not kept (the first and latest are shown).</p> : null}
              </>
            )}
            {f.facts && Object.keys(f.facts).length > 0 ? (
              <>
                <h3>Facts</h3>
                <pre className="json" tabIndex={0} aria-label="The alert's facts">
                  {JSON.stringify(f.facts, null, 2)}
                </pre>
              </>
            ) : null}
          </Card>
          <Card title="Comments">
            {(a.comments ?? []).length === 0 ? (
              <Empty>No comments yet.</Empty>
            ) : (
              <ul className="plain-list">
                {(a.comments ?? []).map((c) => (
                  <li key={c.id}>
                    <strong>{c.user}</strong> <span className="muted">{new Date(c.ts * 1000).toISOString().replace('T', ' ').slice(0, 16)}</span>
                    <p>{c.text}</p>
                  </li>
                ))}
              </ul>
            )}
            {analyst ? (
              <form onSubmit={addComment} className="stack">
                <label>
                  New comment
                  <textarea rows={3} value={comment} onChange={(e) => setComment(e.target.value)} maxLength={4000} />
                </label>
                <button type="submit" disabled={busy || comment.trim() === ''}>
                  Add comment
                </button>
              </form>
            ) : null}
          </Card>
        </div>
        <div className="col">
          <AlertTriageCard a={a} detection={detection} reload={reload} />
          <Card title="What it means">
            <dl className="facts">
              <dt>Kind</dt>
              <dd>{f.kind ?? '—'}</dd>
              <dt>Confidence</dt>
              <dd>{f.confidence !== undefined ? `${Math.round(f.confidence * 100)} %` : '—'}</dd>
              <dt>Source</dt>
              <dd>{f.src ? (f.src.asset ? <AssetLink id={f.src.asset} /> : <span className="mono">{f.src.ip}</span>) : '—'}</dd>
              <dt>Target</dt>
              <dd>{f.dst ? (f.dst.asset ? <AssetLink id={f.dst.asset} /> : <span className="mono">{f.dst.ip}</span>) : '—'}</dd>
            </dl>
            <h3>ATT&amp;CK for ICS</h3>
            {(detection?.techniques ?? (f.techniques ?? []).map((id) => ({ id, name: id, tactics: [] as string[], url: null }))).length === 0 ? (
              <p className="muted">No technique mapped.</p>
            ) : (
              <ul className="plain-list">
                {(detection?.techniques ?? (f.techniques ?? []).map((id) => ({ id, name: id, tactics: [] as string[], url: null }))).map((t) => (
                  <li key={t.id}>
                    {t.url ? (
                      <a href={t.url} target="_blank" rel="noreferrer">
                        {t.id} {t.name}
                      </a>
                    ) : (
                      `${t.id} ${t.name}`
                    )}
                    {t.tactics.length > 0 ? <span className="muted"> · {t.tactics.join(', ')}</span> : null}
                  </li>
                ))}
              </ul>
            )}
            {catalog.data ? (
              <details>
                <summary>About ATT&amp;CK for ICS (v{String((catalog.data as { attack?: { version?: string } }).attack?.version ?? '')})</summary>
                <p className="muted small">{String((catalog.data as { attack?: { notice?: string } }).attack?.notice ?? '')}</p>
              </details>
            ) : null}
          </Card>
          {detection ? <AlertPlaybook a={a} detection={detection} reload={reload} /> : null}
          <Card title="Workflow">
            {analyst ? (
              <div className="stack">
                <label>
                  Status
                  <select value={a.status} disabled={busy} onChange={(e) => change({ status: e.target.value as Alert['status'] }, `Status: ${e.target.value.replace('_', ' ')}`)}>
                    {STATUSES.map((s) => (
                      <option key={s} value={s}>
                        {s.replace('_', ' ')}
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  Severity
                  <select value={a.severity} disabled={busy} onChange={(e) => change({ severity: e.target.value as Alert['severity'] }, `Severity: ${e.target.value}`)}>
                    {SEVERITIES.map((s) => (
                      <option key={s}>{s}</option>
                    ))}
                  </select>
                </label>
                {f.kind === 'modeling' ? <p className="muted">Marking it learned adds what it reported to the baseline: the same deviation stops alerting.</p> : null}
                <p>
                  Assignee: <strong>{a.assignee ?? 'nobody'}</strong>
                </p>
                {a.assignee !== user.name ? (
                  <button type="button" disabled={busy} onClick={() => change({ assignee: user.name }, 'Assigned to you')}>
                    Assign to me
                  </button>
                ) : (
                  <button type="button" disabled={busy} onClick={() => change({ assignee: null }, 'Unassigned')}>
                    Unassign
                  </button>
                )}
              </div>
            ) : (
              <p className="muted">Viewers read alerts; analysts work them.</p>
            )}
          </Card>
        </div>
      </div>
    </>
  );
}

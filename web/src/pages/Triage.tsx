// The triage queue: Now / Next / Later (by risk score) with their counts; the open incidents of the queue first,
// highest score first, then its open alerts not in an incident shown; rows selected with checkboxes are acknowledged,
// assigned or marked false positive together (an incident carries the change to its open alerts).
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, can, QUEUE_NAMES, type AlertFacts, type Incident, type Queue, type QueueCounts, type TriagedAlert } from '../api';
import { useApi, usePaged, useRefresh, useSession } from '../ui/hooks';
import { Empty, ErrorBox, Loading, Severity } from '../ui/states';
import { PageTitle } from '../ui/Layout';
import { count, time } from '../ui/format';
import { errorText } from '../settings/common';
import { ScoreBadge, TacticChips } from '../triage/ScoreFactors';
import { QUEUE_HINT, QUEUE_LABEL, statusLabel } from '../triage/format';
import '../triage/triage.css';

/** Alerts one bulk request may change (the API's MAX_BULK). */
const BULK_CHUNK = 1000;
const HOSTS_SHOWN = 6;

type Patch = { status?: TriagedAlert['status']; assignee?: string | null };

export function Triage() {
  const { user } = useSession();
  const analyst = can(user, 'analyst');
  const [params, setParams] = useSearchParams();
  const q = (QUEUE_NAMES as readonly string[]).includes(params.get('queue') ?? '') ? (params.get('queue') as Queue) : 'now';
  const v = useRefresh();
  const [tick, setTick] = useState(0);
  const counts = useApi<QueueCounts>('/api/triage/queues', v + tick);
  const incidents = usePaged<Incident>(`/api/incidents?open=true&queue=${q}`, 100);
  // Alerts no open incident of this queue holds: the incidents above hold the others, loaded or not yet.
  const alerts = usePaged<TriagedAlert>(`/api/alerts?open=true&suppressed=false&sort=score&queue=${q}&outside_queue=${q}`, 200);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const tabs = useRef<Record<string, HTMLButtonElement | null>>({});

  const reloadIncidents = incidents.reload;
  const reloadAlerts = alerts.reload;
  useEffect(() => {
    if (v === 0) return;
    reloadIncidents();
    reloadAlerts();
  }, [v, reloadIncidents, reloadAlerts]);
  useEffect(() => setSelected(new Set()), [q]);

  const choose = (next: Queue, focus = false) => {
    const p = new URLSearchParams(params);
    p.set('queue', next);
    setParams(p, { replace: true });
    setMessage(null);
    if (focus) tabs.current[next]?.focus();
  };
  const onTabKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = QUEUE_NAMES.indexOf(q);
    const to: Record<string, number> = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: QUEUE_NAMES.length - 1 };
    if (to[e.key] === undefined) return;
    e.preventDefault();
    choose(QUEUE_NAMES[(to[e.key] + QUEUE_NAMES.length) % QUEUE_NAMES.length], true);
  };

  const rest = alerts.items;
  const inShown = counts.data === null ? 0 : (counts.data.alerts[q] ?? 0) - (counts.data.outside[q] ?? 0);

  const toggle = (key: string, on: boolean) =>
    setSelected((s) => {
      const n = new Set(s);
      if (on) n.add(key);
      else n.delete(key);
      return n;
    });
  const toggleAll = (keys: string[], on: boolean) =>
    setSelected((s) => {
      const n = new Set(s);
      for (const k of keys) {
        if (on) n.add(k);
        else n.delete(k);
      }
      return n;
    });

  const apply = async (patch: Patch, what: string) => {
    const incidentIds = [...selected].filter((k) => k.startsWith('i:')).map((k) => k.slice(2));
    const alertIds = [...selected].filter((k) => k.startsWith('a:')).map((k) => k.slice(2));
    setBusy(true);
    setMessage(null);
    try {
      for (const id of incidentIds) await api(`/api/incidents/${encodeURIComponent(id)}`, { method: 'PATCH', body: { ...patch, alerts: true } });
      let changed = 0;
      for (let i = 0; i < alertIds.length; i += BULK_CHUNK) {
        const r = await api<{ changed: number; unknown: string[] }>('/api/alerts/bulk', { method: 'POST', body: { ids: alertIds.slice(i, i + BULK_CHUNK), ...patch } });
        changed += r.changed;
      }
      const parts = [incidentIds.length > 0 ? `${count(incidentIds.length)} incident${incidentIds.length === 1 ? '' : 's'} (with their open alerts)` : null, alertIds.length > 0 ? `${count(changed)} alert${changed === 1 ? '' : 's'}` : null].filter((x) => x !== null);
      setMessage({ ok: true, text: `${what}: ${parts.join(' and ')}.` });
      setSelected(new Set());
    } catch (err) {
      setMessage({ ok: false, text: `${what} failed: ${errorText(err)}` });
    } finally {
      setBusy(false);
      incidents.reload();
      alerts.reload();
      setTick((t) => t + 1);
    }
  };

  const c = counts.data;
  const incidentKeys = incidents.items.map((i) => `i:${i.id}`);
  const alertKeys = rest.map((a) => `a:${a.id}`);
  const allSelected = (keys: string[]) => keys.length > 0 && keys.every((k) => selected.has(k));

  return (
    <>
      <PageTitle title="Triage">
        <Link className="button" to="/alerts">
          All alerts
        </Link>
      </PageTitle>
      <div className="queue-tabs" role="tablist" aria-label="Queues, by risk score" onKeyDown={onTabKey}>
        {QUEUE_NAMES.map((name) => {
          const ni = c?.incidents[name] ?? 0;
          const na = c?.alerts[name] ?? 0;
          return (
            <button
              key={name}
              ref={(el) => {
                tabs.current[name] = el;
              }}
              type="button"
              role="tab"
              id={`tab-${name}`}
              aria-selected={name === q}
              aria-controls="queue-panel"
              tabIndex={name === q ? 0 : -1}
              onClick={() => choose(name)}
            >
              <span className="tab-name">{QUEUE_LABEL[name]}</span>
              <span className="tab-count">{c === null ? '…' : `${count(ni)} incident${ni === 1 ? '' : 's'} · ${count(na)} alert${na === 1 ? '' : 's'}`}</span>
            </button>
          );
        })}
        {c !== null && c.suppressed > 0 ? (
          <span className="suppressed-note muted">
            {count(c.suppressed)} suppressed alert{c.suppressed === 1 ? '' : 's'} hidden (<Link to="/settings#settings-suppressions">suppressions</Link>)
          </span>
        ) : null}
      </div>
      {counts.error !== null ? <ErrorBox error={counts.error} retry={counts.reload} /> : null}

      <div id="queue-panel" role="tabpanel" aria-labelledby={`tab-${q}`}>
        <p className="muted">
          {QUEUE_LABEL[q]} queue: {QUEUE_HINT[q]}.
        </p>
        {analyst ? (
          <div className="bulk-bar" role="group" aria-label="Change the selected">
            <span className="selected-count" aria-live="polite">
              {selected.size === 0 ? 'Nothing selected' : `${count(selected.size)} selected`}
            </span>
            <button type="button" disabled={busy || selected.size === 0} onClick={() => void apply({ status: 'acknowledged' }, 'Acknowledged')}>
              Acknowledge
            </button>
            <button type="button" disabled={busy || selected.size === 0} onClick={() => void apply({ assignee: user.name }, 'Assigned to you')}>
              Assign to me
            </button>
            <button type="button" disabled={busy || selected.size === 0} onClick={() => void apply({ status: 'false_positive' }, 'Marked false positive')}>
              Mark false positive
            </button>
            <button type="button" disabled={busy || selected.size === 0} onClick={() => setSelected(new Set())}>
              Clear selection
            </button>
          </div>
        ) : null}
        <div role="status" aria-live="polite" className={message === null ? 'live-empty' : message.ok ? 'notice ok' : 'state error'}>
          {message?.text}
        </div>

        <section className="queue-section" aria-labelledby="queue-incidents">
          <h2 id="queue-incidents">
            Incidents <span className="muted">{incidents.loading && incidents.items.length === 0 ? '' : `${count(incidents.items.length)}${incidents.more ? '+' : ''}`}</span>
          </h2>
          {incidents.error !== null ? (
            <ErrorBox error={incidents.error} retry={incidents.reload} />
          ) : incidents.loading && incidents.items.length === 0 ? (
            <Loading what="incidents" />
          ) : incidents.items.length === 0 ? (
            <Empty>No open incident in this queue.</Empty>
          ) : (
            <div className="queue-table-wrap">
              <table className="plain queue-table">
                <caption className="visually-hidden">Open incidents in the {QUEUE_LABEL[q]} queue, highest score first</caption>
                <thead>
                  <tr>
                    {analyst ? (
                      <th scope="col" className="select">
                        <input type="checkbox" aria-label="Select all incidents shown" checked={allSelected(incidentKeys)} onChange={(e) => toggleAll(incidentKeys, e.target.checked)} />
                      </th>
                    ) : null}
                    <th scope="col">Score</th>
                    <th scope="col">Incident</th>
                    <th scope="col">Severity</th>
                    <th scope="col" className="num">
                      Alerts
                    </th>
                    <th scope="col">Hosts</th>
                    <th scope="col">Tactics</th>
                    <th scope="col">Seen (UTC)</th>
                    <th scope="col">Status</th>
                    <th scope="col">Assignee</th>
                  </tr>
                </thead>
                <tbody>
                  {incidents.items.map((i) => {
                    const key = `i:${i.id}`;
                    return (
                      <tr key={i.id} className={selected.has(key) ? 'is-selected' : undefined}>
                        {analyst ? (
                          <td className="select">
                            <input type="checkbox" aria-label={`Select incident: ${i.title}`} checked={selected.has(key)} onChange={(e) => toggle(key, e.target.checked)} />
                          </td>
                        ) : null}
                        <td>
                          <ScoreBadge score={i.score} queue={i.queue} />
                        </td>
                        <td className="title-cell">
                          <Link to={`/incidents/${encodeURIComponent(i.id)}`}>{i.title}</Link>
                        </td>
                        <td>
                          <Severity level={i.severity} />
                        </td>
                        <td className="num">{count(i.alerts)}</td>
                        <td className="hosts">
                          {i.hosts.slice(0, HOSTS_SHOWN).join(', ')}
                          {i.hosts.length > HOSTS_SHOWN ? <span className="muted"> +{i.hosts.length - HOSTS_SHOWN} more</span> : null}
                        </td>
                        <td>
                          <TacticChips tactics={i.tactics} label={`Tactics of ${i.title}, in kill-chain order`} />
                        </td>
                        <td className="nowrap">
                          {time(i.first_seen)}
                          <br />
                          <span className="muted">→ {time(i.last_seen)}</span>
                        </td>
                        <td className="nowrap">{statusLabel(i.status)}</td>
                        <td>{i.assignee ?? <span className="muted">nobody</span>}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
          {incidents.more ? (
            <button type="button" onClick={incidents.loadMore} disabled={incidents.loading}>
              More incidents
            </button>
          ) : null}
        </section>

        <section className="queue-section" aria-labelledby="queue-alerts">
          <h2 id="queue-alerts">
            Alerts not in these incidents <span className="muted">{alerts.loading && alerts.items.length === 0 ? '' : count(counts.data?.outside[q] ?? rest.length)}</span>
          </h2>
          {inShown > 0 ? (
            <p className="muted">
              {count(inShown)} open alert{inShown === 1 ? ' of this queue is' : 's of this queue are'} in the incidents above.
            </p>
          ) : null}
          {alerts.error !== null ? (
            <ErrorBox error={alerts.error} retry={alerts.reload} />
          ) : alerts.loading && alerts.items.length === 0 ? (
            <Loading what="alerts" />
          ) : rest.length === 0 ? (
            <Empty>{inShown === 0 ? 'No open alert in this queue.' : 'Every open alert of this queue is in an incident above.'}</Empty>
          ) : (
            <div className="queue-table-wrap">
              <table className="plain queue-table">
                <caption className="visually-hidden">Open alerts in the {QUEUE_LABEL[q]} queue not in an incident listed above, highest score first</caption>
                <thead>
                  <tr>
                    {analyst ? (
                      <th scope="col" className="select">
                        <input type="checkbox" aria-label="Select all alerts shown" checked={allSelected(alertKeys)} onChange={(e) => toggleAll(alertKeys, e.target.checked)} />
                      </th>
                    ) : null}
                    <th scope="col">Score</th>
                    <th scope="col">Alert</th>
                    <th scope="col">Severity</th>
                    <th scope="col">Hosts</th>
                    <th scope="col">Incident</th>
                    <th scope="col">Status</th>
                    <th scope="col">Assignee</th>
                    <th scope="col">Last seen (UTC)</th>
                  </tr>
                </thead>
                <tbody>
                  {rest.map((a) => {
                    const key = `a:${a.id}`;
                    const f = a.details as AlertFacts;
                    return (
                      <tr key={a.id} className={selected.has(key) ? 'is-selected' : undefined}>
                        {analyst ? (
                          <td className="select">
                            <input type="checkbox" aria-label={`Select alert: ${a.title}`} checked={selected.has(key)} onChange={(e) => toggle(key, e.target.checked)} />
                          </td>
                        ) : null}
                        <td>
                          <ScoreBadge score={a.score} queue={a.queue} />
                        </td>
                        <td className="title-cell">
                          <Link to={`/alerts/${encodeURIComponent(a.id)}`}>{a.title}</Link>
                        </td>
                        <td>
                          <Severity level={a.severity} />
                        </td>
                        <td className="hosts">{[f.src?.ip, f.dst?.ip].filter((x) => x != null).join(' → ') || '—'}</td>
                        <td>
                          {a.incident ? (
                            <Link to={`/incidents/${encodeURIComponent(a.incident)}`}>
                              incident<span className="visually-hidden"> of {a.title}</span>
                            </Link>
                          ) : (
                            <span className="muted">none</span>
                          )}
                        </td>
                        <td className="nowrap">{statusLabel(a.status)}</td>
                        <td>{a.assignee ?? <span className="muted">nobody</span>}</td>
                        <td className="nowrap">{time(a.last_seen)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
          {alerts.more ? (
            <button type="button" onClick={alerts.loadMore} disabled={alerts.loading}>
              More alerts
            </button>
          ) : null}
        </section>
      </div>
    </>
  );
}

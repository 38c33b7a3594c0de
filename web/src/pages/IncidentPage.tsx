// One incident: what happened (the generated summary), why it scores as it does, its tactics in kill-chain order, its
// hosts, the timeline of its alerts, the playbooks of the detections involved as one checklist, its workflow (status,
// assignee, resolving it with its alerts), comments, and the evidence pcap of its window.
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api, can, STATUSES, type DetectionEntry, type IncidentDetail, type PlaybookChecks } from '../api';
import { useApi, useSession } from '../ui/hooks';
import { Card, Empty, Severity, Show } from '../ui/states';
import { PageTitle } from '../ui/Layout';
import { count, time } from '../ui/format';
import { errorText } from '../settings/common';
import { QueueBadge, ScoreBadge, ScoreFactors, TacticChips } from '../triage/ScoreFactors';
import { PlaybookChecklist, type PlaybookGroup } from '../triage/Playbook';
import { HostLink, IncidentEvidence } from '../triage/Evidence';
import { QUEUE_LABEL, humanDuration, statusLabel, wallTime } from '../triage/format';
import '../triage/triage.css';

export function IncidentPage() {
  const id = useParams().id ?? '';
  const incident = useApi<IncidentDetail>(`/api/incidents/${encodeURIComponent(id)}`);
  return (
    <Show state={incident} what="the incident">
      {(i) => <IncidentView i={i} reload={incident.reload} />}
    </Show>
  );
}

/**
 * The incident's checklist is the union of the playbooks of its detections, each detection once, in the order its
 * first alert appears in the timeline (oldest first); the `playbook` indexes saved on the incident count through that
 * list (check steps and respond steps separately). The order only grows at its end while an incident grows with new
 * traffic, so ticked steps keep pointing at the same text; an alert of a new detection older than the others (a late
 * upload of an old capture) would shift the later groups.
 */
function playbookGroups(i: IncidentDetail, catalog: readonly DetectionEntry[]): PlaybookGroup[] {
  const seen = new Set<string>();
  const groups: PlaybookGroup[] = [];
  for (const a of i.timeline) {
    if (seen.has(a.detection)) continue;
    seen.add(a.detection);
    const d = catalog.find((x) => x.id === a.detection);
    if (d !== undefined) groups.push({ key: d.id, title: d.title, meaning: d.playbook.meaning, check: d.playbook.check, respond: d.playbook.respond });
  }
  return groups;
}

function IncidentView({ i, reload }: { i: IncidentDetail; reload: () => void }) {
  const { user } = useSession();
  const analyst = can(user, 'analyst');
  const catalog = useApi<{ items: DetectionEntry[] }>('/api/detections');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [comment, setComment] = useState('');
  const path = `/api/incidents/${encodeURIComponent(i.id)}`;

  const change = (body: Record<string, unknown>, what: string) => {
    setBusy(true);
    api(path, { method: 'PATCH', body }).then(
      () => {
        setBusy(false);
        setMessage({ ok: true, text: what });
        reload();
      },
      (err: unknown) => {
        setBusy(false);
        setMessage({ ok: false, text: `Could not change the incident: ${errorText(err)}` });
      },
    );
  };
  const addComment = (e: FormEvent) => {
    e.preventDefault();
    if (comment.trim() === '') return;
    setBusy(true);
    api(`${path}/comments`, { method: 'POST', body: { text: comment.trim() } }).then(
      () => {
        setBusy(false);
        setComment('');
        setMessage({ ok: true, text: 'Comment added' });
        reload();
      },
      (err: unknown) => {
        setBusy(false);
        setMessage({ ok: false, text: `Could not add the comment: ${errorText(err)}` });
      },
    );
  };
  const savePlaybook = (playbook: PlaybookChecks) => api(path, { method: 'PATCH', body: { playbook } });
  const openAlerts = i.timeline.filter((a) => a.status === 'new' || a.status === 'acknowledged' || a.status === 'investigating').length;
  // The playbook of the highest-scored alert's detection starts unfolded.
  const topDetection = i.timeline.reduce<IncidentDetail['timeline'][number] | null>((w, a) => (w === null || (a.score ?? 0) > (w.score ?? 0) ? a : w), null)?.detection;
  const closed = i.status === 'resolved' || i.status === 'false_positive' || i.status === 'learned';

  return (
    <>
      <PageTitle title={i.title}>
        <Link className="button" to={`/triage?queue=${i.queue}`}>
          Triage queue
        </Link>
      </PageTitle>
      <p className="lede score-line">
        <ScoreBadge score={i.score} queue={i.queue} /> <QueueBadge queue={i.queue} /> <Severity level={i.severity} /> <span>{statusLabel(i.status)}</span>
        <span className="muted">
          · {count(i.alerts)} alert{i.alerts === 1 ? '' : 's'} · {time(i.first_seen)} → {time(i.last_seen)} UTC · assigned to {i.assignee ?? 'nobody'}
        </span>
      </p>
      <div role="status" aria-live="polite" className={message === null ? 'live-empty' : message.ok ? 'notice ok' : 'state error'}>
        {message?.text}
      </div>
      <div className="two-col">
        <div className="col">
          <Card title="Summary">
            <p className="incident-summary">{i.summary}</p>
          </Card>
          <Card title="Timeline">
            {i.timeline.length === 0 ? (
              <Empty>No alert in this incident any more.</Empty>
            ) : (
              <>
                <table className="plain">
                  <caption className="visually-hidden">The incident&apos;s alerts, oldest first</caption>
                  <thead>
                    <tr>
                      <th scope="col">First seen (UTC)</th>
                      <th scope="col">Alert</th>
                      <th scope="col">Severity</th>
                      <th scope="col">Score</th>
                      <th scope="col">Queue</th>
                      <th scope="col">Status</th>
                    </tr>
                  </thead>
                  <tbody>
                    {i.timeline.map((a) => (
                      <tr key={a.id}>
                        <td className="nowrap">{time(a.first_seen)}</td>
                        <td>
                          <Link to={`/alerts/${encodeURIComponent(a.id)}`}>{a.title}</Link>
                        </td>
                        <td>
                          <Severity level={a.severity} />
                        </td>
                        <td>
                          <ScoreBadge score={a.score} queue={a.queue} />
                        </td>
                        <td>{a.queue !== undefined ? QUEUE_LABEL[a.queue] : '—'}</td>
                        <td className="nowrap">
                          {statusLabel(a.status)}
                          {a.suppressed_by != null ? <span className="muted"> (suppressed)</span> : null}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {i.timeline.length < i.alerts ? <p className="muted small-note">The newest {count(i.timeline.length)} of its {count(i.alerts)} alerts are listed.</p> : null}
              </>
            )}
          </Card>
          <Card title="Playbook">
            <Show state={catalog} what="the playbooks">
              {(c) => {
                const groups = playbookGroups(i, c.items);
                return groups.length === 0 ? (
                  <Empty>No playbook for these detections.</Empty>
                ) : (
                  <PlaybookChecklist groups={groups} value={i.playbook} save={savePlaybook} canEdit={analyst} idPrefix="incident-playbook" openKey={topDetection} />
                );
              }}
            </Show>
          </Card>
          <Card title="Comments">
            {i.comments.length === 0 ? (
              <Empty>No comments yet.</Empty>
            ) : (
              <ul className="plain-list">
                {i.comments.map((c) => (
                  <li key={c.id}>
                    <strong>{c.user}</strong> <span className="muted">{wallTime(c.ts)} UTC</span>
                    <p>{c.text}</p>
                  </li>
                ))}
              </ul>
            )}
            {analyst ? (
              <form onSubmit={addComment} className="stack">
                <label>
                  New comment
                  <textarea rows={3} value={comment} onChange={(e) => setComment(e.target.value)} maxLength={10_000} />
                </label>
                <button type="submit" disabled={busy || comment.trim() === ''}>
                  Add comment
                </button>
              </form>
            ) : null}
          </Card>
        </div>
        <div className="col">
          <Card title="Workflow">
            {analyst ? (
              <div className="stack">
                <label>
                  Status
                  <select value={i.status} disabled={busy} onChange={(e) => change({ status: e.target.value }, `Status: ${statusLabel(e.target.value)}`)}>
                    {STATUSES.map((s) => (
                      <option key={s} value={s}>
                        {statusLabel(s)}
                      </option>
                    ))}
                  </select>
                </label>
                <p className="muted small-note">The status of the incident only; its alerts keep theirs until it is resolved with them.</p>
                <p>
                  Assignee: <strong>{i.assignee ?? 'nobody'}</strong>
                </p>
                {i.assignee !== user.name ? (
                  <button type="button" disabled={busy} onClick={() => change({ assignee: user.name, alerts: true }, 'Assigned to you, with its open alerts')}>
                    Assign to me
                  </button>
                ) : (
                  <button type="button" disabled={busy} onClick={() => change({ assignee: null }, 'Unassigned')}>
                    Unassign
                  </button>
                )}
                <button type="button" className="primary" disabled={busy || (closed && openAlerts === 0)} onClick={() => change({ status: 'resolved', alerts: true }, `Resolved, with its ${count(openAlerts)} open alert${openAlerts === 1 ? '' : 's'}`)}>
                  Resolve with its alerts
                </button>
                <p className="muted small-note">
                  {openAlerts === 0 ? 'None of its alerts is open.' : `${count(openAlerts)} of its alerts ${openAlerts === 1 ? 'is' : 'are'} open.`}
                  {i.acknowledged_at !== null ? ` Acknowledged ${humanDuration(Math.max(0, i.acknowledged_at - i.raised_at))} after it was raised.` : ''}
                  {i.resolved_at !== null ? ` Closed ${humanDuration(Math.max(0, i.resolved_at - i.raised_at))} after it was raised.` : ''}
                </p>
              </div>
            ) : (
              <p className="muted">Viewers read incidents; analysts work them.</p>
            )}
          </Card>
          <Card title="Score">
            <ScoreFactors factors={i.score_factors} score={i.score} caption="Why this incident scores as it does" />
          </Card>
          <Card title="Tactics">
            <TacticChips tactics={i.tactics} label="Tactics reached, in kill-chain order" />
          </Card>
          <Card title="Hosts">
            {i.hosts.length === 0 ? (
              <Empty>No host recorded.</Empty>
            ) : (
              <ul className="host-list">
                {i.hosts.map((h) => (
                  <li key={h}>
                    <HostLink ip={h} />
                  </li>
                ))}
              </ul>
            )}
          </Card>
          {analyst ? (
            <Card title="Evidence">
              <IncidentEvidence incident={i} />
            </Card>
          ) : null}
        </div>
      </div>
    </>
  );
}

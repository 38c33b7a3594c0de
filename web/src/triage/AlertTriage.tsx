// What triage adds to the alert page: the risk score with its factors, the queue and the incident, "Suppress…" and the
// evidence pcap (one card), and the detection's playbook as a checklist saved to the alert (PATCH playbook).
import { useState } from 'react';
import { Link } from 'react-router';
import { api, can, type DetectionEntry, type PlaybookChecks, type TriagedAlert } from '../api';
import { useSession } from '../ui/hooks';
import { Card } from '../ui/states';
import { QueueBadge, ScoreBadge, ScoreFactors } from './ScoreFactors';
import { PlaybookChecklist } from './Playbook';
import { SuppressButton } from './SuppressDialog';
import { AlertEvidenceLink } from './Evidence';
import { QUEUE_HINT } from './format';
import './triage.css';

export function AlertTriageCard({ a, detection, reload }: { a: TriagedAlert; detection: DetectionEntry | null; reload: () => void }) {
  const { user } = useSession();
  const analyst = can(user, 'analyst');
  const [note, setNote] = useState<string | null>(null);
  return (
    <Card title="Risk score">
      <p className="score-line">
        <ScoreBadge score={a.score} queue={a.queue} /> <QueueBadge queue={a.queue} />
        {a.queue !== undefined ? <span className="muted"> {QUEUE_HINT[a.queue]}</span> : null}
      </p>
      {a.score !== undefined ? <ScoreFactors factors={a.score_factors ?? []} score={a.score} caption="Why this alert scores as it does" /> : null}
      <dl className="facts triage-facts">
        <dt>Incident</dt>
        <dd>{a.incident ? <Link to={`/incidents/${encodeURIComponent(a.incident)}`}>Open its incident</Link> : 'none'}</dd>
        {a.suppressed_by != null ? (
          <>
            <dt>Suppressed</dt>
            <dd>
              by <Link to="/settings#settings-suppressions">rule {a.suppressed_by}</Link>
            </dd>
          </>
        ) : null}
      </dl>
      {analyst ? (
        <div className="button-row">
          <SuppressButton
            alert={a}
            detectionTitle={detection?.title ?? null}
            onCreated={(s) => {
              setNote(`Suppression ${s.id} created: ${s.reason}. ${s.hidden_now === 1 ? '1 open alert' : `${s.hidden_now ?? 0} open alerts`} hidden now.`);
              reload();
            }}
          />
          <AlertEvidenceLink id={a.id} />
        </div>
      ) : null}
      <div role="status" aria-live="polite" className={note === null ? 'live-empty' : 'notice ok'}>
        {note}
      </div>
    </Card>
  );
}

export function AlertPlaybook({ a, detection, reload }: { a: TriagedAlert; detection: DetectionEntry; reload: () => void }) {
  const { user } = useSession();
  const save = (playbook: PlaybookChecks) => api(`/api/alerts/${encodeURIComponent(a.id)}`, { method: 'PATCH', body: { playbook } }).then(() => reload());
  return (
    <Card title="Playbook">
      <PlaybookChecklist
        groups={[{ key: detection.id, meaning: detection.playbook.meaning, check: detection.playbook.check, respond: detection.playbook.respond }]}
        value={a.playbook}
        save={save}
        canEdit={can(user, 'analyst')}
        idPrefix={`alert-playbook`}
      />
    </Card>
  );
}

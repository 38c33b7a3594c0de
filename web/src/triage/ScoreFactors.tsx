// The risk score as the analyst reads it: a badge coloured by its queue, the factors that sum to it (factor, points,
// why), the queue, and an incident's tactics as chips in kill-chain order.
import type { Queue, ScoreFactor } from '../api';
import { QUEUE_LABEL, factorLabel, tacticName } from './format';
import './triage.css';

export function ScoreBadge({ score, queue }: { score: number | undefined; queue: Queue | undefined }) {
  if (score === undefined) return <span className="badge">no score</span>;
  return (
    <span className={`badge score q-${queue ?? 'later'}`} aria-label={`score ${score} of 100`}>
      {score}
    </span>
  );
}

export function QueueBadge({ queue }: { queue: Queue | undefined }) {
  if (queue === undefined) return <span className="muted">—</span>;
  return <span className={`badge queue q-${queue}`}>{QUEUE_LABEL[queue]}</span>;
}

export function ScoreFactors({ factors, score, caption }: { factors: readonly ScoreFactor[]; score: number; caption: string }) {
  if (factors.length === 0) return <p className="muted">No factors recorded.</p>;
  return (
    <table className="plain score-factors">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Factor</th>
          <th scope="col" className="num">
            Points
          </th>
          <th scope="col">Why</th>
        </tr>
      </thead>
      <tbody>
        {factors.map((f, i) => (
          <tr key={`${f.name}-${i}`}>
            <th scope="row">{factorLabel(f.name)}</th>
            <td className="num">{f.points}</td>
            <td>{f.why}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">Score</th>
          <td className="num">
            <strong>{score}</strong>
          </td>
          <td className="muted">of 100{factors.reduce((n, f) => n + f.points, 0) > score ? ' (capped)' : ''}</td>
        </tr>
      </tfoot>
    </table>
  );
}

/** Tactic ids in kill-chain order, as a list of chips. */
export function TacticChips({ tactics, label }: { tactics: readonly string[]; label: string }) {
  if (tactics.length === 0) return <span className="muted">—</span>;
  return (
    <ol className="tactics" aria-label={label}>
      {tactics.map((t) => (
        <li key={t}>
          <span className="chip" title={t}>
            {tacticName(t)}
          </span>
        </li>
      ))}
    </ol>
  );
}

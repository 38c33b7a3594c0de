// The audit log (admins): who logged in, failed to, created users and tokens, uploaded captures, worked alerts and
// changed settings, newest first. The latest 200 entries, filtered here by a word.
import { useMemo, useState } from 'react';
import { can } from '../api';
import { useApi, useSession } from '../ui/hooks';
import { Card, Empty, Show } from '../ui/states';
import { count, time } from '../ui/format';
import { isForbidden } from './common';

export interface AuditEntry {
  ts: number;
  actor: string;
  action: string;
  target: string;
  detail?: Record<string, unknown>;
}

const LIMIT = 200;

/** A value as people read it: objects as `key: value` pairs, `null` as "none". */
function valueText(v: unknown): string {
  if (v === null || v === undefined) return 'none';
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && !Array.isArray(v)) return `{${pairs(v as Record<string, unknown>)}}`;
  return JSON.stringify(v);
}

function pairs(d: Record<string, unknown>): string {
  return Object.entries(d)
    .map(([k, v]) => `${k}: ${valueText(v)}`)
    .join(', ');
}

/** The detail of an entry: a change as `from → to`, anything else as `key: value` pairs. */
export function detailText(d: Record<string, unknown> | undefined): string {
  if (d === undefined) return '';
  const keys = Object.keys(d);
  if (keys.length === 2 && 'from' in d && 'to' in d) return `${valueText(d.from)} → ${valueText(d.to)}`;
  return Object.entries(d)
    .map(([k, v]) => `${k}: ${valueText(v)}`)
    .join(' · ');
}

/** `refresh` bumps after every change made on the page, so the log shows it. */
export function Audit({ refresh }: { refresh: number }) {
  const { user } = useSession();
  const admin = can(user, 'admin');
  const log = useApi<AuditEntry[]>(admin ? `/api/audit?limit=${LIMIT}` : null, refresh);
  const [filter, setFilter] = useState('');

  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    const all = log.data ?? [];
    return f === '' ? all : all.filter((a) => `${a.actor} ${a.action} ${a.target} ${detailText(a.detail)}`.toLowerCase().includes(f));
  }, [log.data, filter]);

  if (!admin || isForbidden(log.error)) {
    return (
      <Card title="Audit log" className="wide" id="settings-audit">
        <p className="muted">Only admins read the audit log.</p>
      </Card>
    );
  }
  return (
    <Card title="Audit log" className="wide" id="settings-audit">
      <form className="filters settings-audit-filters" role="search" aria-label="Filter the audit log" onSubmit={(e) => e.preventDefault()}>
        <label>
          Filter (user, action, target, detail)
          <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="e.g. login_failed" />
        </label>
        <button type="button" onClick={log.reload} disabled={log.loading}>
          {log.loading ? 'Loading…' : 'Reload'}
        </button>
        <span className="count" role="status" aria-live="polite">
          {log.data === null ? '' : filter.trim() === '' ? `Latest ${count(log.data.length)} ${log.data.length === 1 ? 'entry' : 'entries'}` : `${count(shown.length)} of the latest ${count(log.data.length)} entries`}
        </span>
      </form>
      <Show state={log} what="the audit log">
        {(all) =>
          all.length === 0 ? (
            <Empty>The audit log is empty.</Empty>
          ) : shown.length === 0 ? (
            <Empty>No entry among the latest {count(all.length)} matches “{filter.trim()}”.</Empty>
          ) : (
            <div className="settings-scroll" role="region" aria-label="Audit log entries" tabIndex={0}>
              <table className="plain settings-table settings-audit">
                <caption className="visually-hidden">Audit log, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Time (UTC)</th>
                    <th scope="col">User</th>
                    <th scope="col">Action</th>
                    <th scope="col">Target</th>
                    <th scope="col">Detail</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((a, i) => (
                    <tr key={`${a.ts}-${i}`} className={a.action.endsWith('_failed') ? 'settings-audit-failed' : undefined}>
                      <td className="settings-nowrap">{time(a.ts)}</td>
                      <td>{a.actor}</td>
                      <td>
                        <span className="mono">{a.action}</span>
                      </td>
                      <td>{a.target}</td>
                      <td className="settings-detail">{detailText(a.detail)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Show>
    </Card>
  );
}

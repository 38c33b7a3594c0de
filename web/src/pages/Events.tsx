// Event search across protocols: every filter the API has (capture time, protocol, asset, operation, access,
// outcome, kind, text), newest first, paged on the server; one event opens with its full record.
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { withQuery, type Counters, type ProtocolEvent } from '../api';
import { useApi, usePaged } from '../ui/hooks';
import { DataTable, type Column } from '../ui/DataTable';
import { Card, Empty, ErrorBox } from '../ui/states';
import { PageTitle } from '../ui/Layout';
import { count, timeMs } from '../ui/format';
import { ACCESS, OUTCOMES } from '../../../src/common/vocabulary';

const FIELDS = ['from', 'to', 'protocol', 'asset', 'operation', 'access', 'outcome', 'type', 'q'] as const;
type Field = (typeof FIELDS)[number];

interface Endpoint {
  ip: string;
  port?: number;
}

const op = (e: ProtocolEvent) => (e.operation as { name?: string; access?: string } | undefined) ?? {};
const ep = (x: unknown) => {
  const p = x as Endpoint | undefined;
  return p === undefined ? '—' : `${p.ip}${p.port !== undefined ? `:${p.port}` : ''}`;
};

const COLUMNS: Column<ProtocolEvent>[] = [
  { header: 'Time (UTC)', width: '13.5rem', render: (e) => <span className="mono">{timeMs(e.ts)}</span> },
  { header: 'Protocol', width: '6rem', render: (e) => e.protocol },
  { header: 'Client', width: 'minmax(9rem, 1fr)', render: (e) => <span className="mono">{ep(e.client)}</span> },
  { header: 'Server', width: 'minmax(9rem, 1fr)', render: (e) => <span className="mono">{ep(e.server)}</span> },
  { header: 'Operation', width: 'minmax(10rem, 1.5fr)', render: (e) => <span className="mono">{op(e).name ?? '—'}</span> },
  { header: 'Access', width: '6rem', render: (e) => op(e).access ?? '—' },
  { header: 'Outcome', width: '7rem', render: (e) => String(e.outcome ?? '—') },
  { header: 'Repeats', width: '5rem', numeric: true, render: (e) => (e.type === 'repeat_summary' ? count(e.repeats as number) : '') },
];

/** `datetime-local` value (UTC) ↔ capture seconds. */
const toInput = (s: string | null) => (s === null || s === '' ? '' : new Date(Number(s) * 1000).toISOString().slice(0, 19));
const fromInput = (v: string) => (v === '' ? '' : String(Date.parse(`${v}Z`) / 1000));

export function Events() {
  const [params, setParams] = useSearchParams();
  const applied = useMemo(() => Object.fromEntries(FIELDS.map((f) => [f, params.get(f) ?? ''])) as Record<Field, string>, [params]);
  const [draft, setDraft] = useState(applied);
  useEffect(() => setDraft(applied), [applied]);
  const [open, setOpen] = useState<ProtocolEvent | null>(null);

  const query = useMemo(() => Object.fromEntries(FIELDS.filter((f) => applied[f] !== '').map((f) => [f, applied[f]])), [applied]);
  const list = usePaged<ProtocolEvent>(withQuery('/api/events', query), 200);
  const total = useApi<{ count: number }>(withQuery('/api/events/count', query));
  const counters = useApi<Counters>('/api/counters');
  const protocols = Object.keys(counters.data?.summary?.protocols ?? {}).sort();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const p = new URLSearchParams();
    for (const f of FIELDS) if (draft[f].trim() !== '') p.set(f, draft[f].trim());
    setParams(p);
    setOpen(null);
  };
  const set = (f: Field, v: string) => setDraft((d) => ({ ...d, [f]: v }));

  return (
    <>
      <PageTitle title="Events" />
      <form className="filters" role="search" aria-label="Search events" onSubmit={submit}>
        <label>
          From (UTC)
          <input type="datetime-local" step="1" value={toInput(draft.from)} onChange={(e) => set('from', fromInput(e.target.value))} />
        </label>
        <label>
          To (UTC)
          <input type="datetime-local" step="1" value={toInput(draft.to)} onChange={(e) => set('to', fromInput(e.target.value))} />
        </label>
        <label>
          Protocol
          <select value={draft.protocol} onChange={(e) => set('protocol', e.target.value)}>
            <option value="">Any</option>
            {protocols.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </label>
        <label>
          Asset IP
          <input value={draft.asset} onChange={(e) => set('asset', e.target.value)} size={14} placeholder="10.0.0.5" />
        </label>
        <label>
          Operation
          <input value={draft.operation} onChange={(e) => set('operation', e.target.value)} size={16} placeholder="write_single_register" />
        </label>
        <label>
          Access
          <select value={draft.access} onChange={(e) => set('access', e.target.value)}>
            <option value="">Any</option>
            {ACCESS.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
        <label>
          Outcome
          <select value={draft.outcome} onChange={(e) => set('outcome', e.target.value)}>
            <option value="">Any</option>
            {OUTCOMES.map((o) => (
              <option key={o}>{o}</option>
            ))}
          </select>
        </label>
        <label>
          Kind
          <select value={draft.type} onChange={(e) => set('type', e.target.value)}>
            <option value="">Any</option>
            <option value="transaction">transaction</option>
            <option value="repeat_summary">repeat summary</option>
          </select>
        </label>
        <label>
          Text
          <input value={draft.q} onChange={(e) => set('q', e.target.value)} size={14} placeholder="anywhere in the record" />
        </label>
        <button type="submit" className="primary">
          Search
        </button>
        <span className="count" role="status" aria-live="polite">
          {total.data ? `${count(total.data.count)} events` : ''}
        </span>
      </form>
      {list.error !== null ? (
        <ErrorBox error={list.error} retry={list.reload} />
      ) : !list.loading && list.items.length === 0 ? (
        <Empty>
          {Object.keys(query).length > 0 ? (
            <>
              No event matches. <Link to="/events">Clear the filters</Link>.
            </>
          ) : (
            'No events stored yet: upload a capture on the Captures page.'
          )}
        </Empty>
      ) : (
        <div className={open ? 'two-col' : undefined}>
          <DataTable
            label="Protocol events"
            rows={list.items}
            columns={COLUMNS}
            rowKey={(e) => e.id}
            more={list.more || (list.loading && list.items.length === 0)}
            loadMore={list.loadMore}
            total={total.data?.count}
            onActivate={setOpen}
          />
          {open ? (
            <Card title={`${open.protocol} ${op(open).name ?? ''}`} id="event-detail">
              <p className="muted">
                {timeMs(open.ts)} UTC · flow {String(open.flow)} · {open.type.replace('_', ' ')}
              </p>
              <pre className="json" tabIndex={0} aria-label="The event's record">
                {JSON.stringify(open, null, 2)}
              </pre>
              <button type="button" onClick={() => setOpen(null)}>
                Close
              </button>
            </Card>
          ) : null}
        </div>
      )}
    </>
  );
}

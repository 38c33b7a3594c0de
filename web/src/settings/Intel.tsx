// Threat intel: the sources matched (the `--intel` files and imported ones) with what each loaded and what it could
// not use (patterns not evaluable by reason, expired or revoked, bad lines, over the cap); analysts import a STIX 2.1
// bundle or plain list from a file and remove imported sources. Changes take effect in the sensor at once.
import { useRef, useState, type FormEvent } from 'react';
import { api, can, withQuery, ApiError, type IntelNotEvaluable, type IntelOverview, type IntelSource } from '../api';
import { useApi, useSession } from '../ui/hooks';
import { Card, Empty, Show } from '../ui/states';
import { bytes, count, time } from '../ui/format';
import { ConfirmButton, Field, LiveMessage, errorText, useFocusLater, type Message } from './common';
import './intel.css';

const NAME_MAX = 200;
/** The server's limit, until GET /api/intel has said it. */
const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

const KIND_LABELS: Record<Exclude<keyof IntelOverview['kinds'], 'indicators'>, [string, string]> = {
  ipv4: ['IPv4 address', 'IPv4 addresses'],
  ipv6: ['IPv6 address', 'IPv6 addresses'],
  cidr4: ['IPv4 range', 'IPv4 ranges'],
  cidr6: ['IPv6 range', 'IPv6 ranges'],
  domain: ['domain', 'domains'],
  url: ['URL', 'URLs'],
  hash: ['file hash', 'file hashes'],
};

function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

/** The report of a source in one sentence. */
function reportText(s: IntelSource): string {
  const c = s.counts;
  const parts = [`${plural(c.loaded, 'indicator')} loaded`];
  if (c.not_evaluable > 0) parts.push(`${count(c.not_evaluable)} not evaluable`);
  if (c.expired + c.revoked > 0) parts.push(`${count(c.expired + c.revoked)} expired or revoked`);
  if (c.bad_lines > 0) parts.push(plural(c.bad_lines, 'bad line'));
  if (c.duplicates > 0) parts.push(`${count(c.duplicates)} already in another source`);
  if (c.dropped > 0) parts.push(`${count(c.dropped)} over the indicator cap, not matched`);
  return parts.join('; ');
}

export function Intel({ onChange }: { onChange: () => void }) {
  const { user } = useSession();
  const analyst = can(user, 'analyst');
  const state = useApi<IntelOverview>('/api/intel');
  const [message, setMessage] = useState<Message | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const focusLater = useFocusLater();

  const remove = (s: IntelSource) =>
    api(`/api/intel/${encodeURIComponent(s.id)}`, { method: 'DELETE' }).then(
      () => {
        setMessage({ ok: true, text: `“${s.name}” removed: its indicators no longer match.` });
        if (open === s.id) setOpen(null);
        focusLater('intel-sources');
        state.reload();
        onChange();
      },
      (err: unknown) => {
        if (err instanceof ApiError && err.status === 404) state.reload();
        setMessage({ ok: false, text: `Could not remove “${s.name}”: ${errorText(err)}` });
      },
    );

  return (
    <Card title="Threat intel" className="wide" id="settings-intel">
      <p className="muted settings-lede">
        Traffic to or from the addresses, domains and URLs listed here raises an <span className="mono">indicator.match</span> alert. Sources are STIX 2.1 bundles or plain lists (one value a
        line). What a source holds but Lantern cannot match is counted and listed, never dropped silently. Imports and removals apply at once, without a restart.
      </p>
      {analyst ? (
        <ImportForm
          maxBytes={state.data?.max_source_bytes ?? DEFAULT_MAX_BYTES}
          onImported={(s) => {
            setMessage({ ok: true, text: `Imported “${s.name}”: ${reportText(s)}. Matched from now on.` });
            if (s.counts.not_evaluable + s.counts.bad_lines > 0) setOpen(s.id);
            state.reload();
            onChange();
          }}
          onFailed={(text) => setMessage({ ok: false, text })}
        />
      ) : (
        <p className="muted">Analysts and admins import and remove sources.</p>
      )}
      <LiveMessage message={message} />
      <div id="intel-sources" tabIndex={-1} className="settings-focus-target">
        <Show state={state} what="threat-intel sources">
          {(o) => (
            <>
              <Totals o={o} />
              {o.sources.length === 0 ? (
                <Empty>No threat intel yet. {analyst ? 'Import a STIX 2.1 bundle or a plain list above' : 'An analyst can import a STIX 2.1 bundle or a plain list'}, or start the server with <span className="mono">--intel FILE</span>.</Empty>
              ) : (
                <SourcesTable o={o} open={open} setOpen={setOpen} canRemove={analyst} onRemove={remove} />
              )}
            </>
          )}
        </Show>
      </div>
    </Card>
  );
}

function Totals({ o }: { o: IntelOverview }) {
  const kinds = (Object.keys(KIND_LABELS) as (keyof typeof KIND_LABELS)[]).filter((k) => o.kinds[k] > 0).map((k) => plural(o.kinds[k], ...KIND_LABELS[k]));
  return (
    <dl className="facts intel-totals">
      <dt>Matched now</dt>
      <dd>
        {plural(o.indicators, 'indicator')} of at most {count(o.max_indicators)}
        {kinds.length > 0 ? <span className="muted"> ({kinds.join(', ')})</span> : null}
      </dd>
      {o.dropped > 0 ? (
        <div className="fact-row">
          <dt>Over the cap</dt>
          <dd className="intel-warn">{plural(o.dropped, 'indicator')} not matched: remove a source you no longer need</dd>
        </div>
      ) : null}
    </dl>
  );
}

function ImportForm({ maxBytes, onImported, onFailed }: { maxBytes: number; onImported: (s: IntelSource) => void; onFailed: (text: string) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState('');
  // The name follows the file's until the user writes one.
  const [nameEdited, setNameEdited] = useState(false);
  const [errors, setErrors] = useState<{ file?: string; name?: string }>({});
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const nameInput = useRef<HTMLInputElement>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const n = name.trim();
    const problems: typeof errors = {};
    if (file === null) problems.file = 'Choose the file to import.';
    else if (file.size === 0) problems.file = `${file.name} is empty.`;
    else if (file.size > maxBytes) problems.file = `${file.name} is ${bytes(file.size)}: a source may hold at most ${bytes(maxBytes)}.`;
    if (n === '') problems.name = 'Give the source a name: alerts will cite it.';
    else if (n.length > NAME_MAX) problems.name = `At most ${NAME_MAX} characters.`;
    setErrors(problems);
    if (problems.file !== undefined || problems.name !== undefined) {
      (problems.file !== undefined ? fileInput : nameInput).current?.focus();
      return;
    }
    setBusy(true);
    api<IntelSource>(withQuery('/api/intel', { name: n }), { method: 'POST', raw: file! }).then(
      (s) => {
        setBusy(false);
        setFile(null);
        setName('');
        setNameEdited(false);
        if (fileInput.current !== null) fileInput.current.value = '';
        onImported(s);
      },
      (err: unknown) => {
        setBusy(false);
        onFailed(`Could not import ${file!.name}: ${errorText(err)}`);
      },
    );
  };

  return (
    <form className="settings-inline-form intel-import" onSubmit={submit} aria-label="Import threat intel" noValidate>
      <Field id="intel-file" label="File (STIX 2.1 JSON bundle or plain list)" hint={`UTF-8 text, at most ${bytes(maxBytes)}.`} error={errors.file}>
        {(p) => (
          <input
            {...p}
            ref={fileInput}
            type="file"
            accept=".json,.stix,.txt,.csv,.list,application/json,text/plain,text/csv"
            disabled={busy}
            onChange={(e) => {
              const f = e.target.files?.[0] ?? null;
              setFile(f);
              if (!nameEdited) setName(f === null ? '' : f.name.slice(0, NAME_MAX));
              setErrors({});
            }}
          />
        )}
      </Field>
      <Field id="intel-name" label="Source name" hint="Shown in the alerts it raises; unique." error={errors.name}>
        {(p) => (
          <input
            {...p}
            ref={nameInput}
            type="text"
            value={name}
            maxLength={NAME_MAX}
            autoComplete="off"
            disabled={busy}
            onChange={(e) => {
              setName(e.target.value);
              setNameEdited(e.target.value !== '');
              if (errors.name !== undefined) setErrors((o) => ({ ...o, name: undefined }));
            }}
          />
        )}
      </Field>
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Importing…' : 'Import'}
      </button>
    </form>
  );
}

function SourcesTable({ o, open, setOpen, canRemove, onRemove }: { o: IntelOverview; open: string | null; setOpen: (id: string | null) => void; canRemove: boolean; onRemove: (s: IntelSource) => Promise<unknown> }) {
  return (
    <table className="plain settings-table intel-table">
      <caption className="visually-hidden">Threat-intel sources and what each loaded</caption>
      <thead>
        <tr>
          <th scope="col">Source</th>
          <th scope="col">Format</th>
          <th scope="col" className="num">
            Loaded
          </th>
          <th scope="col" className="num">
            Not evaluable
          </th>
          <th scope="col" className="num">
            Expired / revoked
          </th>
          <th scope="col" className="num">
            Bad lines
          </th>
          <th scope="col" className="num">
            Not matched
          </th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      {o.sources.map((s) => {
        const c = s.counts;
        const expanded = open === s.id;
        const detailsId = `intel-details-${s.id}`;
        return (
          // One body per source: its row and, when open, its details.
          <tbody key={s.id}>
            <tr>
              <th scope="row">
                <span className="intel-name">{s.name}</span>
                <span className="intel-sub">
                  {s.origin === 'command line' ? (
                    <span className="badge">command line</span>
                  ) : (
                    <>
                      imported {time(s.added)} UTC{s.added_by !== null ? ` by ${s.added_by}` : ''}
                    </>
                  )}{' '}
                  · {bytes(s.bytes)}
                </span>
                {s.problem !== null ? <span className="intel-problem">Not loaded: {s.problem}</span> : null}
              </th>
              <td className="settings-nowrap">{s.format === 'stix' ? 'STIX 2.1' : s.format === 'list' ? 'plain list' : '—'}</td>
              <td className="num">{count(c.loaded)}</td>
              <td className={`num${c.not_evaluable > 0 ? ' intel-warn' : ''}`}>{count(c.not_evaluable)}</td>
              <td className="num">
                {count(c.expired)} / {count(c.revoked)}
              </td>
              <td className={`num${c.bad_lines + c.skipped_lines > 0 ? ' intel-warn' : ''}`}>
                {count(c.bad_lines)}
                {c.skipped_lines > 0 ? <span className="intel-sub">+{count(c.skipped_lines)} unread</span> : null}
              </td>
              <td className="num">
                {count(c.duplicates + c.dropped)}
                {c.duplicates + c.dropped > 0 ? (
                  <span className="intel-sub">
                    {c.duplicates > 0 ? `${count(c.duplicates)} in another source` : ''}
                    {c.duplicates > 0 && c.dropped > 0 ? ', ' : ''}
                    {c.dropped > 0 ? `${count(c.dropped)} over the cap` : ''}
                  </span>
                ) : null}
              </td>
              <td className="settings-actions">
                <span className="intel-actions">
                  <button type="button" aria-expanded={expanded} aria-controls={expanded ? detailsId : undefined} onClick={() => setOpen(expanded ? null : s.id)}>
                    {expanded ? 'Hide details' : 'Details'}
                    <span className="visually-hidden"> of {s.name}</span>
                  </button>
                  {canRemove && s.origin === 'api' ? (
                    <ConfirmButton label="Remove" accessibleLabel={`Remove ${s.name}`} question={`Remove “${s.name}”? Its indicators stop matching now.`} confirmLabel="Remove it" onConfirm={() => onRemove(s)} />
                  ) : null}
                </span>
              </td>
            </tr>
            {expanded ? (
              <tr className="intel-details-row">
                <td colSpan={8} id={detailsId}>
                  <SourceDetails s={s} reasons={o.reasons} />
                </td>
              </tr>
            ) : null}
          </tbody>
        );
      })}
    </table>
  );
}

function SourceDetails({ s, reasons }: { s: IntelSource; reasons: Record<string, string> }) {
  const c = s.counts;
  const nothing = c.not_evaluable + c.bad_lines + c.skipped_lines + c.expired + c.revoked + c.duplicates + c.dropped === 0 && s.problem === null;
  return (
    <div className="intel-details">
      <h3 className="intel-details-title">{s.name}</h3>
      <p>{reportText(s)}.</p>
      {s.origin === 'command line' ? <p className="muted">Loaded from the server&apos;s command line (--intel): it is removed by restarting the server without it.</p> : null}
      {nothing ? <p className="muted">Everything in this source is matched.</p> : null}
      {c.expired + c.revoked > 0 ? (
        <p className="muted">
          {plural(c.expired, 'indicator')} past its valid_until and {plural(c.revoked, 'revoked indicator')} are not matched; expiry is judged again when the server starts.
        </p>
      ) : null}
      {c.duplicates > 0 ? <p className="muted">{plural(c.duplicates, 'indicator')} with the same STIX id as in an earlier source {c.duplicates === 1 ? 'is' : 'are'} matched once, as that source&apos;s.</p> : null}
      {c.dropped > 0 ? <p className="intel-warn">{plural(c.dropped, 'indicator')} did not fit in the matcher (at most 100,000 across all sources).</p> : null}
      {c.not_evaluable > 0 ? <NotEvaluable s={s} reasons={reasons} /> : null}
      {c.bad_lines > 0 ? (
        <>
          <h4>
            Bad lines <span className="muted">(the first {count(s.bad_line_samples.length)} of {count(c.bad_lines)})</span>
          </h4>
          <table className="plain intel-inner">
            <caption className="visually-hidden">Lines of {s.name} that are not an indicator</caption>
            <thead>
              <tr>
                <th scope="col" className="num">
                  Line
                </th>
                <th scope="col">Text</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {s.bad_line_samples.map((b) => (
                <tr key={b.line}>
                  <td className="num">{b.line}</td>
                  <td className="mono intel-pattern">{b.text}</td>
                  <td>{b.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      {c.skipped_lines > 0 ? <p className="intel-warn">{plural(c.skipped_lines, 'line')} past the first million were not read: split the list.</p> : null}
    </div>
  );
}

function NotEvaluable({ s, reasons }: { s: IntelSource; reasons: Record<string, string> }) {
  const list = useApi<IntelNotEvaluable>(`/api/intel/${encodeURIComponent(s.id)}/unsupported`);
  return (
    <>
      <h4>Patterns not evaluable</h4>
      <dl className="facts intel-reasons">
        {Object.entries(s.not_evaluable_by_reason).map(([code, n]) => (
          <div key={code} className="fact-row">
            <dt>
              <span className="mono">{code}</span> <span className="intel-count">{count(n)}</span>
            </dt>
            <dd>{reasons[code] ?? code}</dd>
          </div>
        ))}
      </dl>
      <Show state={list} what="the patterns not evaluable">
        {(l) => (
          <>
            <table className="plain intel-inner">
              <caption className="visually-hidden">Indicators of {s.name} whose patterns cannot be evaluated</caption>
              <thead>
                <tr>
                  <th scope="col">Indicator</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Pattern</th>
                </tr>
              </thead>
              <tbody>
                {l.items.map((i) => (
                  <tr key={i.id}>
                    <td>
                      {i.name !== null ? <span className="intel-name">{i.name}</span> : null}
                      <span className="mono intel-id">{i.id}</span>
                    </td>
                    <td>
                      <span className="mono">{i.code}</span>
                      <span className="intel-sub">{i.reason}</span>
                    </td>
                    <td className="mono intel-pattern">{i.pattern === '' ? <span className="muted">(no pattern)</span> : i.pattern}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {l.truncated ? <p className="muted">The first {count(l.items.length)} of {count(l.total)} are listed.</p> : null}
          </>
        )}
      </Show>
    </>
  );
}

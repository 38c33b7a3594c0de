// Notifications: where alerts are sent (webhooks, syslog as RFC 5424 or CEF), with each target's delivery counters,
// last error and dead letters. Everyone reads; admins add, change, delete and test targets. Secrets are write-only:
// the API says only whether one is set, so the form offers to keep, replace or remove it (docs/notifications.md).
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, can, ApiError } from '../api';
import { useApi, useRefresh, useSession } from '../ui/hooks';
import { Card, Empty, ErrorBox, Loading, Severity, Show } from '../ui/states';
import { count, time } from '../ui/format';
import { ConfirmButton, Field, LiveMessage, errorText, useFocusLater, type Message } from './common';
import './notifications.css';

// The API's vocabulary and bounds (src/notify/types.ts, src/notify/config.ts, src/notify/syslog.ts).
const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
const TRANSPORTS = ['udp', 'tcp', 'tls'] as const;
const CEF_HEADERS = ['3164', '5424', 'none'] as const;
const FRAMINGS = ['octet_counting', 'lf'] as const;
const NAME_MAX = 64;
const URL_MAX = 2048;
const SECRET_MIN = 16;
const SECRET_MAX = 1024;
const HOST_RE = /^[A-Za-z0-9._:-]{1,253}$/;
const MIN_BYTES = 480;
const MAX_BYTES = 65_507;
const DEFAULT_PORT: Record<Transport, number> = { udp: 514, tcp: 514, tls: 6514 };
const DEFAULT_MAX_BYTES: Record<Transport, number> = { udp: 2048, tcp: 8192, tls: 8192 };
const FACILITIES = ['kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp', 'ntp', 'security', 'console', 'clock', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'];

type SeverityName = (typeof SEVERITIES)[number];
type Transport = (typeof TRANSPORTS)[number];
type CefHeader = (typeof CEF_HEADERS)[number];
type Framing = (typeof FRAMINGS)[number];

export interface TargetCounters {
  queued: number;
  pending: number;
  sent: number;
  retried: number;
  dead_lettered: number;
  dropped: number;
  last_error: string | null;
  last_error_at: number | null;
  last_success: number | null;
}

export interface Target {
  id: string;
  name: string;
  kind: 'webhook' | 'syslog';
  enabled: boolean;
  format: 'json' | '5424' | 'cef';
  min_score: number;
  min_severity: SeverityName;
  url?: string;
  secret_set?: boolean;
  host?: string;
  port?: number;
  transport?: Transport;
  facility?: number;
  cef_header?: CefHeader;
  framing?: Framing;
  ca_file?: string | null;
  max_bytes?: number;
  counters: TargetCounters;
}

interface DeadLetter {
  at: number;
  alert: string;
  title: string;
  event: string;
  attempts: number;
  error: string;
}

interface TestOutcome {
  ok: boolean;
  status: number | null;
  error: string | null;
  ms: number;
}

const FORMAT_LABEL: Record<Target['format'], string> = { json: 'JSON', '5424': 'RFC 5424', cef: 'CEF' };
const TRANSPORT_LABEL: Record<Transport, string> = { udp: 'UDP', tcp: 'TCP', tls: 'TLS' };
const CEF_HEADER_LABEL: Record<CefHeader, string> = { '3164': 'RFC 3164 style', '5424': 'RFC 5424', none: 'None' };
const CEF_HEADER_HINT: Record<CefHeader, string> = { '3164': 'The classic syslog header the CEF guide shows.', '5424': 'An RFC 5424 header before the CEF record.', none: 'The bare CEF record.' };
const FRAMING_LABEL: Record<Framing, string> = { octet_counting: 'Octet counting', lf: 'Line feed' };
const FRAMING_HINT: Record<Framing, string> = { octet_counting: 'Length before each message (RFC 6587, RFC 5425).', lf: 'One message per line, for receivers that split on new lines.' };

export function destination(t: Target): string {
  return t.kind === 'webhook' ? (t.url ?? '') : `${TRANSPORT_LABEL[t.transport ?? 'udp']} ${t.host ?? ''}:${t.port ?? ''}`;
}

function filterText(t: Target): string {
  const sev = t.min_severity === 'info' ? 'any severity' : t.min_severity === 'critical' ? 'critical only' : `${t.min_severity} and above`;
  return `${t.min_score > 0 ? `score ≥ ${t.min_score}, ` : ''}${sev}`;
}

const slug = (id: string) => id.replace(/[^A-Za-z0-9_-]/g, '_');

export function Notifications({ onChange }: { onChange: () => void }) {
  const { user } = useSession();
  const admin = can(user, 'admin');
  // Counters move as alerts are sent: reloaded when the sensor reports a write, and after each change here.
  const refresh = useRefresh();
  const targets = useApi<Target[]>('/api/notify/targets', refresh);
  const [message, setMessage] = useState<Message | null>(null);
  const [editing, setEditing] = useState<Target | 'new' | null>(null);
  const focusLater = useFocusLater();

  const changed = (text: string, focus: string) => {
    setMessage({ ok: true, text });
    focusLater(focus);
    targets.reload();
    onChange();
  };

  const remove = (t: Target) =>
    api(`/api/notify/targets/${encodeURIComponent(t.id)}`, { method: 'DELETE' }).then(
      () => {
        if (editing !== null && editing !== 'new' && editing.id === t.id) setEditing(null);
        changed(`“${t.name}” deleted: alerts are no longer sent there.`, 'notify-list');
      },
      (err: unknown) => {
        if (err instanceof ApiError && err.status === 404) targets.reload();
        setMessage({ ok: false, text: `Could not delete “${t.name}”: ${errorText(err)}` });
      },
    );

  const test = (t: Target) =>
    api<TestOutcome>(`/api/notify/targets/${encodeURIComponent(t.id)}/test`, { method: 'POST' }).then(
      (r) => {
        setMessage(
          r.ok
            ? { ok: true, text: `Test notification delivered to “${t.name}”${r.status !== null ? ` (HTTP ${r.status})` : ''} in ${r.ms} ms.` }
            : { ok: false, text: `The test notification to “${t.name}” failed after ${r.ms} ms: ${r.error ?? 'no reason given'}` },
        );
        onChange();
      },
      (err: unknown) => setMessage({ ok: false, text: `Could not test “${t.name}”: ${errorText(err)}` }),
    );

  return (
    <Card title="Notifications" className="wide" id="settings-notifications">
      <p className="muted settings-lede">
        Alerts that reach a target&apos;s minimum risk score and severity are sent to it as they are raised: to a webhook as signed JSON, or to a syslog receiver (SIEM) as RFC 5424 or CEF. An alert
        that keeps firing is sent again at most every 5 minutes. A failed delivery is tried up to 5 times, then counted as a dead letter. Alerts stay in Lantern whatever happens to their notification.
      </p>
      <LiveMessage message={message} />
      <Show state={targets} what="notification targets">
        {(list) =>
          list.length === 0 ? (
            <Empty>No notification targets: alerts are only shown here.{admin ? ' Add a webhook or a syslog receiver below.' : ''}</Empty>
          ) : (
            <table className="plain settings-table notify-table" id="notify-list" tabIndex={-1}>
              <caption className="visually-hidden">Notification targets</caption>
              <thead>
                <tr>
                  <th scope="col">Target</th>
                  <th scope="col">Sends</th>
                  <th scope="col">Delivery</th>
                  <th scope="col">Last outcome (UTC)</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((t) => (
                  <TargetRow key={t.id} t={t} admin={admin} onEdit={() => setEditing(t)} onTest={() => test(t)} onDelete={() => remove(t)} />
                ))}
              </tbody>
            </table>
          )
        }
      </Show>
      {admin ? (
        editing === null ? (
          <div className="settings-buttons notify-add">
            <button id="notify-add" type="button" className="primary" onClick={() => setEditing('new')} disabled={targets.data !== null && targets.data.length >= 32}>
              Add a target
            </button>
            {targets.data !== null && targets.data.length >= 32 ? <span className="muted">32 targets at most.</span> : null}
          </div>
        ) : (
          <TargetForm
            key={editing === 'new' ? 'new' : editing.id}
            target={editing === 'new' ? null : editing}
            taken={(name, id) => (targets.data ?? []).some((t) => t.id !== id && t.name.toLowerCase() === name.toLowerCase())}
            onSaved={(t, created) => {
              setEditing(null);
              changed(created ? `“${t.name}” added${t.enabled ? '' : ' (disabled)'}. Use Test to check that it receives.` : `“${t.name}” saved.`, created ? `notify-test-${slug(t.id)}` : `notify-edit-${slug(t.id)}`);
            }}
            onCancel={() => {
              const back = editing === 'new' ? 'notify-add' : `notify-edit-${slug(editing.id)}`;
              setEditing(null);
              focusLater(back);
            }}
          />
        )
      ) : (
        <p className="muted settings-after">Only admins add, change and test notification targets.</p>
      )}
    </Card>
  );
}

function TargetRow({ t, admin, onEdit, onTest, onDelete }: { t: Target; admin: boolean; onEdit: () => void; onTest: () => Promise<void>; onDelete: () => Promise<unknown> }) {
  const [testing, setTesting] = useState(false);
  const [showDead, setShowDead] = useState(false);
  const c = t.counters;
  const s = slug(t.id);
  return (
    <>
      <tr className={t.enabled ? undefined : 'settings-disabled-row'}>
        <th scope="row">
          <span className="notify-name">{t.name}</span> {t.enabled ? null : <span className="badge settings-badge-off">disabled</span>}
          <span className="notify-dest mono">{destination(t)}</span>
        </th>
        <td>
          <span className="badge">{t.kind === 'webhook' ? 'Webhook' : 'Syslog'}</span> {FORMAT_LABEL[t.format]}
          {t.kind === 'webhook' ? <span className="muted notify-sub">{t.secret_set ? 'signed (secret set)' : 'not signed'}</span> : null}
          <span className="muted notify-sub">{filterText(t)}</span>
        </td>
        <td className="notify-counters">
          <dl className="notify-dl">
            <dt>Sent</dt>
            <dd>{count(c.sent)}</dd>
            <dt>Waiting</dt>
            <dd>{count(c.pending)}</dd>
            <dt>Retried</dt>
            <dd>{count(c.retried)}</dd>
            <dt>Dead letters</dt>
            <dd className={c.dead_lettered > 0 ? 'notify-bad' : undefined}>{count(c.dead_lettered)}</dd>
            <dt>Dropped</dt>
            <dd className={c.dropped > 0 ? 'notify-bad' : undefined}>{count(c.dropped)}</dd>
          </dl>
        </td>
        <td className="notify-last">
          {c.last_success !== null ? <span className="notify-sub">Delivered {time(c.last_success)}</span> : <span className="muted notify-sub">Nothing delivered since start</span>}
          {c.last_error !== null ? (
            <span className="notify-error notify-sub">
              <span className="visually-hidden">Last error, </span>
              {c.last_error_at !== null ? `${time(c.last_error_at)}: ` : ''}
              {c.last_error}
            </span>
          ) : null}
        </td>
        <td className="settings-actions">
          <div className="notify-actions">
            <button type="button" aria-expanded={showDead} aria-controls={`notify-dead-${s}`} aria-label={`Dead letters of ${t.name}`} onClick={() => setShowDead((v) => !v)}>
              {showDead ? 'Hide dead letters' : 'Dead letters'}
            </button>
            {admin ? (
              <>
                <button
                  id={`notify-test-${s}`}
                  type="button"
                  disabled={testing}
                  aria-label={`Send a test notification to ${t.name}`}
                  onClick={() => {
                    setTesting(true);
                    void onTest().finally(() => setTesting(false));
                  }}
                >
                  {testing ? 'Testing…' : 'Test'}
                </button>
                <button id={`notify-edit-${s}`} type="button" aria-label={`Edit ${t.name}`} onClick={onEdit}>
                  Edit
                </button>
                <ConfirmButton
                  label="Delete"
                  accessibleLabel={`Delete ${t.name}`}
                  question={
                    <>
                      Delete <strong>{t.name}</strong>? Alerts will no longer be sent there{c.pending > 0 ? `, and the ${count(c.pending)} waiting are dropped` : ''}.
                    </>
                  }
                  confirmLabel="Delete target"
                  onConfirm={onDelete}
                />
              </>
            ) : null}
          </div>
        </td>
      </tr>
      {showDead ? (
        <tr className="notify-dead-row">
          <td colSpan={5} id={`notify-dead-${s}`}>
            <DeadLetters target={t} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

function DeadLetters({ target }: { target: Target }) {
  const letters = useApi<DeadLetter[]>(`/api/notify/targets/${encodeURIComponent(target.id)}/dead-letters`, target.counters.dead_lettered);
  if (letters.error !== null) return <ErrorBox error={letters.error} retry={letters.reload} />;
  if (letters.data === null) return <Loading what="dead letters" />;
  if (letters.data.length === 0) return <p className="muted notify-none">No dead letters for {target.name} since Lantern started.</p>;
  return (
    <table className="plain notify-dead">
      <caption>
        Last {letters.data.length} dead letters of {target.name}, newest first (the last 20 are kept)
      </caption>
      <thead>
        <tr>
          <th scope="col">Given up (UTC)</th>
          <th scope="col">Alert</th>
          <th scope="col">Event</th>
          <th scope="col">Attempts</th>
          <th scope="col">Error</th>
        </tr>
      </thead>
      <tbody>
        {letters.data.map((d, i) => (
          <tr key={`${d.at}-${d.alert}-${i}`}>
            <td className="settings-nowrap">{time(d.at)}</td>
            <td>
              <Link to={`/alerts/${encodeURIComponent(d.alert)}`}>{d.title}</Link>
            </td>
            <td className="mono">{d.event}</td>
            <td>{d.attempts}</td>
            <td className="notify-error">{d.error}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

interface Draft {
  name: string;
  kind: Target['kind'];
  enabled: boolean;
  minScore: string;
  minSeverity: SeverityName;
  url: string;
  secretMode: 'keep' | 'set' | 'remove';
  secret: string;
  host: string;
  transport: Transport;
  port: string;
  format: '5424' | 'cef';
  cefHeader: CefHeader;
  framing: Framing;
  facility: string;
  caFile: string;
  maxBytes: string;
}

type Problems = Partial<Record<'name' | 'minScore' | 'url' | 'secret' | 'host' | 'port' | 'caFile' | 'maxBytes', string>>;
const FIELD_ORDER: (keyof Problems)[] = ['name', 'url', 'secret', 'host', 'port', 'caFile', 'maxBytes', 'minScore'];

function draftOf(t: Target | null): Draft {
  return {
    name: t?.name ?? '',
    kind: t?.kind ?? 'webhook',
    enabled: t?.enabled ?? true,
    minScore: String(t?.min_score ?? 0),
    minSeverity: t?.min_severity ?? 'high',
    url: t?.url ?? '',
    secretMode: t?.secret_set ? 'keep' : 'set',
    secret: '',
    host: t?.host ?? '',
    transport: t?.transport ?? 'udp',
    port: t?.port !== undefined ? String(t.port) : '',
    format: t?.format === 'cef' ? 'cef' : '5424',
    cefHeader: t?.cef_header ?? '3164',
    framing: t?.framing ?? 'octet_counting',
    facility: String(t?.facility ?? 20),
    caFile: t?.ca_file ?? '',
    maxBytes: t?.max_bytes !== undefined ? String(t.max_bytes) : '',
  };
}

function check(d: Draft, taken: boolean, hasSecret: boolean): Problems {
  const p: Problems = {};
  const name = d.name.trim();
  if (name === '') p.name = 'Give the target a name, such as the system that receives.';
  else if (name.length > NAME_MAX) p.name = `At most ${NAME_MAX} characters.`;
  else if (taken) p.name = `A target named “${name}” exists already.`;
  const score = Number(d.minScore);
  if (d.minScore.trim() === '' || !Number.isFinite(score) || score < 0 || score > 100) p.minScore = 'A score from 0 to 100.';
  if (d.kind === 'webhook') {
    let u: URL | null;
    try {
      u = new URL(d.url.trim());
    } catch {
      u = null;
    }
    if (d.url.trim() === '') p.url = 'Enter the URL that receives the alerts.';
    else if (u === null || (u.protocol !== 'http:' && u.protocol !== 'https:')) p.url = 'An http:// or https:// URL.';
    else if (u.username !== '' || u.password !== '') p.url = 'No user name or password in the URL: use the signing secret.';
    else if (d.url.length > URL_MAX) p.url = `At most ${URL_MAX} characters.`;
    if (d.secretMode === 'set' && d.secret === '' && hasSecret) p.secret = 'Enter the new secret, or keep the current one.';
    else if (d.secretMode === 'set' && d.secret !== '' && (d.secret.length < SECRET_MIN || d.secret.length > SECRET_MAX)) p.secret = `${SECRET_MIN} to ${SECRET_MAX} characters (this one has ${d.secret.length}).`;
  } else {
    if (!HOST_RE.test(d.host.trim())) p.host = 'A host name or an IP address (no port, no spaces).';
    const port = Number(d.port);
    if (d.port.trim() !== '' && (!Number.isInteger(port) || port < 1 || port > 65_535)) p.port = 'A port from 1 to 65535, or empty for the default.';
    const max = Number(d.maxBytes);
    if (d.maxBytes.trim() !== '' && (!Number.isInteger(max) || max < MIN_BYTES || max > MAX_BYTES)) p.maxBytes = `From ${MIN_BYTES} to ${count(MAX_BYTES)} bytes, or empty for the default.`;
    if (d.transport === 'tls' && d.caFile.length > 4096) p.caFile = 'At most 4096 characters.';
  }
  return p;
}

function bodyOf(d: Draft): Record<string, unknown> {
  const common = { name: d.name.trim(), kind: d.kind, enabled: d.enabled, min_score: Number(d.minScore), min_severity: d.minSeverity };
  if (d.kind === 'webhook') {
    const secret = d.secretMode === 'remove' ? null : d.secretMode === 'set' && d.secret !== '' ? d.secret : undefined;
    // Absent keeps the stored secret (PATCH); null removes it.
    return { ...common, format: 'json', url: d.url.trim(), ...(secret !== undefined ? { secret } : {}) };
  }
  return {
    ...common,
    format: d.format,
    host: d.host.trim(),
    transport: d.transport,
    port: d.port.trim() === '' ? DEFAULT_PORT[d.transport] : Number(d.port),
    facility: Number(d.facility),
    cef_header: d.cefHeader,
    framing: d.framing,
    ca_file: d.transport === 'tls' && d.caFile.trim() !== '' ? d.caFile.trim() : null,
    max_bytes: d.maxBytes.trim() === '' ? DEFAULT_MAX_BYTES[d.transport] : Number(d.maxBytes),
  };
}

function TargetForm({ target, taken, onSaved, onCancel }: { target: Target | null; taken: (name: string, id: string | null) => boolean; onSaved: (t: Target, created: boolean) => void; onCancel: () => void }) {
  const [d, setD] = useState<Draft>(() => draftOf(target));
  const [problems, setProblems] = useState<Problems>({});
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<Message | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => {
    setD((old) => ({ ...old, [k]: v }));
    const field = k as keyof Problems;
    if (problems[field] !== undefined) setProblems((old) => ({ ...old, [field]: undefined }));
  };
  const idOf = (k: keyof Problems) => `notify-${k}`;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const p = check(d, taken(d.name.trim(), target?.id ?? null), target?.secret_set === true);
    setProblems(p);
    const first = FIELD_ORDER.find((k) => p[k] !== undefined);
    if (first !== undefined) {
      form.current?.querySelector<HTMLElement>(`#${idOf(first)}`)?.focus();
      return;
    }
    setSaving(true);
    setFailure(null);
    const req =
      target === null
        ? api<Target>('/api/notify/targets', { method: 'POST', body: bodyOf(d) })
        : api<Target>(`/api/notify/targets/${encodeURIComponent(target.id)}`, { method: 'PATCH', body: bodyOf(d) });
    req.then(
      (t) => {
        setSaving(false);
        onSaved(t, target === null);
      },
      (err: unknown) => {
        setSaving(false);
        setFailure({ ok: false, text: `Could not save: ${errorText(err)}` });
      },
    );
  };

  const title = target === null ? 'Add a notification target' : `Edit “${target.name}”`;
  const syslog = d.kind === 'syslog';
  return (
    <div className="notify-form">
      <h3 id="notify-form-title" ref={heading} tabIndex={-1} className="settings-focus-target">
        {title}
      </h3>
      <form ref={form} onSubmit={submit} aria-labelledby="notify-form-title" noValidate>
        <fieldset className="settings-fieldset" disabled={saving}>
          <legend>Target</legend>
          <div className="settings-form-grid">
            <Field id={idOf('name')} label="Name" hint="Shown in the list and the audit log." error={problems.name}>
              {(p) => <input {...p} type="text" value={d.name} maxLength={NAME_MAX} autoComplete="off" onChange={(e) => set('name', e.target.value)} />}
            </Field>
            <Field id="notify-kind" label="Kind" hint={syslog ? 'A SIEM or log collector, by syslog.' : 'An HTTP endpoint that receives JSON.'}>
              {(p) => (
                <select {...p} value={d.kind} onChange={(e) => set('kind', e.target.value as Target['kind'])}>
                  <option value="webhook">Webhook</option>
                  <option value="syslog">Syslog</option>
                </select>
              )}
            </Field>
            <div className="settings-field notify-check">
              <label className="settings-radio">
                <input type="checkbox" checked={d.enabled} onChange={(e) => set('enabled', e.target.checked)} />
                <span>Enabled: send alerts to this target</span>
              </label>
            </div>
          </div>
        </fieldset>

        {syslog ? (
          <fieldset className="settings-fieldset" disabled={saving}>
            <legend>Syslog receiver</legend>
            <div className="settings-form-grid">
              <Field id={idOf('host')} label="Host" hint="Name or IP address of the receiver." error={problems.host}>
                {(p) => <input {...p} type="text" value={d.host} maxLength={253} autoComplete="off" spellCheck={false} onChange={(e) => set('host', e.target.value)} />}
              </Field>
              <Field id="notify-transport" label="Transport" hint={d.transport === 'udp' ? 'One datagram per alert; nothing confirms it arrived.' : d.transport === 'tls' ? 'Encrypted (RFC 5425); the certificate is checked.' : 'A kept connection (RFC 6587).'}>
                {(p) => (
                  <select {...p} value={d.transport} onChange={(e) => set('transport', e.target.value as Transport)}>
                    {TRANSPORTS.map((t) => (
                      <option key={t} value={t}>
                        {TRANSPORT_LABEL[t]}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field id={idOf('port')} label="Port" hint={`Empty: ${DEFAULT_PORT[d.transport]}.`} error={problems.port}>
                {(p) => <input {...p} className="settings-number" type="number" inputMode="numeric" min={1} max={65535} placeholder={String(DEFAULT_PORT[d.transport])} value={d.port} onChange={(e) => set('port', e.target.value)} />}
              </Field>
              <Field id="notify-format" label="Format" hint={d.format === 'cef' ? 'ArcSight Common Event Format.' : 'Structured data with every alert field.'}>
                {(p) => (
                  <select {...p} value={d.format} onChange={(e) => set('format', e.target.value as Draft['format'])}>
                    <option value="5424">RFC 5424</option>
                    <option value="cef">CEF</option>
                  </select>
                )}
              </Field>
              {d.format === 'cef' ? (
                <Field id="notify-cef-header" label="CEF envelope" hint={CEF_HEADER_HINT[d.cefHeader]}>
                  {(p) => (
                    <select {...p} value={d.cefHeader} onChange={(e) => set('cefHeader', e.target.value as CefHeader)}>
                      {CEF_HEADERS.map((h) => (
                        <option key={h} value={h}>
                          {CEF_HEADER_LABEL[h]}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
              ) : null}
              <Field id="notify-facility" label="Facility" hint="local4 unless the receiver expects another.">
                {(p) => (
                  <select {...p} value={d.facility} onChange={(e) => set('facility', e.target.value)}>
                    {FACILITIES.map((f, i) => (
                      <option key={f} value={String(i)}>
                        {i} · {f}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              {d.transport !== 'udp' ? (
                <Field id="notify-framing" label="Framing" hint={FRAMING_HINT[d.framing]}>
                  {(p) => (
                    <select {...p} value={d.framing} onChange={(e) => set('framing', e.target.value as Framing)}>
                      {FRAMINGS.map((f) => (
                        <option key={f} value={f}>
                          {FRAMING_LABEL[f]}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
              ) : null}
              {d.transport === 'tls' ? (
                <Field id={idOf('caFile')} label="CA certificate file (optional)" hint="PEM file on the Lantern host. Empty: the system's CAs." error={problems.caFile}>
                  {(p) => <input {...p} type="text" value={d.caFile} autoComplete="off" spellCheck={false} placeholder="/etc/lantern/siem-ca.pem" onChange={(e) => set('caFile', e.target.value)} />}
                </Field>
              ) : null}
              <Field id={idOf('maxBytes')} label="Largest message (bytes)" hint={`Empty: ${count(DEFAULT_MAX_BYTES[d.transport])}. Longer messages are shortened.`} error={problems.maxBytes}>
                {(p) => (
                  <input {...p} className="settings-number" type="number" inputMode="numeric" min={MIN_BYTES} max={MAX_BYTES} placeholder={String(DEFAULT_MAX_BYTES[d.transport])} value={d.maxBytes} onChange={(e) => set('maxBytes', e.target.value)} />
                )}
              </Field>
            </div>
          </fieldset>
        ) : (
          <fieldset className="settings-fieldset" disabled={saving}>
            <legend>Webhook</legend>
            <div className="settings-form-grid notify-webhook-grid">
              <Field id={idOf('url')} label="URL" hint="Receives a POST with the alert as JSON." error={problems.url}>
                {(p) => <input {...p} type="url" value={d.url} maxLength={URL_MAX} autoComplete="off" spellCheck={false} placeholder="https://soc.example/hooks/lantern" onChange={(e) => set('url', e.target.value)} />}
              </Field>
              <SecretField draft={d} hasSecret={target?.secret_set === true} error={problems.secret} set={set} />
            </div>
          </fieldset>
        )}

        <fieldset className="settings-fieldset" disabled={saving}>
          <legend>Which alerts</legend>
          <div className="settings-form-grid">
            <Field id={idOf('minScore')} label="Minimum risk score" hint="0 to 100; 0 sends whatever the score." error={problems.minScore}>
              {(p) => <input {...p} className="settings-number" type="number" inputMode="numeric" min={0} max={100} value={d.minScore} onChange={(e) => set('minScore', e.target.value)} />}
            </Field>
            <Field
              id="notify-severity"
              label="Minimum severity"
              hint={
                <>
                  Alerts of <Severity level={d.minSeverity} /> {d.minSeverity === 'critical' ? 'only' : 'and above'}.
                </>
              }
            >
              {(p) => (
                <select {...p} value={d.minSeverity} onChange={(e) => set('minSeverity', e.target.value as SeverityName)}>
                  {[...SEVERITIES].reverse().map((s) => (
                    <option key={s} value={s}>
                      {s}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
        </fieldset>

        <div className="settings-buttons">
          <button type="submit" className="primary" disabled={saving}>
            {saving ? 'Saving…' : target === null ? 'Add target' : 'Save changes'}
          </button>
          <button type="button" disabled={saving} onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
      <LiveMessage message={failure} />
    </div>
  );
}

function SecretField({ draft, hasSecret, error, set }: { draft: Draft; hasSecret: boolean; error: string | undefined; set: <K extends keyof Draft>(k: K, v: Draft[K]) => void }) {
  const input = (
    <Field id="notify-secret" label={hasSecret ? 'New signing secret' : 'Signing secret (optional)'} hint={`${SECRET_MIN} to ${SECRET_MAX} characters. The receiver checks the X-Lantern-Signature header with it. It cannot be shown again.`} error={error}>
      {(p) => <input {...p} type="password" value={draft.secret} maxLength={SECRET_MAX} autoComplete="new-password" onChange={(e) => set('secret', e.target.value)} />}
    </Field>
  );
  if (!hasSecret) return input;
  return (
    <fieldset className="notify-secret">
      <legend>Signing secret: set</legend>
      <label className="settings-radio">
        <input type="radio" name="notify-secret-mode" checked={draft.secretMode === 'keep'} onChange={() => set('secretMode', 'keep')} />
        <span>Keep the current secret</span>
      </label>
      <label className="settings-radio">
        <input type="radio" name="notify-secret-mode" checked={draft.secretMode === 'set'} onChange={() => set('secretMode', 'set')} />
        <span>Replace it</span>
      </label>
      <label className="settings-radio">
        <input type="radio" name="notify-secret-mode" checked={draft.secretMode === 'remove'} onChange={() => set('secretMode', 'remove')} />
        <span>Remove it: send unsigned</span>
      </label>
      {draft.secretMode === 'set' ? input : null}
    </fieldset>
  );
}

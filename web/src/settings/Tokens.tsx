// API tokens: scripts call the API as their owner with `Authorization: Bearer lt_...`. Everyone creates their own
// (the secret is shown once: Lantern keeps only its SHA-256, the token's id) and revokes them; an admin sees and
// revokes everyone's.
import { useRef, useState, type FormEvent } from 'react';
import { api, can, ApiError } from '../api';
import { useApi, useSession } from '../ui/hooks';
import { Card, Empty, Show } from '../ui/states';
import { time } from '../ui/format';
import type { Account } from './Users';
import { ConfirmButton, Field, LiveMessage, errorText, useFocusLater, type Message } from './common';

export interface Token {
  id: string;
  name: string;
  user: string;
  created: number;
}

const NAME_MAX = 64;

/** `refresh` bumps after any change on the page (a disabled owner, say). */
export function Tokens({ onChange, refresh }: { onChange: () => void; refresh: number }) {
  const { user } = useSession();
  const admin = can(user, 'admin');
  const tokens = useApi<Token[]>('/api/tokens', refresh);
  // An admin sees everyone's tokens: those of a disabled account are listed but open nothing.
  const users = useApi<Account[]>(admin ? '/api/users' : null, refresh);
  const disabled = new Set((users.data ?? []).filter((u) => u.disabled).map((u) => u.name));
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<Message | null>(null);
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const nameInput = useRef<HTMLInputElement>(null);
  const focusLater = useFocusLater();

  const create = (e: FormEvent) => {
    e.preventDefault();
    const n = name.trim();
    const problem = n === '' ? 'Give the token a name, such as the script or host that will use it.' : n.length > NAME_MAX ? `At most ${NAME_MAX} characters.` : null;
    setNameError(problem);
    if (problem !== null) {
      nameInput.current?.focus();
      return;
    }
    setSaving(true);
    setMessage(null);
    setCreated(null);
    api<{ name: string; token: string }>('/api/tokens', { method: 'POST', body: { name: n } }).then(
      (r) => {
        setSaving(false);
        setName('');
        setCreated(r);
        setMessage({ ok: true, text: `Token “${r.name}” created. Copy it now: it is shown only once.` });
        focusLater('new-token-value');
        tokens.reload();
        onChange();
      },
      (err: unknown) => {
        setSaving(false);
        setMessage({ ok: false, text: `Could not create the token: ${errorText(err)}` });
      },
    );
  };

  const revoke = (t: Token) =>
    api(`/api/tokens/${encodeURIComponent(t.id)}`, { method: 'DELETE' }).then(
      () => {
        setMessage({ ok: true, text: `Token “${t.name}”${t.user !== user.name ? ` of ${t.user}` : ''} revoked: it no longer opens the API.` });
        focusLater('tokens-list');
        tokens.reload();
        onChange();
      },
      (err: unknown) => {
        // Already revoked elsewhere: the list is stale, so it is loaded again.
        if (err instanceof ApiError && err.status === 404) tokens.reload();
        setMessage({ ok: false, text: `Could not revoke “${t.name}”: ${errorText(err)}` });
      },
    );

  return (
    <Card title="API tokens" className="wide" id="settings-tokens">
      <p className="muted settings-lede">
        Scripts and other tools call the API with a token in the <code>Authorization: Bearer lt_…</code> header; a token acts as its owner, with the owner&apos;s role.
        {admin ? ' As an admin you see everyone’s tokens and can revoke any of them.' : ' You see your own tokens.'}
      </p>
      <form className="settings-inline-form" onSubmit={create} aria-label="Create an API token" noValidate>
        <Field id="token-name" label="New token name" hint="Tokens are created for you, with your role." error={nameError}>
          {(p) => (
            <input
              {...p}
              ref={nameInput}
              type="text"
              value={name}
              maxLength={NAME_MAX}
              autoComplete="off"
              placeholder="e.g. siem-export"
              onChange={(e) => {
                setName(e.target.value);
                if (nameError !== null) setNameError(null);
              }}
            />
          )}
        </Field>
        <button type="submit" className="primary" disabled={saving}>
          {saving ? 'Creating…' : 'Create token'}
        </button>
      </form>
      <LiveMessage message={message} />
      {created !== null ? <NewToken created={created} onDone={() => { setCreated(null); focusLater('token-name'); }} /> : null}
      <div id="tokens-list" tabIndex={-1} className="settings-focus-target">
        <Show state={tokens} what="tokens">
          {(list) =>
            list.length === 0 ? (
              <Empty>No API tokens yet. Create one above for each script or tool, so that each can be revoked alone.</Empty>
            ) : (
              <table className="plain settings-table">
                <caption className="visually-hidden">API tokens{admin ? ' of every user' : ''}</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    {admin ? <th scope="col">Owner</th> : null}
                    <th scope="col">Created (UTC)</th>
                    <th scope="col">Fingerprint</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((t) => (
                    <tr key={t.id}>
                      <td>{t.name}</td>
                      {admin ? (
                        <td>
                          {t.user}
                          {t.user === user.name ? <span className="muted"> (you)</span> : null}
                          {disabled.has(t.user) ? <span className="muted"> (disabled: the token opens nothing)</span> : null}
                        </td>
                      ) : null}
                      <td className="settings-nowrap">{time(t.created)}</td>
                      <td>
                        <span className="mono muted" title="The first characters of the SHA-256 of the secret: it tells tokens apart, it reveals nothing of the secret">
                          {t.id.slice(0, 12)}
                        </span>
                      </td>
                      <td className="settings-actions">
                        <ConfirmButton
                          label="Revoke"
                          accessibleLabel={`Revoke token ${t.name}${admin ? ` of ${t.user}` : ''}`}
                          question={
                            <>
                              Revoke <strong>{t.name}</strong>
                              {t.user !== user.name ? ` of ${t.user}` : ''}? Scripts using it stop working at once.
                            </>
                          }
                          confirmLabel="Revoke token"
                          onConfirm={() => revoke(t)}
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          }
        </Show>
      </div>
    </Card>
  );
}

/** The new token's secret, once: a read-only field, a Copy button, and a plain warning. */
function NewToken({ created, onDone }: { created: { name: string; token: string }; onDone: () => void }) {
  const field = useRef<HTMLInputElement>(null);
  const [copy, setCopy] = useState<Message | null>(null);
  const doCopy = () => {
    const fallback = () => {
      // Without the Clipboard API (plain HTTP on another host): the text is selected for Ctrl+C.
      field.current?.focus();
      field.current?.select();
      setCopy({ ok: false, text: 'The browser did not allow copying: the token is selected, press Ctrl+C (⌘C) to copy it.' });
    };
    if (navigator.clipboard?.writeText === undefined) return fallback();
    navigator.clipboard.writeText(created.token).then(() => setCopy({ ok: true, text: 'Copied to the clipboard.' }), fallback);
  };
  return (
    <div className="settings-new-token" role="group" aria-labelledby="new-token-title">
      <h3 id="new-token-title">New token “{created.name}”</h3>
      <p id="new-token-warning">
        <strong>Shown once.</strong> Copy it now and keep it somewhere safe: Lantern stores only a fingerprint, so it cannot show this token again. If it is lost, revoke it and
        create another.
      </p>
      <div className="settings-inline-form">
        <div className="settings-field settings-grow">
          <label htmlFor="new-token-value">Token (read-only)</label>
          <input ref={field} id="new-token-value" className="mono" type="text" readOnly value={created.token} aria-describedby="new-token-warning" onFocus={(e) => e.currentTarget.select()} />
        </div>
        <button type="button" className="primary" onClick={doCopy}>
          Copy
        </button>
        <button type="button" onClick={onDone}>
          I have copied it: hide
        </button>
      </div>
      <LiveMessage message={copy} />
    </div>
  );
}

// Users (admins only): the accounts, their role, disabling one (which ends its sessions at once and stops its API
// tokens), and creating accounts. An admin cannot change their own account (the API answers 409): another admin does.
import { useRef, useState, type FormEvent } from 'react';
import { api, can, type User } from '../api';
import { useApi, useSession } from '../ui/hooks';
import { Card, Empty, Show } from '../ui/states';
import { time } from '../ui/format';
import { ConfirmButton, Field, LiveMessage, errorText, isForbidden, useFocusLater, type Message } from './common';

export interface Account {
  name: string;
  role: User['role'];
  created: number;
  disabled: boolean;
}

const ROLES: User['role'][] = ['viewer', 'analyst', 'admin'];
export const ROLE_HELP: Record<User['role'], string> = {
  viewer: 'Reads the inventory, events and alerts.',
  analyst: 'Reads, uploads captures and works alerts.',
  admin: 'Does what an analyst does, and manages users, API tokens and retention, and reads the audit log.',
};
/** The API's rules (src/server/app.ts POST /api/users). */
const NAME_RE = /^[A-Za-z0-9_.@-]{1,64}$/;
const PASSWORD_MIN = 12;
const PASSWORD_MAX = 1024;

export function Users({ onChange }: { onChange: () => void }) {
  const { user } = useSession();
  const admin = can(user, 'admin');
  const users = useApi<Account[]>(admin ? '/api/users' : null);
  const [message, setMessage] = useState<Message | null>(null);
  const focusLater = useFocusLater();

  if (!admin || isForbidden(users.error)) {
    return (
      <Card title="Users" className="wide" id="settings-users">
        <p className="muted">Only admins manage users: ask one for another role or a new account.</p>
      </Card>
    );
  }

  const patch = (u: Account, body: { role?: User['role']; disabled?: boolean }, done: string, focus: string) =>
    api<Account>(`/api/users/${encodeURIComponent(u.name)}`, { method: 'PATCH', body }).then(
      () => {
        setMessage({ ok: true, text: done });
        focusLater(focus);
        users.reload();
        onChange();
      },
      (err: unknown) => setMessage({ ok: false, text: `Could not change ${u.name}: ${errorText(err)}` }),
    );

  return (
    <Card title="Users" className="wide" id="settings-users">
      <p className="muted settings-lede">
        A viewer reads; an analyst also uploads captures and works alerts; an admin also manages users, everyone&apos;s API tokens and retention, and reads the audit log. Disabling an account ends its sessions at once and stops its API tokens. You cannot change your own account:
        another admin does.
      </p>
      <LiveMessage message={message} />
      <Show state={users} what="users">
        {(list) =>
          list.length === 0 ? (
            <Empty>No users.</Empty>
          ) : (
            <table className="plain settings-table">
              <caption className="visually-hidden">Users</caption>
              <thead>
                <tr>
                  <th scope="col">User</th>
                  <th scope="col">Role</th>
                  <th scope="col">Status</th>
                  <th scope="col">Created (UTC)</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((u) => (
                  <UserRow key={u.name} u={u} self={u.name === user.name} patch={patch} />
                ))}
              </tbody>
            </table>
          )
        }
      </Show>
      <CreateUser
        taken={(name) => (users.data ?? []).some((u) => u.name === name)}
        onCreated={() => {
          users.reload();
          onChange();
        }}
      />
    </Card>
  );
}

function UserRow({ u, self, patch }: { u: Account; self: boolean; patch: (u: Account, body: { role?: User['role']; disabled?: boolean }, done: string, focus: string) => Promise<void> }) {
  const [role, setRole] = useState<User['role']>(u.role);
  // The row stays (focus stays in it) when the list reloads: a new role from the server resets the choice.
  const [serverRole, setServerRole] = useState(u.role);
  if (serverRole !== u.role) {
    setServerRole(u.role);
    setRole(u.role);
  }
  const [saving, setSaving] = useState(false);
  const slug = u.name.replace(/[^A-Za-z0-9_-]/g, '_');
  const applyRole = () => {
    setSaving(true);
    void patch(u, { role }, `${u.name} is now ${role}.`, `role-${slug}`).finally(() => setSaving(false));
  };
  return (
    <tr className={u.disabled ? 'settings-disabled-row' : undefined}>
      <th scope="row" className="settings-user-name">
        {u.name}
        {self ? <span className="muted"> (you)</span> : null}
      </th>
      <td>
        {self ? (
          <span className="badge">{u.role}</span>
        ) : (
          <span className="settings-role">
            <label htmlFor={`role-${slug}`} className="visually-hidden">
              Role of {u.name}
            </label>
            <select id={`role-${slug}`} value={role} disabled={saving} onChange={(e) => setRole(e.target.value as User['role'])}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
            {role !== u.role ? (
              <>
                <button type="button" className="primary" disabled={saving} onClick={applyRole} aria-label={`Apply: make ${u.name} ${role}`}>
                  {saving ? 'Saving…' : 'Apply'}
                </button>
                <button type="button" disabled={saving} onClick={() => setRole(u.role)} aria-label={`Undo: keep ${u.name} ${u.role}`}>
                  Undo
                </button>
              </>
            ) : null}
          </span>
        )}
      </td>
      <td>{u.disabled ? <span className="badge settings-badge-off">disabled</span> : <span className="badge settings-badge-on">active</span>}</td>
      <td className="settings-nowrap">{time(u.created)}</td>
      <td className="settings-actions">
        {self ? (
          <span className="muted">Your account</span>
        ) : u.disabled ? (
          <button
            id={`enable-${slug}`}
            type="button"
            disabled={saving}
            aria-label={`Enable ${u.name}`}
            onClick={() => {
              setSaving(true);
              void patch(u, { disabled: false }, `${u.name} is enabled again: they can log in, and their API tokens work again.`, `disable-${slug}`).finally(() => setSaving(false));
            }}
          >
            Enable
          </button>
        ) : (
          <ConfirmButton
            id={`disable-${slug}`}
            label="Disable"
            accessibleLabel={`Disable ${u.name}`}
            disabled={saving}
            question={
              <>
                Disable <strong>{u.name}</strong>? Their sessions end now and their API tokens stop working.
              </>
            }
            confirmLabel="Disable account"
            onConfirm={() => patch(u, { disabled: true }, `${u.name} is disabled: their sessions ended and their API tokens no longer work.`, `enable-${slug}`)}
          />
        )}
      </td>
    </tr>
  );
}

function CreateUser({ taken, onCreated }: { taken: (name: string) => boolean; onCreated: (u: { name: string; role: User['role'] }) => void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<User['role']>('viewer');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<Partial<Record<'name' | 'password' | 'repeat', string>>>({});
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<Message | null>(null);
  const form = useRef<HTMLFormElement>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problems: typeof errors = {};
    if (name === '') problems.name = 'Enter a user name.';
    else if (!NAME_RE.test(name)) problems.name = 'Use 1 to 64 letters, digits, and . _ @ - only (no spaces).';
    else if (taken(name)) problems.name = `${name} exists already.`;
    if (password.length < PASSWORD_MIN) problems.password = `At least ${PASSWORD_MIN} characters (this one has ${password.length}).`;
    else if (password.length > PASSWORD_MAX) problems.password = `At most ${PASSWORD_MAX} characters.`;
    if (repeat !== password) problems.repeat = 'The two passwords differ.';
    setErrors(problems);
    const first = (['name', 'password', 'repeat'] as const).find((k) => problems[k] !== undefined);
    if (first !== undefined) {
      form.current?.querySelector<HTMLInputElement>(`#new-user-${first}`)?.focus();
      return;
    }
    setSaving(true);
    setMessage(null);
    api<{ name: string; role: User['role'] }>('/api/users', { method: 'POST', body: { name, role, password } }).then(
      (u) => {
        setSaving(false);
        setName('');
        setRole('viewer');
        setPassword('');
        setRepeat('');
        setMessage({ ok: true, text: `User ${u.name} created (${u.role}). Give them the password by a safe channel.` });
        onCreated(u);
      },
      (err: unknown) => {
        setSaving(false);
        setMessage({ ok: false, text: `Could not create ${name}: ${errorText(err)}` });
      },
    );
  };
  const clear = (k: keyof typeof errors) => {
    if (errors[k] !== undefined) setErrors((old) => ({ ...old, [k]: undefined }));
  };

  return (
    <>
      <h3 id="new-user-title">Add a user</h3>
      <form ref={form} className="settings-form-grid" onSubmit={submit} aria-labelledby="new-user-title" noValidate>
        <Field id="new-user-name" label="User name" hint="Letters, digits, . _ @ -" error={errors.name}>
          {(p) => (
            <input
              {...p}
              type="text"
              value={name}
              maxLength={64}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => {
                setName(e.target.value);
                clear('name');
              }}
            />
          )}
        </Field>
        <Field id="new-user-role" label="Role" hint={ROLE_HELP[role]}>
          {(p) => (
            <select {...p} value={role} onChange={(e) => setRole(e.target.value as User['role'])}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="new-user-password" label="Password" hint={`At least ${PASSWORD_MIN} characters.`} error={errors.password}>
          {(p) => (
            <input
              {...p}
              type="password"
              value={password}
              autoComplete="new-password"
              onChange={(e) => {
                setPassword(e.target.value);
                clear('password');
              }}
            />
          )}
        </Field>
        <Field id="new-user-repeat" label="Repeat the password" error={errors.repeat}>
          {(p) => (
            <input
              {...p}
              type="password"
              value={repeat}
              autoComplete="new-password"
              onChange={(e) => {
                setRepeat(e.target.value);
                clear('repeat');
              }}
            />
          )}
        </Field>
        <div className="settings-form-submit">
          <button type="submit" className="primary" disabled={saving}>
            {saving ? 'Adding…' : 'Add user'}
          </button>
        </div>
      </form>
      <LiveMessage message={message} />
    </>
  );
}

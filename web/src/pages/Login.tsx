// The login page: the only page without a session. A first start prints the admin's password on the terminal.
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, login, type User } from '../api';

export function Login({ onLogin }: { onLogin: (u: User) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    document.title = 'Log in · Lantern';
  }, []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    login(username, password).then(onLogin, (err: Error) => {
      setBusy(false);
      if (err instanceof ApiError && err.code === 'auth.invalid_credentials') setError('Wrong user name or password.');
      else if (err instanceof ApiError && err.code === 'auth.rate_limited') setError('Too many attempts: wait a minute and try again.');
      else setError(err.message);
    });
  };
  return (
    <main id="main" className="center">
      <form className="login" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">Lantern</h1>
        <p className="muted">ICS network security monitor. Log in to continue.</p>
        <label>
          User name
          <input name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} autoFocus />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <div role="alert" className={error ? 'state error' : undefined}>
          {error}
        </div>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
        <p className="muted">First start: the admin's password was printed once on the terminal that started Lantern.</p>
      </form>
    </main>
  );
}

// Loading, empty and error states: every list and panel says what is happening, never a blank.
import type { ReactNode } from 'react';
import { ApiError } from '../api';

export function Loading({ what }: { what: string }) {
  return (
    <p className="state" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state empty">{children}</div>;
}

export function ErrorBox({ error, retry }: { error: Error; retry?: () => void }) {
  const code = error instanceof ApiError ? error.code : null;
  return (
    <div className="state error" role="alert">
      <p>
        <strong>Could not load this.</strong> {error.message}
        {code !== null && code !== 'network' ? <span className="muted"> ({code})</span> : null}
      </p>
      {retry ? (
        <button type="button" onClick={retry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

/** Renders `children(data)` once loaded; the loading and error states otherwise. */
export function Show<T>({ state, what, children }: { state: { data: T | null; error: Error | null; reload: () => void }; what: string; children: (data: T) => ReactNode }) {
  if (state.error !== null) return <ErrorBox error={state.error} retry={state.reload} />;
  if (state.data === null) return <Loading what={what} />;
  return <>{children(state.data)}</>;
}

export function Severity({ level }: { level: string }) {
  return <span className={`badge sev-${level}`}>{level}</span>;
}

export function Card({ title, children, className, id }: { title: string; children: ReactNode; className?: string; id?: string }) {
  const h = id ?? `card-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <section className={`card ${className ?? ''}`} aria-labelledby={h}>
      <h2 id={h}>{title}</h2>
      {children}
    </section>
  );
}

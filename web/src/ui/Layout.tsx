// The console's frame: a skip link, the navigation, the sensor's live status, the user, and the page.
import { useEffect, useRef, type ReactNode } from 'react';
import { NavLink, useLocation } from 'react-router';
import { useSession } from './hooks';
import { count } from './format';

const NAV = [
  { to: '/', label: 'Dashboard', end: true },
  { to: '/triage', label: 'Triage' },
  { to: '/alerts', label: 'Alerts' },
  { to: '/assets', label: 'Assets' },
  { to: '/map', label: 'Map' },
  { to: '/events', label: 'Events' },
  { to: '/captures', label: 'Captures' },
  { to: '/reports', label: 'Reports' },
  { to: '/settings', label: 'Settings' },
];

export function Layout({ children }: { children: ReactNode }) {
  const { user, stream, onLogout } = useSession();
  const main = useRef<HTMLElement>(null);
  const location = useLocation();
  // A new page moves focus to its content, as a page load would, so keyboard and screen-reader users start there.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus({ preventScroll: true });
  }, [location.pathname]);

  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand" aria-label="Lantern">
          <span aria-hidden="true">◆</span> Lantern
        </span>
        <nav aria-label="Main">
          <ul>
            {NAV.map((n) => (
              <li key={n.to}>
                <NavLink to={n.to} end={n.end}>
                  {n.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="status" role="status" aria-live="polite">
          <span className={`dot ${stream.connected ? 'on' : 'off'}`} aria-hidden="true" />
          {stream.connected ? (stream.last ? `Live · ${count(stream.last.frames)} frames` : 'Live') : 'Offline'}
        </div>
        <div className="user">
          <span>
            {user.name} <span className="muted">({user.role})</span>
          </span>
          <button type="button" onClick={onLogout}>
            Log out
          </button>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

/** A page's title (also the document's) and optional actions. */
export function PageTitle({ title, children }: { title: string; children?: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · Lantern`;
  }, [title]);
  return (
    <div className="page-title">
      <h1>{title}</h1>
      {children ? <div className="actions">{children}</div> : null}
    </div>
  );
}

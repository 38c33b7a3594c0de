// Data hooks: one request (`useApi`), a server-paged list loaded as it scrolls (`usePaged`), and the sensor's
// WebSocket stream (`useStream`), shared by every page.
import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import { api, type Page, type User } from '../api';

export interface Loaded<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
  reload: () => void;
}

/** GETs `path` (null: nothing yet); again when `path` or `refresh` changes or `reload()` is called. */
export function useApi<T>(path: string | null, refresh = 0): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: Error | null; loading: boolean }>({ data: null, error: null, loading: path !== null });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (path === null) return;
    const ctl = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    api<T>(path, { signal: ctl.signal }).then(
      (data) => setState({ data, error: null, loading: false }),
      (error: Error) => {
        if (!ctl.signal.aborted) setState({ data: null, error, loading: false });
      },
    );
    return () => ctl.abort();
  }, [path, tick, refresh]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

export interface Paged<T> {
  items: T[];
  error: Error | null;
  loading: boolean;
  /** More pages on the server. */
  more: boolean;
  loadMore: () => void;
  reload: () => void;
}

/** A keyset-paged list (`{items, next}`): the first page now, the following ones on `loadMore()`. */
export function usePaged<T>(path: string, limit = 100): Paged<T> {
  const [items, setItems] = useState<T[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const busy = useRef(false);
  const generation = useRef(0);

  const fetchPage = useCallback(
    (cursor: string | null, gen: number) => {
      busy.current = true;
      setLoading(true);
      const sep = path.includes('?') ? '&' : '?';
      const url = `${path}${sep}limit=${limit}${cursor !== null ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      api<Page<T>>(url).then(
        (p) => {
          if (gen !== generation.current) return;
          setItems((old) => (cursor === null ? p.items : [...old, ...p.items]));
          setNext(p.next);
          setMore(p.next !== null);
          setError(null);
          setLoading(false);
          busy.current = false;
        },
        (err: Error) => {
          if (gen !== generation.current) return;
          setError(err);
          setLoading(false);
          busy.current = false;
        },
      );
    },
    [path, limit],
  );

  useEffect(() => {
    const gen = ++generation.current;
    setItems([]);
    setNext(null);
    setMore(false);
    fetchPage(null, gen);
  }, [fetchPage, tick]);

  const loadMore = useCallback(() => {
    if (!busy.current && next !== null) fetchPage(next, generation.current);
  }, [fetchPage, next]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { items, error, loading, more, loadMore, reload };
}

export interface StreamUpdate {
  type: 'update';
  ts: number;
  frames: number;
  anomalies: number;
  assets: number;
  connections: number;
  new_assets: string[];
  more_assets: number;
}

export interface StreamState {
  connected: boolean;
  last: StreamUpdate | null;
  /** Increments with every update: pages reload their data on it. */
  version: number;
}

/** The sensor's WebSocket stream; reconnects with backoff. */
export function useStream(enabled: boolean): StreamState {
  const [state, setState] = useState<StreamState>({ connected: false, last: null, version: 0 });
  useEffect(() => {
    if (!enabled) return;
    let ws: WebSocket | null = null;
    let stopped = false;
    let delay = 1000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const open = () => {
      ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/stream`);
      ws.onopen = () => {
        delay = 1000;
        setState((s) => ({ ...s, connected: true }));
      };
      ws.onmessage = (m) => {
        try {
          const msg = JSON.parse(String(m.data)) as { type: string };
          if (msg.type === 'update') setState((s) => ({ connected: true, last: msg as StreamUpdate, version: s.version + 1 }));
        } catch {
          // A message that is not JSON is ignored.
        }
      };
      ws.onclose = () => {
        setState((s) => ({ ...s, connected: false }));
        if (!stopped) timer = setTimeout(open, (delay = Math.min(delay * 2, 30_000)));
      };
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(timer);
      ws?.close();
    };
  }, [enabled]);
  return state;
}

export interface Session {
  user: User;
  stream: StreamState;
  onLogout: () => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (s === null) throw new Error('useSession outside the logged-in console');
  return s;
}

/** `value`, but only after it stopped changing for `ms` (search boxes). */
export function useDebounced<T>(value: T, ms = 300): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/** Bumps when the stream reports a store write (settled for 2 s): pages reload their figures on it. */
export function useRefresh(): number {
  const { stream } = useSession();
  const [v, setV] = useState(0);
  useEffect(() => {
    if (stream.version === 0) return;
    const t = setTimeout(() => setV(stream.version), 2000);
    return () => clearTimeout(t);
  }, [stream.version]);
  return v;
}

/**
 * Scrolls to the element the URL's #fragment names, for links from other pages (/settings#settings-suppressions):
 * the router does not, and the sections above it grow as their data arrives, so it scrolls again once they settle.
 */
export function useHashScroll(hash: string): void {
  useEffect(() => {
    const id = decodeURIComponent(hash.replace(/^#/, ''));
    if (id === '') return;
    const go = () => document.getElementById(id)?.scrollIntoView({ block: 'start' });
    const first = requestAnimationFrame(go);
    const settled = setTimeout(go, 600);
    return () => {
      cancelAnimationFrame(first);
      clearTimeout(settled);
    };
  }, [hash]);
}

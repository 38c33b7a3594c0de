// A virtualised, keyboard-usable table over a server-paged list: only the visible rows are in the page (50,000 assets
// scroll as fast as 50), the next page loads as the end comes into view, arrows/Page/Home/End move between rows and
// Enter opens one.
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';

export interface Column<T> {
  header: string;
  /** A CSS grid track: `8rem`, `2fr`, `minmax(6rem, 1fr)`. */
  width: string;
  render: (row: T) => ReactNode;
  /** Right-aligned (numbers). */
  numeric?: boolean;
}

const ROW_HEIGHT = 36;

export function DataTable<T>(props: {
  label: string;
  rows: T[];
  columns: Column<T>[];
  rowKey: (row: T) => string;
  onActivate?: (row: T) => void;
  /** More rows on the server: shown as a loading row that fetches them when it scrolls into view. */
  more?: boolean;
  loadMore?: () => void;
  /** Rows known to exist (the count), for screen readers. */
  total?: number;
  height?: string;
}) {
  const { rows, columns, more = false, loadMore } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const focusPending = useRef(false);
  const virtual = useVirtualizer({ count: rows.length + (more ? 1 : 0), getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtual.getVirtualItems();
  const template = columns.map((c) => c.width).join(' ');

  const lastIndex = items.length > 0 ? items[items.length - 1].index : -1;
  useEffect(() => {
    if (more && lastIndex >= rows.length - 1 && loadMore) loadMore();
  }, [more, lastIndex, rows.length, loadMore]);

  useEffect(() => {
    if (active >= rows.length && rows.length > 0) setActive(rows.length - 1);
  }, [rows.length, active]);

  useEffect(() => {
    if (!focusPending.current) return;
    const el = scroller.current?.querySelector<HTMLElement>(`[data-index="${active}"]`);
    if (el) {
      el.focus({ preventScroll: true });
      focusPending.current = false;
    }
  });

  const move = (to: number) => {
    const i = Math.max(0, Math.min(rows.length - 1, to));
    setActive(i);
    focusPending.current = true;
    virtual.scrollToIndex(i, { align: 'auto' });
  };

  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 360) / ROW_HEIGHT) - 1);
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(active + 1),
      ArrowUp: () => move(active - 1),
      PageDown: () => move(active + page),
      PageUp: () => move(active - page),
      Home: () => move(0),
      End: () => move(rows.length - 1),
      Enter: () => {
        if (rows[active] !== undefined) props.onActivate?.(rows[active]);
      },
    };
    const k = keys[e.key];
    if (k !== undefined && rows.length > 0) {
      e.preventDefault();
      k();
    }
  };

  return (
    <div className="table" role="grid" aria-label={props.label} aria-rowcount={(props.total ?? rows.length) + 1} onKeyDown={onKey}>
      <div className="thead" role="rowgroup">
        <div className="tr" role="row" aria-rowindex={1} style={{ gridTemplateColumns: template }}>
          {columns.map((c) => (
            <div key={c.header} role="columnheader" className={c.numeric ? 'num' : undefined}>
              {c.header}
            </div>
          ))}
        </div>
      </div>
      <div className="tbody" role="rowgroup" ref={scroller} style={{ height: props.height ?? 'calc(100vh - 17rem)' }}>
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {items.map((v) => {
            const row = rows[v.index];
            const style = { transform: `translateY(${v.start}px)`, gridTemplateColumns: template, height: ROW_HEIGHT };
            if (row === undefined) {
              return (
                <div key="more" className="tr loading-row" role="row" aria-rowindex={v.index + 2} style={style} data-index={v.index}>
                  <div role="gridcell">Loading more…</div>
                </div>
              );
            }
            return (
              <div
                key={props.rowKey(row)}
                className={`tr${props.onActivate ? ' clickable' : ''}`}
                role="row"
                aria-rowindex={v.index + 2}
                tabIndex={v.index === active ? 0 : -1}
                data-index={v.index}
                style={style}
                onClick={() => {
                  setActive(v.index);
                  props.onActivate?.(row);
                }}
              >
                {columns.map((c) => (
                  <div key={c.header} role="gridcell" className={c.numeric ? 'num' : undefined}>
                    {c.render(row)}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

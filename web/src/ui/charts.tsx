// Small SVG charts (stacked bars over time, horizontal bars) with a table for screen readers: a charting library
// would outweigh the two shapes the console draws.
import type { ReactNode } from 'react';
import { time } from './format';

const PALETTE = ['#f5b342', '#8cc8ff', '#7fd1ae', '#ff9f43', '#c3a6ff', '#ff6b6b', '#f7d35c', '#5fd4e8', '#ffa6d5', '#b5e36b', '#d9b38c', '#a5b3c2'];

/** A stable colour per series name. */
export function colourOf(names: string[]): Map<string, string> {
  return new Map([...names].sort().map((n, i) => [n, PALETTE[i % PALETTE.length]]));
}

export function StackedBars({ bins, bucketSeconds, label }: { bins: { t: number; protocol: string; n: number }[]; bucketSeconds: number; label: string }) {
  const series = [...new Set(bins.map((b) => b.protocol))].sort();
  const colours = colourOf(series);
  const times = [...new Set(bins.map((b) => b.t))].sort((a, b) => a - b);
  const byTime = new Map<number, Map<string, number>>();
  for (const b of bins) {
    let m = byTime.get(b.t);
    if (!m) byTime.set(b.t, (m = new Map()));
    m.set(b.protocol, b.n);
  }
  const first = times[0] ?? 0;
  const last = times[times.length - 1] ?? 0;
  const slots = Math.max(1, Math.round((last - first) / bucketSeconds) + 1);
  const totals = times.map((t) => [...(byTime.get(t)?.values() ?? [])].reduce((a, b) => a + b, 0));
  const max = Math.max(1, ...totals);
  const W = 1000;
  const H = 180;
  const bw = W / slots;
  return (
    <figure className="chart">
      <svg className="bars" viewBox={`0 0 ${W} ${H + 20}`} preserveAspectRatio="none" role="img" aria-label={`${label}: ${times.length} intervals of ${bucketSeconds} s, peak ${max} events`}>
        <line x1="0" x2={W} y1={H} y2={H} stroke="#2c3a4a" />
        {times.map((t) => {
          const x = ((t - first) / bucketSeconds) * bw;
          let y = H;
          return (
            <g key={t}>
              {series.map((s) => {
                const n = byTime.get(t)?.get(s) ?? 0;
                if (n === 0) return null;
                const h = (n / max) * (H - 4);
                y -= h;
                return (
                  <rect key={s} x={x + bw * 0.1} width={Math.max(1, bw * 0.8)} y={y} height={h} fill={colours.get(s)}>
                    <title>{`${time(t)}: ${s} ${n}`}</title>
                  </rect>
                );
              })}
            </g>
          );
        })}
      </svg>
      <figcaption className="muted">
        {time(first)} → {time(last + bucketSeconds)} UTC · one bar per {bucketSeconds >= 3600 ? `${bucketSeconds / 3600} h` : bucketSeconds >= 60 ? `${bucketSeconds / 60} min` : `${bucketSeconds} s`} · peak {max.toLocaleString('en-US')}
      </figcaption>
      <ul className="legend" aria-label="Protocols">
        {series.map((s) => (
          <li key={s}>
            <span className="swatch" style={{ background: colours.get(s) }} aria-hidden="true" />
            {s} {bins.filter((b) => b.protocol === s).reduce((a, b) => a + b.n, 0).toLocaleString('en-US')}
          </li>
        ))}
      </ul>
    </figure>
  );
}

/** Labelled horizontal bars: a value per row, with its number. */
export function HBars({ rows, label }: { rows: { key: string; label: ReactNode; n: number; className?: string }[]; label: string }) {
  const max = Math.max(1, ...rows.map((r) => r.n));
  return (
    <table className="plain hbars" aria-label={label}>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">{r.label}</th>
            <td className="bar-cell">
              <div className="meter" aria-hidden="true">
                <span className={r.className} style={{ width: `${(r.n / max) * 100}%` }} />
              </div>
            </td>
            <td className="num">{r.n.toLocaleString('en-US')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

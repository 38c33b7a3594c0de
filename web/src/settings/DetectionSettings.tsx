// The detections: each one's kind, techniques and default severity, with the analyst's switch (off: it raises
// nothing) and severity override (PUT /api/detections/:id/override); running engines take a change at once.
import { useState } from 'react';
import { api, can, SEVERITIES, type DetectionEntry, type DetectionOverrides } from '../api';
import { useApi, useSession } from '../ui/hooks';
import { Card, Empty, Show } from '../ui/states';
import { LiveMessage, errorText, type Message } from './common';
import '../triage/triage.css';

export function DetectionSettings({ onChange }: { onChange: () => void }) {
  const { user } = useSession();
  const analyst = can(user, 'analyst');
  const catalog = useApi<{ items: DetectionEntry[] }>('/api/detections');
  const overrides = useApi<DetectionOverrides>('/api/detections/overrides');
  const [message, setMessage] = useState<Message | null>(null);
  const [text, setText] = useState('');

  const put = (d: DetectionEntry, body: { enabled?: boolean; severity?: string | null }, what: string) =>
    api(`/api/detections/${encodeURIComponent(d.id)}/override`, { method: 'PUT', body }).then(
      () => {
        setMessage({ ok: true, text: `${d.title}: ${what}.` });
        overrides.reload();
        onChange();
      },
      (err: unknown) => setMessage({ ok: false, text: `Could not change ${d.title}: ${errorText(err)}` }),
    );

  const needle = text.trim().toLowerCase();
  return (
    <Card title="Detections" className="wide" id="settings-detections">
      <p className="muted settings-lede">
        Switch a detection off where it only makes noise, or change the severity its alerts get (and so their risk score). Changes apply to new findings at once.
      </p>
      <div className="filters">
        <label>
          Find a detection
          <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="title, id or technique" />
        </label>
      </div>
      <LiveMessage message={message} />
      <Show state={catalog} what="detections">
        {(c) => {
          const o = overrides.data ?? {};
          const rows = c.items.filter(
            (d) => needle === '' || d.title.toLowerCase().includes(needle) || d.id.toLowerCase().includes(needle) || d.techniques.some((t) => `${t.id} ${t.name}`.toLowerCase().includes(needle)),
          );
          if (rows.length === 0) return <Empty>No detection matches “{text}”.</Empty>;
          return (
            <div className="settings-scroll">
              <table className="plain settings-table">
                <caption className="visually-hidden">Detections with their switches and severity overrides</caption>
                <thead>
                  <tr>
                    <th scope="col">Detection</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Techniques</th>
                    <th scope="col">On</th>
                    <th scope="col">Severity</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((d) => {
                    const enabled = o[d.id]?.enabled !== false;
                    const severity = o[d.id]?.severity ?? '';
                    return (
                      <tr key={d.id} className={enabled ? undefined : 'settings-disabled-row'}>
                        <th scope="row">
                          {d.title}
                          <div className="mono muted">{d.id}</div>
                        </th>
                        <td>{d.kind}</td>
                        <td>{d.techniques.length === 0 ? <span className="muted">—</span> : d.techniques.map((t) => `${t.id} ${t.name}`).join(', ')}</td>
                        <td>
                          <label className="switch">
                            <input
                              type="checkbox"
                              role="switch"
                              checked={enabled}
                              disabled={!analyst}
                              aria-label={`${d.title} on`}
                              onChange={(e) => void put(d, { enabled: e.target.checked }, e.target.checked ? 'switched on' : 'switched off')}
                            />
                            {enabled ? 'On' : 'Off'}
                          </label>
                        </td>
                        <td>
                          <select
                            aria-label={`Severity of ${d.title}`}
                            value={severity}
                            disabled={!analyst}
                            onChange={(e) => void put(d, { severity: e.target.value === '' ? null : e.target.value }, e.target.value === '' ? `severity back to its default (${d.severity})` : `severity ${e.target.value}`)}
                          >
                            <option value="">Default ({d.severity})</option>
                            {SEVERITIES.map((s) => (
                              <option key={s} value={s}>
                                {s}
                              </option>
                            ))}
                          </select>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          );
        }}
      </Show>
    </Card>
  );
}

// Suppression rules: what each hides (a detection, a host, an asset), why, until when, how many findings it hid and
// when it last did; analysts switch a rule off and on or delete it (the alerts it hid show again).
import { useState } from 'react';
import { api, can, type DetectionEntry, type Suppression } from '../api';
import { useApi, useSession } from '../ui/hooks';
import { Card, Empty, Show } from '../ui/states';
import { count } from '../ui/format';
import { ConfirmButton, LiveMessage, errorText, useFocusLater, type Message } from './common';
import { wallTime } from '../triage/format';
import '../triage/triage.css';

function stateOf(s: Suppression): string {
  if (!s.enabled) return 'off';
  return s.active ? 'active' : 'expired';
}

export function Suppressions({ onChange, refresh }: { onChange: () => void; refresh?: number }) {
  const { user } = useSession();
  const analyst = can(user, 'analyst');
  const list = useApi<Suppression[]>('/api/suppressions', refresh);
  const catalog = useApi<{ items: DetectionEntry[] }>('/api/detections');
  const [message, setMessage] = useState<Message | null>(null);
  const focusLater = useFocusLater();
  const title = (id: string) => catalog.data?.items.find((d) => d.id === id)?.title ?? null;

  const setEnabled = (s: Suppression, enabled: boolean) =>
    api(`/api/suppressions/${s.id}`, { method: 'PATCH', body: { enabled } }).then(
      () => {
        setMessage({ ok: true, text: `Suppression ${s.id} switched ${enabled ? 'on' : 'off'}${enabled ? '' : ': what it hid shows again with its next occurrence'}.` });
        list.reload();
        onChange();
      },
      (err: unknown) => setMessage({ ok: false, text: `Could not switch suppression ${s.id}: ${errorText(err)}` }),
    );
  const remove = (s: Suppression) =>
    api(`/api/suppressions/${s.id}`, { method: 'DELETE' }).then(
      () => {
        setMessage({ ok: true, text: `Suppression ${s.id} deleted: the alerts it hid show again.` });
        focusLater('suppressions-list');
        list.reload();
        onChange();
      },
      (err: unknown) => setMessage({ ok: false, text: `Could not delete suppression ${s.id}: ${errorText(err)}` }),
    );

  return (
    <Card title="Suppressions" className="wide" id="settings-suppressions">
      <p className="muted settings-lede">
        A suppression hides the alerts of a detection, a host or an asset (any combination), often for a maintenance window; what it hides is still counted. Create one with
        “Suppress…” on an alert&apos;s page.
      </p>
      <LiveMessage message={message} />
      <div id="suppressions-list" tabIndex={-1} className="settings-focus-target">
        <Show state={list} what="suppressions">
          {(rules) =>
            rules.length === 0 ? (
              <Empty>No suppression: every alert shows in the queues.</Empty>
            ) : (
              <div className="settings-scroll">
                <table className="plain settings-table">
                  <caption className="visually-hidden">Suppression rules</caption>
                  <thead>
                    <tr>
                      <th scope="col">Rule</th>
                      <th scope="col">Hides</th>
                      <th scope="col">Reason</th>
                      <th scope="col">Created (UTC)</th>
                      <th scope="col">Expires (UTC)</th>
                      <th scope="col" className="num">
                        Hidden
                      </th>
                      <th scope="col">State</th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {rules.map((s) => {
                      const state = stateOf(s);
                      return (
                        <tr key={s.id} className={state === 'active' ? undefined : 'settings-disabled-row'}>
                          <th scope="row">{s.id}</th>
                          <td>
                            {s.detection !== null ? (
                              <div>
                                {title(s.detection) ?? 'Detection'} <span className="mono">{s.detection}</span>
                              </div>
                            ) : (
                              <div>Every detection</div>
                            )}
                            {s.host !== null ? (
                              <div>
                                on host <span className="mono">{s.host}</span>
                              </div>
                            ) : null}
                            {s.asset !== null ? (
                              <div>
                                on asset <span className="mono">{s.asset}</span>
                              </div>
                            ) : null}
                          </td>
                          <td>{s.reason}</td>
                          <td className="settings-nowrap">
                            {wallTime(s.created)}
                            {s.created_by !== null ? <div className="muted">by {s.created_by}</div> : null}
                          </td>
                          <td className="settings-nowrap">{s.expires === null ? 'until removed' : wallTime(s.expires)}</td>
                          <td className="num">
                            {count(s.suppressed)}
                            {s.last_suppressed !== null ? <div className="muted">last {wallTime(s.last_suppressed)}</div> : null}
                          </td>
                          <td>
                            <span className={`badge ${state === 'active' ? 'settings-badge-on' : 'settings-badge-off'}`}>{state}</span>
                          </td>
                          <td className="settings-actions">
                            {analyst ? (
                              <span className="button-row">
                                <label className="switch">
                                  <input type="checkbox" role="switch" checked={s.enabled} onChange={(e) => void setEnabled(s, e.target.checked)} aria-label={`Suppression ${s.id} on`} />
                                  On
                                </label>
                                <ConfirmButton
                                  label="Delete"
                                  accessibleLabel={`Delete suppression ${s.id}`}
                                  question={<>Delete suppression {s.id}? The alerts it hid show again.</>}
                                  confirmLabel="Delete it"
                                  onConfirm={() => remove(s)}
                                />
                              </span>
                            ) : null}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )
          }
        </Show>
      </div>
    </Card>
  );
}

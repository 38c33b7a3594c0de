// "Suppress…": a modal dialog that hides the alerts of this detection (everywhere, on one of the alert's hosts or on
// one of its assets), or every alert of a host or asset during a maintenance window, for 1, 8 or 24 hours or until
// removed (POST /api/suppressions). What a rule hides keeps being counted (Settings → Suppressions).
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, type AlertFacts, type Suppression, type TriagedAlert } from '../api';
import { errorText } from '../settings/common';
import './triage.css';

const EXPIRY = [
  { value: '3600', label: '1 hour' },
  { value: '28800', label: '8 hours' },
  { value: '86400', label: '24 hours' },
  { value: 'never', label: 'Until removed' },
] as const;

export function SuppressButton({ alert, detectionTitle, onCreated }: { alert: TriagedAlert; detectionTitle: string | null; onCreated: (s: Suppression) => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const [open, setOpen] = useState(false);
  const f = alert.details as AlertFacts;
  const hosts = [...new Set([f.src?.ip, f.dst?.ip].filter((x): x is string => typeof x === 'string'))];
  const [which, setWhich] = useState<'detection' | 'any'>('detection');
  const [where, setWhere] = useState('everywhere');
  const [reason, setReason] = useState('');
  const [expiry, setExpiry] = useState<string>('28800');
  const [hideOpen, setHideOpen] = useState(true);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const d = dialog.current;
    if (d === null) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);

  const close = () => {
    setOpen(false);
    setProblem(null);
    // The dialog gives focus back to what opened it.
    setTimeout(() => trigger.current?.focus(), 0);
  };

  const [kind, target] = where === 'everywhere' ? ['everywhere', null] : [where.slice(0, where.indexOf(':')), where.slice(where.indexOf(':') + 1)];
  const what = which === 'detection' ? `alerts of ${detectionTitle ?? alert.detection}` : 'every alert';
  const place = kind === 'host' ? ` on host ${target}` : kind === 'asset' ? ` on asset ${target}` : ' everywhere';
  const until = expiry === 'never' ? 'until the rule is removed' : `for ${EXPIRY.find((e) => e.value === expiry)?.label}`;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (which === 'any' && kind === 'everywhere') return setProblem('To hide every detection, choose the host or asset it concerns.');
    if (reason.trim() === '') return setProblem('Say why: the reason is shown with the rule and in the audit log.');
    setProblem(null);
    setBusy(true);
    const body = {
      detection: which === 'detection' ? alert.detection : null,
      host: kind === 'host' ? target : null,
      asset: kind === 'asset' ? target : null,
      reason: reason.trim(),
      expires: expiry === 'never' ? null : Math.round(Date.now() / 1000) + Number(expiry),
      hide_open: hideOpen,
    };
    api<Suppression>('/api/suppressions', { method: 'POST', body }).then(
      (s) => {
        setBusy(false);
        setReason('');
        close();
        onCreated(s);
      },
      (err: unknown) => {
        setBusy(false);
        setProblem(`Could not create the suppression: ${errorText(err)}`);
      },
    );
  };

  return (
    <>
      <button ref={trigger} type="button" onClick={() => setOpen(true)} aria-haspopup="dialog">
        Suppress…
      </button>
      <dialog ref={dialog} className="suppress-dialog" aria-labelledby="suppress-title" onClose={() => open && close()}>
        <form onSubmit={submit} className="stack" noValidate>
          <h2 id="suppress-title">Suppress alerts</h2>
          <p className="muted">
            Matching alerts that fire from now on are hidden from the queues and counted under Settings → Suppressions. The open alerts it matches, this one included, leave
            the queues at once unless you untick the box below; they show again when the rule expires or is switched off.
          </p>
          <label>
            Which alerts
            <select value={which} onChange={(e) => setWhich(e.target.value as 'detection' | 'any')}>
              <option value="detection">This detection: {detectionTitle ?? alert.detection}</option>
              <option value="any">Any detection (a maintenance window)</option>
            </select>
          </label>
          <label>
            Where
            <select value={where} onChange={(e) => setWhere(e.target.value)}>
              <option value="everywhere">Everywhere</option>
              {hosts.map((h) => (
                <option key={`host:${h}`} value={`host:${h}`}>
                  On host {h}
                </option>
              ))}
              {alert.assets.map((id) => (
                <option key={`asset:${id}`} value={`asset:${id}`}>
                  On asset {id}
                </option>
              ))}
            </select>
          </label>
          <label>
            Expires
            <select value={expiry} onChange={(e) => setExpiry(e.target.value)}>
              {EXPIRY.map((x) => (
                <option key={x.value} value={x.value}>
                  {x.label}
                </option>
              ))}
            </select>
          </label>
          <label className="check">
            <span>
              <input type="checkbox" checked={hideOpen} onChange={(e) => setHideOpen(e.target.checked)} />
              Also hide the open alerts it matches now
            </span>
          </label>
          <label>
            Reason
            <textarea rows={3} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} aria-describedby="suppress-summary" />
          </label>
          <p id="suppress-summary">
            Hides {what}
            {place}, {until}
            {hideOpen ? ', the open ones included' : ', from now on'}.
          </p>
          {problem !== null ? (
            <p className="state error" role="alert">
              {problem}
            </p>
          ) : null}
          <div className="button-row">
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Saving…' : 'Suppress'}
            </button>
            <button type="button" onClick={close} disabled={busy}>
              Cancel
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}

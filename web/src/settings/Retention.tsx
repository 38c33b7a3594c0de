// Retention: how much the store keeps. By size always (the disk never fills), by age only when asked: age counts from
// the capture's time, so an old capture uploaded for an investigation would vanish at the next pass. Everyone reads
// it; admins change it, and a change is applied at once (then hourly), so a stricter one asks first.
import { useEffect, useRef, useState, type FormEvent, type RefObject } from 'react';
import { api, can } from '../api';
import { useApi, useSession } from '../ui/hooks';
import { Card, Show } from '../ui/states';
import { bytes, count } from '../ui/format';
import { Field, LiveMessage, errorText, useFocusLater, type Message } from './common';

export interface RetentionSettings {
  max_age_days: number | null;
  max_gb: number;
}

interface Applied {
  settings: RetentionSettings;
  deleted: Record<string, number>;
}

/** The API's bounds (src/server/retention.ts). */
const AGE_MAX = 36_500;
const GB_MIN = 0.1;
const GB_MAX = 100_000;

export function describe(s: RetentionSettings): string {
  return `${s.max_age_days === null ? 'by age: off' : `by age: ${count(s.max_age_days)} day${s.max_age_days === 1 ? '' : 's'}`} · by size: ${s.max_gb} GB`;
}

export function Retention({ onChange }: { onChange: () => void }) {
  const { user } = useSession();
  const [applied, setApplied] = useState<Message | null>(null);
  // After a save the form is rebuilt from the new settings: focus goes to what they now are.
  const justSaved = useRef(false);
  const state = useApi<RetentionSettings>('/api/settings/retention');
  return (
    <Card title="Retention" id="settings-retention">
      <p className="muted settings-lede">
        The store deletes its oldest events while it is larger than the size limit. Deleting by age is off by default: age counts from the time in the capture, so an old capture uploaded
        for an investigation would be deleted at the next pass.
      </p>
      <Show state={state} what="retention settings">
        {(saved) =>
          can(user, 'admin') ? (
            <RetentionForm
              key={JSON.stringify(saved)}
              saved={saved}
              justSaved={justSaved}
              onSaved={(r) => {
                setApplied({ ok: true, text: `Saved (${describe(r.settings)}) and applied: ${deletedText(r.deleted)}` });
                justSaved.current = true;
                state.reload();
                onChange();
              }}
              onFailed={(text) => setApplied({ ok: false, text })}
            />
          ) : (
            <>
              <dl className="facts">
                <dt>By age</dt>
                <dd>{saved.max_age_days === null ? 'Off: events are kept whatever their age' : `Events older than ${count(saved.max_age_days)} days are deleted`}</dd>
                <dt>By size</dt>
                <dd>The oldest events are deleted while the store holds more than {saved.max_gb} GB</dd>
              </dl>
              <p className="muted">Only admins change retention.</p>
            </>
          )
        }
      </Show>
      <LiveMessage message={applied} />
    </Card>
  );
}

function deletedText(d: Record<string, number>): string {
  const parts = Object.entries(d)
    .filter(([k, n]) => k !== 'bytes' && n > 0)
    .map(([k, n]) => `${count(n)} ${k === 'audit' ? 'audit entries' : k}`);
  const size = typeof d.bytes === 'number' ? ` The store now uses ${bytes(d.bytes)}.` : '';
  return `${parts.length === 0 ? 'nothing needed deleting.' : `deleted ${parts.join(', ')}.`}${size}`;
}

function RetentionForm({
  saved,
  justSaved,
  onSaved,
  onFailed,
}: {
  saved: RetentionSettings;
  justSaved: RefObject<boolean>;
  onSaved: (r: Applied) => void;
  onFailed: (text: string) => void;
}) {
  const [byAge, setByAge] = useState(saved.max_age_days !== null);
  const [days, setDays] = useState(saved.max_age_days === null ? '90' : String(saved.max_age_days));
  const [gb, setGb] = useState(String(saved.max_gb));
  const [errors, setErrors] = useState<{ days?: string; gb?: string }>({});
  const [confirming, setConfirming] = useState<RetentionSettings | null>(null);
  const [saving, setSaving] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const focusLater = useFocusLater();
  useEffect(() => {
    if (!justSaved.current) return;
    justSaved.current = false;
    document.getElementById('retention-now')?.focus();
  }, [justSaved]);

  const parse = (): RetentionSettings | null => {
    const problems: typeof errors = {};
    const d = Number(days);
    if (byAge) {
      if (days.trim() === '' || !Number.isFinite(d)) problems.days = 'Enter a number of days.';
      else if (!Number.isInteger(d)) problems.days = 'Whole days only.';
      else if (d < 1 || d > AGE_MAX) problems.days = `From 1 to ${count(AGE_MAX)} days.`;
    }
    const g = Number(gb);
    if (gb.trim() === '' || !Number.isFinite(g)) problems.gb = 'Enter a size in GB.';
    else if (g < GB_MIN || g > GB_MAX) problems.gb = `From ${GB_MIN} to ${count(GB_MAX)} GB.`;
    setErrors(problems);
    const first = problems.days !== undefined ? 'retention-days' : problems.gb !== undefined ? 'retention-gb' : null;
    if (first !== null) {
      form.current?.querySelector<HTMLInputElement>(`#${first}`)?.focus();
      return null;
    }
    return { max_age_days: byAge ? d : null, max_gb: g };
  };

  const draft = { max_age_days: byAge ? Number(days) : null, max_gb: Number(gb) };
  const dirty = draft.max_age_days !== saved.max_age_days || draft.max_gb !== saved.max_gb;

  const save = (next: RetentionSettings) => {
    setSaving(true);
    api<Applied>('/api/settings/retention', { method: 'PUT', body: next }).then(
      (r) => {
        setSaving(false);
        setConfirming(null);
        onSaved(r);
      },
      (err: unknown) => {
        setSaving(false);
        setConfirming(null);
        focusLater('retention-save');
        onFailed(`Could not save retention: ${errorText(err)}`);
      },
    );
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next = parse();
    if (next === null) return;
    // Stricter than now: data goes at once, so the admin says so first.
    const stricter = (next.max_age_days !== null && (saved.max_age_days === null || next.max_age_days < saved.max_age_days)) || next.max_gb < saved.max_gb;
    if (stricter) setConfirming(next);
    else save(next);
  };

  const reset = () => {
    setByAge(saved.max_age_days !== null);
    setDays(saved.max_age_days === null ? '90' : String(saved.max_age_days));
    setGb(String(saved.max_gb));
    setErrors({});
    setConfirming(null);
  };

  return (
    <form ref={form} className="settings-retention" onSubmit={submit} aria-label="Retention settings" noValidate>
      <p className="settings-current" id="retention-now" tabIndex={-1}>
        Now: <strong>{describe(saved)}</strong>
      </p>
      <fieldset className="settings-fieldset" disabled={saving || confirming !== null}>
        <legend>Delete by age</legend>
        <label className="settings-radio">
          <input type="radio" name="by-age" checked={!byAge} onChange={() => setByAge(false)} />
          <span>Off: keep events whatever their age</span>
        </label>
        <label className="settings-radio">
          <input type="radio" name="by-age" checked={byAge} onChange={() => setByAge(true)} />
          <span>On: delete events older than a number of days</span>
        </label>
        {byAge ? (
          <Field id="retention-days" label="Maximum age (days of capture time)" hint={`1 to ${count(AGE_MAX)}. Audit entries, hints and counters older than this go too.`} error={errors.days}>
            {(p) => (
              <input
                {...p}
                className="settings-number"
                type="number"
                inputMode="numeric"
                min={1}
                max={AGE_MAX}
                step={1}
                value={days}
                onChange={(e) => {
                  setDays(e.target.value);
                  if (errors.days) setErrors((o) => ({ ...o, days: undefined }));
                }}
              />
            )}
          </Field>
        ) : null}
      </fieldset>
      <fieldset className="settings-fieldset" disabled={saving || confirming !== null}>
        <legend>Delete by size</legend>
        <Field id="retention-gb" label="Size limit (GB)" hint={`${GB_MIN} to ${count(GB_MAX)}; 1 GB = 10⁹ bytes. The oldest events go first, then hints.`} error={errors.gb}>
          {(p) => (
            <input
              {...p}
              className="settings-number"
              type="number"
              inputMode="decimal"
              min={GB_MIN}
              max={GB_MAX}
              step="any"
              value={gb}
              onChange={(e) => {
                setGb(e.target.value);
                if (errors.gb) setErrors((o) => ({ ...o, gb: undefined }));
              }}
            />
          )}
        </Field>
      </fieldset>
      {confirming !== null ? (
        <RetentionConfirm next={confirming} saving={saving} onConfirm={() => save(confirming)} onCancel={() => {
            setConfirming(null);
            focusLater('retention-save');
          }}
        />
      ) : (
        <div className="settings-buttons">
          <button id="retention-save" type="submit" className="primary" disabled={saving || !dirty}>
            {saving ? 'Saving…' : 'Save and apply'}
          </button>
          <button type="button" onClick={reset} disabled={saving || !dirty}>
            Reset
          </button>
          {!dirty ? <span className="muted">No unsaved changes.</span> : <span className="muted">Applied as soon as saved.</span>}
        </div>
      )}
    </form>
  );
}

function RetentionConfirm({ next, saving, onConfirm, onCancel }: { next: RetentionSettings; saving: boolean; onConfirm: () => void; onCancel: () => void }) {
  return (
    <div
      className="settings-confirm settings-confirm-block"
      role="group"
      aria-labelledby="retention-confirm-q"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !saving) {
          e.preventDefault();
          onCancel();
        }
      }}
    >
      <p id="retention-confirm-q" className="settings-confirm-q">
        Stricter retention ({describe(next)}) deletes the data beyond it <strong>now</strong>, and it cannot be brought back. Save and apply?
      </p>
      <span className="settings-confirm-buttons">
        <button type="button" className="settings-danger-solid" disabled={saving} onClick={onConfirm}>
          {saving ? 'Applying…' : 'Save and delete'}
        </button>
        {/* Focus starts on Cancel: the safe choice. */}
        <button type="button" disabled={saving} onClick={onCancel} autoFocus>
          Cancel
        </button>
      </span>
    </div>
  );
}

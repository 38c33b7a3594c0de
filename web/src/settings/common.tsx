// Pieces the settings sections share: the outcome of a change said in a live region, form fields with their
// validation messages, an inline "are you sure?" for changes that cannot be undone, and focus kept where the user was.
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../api';

/** The outcome of a change, said in the section's live region. */
export interface Message {
  ok: boolean;
  text: string;
}

/** The API's message and its stable code (docs/api.md), as people read them. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) return err.code === 'network' ? err.message : `${err.message} (${err.code})`;
  return err instanceof Error ? err.message : String(err);
}

/** The role answered 403: the page shows what the caller may not do, not an error. */
export function isForbidden(err: Error | null): boolean {
  return err instanceof ApiError && err.status === 403 && err.code === 'auth.forbidden';
}

/** A polite live region, present before it speaks so screen readers announce what it then says. */
export function LiveMessage({ message }: { message: Message | null }) {
  return (
    <div role="status" aria-live="polite" className={message ? (message.ok ? 'notice ok' : 'state error settings-message') : 'settings-live-empty'}>
      {message ? (
        <>
          {message.ok ? null : <strong>Failed: </strong>}
          {message.text}
        </>
      ) : null}
    </div>
  );
}

export interface FieldProps {
  id: string;
  'aria-invalid': boolean | undefined;
  'aria-describedby': string | undefined;
}

/** A labelled control with an optional hint and validation message, both tied to it by `aria-describedby`. */
export function Field({ id, label, hint, error, children }: { id: string; label: ReactNode; hint?: ReactNode; error?: string | null; children: (p: FieldProps) => ReactNode }) {
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter((x) => x !== null).join(' ');
  return (
    <div className="settings-field">
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': described === '' ? undefined : described })}
      {hint ? (
        <span id={`${id}-hint`} className="settings-hint">
          {hint}
        </span>
      ) : null}
      {error ? (
        <span id={`${id}-error`} className="settings-error">
          {error}
        </span>
      ) : null}
    </div>
  );
}

/**
 * A button that asks first: it turns into the question with Confirm and Cancel (focus on Cancel; Escape cancels and
 * focus goes back to the button). `onConfirm` resolves when the change is done (or failed: the section says so).
 */
export function ConfirmButton({
  id,
  label,
  question,
  confirmLabel,
  onConfirm,
  disabled,
  accessibleLabel,
}: {
  id?: string;
  label: string;
  question: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<unknown>;
  disabled?: boolean;
  /** The trigger's name for assistive technology when `label` alone is ambiguous ("Revoke" in a list). */
  accessibleLabel?: string;
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const back = useRef(false);
  const mounted = useRef(false);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  useEffect(() => {
    if (open) cancelButton.current?.focus();
    else if (back.current) {
      back.current = false;
      trigger.current?.focus();
    }
  }, [open]);

  const cancel = () => {
    back.current = true;
    setOpen(false);
  };
  const confirm = () => {
    setBusy(true);
    void onConfirm().finally(() => {
      if (!mounted.current) return;
      setBusy(false);
      back.current = true;
      setOpen(false);
    });
  };

  if (!open) {
    return (
      <button ref={trigger} id={id} type="button" className="settings-danger" disabled={disabled} aria-label={accessibleLabel} onClick={() => setOpen(true)}>
        {label}
      </button>
    );
  }
  return (
    <span
      className="settings-confirm"
      role="group"
      aria-label="Confirm"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !busy) {
          e.preventDefault();
          cancel();
        }
      }}
    >
      <span className="settings-confirm-q">{question}</span>
      <span className="settings-confirm-buttons">
        <button type="button" className="settings-danger-solid" disabled={busy} onClick={confirm}>
          {busy ? 'Working…' : confirmLabel}
        </button>
        <button ref={cancelButton} type="button" disabled={busy} onClick={cancel}>
          Cancel
        </button>
      </span>
    </span>
  );
}

/**
 * Focus an element once it is rendered: after a change re-renders a row (Disable becomes Enable) or removes it, focus
 * goes to `id` rather than being lost to the page's body.
 */
export function useFocusLater(): (id: string) => void {
  const [pending, setPending] = useState<{ id: string; until: number } | null>(null);
  useEffect(() => {
    if (pending === null) return;
    const el = document.getElementById(pending.id);
    if (el !== null) el.focus();
    // Given up after a few seconds: an element that appears much later must not steal the focus.
    if (el !== null || Date.now() > pending.until) setPending(null);
  });
  return useCallback((id: string) => setPending({ id, until: Date.now() + 5000 }), []);
}

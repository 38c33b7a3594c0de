// A playbook as a checklist: what the detection means, the steps to check and to respond, each with a checkbox saved
// to the alert or incident (`playbook` = indexes of the ticked steps into the check and respond lists shown).
import { useEffect, useState } from 'react';
import type { PlaybookChecks } from '../api';
import { errorText } from '../settings/common';
import './triage.css';

/** Steps one PATCH can tick per list (the API's PLAYBOOK_SCHEMA: indexes 0..49). */
export const MAX_PLAYBOOK_STEPS = 50;

export interface PlaybookGroup {
  key: string;
  /** Shown when there are several groups (an incident's detections). */
  title?: string;
  meaning?: string;
  check: readonly string[];
  respond: readonly string[];
}

type Section = 'check' | 'respond';

export function PlaybookChecklist({
  groups,
  value,
  save,
  canEdit,
  idPrefix,
  openKey,
}: {
  groups: readonly PlaybookGroup[];
  /** With several groups each folds away; this one starts open. */
  openKey?: string;
  value: PlaybookChecks | null | undefined;
  save: (next: PlaybookChecks) => Promise<unknown>;
  canEdit: boolean;
  idPrefix: string;
}) {
  const [ticked, setTicked] = useState<PlaybookChecks>(value ?? { check: [], respond: [] });
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const serverValue = JSON.stringify(value ?? null);
  useEffect(() => {
    setTicked((JSON.parse(serverValue) as PlaybookChecks | null) ?? { check: [], respond: [] });
  }, [serverValue]);

  const totals = { check: groups.reduce((n, g) => n + g.check.length, 0), respond: groups.reduce((n, g) => n + g.respond.length, 0) };
  const steps = Math.min(totals.check, MAX_PLAYBOOK_STEPS) + Math.min(totals.respond, MAX_PLAYBOOK_STEPS);
  const done = ticked.check.length + ticked.respond.length;

  const toggle = (section: Section, index: number, on: boolean, text: string) => {
    const before = ticked;
    const list = new Set(before[section]);
    if (on) list.add(index);
    else list.delete(index);
    const next = { ...before, [section]: [...list].sort((a, b) => a - b) };
    setTicked(next);
    save(next).then(
      () => setMessage({ ok: true, text: `${on ? 'Ticked' : 'Unticked'}: ${text}` }),
      (err: unknown) => {
        setTicked(before);
        setMessage({ ok: false, text: `Could not save the step: ${errorText(err)}` });
      },
    );
  };

  // Where each group's steps start in the check and respond lists.
  const starts: { check: number; respond: number }[] = [];
  groups.reduce(
    (at, g) => {
      starts.push(at);
      return { check: at.check + g.check.length, respond: at.respond + g.respond.length };
    },
    { check: 0, respond: 0 },
  );
  const several = groups.length > 1;
  const renderSection = (g: PlaybookGroup, gi: number, section: Section) => {
    const start = starts[gi][section];
    const H = several ? 'h4' : 'h3';
    return (
      <>
        <H>{section === 'check' ? 'Check' : 'Respond'}</H>
        <ul className="playbook-steps">
          {g[section].map((text, i) => {
            const index = start + i;
            if (index >= MAX_PLAYBOOK_STEPS) {
              return (
                <li key={index} className="muted">
                  {text}
                </li>
              );
            }
            const id = `${idPrefix}-${section}-${index}`;
            return (
              <li key={index}>
                <input
                  id={id}
                  type="checkbox"
                  checked={ticked[section].includes(index)}
                  disabled={!canEdit}
                  onChange={(e) => toggle(section, index, e.target.checked, text)}
                />
                <label htmlFor={id}>{text}</label>
              </li>
            );
          })}
        </ul>
      </>
    );
  };
  const doneIn = (g: PlaybookGroup, gi: number) => {
    const within = (section: Section) => ticked[section].filter((x) => x >= starts[gi][section] && x < starts[gi][section] + g[section].length).length;
    return within('check') + within('respond');
  };

  return (
    <div className="playbook">
      <p className="muted playbook-progress">
        {done} of {steps} steps done{canEdit ? '' : ' (analysts tick them)'}
      </p>
      {groups.map((g, gi) =>
        several ? (
          <details key={g.key} className="playbook-group" open={g.key === openKey}>
            <summary>
              <h3>{g.title ?? g.key}</h3>{' '}
              <span className="muted">
                {doneIn(g, gi)} of {g.check.length + g.respond.length} done
              </span>
            </summary>
            {g.meaning !== undefined ? <p>{g.meaning}</p> : null}
            {renderSection(g, gi, 'check')}
            {renderSection(g, gi, 'respond')}
          </details>
        ) : (
          <div key={g.key}>
            {g.meaning !== undefined ? <p>{g.meaning}</p> : null}
            {renderSection(g, gi, 'check')}
            {renderSection(g, gi, 'respond')}
          </div>
        ),
      )}
      <div role="status" aria-live="polite" className={message === null ? 'live-empty' : message.ok ? 'muted small-note' : 'state error'}>
        {message?.text}
      </div>
    </div>
  );
}

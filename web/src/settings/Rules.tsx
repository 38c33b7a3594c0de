// User detection rules (docs/rules.md): the rules running, from the --rules files and from here, and the console's
// YAML edited in place. Saving validates with the files: every error is listed as line:column path: problem and
// nothing changes; rules that validate run in every pipeline at once.
import { useEffect, useState } from 'react';
import { ApiError, api, can } from '../api';
import { useApi, useSession } from '../ui/hooks';
import { Card, Show } from '../ui/states';
import { time } from '../ui/format';
import { LiveMessage, errorText, type Message } from './common';

interface RuleInfo {
  id: string;
  detection: string;
  title: string;
  severity: string;
  techniques: string[];
  source: string;
  line: number;
  enabled: boolean;
}

interface RulesState {
  rules: RuleInfo[];
  text: string;
  files: { path: string; mtime: number | null }[];
  loaded_at: number;
  errors: { source: string; line: number; column: number; path: string; message: string }[];
}

const EXAMPLE = `version: 1
rules:
  - id: plc_write_not_hmi
    title: Write to {dst} from {src}
    severity: high
    techniques: [T0855]
    match:
      access: write
      dst: { role: controller }
      src: { not_role: hmi_scada }
`;

export function Rules({ onChange }: { onChange: () => void }) {
  const { user } = useSession();
  const state = useApi<RulesState>('/api/rules');
  const [text, setText] = useState<string | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [message, setMessage] = useState<Message | null>(null);
  const editable = can(user, 'analyst');
  useEffect(() => {
    if (state.data != null && text === null) setText(state.data.text);
  }, [state.data, text]);
  const save = () =>
    api<RulesState>('/api/rules', { method: 'PUT', body: { text: text ?? '' } }).then(
      (s) => {
        setProblems([]);
        setMessage({ ok: true, text: `Saved: ${s.rules.length} rule${s.rules.length === 1 ? '' : 's'} running.` });
        state.reload();
        onChange();
      },
      (err: unknown) => {
        if (err instanceof ApiError && err.code === 'rules.invalid') {
          const lines = err.message.split('\n');
          setProblems(lines);
          setMessage({ ok: false, text: `The rules do not validate (${lines.length} error${lines.length === 1 ? '' : 's'}); nothing changed.` });
        } else setMessage({ ok: false, text: `Could not save the rules: ${errorText(err)}` });
      },
    );
  return (
    <Card title="Detection rules" id="settings-rules">
      <Show state={state} what="the rules">
        {(s) => (
          <>
            {s.rules.length === 0 ? (
              <p className="muted">No user rules run. Write them below (docs/rules.md describes every key) or start the server with --rules FILE.</p>
            ) : (
              <table className="plain">
                <caption className="muted">Running since {time(s.loaded_at)} UTC</caption>
                <thead>
                  <tr>
                    <th scope="col">Rule</th>
                    <th scope="col">Severity</th>
                    <th scope="col">Techniques</th>
                    <th scope="col">From</th>
                  </tr>
                </thead>
                <tbody>
                  {s.rules.map((r) => (
                    <tr key={r.detection}>
                      <td>
                        <span className="mono">{r.id}</span> {r.enabled ? null : <span className="badge">off</span>}
                        <br />
                        {r.title}
                      </td>
                      <td>{r.severity}</td>
                      <td className="mono">{r.techniques.join(', ')}</td>
                      <td className="mono">
                        {r.source}:{r.line}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {s.errors.length > 0 ? (
              <div className="state error" role="alert">
                A rule file changed but does not validate; the rules above still run:
                <ul>
                  {s.errors.map((e, i) => (
                    <li key={i} className="mono">
                      {e.source}:{e.line}:{e.column} {e.path}: {e.message}
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
            {s.files.length > 0 ? <p className="muted">Files re-read when they change: {s.files.map((f) => f.path).join(', ')}</p> : null}
            <label htmlFor="rules-text">Rules written here (YAML)</label>
            <textarea
              id="rules-text"
              className="mono rules-text"
              rows={16}
              spellCheck={false}
              value={text ?? ''}
              readOnly={!editable}
              placeholder={EXAMPLE}
              aria-describedby={problems.length > 0 ? 'rules-problems' : undefined}
              aria-invalid={problems.length > 0 || undefined}
              onChange={(e) => setText(e.target.value)}
            />
            {problems.length > 0 ? (
              <ul id="rules-problems" className="state error">
                {problems.map((p, i) => (
                  <li key={i} className="mono">
                    {p}
                  </li>
                ))}
              </ul>
            ) : null}
            {editable ? (
              <button type="button" onClick={() => void save()}>
                Validate and save
              </button>
            ) : null}
          </>
        )}
      </Show>
      <LiveMessage message={message} />
    </Card>
  );
}

// The modeling baseline: its learning window and what it holds; admins can forget it (a new window starts).
import { useState } from 'react';
import { api, can } from '../api';
import { useApi, useSession } from '../ui/hooks';
import { Card, Show } from '../ui/states';
import { count, duration, time } from '../ui/format';
import { ConfirmButton, LiveMessage, errorText, type Message } from './common';

interface BaselineState {
  complete: boolean;
  learn_start: number | null;
  learn_seconds: number;
  size: Record<string, number>;
  not_learned: Record<string, number>;
}

export function Baseline({ onChange }: { onChange: () => void }) {
  const { user } = useSession();
  const state = useApi<BaselineState>('/api/baseline');
  const [message, setMessage] = useState<Message | null>(null);
  const reset = () =>
    api('/api/baseline/reset', { method: 'POST' }).then(
      () => {
        setMessage({ ok: true, text: 'Baseline forgotten: a new learning window starts with the next traffic.' });
        state.reload();
        onChange();
      },
      (err: unknown) => setMessage({ ok: false, text: `Could not reset the baseline: ${errorText(err)}` }),
    );
  const missed = (b: BaselineState) => Object.values(b.not_learned).reduce((a, n) => a + n, 0);
  return (
    <Card title="Learned baseline" id="settings-baseline">
      <Show state={state} what="the baseline">
        {(b) => (
          <>
            <dl className="facts">
              <dt>Learning</dt>
              <dd>
                {b.complete ? 'done' : b.learn_start === null ? `starts with the next traffic, for ${duration(b.learn_seconds)}` : `since ${time(b.learn_start)} UTC, for ${duration(b.learn_seconds)}`}
              </dd>
              {Object.entries(b.size).map(([k, n]) => (
                <div key={k} className="fact-row">
                  <dt>{k}</dt>
                  <dd>{count(n)}</dd>
                </div>
              ))}
              <dt>Not learned (caps full)</dt>
              <dd>{count(missed(b))}</dd>
            </dl>
            <p className="muted">Marking a modeling alert “learned” adds what it reported here.</p>
            {can(user, 'admin') ? (
              <ConfirmButton label="Forget the baseline" question="Forget everything learned? Deviations stop until a new window has passed." confirmLabel="Forget it" onConfirm={reset} />
            ) : null}
          </>
        )}
      </Show>
      <LiveMessage message={message} />
    </Card>
  );
}

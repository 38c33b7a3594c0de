// Controller operating-mode change: stop, start, run-mode services.
import { actionDetection } from './on-action.js';

const WORDS = { mode_stop: 'CPU stop', mode_start: 'CPU start', mode_change: 'Operating-mode change' } as const;

export const modeChange = actionDetection(
  {
    id: 'behavior.mode_change',
    title: 'Controller operating-mode change',
    kind: 'behavior',
    severity: 'high',
    confidence: 0.9,
    techniques: ['T0858', 'T0881'],
    playbook: {
      meaning: 'A host told a controller to stop, start or change its operating mode. A stopped controller does not control its process; a start runs whatever program it holds.',
      check: ['Was the process in a planned shutdown or maintenance?', 'Is the source an engineering workstation or HMI allowed to change modes?', 'Did a program download come before it?'],
      respond: ['If unplanned: confirm the process state with operators at once, bring the process to a safe state, isolate the source.', 'Check the controller\'s key switch and mode-change protection.'],
    },
  },
  ['mode_stop', 'mode_start', 'mode_change'],
  (t, a) => `${WORDS[a as keyof typeof WORDS] ?? 'Mode change'} sent to ${t.server.ip} by ${t.client.ip} (${t.protocol} ${t.operation.name})`,
);

// Program download (and block erase) to a controller: new logic is running, or about to.
import { actionDetection } from './on-action.js';

export const programDownload = actionDetection(
  {
    id: 'behavior.program_download',
    title: 'Program download to a controller',
    kind: 'behavior',
    severity: 'critical',
    confidence: 0.95,
    techniques: ['T0843', 'T0821', 'T0889'],
    playbook: {
      meaning: 'A host wrote program blocks (logic) into a controller, or erased them: the controller may now run different logic. Engineering work does this; so did TRITON and Stuxnet.',
      check: [
        'Is the source an engineering workstation of this plant, and was a change planned (maintenance window, change ticket)?',
        'Which blocks or files were written (evidence), and does the controller\'s program still match the last known-good copy?',
        'Did a mode change (stop/start) or restart follow?',
      ],
      respond: [
        'If unplanned: isolate the source host, keep the controller in a safe state, compare the program with the known-good backup before running it.',
        'If planned: mark the alert learned or resolved with the change reference.',
      ],
    },
  },
  ['program_download', 'program_erase'],
  (t, a) => `${a === 'program_erase' ? 'Program erase' : 'Program download'} to ${t.server.ip} from ${t.client.ip} (${t.protocol})`,
);

// Program upload from a controller: its logic was read out.
import { actionDetection } from './on-action.js';

export const programUpload = actionDetection(
  {
    id: 'behavior.program_upload',
    title: 'Program upload from a controller',
    kind: 'behavior',
    severity: 'medium',
    confidence: 0.95,
    techniques: ['T0845'],
    playbook: {
      meaning: 'A host read the program (logic) out of a controller. Engineers do this to back up or compare; an adversary does it to learn the process before changing it.',
      check: ['Is the source an engineering workstation or backup server of this plant?', 'Was a backup or comparison scheduled now?', 'Did the same host download a program later?'],
      respond: ['If the source is unknown: find the host and its user, and treat the controller\'s logic as disclosed.', 'If routine: mark the alert learned.'],
    },
  },
  ['program_upload'],
  (t) => `Program upload from ${t.server.ip} by ${t.client.ip} (${t.protocol})`,
);

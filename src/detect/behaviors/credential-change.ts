// Controller protection password set or cleared.
import { actionDetection } from './on-action.js';

export const credentialChange = actionDetection(
  {
    id: 'behavior.credential_change',
    title: 'Controller password set or cleared',
    kind: 'behavior',
    severity: 'high',
    confidence: 0.9,
    techniques: ['T0892'],
    playbook: {
      meaning: 'A host set or cleared a controller\'s protection password: engineers are locked out, or the controller is left open.',
      check: ['Was a password change planned, by whom?'],
      respond: ['If not: restore the protection level from a trusted engineering station, isolate the source.'],
    },
  },
  ['password_change'],
  (t) => `Protection password changed on ${t.server.ip} by ${t.client.ip} (${t.protocol} ${t.operation.sub?.name ?? t.operation.name})`,
);

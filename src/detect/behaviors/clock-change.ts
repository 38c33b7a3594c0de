// Device clock set.
import { actionDetection } from './on-action.js';

export const clockChange = actionDetection(
  {
    id: 'behavior.clock_change',
    title: 'Device clock set',
    kind: 'behavior',
    severity: 'low',
    confidence: 0.9,
    techniques: ['T0836'],
    playbook: {
      meaning: 'A host set a device\'s clock. Masters synchronise time routinely; a wrong time corrupts event order, and scheduled logic runs at the wrong moment.',
      check: ['Is the source the device\'s master or time server, doing so on its usual schedule?'],
      respond: ['If not: correct the time from the master, find the source, and mark the device\'s event times from then as suspect.'],
    },
  },
  ['clock_set'],
  (t) => `Clock of ${t.server.ip} set by ${t.client.ip} (${t.protocol})`,
);

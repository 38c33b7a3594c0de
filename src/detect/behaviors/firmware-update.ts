// Firmware or configuration activation.
import { actionDetection } from './on-action.js';

export const firmwareUpdate = actionDetection(
  {
    id: 'behavior.firmware_update',
    title: 'Firmware or configuration activation',
    kind: 'behavior',
    severity: 'critical',
    confidence: 0.8,
    techniques: ['T0857', 'T0839'],
    playbook: {
      meaning: 'A host activated new firmware or configuration in a device. Malicious firmware survives restarts and hides from the engineering tools.',
      check: ['Was a firmware update planned, from the vendor\'s image?', 'Which file was transferred before (evidence)?'],
      respond: ['If unplanned: isolate the device, keep the transferred image, verify the firmware against the vendor\'s hash.'],
    },
  },
  ['firmware_update'],
  (t) => `Firmware or configuration activated on ${t.server.ip} by ${t.client.ip} (${t.protocol})`,
);

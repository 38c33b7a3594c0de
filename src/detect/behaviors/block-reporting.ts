// Reporting switched off: DNP3 disable unsolicited, IEC 104 STOPDT, Modbus listen-only, BACnet communication control.
import { actionDetection } from './on-action.js';

const WORDS = { disable_unsolicited: 'Unsolicited reporting disabled', stop_transfer: 'Data transfer stopped (STOPDT)', listen_only: 'Device told to stop answering' } as const;

export const blockReporting = actionDetection(
  {
    id: 'behavior.block_reporting',
    title: 'Reporting from a device switched off',
    kind: 'behavior',
    severity: 'high',
    confidence: 0.85,
    techniques: ['T0804', 'T0814'],
    playbook: {
      meaning: 'A host told a device to stop reporting (DNP3 disable unsolicited, IEC 104 STOPDT, Modbus listen-only, BACnet DeviceCommunicationControl). Operators stop seeing what the device sees.',
      check: ['Is the source the device\'s own master (a master may do this at start-up or failover)?', 'Did the master\'s view of the device go stale afterwards?'],
      respond: ['If the source is not a master: re-enable reporting from the master, isolate the source, check what happened at the device while it was silent.'],
    },
  },
  ['disable_unsolicited', 'stop_transfer', 'listen_only'],
  (t, a) => `${WORDS[a as keyof typeof WORDS] ?? 'Reporting switched off'}: ${t.server.ip} by ${t.client.ip} (${t.protocol})`,
);

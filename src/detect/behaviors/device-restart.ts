// Device restart: DNP3 cold/warm restart, CIP reset, Modbus restart communications, IEC 104 reset process, BACnet
// ReinitializeDevice.
import { actionDetection } from './on-action.js';

export const deviceRestart = actionDetection(
  {
    id: 'behavior.device_restart',
    title: 'Device restart',
    kind: 'behavior',
    severity: 'high',
    confidence: 0.9,
    techniques: ['T0816'],
    playbook: {
      meaning: 'A host told a device to restart. While it restarts it neither controls nor reports; a restart also loads new firmware or configuration.',
      check: ['Was a restart planned?', 'Is the source a master of this device?', 'Did the device come back (traffic after the restart)?'],
      respond: ['If unplanned: check the process the device controls, isolate the source, look for a firmware or configuration change before it.'],
    },
  },
  ['restart'],
  (t) => `Restart of ${t.server.ip} by ${t.client.ip} (${t.protocol} ${t.operation.sub?.name ?? t.operation.name})`,
);

// A device reports a different firmware (or boot loader) version than before in the same protocol message.
import { identityWatch } from './identity-watch.js';

export const firmwareChange = identityWatch(
  {
    id: 'configuration.firmware_change',
    title: 'Device firmware version changed',
    kind: 'configuration',
    severity: 'high',
    confidence: 0.85,
    techniques: ['T0857', 'T0839'],
    playbook: {
      meaning:
        'A device answered its identity query with another firmware version than earlier: its firmware was updated or downgraded, a module (a network card, a CPU) was swapped, or another device now answers at this address. Malicious firmware survives restarts and program reloads and hides from the engineering tools.',
      check: [
        'Was a firmware update planned for this device, with the vendor\'s image? Is the new version the one the vendor released (not a downgrade to a vulnerable version)?',
        'Did a firmware transfer or activation (behavior.firmware_update), a restart or a program download precede it?',
        'Flapping between two versions means two devices answer for one address: look for an address conflict or ARP poisoning alert for the same address.',
      ],
      respond: [
        'If unplanned: isolate the device, keep the controller in a safe state, read the firmware with the vendor\'s tool and verify it against the vendor\'s hash; restore a known-good image.',
        'If planned: record the new version in the asset record and resolve the alert.',
      ],
    },
  },
  {
    fields: { firmware: 'Firmware', boot_loader: 'Boot loader' },
    severity: (_field, ctx, ip) => (ctx.isIndustrialServer(ip) ? 'critical' : 'high'),
  },
);

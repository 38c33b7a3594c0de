// A device reports another model, serial number, product or order number than before: it is not the same hardware.
import { identityWatch } from './identity-watch.js';

export const identityChange = identityWatch(
  {
    id: 'configuration.identity_change',
    title: 'Device identity changed (model, serial or product)',
    kind: 'configuration',
    severity: 'medium',
    confidence: 0.85,
    // A hardware swap is a configuration change, not an ATT&CK for ICS technique; a rogue device answering in a
    // controller's place is caught as such by the poisoning and binding detections for the same address.
    techniques: [],
    playbook: {
      meaning:
        'A device answered its identity query with another model, serial number, product or order number than earlier: the hardware at this address (or behind this gateway address) is not the same one. A spare was put in, a module was swapped, the address was given to another device, or something else (a simulator, a rogue device) now answers in its place.',
      check: [
        'Was this device replaced or a module swapped at this time (work order)? Do the new model and order number match the plant\'s spare?',
        'Is the new identity a simulator or a test tool (snap7, Conpot, a Modbus simulator)? That means another host is answering for the controller.',
        'Look for a MAC change (configuration.binding_change) or ARP poisoning (behavior.adversary_in_the_middle) alert for the same address; flapping between two identities means two devices answer for one address.',
      ],
      respond: [
        'If expected: update the asset record (model, serial) and resolve the alert; load and verify the controller program on the new hardware from the known-good copy.',
        'If not: find the device behind the address (MAC, switch port) and disconnect it until identified; check the commands it received or answered.',
      ],
    },
  },
  {
    fields: { model: 'Model', serial: 'Serial number', product: 'Product', order_number: 'Order number', hardware: 'Hardware revision', memory_card_serial: 'Memory card serial' },
    severity: (_field, ctx, ip) => (ctx.isIndustrialServer(ip) ? 'high' : 'medium'),
  },
);

// A host never seen in the learned baseline sends or receives traffic: a laptop, a vendor's PC, a new device.
import type { ModelingDetection } from './model.js';

export const newAsset: ModelingDetection = {
  id: 'modeling.new_asset',
  title: 'New host on the network',
  kind: 'modeling',
  severity: 'medium',
  confidence: 0.9,
  techniques: ['T0864'],
  change: 'asset',
  playbook: {
    meaning: 'An address that never appeared while the baseline was learned is talking on the network. In a control network the set of hosts rarely changes: a new one is a contractor laptop, a replaced device, or an intruder.',
    check: [
      'Who owns the address (DHCP lease, switch port, MAC vendor in the inventory)? Was a device added or replaced under a work order?',
      'What does it talk to and with which protocols (the first peer is in the alert; the communication map shows the rest)?',
    ],
    respond: [
      'If expected: learn it, so the baseline includes it.',
      'If not: find its switch port and disconnect it; check the hosts it reached for changes.',
    ],
  },
  describe: (d) => ({ title: `New host ${d.src} (first seen with ${String(d.facts.peer)}, ${String(d.facts.protocol)})`, severity: 'medium' }),
};

// A learned client/server edge carries an operation, or an access class of an operation, never seen on it.
import type { ModelingDetection } from './model.js';
import { operationSeverity } from './severity.js';

export const newOperation: ModelingDetection = {
  id: 'modeling.new_operation',
  title: 'New operation on a known connection',
  kind: 'modeling',
  severity: 'low',
  confidence: 0.9,
  techniques: ['T0855', 'T0861'],
  change: 'operation',
  playbook: {
    meaning: 'A client sent its server an operation it never sent during learning. A new read is often a new screen or tag; a new write, control or program operation on a path that only read is how a compromised HMI or a rogue script acts on the process.',
    check: [
      'Which operation and access class (facts, evidence target)? Writes, controls and program transfers come first.',
      'Did an operator or engineer act on this device at that time (shift log, change ticket)?',
      'Did the process values change after it?',
    ],
    respond: [
      'If expected: learn it.',
      'If not: verify the written values or device state with operations; isolate the client if it is not under your control.',
    ],
  },
  describe: (d) => ({
    title: `New operation ${String(d.facts.operation)} (${String(d.facts.access)}) from ${d.src} to ${d.dst} (${d.protocol})`,
    severity: operationSeverity(d.facts.access),
  }),
};

// Two hosts that talked during learning now talk with another protocol (or on another server port).
import type { ModelingDetection } from './model.js';
import { changesProcess } from './severity.js';

export const newProtocol: ModelingDetection = {
  id: 'modeling.new_protocol',
  title: 'New protocol between two hosts',
  kind: 'modeling',
  severity: 'medium',
  confidence: 0.85,
  techniques: ['T0869', 'T0886'],
  change: 'protocol',
  playbook: {
    meaning: 'A client and a server that have a learned relationship started using a protocol or port they never used: an HMI that begins speaking an engineering protocol to a PLC, a remote shell next to the usual polling.',
    check: [
      'Which protocol and port (facts)? An engineering or programming protocol (S7comm, UMAS, CIP) from an HMI is unusual.',
      'Was software on the client changed or updated, or is maintenance under way?',
    ],
    respond: [
      'If expected: learn it.',
      'If not: examine the client for remote-access tools; block the port between the hosts.',
    ],
  },
  describe: (d) => ({
    title: `New protocol ${String(d.facts.protocol)}/${String(d.facts.port)} from ${d.src} to ${d.dst}`,
    severity: changesProcess(d.facts.operations) ? 'high' : 'medium',
  }),
};

// Two hosts talk that never talked while the baseline was learned: a new communication path.
import type { ModelingDetection } from './model.js';
import { changesProcess } from './severity.js';

export const newEdge: ModelingDetection = {
  id: 'modeling.new_edge',
  title: 'New communication between two hosts',
  kind: 'modeling',
  severity: 'medium',
  confidence: 0.9,
  techniques: ['T0886', 'T0846'],
  change: 'edge',
  playbook: {
    meaning: 'A client opened a connection (or sent traffic) to a server it never talked to during learning. Control networks keep fixed paths; a new one is a configuration change, a scan, or an intruder moving between hosts.',
    check: [
      'Is the client supposed to reach this server (a new HMI screen, a new historian tag, maintenance access)?',
      'Which protocol and port, and which operations (facts)? Writes or program transfers on a new path matter most.',
      'Did the client open many new paths at once (a scan)?',
    ],
    respond: [
      'If expected: learn it.',
      'If not: block the path at the firewall between zones and examine the client.',
    ],
  },
  describe: (d) => ({
    title: `New communication ${d.src} → ${d.dst} (${String(d.facts.protocol)}/${String(d.facts.port)})`,
    severity: changesProcess(d.facts.operations) ? 'high' : 'medium',
  }),
};

// A client that was not a master of an industrial server during learning sends it requests (Rogue Master).
import type { ModelingDetection } from './model.js';

export const newMaster: ModelingDetection = {
  id: 'modeling.new_master',
  title: 'New master of a controller',
  kind: 'modeling',
  severity: 'high',
  confidence: 0.8,
  techniques: ['T0848'],
  change: 'master',
  playbook: {
    meaning: 'A host sends requests to a PLC, RTU or outstation whose learned masters are other hosts. Industrial protocols do not authenticate the master: a rogue master can read and command the device like the real one.',
    check: [
      'Is the host a known SCADA, HMI or engineering station (inventory role), perhaps a redundant or replaced one?',
      'Which operations did it send (facts)? Reads only is reconnaissance; writes, operates or program transfers act on the process.',
      'Is the device also polled by its usual master, and did that master notice anything (alarms, value jumps)?',
    ],
    respond: [
      'If expected (a new or backup master): learn it.',
      'If not: block the host from the control zone, check the device state and recent writes with operations.',
    ],
  },
  describe: (d) => ({ title: `New ${d.protocol} master ${d.src} of ${d.dst}`, severity: 'high' }),
};

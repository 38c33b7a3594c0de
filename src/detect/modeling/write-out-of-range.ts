// A write lands outside the address range written during learning, or in a data area never written on that server.
import type { ModelingDetection } from './model.js';

export const writeOutOfRange: ModelingDetection = {
  id: 'modeling.write_out_of_range',
  title: 'Write outside the learned address range',
  kind: 'modeling',
  severity: 'medium',
  confidence: 0.8,
  techniques: ['T0836', 'T0831'],
  change: 'write',
  playbook: {
    meaning: 'A device received a write (or command) to addresses its masters never wrote during learning. Normal operation writes the same setpoints and coils again and again; a write elsewhere changes a parameter or an output that was left alone.',
    check: [
      'Which unit, area and addresses (facts), and what do they drive on the device (ask for the register map)?',
      'Who wrote it: a learned master, or a new host?',
      'Did the process or the device configuration change?',
    ],
    respond: [
      'If expected (new setpoint, commissioning): learn it to widen the range.',
      'If not: restore the value from the master or the device configuration backup; isolate the writer.',
    ],
  },
  describe: (d) => {
    const f = d.facts;
    const at = f.address === null ? '' : f.end === f.address ? ` ${String(f.address)}` : ` ${String(f.address)}-${String(f.end)}`;
    const where = `${String(f.area)}${at}${f.unit === undefined ? '' : ` (unit ${String(f.unit)})`}`;
    return f.state === 'new_area'
      ? { title: `Write to ${where} on ${d.dst} from ${d.src}: never written before (${d.protocol})`, severity: 'high' }
      : { title: `Write to ${where} on ${d.dst} from ${d.src}: outside learned ${String(f.learned_min)}-${String(f.learned_max)} (${d.protocol})`, severity: 'medium' };
  },
};

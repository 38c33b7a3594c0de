// A periodic poll learned in the baseline changes its rate for several intervals in a row, or stops.
import type { ModelingDetection } from './model.js';

export const pollingChange: ModelingDetection = {
  id: 'modeling.polling_change',
  title: 'Polling rate changed or stopped',
  kind: 'modeling',
  severity: 'medium',
  confidence: 0.6,
  techniques: ['T0815', 'T0814'],
  change: 'polling',
  playbook: {
    meaning: 'A master polls its devices at a steady rate. A poll that stops leaves operators blind to that data (Denial of View); a poll that speeds up or slows down means the master was reconfigured, is overloaded, or another program is sending the requests.',
    check: [
      'Is the master still running, and does the HMI still update the values of this device?',
      'Was the master or the device restarted, reconfigured or replaced (facts give the learned and observed intervals)?',
      'Is the device answering (exceptions, timeouts in the evidence)?',
    ],
    respond: [
      'If the new rate is intended: learn it (a poll that stopped for good is forgotten).',
      'If not: restore the master\'s configuration; if the device stopped answering, check it on site.',
    ],
  },
  describe: (d) => {
    const f = d.facts;
    const n = Array.isArray(f.polls) ? f.polls.length : 1;
    return f.state === 'stopped'
      ? { title: `${n > 1 ? `${n} polls` : `Poll ${String(f.operation)}`} from ${d.src} to ${d.dst} stopped (${String(f.operation)} every ${String(f.mean)} s, silent ${String(f.silent_sec)} s)`, severity: 'medium' }
      : { title: `Poll ${String(f.operation)} from ${d.src} to ${d.dst} changed rate: every ${String(f.observed_mean)} s, learned ${String(f.mean)} s`, severity: 'medium' };
  },
};

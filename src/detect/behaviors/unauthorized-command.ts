// Commands (writes, operates, setpoints) to a device from a host that is not one of its established masters: a host
// that talked to the device for less than MASTER_AFTER_SEC while another client had been talking to it longer.
// A device with a single client is never judged (there is no master to compare with).
import type { TransactionRecord } from '../../pipeline/detail.js';
import { actionOf } from '../semantics.js';
import type { Detection, DetectionInfo, DetectContext } from '../types.js';
import { evidenceOf } from './on-action.js';
import { MASTER_AFTER_SEC, MasterTable } from './masters.js';

export { MASTER_AFTER_SEC };


const info: DetectionInfo = {
  id: 'behavior.unauthorized_command',
  title: 'Command from a host that is not a master of the device',
  kind: 'behavior',
  severity: 'high',
  confidence: 0.7,
  techniques: ['T0855', 'T0831'],
  playbook: {
    meaning: 'A host sent commands (writes, operates, setpoints) to a device whose established master is another host. Industrial protocols do not authenticate: a device obeys whoever writes.',
    check: ['Is the source a new HMI, a test tool or an engineering laptop that is allowed to command this device?', 'Which points were written, and what do they drive (evidence)?', 'Did the process react?'],
    respond: ['If not allowed: block the source at the zone boundary, verify the written values with operators, restore them from the master.'],
  },
};

export const unauthorizedCommand: Detection = {
  ...info,
  create() {
    const table = new MasterTable();
    return {
      transaction(t: TransactionRecord, ctx: DetectContext) {
        if (t.origin !== 'client') return;
        const talking = table.see(t);
        if (actionOf(t) !== 'command' && t.operation.access !== 'write') return;
        if (talking >= MASTER_AFTER_SEC) return;
        const masters = table.masters(t.server.ip, t.client.ip, t.ts);
        if (masters.length === 0) return;
        ctx.raise(info, {
          ts: t.ts,
          src: t.client.ip,
          dst: t.server.ip,
          protocol: t.protocol,
          title: `${t.protocol} command to ${t.server.ip} from ${t.client.ip}, not one of its masters (${masters.slice(0, 3).join(', ')})`,
          evidence: evidenceOf(t),
          facts: { masters: masters.slice(0, 10) },
        });
      },
    };
  },
};

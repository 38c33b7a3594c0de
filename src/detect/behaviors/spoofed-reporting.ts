// Spoofed reporting: process data in the monitoring direction from a side that should not send it. DNP3 unsolicited
// responses from a host never seen answering as an outstation, to a master whose outstations are known; IEC 104
// monitor-direction ASDUs (M_*) sent by the controlling (client) side; Modbus responses with no request, repeatedly.
import type { TransactionRecord } from '../../pipeline/detail.js';
import type { Detection, DetectionInfo, DetectContext, Finding } from '../types.js';
import { evidenceOf } from './on-action.js';
import { WindowTable } from './window.js';

/**
 * Modbus responses without a request per ORPHAN_WINDOW_SEC on one connection: a capture that starts mid-exchange or
 * loses a segment orphans one or two; injected responses keep coming.
 */
export const ORPHAN_MIN_RESPONSES = 5;
export const ORPHAN_WINDOW_SEC = 60;
const MAX_OUTSTATIONS = 50_000;
const MAX_MASTERS = 10_000;
const MAX_PAIRS = 20_000;

const info: DetectionInfo = {
  id: 'behavior.spoofed_reporting',
  title: 'Process data from an unexpected source',
  kind: 'behavior',
  severity: 'high',
  confidence: 0.6,
  techniques: ['T0856'],
  playbook: {
    meaning:
      'Measurements or events reached a master from a host or direction that does not normally send them: a host reporting as an outstation it is not, a controlling station sending monitor data, responses nobody asked for. Operators may be shown a process state that is not real.',
    check: [
      'Is the source a known device (a new outstation, a redundant RTU, a gateway) whose reports are expected?',
      'Do the reported values match the field (local panels, another source of the same measurement)?',
      'Did an ARP change or a new host appear just before (man in the middle)?',
    ],
    respond: [
      'If the source is not a legitimate outstation: block it, tell operators which values to distrust, and confirm the process state by other means.',
      'Look for control actions operators took on the strength of the spoofed values.',
    ],
  },
};

export const spoofedReporting: Detection = {
  ...info,
  create() {
    /** Hosts seen answering a DNP3 request: the outstations. */
    const outstations = new Set<string>();
    /** Masters seen polling an outstation that answered. */
    const masters = new Set<string>();
    /** DNP3 outstation address → the host that answered under it. */
    const addressHost = new Map<number, string>();
    const orphans = new WindowTable<{ start: number; n: number }>(ORPHAN_WINDOW_SEC, MAX_PAIRS, (start) => ({ start, n: 0 }));

    function raise(ctx: DetectContext, t: TransactionRecord, src: string, dst: string, key: string, title: string, facts?: Finding['facts']): void {
      ctx.raise(info, { ts: t.ts, src, dst, protocol: t.protocol, key, title, evidence: evidenceOf(t), ...(facts !== undefined ? { facts } : {}) });
    }

    function dnp3(t: TransactionRecord, ctx: DetectContext): void {
      const sender = t.origin === 'client' ? t.client.ip : t.server.ip;
      const receiver = t.origin === 'client' ? t.server.ip : t.client.ip;
      const unit = t.target.unit;
      if (t.operation.name !== 'unsolicited_response') {
        // A request with its answer: the answering side is an outstation, the asking side its master.
        if (t.latency_ms === null || t.outcome === 'no_response') return;
        if (outstations.size < MAX_OUTSTATIONS) outstations.add(receiver);
        if (masters.size < MAX_MASTERS) masters.add(sender);
        if (typeof unit === 'number' && (addressHost.has(unit) || addressHost.size < MAX_OUTSTATIONS)) addressHost.set(unit, receiver);
        return;
      }
      if (outstations.has(sender) || ctx.isIndustrialServer(sender) || !masters.has(receiver)) return;
      const owner = typeof unit === 'number' ? addressHost.get(unit) : undefined;
      const claims = owner !== undefined && owner !== sender ? `, claiming outstation address ${String(unit)} of ${owner}` : '';
      raise(ctx, t, sender, receiver, 'dnp3_unsolicited', `DNP3 unsolicited response to master ${receiver} from ${sender}, never seen answering as an outstation${claims}`, {
        outstation_address: unit ?? null,
        address_owner: owner ?? null,
      });
    }

    return {
      transaction(t: TransactionRecord, ctx: DetectContext) {
        if (t.protocol === 'dnp3') dnp3(t, ctx);
        else if (t.protocol === 'iec104') {
          if (t.origin === 'client' && t.operation.name.startsWith('M_')) {
            raise(ctx, t, t.client.ip, t.server.ip, 'iec104_monitor_from_client', `IEC 104 monitor data (${t.operation.name}) sent by the controlling side ${t.client.ip} to ${t.server.ip}`);
          }
        } else if (t.protocol === 'modbus' && t.origin === 'server') {
          const w = orphans.at(`${t.flow}`, t.ts);
          if (w === null || ++w.n < ORPHAN_MIN_RESPONSES) return;
          raise(ctx, t, t.server.ip, t.client.ip, 'modbus_orphan_response', `Modbus responses without requests from ${t.server.ip} to ${t.client.ip} (${w.n} in ${ORPHAN_WINDOW_SEC} s)`, {
            responses_in_window: w.n,
          });
        }
      },
      expire(nowSec: number) {
        orphans.expire(nowSec);
      },
    };
  },
};

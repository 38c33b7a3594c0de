// Denial of service against a device: a request flood (a client's rate to one server far above its own earlier
// rate), a storm of answers that say the device cannot cope (busy, out of resources, device failure), and IEC 104
// STARTDT/STOPDT from a host that is not the established master (with redundant connections, a STARTDT moves the
// data stream to the caller's connection). Request errors (illegal address, unknown property) are not distress: HMIs
// poll misconfigured points for years, and address sweeps are behavior.remote_discovery's.
import type { TransactionRecord } from '../../pipeline/detail.js';
import type { Detection, DetectionInfo, DetectContext } from '../types.js';
import { evidenceOf } from './on-action.js';
import { MASTER_AFTER_SEC, MasterTable } from './masters.js';
import { PairWindowTable } from './window.js';

/**
 * Requests from one client to one server per FLOOD_WINDOW_SEC: 100 a second sustained for 5 s. Requests of one packet
 * (CIP multiple-service packets) count once. Fast HMIs poll at 300/s (emreekin's EtherNet/IP lab), so the rate must
 * also be FLOOD_FACTOR times the pair's busiest earlier window; the first window of the input only learns.
 */
export const FLOOD_MIN_REQUESTS = 500;
export const FLOOD_WINDOW_SEC = 5;
export const FLOOD_FACTOR = 10;
/** A pair's earlier rate is remembered this long after its last request. */
export const FLOOD_MEMORY_SEC = 600;
/** Distress answers (busy, no resources, device failure) on one pair per DISTRESS_WINDOW_SEC. */
export const DISTRESS_MIN = 20;
export const DISTRESS_WINDOW_SEC = 60;
const MAX_PAIRS = 20_000;

/** Error names (per protocol code tables) that say the device is overloaded or failing, not that the request was wrong. */
const DISTRESS_ERRORS: ReadonlySet<string> = new Set([
  'server_device_failure', // modbus 4
  'server_device_busy', // modbus 6
  'device_busy', // bacnet
  'busy', // bacnet
  'out_of_resources', // bacnet abort
  'no_resources_available', // s7comm
  'insufficient_memory', // enip
  'event_buffer_overflow', // dnp3 IIN2
  'BadServerTooBusy', // opcua
  'BadTcpServerTooBusy',
  'BadTooManySessions',
  'BadTooManyOperations',
  'BadResourceUnavailable',
  'BadOutOfMemory',
  'BadTcpNotEnoughResources',
  'BadServerHalted',
  'BadDeviceFailure',
]);

const info: DetectionInfo = {
  id: 'behavior.denial_of_service',
  title: 'Denial of service against a device',
  kind: 'behavior',
  severity: 'high',
  confidence: 0.65,
  techniques: ['T0814', 'T0815'],
  playbook: {
    meaning:
      'A device is being overwhelmed or cut off from its master: a host floods it with requests, it refuses request after request, or a host that is not its master took over its IEC 104 data transfer. Operators may lose sight of the process (stale values) and the device may stop controlling.',
    check: [
      'Is the device still answering its master with fresh values (look at its latest transactions)?',
      'Is the source a known master or tool, misconfigured (a poll loop without delay, a wrong register map), or unknown?',
      'For IEC 104: which connection is active now, the master\'s or the source\'s?',
    ],
    respond: [
      'If the source is not a legitimate master: block it at the zone boundary and check the device (it may need a restart to recover).',
      'If it is a misconfigured master: fix its poll rate or register map with the owner of the system.',
    ],
  },
};

interface PairRate {
  start: number;
  requests: number;
  lastTs: number;
  /** Requests in the pair's busiest earlier window. */
  busiest: number;
  fired: boolean;
}

export const denialOfService: Detection = {
  ...info,
  create() {
    let firstTs = Number.NaN;
    /** client → server → request rate. */
    const rates = new Map<string, Map<string, PairRate>>();
    let pairCount = 0;
    const distress = new PairWindowTable<{ start: number; n: number }>(DISTRESS_WINDOW_SEC, MAX_PAIRS, (start) => ({ start, n: 0 }));
    /** IEC 104 server → client → first seen. */
    const iec104 = new MasterTable();

    function flood(t: TransactionRecord, ctx: DetectContext): void {
      let servers = rates.get(t.client.ip);
      let r = servers?.get(t.server.ip);
      if (r === undefined) {
        if (pairCount >= MAX_PAIRS) return;
        if (servers === undefined) rates.set(t.client.ip, (servers = new Map()));
        servers.set(t.server.ip, (r = { start: t.ts, requests: 0, lastTs: Number.NaN, busiest: 0, fired: false }));
        pairCount++;
      } else if (t.ts - r.start >= FLOOD_WINDOW_SEC) {
        if (r.requests > r.busiest) r.busiest = r.requests;
        r.start = t.ts;
        r.requests = 0;
        r.fired = false;
      }
      if (t.ts === r.lastTs) return;
      r.lastTs = t.ts;
      r.requests++;
      if (r.fired || r.requests < FLOOD_MIN_REQUESTS || r.requests < FLOOD_FACTOR * r.busiest || r.start - firstTs < FLOOD_WINDOW_SEC) return;
      r.fired = true;
      ctx.raise(info, {
        ts: t.ts,
        src: t.client.ip,
        dst: t.server.ip,
        protocol: t.protocol,
        key: 'flood',
        title: `Request flood: ${t.client.ip} sent ${r.requests} ${t.protocol} requests to ${t.server.ip} in ${FLOOD_WINDOW_SEC} s (busiest before: ${r.busiest})`,
        evidence: evidenceOf(t),
        facts: { requests_in_window: r.requests, window_sec: FLOOD_WINDOW_SEC, busiest_window_before: r.busiest },
      });
    }

    function storm(t: TransactionRecord, ctx: DetectContext): void {
      const w = distress.at(t.client.ip, t.server.ip, t.ts);
      if (w === null || ++w.n !== DISTRESS_MIN) return;
      ctx.raise(info, {
        ts: t.ts,
        src: t.client.ip,
        dst: t.server.ip,
        protocol: t.protocol,
        key: 'distress',
        title: `${t.server.ip} answered ${w.n} ${t.protocol} requests from ${t.client.ip} with ${t.error?.name ?? 'busy'} in ${DISTRESS_WINDOW_SEC} s: overloaded or failing`,
        evidence: evidenceOf(t, t.error?.name),
        facts: { distress_answers_in_window: w.n, window_sec: DISTRESS_WINDOW_SEC, error: t.error?.name ?? null },
      });
    }

    function dataTransfer(t: TransactionRecord, ctx: DetectContext): void {
      const talking = iec104.see(t);
      const op = t.operation.name;
      if ((op !== 'startdt' && op !== 'stopdt') || talking >= MASTER_AFTER_SEC) return;
      const masters = iec104.masters(t.server.ip, t.client.ip, t.ts);
      if (masters.length === 0) return;
      ctx.raise(info, {
        ts: t.ts,
        src: t.client.ip,
        dst: t.server.ip,
        protocol: t.protocol,
        key: op,
        title: `IEC 104 ${op.toUpperCase()} to ${t.server.ip} from ${t.client.ip}, not its master (${masters.slice(0, 3).join(', ')})`,
        evidence: evidenceOf(t),
        facts: { masters: masters.slice(0, 10) },
      });
    }

    return {
      transaction(t: TransactionRecord, ctx: DetectContext) {
        if (Number.isNaN(firstTs)) firstTs = t.ts;
        if (t.origin !== 'client') return;
        if (t.protocol === 'iec104') dataTransfer(t, ctx);
        flood(t, ctx);
        if (t.outcome === 'exception' && t.error !== undefined && DISTRESS_ERRORS.has(t.error.name)) storm(t, ctx);
      },
      expire(nowSec: number) {
        for (const [client, servers] of rates) {
          for (const [server, r] of servers) {
            if (nowSec - r.lastTs < FLOOD_MEMORY_SEC) continue;
            servers.delete(server);
            pairCount--;
          }
          if (servers.size === 0) rates.delete(client);
        }
        distress.expire(nowSec);
      },
    };
  },
};

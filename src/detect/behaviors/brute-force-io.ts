// Brute force I/O: a burst of writes or commands to one point (server, unit, area, address), e.g. a coil toggled
// over and over. A point written at a high cyclic rate (a watchdog, an output block rewritten every scan, Lemay's
// covert-channel coil) is normal traffic for it: a point fires the first time it reaches the burst rate, and not again
// while it keeps being written (BRUTE_MEMORY_SEC). The first window of the input only learns rates: a capture that
// starts inside a cyclic write is not judged.
import type { TransactionRecord } from '../../pipeline/detail.js';
import { actionOf } from '../semantics.js';
import type { Detection, DetectionInfo, DetectContext } from '../types.js';
import { evidenceOf } from './on-action.js';

/** Writes to one point per BRUTE_WINDOW_SEC: 2 a second, above a 1 Hz heartbeat and far above an operator's hand. */
export const BRUTE_MIN_WRITES = 20;
export const BRUTE_WINDOW_SEC = 10;
/** A point not written for this long is forgotten (its next burst fires again). */
export const BRUTE_MEMORY_SEC = 600;
const MAX_POINTS = 50_000;

const info: DetectionInfo = {
  id: 'behavior.brute_force_io',
  title: 'Burst of writes to one point',
  kind: 'behavior',
  severity: 'high',
  confidence: 0.7,
  techniques: ['T0806'],
  playbook: {
    meaning:
      'A host wrote or commanded the same point many times in a few seconds: a valve, breaker or motor may be driven back and forth, wearing or damaging the equipment and upsetting the process.',
    check: [
      'Which point (unit, area, address) and what equipment does it drive?',
      'Is the source the device\'s master, and did operators or a sequence command it (a test, a jog, a ramp)?',
      'Did the process or the equipment react (alarms, trips)?',
    ],
    respond: [
      'If unexpected: put the equipment in a safe state locally, block the source, restore the point\'s value from the master.',
      'If it is a known cyclic write: mark the alert learned.',
    ],
  },
};

interface PointState {
  start: number;
  writes: number;
  lastTs: number;
  /** The point has been written at the burst rate before: a cyclic writer. */
  rateSeen: boolean;
}

export const bruteForceIo: Detection = {
  ...info,
  create() {
    let firstTs = Number.NaN;
    const points = new Map<string, PointState>();
    return {
      transaction(t: TransactionRecord, ctx: DetectContext) {
        if (Number.isNaN(firstTs)) firstTs = t.ts;
        if (t.origin !== 'client') return;
        if (t.operation.access !== 'write' && actionOf(t) !== 'command') return;
        // A DNP3 select arms the point; the operate after it is the change (counting both would halve the threshold).
        if (t.operation.name === 'select') return;
        const g = t.target;
        // A point has an address; writes without one (OPC UA AddNodes, a DNP3 operate whose objects did not parse) are not I/O points.
        if (g.address === undefined) return;
        const key = `${t.protocol}|${t.server.ip}|${g.unit ?? ''}|${g.area ?? ''}|${g.address ?? ''}`;
        let p = points.get(key);
        if (p === undefined) {
          if (points.size >= MAX_POINTS) return;
          points.set(key, (p = { start: t.ts, writes: 0, lastTs: t.ts, rateSeen: false }));
        } else if (t.ts - p.start >= BRUTE_WINDOW_SEC) {
          p.start = t.ts;
          p.writes = 0;
        }
        p.writes++;
        if (t.ts > p.lastTs) p.lastTs = t.ts;
        if (p.writes !== BRUTE_MIN_WRITES) return;
        const judged = !p.rateSeen && p.start - firstTs >= BRUTE_WINDOW_SEC;
        p.rateSeen = true;
        if (!judged) return;
        ctx.raise(info, {
          ts: t.ts,
          src: t.client.ip,
          dst: t.server.ip,
          protocol: t.protocol,
          key: `${g.unit ?? ''}|${g.area ?? ''}|${g.address ?? ''}`,
          title: `${p.writes} writes in ${BRUTE_WINDOW_SEC} s to one point of ${t.server.ip} by ${t.client.ip} (${t.protocol} ${g.area ?? t.operation.name}${g.address !== undefined ? ` ${String(g.address)}` : ''}${g.unit !== undefined ? `, unit ${String(g.unit)}` : ''})`,
          evidence: evidenceOf(t),
          facts: { writes_in_window: p.writes, window_sec: BRUTE_WINDOW_SEC },
        });
      },
      expire(nowSec: number) {
        for (const [key, p] of points) if (nowSec - p.lastTs >= BRUTE_MEMORY_SEC) points.delete(key);
      },
    };
  },
};

// The shape most behaviour detections share: fire on every transaction whose action (semantics.ts) is one of a set,
// one alert per (client, server, action), with the operation as evidence. Failed requests fire too (an attempt is
// news), at the detection's severity; the outcome is in the evidence.
import type { TransactionRecord } from '../../pipeline/detail.js';
import { actionOf, type Action } from '../semantics.js';
import type { Detection, DetectionInfo, DetectContext, Finding } from '../types.js';

export function evidenceOf(t: TransactionRecord, note?: string): Finding['evidence'] {
  const name = t.operation.sub !== undefined ? `${t.operation.name}/${t.operation.sub.name}` : t.operation.name;
  // The target is the record's own (records are never changed after they are made): no copy per finding.
  return note === undefined ? { ts: t.ts, flow: t.flow, protocol: t.protocol, what: name, target: t.target, outcome: t.outcome } : { ts: t.ts, flow: t.flow, protocol: t.protocol, what: name, target: t.target, outcome: t.outcome, note };
}

/** A detection firing on transactions with one of `actions`; `title` writes the alert's title from the first one. */
export function actionDetection(info: DetectionInfo, actions: readonly Action[], title: (t: TransactionRecord, action: Action) => string): Detection {
  const wanted = new Set<Action>(actions);
  return {
    ...info,
    create: () => ({
      transaction(t: TransactionRecord, ctx: DetectContext) {
        if (t.origin !== 'client') return;
        const action = actionOf(t);
        if (action === null || !wanted.has(action)) return;
        ctx.raise(info, { ts: t.ts, src: t.client.ip, dst: t.server.ip, protocol: t.protocol, key: action, title: title(t, action), evidence: evidenceOf(t), facts: { action } });
      },
    }),
  };
}

// The modeling detections (learned baseline, then deviations), made into Detections that share one Baseline and one
// ModelingRun per pipeline: the run is keyed by the pipeline's DetectContext, so the first detection to see a record
// analyses it and the others read the result (docs/modeling.md).
import type { FlowRecord } from '../../flow/flow.js';
import type { TransactionRecord } from '../../pipeline/detail.js';
import type { DetectContext, Detection, Detector } from '../types.js';
import { Baseline } from './baseline.js';
import { ModelingRun, type Change, type Deviation, type ModelingDetection, type ModelingOptions } from './model.js';
import { newAsset } from './new-asset.js';
import { newEdge } from './new-edge.js';
import { newProtocol } from './new-protocol.js';
import { newOperation } from './new-operation.js';
import { newMaster } from './new-master.js';
import { writeOutOfRange } from './write-out-of-range.js';
import { pollingChange } from './polling-change.js';

export { Baseline, BaselineFormatError, BASELINE_VERSION, DEFAULT_LEARN_SECONDS, type BaselineJson, type BaselineCaps } from './baseline.js';
export type { Deviation, ModelingOptions, ModelingDetection, Change } from './model.js';

export const MODELING_DETECTIONS: readonly ModelingDetection[] = [newAsset, newEdge, newProtocol, newOperation, newMaster, writeOutOfRange, pollingChange];

/**
 * The modeling detections over `baseline`: one Baseline shared by every pipeline they run in, or a function giving
 * each pipeline its own (the built-in catalog's choice, so that no state is global).
 */
export function modelingDetections(baseline: Baseline | (() => Baseline), options: ModelingOptions = {}): Detection[] {
  const runs = new WeakMap<DetectContext, ModelingRun>();
  const ids: Partial<Record<Change, string>> = {};
  for (const m of MODELING_DETECTIONS) ids[m.change] = m.id;
  const runOf = (ctx: DetectContext): ModelingRun => {
    let run = runs.get(ctx);
    if (run === undefined) runs.set(ctx, (run = new ModelingRun(typeof baseline === 'function' ? baseline() : baseline, options, ids)));
    return run;
  };
  return MODELING_DETECTIONS.map((m) => {
    const { describe, change, ...info } = m;
    const raise = (ctx: DetectContext, devs: readonly Deviation[]): void => {
      for (const d of devs) {
        if (d.change !== change) continue;
        const { title, severity } = describe(d);
        ctx.raise(info, { ts: d.ts, src: d.src, dst: d.dst, protocol: d.protocol, key: d.key, title, severity, evidence: d.evidence, facts: d.facts });
      }
    };
    return {
      ...info,
      create(): Detector {
        let run: ModelingRun | null = null;
        return {
          transaction(t: TransactionRecord, ctx: DetectContext) {
            raise(ctx, (run ??= runOf(ctx)).transaction(t, ctx));
          },
          flowEnd(f: FlowRecord, ctx: DetectContext) {
            raise(ctx, (run ??= runOf(ctx)).flowEnd(f));
          },
          expire(nowSec: number, ctx: DetectContext) {
            raise(ctx, (run ??= runOf(ctx)).expire(nowSec));
          },
        };
      },
    };
  });
}

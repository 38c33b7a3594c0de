// Detections' view of the inventory (DetectContext.asset): an address's asset with its roles, Purdue level,
// criticality, zone and identity, judged from the whole communication map as a snapshot would, and re-judged at most
// once per REFRESH_SEC of capture time, so a rule over asset context costs a map look-up per transaction.
import type { FlowRecord } from '../flow/flow.js';
import type { Asset } from '../inventory/assets.js';
import type { Inventory } from '../inventory/inventory.js';
import { judgeAssets, type Judgement } from '../inventory/snapshot.js';
import type { AssetContext } from '../detect/types.js';

/** Capture seconds between judgements: roles move slowly, and a judgement walks every edge. */
export const REFRESH_SEC = 60;
/** An asset born since the last judgement waits at most this long for its first one. */
const NEW_ASSET_REFRESH_SEC = 5;

export class AssetContexts {
  private judged = new Map<Asset, Judgement>();
  private judgedAt = -Infinity;
  private readonly views = new Map<Asset, AssetContext>();

  constructor(
    private readonly inventory: Inventory,
    private readonly activeFlows: () => Iterable<FlowRecord>,
    private readonly clock: () => number,
  ) {}

  get(ip: string): AssetContext | null {
    const raw = this.inventory.assets.byIp.get(ip);
    if (raw === undefined) return null;
    const a = this.inventory.assets.resolve(raw);
    const now = this.clock();
    if (now - this.judgedAt >= REFRESH_SEC || (!this.judged.has(a) && now - this.judgedAt >= NEW_ASSET_REFRESH_SEC)) this.judge(now);
    let v = this.views.get(a);
    if (v === undefined) {
      v = view(a, this.judged.get(a));
      this.views.set(a, v);
    }
    return v;
  }

  private judge(now: number): void {
    this.judged = judgeAssets(this.inventory, this.activeFlows());
    this.judgedAt = now;
    this.views.clear();
  }
}

function view(a: Asset, j: Judgement | undefined): AssetContext {
  const text = (p: string): string | null => {
    const v = a.best(p)?.value;
    return v === undefined ? null : String(v);
  };
  return {
    id: a.id,
    roles: j === undefined ? ['unknown'] : j.roles.map((r) => r.role),
    purdue: j?.purdue.level ?? null,
    criticality: j?.criticality ?? 'medium',
    zone: j?.zones[0] ?? null,
    vendor: text('identity.vendor'),
    model: text('identity.model') ?? text('identity.product'),
    external: j?.external ?? false,
  };
}

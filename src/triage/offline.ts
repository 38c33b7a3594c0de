// Triage of one analysis run (`lantern analyze --export`): every alert scored against its target asset, and the
// alerts grouped into incidents in capture order, as the server does as they arrive.
import type { DetectedAlert } from '../detect/alerts.js';
import type { AssetContext } from '../detect/types.js';
import { scoreAlert } from './alert-triage.js';
import { assignIncident, describeIncident, MemoryIncidentIndex, type IncidentView, type TriageAlert } from './incidents.js';
import type { Queue, ScoreFactor } from './score.js';

export type TriagedAlert = DetectedAlert & { score: number; queue: Queue; score_factors: ScoreFactor[]; incident: string | null };
export type OfflineIncident = { id: string; alert_ids: string[] } & IncidentView;

export function triageRun(alerts: Iterable<DetectedAlert>, assetOf: (ip: string) => AssetContext | null): { alerts: TriagedAlert[]; incidents: OfflineIncident[] } {
  const out: TriagedAlert[] = [];
  for (const a of alerts) {
    const s = scoreAlert(a, assetOf);
    out.push({ ...a, score: s.score, queue: s.queue, score_factors: [...s.factors], incident: null });
  }
  // Grouped in the order they began, as a sensor would have seen them.
  const ordered = [...out].sort((x, y) => x.first_seen - y.first_seen || (x.id < y.id ? -1 : 1));
  const index = new MemoryIncidentIndex();
  const byId = new Map<string, TriagedAlert>();
  for (const a of ordered) {
    byId.set(a.id, a);
    assignIncident(index, triageAlert(a));
  }
  const incidents: OfflineIncident[] = [];
  for (const i of index.incidents.values()) {
    for (const m of i.members) byId.get(m.id)!.incident = i.id;
    incidents.push({ id: i.id, alert_ids: i.members.map((m) => m.id), ...describeIncident(i.members) });
  }
  incidents.sort((x, y) => y.score - x.score || x.first_seen - y.first_seen);
  return { alerts: out, incidents };
}

function triageAlert(a: TriagedAlert): TriageAlert {
  return { id: a.id, detection: a.detection, title: a.title, severity: a.severity, score: a.score, techniques: a.techniques, src: a.src?.ip ?? null, dst: a.dst?.ip ?? null, first_seen: a.first_seen, last_seen: a.last_seen, count: a.count };
}

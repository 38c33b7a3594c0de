// The notifier's view of an alert, from the detection's record (src/detect/alerts.ts) or the store's (whose details
// hold the detection's fields: toStoreAlert), with the risk score the caller computed.
import type { DetectedAlert } from '../detect/alerts.js';
import type { AlertRecord } from '../store/store.js';
import type { NotifyAlert, NotifyEndpoint } from './types.js';

/** `base` is the console's address (`https://lantern.example:8180`): the alert's link is `base/alerts/<id>`. */
export function alertUrl(base: string | undefined, id: string): string | undefined {
  return base === undefined || base === '' ? undefined : `${base.replace(/\/+$/, '')}/alerts/${encodeURIComponent(id)}`;
}

export function fromDetectedAlert(a: DetectedAlert, score: number, status = 'new', consoleBase?: string): NotifyAlert {
  const url = alertUrl(consoleBase, a.id);
  return {
    id: a.id,
    detection: a.detection,
    title: a.title,
    kind: a.kind,
    severity: a.severity,
    score,
    confidence: a.confidence,
    techniques: [...a.techniques],
    tactics: [...a.tactics],
    src: a.src,
    dst: a.dst,
    protocol: a.protocol,
    first_seen: a.first_seen,
    last_seen: a.last_seen,
    count: a.count,
    status,
    ...(url !== undefined ? { url } : {}),
  };
}

export function fromStoreAlert(a: AlertRecord, score: number, consoleBase?: string): NotifyAlert {
  const d = a.details;
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const endpoint = (v: unknown): NotifyEndpoint | null => {
    if (v === null || typeof v !== 'object') return null;
    const e = v as { ip?: unknown; asset?: unknown };
    return typeof e.ip === 'string' ? { ip: e.ip, asset: typeof e.asset === 'string' ? e.asset : null } : null;
  };
  const url = alertUrl(consoleBase, a.id);
  return {
    id: a.id,
    detection: a.detection,
    title: a.title,
    kind: typeof d.kind === 'string' ? d.kind : 'behavior',
    severity: a.severity,
    score,
    confidence: typeof d.confidence === 'number' ? d.confidence : 0,
    techniques: strings(d.techniques),
    tactics: strings(d.tactics),
    src: endpoint(d.src),
    dst: endpoint(d.dst),
    protocol: typeof d.protocol === 'string' ? d.protocol : null,
    first_seen: a.first_seen,
    last_seen: a.last_seen,
    count: a.count,
    status: a.status,
    ...(url !== undefined ? { url } : {}),
  };
}

// `--export DIR`: the detections' alerts as DIR/alerts.json and their incidents as DIR/incidents.json (arrays, one
// record per line; docs/detection.md, docs/triage.md).
import { closeSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { DetectedAlert } from '../detect/alerts.js';
import type { OfflineIncident } from '../triage/offline.js';

export function writeAlerts(dir: string, alerts: Iterable<DetectedAlert>): number {
  return writeArray(dir, 'alerts.json', alerts);
}

export function writeIncidents(dir: string, incidents: Iterable<OfflineIncident>): number {
  return writeArray(dir, 'incidents.json', incidents);
}

function writeArray(dir: string, name: string, records: Iterable<unknown>): number {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  let n = 0;
  try {
    writeSync(fd, '[');
    for (const a of records) writeSync(fd, `${n++ === 0 ? '\n' : ',\n'}${JSON.stringify(a)}`);
    writeSync(fd, n === 0 ? ']\n' : '\n]\n');
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  return n;
}

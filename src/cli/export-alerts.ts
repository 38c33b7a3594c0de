// `--export DIR`: the detections' alerts as DIR/alerts.json (an array, one alert per line; docs/detection.md).
import { closeSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { DetectedAlert } from '../detect/alerts.js';

export function writeAlerts(dir: string, alerts: Iterable<DetectedAlert>): number {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'alerts.json');
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  let n = 0;
  try {
    writeSync(fd, '[');
    for (const a of alerts) writeSync(fd, `${n++ === 0 ? '\n' : ',\n'}${JSON.stringify(a)}`);
    writeSync(fd, n === 0 ? ']\n' : '\n]\n');
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  return n;
}

// `--export DIR`: writes the analysis results as files (summary.json now; events, assets and alerts in later stages).
import { mkdirSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Summary } from '../pipeline/summary.js';

export function writeExport(dir: string, summary: Summary): void {
  mkdirSync(dir, { recursive: true });
  writeJsonAtomic(join(dir, 'summary.json'), summary);
}

/** Writes through a temporary file and a rename, so a reader never sees half a file. */
function writeJsonAtomic(path: string, value: unknown): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n');
  renameSync(tmp, path);
}

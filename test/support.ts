// Shared helpers for the cross-stage tests: paths, the corpus manifest, running the CLI.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';

/** Repository root: tests run from it (`npm test`), but do not rely on cwd. */
export const REPO_ROOT = resolve(new URL('../../', import.meta.url).pathname);
export const TESTDATA = join(REPO_ROOT, 'test', 'testdata');
export const CORPUS_DIR = resolve(REPO_ROOT, '..', 'shared', 'data', 'ics-corpus');
export const CORPUS_PRESENT = existsSync(join(CORPUS_DIR, 'MANIFEST.tsv'));
export const CORPUS_SKIP_REASON = CORPUS_PRESENT ? false : `corpus not found at ${CORPUS_DIR}: corpus suite SKIPPED`;

export interface ManifestRow {
  path: string;
  absPath: string;
  packets: number;
  bytes: number;
  protocols: string;
  notes: string;
}

export function readManifest(): ManifestRow[] {
  const text = readFileSync(join(CORPUS_DIR, 'MANIFEST.tsv'), 'utf8');
  const [header, ...lines] = text.split('\n').filter((l) => l.length > 0);
  const cols = header.split('\t');
  const at = (name: string) => cols.indexOf(name);
  return lines.map((line) => {
    const f = line.split('\t');
    return {
      path: f[at('local_path')],
      absPath: join(CORPUS_DIR, f[at('local_path')]),
      packets: Number(f[at('packets')]),
      bytes: Number(f[at('bytes')]),
      protocols: f[at('protocol(s)')],
      notes: f[at('notes')],
    };
  });
}

export function runLantern(args: string[], input?: Uint8Array): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'lantern.js'), ...args], {
    input,
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
}

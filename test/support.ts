// Shared helpers for the cross-stage tests: paths, the corpus manifest, running the CLI.
import { join } from 'node:path';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { REPO_ROOT } from '../src/common/corpus.js';

export { REPO_ROOT, CORPUS_DIR, CORPUS_PRESENT, CORPUS_SKIP_REASON, readManifest, type ManifestRow } from '../src/common/corpus.js';
export const TESTDATA = join(REPO_ROOT, 'test', 'testdata');

export function runLantern(args: string[], input?: Uint8Array): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'lantern.js'), ...args], {
    input,
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
}

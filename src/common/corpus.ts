// Test support: the shared ICS capture corpus (../shared/data/ics-corpus beside the repository) and its manifest.
// The corpus is never part of the repository; suites that use it skip, saying so, when it is absent.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Repository root, from this module's place in dist/src/common/. */
export const REPO_ROOT = resolve(new URL('../../../', import.meta.url).pathname);
export const CORPUS_DIR = resolve(REPO_ROOT, '..', 'shared', 'data', 'ics-corpus');
export const CORPUS_PRESENT = existsSync(join(CORPUS_DIR, 'MANIFEST.tsv'));
export const CORPUS_SKIP_REASON: string | false = CORPUS_PRESENT ? false : `corpus not found at ${CORPUS_DIR}: corpus suite SKIPPED`;

export interface ManifestRow {
  path: string;
  absPath: string;
  /** Frames as tshark counts them. */
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

// `--intel FILE...`: threat intel (STIX 2.1 bundles or plain lists) loaded into one indicator set, with one line per
// file saying what was loaded and what was not (unsupported patterns, expired indicators, bad lines): nothing is
// dropped silently.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { IndicatorSet } from '../detect/indicators/indicator-set.js';
import { parseIntel } from '../detect/indicators/intel-file.js';

export class IntelLoadError extends Error {}

export function loadIntel(files: readonly string[], say: (line: string) => void): IndicatorSet {
  const set = new IndicatorSet();
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch (err) {
      throw new IntelLoadError(`cannot read ${f}: ${err instanceof Error ? err.message : String(err)}`);
    }
    let r: ReturnType<typeof parseIntel>;
    try {
      r = parseIntel(text, basename(f));
    } catch (err) {
      throw new IntelLoadError(`${f}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const before = set.size;
    set.addAll(r.indicators);
    const reasons = new Map<string, number>();
    for (const u of r.unsupported) reasons.set(u.code, (reasons.get(u.code) ?? 0) + 1);
    const parts = [`${set.size - before} indicators loaded`];
    if (r.unsupported.length > 0) parts.push(`${r.unsupported.length} not evaluable (${[...reasons].map(([k, n]) => `${k} ${n}`).join(', ')})`);
    if (r.inactive.length > 0) parts.push(`${r.inactive.length} expired or revoked`);
    if (r.badCount > 0) parts.push(`${r.badCount} bad lines (first: line ${r.bad[0].line}: ${r.bad[0].reason})`);
    say(`intel: ${f} (${r.format}): ${parts.join('; ')}`);
  }
  if (set.dropped > 0) say(`intel: ${set.dropped} indicators over the cap were not loaded`);
  return set;
}

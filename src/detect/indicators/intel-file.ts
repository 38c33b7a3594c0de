// One threat-intel file, whatever its format: a STIX 2.1 bundle (text starting with `{`) or a plain list.
import type { Indicator } from './indicator.js';
import { parsePlainList, type BadLine } from './plain-list.js';
import { parseStixBundle, type InactiveIndicator, type StixOptions, type UnsupportedIndicator } from './stix-bundle.js';

export interface IntelFile {
  readonly format: 'stix' | 'list';
  readonly indicators: Indicator[];
  readonly unsupported: readonly UnsupportedIndicator[];
  readonly inactive: readonly InactiveIndicator[];
  readonly bad: readonly BadLine[];
  readonly badCount: number;
}

/** Reads intel text from feed `source`; throws IntelFormatError when it looks like JSON but is not a bundle. */
export function parseIntel(text: string, source: string, options: StixOptions = {}): IntelFile {
  if (text.trimStart().startsWith('{')) {
    const r = parseStixBundle(text, source, options);
    return { format: 'stix', indicators: r.indicators, unsupported: r.unsupported, inactive: r.inactive, bad: [], badCount: 0 };
  }
  const r = parsePlainList(text, source);
  return { format: 'list', indicators: r.indicators, unsupported: [], inactive: [], bad: r.bad, badCount: r.badCount };
}

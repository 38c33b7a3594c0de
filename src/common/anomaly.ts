// Anomaly catalogues: every code is declared once, in the module that raises it, with a severity and a meaning.
// Severities follow Zeek: a "weird" is odd but the parser keeps going; a "violation" means the bytes are not (or no
// longer) the protocol we thought; a "cap" means a resource limit was hit and something was dropped or cut short.

export type AnomalySeverity = 'weird' | 'violation' | 'cap';

export interface AnomalyInfo {
  readonly severity: AnomalySeverity;
  readonly description: string;
}

export interface AnomalyDefinition extends AnomalyInfo {
  readonly code: string;
}

export type AnomalyCodes<L extends string, T> = { readonly [K in keyof T & string]: `${L}.${K}` };

export interface AnomalyCatalogue<L extends string, T> {
  readonly layer: L;
  readonly codes: AnomalyCodes<L, T>;
  readonly definitions: readonly AnomalyDefinition[];
}

/** Declares the anomalies of one layer or protocol; codes come out as `<layer>.<name>`. */
export function defineAnomalies<const L extends string, const T extends Record<string, AnomalyInfo>>(
  layer: L,
  defs: T,
): AnomalyCatalogue<L, T> {
  const codes: Record<string, string> = {};
  const definitions: AnomalyDefinition[] = [];
  for (const [name, info] of Object.entries(defs)) {
    const code = `${layer}.${name}`;
    codes[name] = code;
    definitions.push({ code, severity: info.severity, description: info.description });
  }
  return { layer, codes: codes as AnomalyCodes<L, T>, definitions };
}

/** Counts anomalies by code. Anomalies are rare, so a Map is cheap enough; hot counters live elsewhere. */
export class AnomalyCounter {
  private readonly counts = new Map<string, number>();

  add(code: string, n = 1): void {
    this.counts.set(code, (this.counts.get(code) ?? 0) + n);
  }

  get(code: string): number {
    return this.counts.get(code) ?? 0;
  }

  get total(): number {
    let t = 0;
    for (const n of this.counts.values()) t += n;
    return t;
  }

  /** Codes in sorted order, so exports are stable. */
  toJSON(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const code of [...this.counts.keys()].sort()) out[code] = this.counts.get(code)!;
    return out;
  }
}

// MAC address → organisation, from the IEEE registries (MA-L, MA-M, MA-S) as the `oui-data` package ships them
// (docs/decisions/0006-identity-reference-data.md). Loaded on first use; only the organisation's name line is kept.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

let table: Map<string, string> | null = null;

function load(): Map<string, string> {
  const require = createRequire(import.meta.url);
  const raw = JSON.parse(readFileSync(require.resolve('oui-data'), 'utf8')) as Record<string, string>;
  const names = new Map<string, string>();
  const out = new Map<string, string>();
  for (const prefix in raw) {
    const line = raw[prefix].split('\n', 1)[0].trim();
    // One string per organisation: 50k prefixes share about 30k names.
    let name = names.get(line);
    if (name === undefined) names.set(line, (name = line));
    out.set(prefix, name);
  }
  return out;
}

/** Locally administered (bit 1 of the first octet): randomised or assigned by software, no vendor to name. */
export function isLocallyAdministered(mac: string): boolean {
  return (parseInt(mac.slice(0, 2), 16) & 2) !== 0;
}

/**
 * The registered organisation of a MAC (`aa:bb:cc:dd:ee:ff`), longest assignment first (MA-S 36 bits, MA-M 28, MA-L
 * 24), or null when unassigned, locally administered or multicast.
 */
export function macVendor(mac: string): string | null {
  const hex = mac.replace(/[:-]/g, '').toUpperCase();
  if (hex.length !== 12 || (parseInt(hex.slice(0, 2), 16) & 3) !== 0) return null;
  table ??= load();
  return table.get(hex.slice(0, 9)) ?? table.get(hex.slice(0, 7)) ?? table.get(hex.slice(0, 6)) ?? null;
}


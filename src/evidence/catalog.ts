// The catalogue of kept captures and of the gaps left by what was deleted or never kept, saved as one JSON file
// (written to a temporary name, then renamed, so a crash leaves the old or the new one, never half of one).
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { CaptureFormat } from './capture-index.js';

export type KeepMethod = 'link' | 'copy' | 'gunzip' | 'ring';

export interface KeptInterface {
  link_type: number;
  name?: string;
}

/** One kept capture. Paths are relative to the evidence folder. */
export interface KeptCapture {
  id: string;
  seq: number;
  /** The name it was ingested under (upload name, watched file name, `live:eth0`). */
  name: string;
  kind: 'file' | 'live';
  file: string;
  index: string;
  format: CaptureFormat;
  bytes: number;
  frames: number;
  /** Earliest and latest frame time, capture seconds. */
  first: number;
  last: number;
  /** Wall-clock seconds when it was kept. */
  kept_at: number;
  how: KeepMethod;
  interfaces: KeptInterface[];
  /** Size, frames, times and a hash of the first and last 64 KiB: the same capture is not kept twice. */
  fingerprint: string;
}

export type GapReason = 'evicted' | 'ring_rotated' | 'not_kept' | 'missing' | 'merge_cap' | 'folded' | 'not_captured';

/** A span of capture time whose packets are (partly) not available, and why. */
export interface EvidenceGap {
  from: number;
  to: number;
  reason: GapReason;
  /** The capture concerned, when there is one. */
  capture?: string;
}

/** What a deleted (or never kept) capture leaves behind. */
export interface GapRecord extends EvidenceGap {
  /** Wall-clock seconds. */
  at: number;
}

export interface CatalogCounters {
  kept: number;
  kept_bytes: number;
  evicted: number;
  evicted_bytes: number;
  ring_rotated: number;
  ring_rotated_bytes: number;
  not_kept: number;
  duplicates: number;
}

/** Gap records kept; past it, the oldest fold into `folded_before`. */
export const MAX_GAP_RECORDS = 10_000;

export interface CatalogData {
  version: 1;
  next_seq: number;
  captures: KeptCapture[];
  gaps: GapRecord[];
  /** Latest capture time of the gap records folded away: evidence before it may be missing. */
  folded_before: number | null;
  counters: CatalogCounters;
}

export function emptyCatalog(): CatalogData {
  return {
    version: 1,
    next_seq: 1,
    captures: [],
    gaps: [],
    folded_before: null,
    counters: { kept: 0, kept_bytes: 0, evicted: 0, evicted_bytes: 0, ring_rotated: 0, ring_rotated_bytes: 0, not_kept: 0, duplicates: 0 },
  };
}

/** The catalogue in `path`; null when the file is absent, undefined when it is there but not a catalogue. */
export function loadCatalog(path: string): CatalogData | null | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  try {
    const v = JSON.parse(text) as Partial<CatalogData>;
    if (v.version !== 1 || !Array.isArray(v.captures) || !Array.isArray(v.gaps) || typeof v.next_seq !== 'number') return undefined;
    const base = emptyCatalog();
    return { ...base, ...v, counters: { ...base.counters, ...(v.counters ?? {}) } } as CatalogData;
  } catch {
    return undefined;
  }
}

export function saveCatalog(path: string, data: CatalogData): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(data));
  renameSync(tmp, path);
}

/** Adds a gap record, folding the oldest ones into `folded_before` past MAX_GAP_RECORDS; true when it folded. */
export function addGapRecord(data: CatalogData, gap: GapRecord): boolean {
  data.gaps.push(gap);
  if (data.gaps.length <= MAX_GAP_RECORDS) return false;
  // Fold the oldest tenth at once, so folding is rare.
  const fold = data.gaps.splice(0, Math.ceil(MAX_GAP_RECORDS / 10));
  for (const g of fold) data.folded_before = Math.max(data.folded_before ?? -Infinity, g.to);
  return true;
}

/**
 * The gaps of the window [from, to): gap records overlapping it, the folded horizon, and the spans no capture (kept
 * or gone) covers (`covered` lists the time ranges of the kept captures, open ring segments included).
 */
export function windowGaps(data: CatalogData, from: number, to: number, covered: readonly { first: number; last: number }[]): EvidenceGap[] {
  const out: EvidenceGap[] = [];
  const spans: { first: number; last: number }[] = [...covered];
  for (const g of data.gaps) {
    spans.push({ first: g.from, last: g.to });
    if (g.to >= from && g.from < to) {
      const gap: EvidenceGap = { from: Math.max(g.from, from), to: Math.min(g.to, to), reason: g.reason };
      if (g.capture !== undefined) gap.capture = g.capture;
      out.push(gap);
    }
  }
  if (data.folded_before !== null && data.folded_before >= from) out.push({ from, to: Math.min(data.folded_before, to), reason: 'folded' });
  out.push(...uncovered(from, to, spans));
  out.sort((a, b) => a.from - b.from || a.to - b.to);
  return out;
}

/** Parts of [from, to) outside every span. */
function uncovered(from: number, to: number, spans: readonly { first: number; last: number }[]): EvidenceGap[] {
  const sorted = spans.filter((s) => s.last >= from && s.first < to).sort((a, b) => a.first - b.first);
  const out: EvidenceGap[] = [];
  let cursor = from;
  for (const s of sorted) {
    if (s.first > cursor) out.push({ from: cursor, to: Math.min(s.first, to), reason: 'not_captured' });
    if (s.last > cursor) cursor = s.last;
    if (cursor >= to) break;
  }
  if (cursor < to) out.push({ from: cursor, to, reason: 'not_captured' });
  return out;
}

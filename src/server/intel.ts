// The threat intel a server matches: the `--intel` files (read-only) and the sources imported through the API, kept in
// the store's settings (`intel.sources`: the list and each one's report; `intel.source.<id>`: its text), built into
// one indicator set that replaces the running feed's at once, with no restart. Each source's report says what was
// loaded and what was not (patterns not evaluable, expired or revoked, bad lines, over the cap): nothing is dropped
// silently.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Indicator } from '../detect/indicators/indicator.js';
import { IndicatorSet, MAX_INDICATORS, MAX_VALUES, type IndicatorCounts } from '../detect/indicators/indicator-set.js';
import { IntelFeed } from '../detect/indicators/intel-feed.js';
import { parseIntel, type IntelFile } from '../detect/indicators/intel-file.js';
import { MAX_LIST_LINES, type BadLine } from '../detect/indicators/plain-list.js';
import { PATTERN_PROBLEMS } from '../detect/indicators/stix-pattern.js';
import type { UnsupportedCode } from '../detect/indicators/stix-bundle.js';
import type { Store } from '../store/store.js';
import { ApiError } from './errors.js';

export const INTEL_SOURCES_SETTING = 'intel.sources';
export const INTEL_SOURCE_SETTING_PREFIX = 'intel.source.';
/** Largest source imported: the biggest public blocklists are a few MiB; a 20 MiB STIX bundle parses in about a second. */
export const MAX_INTEL_SOURCE_BYTES = 20 * 1024 * 1024;
/** All imported sources together (the store keeps their text; the server their parsed indicators). */
export const MAX_INTEL_STORED_BYTES = 100 * 1024 * 1024;
export const MAX_INTEL_SOURCES = 64;
/** Patterns not evaluable listed per source (all are counted). */
export const MAX_UNSUPPORTED_LISTED = 500;
/** Bad lines kept in a source's report (all are counted). */
export const MAX_BAD_LINE_SAMPLES = 5;

/** What each reason code of a pattern not evaluable means (the console and docs show these). */
export const NOT_EVALUABLE_REASONS: Readonly<Record<UnsupportedCode, string>> = {
  ...PATTERN_PROBLEMS,
  invalid_object: 'the indicator object does not follow STIX 2.1 (a required property is missing or has the wrong type)',
};

export type IntelOrigin = 'api' | 'command line';

export interface IntelSourceCounts {
  /** Indicators its parse produced (evaluable, active). */
  loaded: number;
  not_evaluable: number;
  expired: number;
  revoked: number;
  bad_lines: number;
  /** Lines past the plain-list reader's MAX_LIST_LINES, not read. */
  skipped_lines: number;
  /** Loaded indicators an earlier source already holds (same id): matched once, as that source's. */
  duplicates: number;
  /** Loaded indicators left out because the combined set reached its cap. */
  dropped: number;
}

/** One source and its report. */
export interface IntelSource {
  id: string;
  name: string;
  origin: IntelOrigin;
  format: 'stix' | 'list' | null;
  /** Seconds (wall clock); for a command-line file, when the server started. */
  added: number;
  added_by: string | null;
  bytes: number;
  counts: IntelSourceCounts;
  not_evaluable_by_reason: Partial<Record<UnsupportedCode, number>>;
  bad_line_samples: BadLine[];
  /** Why a stored source contributes nothing now (its text is missing or no longer parses); null when it loads. */
  problem: string | null;
}

export interface NotEvaluable {
  /** STIX id of the indicator. */
  id: string;
  name: string | null;
  pattern: string;
  code: UnsupportedCode;
  reason: string;
}

export interface NotEvaluableList {
  id: string;
  name: string;
  total: number;
  items: NotEvaluable[];
  /** More than MAX_UNSUPPORTED_LISTED: the rest are counted only. */
  truncated: boolean;
}

/** A parsed source: its report, its indicators and the patterns it could not use. */
export interface LoadedIntel {
  readonly source: IntelSource;
  readonly indicators: readonly Indicator[];
  readonly notEvaluable: readonly NotEvaluable[];
}

export interface IntelSetSummary {
  indicators: number;
  dropped: number;
  max_indicators: number;
  kinds: IndicatorCounts;
}

export interface IntelLibraryOptions {
  /** The feed the pipelines match (default: a new one, `library.feed`). */
  feed?: IntelFeed;
  /** The `--intel` files, parsed (parseIntelFiles): read-only sources ahead of the stored ones. */
  commandLine?: readonly LoadedIntel[];
  /** One line per source loaded at start, and about stored data that cannot be read. */
  say?: (line: string) => void;
  /** Wall clock in ms (STIX valid_until is judged against it; `added` is taken from it). */
  now?: () => number;
  maxSourceBytes?: number;
  maxStoredBytes?: number;
  maxSources?: number;
  /** Caps of the combined set (IndicatorSet's). */
  maxIndicators?: number;
  maxValues?: number;
}

/** Reads and parses the `--intel` files; throws an Error naming the file when one cannot be read or parsed. */
export function parseIntelFiles(paths: readonly string[], now: () => number = Date.now): LoadedIntel[] {
  const added = now() / 1000;
  return paths.map((path, i) => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new Error(`cannot read ${path}: ${message(err)}`, { cause: err });
    }
    try {
      return parseSource({ id: `cli-${i + 1}`, name: basename(path), origin: 'command line', added, added_by: null }, text, now());
    } catch (err) {
      throw new Error(`${path}: ${message(err)}`, { cause: err });
    }
  });
}

/** The one line the server prints for a source it loaded. */
export function describeIntelSource(s: IntelSource): string {
  const c = s.counts;
  if (s.problem !== null) return `intel: ${s.name}${s.origin === 'api' ? ' (imported)' : ''}: not loaded: ${s.problem}`;
  const parts = [`${c.loaded} indicators loaded`];
  if (c.not_evaluable > 0) parts.push(`${c.not_evaluable} not evaluable (${Object.entries(s.not_evaluable_by_reason).map(([k, n]) => `${k} ${n}`).join(', ')})`);
  if (c.expired + c.revoked > 0) parts.push(`${c.expired + c.revoked} expired or revoked`);
  if (c.bad_lines > 0) parts.push(`${c.bad_lines} bad lines (first: line ${s.bad_line_samples[0].line}: ${s.bad_line_samples[0].reason})`);
  if (c.skipped_lines > 0) parts.push(`${c.skipped_lines} lines past the first ${MAX_LIST_LINES} not read`);
  if (c.duplicates > 0) parts.push(`${c.duplicates} already in an earlier source`);
  if (c.dropped > 0) parts.push(`${c.dropped} over the indicator cap not loaded`);
  return `intel: ${s.name} (${s.format}${s.origin === 'api' ? ', imported' : ''}): ${parts.join('; ')}`;
}

export class IntelLibrary {
  readonly feed: IntelFeed;
  private readonly commandLine: LoadedIntel[];
  /** The imported sources, in the order they were added, parsed. */
  private stored: LoadedIntel[] = [];
  private readonly now: () => number;
  private readonly say: (line: string) => void;
  private readonly maxSourceBytes: number;
  private readonly maxStoredBytes: number;
  private readonly maxSources: number;
  private readonly maxIndicators: number;
  private readonly maxValues: number;

  constructor(
    private readonly store: Pick<Store, 'getSetting' | 'putSetting' | 'deleteSetting'>,
    o: IntelLibraryOptions = {},
  ) {
    this.feed = o.feed ?? new IntelFeed();
    this.commandLine = [...(o.commandLine ?? [])];
    this.now = o.now ?? Date.now;
    this.say = o.say ?? (() => {});
    this.maxSourceBytes = o.maxSourceBytes ?? MAX_INTEL_SOURCE_BYTES;
    this.maxStoredBytes = o.maxStoredBytes ?? MAX_INTEL_STORED_BYTES;
    this.maxSources = o.maxSources ?? MAX_INTEL_SOURCES;
    this.maxIndicators = o.maxIndicators ?? MAX_INDICATORS;
    this.maxValues = o.maxValues ?? MAX_VALUES;
    this.stored = this.loadStored();
    this.rebuild();
    for (const l of [...this.commandLine, ...this.stored]) this.say(describeIntelSource(l.source));
  }

  /** Every source, the command-line files first, with its report. */
  list(): IntelSource[] {
    return [...this.commandLine, ...this.stored].map((l) => structuredClone(l.source));
  }

  get(id: string): IntelSource | null {
    const l = this.find(id);
    return l === undefined ? null : structuredClone(l.source);
  }

  /** The combined set the pipelines match. */
  summary(): IntelSetSummary {
    const set = this.feed.set;
    return { indicators: set.size, dropped: set.dropped, max_indicators: this.maxIndicators, kinds: set.counts() };
  }

  /**
   * Imports `text` as source `name` (kept in the store) and swaps the new set in. Throws ApiError: `request.invalid`
   * (not intel: the parser's message), `request.too_large` (over a size cap), `conflict` (name taken, too many sources).
   */
  add(name: string, text: string, actor: string | null): IntelSource {
    const clean = name.trim();
    if (clean === '' || clean.length > 200) throw new ApiError('request.invalid', 'a source needs a name of 1 to 200 characters');
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > this.maxSourceBytes) throw new ApiError('request.too_large', `${clean} is ${size(bytes)}: an intel source may hold at most ${size(this.maxSourceBytes)}`);
    if ([...this.commandLine, ...this.stored].some((l) => l.source.name === clean)) throw new ApiError('conflict', `a source named ${clean} exists: remove it first, or choose another name`);
    if (this.stored.length >= this.maxSources) throw new ApiError('conflict', `${this.stored.length} intel sources are stored, the most there may be: remove one first`);
    const total = this.stored.reduce((n, l) => n + l.source.bytes, 0);
    if (total + bytes > this.maxStoredBytes) throw new ApiError('request.too_large', `the stored intel sources hold ${size(total)}; with ${clean} (${size(bytes)}) they would pass the limit of ${size(this.maxStoredBytes)}: remove one first`);
    if (text.trim() === '') throw new ApiError('request.invalid', `${clean} is empty`);
    let loaded: LoadedIntel;
    try {
      loaded = parseSource({ id: newId(), name: clean, origin: 'api', added: this.now() / 1000, added_by: actor }, text, this.now());
    } catch (err) {
      throw new ApiError('request.invalid', message(err));
    }
    const c = loaded.source.counts;
    if (c.loaded + c.not_evaluable + c.expired + c.revoked === 0) {
      const first = loaded.source.bad_line_samples[0];
      throw new ApiError('request.invalid', `${clean} holds no indicator${first !== undefined ? `: line ${first.line}: ${first.reason}` : ''}`);
    }
    // The text first, then the list: a list entry never points at nothing, and a failed write changes nothing here.
    this.store.putSetting(`${INTEL_SOURCE_SETTING_PREFIX}${loaded.source.id}`, text);
    this.store.putSetting(INTEL_SOURCES_SETTING, [...this.stored.map((l) => l.source), loaded.source]);
    this.stored.push(loaded);
    this.rebuild();
    return structuredClone(loaded.source);
  }

  /** Forgets an imported source; false when there is none of that id. Command-line sources cannot be removed. */
  remove(id: string): boolean {
    if (this.commandLine.some((l) => l.source.id === id)) throw new ApiError('conflict', 'this source comes from the command line (--intel): restart the server without it');
    if (!this.stored.some((l) => l.source.id === id)) return false;
    const rest = this.stored.filter((l) => l.source.id !== id);
    // The list first: a text left behind by a failure is never read.
    this.store.putSetting(INTEL_SOURCES_SETTING, rest.map((l) => l.source));
    this.stored = rest;
    this.rebuild();
    this.store.deleteSetting(`${INTEL_SOURCE_SETTING_PREFIX}${id}`);
    return true;
  }

  /** The patterns of a source that cannot be evaluated, with reason codes (the first MAX_UNSUPPORTED_LISTED). */
  unsupported(id: string): NotEvaluableList | null {
    const l = this.find(id);
    if (l === undefined) return null;
    return { id, name: l.source.name, total: l.source.counts.not_evaluable, items: structuredClone([...l.notEvaluable]), truncated: l.source.counts.not_evaluable > l.notEvaluable.length };
  }

  /**
   * Builds one set from every source (command line first, then the imported ones in the order added; an indicator id
   * seen before is not added again, as in IndicatorSet) and hands it to the feed; the running detectors match it from
   * their next record. The stored list is rewritten when its reports changed (duplicates, cap, expiry judged anew).
   */
  rebuild(): IntelSetSummary {
    const set = new IndicatorSet(this.maxIndicators, this.maxValues);
    for (const l of [...this.commandLine, ...this.stored]) {
      const size = set.size;
      const dropped = set.dropped;
      set.addAll(l.indicators);
      const c = l.source.counts;
      c.dropped = set.dropped - dropped;
      c.duplicates = l.indicators.length - (set.size - size) - c.dropped;
    }
    this.feed.replace(set);
    const list = this.stored.map((l) => l.source);
    if (JSON.stringify(this.store.getSetting(INTEL_SOURCES_SETTING) ?? []) !== JSON.stringify(list)) this.store.putSetting(INTEL_SOURCES_SETTING, list);
    return this.summary();
  }

  private find(id: string): LoadedIntel | undefined {
    return [...this.commandLine, ...this.stored].find((l) => l.source.id === id);
  }

  /** The stored sources, parsed again (expiry is judged now); what cannot be read is reported, not fatal. */
  private loadStored(): LoadedIntel[] {
    const raw = this.store.getSetting(INTEL_SOURCES_SETTING);
    if (raw === undefined || raw === null) return [];
    if (!Array.isArray(raw)) {
      this.say(`intel: the stored list of intel sources (${INTEL_SOURCES_SETTING}) is not a list: ignored`);
      return [];
    }
    const out: LoadedIntel[] = [];
    for (const entry of raw as unknown[]) {
      const e = entry as Partial<IntelSource> | null;
      if (typeof e !== 'object' || e === null || typeof e.id !== 'string' || !/^[a-z0-9-]{1,64}$/.test(e.id) || typeof e.name !== 'string') {
        this.say(`intel: an entry of the stored intel sources is unreadable: ignored (${JSON.stringify(entry)?.slice(0, 200)})`);
        continue;
      }
      const meta = { id: e.id, name: e.name, origin: 'api' as const, added: typeof e.added === 'number' ? e.added : 0, added_by: typeof e.added_by === 'string' ? e.added_by : null };
      const text = this.store.getSetting(`${INTEL_SOURCE_SETTING_PREFIX}${e.id}`);
      if (typeof text !== 'string') {
        out.push(failed(meta, 0, 'its text is missing from the store: remove it and import it again'));
        continue;
      }
      try {
        out.push(parseSource(meta, text, this.now()));
      } catch (err) {
        out.push(failed(meta, Buffer.byteLength(text, 'utf8'), `it no longer parses: ${message(err)}`));
      }
    }
    return out;
  }
}

type SourceMeta = Pick<IntelSource, 'id' | 'name' | 'origin' | 'added' | 'added_by'>;

function parseSource(meta: SourceMeta, text: string, nowMs: number): LoadedIntel {
  const r = parseIntel(text, meta.name, { now: nowMs });
  const byReason: Partial<Record<UnsupportedCode, number>> = {};
  for (const u of r.unsupported) byReason[u.code] = (byReason[u.code] ?? 0) + 1;
  const source: IntelSource = {
    ...meta,
    format: r.format,
    bytes: Buffer.byteLength(text, 'utf8'),
    counts: {
      loaded: r.indicators.length,
      not_evaluable: r.unsupported.length,
      expired: r.inactive.filter((i) => i.reason === 'expired').length,
      revoked: r.inactive.filter((i) => i.reason === 'revoked').length,
      bad_lines: r.badCount,
      skipped_lines: r.format === 'list' ? skippedLines(text) : 0,
      duplicates: 0,
      dropped: 0,
    },
    not_evaluable_by_reason: byReason,
    bad_line_samples: r.bad.slice(0, MAX_BAD_LINE_SAMPLES).map((b) => ({ ...b })),
    problem: null,
  };
  return { source, indicators: r.indicators, notEvaluable: notEvaluable(r, text) };
}

function failed(meta: SourceMeta, bytes: number, problem: string): LoadedIntel {
  const counts: IntelSourceCounts = { loaded: 0, not_evaluable: 0, expired: 0, revoked: 0, bad_lines: 0, skipped_lines: 0, duplicates: 0, dropped: 0 };
  return { source: { ...meta, format: null, bytes, counts, not_evaluable_by_reason: {}, bad_line_samples: [], problem }, indicators: [], notEvaluable: [] };
}

/** The first patterns not evaluable, named: the parser keeps ids only, so a bundle with any is read once more for names. */
function notEvaluable(r: IntelFile, text: string): NotEvaluable[] {
  const list = r.unsupported.slice(0, MAX_UNSUPPORTED_LISTED);
  if (list.length === 0) return [];
  const names = new Map<string, string>();
  const wanted = new Set(list.map((u) => u.id));
  try {
    const objects = (JSON.parse(text) as { objects?: unknown }).objects;
    if (Array.isArray(objects)) {
      for (const o of objects as { id?: unknown; name?: unknown }[]) {
        if (typeof o === 'object' && o !== null && typeof o.id === 'string' && wanted.has(o.id) && typeof o.name === 'string') names.set(o.id, o.name.slice(0, 300));
      }
    }
  } catch {
    // Parsed once already: it cannot fail here; without names the list is still right.
  }
  return list.map((u) => ({ id: u.id, name: names.get(u.id) ?? null, pattern: u.pattern, code: u.code, reason: u.reason }));
}

/** Lines the plain-list reader left unread (it reads the first MAX_LIST_LINES). */
function skippedLines(text: string): number {
  if (text.length <= MAX_LIST_LINES) return 0;
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  return Math.max(0, lines - MAX_LIST_LINES);
}

function newId(): string {
  return randomBytes(6).toString('hex');
}

function size(n: number): string {
  if (n < 1024) return `${n} bytes`;
  return n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

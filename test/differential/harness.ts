// Differential harness: runs every corpus capture once through Lantern (all protocols at once) and tshark once per
// protocol adapter, reduces both to multisets of keys, compares them, and renders the figures for
// docs/protocols/conformance.md. Each protocol's adapter (test/differential/<id>.ts) declares what is compared.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { readCaptureFile } from '../../src/capture/open-capture.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import type { HintRecord } from '../../src/pipeline/events.js';
import type { RepeatSummaryRecord, TransactionRecord } from '../../src/pipeline/detail.js';
import { ProtocolRegistry, defaultRegistry } from '../../src/protocols/registry.js';
import type { ProtocolModule } from '../../src/protocols/protocol.js';
import { CORPUS_PRESENT, readManifest, type ManifestRow } from '../support.js';

const run = promisify(execFile);

export type Multiset = Record<string, number>;

export function add(m: Multiset, k: string | number, n = 1): void {
  m[k] = (m[k] ?? 0) + n;
}

/** First line of `tshark --version`, or undefined when tshark is not installed. */
export const TSHARK_VERSION: string | undefined = (() => {
  const r = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0].trim() : undefined;
})();

export const NO_CORPUS: string | false = CORPUS_PRESENT ? false : 'corpus absent: differential SKIPPED';
export const SKIP: string | false = NO_CORPUS || (TSHARK_VERSION === undefined ? 'tshark not installed: differential SKIPPED' : false);

/** What an adapter observes of one Lantern run: routed events of every protocol, and optionally a module's input. */
export interface LanternTap {
  transaction?(record: TransactionRecord | RepeatSummaryRecord): void;
  hint?(record: HintRecord): void;
  /** Returns a stand-in for a registered module (same id) that records what its sessions are given. */
  wrap?(module: ProtocolModule): ProtocolModule;
}

/** One adapter's reduction of one capture's Lantern run. */
export interface LanternReduction extends LanternTap {
  keys(): Multiset;
}

/** A whole capture where the tools differ by design: every difference there is explained, and `check` asserts how. */
export interface CaptureExplanation {
  readonly capture: RegExp;
  readonly reason: string;
  check(ours: Multiset, theirs: Multiset): void;
}

/** A check against another reference than tshark (Zeek baselines, a client's printout), run as its own test. */
export interface ExtraCheck {
  readonly name: string;
  run(): Promise<void>;
}

export interface Adapter {
  /** Lantern's protocol id. */
  readonly id: string;
  readonly title: string;
  /** Matches the manifest's protocol(s) column of the captures that carry the protocol. */
  readonly manifest: RegExp;
  /** How a key is formed, for the doc. */
  readonly keys: string;
  lantern(): LanternReduction;
  /** tshark arguments after `-r <capture>`, and the reduction of its output to the same keys. */
  readonly tshark: { readonly args: readonly string[]; reduce(stdout: string): Multiset };
  /** `capture path` → tshark `-d` argument, for a capture on a port tshark does not give the protocol by default. */
  readonly decodeAs?: Readonly<Record<string, string>>;
  /** Direction of a key's messages, as shown in the figures. */
  direction(key: string): string;
  /** False for keys that count codes inside messages rather than messages (default true). */
  isMessage?(key: string): boolean;
  /** `capture path` → key → why Lantern and tshark differ there (evidence, or the specification section). */
  readonly explained: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly explainedCaptures?: readonly CaptureExplanation[];
  /** Why a capture is left out of the comparison, or undefined to compare it. */
  exclude?(row: ManifestRow): string | undefined;
  readonly extras?: readonly ExtraCheck[];
}

/** Runs one capture through one Pipeline (detail full) and hands its events to every tap. Returns its errors. */
export async function runLantern(path: string, taps: readonly LanternTap[]): Promise<string[]> {
  const wrapping = taps.filter((t) => t.wrap !== undefined);
  const registry =
    wrapping.length === 0
      ? defaultRegistry
      : new ProtocolRegistry(defaultRegistry.modules.map((m) => wrapping.reduce((mod, t) => t.wrap!(mod), m)));
  const transactionTaps = taps.filter((t) => t.transaction !== undefined);
  const hintTaps = taps.filter((t) => t.hint !== undefined);
  const pipeline = new Pipeline({
    registry,
    events: {
      transaction(r) {
        for (const t of transactionTaps) t.transaction!(r);
      },
      hint(r) {
        for (const t of hintTaps) t.hint!(r);
      },
    },
    detail: { level: 'full' },
  });
  await readCaptureFile(path, pipeline, pipeline.anomalies);
  pipeline.finish();
  const errors = [...pipeline.errorSamples];
  const protocolErrors = pipeline.anomalies.get('flow.protocol_error');
  if (protocolErrors > 0) errors.push(`flow.protocol_error x${protocolErrors}`);
  return errors;
}

export async function runTshark(row: ManifestRow, adapter: Adapter): Promise<Multiset> {
  const decodeAs = adapter.decodeAs?.[row.path];
  const args = ['-r', row.absPath, ...(decodeAs === undefined ? [] : ['-d', decodeAs]), ...adapter.tshark.args];
  const { stdout } = await run('tshark', args, { maxBuffer: 256 * 1024 * 1024 });
  return adapter.tshark.reduce(stdout);
}

export interface Difference {
  capture: string;
  key: string;
  lantern: number;
  tshark: number;
  reason?: string;
}

export interface DirectionFigures {
  direction: string;
  lantern: number;
  tshark: number;
}

export interface ProtocolFigures {
  id: string;
  title: string;
  captures: number;
  excluded: { capture: string; reason: string }[];
  /** Σ over captures and keys of min(ours, theirs), and the two totals. */
  matched: number;
  lantern: number;
  tshark: number;
  directions: DirectionFigures[];
  explained: Difference[];
  unexplained: Difference[];
  /** Whole-capture explanations that applied, and declarations that matched no difference. */
  explainedCaptures: { capture: string; reason: string; lantern: number; tshark: number }[];
  problems: string[];
}

export const codeAgreement = (f: ProtocolFigures): number => (Math.max(f.lantern, f.tshark) === 0 ? 1 : f.matched / Math.max(f.lantern, f.tshark));
export const messageAgreement = (d: DirectionFigures): number => (Math.max(d.lantern, d.tshark) === 0 ? 1 : Math.min(d.lantern, d.tshark) / Math.max(d.lantern, d.tshark));

function emptyFigures(a: Adapter): ProtocolFigures {
  return { id: a.id, title: a.title, captures: 0, excluded: [], matched: 0, lantern: 0, tshark: 0, directions: [], explained: [], unexplained: [], explainedCaptures: [], problems: [] };
}

function compare(a: Adapter, f: ProtocolFigures, capture: string, ours: Multiset, theirs: Multiset): void {
  f.captures++;
  const byDirection = new Map(f.directions.map((d) => [d.direction, d]));
  const keys = [...new Set([...Object.keys(ours), ...Object.keys(theirs)])].sort();
  for (const k of keys) {
    const o = ours[k] ?? 0;
    const t = theirs[k] ?? 0;
    f.lantern += o;
    f.tshark += t;
    f.matched += Math.min(o, t);
    if (a.isMessage?.(k) ?? true) {
      const dir = a.direction(k);
      let d = byDirection.get(dir);
      if (d === undefined) {
        d = { direction: dir, lantern: 0, tshark: 0 };
        byDirection.set(dir, d);
        f.directions.push(d);
      }
      d.lantern += o;
      d.tshark += t;
    }
  }
  const whole = a.explainedCaptures?.find((x) => x.capture.test(capture));
  if (whole !== undefined) {
    try {
      whole.check(ours, theirs);
    } catch (err) {
      f.problems.push(`${capture}: ${whole.reason}: check failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    const sum = (m: Multiset) => Object.values(m).reduce((s, n) => s + n, 0);
    f.explainedCaptures.push({ capture, reason: whole.reason, lantern: sum(ours), tshark: sum(theirs) });
    return;
  }
  const declared = a.explained[capture] ?? {};
  for (const k of keys) {
    const d: Difference = { capture, key: k, lantern: ours[k] ?? 0, tshark: theirs[k] ?? 0 };
    if (d.lantern === d.tshark) {
      if (k in declared) f.problems.push(`${capture}: ${k}: explained but Lantern and tshark agree (${d.lantern}): remove the explanation`);
      continue;
    }
    if (k in declared) f.explained.push({ ...d, reason: declared[k] });
    else f.unexplained.push(d);
  }
  for (const k of Object.keys(declared)) if (!keys.includes(k)) f.problems.push(`${capture}: ${k}: explained but neither tool has it`);
}

/** Runs every matching capture (`concurrency` at a time) and returns the figures per adapter, in adapter order. */
export async function runDifferential(adapters: readonly Adapter[], concurrency = 2): Promise<ProtocolFigures[]> {
  const figures = adapters.map(emptyFigures);
  const work: { row: ManifestRow; adapters: number[] }[] = [];
  for (const row of readManifest()) {
    const chosen: number[] = [];
    adapters.forEach((a, i) => {
      if (!a.manifest.test(row.protocols)) return;
      const why = a.exclude?.(row);
      if (why === undefined) chosen.push(i);
      else figures[i].excluded.push({ capture: row.path, reason: why });
    });
    if (chosen.length > 0) work.push({ row, adapters: chosen });
  }
  const seen = new Set<string>();
  for (const [i, a] of adapters.entries()) {
    for (const capture of [...Object.keys(a.explained), ...Object.keys(a.decodeAs ?? {})]) {
      if (!work.some((w) => w.row.path === capture && w.adapters.includes(i))) figures[i].problems.push(`${capture}: explained but not compared`);
    }
    assert.ok(!seen.has(a.id), `adapter declared twice: ${a.id}`);
    seen.add(a.id);
  }
  let next = 0;
  const worker = async () => {
    for (let w = work[next++]; w !== undefined; w = work[next++]) {
      const reductions = w.adapters.map((i) => adapters[i].lantern());
      const tsharkRuns = (async () => {
        const out: Multiset[] = [];
        for (const i of w.adapters) out.push(await runTshark(w.row, adapters[i]));
        return out;
      })();
      const [errors, theirs] = await Promise.all([runLantern(w.row.absPath, reductions), tsharkRuns]);
      w.adapters.forEach((i, j) => {
        const f = figures[i];
        if (errors.length > 0) f.problems.push(`${w.row.path}: pipeline errors: ${errors[0]}`);
        compare(adapters[i], f, w.row.path, reductions[j].keys(), theirs[j]);
      });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return figures;
}

export const DOC_BEGIN = '<!-- generated by test/differential: begin -->';
export const DOC_END = '<!-- generated by test/differential: end -->';

const pct = (x: number) => `${(Math.floor(x * 10000) / 100).toFixed(2)} %`;
const cell = (s: string) => s.replaceAll('|', '\\|');

/** The generated block of docs/protocols/conformance.md, markers included. */
export function renderBlock(adapters: readonly Adapter[], figures: readonly ProtocolFigures[], tsharkVersion: string): string {
  const out: string[] = [DOC_BEGIN, '', `Generated with \`${tsharkVersion}\``, ''];
  out.push('| Protocol | Captures (excluded) | Keys Lantern | Keys tshark | Matched | Code-multiset agreement | Explained differences | Unexplained |');
  out.push('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const f of figures) {
    const explained = f.explained.length + f.explainedCaptures.length;
    out.push(`| ${f.title} | ${f.captures} (${f.excluded.length}) | ${f.lantern} | ${f.tshark} | ${f.matched} | ${pct(codeAgreement(f))} | ${explained} | ${f.unexplained.length} |`);
  }
  out.push('', '| Protocol | Direction | Messages Lantern | Messages tshark | Message-count agreement |', '|---|---|---:|---:|---:|');
  for (const f of figures) {
    for (const d of f.directions) out.push(`| ${f.title} | ${cell(d.direction)} | ${d.lantern} | ${d.tshark} | ${pct(messageAgreement(d))} |`);
  }
  for (const [i, a] of adapters.entries()) {
    const f = figures[i];
    out.push('', `### ${a.title}`, '', `Keys: ${a.keys}`, '');
    const byReason = new Map<string, string[]>();
    for (const d of f.explained) {
      const list = byReason.get(d.reason!) ?? [];
      list.push(`\`${d.capture}\` ${cell(d.key)}: Lantern ${d.lantern}, tshark ${d.tshark}`);
      byReason.set(d.reason!, list);
    }
    for (const c of f.explainedCaptures) {
      const list = byReason.get(c.reason) ?? [];
      list.push(`\`${c.capture}\` (whole capture): Lantern ${c.lantern}, tshark ${c.tshark}`);
      byReason.set(c.reason, list);
    }
    if (byReason.size === 0) out.push('No differences.');
    for (const [reason, list] of byReason) {
      out.push(`- ${reason}`);
      for (const item of list) out.push(`  - ${item}`);
    }
    const decodeAs = Object.entries(a.decodeAs ?? {});
    if (decodeAs.length > 0) {
      out.push('', 'On a port tshark does not give the protocol by default, tshark is told to decode it (`-d`):');
      for (const [capture, arg] of decodeAs) out.push(`- \`${capture}\`: \`-d ${arg}\``);
    }
    if (f.excluded.length > 0) {
      out.push('', 'Excluded:');
      for (const e of f.excluded) out.push(`- \`${e.capture}\`: ${e.reason}`);
    }
    if (a.extras !== undefined && a.extras.length > 0) out.push('', `Further checks: ${a.extras.map((x) => x.name).join('; ')}.`);
  }
  out.push('', DOC_END);
  return out.join('\n');
}

/** The doc with its generated block replaced (or appended when the markers are missing). */
export function replaceBlock(doc: string, block: string): string {
  const begin = doc.indexOf(DOC_BEGIN);
  const end = doc.indexOf(DOC_END);
  if (begin < 0 || end < begin) return `${doc.trimEnd()}\n\n${block}\n`;
  return doc.slice(0, begin) + block + doc.slice(end + DOC_END.length);
}

/** The tshark version a doc's generated block names, if any. */
export function blockTsharkVersion(doc: string): string | undefined {
  return /Generated with `([^`]+)`/.exec(doc.slice(Math.max(0, doc.indexOf(DOC_BEGIN))))?.[1];
}

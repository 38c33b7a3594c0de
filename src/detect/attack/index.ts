// MITRE ATT&CK for ICS look-ups over the generated table (techniques.ts) and the detection coverage report.
import { ATTACK_NOTICE, ATTACK_VERSION, RETIRED_TECHNIQUES, TACTICS, TECHNIQUES } from './techniques.js';
import type { AttackTactic, AttackTechnique } from './techniques.js';

export { ATTACK_MODIFIED, ATTACK_NOTICE, ATTACK_VERSION, RETIRED_TECHNIQUES, TACTICS, TECHNIQUES } from './techniques.js';
export type { AttackTactic, AttackTechnique } from './techniques.js';

export const TECHNIQUE_COUNT = TECHNIQUES.length;

const techniqueById = new Map<string, AttackTechnique>(TECHNIQUES.map((t) => [t.id, t]));
const tacticById = new Map<string, AttackTactic>(TACTICS.map((t) => [t.id, t]));
const retiredById = new Map<string, string>(RETIRED_TECHNIQUES.map((t) => [t.id, t.name]));
const tacticsByTechnique = new Map<string, readonly AttackTactic[]>(
  TECHNIQUES.map((t) => [t.id, Object.freeze(t.tactics.map((id) => tacticById.get(id)!))]),
);
const NO_TACTICS: readonly AttackTactic[] = Object.freeze([]);

/** A current technique by id (`T0843`); undefined for unknown, deprecated or revoked ids. */
export function technique(id: string): AttackTechnique | undefined {
  return techniqueById.get(id);
}

/** A tactic by id (`TA0107`). */
export function tactic(id: string): AttackTactic | undefined {
  return tacticById.get(id);
}

/** True when `s` is the id of a current technique of this ATT&CK version (exact form: `T0843`). */
export function isTechniqueId(s: string): boolean {
  return techniqueById.has(s);
}

/** The tactics of a technique in matrix order; empty for an unknown id. */
export function tacticsOf(techniqueId: string): readonly AttackTactic[] {
  return tacticsByTechnique.get(techniqueId) ?? NO_TACTICS;
}

export interface DetectionMapping {
  readonly id: string;
  readonly techniques: readonly string[];
}

export type CoverageErrorCode = 'unknown_technique' | 'retired_technique' | 'duplicate_detection';

export interface CoverageError {
  readonly code: CoverageErrorCode;
  readonly detection: string;
  /** The offending technique id; absent for duplicate_detection. */
  readonly technique?: string;
  readonly message: string;
}

export interface TechniqueCoverage {
  readonly technique: AttackTechnique;
  /** Ids of the detections mapped to it, sorted. */
  readonly detections: readonly string[];
}

export interface TacticCoverage {
  readonly tactic: AttackTactic;
  readonly covered: number;
  readonly total: number;
}

export interface AttackCoverage {
  readonly version: string;
  /** Every technique of the table, in id order. */
  readonly techniques: readonly TechniqueCoverage[];
  readonly covered: number;
  readonly total: number;
  /** Per tactic in matrix order; a technique of several tactics counts in each. */
  readonly tactics: readonly TacticCoverage[];
  /** Detections whose list of techniques is empty. */
  readonly unmapped: readonly string[];
  readonly errors: readonly CoverageError[];
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Which techniques the given detections cover. Bad mappings are reported in `errors`, never dropped silently. */
export function coverage(detections: readonly DetectionMapping[]): AttackCoverage {
  const covering = new Map<string, Set<string>>();
  const errors: CoverageError[] = [];
  const unmapped: string[] = [];
  const seen = new Set<string>();
  for (const d of detections) {
    if (seen.has(d.id)) {
      errors.push({ code: 'duplicate_detection', detection: d.id, message: `detection ${d.id} is listed more than once` });
      continue;
    }
    seen.add(d.id);
    if (d.techniques.length === 0) unmapped.push(d.id);
    for (const id of d.techniques) {
      if (techniqueById.has(id)) {
        let set = covering.get(id);
        if (set === undefined) covering.set(id, (set = new Set()));
        set.add(d.id);
        continue;
      }
      const retired = retiredById.get(id);
      errors.push(
        retired !== undefined
          ? {
              code: 'retired_technique',
              detection: d.id,
              technique: id,
              message: `detection ${d.id}: ${id} ${retired} is deprecated or revoked in ATT&CK for ICS v${ATTACK_VERSION}`,
            }
          : {
              code: 'unknown_technique',
              detection: d.id,
              technique: id,
              message: `detection ${d.id}: ${JSON.stringify(id)} is not an ATT&CK for ICS v${ATTACK_VERSION} technique id`,
            },
      );
    }
  }
  const techniques = TECHNIQUES.map((t) => ({
    technique: t,
    detections: [...(covering.get(t.id) ?? [])].sort(byString),
  }));
  const tactics = TACTICS.map((ta) => {
    let covered = 0;
    let total = 0;
    for (const tc of techniques) {
      if (!tc.technique.tactics.includes(ta.id)) continue;
      total++;
      if (tc.detections.length > 0) covered++;
    }
    return { tactic: ta, covered, total };
  });
  return {
    version: ATTACK_VERSION,
    techniques,
    covered: covering.size,
    total: TECHNIQUES.length,
    tactics,
    unmapped: unmapped.sort(byString),
    errors,
  };
}

const percent = (n: number, of: number): string => (of === 0 ? '0' : ((100 * n) / of).toFixed(0));
const cell = (s: string): string => s.replace(/\|/g, '\\|');

/** The coverage report as Markdown (summary, per-tactic totals, one row per technique, errors, MITRE's notice). */
export function coverageMarkdown(c: AttackCoverage): string {
  const lines: string[] = [
    `Lantern detects ${c.covered} of the ${c.total} techniques of MITRE ATT&CK for ICS v${c.version} ` +
      `(${percent(c.covered, c.total)} %).`,
    '',
    '| Tactic | Covered | Techniques |',
    '|---|---:|---:|',
    ...c.tactics.map((t) => `| ${t.tactic.id} ${cell(t.tactic.name)} | ${t.covered} | ${t.total} |`),
    '',
    '| Technique | Name | Tactics | Detections |',
    '|---|---|---|---|',
    ...c.techniques.map((tc) => {
      const t = tc.technique;
      const tactics = t.tactics.map((id) => tacticById.get(id)!.name).join(', ');
      const detections = tc.detections.map((d) => `\`${d}\``).join(', ');
      return `| [${t.id}](${t.url}) | ${cell(t.name)} | ${cell(tactics)} | ${detections} |`;
    }),
  ];
  if (c.unmapped.length > 0) {
    lines.push('', `Detections mapped to no technique: ${c.unmapped.map((d) => `\`${d}\``).join(', ')}.`);
  }
  if (c.errors.length > 0) {
    lines.push('', '**Mapping errors:**', '', ...c.errors.map((e) => `- \`${e.code}\`: ${e.message}`));
  }
  lines.push('', ...ATTACK_NOTICE.split('\n').map((l) => (l === '' ? '>' : `> ${l}`)), '');
  return lines.join('\n');
}

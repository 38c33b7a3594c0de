// Rule files into one RuleSet's rules: every file parsed, every error of every file reported, and a rule id that two
// files share is an error too (alerts are keyed by it). All or nothing: any error, no rules.
import { formatRuleError, parseRules, type RuleError } from './parse.js';
import type { CompiledRule } from './compile.js';
import { readRuleFile } from './index.js';

export interface RuleSource {
  /** Shown in errors and alerts' facts: a file name, or `console` for rules edited through the API. */
  readonly name: string;
  /** The text; absent: read the file `name`. */
  readonly text?: string;
}

export function compileRuleSources(sources: readonly RuleSource[]): { rules: CompiledRule[]; errors: RuleError[] } {
  const rules: CompiledRule[] = [];
  const errors: RuleError[] = [];
  const seen = new Map<string, CompiledRule>();
  for (const s of sources) {
    const r = s.text === undefined ? readRuleFile(s.name) : parseRules(s.text, s.name);
    errors.push(...r.errors);
    for (const rule of r.rules) {
      const before = seen.get(rule.id);
      if (before !== undefined) {
        errors.push({ source: rule.source, line: rule.line, column: 1, path: `rules[${rule.id}]`, message: `rule id "${rule.id}" is also defined in ${before.source} at line ${before.line}` });
        continue;
      }
      seen.set(rule.id, rule);
      rules.push(rule);
    }
  }
  return errors.length > 0 ? { rules: [], errors } : { rules, errors };
}

export function formatRuleErrors(errors: readonly RuleError[]): string {
  return errors.map(formatRuleError).join('\n');
}

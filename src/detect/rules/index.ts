// User detection rules in YAML (docs/rules.md): parse a file into compiled rules or positioned errors, and run them
// as one replaceable detection.
import { readFileSync, statSync } from 'node:fs';
import { MAX_FILE_BYTES } from './limits.js';
import { parseRules, type RuleFileResult } from './parse.js';

export { parseRules, formatRuleError, type RuleError, type RuleFileResult } from './parse.js';
export { RuleSet, type RuleInfo } from './rule-set.js';
export type { CompiledRule } from './compile.js';
export { RULE_ANOMALIES, RULE_ANOMALY } from './anomalies.js';

/** Reads and parses a rule file; an unreadable file is one RuleError (never a throw). */
export function readRuleFile(path: string, source = path): RuleFileResult {
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > MAX_FILE_BYTES) return { rules: [], errors: [{ source, line: 1, column: 1, path: '', message: `the file is ${size} bytes; rule files are limited to ${MAX_FILE_BYTES} bytes (1 MiB)` }] };
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { rules: [], errors: [{ source, line: 1, column: 1, path: '', message: `cannot read the file: ${err instanceof Error ? err.message : String(err)}` }] };
  }
  return parseRules(text, source);
}

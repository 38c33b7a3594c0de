// A user rule file (YAML, docs/rules.md) → compiled rules, or every problem in it with its line and column. Size and
// nesting are judged before the YAML parser runs, aliases are capped when values are built, the shape is checked by a
// JSON Schema (schema.ts) and the values by compile.ts. All or nothing: a file with any problem yields no rules.
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node, type Pair } from 'yaml';
import { compileRule, type CompiledRule, type Path } from './compile.js';
import { MAX_ALIASES, MAX_ERRORS, MAX_FILE_BYTES, MAX_NESTING, MAX_RULES, MAX_TOKENS } from './limits.js';
import { prescan } from './prescan.js';
import { schemaProblems, validateRuleFile } from './schema.js';
import { didYouMean } from './suggest.js';

export interface RuleError {
  /** The file as the caller named it. */
  readonly source: string;
  /** 1-based line and column of the offending node. */
  readonly line: number;
  readonly column: number;
  /** Where in the document: `rules[1].match.operation`; '' for the file as a whole. */
  readonly path: string;
  readonly message: string;
}

export interface RuleFileResult {
  readonly rules: CompiledRule[];
  readonly errors: RuleError[];
}

/** `rules.yaml:12:7 rules[1].match.operation: unknown Modbus operation "…" (did you mean …?)` */
export function formatRuleError(e: RuleError): string {
  return `${e.source}:${e.line}:${e.column} ${e.path === '' ? '' : `${e.path}: `}${e.message}`;
}

export function pathText(path: Path): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  return out;
}

export function parseRules(text: string, source: string): RuleFileResult {
  const errors: RuleError[] = [];
  const fail = (): RuleFileResult => ({ rules: [], errors: capped(errors, source) });
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_FILE_BYTES) {
    errors.push({ source, line: 1, column: 1, path: '', message: `the file is ${bytes} bytes; rule files are limited to ${MAX_FILE_BYTES} bytes (1 MiB)` });
    return fail();
  }
  const lines = new LineCounter();
  const excess = prescan(text, MAX_NESTING, MAX_TOKENS);
  if (excess !== null) {
    // Nothing has built nodes or counted lines: count them here.
    const before = text.slice(0, excess.offset);
    const line = before.split('\n').length;
    const message = excess.kind === 'depth' ? `nesting deeper than ${MAX_NESTING} levels: a rule file needs about ten` : `more than ${MAX_TOKENS} YAML tokens: split the file`;
    errors.push({ source, line, column: excess.offset - before.lastIndexOf('\n'), path: '', message });
    return fail();
  }

  // Duplicate keys are found below (the yaml package's own check is quadratic in the keys of a map).
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false, strict: true });
  const at = (offset: number): { line: number; column: number } => {
    const p = lines.linePos(offset);
    return { line: p.line, column: p.col };
  };
  for (const e of [...doc.errors, ...doc.warnings]) {
    errors.push({ source, ...at(e.pos[0]), path: '', message: yamlMessage(e.code, e.message) });
  }
  duplicateKeys(doc.contents, (node, first) => {
    errors.push({ source, ...at(rangeStart(node) ?? 0), path: '', message: `duplicate key "${String((node as { value?: unknown }).value)}" (first on line ${at(first).line})` });
  });
  if (errors.length > 0) return fail();

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    errors.push({ source, line: 1, column: 1, path: '', message: /alias/i.test(msg) ? `too many alias expansions (*name): at most ${MAX_ALIASES} are allowed` : `cannot read the document: ${msg}` });
    return fail();
  }

  const report = (path: Path, message: string, key = false): void => {
    errors.push({ source, ...at(offsetOf(doc, path, key)), path: pathText(path), message });
  };
  if (value === null || value === undefined) {
    report([], 'the file is empty: it needs a "rules:" list');
    return fail();
  }
  if (!validateRuleFile(value)) {
    for (const p of schemaProblems(validateRuleFile.errors ?? [])) {
      const last = p.path[p.path.length - 1];
      report(p.path, p.allowed !== undefined && typeof last === 'string' ? `${p.message}${didYouMean(last, p.allowed)}` : p.message, p.key);
    }
  }

  const list = (value as { rules?: unknown }).rules;
  const rules: CompiledRule[] = [];
  if (Array.isArray(list)) {
    if (list.length > MAX_RULES) list.length = MAX_RULES; // reported by the schema; the rest is not read
    const firstLine = new Map<string, number>();
    list.forEach((raw, i) => {
      const line = at(offsetOf(doc, ['rules', i], false)).line;
      const id = (raw as { id?: unknown } | null)?.id;
      if (typeof id === 'string') {
        const first = firstLine.get(id);
        if (first !== undefined) report(['rules', i, 'id'], `duplicate rule id "${id}" (first used on line ${first})`);
        else firstLine.set(id, line);
      }
      const r = compileRule(raw, i, source, line, report);
      if (r !== null) rules.push(r);
    });
  }
  if (errors.length > 0) return fail();
  return { rules, errors: [] };
}

/** Sorted by position; past MAX_ERRORS, one last error counts the rest. */
function capped(errors: RuleError[], source: string): RuleError[] {
  const seen = new Set<string>();
  const unique = errors.filter((e) => {
    const k = formatRuleError(e);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  unique.sort((a, b) => a.line - b.line || a.column - b.column);
  if (unique.length <= MAX_ERRORS) return unique;
  const rest = unique.length - MAX_ERRORS;
  const last = unique[MAX_ERRORS - 1];
  return [...unique.slice(0, MAX_ERRORS), { source, line: last.line, column: last.column, path: '', message: `${rest} more problem${rest === 1 ? '' : 's'} not shown` }];
}

/** The yaml package's message, first line only, with its own position suffix dropped (ours is in front). */
function yamlMessage(code: string, m: string): string {
  if (code === 'MULTIPLE_DOCS') return 'a rule file holds one YAML document: remove the second "---" or split the file';
  if (code === 'TAG_RESOLVE_FAILED') return `${m.split('\n')[0].replace(/^Unresolved tag: /, 'unknown tag ')}: rule files are plain YAML, without tags`;
  return `YAML: ${m.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`;
}

/** Each map's pairs by key, built when an error first points into it (a hostile map may hold many thousand keys). */
const pairIndex = new WeakMap<object, Map<unknown, Pair>>();

/** Offset of the node at `path` (of its key when `key`), or of the nearest ancestor that exists. */
function offsetOf(doc: Document, path: Path, key: boolean): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = node.resolve(doc);
    const seg = path[i];
    let next: unknown;
    if (isMap(node)) {
      let index = pairIndex.get(node);
      if (index === undefined) {
        index = new Map();
        for (const p of node.items) {
          const k = isScalar(p.key) ? p.key.value : p.key;
          if (!index.has(k)) index.set(k, p);
        }
        pairIndex.set(node, index);
      }
      const pair = index.get(seg);
      if (pair === undefined) return offset;
      if (key && i === path.length - 1) return rangeStart(pair.key) ?? offset;
      next = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      next = node.items[seg];
    } else return offset;
    const start = rangeStart(next);
    if (start === undefined) return offset;
    offset = start;
    node = next;
  }
  return offset;
}

/** Reports each key that repeats one before it in the same map (compared as written scalars). */
function duplicateKeys(root: unknown, report: (key: unknown, firstOffset: number) => void): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Map<unknown, number>();
      for (const pair of node.items) {
        const k = isScalar(pair.key) ? pair.key.value : pair.key;
        const first = seen.get(k);
        if (first !== undefined && isScalar(pair.key)) report(pair.key, first);
        else seen.set(k, rangeStart(pair.key) ?? 0);
        stack.push(pair.key, pair.value);
      }
    } else if (isSeq(node)) for (const item of node.items) stack.push(item);
  }
}

function rangeStart(n: unknown): number | undefined {
  const r = (n as Node | null | undefined)?.range;
  return r === undefined || r === null ? undefined : r[0];
}

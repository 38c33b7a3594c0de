// STIX 2.1 patterning language (OASIS STIX 2.1 §9): a tokenizer and recursive-descent parser for the whole grammar,
// then a lowering of the subset Lantern can evaluate on traffic (comparisons `=`, `IN`, `ISSUBSET` on IP, domain,
// URL and file-hash values, joined by OR) into observables. Everything else comes back as a coded reason.
import { domainObservable, hashObservable, ipObservable, urlObservable, type HashAlgorithm, type Observable } from './indicator.js';

/** Why a pattern cannot be evaluated: declared once, reported with every unsupported indicator. */
export const PATTERN_PROBLEMS = {
  syntax: 'the pattern is not valid STIX patterning syntax',
  too_long: 'the pattern is longer than MAX_PATTERN_LENGTH, or nests or lists more than the parser allows',
  observation_and: 'AND between observation expressions (two observations seen together) needs correlation Lantern does not do',
  followedby: 'FOLLOWEDBY (observations in sequence) needs correlation Lantern does not do',
  qualifier: 'WITHIN, REPEATS and START/STOP qualifiers need windows over observations Lantern does not keep',
  comparison_and: 'AND between comparisons (several properties of one object) is not evaluated',
  object_path: 'only ipv4-addr:value, ipv6-addr:value, domain-name:value, url:value and file:hashes (MD5, SHA-1, SHA-256) are evaluated',
  operator: 'only =, IN and ISSUBSET (addresses) are evaluated; LIKE, MATCHES, NOT, ordering and ISSUPERSET are not',
  value: 'the compared value is not a valid address, range, domain, URL or hash',
  pattern_type: 'only STIX patterns (pattern_type stix) are evaluated',
} as const;

export type PatternProblem = keyof typeof PATTERN_PROBLEMS;

export type PatternResult = { readonly ok: true; readonly observables: Observable[] } | { readonly ok: false; readonly code: PatternProblem; readonly reason: string };

/** Longest pattern read: real single-indicator patterns are well under 1 kB; lists of thousands belong in a list file. */
export const MAX_PATTERN_LENGTH = 64 * 1024;
/** Parenthesis nesting: keeps the recursion far from the stack limit on hostile input. */
const MAX_DEPTH = 32;
/** Values one indicator may carry (OR branches and IN lists together). */
export const MAX_OBSERVABLES_PER_INDICATOR = 10_000;

type TokKind = 'punct' | 'op' | 'str' | 'num' | 'ident' | 'typed' | 'eof';
interface Tok {
  readonly k: TokKind;
  readonly v: string;
  readonly at: number;
}

type Lit = { readonly t: 'str' | 'num' | 'bool' | 'bin' | 'hex' | 'time'; readonly v: string } | { readonly t: 'list'; readonly items: Lit[] };
interface Path {
  readonly type: string;
  readonly props: readonly string[];
}
interface Cmp {
  readonly path: Path;
  readonly not: boolean;
  readonly op: string;
  readonly lit: Lit | null;
}
type CompNode = { readonly t: 'cmp'; readonly c: Cmp } | { readonly t: 'and' | 'or'; readonly l: CompNode; readonly r: CompNode };
type ObsNode =
  | { readonly t: 'obs'; readonly comp: CompNode }
  | { readonly t: 'qual'; readonly q: string; readonly inner: ObsNode }
  | { readonly t: 'and' | 'or' | 'followedby'; readonly l: ObsNode; readonly r: ObsNode };

class Problem {
  constructor(
    readonly code: PatternProblem,
    readonly reason: string,
  ) {}
}

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'FOLLOWEDBY', 'LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET', 'IN', 'WITHIN', 'SECONDS', 'REPEATS', 'TIMES', 'START', 'STOP', 'EXISTS']);
const COMPARE_KEYWORDS = new Set(['LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET', 'IN']);

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const at = i;
    if ('[]():,.'.includes(c)) {
      out.push({ k: 'punct', v: c, at });
      i++;
    } else if (c === '=' || c === '!' || c === '<' || c === '>') {
      const two = s.slice(i, i + 2);
      if (two === '!=' || two === '<>' || two === '<=' || two === '>=') {
        out.push({ k: 'op', v: two === '<>' ? '!=' : two, at });
        i += 2;
      } else if (c === '!') throw new Problem('syntax', `unexpected '!' at offset ${at}`);
      else {
        out.push({ k: 'op', v: c, at });
        i++;
      }
    } else if (c === "'" || ((c === 'b' || c === 'h' || c === 't') && s[i + 1] === "'")) {
      const typed = c !== "'";
      i += typed ? 2 : 1;
      let v = '';
      for (;;) {
        if (i >= s.length) throw new Problem('syntax', `unterminated string starting at offset ${at}`);
        const d = s[i];
        if (d === '\\' && (s[i + 1] === "'" || s[i + 1] === '\\')) {
          v += s[i + 1];
          i += 2;
        } else if (d === "'") {
          i++;
          break;
        } else {
          v += d;
          i++;
        }
      }
      out.push(typed ? { k: 'typed', v: `${c}${v}`, at } : { k: 'str', v, at });
    } else if (/[0-9]/.test(c) || ((c === '-' || c === '+') && /[0-9]/.test(s[i + 1] ?? ''))) {
      const m = /^[-+]?\d+(\.\d+)?/.exec(s.slice(i, i + 64))!;
      out.push({ k: 'num', v: m[0], at });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(s.slice(i, i + 256))!;
      out.push({ k: 'ident', v: m[0], at });
      i += m[0].length;
    } else throw new Problem('syntax', `unexpected '${c}' at offset ${at}`);
  }
  out.push({ k: 'eof', v: '', at: s.length });
  return out;
}

class Parser {
  private i = 0;
  private depth = 0;

  constructor(private readonly toks: Tok[]) {}

  pattern(): ObsNode {
    const n = this.followedBy();
    if (this.peek().k !== 'eof') this.fail(`unexpected '${this.peek().v}'`);
    return n;
  }

  private followedBy(): ObsNode {
    let l = this.obsOr();
    while (this.isKw('FOLLOWEDBY')) {
      this.i++;
      l = { t: 'followedby', l, r: this.obsOr() };
    }
    return l;
  }

  private obsOr(): ObsNode {
    let l = this.obsAnd();
    while (this.isKw('OR')) {
      this.i++;
      l = { t: 'or', l, r: this.obsAnd() };
    }
    return l;
  }

  private obsAnd(): ObsNode {
    let l = this.obsQualified();
    while (this.isKw('AND')) {
      this.i++;
      l = { t: 'and', l, r: this.obsQualified() };
    }
    return l;
  }

  private obsQualified(): ObsNode {
    let n = this.obsUnit();
    for (;;) {
      if (this.isKw('WITHIN')) {
        this.i++;
        this.expectKind('num');
        this.expectKw('SECONDS');
        n = { t: 'qual', q: 'WITHIN', inner: n };
      } else if (this.isKw('REPEATS')) {
        this.i++;
        this.expectKind('num');
        this.expectKw('TIMES');
        n = { t: 'qual', q: 'REPEATS', inner: n };
      } else if (this.isKw('START')) {
        this.i++;
        this.expectKind('typed');
        this.expectKw('STOP');
        this.expectKind('typed');
        n = { t: 'qual', q: 'START/STOP', inner: n };
      } else return n;
    }
  }

  private obsUnit(): ObsNode {
    if (this.isPunct('[')) {
      this.i++;
      const comp = this.nested(() => this.compOr());
      this.expectPunct(']');
      return { t: 'obs', comp };
    }
    if (this.isPunct('(')) {
      this.i++;
      const n = this.nested(() => this.followedBy());
      this.expectPunct(')');
      return n;
    }
    return this.fail("expected '[' or '('");
  }

  private compOr(): CompNode {
    let l = this.compAnd();
    while (this.isKw('OR')) {
      this.i++;
      l = { t: 'or', l, r: this.compAnd() };
    }
    return l;
  }

  private compAnd(): CompNode {
    let l = this.compUnit();
    while (this.isKw('AND')) {
      this.i++;
      l = { t: 'and', l, r: this.compUnit() };
    }
    return l;
  }

  private compUnit(): CompNode {
    if (this.isPunct('(')) {
      this.i++;
      const n = this.nested(() => this.compOr());
      this.expectPunct(')');
      return n;
    }
    if (this.isKw('EXISTS')) {
      this.i++;
      return { t: 'cmp', c: { path: this.path(), not: false, op: 'EXISTS', lit: null } };
    }
    const path = this.path();
    let not = false;
    if (this.isKw('NOT')) {
      this.i++;
      not = true;
    }
    const t = this.peek();
    let op: string;
    if (t.k === 'op') op = t.v;
    else if (t.k === 'ident' && COMPARE_KEYWORDS.has(t.v.toUpperCase())) op = t.v.toUpperCase();
    else return this.fail('expected a comparison operator');
    this.i++;
    const lit = op === 'IN' ? this.list() : this.literal();
    return { t: 'cmp', c: { path, not, op, lit } };
  }

  private path(): Path {
    const type = this.peek();
    if (type.k !== 'ident' || KEYWORDS.has(type.v.toUpperCase())) return this.fail('expected an object type');
    this.i++;
    this.expectPunct(':');
    const props: string[] = [this.prop()];
    for (;;) {
      if (this.isPunct('.')) {
        this.i++;
        props.push(this.prop());
      } else if (this.isPunct('[') && (this.peek(1).k === 'num' || this.peek(1).v === '*') && this.peek(2).v === ']') {
        props.push(`[${this.peek(1).v}]`);
        this.i += 3;
      } else return { type: type.v, props };
    }
  }

  private prop(): string {
    const t = this.peek();
    if (t.k !== 'ident' && t.k !== 'str') return this.fail('expected a property name');
    this.i++;
    return t.v;
  }

  private list(): Lit {
    this.expectPunct('(');
    const items: Lit[] = [this.literal()];
    while (this.isPunct(',')) {
      this.i++;
      if (items.length >= MAX_OBSERVABLES_PER_INDICATOR) throw new Problem('too_long', `more than ${MAX_OBSERVABLES_PER_INDICATOR} values in an IN list`);
      items.push(this.literal());
    }
    this.expectPunct(')');
    return { t: 'list', items };
  }

  private literal(): Lit {
    const t = this.peek();
    this.i++;
    if (t.k === 'str') return { t: 'str', v: t.v };
    if (t.k === 'num') return { t: 'num', v: t.v };
    if (t.k === 'typed') return { t: t.v[0] === 'b' ? 'bin' : t.v[0] === 'h' ? 'hex' : 'time', v: t.v.slice(1) };
    if (t.k === 'ident' && (t.v === 'true' || t.v === 'false')) return { t: 'bool', v: t.v };
    this.i--;
    return this.fail('expected a value');
  }

  private nested<T>(f: () => T): T {
    if (++this.depth > MAX_DEPTH) throw new Problem('too_long', `nested deeper than ${MAX_DEPTH}`);
    const r = f();
    this.depth--;
    return r;
  }

  private peek(ahead = 0): Tok {
    return this.toks[Math.min(this.i + ahead, this.toks.length - 1)];
  }

  private isKw(kw: string): boolean {
    const t = this.peek();
    return t.k === 'ident' && t.v.toUpperCase() === kw;
  }

  private isPunct(p: string): boolean {
    const t = this.peek();
    return t.k === 'punct' && t.v === p;
  }

  private expectPunct(p: string): void {
    if (!this.isPunct(p)) this.fail(`expected '${p}'`);
    this.i++;
  }

  private expectKw(kw: string): void {
    if (!this.isKw(kw)) this.fail(`expected ${kw}`);
    this.i++;
  }

  private expectKind(k: TokKind): void {
    if (this.peek().k !== k) this.fail(`expected a ${k === 'typed' ? "t'…' timestamp" : 'number'}`);
    this.i++;
  }

  private fail(what: string): never {
    const t = this.peek();
    throw new Problem('syntax', `${what} at offset ${t.at}${t.k === 'eof' ? ' (end of pattern)' : ''}`);
  }
}

const HASH_KEYS: Readonly<Record<string, HashAlgorithm>> = { MD5: 'md5', 'SHA-1': 'sha1', SHA1: 'sha1', 'SHA-256': 'sha256', SHA256: 'sha256' };

function lowerObs(n: ObsNode, out: Observable[]): void {
  switch (n.t) {
    case 'or':
      lowerObs(n.l, out);
      lowerObs(n.r, out);
      return;
    case 'and':
      throw new Problem('observation_and', PATTERN_PROBLEMS.observation_and);
    case 'followedby':
      throw new Problem('followedby', PATTERN_PROBLEMS.followedby);
    case 'qual':
      throw new Problem('qualifier', `${n.q}: ${PATTERN_PROBLEMS.qualifier}`);
    case 'obs':
      lowerComp(n.comp, out);
  }
}

function lowerComp(n: CompNode, out: Observable[]): void {
  if (n.t === 'cmp') lowerCmp(n.c, out);
  else if (n.t === 'and') throw new Problem('comparison_and', PATTERN_PROBLEMS.comparison_and);
  else {
    lowerComp(n.l, out);
    lowerComp(n.r, out);
  }
}

function lowerCmp(c: Cmp, out: Observable[]): void {
  const where = `${c.path.type}:${c.path.props.join('.')}`;
  let make: ((v: string) => Observable | string) | null = null;
  let subset = false;
  if ((c.path.type === 'ipv4-addr' || c.path.type === 'ipv6-addr') && isValuePath(c.path)) {
    const family = c.path.type === 'ipv4-addr' ? 'ipv4' : 'ipv6';
    make = (v) => {
      const o = ipObservable(v);
      if (typeof o === 'string') return o;
      const isV4 = o.kind === 'ipv4' || o.kind === 'cidr4';
      return isV4 === (family === 'ipv4') ? o : `'${v}' is not an ${family === 'ipv4' ? 'IPv4' : 'IPv6'} address`;
    };
    subset = true;
  } else if (c.path.type === 'domain-name' && isValuePath(c.path)) make = domainObservable;
  else if (c.path.type === 'url' && isValuePath(c.path)) make = urlObservable;
  else if (c.path.type === 'file' && c.path.props.length === 2 && c.path.props[0] === 'hashes') {
    const alg = HASH_KEYS[c.path.props[1].toUpperCase()];
    if (alg !== undefined) make = (v) => hashObservable(v, alg);
  }
  if (make === null) throw new Problem('object_path', `${where}: ${PATTERN_PROBLEMS.object_path}`);
  if (c.not) throw new Problem('operator', `NOT ${c.op} on ${where}: ${PATTERN_PROBLEMS.operator}`);
  if (c.op !== '=' && c.op !== 'IN' && !(c.op === 'ISSUBSET' && subset)) throw new Problem('operator', `${c.op} on ${where}: ${PATTERN_PROBLEMS.operator}`);
  const lits = c.lit === null ? [] : c.lit.t === 'list' ? c.lit.items : [c.lit];
  for (const lit of lits) {
    if (lit.t !== 'str') throw new Problem('value', `${where} compared with a ${lit.t === 'list' ? 'list' : lit.t} value, not a string`);
    const o = make(lit.v);
    if (typeof o === 'string') throw new Problem('value', `${where}: ${o}`);
    if (out.length >= MAX_OBSERVABLES_PER_INDICATOR) throw new Problem('too_long', `more than ${MAX_OBSERVABLES_PER_INDICATOR} values`);
    out.push(o);
  }
}

function isValuePath(p: Path): boolean {
  return p.props.length === 1 && p.props[0] === 'value';
}

/** Parses a STIX pattern and lowers it to the values it matches (OR), or says why it cannot be evaluated. */
export function parseStixPattern(pattern: string): PatternResult {
  if (pattern.length > MAX_PATTERN_LENGTH) return { ok: false, code: 'too_long', reason: `the pattern is ${pattern.length} characters (limit ${MAX_PATTERN_LENGTH})` };
  try {
    const ast = new Parser(tokenize(pattern)).pattern();
    const observables: Observable[] = [];
    lowerObs(ast, observables);
    return { ok: true, observables };
  } catch (err) {
    if (err instanceof Problem) return { ok: false, code: err.code, reason: err.reason };
    throw err;
  }
}

// Plain indicator lists, one value a line: an IPv4/IPv6 address, a CIDR range, a domain, a URL or an MD5/SHA-1/SHA-256
// hash, optionally followed by `,context` (kept as the indicator's description). `#` starts a comment at the start of
// a line or after a space. Defanged values (`evil[.]com`, `hxxp://`) are refanged.
import { domainObservable, hashObservable, ipObservable, urlObservable, type Indicator, type Observable } from './indicator.js';

/** Lines read from one list: the largest public blocklists are a few hundred thousand lines. */
export const MAX_LIST_LINES = 1_000_000;
/** Bad lines reported one by one; the rest are only counted. */
export const MAX_REPORTED_LINES = 100;
const MAX_LINE_LENGTH = 8 * 1024;

export interface BadLine {
  readonly line: number;
  readonly text: string;
  readonly reason: string;
}

export interface PlainListResult {
  readonly indicators: Indicator[];
  /** The first MAX_REPORTED_LINES bad lines, with their 1-based line numbers. */
  readonly bad: BadLine[];
  readonly badCount: number;
  /** Lines past MAX_LIST_LINES, not read. */
  readonly skippedLines: number;
}

const NONE: readonly never[] = Object.freeze([]);
const CIDR = /^[0-9a-f:.]+\/\d+$/i;
const HEX = /^[0-9a-f]+$/i;

/** Reads a plain list from feed `source`: one indicator per value line, a line-numbered report of the rest. */
export function parsePlainList(text: string, source: string): PlainListResult {
  const indicators: Indicator[] = [];
  const bad: BadLine[] = [];
  let badCount = 0;
  const seen = new Set<string>();
  const lines = text.split(/\r?\n/);
  const n = Math.min(lines.length, MAX_LIST_LINES);
  for (let i = 0; i < n; i++) {
    const raw = lines[i];
    const report = (reason: string) => {
      badCount++;
      if (bad.length < MAX_REPORTED_LINES) bad.push({ line: i + 1, text: raw.length > 200 ? `${raw.slice(0, 200)}…` : raw, reason });
    };
    if (raw.length > MAX_LINE_LENGTH) {
      report(`longer than ${MAX_LINE_LENGTH} characters`);
      continue;
    }
    const line = stripComment(raw).trim();
    if (line === '') continue;
    const comma = line.indexOf(',');
    const value = refang((comma < 0 ? line : line.slice(0, comma)).trim());
    const context = comma < 0 ? '' : line.slice(comma + 1).trim();
    const o = classify(value);
    if (typeof o === 'string') {
      report(o);
      continue;
    }
    const id = `${source}:${value}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const ind: { -readonly [K in keyof Indicator]: Indicator[K] } = { id, source, pattern: value, observables: [o], labels: NONE, kill_chain_phases: NONE, external_references: NONE, techniques: NONE };
    if (context !== '') ind.description = context;
    indicators.push(ind);
  }
  return { indicators, bad, badCount, skippedLines: lines.length - n };
}

function stripComment(line: string): string {
  if (line.trimStart().startsWith('#')) return '';
  const m = /\s#/.exec(line);
  return m === null ? line : line.slice(0, m.index);
}

function refang(v: string): string {
  return v.replace(/\[\.\]|\(\.\)|\{\.\}/g, '.').replace(/\[:\]/g, ':').replace(/^hxxp/i, 'http').replace(/^fxp/i, 'ftp');
}

function classify(v: string): Observable | string {
  if (v.includes('://') || (v.includes('/') && !CIDR.test(v))) return urlObservable(v);
  if (CIDR.test(v) || /^[0-9.]+$/.test(v) || v.includes(':')) return ipObservable(v);
  if (HEX.test(v) && (v.length === 32 || v.length === 40 || v.length === 64)) return hashObservable(v);
  const d = domainObservable(v);
  return typeof d === 'string' ? `not an IP address, CIDR range, domain, URL or MD5/SHA-1/SHA-256 hash: '${v.length > 80 ? `${v.slice(0, 80)}…` : v}'` : d;
}

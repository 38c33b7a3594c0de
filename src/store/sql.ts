// Helpers of the SQLite store's queries: WHERE building, keyset pages with opaque cursors, argument checks, JSON.
import type Database from 'better-sqlite3';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, OPEN_ALERT_STATUSES, StoreError, type Page } from './store.js';

/** The statuses still to be worked, as an SQL list for `status IN (…)` (fixed words, never user input). */
export const OPEN_STATUSES_SQL = OPEN_ALERT_STATUSES.map((s) => `'${s}'`).join(', ');

export type Param = string | number | null;
export type Row = Record<string, unknown>;

/** Runs SQL through a cache of prepared statements. */
export class Queries {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly maxCached: number,
  ) {}

  statement(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (s === undefined) {
      if (this.statements.size >= this.maxCached) this.statements.clear();
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  clear(): void {
    this.statements.clear();
  }

  all(sql: string, params: readonly Param[]): Row[] {
    return this.statement(sql).all(...params) as Row[];
  }

  get(sql: string, params: readonly Param[]): Row | undefined {
    return this.statement(sql).get(...params) as Row | undefined;
  }

  run(sql: string, params: readonly Param[]): Database.RunResult {
    return this.statement(sql).run(...params);
  }
}

export function cond(where: string[], params: Param[], sql: string, ...values: Param[]): void {
  where.push(sql);
  params.push(...values);
}

export function whereSql(where: readonly string[]): string {
  return where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`;
}

export function page<T>(rows: Row[], limit: number, item: (r: Row) => T, key: (r: Row) => [number | string, number | string]): Page<T> {
  const more = rows.length > limit;
  if (more) rows.length = limit;
  return { items: rows.map(item), next: more && rows.length > 0 ? encodeCursor(key(rows[rows.length - 1])) : null };
}

export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) throw new StoreError('store.bad_limit', `limit must be a positive integer, not ${String(limit)}`);
  return Math.min(limit, MAX_PAGE_LIMIT);
}

export function encodeCursor(key: [number | string, number | string]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string, idType: 'number'): [number, number];
export function decodeCursor(cursor: string, idType: 'string'): [number | string, string];
export function decodeCursor(cursor: string, idType: 'number' | 'string'): [number | string, number | string] {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    v = null;
  }
  if (!Array.isArray(v) || v.length !== 2 || (typeof v[0] !== 'number' && typeof v[0] !== 'string') || typeof v[1] !== idType) {
    throw new StoreError('store.bad_cursor', 'the cursor is not one this store issued for this list');
  }
  return v as [number | string, number | string];
}

export function num(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new StoreError('store.bad_argument', `${name} must be a finite number, not ${String(v)}`);
  return v;
}

export function toJson(v: unknown): string | null {
  try {
    return JSON.stringify(v);
  } catch {
    return null;
  }
}

export function jsonOrThrow(v: unknown): string {
  const s = toJson(v);
  if (s === null || s === undefined) throw new StoreError('store.bad_argument', 'value is not serialisable as JSON');
  return s;
}

// Severity of a modeling change by what it can do to the process (docs/modeling.md has the whole table).
import type { Severity } from '../types.js';

/** A new access class: program transfers change the logic, writes and controls act on the process, reads observe. */
const BY_ACCESS: Readonly<Record<string, Severity>> = {
  program: 'critical',
  write: 'high',
  control: 'high',
  diagnostic: 'medium',
  discovery: 'medium',
  read: 'low',
  other: 'low',
};

export function operationSeverity(access: unknown): Severity {
  return (typeof access === 'string' ? BY_ACCESS[access] : undefined) ?? 'low';
}

/** Whether an alert's operations ({name, access[]}) include one that writes, controls or programs. */
export function changesProcess(operations: unknown): boolean {
  if (!Array.isArray(operations)) return false;
  return operations.some((o: { access?: unknown }) => Array.isArray(o?.access) && o.access.some((a) => a === 'write' || a === 'control' || a === 'program'));
}

// STIX 2.1 bundles (OASIS STIX 2.1 §8.2 indicator, §8.1 bundle) → indicators: the bundle's outer shape is checked
// with a schema (Ajv), each indicator object on its own, so one bad object is reported and the rest still load.
import { Ajv, type ErrorObject } from 'ajv';
import { isTechniqueId } from '../attack/index.js';
import type { ExternalReference, Indicator, KillChainPhase } from './indicator.js';
import { MAX_PATTERN_LENGTH, PATTERN_PROBLEMS, parseStixPattern, type PatternProblem } from './stix-pattern.js';

/** Objects read from one bundle: a large commercial feed export is tens of thousands; past this it is not a feed. */
export const MAX_BUNDLE_OBJECTS = 500_000;
const MAX_TEXT = 64 * 1024;
const MAX_LIST = 1_000;

const BUNDLE_SCHEMA = {
  type: 'object',
  required: ['type', 'objects'],
  properties: {
    type: { const: 'bundle' },
    id: { type: 'string', pattern: '^bundle--' },
    objects: {
      type: 'array',
      maxItems: MAX_BUNDLE_OBJECTS,
      items: { type: 'object', required: ['type', 'id'], properties: { type: { type: 'string', minLength: 1 }, id: { type: 'string', minLength: 1, maxLength: 300 } } },
    },
  },
} as const;

const TEXT = { type: 'string', maxLength: MAX_TEXT } as const;
const STRINGS = { type: 'array', maxItems: MAX_LIST, items: TEXT } as const;

const INDICATOR_SCHEMA = {
  type: 'object',
  required: ['id', 'pattern', 'pattern_type'],
  properties: {
    id: { type: 'string', pattern: '^indicator--' },
    pattern: { type: 'string', minLength: 1, maxLength: MAX_PATTERN_LENGTH },
    pattern_type: { type: 'string' },
    name: TEXT,
    description: TEXT,
    labels: STRINGS,
    indicator_types: STRINGS,
    valid_from: { type: 'string' },
    valid_until: { type: 'string' },
    confidence: { type: 'integer', minimum: 0, maximum: 100 },
    created_by_ref: { type: 'string' },
    revoked: { type: 'boolean' },
    kill_chain_phases: {
      type: 'array',
      maxItems: MAX_LIST,
      items: { type: 'object', required: ['kill_chain_name', 'phase_name'], properties: { kill_chain_name: TEXT, phase_name: TEXT } },
    },
    external_references: {
      type: 'array',
      maxItems: MAX_LIST,
      items: { type: 'object', required: ['source_name'], properties: { source_name: TEXT, url: TEXT, external_id: TEXT, description: TEXT } },
    },
  },
} as const;

const ajv = new Ajv({ allErrors: true });
const validateBundle = ajv.compile(BUNDLE_SCHEMA);
const validateIndicator = ajv.compile(INDICATOR_SCHEMA);

/** A file or value that is not a STIX bundle at all (bad JSON, wrong shape): the message names the problems. */
export class IntelFormatError extends Error {
  readonly code = 'intel.bad_format';
}

export type UnsupportedCode = PatternProblem | 'invalid_object';

export interface UnsupportedIndicator {
  readonly id: string;
  readonly pattern: string;
  readonly code: UnsupportedCode;
  readonly reason: string;
}

export interface InactiveIndicator {
  readonly id: string;
  readonly name?: string;
  readonly reason: 'expired' | 'revoked';
  readonly valid_until?: string;
}

export interface StixParseResult {
  readonly indicators: Indicator[];
  readonly unsupported: UnsupportedIndicator[];
  /** Expired (valid_until passed) or revoked: reported, not matched. */
  readonly inactive: InactiveIndicator[];
}

export interface StixOptions {
  /** Wall-clock time (ms) against which valid_until is judged; default now. */
  readonly now?: number;
}

interface StixObject {
  readonly type: string;
  readonly id: string;
  readonly [field: string]: unknown;
}

interface StixIndicatorObject extends StixObject {
  readonly pattern: string;
  readonly pattern_type: string;
  readonly name?: string;
  readonly description?: string;
  readonly labels?: string[];
  readonly indicator_types?: string[];
  readonly valid_from?: string;
  readonly valid_until?: string;
  readonly confidence?: number;
  readonly created_by_ref?: string;
  readonly revoked?: boolean;
  readonly kill_chain_phases?: KillChainPhase[];
  readonly external_references?: ExternalReference[];
}

const ICS_ATTACK_SOURCES = new Set(['mitre-ics-attack', 'mitre-attack-ics']);

function describe(e: ErrorObject): string {
  const where = e.instancePath === '' ? 'the bundle' : e.instancePath;
  if (e.keyword === 'const') return `${where} must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`;
  return `${where} ${e.message ?? 'is invalid'}`;
}

/**
 * Reads a STIX 2.1 bundle (parsed JSON, or its text) from feed `source`. Throws IntelFormatError when it is not a
 * bundle; problems with single objects are returned in `unsupported`.
 */
export function parseStixBundle(json: unknown, source: string, options: StixOptions = {}): StixParseResult {
  let data = json;
  if (typeof json === 'string') {
    try {
      data = JSON.parse(json);
    } catch (err) {
      throw new IntelFormatError(`${source}: not JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (!validateBundle(data)) {
    const problems = (validateBundle.errors ?? []).slice(0, 10).map(describe);
    throw new IntelFormatError(`${source}: not a STIX 2.1 bundle: ${problems.join('; ')}`);
  }
  const objects = (data as { objects: StixObject[] }).objects;
  const now = options.now ?? Date.now();
  const names = new Map<string, string>();
  const techniquesOf = new Map<string, string[]>();
  const attackPatterns = new Map<string, string[]>();
  for (const o of objects) {
    if ((o.type === 'identity' || o.type === 'attack-pattern') && typeof o.name === 'string') names.set(o.id, o.name);
    if (o.type === 'attack-pattern') attackPatterns.set(o.id, icsTechniques(o.external_references));
  }
  for (const o of objects) {
    if (o.type !== 'relationship' || o.relationship_type !== 'indicates' || typeof o.source_ref !== 'string' || typeof o.target_ref !== 'string') continue;
    const t = attackPatterns.get(o.target_ref);
    if (t === undefined || t.length === 0) continue;
    const list = techniquesOf.get(o.source_ref) ?? [];
    for (const id of t) if (!list.includes(id) && list.length < MAX_LIST) list.push(id);
    techniquesOf.set(o.source_ref, list);
  }
  // A bundle may carry several versions of one object (same id): the latest `modified` wins (STIX 2.1 §3.6).
  const latest = new Map<string, StixObject>();
  for (const o of objects) {
    if (o.type !== 'indicator') continue;
    const prev = latest.get(o.id);
    if (prev === undefined || String(o.modified ?? '') > String(prev.modified ?? '')) latest.set(o.id, o);
  }
  const result: StixParseResult = { indicators: [], unsupported: [], inactive: [] };
  for (const o of latest.values()) {
    const pattern = typeof o.pattern === 'string' ? o.pattern : '';
    if (!validateIndicator(o)) {
      const reason = (validateIndicator.errors ?? []).slice(0, 5).map(describe).join('; ');
      result.unsupported.push({ id: o.id, pattern: pattern.slice(0, 1000), code: 'invalid_object', reason });
      continue;
    }
    const ind = o as StixIndicatorObject;
    if (ind.revoked === true) {
      result.inactive.push({ id: ind.id, ...(ind.name !== undefined ? { name: ind.name } : {}), reason: 'revoked' });
      continue;
    }
    if (ind.valid_until !== undefined && Date.parse(ind.valid_until) <= now) {
      result.inactive.push({ id: ind.id, ...(ind.name !== undefined ? { name: ind.name } : {}), reason: 'expired', valid_until: ind.valid_until });
      continue;
    }
    if (ind.pattern_type !== 'stix') {
      result.unsupported.push({ id: ind.id, pattern: pattern.slice(0, 1000), code: 'pattern_type', reason: `pattern_type ${ind.pattern_type}: ${PATTERN_PROBLEMS.pattern_type}` });
      continue;
    }
    const parsed = parseStixPattern(pattern);
    if (!parsed.ok) {
      result.unsupported.push({ id: ind.id, pattern: pattern.slice(0, 1000), code: parsed.code, reason: parsed.reason });
      continue;
    }
    const techniques = [...icsTechniques(ind.external_references)];
    for (const t of techniquesOf.get(ind.id) ?? []) if (!techniques.includes(t)) techniques.push(t);
    const creator = ind.created_by_ref === undefined ? undefined : (names.get(ind.created_by_ref) ?? ind.created_by_ref);
    result.indicators.push({
      id: ind.id,
      source,
      pattern,
      observables: parsed.observables,
      ...(ind.name !== undefined ? { name: ind.name } : {}),
      ...(ind.description !== undefined ? { description: ind.description } : {}),
      labels: [...new Set([...(ind.indicator_types ?? []), ...(ind.labels ?? [])])],
      ...(ind.confidence !== undefined ? { confidence: ind.confidence } : {}),
      ...(ind.valid_from !== undefined ? { valid_from: ind.valid_from } : {}),
      ...(ind.valid_until !== undefined ? { valid_until: ind.valid_until } : {}),
      ...(creator !== undefined ? { created_by: creator } : {}),
      kill_chain_phases: (ind.kill_chain_phases ?? []).map((k) => ({ kill_chain_name: k.kill_chain_name, phase_name: k.phase_name })),
      external_references: (ind.external_references ?? []).map(pickReference),
      techniques,
    });
  }
  return result;
}

/** ATT&CK for ICS technique ids named by `mitre-ics-attack` external references (current ids only). */
function icsTechniques(refs: unknown): string[] {
  if (!Array.isArray(refs)) return [];
  const out: string[] = [];
  for (const r of refs.slice(0, MAX_LIST) as unknown[]) {
    if (typeof r !== 'object' || r === null) continue;
    const { source_name, external_id } = r as Record<string, unknown>;
    if (typeof source_name === 'string' && ICS_ATTACK_SOURCES.has(source_name) && typeof external_id === 'string' && isTechniqueId(external_id) && !out.includes(external_id)) out.push(external_id);
  }
  return out;
}

function pickReference(r: ExternalReference): ExternalReference {
  return {
    source_name: r.source_name,
    ...(r.url !== undefined ? { url: r.url } : {}),
    ...(r.external_id !== undefined ? { external_id: r.external_id } : {}),
    ...(r.description !== undefined ? { description: r.description } : {}),
  };
}

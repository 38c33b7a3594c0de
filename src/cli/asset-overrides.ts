// `--asset-overrides FILE`: the analyst's corrections of assets (criticality, Purdue level, a name), as JSON validated
// against a schema (Ajv), so a typo gets a message naming the entry and the field rather than being ignored.
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import type { AssetOverride } from '../inventory/snapshot.js';

const SCHEMA = {
  type: 'array',
  maxItems: 100_000,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['match'],
    properties: {
      match: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        properties: {
          id: { type: 'string', minLength: 1, maxLength: 200 },
          ip: { type: 'string', minLength: 2, maxLength: 64 },
          mac: { type: 'string', pattern: '^[0-9a-f]{2}(:[0-9a-f]{2}){5}$' },
        },
      },
      criticality: { enum: ['high', 'medium', 'low'] },
      purdue_level: { type: 'integer', minimum: 0, maximum: 5 },
      name: { type: 'string', minLength: 1, maxLength: 200 },
    },
  },
} as const;

const validate = new Ajv({ allErrors: true }).compile<AssetOverride[]>(SCHEMA);

export class OverridesError extends Error {}

function describe(e: ErrorObject): string {
  const where = e.instancePath === '' ? 'the file' : e.instancePath;
  if (e.keyword === 'enum') return `${where} must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
  if (e.keyword === 'additionalProperties') return `${where} has an unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  return `${where} ${e.message ?? 'is invalid'}`;
}

/** Reads and validates an overrides file; throws OverridesError with one line per problem (at most 10). */
export function loadAssetOverrides(path: string): AssetOverride[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new OverridesError(`${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!validate(data)) {
    const problems = (validate.errors ?? []).slice(0, 10).map(describe);
    throw new OverridesError(`${path}: ${problems.join('; ')}`);
  }
  return data;
}

// The shape of a rule file (docs/rules.md) as a JSON Schema checked by Ajv: keys, types, list and length caps. Values
// (names, addresses, techniques, durations) are checked by compile.ts, which can suggest the nearest valid one.
import { Ajv, type ErrorObject } from 'ajv';
import { MAX_BY, MAX_LIST, MAX_PLAYBOOK_LINES, MAX_RULES, MAX_TARGET_FIELDS, MAX_TECHNIQUES, MAX_TEXT, MAX_THRESHOLD_COUNT, MAX_TITLE, MAX_VALUE } from './limits.js';

/** Keys of `match` that hold names (each also as `not_<key>`). */
export const MATCH_NAME_KEYS = ['protocol', 'operation', 'access', 'outcome', 'origin'] as const;
/** Keys of `src` and `dst` (each also as `not_<key>`, except the booleans). */
export const HOST_NAME_KEYS = ['ip', 'asset', 'role', 'criticality', 'zone', 'vendor', 'model'] as const;
export const HOST_BOOLEAN_KEYS = ['known', 'external'] as const;
export const HOST_RANGE_KEYS = ['purdue'] as const;

const withNot = (keys: readonly string[]): string[] => keys.flatMap((k) => [k, `not_${k}`]);

const names = { type: ['string', 'array'], minLength: 1, maxLength: MAX_VALUE, minItems: 1, maxItems: MAX_LIST, items: { type: 'string', minLength: 1, maxLength: MAX_VALUE } };
const range = { type: 'object', additionalProperties: false, minProperties: 1, properties: { min: { type: 'number' }, max: { type: 'number' } } };
const numbers = { type: ['number', 'array', 'object'], minItems: 1, maxItems: MAX_LIST, items: { type: 'number' }, ...omitType(range) };
const value = {
  type: ['string', 'number', 'boolean', 'array', 'object'],
  minItems: 1,
  maxItems: MAX_LIST,
  maxLength: MAX_VALUE,
  items: { type: ['string', 'number'], maxLength: MAX_VALUE },
  ...omitType(range),
};
const host = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: Object.fromEntries([
    ...withNot(HOST_NAME_KEYS).map((k) => [k, names]),
    ...withNot(HOST_RANGE_KEYS).map((k) => [k, numbers]),
    ...HOST_BOOLEAN_KEYS.map((k) => [k, { type: 'boolean' }]),
  ]),
};
const lines = { type: 'array', maxItems: MAX_PLAYBOOK_LINES, items: { type: 'string', minLength: 1, maxLength: MAX_TEXT } };

const RULE = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'title', 'severity', 'match'],
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 64 },
    title: { type: 'string', minLength: 1, maxLength: MAX_TITLE },
    description: { type: 'string', minLength: 1, maxLength: MAX_TEXT },
    severity: { type: 'string' },
    confidence: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
    techniques: { type: 'array', maxItems: MAX_TECHNIQUES, items: { type: 'string' } },
    kind: { type: 'string' },
    enabled: { type: 'boolean' },
    match: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        ...Object.fromEntries(withNot(MATCH_NAME_KEYS).map((k) => [k, names])),
        src: host,
        dst: host,
        target: { type: 'object', minProperties: 1, maxProperties: MAX_TARGET_FIELDS, additionalProperties: value },
      },
    },
    threshold: {
      type: 'object',
      additionalProperties: false,
      required: ['count', 'window'],
      properties: {
        count: { type: 'integer', minimum: 1, maximum: MAX_THRESHOLD_COUNT },
        window: { type: ['string', 'number'] },
        by: { type: ['string', 'array'], minItems: 0, maxItems: MAX_BY, items: { type: 'string' } },
      },
    },
    playbook: {
      type: 'object',
      additionalProperties: false,
      required: ['meaning'],
      properties: { meaning: { type: 'string', minLength: 1, maxLength: MAX_TEXT }, check: lines, respond: lines },
    },
  },
};

export const RULE_FILE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['rules'],
  properties: {
    version: { const: 1 },
    rules: { type: 'array', maxItems: MAX_RULES, items: RULE },
  },
};

function omitType(s: Record<string, unknown>): Record<string, unknown> {
  const { type: _type, ...rest } = s;
  return rest;
}

export const validateRuleFile = new Ajv({ allErrors: true, allowUnionTypes: true, verbose: true }).compile(RULE_FILE_SCHEMA);

/** One schema problem: where (path segments; `key` when it is about the key rather than its value) and what. */
export interface SchemaProblem {
  readonly path: readonly (string | number)[];
  readonly key: boolean;
  readonly message: string;
  /** For an unknown key, the keys allowed there (to suggest from). */
  readonly allowed?: readonly string[];
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a map of keys',
  null: 'null',
};

function typeText(t: unknown): string {
  const list = (Array.isArray(t) ? t : [t]).map((x) => TYPE_NAMES[String(x)] ?? String(x));
  return list.length === 1 ? list[0] : `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}`;
}

function shown(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  if (typeof v === 'string') return `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  return String(v);
}

/** Ajv's errors in words an analyst can act on, each at the node it is about. */
export function schemaProblems(errors: readonly ErrorObject[]): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  for (const e of errors) {
    const path = e.instancePath === '' ? [] : e.instancePath.slice(1).split('/').map((s) => {
      const seg = s.replace(/~1/g, '/').replace(/~0/g, '~');
      return /^\d+$/.test(seg) ? Number(seg) : seg;
    });
    const p = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'required':
        out.push({ path, key: false, message: `missing required key "${String(p.missingProperty)}"` });
        break;
      case 'additionalProperties': {
        const props = (e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
        out.push({ path: [...path, String(p.additionalProperty)], key: true, message: `unknown key "${String(p.additionalProperty)}"`, allowed: props === undefined ? [] : Object.keys(props) });
        break;
      }
      case 'type':
        out.push({ path, key: false, message: `must be ${typeText(p.type)}, not ${shown(e.data)}` });
        break;
      case 'const':
        out.push({ path, key: false, message: `must be ${shown(p.allowedValue)}, not ${shown(e.data)}` });
        break;
      case 'minItems':
        out.push({ path, key: false, message: 'must not be an empty list' });
        break;
      case 'maxItems':
        out.push({ path, key: false, message: `has ${(e.data as unknown[]).length} entries; at most ${String(p.limit)} are allowed` });
        break;
      case 'minLength':
        out.push({ path, key: false, message: 'must not be empty' });
        break;
      case 'maxLength':
        out.push({ path, key: false, message: `is ${(e.data as string).length} characters long; at most ${String(p.limit)} are allowed` });
        break;
      case 'minProperties':
        out.push({ path, key: false, message: 'must name at least one key' });
        break;
      case 'maxProperties':
        out.push({ path, key: false, message: `names ${Object.keys(e.data as object).length} keys; at most ${String(p.limit)} are allowed` });
        break;
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
        out.push({ path, key: false, message: `${e.message ?? 'is out of range'}, not ${shown(e.data)}` });
        break;
      default:
        out.push({ path, key: false, message: e.message ?? 'is not valid' });
    }
  }
  return out;
}

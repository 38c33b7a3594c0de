import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultRegistry } from '../../protocols/registry.js';
import { INDUSTRIAL_PROTOCOLS } from '../../common/vocabulary.js';
import { declaredActions } from '../semantics.js';
import { OPEN_PROTOCOLS, RULE_PROTOCOLS, protocolOperations, unknownOperation } from './operations.js';
import { HOST_BOOLEAN_KEYS, HOST_NAME_KEYS, HOST_RANGE_KEYS, MATCH_NAME_KEYS, RULE_FILE_SCHEMA } from './schema.js';
import { editDistance, nearest } from './suggest.js';
import { ROLE_ALIASES } from './compile.js';

test('rules may name every registered protocol; the industrial ones have checked operation names', () => {
  assert.deepEqual([...RULE_PROTOCOLS].sort(), defaultRegistry.modules.map((m) => m.id).sort());
  assert.deepEqual(RULE_PROTOCOLS.filter((p) => !OPEN_PROTOCOLS.includes(p)).sort(), [...INDUSTRIAL_PROTOCOLS].sort());
  for (const p of INDUSTRIAL_PROTOCOLS) assert.ok(protocolOperations(p)!.names.size > 5, p);
});

test('every operation the detection semantics name is a valid rule operation', () => {
  for (const a of declaredActions()) assert.equal(unknownOperation(a.operation, [a.protocol]), null, `${a.protocol} ${a.operation}`);
});

test('the name tables hold only names found in the protocols\' code tables', () => {
  const generated = new Set(['malformed_userdata', 'system_event', 'cip_io', 'encrypted_message', 'act', 'con']);
  for (const p of INDUSTRIAL_PROTOCOLS) {
    const codes = readFileSync(join(process.cwd(), 'src', 'protocols', p, 'codes.ts'), 'utf8');
    const describe = readFileSync(join(process.cwd(), 'src', 'protocols', p, 'describe.ts'), 'utf8');
    const t = protocolOperations(p)!;
    for (const n of [...t.names, ...t.subs]) {
      if (p === 'dnp3' && /_(close|trip|reserved)$/.test(n)) continue; // CROB op type + trip/close code, joined in describe.ts
      const numbered = /^(.*_)\d+$/.exec(n); // a name the code table builds from a template (`interrogated_group_${g}`)
      assert.ok(codes.includes(`'${n}'`) || (numbered !== null && codes.includes(`\`${numbered[1]}\${`)) || (generated.has(n) && describe.includes(`'${n}'`)), `${p}: ${n}`);
    }
  }
});

test('suggestions: the nearest names by edits, swaps included', () => {
  assert.equal(editDistance('wirte', 'write', 3), 1);
  assert.equal(editDistance('abc', 'xyz', 1), 2);
  assert.deepEqual(nearest('write_singel_register', ['write_single_register', 'read_coils']), ['write_single_register']);
  assert.deepEqual(nearest('zzzz', ['write']), []);
});

test('docs/rules.md names every key of the format and every role alias', () => {
  const doc = readFileSync(join(process.cwd(), 'docs', 'rules.md'), 'utf8');
  const rule = (RULE_FILE_SCHEMA.properties.rules.items as { properties: Record<string, { properties?: Record<string, unknown> }> }).properties;
  const keys = [
    ...Object.keys(RULE_FILE_SCHEMA.properties),
    ...Object.keys(rule),
    ...MATCH_NAME_KEYS,
    'src',
    'dst',
    'target',
    ...HOST_NAME_KEYS,
    ...HOST_BOOLEAN_KEYS,
    ...HOST_RANGE_KEYS,
    ...Object.keys(rule.threshold.properties!),
    ...Object.keys(rule.playbook.properties!),
    ...Object.keys(ROLE_ALIASES),
  ];
  for (const k of keys) assert.ok(doc.includes(`\`${k}\``), `docs/rules.md: \`${k}\``);
});

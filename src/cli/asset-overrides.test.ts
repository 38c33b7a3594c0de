import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAssetOverrides, OverridesError } from './asset-overrides.js';

const file = (text: string) => {
  const p = join(mkdtempSync(join(tmpdir(), 'lantern-ov-')), 'overrides.json');
  writeFileSync(p, text);
  return p;
};

test('a valid overrides file loads', () => {
  const o = loadAssetOverrides(file('[{"match": {"ip": "10.0.0.5"}, "criticality": "high", "purdue_level": 1, "name": "Boiler PLC"}]'));
  assert.deepEqual(o, [{ match: { ip: '10.0.0.5' }, criticality: 'high', purdue_level: 1, name: 'Boiler PLC' }]);
});

test('mistakes are named by entry and field', () => {
  assert.throws(() => loadAssetOverrides(file('[{"match": {"ip": "10.0.0.5"}, "criticality": "urgent"}]')), (e: Error) => e instanceof OverridesError && /\/0\/criticality must be one of high, medium, low/.test(e.message));
  assert.throws(() => loadAssetOverrides(file('[{"match": {}, "level": 3}]')), (e: Error) => /\/0 has an unknown field "level"/.test(e.message) && /\/0\/match/.test(e.message));
  assert.throws(() => loadAssetOverrides(file('{"not": "an array"}')), /the file must be array/);
  assert.throws(() => loadAssetOverrides(file('[{')), OverridesError);
  assert.throws(() => loadAssetOverrides('/no/such/file.json'), OverridesError);
});

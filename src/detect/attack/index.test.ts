import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import {
  ATTACK_NOTICE,
  ATTACK_VERSION,
  TACTICS,
  TECHNIQUES,
  TECHNIQUE_COUNT,
  coverage,
  coverageMarkdown,
  isTechniqueId,
  tactic,
  tacticsOf,
  technique,
} from './index.js';

// The repository root: the working directory of `npm test`, or above this module when dist/ sits in the repository.
function repoRoot(): string | null {
  const isRoot = (dir: string) => existsSync(join(dir, 'scripts', 'gen-attack-table.mjs'));
  if (isRoot(process.cwd())) return process.cwd();
  for (let dir = dirname(new URL(import.meta.url).pathname); dir !== dirname(dir); dir = dirname(dir)) {
    if (isRoot(dir)) return dir;
  }
  return null;
}

const ROOT = repoRoot();
const BUNDLE = ROOT === null ? '' : resolve(ROOT, '..', 'shared', 'data', 'attack-ics', 'ics-attack.json');
const BUNDLE_SKIP: string | false =
  ROOT === null
    ? 'repository root not found (run from it): ATT&CK bundle tests SKIPPED'
    : existsSync(BUNDLE)
      ? false
      : `ATT&CK bundle not found at ${BUNDLE}: bundle tests SKIPPED`;

interface StixObject {
  type: string;
  name?: string;
  revoked?: boolean;
  x_mitre_deprecated?: boolean;
  x_mitre_domains?: string[];
  x_mitre_shortname?: string;
  tactic_refs?: string[];
  id: string;
  external_references?: { source_name: string; external_id?: string }[];
  kill_chain_phases?: { kill_chain_name: string; phase_name: string }[];
}

function bundleObjects(): StixObject[] {
  return (JSON.parse(readFileSync(BUNDLE, 'utf8')) as { objects: StixObject[] }).objects;
}

const mitreId = (o: StixObject) => o.external_references!.find((r) => r.source_name === 'mitre-attack')!.external_id!;
const current = (o: StixObject) => !o.revoked && !o.x_mitre_deprecated && (o.x_mitre_domains ?? []).includes('ics-attack');

test('the table holds every current ICS technique of the bundle, with its name and tactics', { skip: BUNDLE_SKIP }, () => {
  const objects = bundleObjects();
  const patterns = objects.filter((o) => o.type === 'attack-pattern' && current(o));
  assert.equal(TECHNIQUE_COUNT, patterns.length);
  assert.equal(TECHNIQUE_COUNT, 83, 'ATT&CK for ICS v18.1 has 83 current techniques');
  const shortnames = new Map(objects.filter((o) => o.type === 'x-mitre-tactic').map((o) => [o.x_mitre_shortname, mitreId(o)]));
  for (const o of patterns) {
    const t = technique(mitreId(o));
    assert.ok(t, `${mitreId(o)} missing`);
    assert.equal(t.name, o.name);
    const expected = o.kill_chain_phases!.map((p) => shortnames.get(p.phase_name)!);
    assert.deepEqual([...t.tactics].sort(), expected.sort(), t.id);
  }
});

test('tactics follow the order of the ICS matrix', { skip: BUNDLE_SKIP }, () => {
  const objects = bundleObjects();
  const matrix = objects.find((o) => o.type === 'x-mitre-matrix')!;
  const byStix = new Map(objects.map((o) => [o.id, o]));
  assert.deepEqual(
    TACTICS.map((t) => t.id),
    matrix.tactic_refs!.map((ref) => mitreId(byStix.get(ref)!)),
  );
});

test('regenerating the table from the bundle gives the checked-in file byte for byte', { skip: BUNDLE_SKIP }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-attack-'));
  try {
    const out = join(dir, 'techniques.ts');
    execFileSync(process.execPath, [join(ROOT!, 'scripts', 'gen-attack-table.mjs'), BUNDLE, '--out', out], { stdio: 'pipe' });
    const fresh = readFileSync(out);
    const checkedIn = readFileSync(join(ROOT!, 'src', 'detect', 'attack', 'techniques.ts'));
    assert.ok(fresh.equals(checkedIn), 'src/detect/attack/techniques.ts is stale: run npm run gen:attack');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('MITRE notice: kept in the NOTICE file and in the generated header, as in its LICENSE.txt', { skip: ROOT === null ? 'repository root not found (run from it): NOTICE test SKIPPED' : false }, () => {
  const flat = (s: string) => s.replace(/\s+/g, ' ').trim();
  assert.match(ATTACK_NOTICE, /^The MITRE Corporation \(MITRE\) hereby grants you/);
  assert.match(ATTACK_NOTICE, /"© \d{4} The MITRE Corporation\. This work is reproduced and distributed/);
  assert.ok(flat(readFileSync(join(ROOT!, 'NOTICE'), 'utf8')).includes(flat(ATTACK_NOTICE)), 'NOTICE lacks the current MITRE notice');
  const header = readFileSync(join(ROOT!, 'src', 'detect', 'attack', 'techniques.ts'), 'utf8').replace(/^\/\/ ?/gm, '');
  assert.ok(flat(header).includes(flat(ATTACK_NOTICE)));
  if (!BUNDLE_SKIP) {
    const license = readFileSync(join(dirname(BUNDLE), 'LICENSE.txt'), 'utf8');
    assert.ok(flat(license).includes(flat(ATTACK_NOTICE)));
  }
});

test('spot checks against ATT&CK for ICS v18.1', () => {
  assert.equal(ATTACK_VERSION, '18.1');
  assert.equal(technique('T0843')?.name, 'Program Download');
  assert.deepEqual(technique('T0843')?.tactics, ['TA0109']);
  assert.equal(technique('T0843')?.url, 'https://attack.mitre.org/techniques/T0843');
  assert.equal(technique('T0816')?.name, 'Device Restart/Shutdown');
  assert.deepEqual(tacticsOf('T0816'), [{ id: 'TA0107', name: 'Inhibit Response Function', shortname: 'inhibit-response-function' }]);
  assert.equal(technique('T0855')?.name, 'Unauthorized Command Message');
  assert.deepEqual(tacticsOf('T0855').map((t) => t.name), ['Impair Process Control']);
  // Several tactics, in matrix order (Initial Access before Lateral Movement).
  assert.deepEqual(tacticsOf('T0866').map((t) => t.id), ['TA0108', 'TA0109']);
  assert.equal(tactic('TA0108')?.name, 'Initial Access');
  assert.equal(tactic('TA0108')?.shortname, 'initial-access');
  assert.equal(TACTICS.length, 12);
  assert.equal(TACTICS[0].id, 'TA0108');
  assert.equal(TACTICS[11].id, 'TA0105');
});

test('the table is sorted by id, ids are unique and every tactic id resolves', () => {
  for (let i = 1; i < TECHNIQUES.length; i++) assert.ok(TECHNIQUES[i - 1].id < TECHNIQUES[i].id, TECHNIQUES[i].id);
  for (const t of TECHNIQUES) {
    assert.match(t.id, /^T\d{4}$/);
    assert.ok(t.tactics.length > 0);
    for (const id of t.tactics) assert.ok(tactic(id), `${t.id}: ${id}`);
  }
});

test('isTechniqueId accepts current ids only, in their exact form', () => {
  assert.equal(isTechniqueId('T0843'), true);
  assert.equal(isTechniqueId('t0843'), false);
  assert.equal(isTechniqueId(' T0843'), false);
  assert.equal(isTechniqueId('T0850'), false); // Role Identification: deprecated
  assert.equal(isTechniqueId('T1059'), false); // Enterprise, not ICS
  assert.equal(isTechniqueId('TA0107'), false);
  assert.equal(isTechniqueId(''), false);
  assert.equal(technique('T9999'), undefined);
  assert.equal(tactic('TA9999'), undefined);
  assert.deepEqual(tacticsOf('T9999'), []);
});

test('coverage: detections per technique, totals and per-tactic totals', () => {
  const c = coverage([
    { id: 's7.program_download', techniques: ['T0843', 'T0843'] },
    { id: 'modbus.write_unknown_master', techniques: ['T0855', 'T0843'] },
    { id: 'enip.device_reset', techniques: ['T0816'] },
    { id: 'net.new_talker', techniques: [] },
  ]);
  assert.equal(c.version, '18.1');
  assert.equal(c.total, 83);
  assert.equal(c.covered, 3);
  assert.equal(c.techniques.length, 83);
  assert.deepEqual(c.techniques.find((t) => t.technique.id === 'T0843')!.detections, ['modbus.write_unknown_master', 's7.program_download']);
  assert.deepEqual(c.techniques.find((t) => t.technique.id === 'T0800')!.detections, []);
  assert.deepEqual(c.unmapped, ['net.new_talker']);
  assert.deepEqual(c.errors, []);
  const lateral = c.tactics.find((t) => t.tactic.id === 'TA0109')!;
  assert.equal(lateral.covered, 1);
  assert.equal(lateral.total, TECHNIQUES.filter((t) => t.tactics.includes('TA0109')).length);
  assert.equal(c.tactics.find((t) => t.tactic.id === 'TA0107')!.covered, 1);
  assert.equal(c.tactics.find((t) => t.tactic.id === 'TA0105')!.covered, 0);
});

test('coverage: unknown, retired and malformed ids and duplicate detections are errors, not dropped', () => {
  const c = coverage([
    { id: 'a', techniques: ['T0843', 'T9999', 'T0850', 't0816'] },
    { id: 'a', techniques: ['T0816'] },
  ]);
  assert.equal(c.covered, 1);
  assert.deepEqual(
    c.errors.map((e) => [e.code, e.detection, e.technique]),
    [
      ['unknown_technique', 'a', 'T9999'],
      ['retired_technique', 'a', 'T0850'],
      ['unknown_technique', 'a', 't0816'],
      ['duplicate_detection', 'a', undefined],
    ],
  );
  assert.match(c.errors[1].message, /T0850 Role Identification is deprecated or revoked/);
});

test('coverageMarkdown: summary, tactic totals, one row per technique, errors and MITRE notice', () => {
  const md = coverageMarkdown(
    coverage([
      { id: 's7.program_download', techniques: ['T0843'] },
      { id: 'bad', techniques: ['T0000'] },
    ]),
  );
  assert.match(md, /^Lantern detects 1 of the 83 techniques of MITRE ATT&CK for ICS v18\.1 \(1 %\)\./);
  assert.ok(md.includes('| TA0109 Lateral Movement | 1 | '));
  assert.ok(md.includes('| [T0843](https://attack.mitre.org/techniques/T0843) | Program Download | Lateral Movement | `s7.program_download` |'));
  assert.ok(md.includes('| [T0866](https://attack.mitre.org/techniques/T0866) | Exploitation of Remote Services | Initial Access, Lateral Movement |  |'));
  assert.equal(md.split('\n').filter((l) => l.startsWith('| [T')).length, 83);
  assert.ok(md.includes('- `unknown_technique`: detection bad: "T0000" is not'));
  assert.ok(md.includes('> "© '));
  assert.ok(md.endsWith('\n'));
});

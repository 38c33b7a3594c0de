#!/usr/bin/env node
// Regenerates src/detect/attack/techniques.ts (ATT&CK for ICS tactics and techniques) from MITRE's STIX 2.1 bundle.
// Usage: node scripts/gen-attack-table.mjs [bundle.json] [--license LICENSE.txt] [--out file]
//   bundle: default ../shared/data/attack-ics/ics-attack.json beside the repository; license: LICENSE.txt beside the
//   bundle; out: default src/detect/attack/techniques.ts. Same inputs give byte-identical output.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

const REPO_ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');
const DOMAIN = 'ics-attack';
const KILL_CHAIN = 'mitre-ics-attack';

function parseArgs(argv) {
  const args = { bundle: null, license: null, out: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out' || a === '--license') {
      if (i + 1 >= argv.length) fail(`${a} needs a path`);
      args[a.slice(2)] = resolve(argv[++i]);
    } else if (a.startsWith('-')) fail(`unknown option ${a}`);
    else if (args.bundle === null) args.bundle = resolve(a);
    else fail(`unexpected argument ${a}`);
  }
  args.bundle ??= resolve(REPO_ROOT, '..', 'shared', 'data', 'attack-ics', 'ics-attack.json');
  args.license ??= join(dirname(args.bundle), 'LICENSE.txt');
  args.out ??= join(REPO_ROOT, 'src', 'detect', 'attack', 'techniques.ts');
  return args;
}

function fail(message) {
  console.error(`gen-attack-table: ${message}`);
  process.exit(1);
}

function attackId(o) {
  const refs = (o.external_references ?? []).filter((r) => r.source_name === 'mitre-attack' && r.external_id);
  if (refs.length !== 1) fail(`${o.id} (${o.name}): ${refs.length} mitre-attack external ids, expected 1`);
  return refs[0];
}

const live = (o) => o.revoked !== true && o.x_mitre_deprecated !== true;
const inDomain = (o) => Array.isArray(o.x_mitre_domains) && o.x_mitre_domains.includes(DOMAIN);
const byId = (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

// The "License" section of MITRE's LICENSE.txt: the grant and the copyright designation, wording kept, lines trimmed.
function notice(path) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    fail(`cannot read MITRE's license at ${path} (pass --license): ${e.message}`);
  }
  const lines = text.replace(/\r\n?/g, '\n').split('\n').map((l) => l.trimEnd());
  const start = lines.findIndex((l) => l === 'License');
  if (start < 0 || !/^-+$/.test(lines[start + 1] ?? '')) fail(`${path}: no "License" section`);
  let end = start + 2;
  while (end < lines.length && !/^-+$/.test(lines[end + 1] ?? '')) end++;
  const body = lines.slice(start + 2, end).join('\n').trim();
  if (!body.includes('The MITRE Corporation') || !body.includes('©')) fail(`${path}: no copyright designation found`);
  return body;
}

function generate(bundlePath, licensePath) {
  let raw;
  let bundle;
  try {
    raw = readFileSync(bundlePath);
    bundle = JSON.parse(raw.toString('utf8'));
  } catch (e) {
    fail(`cannot read the STIX bundle ${bundlePath}: ${e.message}`);
  }
  if (bundle.type !== 'bundle' || !Array.isArray(bundle.objects)) fail(`${bundlePath}: not a STIX bundle`);
  const objects = bundle.objects;

  const collections = objects.filter((o) => o.type === 'x-mitre-collection');
  const matrices = objects.filter((o) => o.type === 'x-mitre-matrix' && live(o) && inDomain(o));
  if (collections.length !== 1) fail(`${collections.length} x-mitre-collection objects, expected 1`);
  if (matrices.length !== 1) fail(`${matrices.length} live ICS matrices, expected 1`);
  const collection = collections[0];
  const matrix = matrices[0];
  const statements = objects
    .filter((o) => o.type === 'marking-definition' && typeof o.definition?.statement === 'string')
    .map((o) => o.definition.statement);

  const tacticsByStix = new Map();
  for (const o of objects) if (o.type === 'x-mitre-tactic' && live(o) && inDomain(o)) tacticsByStix.set(o.id, o);
  const tactics = matrix.tactic_refs.map((ref) => {
    const o = tacticsByStix.get(ref);
    if (o === undefined) fail(`matrix tactic ${ref} is missing, revoked or deprecated`);
    return { id: attackId(o).external_id, name: o.name.trim(), shortname: o.x_mitre_shortname };
  });
  if (tactics.length !== tacticsByStix.size) fail(`${tacticsByStix.size} live tactics but ${tactics.length} in the matrix`);
  const tacticByShortname = new Map(tactics.map((t, i) => [t.shortname, { ...t, order: i }]));

  const techniques = [];
  const retired = [];
  for (const o of objects) {
    if (o.type !== 'attack-pattern' || !inDomain(o)) continue;
    if (!live(o)) {
      const ref = (o.external_references ?? []).find((r) => /^T\d{4}$/.test(r.external_id ?? ''));
      if (ref !== undefined) retired.push({ id: ref.external_id, name: o.name.trim() });
      continue;
    }
    const ref = attackId(o);
    if (!/^T\d{4}(\.\d{3})?$/.test(ref.external_id)) fail(`${o.id}: odd technique id ${ref.external_id}`);
    if (typeof ref.url !== 'string') fail(`${ref.external_id}: no url`);
    const phases = (o.kill_chain_phases ?? []).filter((p) => p.kill_chain_name === KILL_CHAIN);
    if (phases.length === 0) fail(`${ref.external_id}: no ${KILL_CHAIN} kill-chain phase`);
    const own = phases.map((p) => {
      const t = tacticByShortname.get(p.phase_name);
      if (t === undefined) fail(`${ref.external_id}: unknown tactic ${p.phase_name}`);
      return t;
    });
    own.sort((a, b) => a.order - b.order);
    techniques.push({ id: ref.external_id, name: o.name.trim(), tactics: [...new Set(own.map((t) => t.id))], url: ref.url });
  }
  techniques.sort(byId);
  retired.sort(byId);
  for (let i = 1; i < techniques.length; i++) if (techniques[i].id === techniques[i - 1].id) fail(`duplicate ${techniques[i].id}`);
  const liveIds = new Set(techniques.map((t) => t.id));
  const retiredOnly = retired.filter((t, i) => !liveIds.has(t.id) && (i === 0 || retired[i - 1].id !== t.id));

  const version = collection.x_mitre_version;
  const modified = collection.modified;
  const sha256 = createHash('sha256').update(raw).digest('hex');
  const mitreNotice = notice(licensePath);
  const q = (s) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
  const comment = (text) => text.split('\n').map((l) => (l === '' ? '//' : `// ${l}`)).join('\n');

  const out = [
    `// MITRE ATT&CK for ICS v${version}: its ${tactics.length} tactics in matrix order and ${techniques.length} techniques (revoked and deprecated`,
    `// ones left out). GENERATED by scripts/gen-attack-table.mjs (npm run gen:attack) from ${basename(bundlePath)}, collection`,
    `// "${collection.name}" v${version}, modified ${modified}. Do not edit by hand.`,
    `// Bundle sha256 ${sha256}.`,
    '//',
    '// MITRE\'s notice, which its license asks every copy to reproduce:',
    '//',
    comment(mitreNotice),
    ...statements.map((s) => `// ${s}`),
    '',
    'export interface AttackTactic {',
    '  readonly id: string;',
    '  readonly name: string;',
    '  readonly shortname: string;',
    '}',
    '',
    'export interface AttackTechnique {',
    '  readonly id: string;',
    '  readonly name: string;',
    '  /** Tactic ids, in matrix order. */',
    '  readonly tactics: readonly string[];',
    '  readonly url: string;',
    '}',
    '',
    `export const ATTACK_VERSION = ${q(version)};`,
    `export const ATTACK_MODIFIED = ${q(modified)};`,
    '/** MITRE\'s copyright designation and license, to reproduce wherever the table is shown or exported. */',
    'export const ATTACK_NOTICE = [',
    ...mitreNotice.split('\n').map((l) => `  ${q(l)},`),
    "].join('\\n');",
    '',
    'export const TACTICS: readonly AttackTactic[] = [',
    ...tactics.map((t) => `  { id: ${q(t.id)}, name: ${q(t.name)}, shortname: ${q(t.shortname)} },`),
    '];',
    '',
    'export const TECHNIQUES: readonly AttackTechnique[] = [',
    ...techniques.map(
      (t) => `  { id: ${q(t.id)}, name: ${q(t.name)}, tactics: [${t.tactics.map(q).join(', ')}], url: ${q(t.url)} },`,
    ),
    '];',
    '',
    '/** Ids MITRE has deprecated or revoked in this version: a detection mapped to one must be remapped. */',
    'export const RETIRED_TECHNIQUES: readonly { readonly id: string; readonly name: string }[] = [',
    ...retiredOnly.map((t) => `  { id: ${q(t.id)}, name: ${q(t.name)} },`),
    '];',
    '',
  ].join('\n');
  return { out, version, modified, tactics: tactics.length, techniques: techniques.length, retired: retiredOnly.length };
}

const args = parseArgs(process.argv.slice(2));
const result = generate(args.bundle, args.license);
writeFileSync(args.out, result.out);
console.log(
  `${args.out}: ATT&CK for ICS v${result.version} (${result.modified}), ${result.tactics} tactics, ` +
    `${result.techniques} techniques, ${result.retired} retired ids`,
);

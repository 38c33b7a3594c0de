import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detect, tx } from '../testkit.js';
import { MAX_ERRORS, MAX_FILE_BYTES, MAX_NESTING, MAX_RULES, MAX_TOKENS } from './limits.js';
import { prescan } from './prescan.js';
import { formatRuleError, parseRules } from './parse.js';
import { RuleSet } from './rule-set.js';
import { prng } from '../../common/prng.js';

const errorsOf = (text: string): string[] => {
  const r = parseRules(text, 'rules.yaml');
  if (r.errors.length > 0) assert.equal(r.rules.length, 0, 'a file with errors yields no rules');
  return r.errors.map(formatRuleError);
};

const GOOD = `rules:
  - id: ok
    title: t
    severity: low
    match: { protocol: modbus }
`;

test('a valid file compiles every rule, with its line and source', () => {
  const r = parseRules(`version: 1\n${GOOD}  - id: two\n    title: u\n    severity: high\n    match: { access: write }\n`, 'site.yaml');
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.rules.map((x) => [x.id, x.line, x.source, x.info.id, x.info.confidence, x.info.kind]), [
    ['ok', 3, 'site.yaml', 'rule.ok', 0.7, 'behavior'],
    ['two', 7, 'site.yaml', 'rule.two', 0.7, 'behavior'],
  ]);
  assert.match(r.rules[0].info.playbook.meaning, /User rule ok from site\.yaml \(line 3\)/);
  assert.deepEqual(parseRules('rules: []\n', 'x.yaml'), { rules: [], errors: [] }, 'an empty list is a valid file');
});

test('the error line: source:line:column path: message', () => {
  assert.equal(formatRuleError({ source: 'rules.yaml', line: 12, column: 7, path: 'rules[1].match.operation', message: 'm' }), 'rules.yaml:12:7 rules[1].match.operation: m');
  assert.equal(formatRuleError({ source: 'rules.yaml', line: 1, column: 1, path: '', message: 'm' }), 'rules.yaml:1:1 m');
});

test('operation names are checked against the protocol code tables, with the nearest names', () => {
  assert.deepEqual(errorsOf('rules:\n  - id: a\n    title: t\n    severity: low\n    match:\n      protocol: modbus\n      operation: write_singel_register\n'), [
    'rules.yaml:7:18 rules[0].match.operation: unknown Modbus operation "write_singel_register" (did you mean write_single_register or write_coils_registers?)',
  ]);
  assert.deepEqual(errorsOf('rules:\n  - id: a\n    title: t\n    severity: low\n    match:\n      protocol: s7comm\n      operation: [plc_stp, cpu_functions/read_slz, write_single_register]\n'), [
    'rules.yaml:7:19 rules[0].match.operation[0]: unknown S7comm operation "plc_stp" (did you mean plc_stop?)',
    'rules.yaml:7:28 rules[0].match.operation[1]: unknown S7comm operation "cpu_functions/read_slz" (did you mean cpu_functions/read_szl or cpu_functions/read_clock or cpu_functions/erase?)',
    'rules.yaml:7:52 rules[0].match.operation[2]: unknown S7comm operation "write_single_register" (it is a Modbus operation)',
  ]);
  assert.deepEqual(errorsOf('rules:\n  - id: a\n    title: t\n    severity: low\n    match: { operation: direct_operat }\n'), [
    'rules.yaml:5:25 rules[0].match.operation: no industrial protocol has an operation "direct_operat" (did you mean direct_operate?); name the protocol (match.protocol) for an IT protocol\'s operations',
  ]);
  assert.deepEqual(errorsOf('rules:\n  - id: a\n    title: t\n    severity: low\n    match: { protocol: [modbus, dnp3], operation: [select, write_single_coil, umas/stop_plc, diagnostics/force_listen_only_mode, pulse_on_trip] }\n'), [], 'names of either protocol, sub-functions, pairs');
  assert.deepEqual(errorsOf('rules:\n  - id: a\n    title: t\n    severity: low\n    match: { protocol: http, operation: propfind }\n'), [], 'IT protocols are not checked');
});

test('every problem of the file is reported, each at its node', () => {
  const text = `rules:
  - id: bad
    title: x {foo}
    severity: hihg
    thresold: 3
    techniques: [T9999, T0808]
    match:
      protocol: [modbuss]
      access: wirte
      src: { ip: 10.1.0.0/33, role: plcc, purdue: {min: 3, max: 1} }
      target: { address: {min: 100, max: 199}, Bad-Name: 1 }
    threshold: { count: 0, window: 5x, by: [src, srcc] }
  - id: bad
    title: y
    severity: low
    match: {}
`;
  assert.deepEqual(errorsOf(text), [
    'rules.yaml:3:12 rules[0].title: unknown placeholder {foo} in the title; one of {src} {dst} {protocol} {operation}',
    'rules.yaml:4:15 rules[0].severity: unknown severity "hihg"; one of low, medium, high, critical (did you mean high?)',
    'rules.yaml:5:5 rules[0].thresold: unknown key "thresold" (did you mean threshold?)',
    'rules.yaml:6:18 rules[0].techniques[0]: "T9999" is not a technique of ATT&CK for ICS v18.1 (ids look like T0855; docs/attack-coverage.md lists them)',
    'rules.yaml:6:25 rules[0].techniques[1]: T0808 (Control Device Identification) is deprecated or revoked in ATT&CK for ICS v18.1; docs/attack-coverage.md lists the current techniques',
    'rules.yaml:8:18 rules[0].match.protocol[0]: unknown protocol "modbuss"; one of modbus, s7comm, dnp3, enip, iec104, bacnet, opcua, dns, dhcp, nbns, http, tls, ssh (did you mean modbus?)',
    'rules.yaml:9:15 rules[0].match.access: unknown access "wirte"; one of read, write, program, control, diagnostic, discovery, other (did you mean write?)',
    "rules.yaml:10:18 rules[0].match.src.ip: '10.1.0.0/33' has a bad prefix length (write an address like 10.1.0.5 or a range like 10.1.0.0/16)",
    'rules.yaml:10:37 rules[0].match.src.role: unknown role "plcc"; one of controller, field_device, hmi_scada, engineering_workstation, historian, network_device, it_host, unknown (or plc, rtu, ied, hmi, scada, ews) (did you mean plc?)',
    'rules.yaml:10:51 rules[0].match.src.purdue: the range is empty: min 3 is above max 1',
    'rules.yaml:11:48 rules[0].match.target.Bad-Name: "Bad-Name" is not a target field name (lower-case letters, digits and "_"; docs/events.md lists each protocol\'s fields)',
    'rules.yaml:12:25 rules[0].threshold.count: must be >= 1, not 0',
    'rules.yaml:12:36 rules[0].threshold.window: "5x" is not a duration (write 30s, 5m, 1h or a number of seconds)',
    'rules.yaml:12:50 rules[0].threshold.by[1]: unknown threshold key "srcc"; one of src, dst, protocol, operation or target.<field> (did you mean src?)',
    'rules.yaml:13:9 rules[1].id: duplicate rule id "bad" (first used on line 2)',
    'rules.yaml:16:12 rules[1].match: must name at least one key',
  ]);
});

test('shape errors: types, missing and unknown keys, enums, ranges', () => {
  assert.deepEqual(errorsOf('version: 2\nrules:\n  - id: 5\n    title: [x]\n    severity: high\n    enabled: yes\n    confidence: 1.5\n    match:\n      protocol: modbus\n      src: { ip: [], purdue: "2" }\n      dst: { external: "no" }\n'), [
    'rules.yaml:1:10 version: must be 1, not 2',
    'rules.yaml:3:9 rules[0].id: must be text, not 5',
    'rules.yaml:4:12 rules[0].title: must be text, not a list',
    'rules.yaml:6:14 rules[0].enabled: must be true or false, not "yes"',
    'rules.yaml:7:17 rules[0].confidence: must be <= 1, not 1.5',
    'rules.yaml:10:18 rules[0].match.src.ip: must not be an empty list',
    'rules.yaml:10:30 rules[0].match.src.purdue: must be a number, a list or a map of keys, not "2"',
    'rules.yaml:11:24 rules[0].match.dst.external: must be true or false, not "no"',
  ]);
  assert.deepEqual(errorsOf('rules:\n  - id: a\n    match: { protocol: modbus }\n'), ['rules.yaml:2:5 rules[0]: missing required key "title"', 'rules.yaml:2:5 rules[0]: missing required key "severity"']);
  assert.deepEqual(errorsOf('rule:\n  - id: a\n'), ['rules.yaml:1:1 missing required key "rules"', 'rules.yaml:1:1 rule: unknown key "rule" (did you mean rules?)']);
  assert.deepEqual(errorsOf('- a\n- b\n'), ['rules.yaml:1:1 must be a map of keys, not a list']);
  assert.deepEqual(errorsOf('rules:\n  - id: A b\n    title: t\n    severity: low\n    kind: modeling\n    match: { protocol: modbus, originn: client, origin: master }\n    playbook: { check: [] }\n'), [
    'rules.yaml:2:9 rules[0].id: "A b" is not a rule id: use lower-case letters, digits, "_", "." and "-", starting with a letter or digit',
    'rules.yaml:5:11 rules[0].kind: unknown kind "modeling"; one of behavior, configuration',
    'rules.yaml:6:32 rules[0].match.originn: unknown key "originn" (did you mean origin?)',
    'rules.yaml:6:57 rules[0].match.origin: unknown origin "master"; one of client, server',
    'rules.yaml:7:15 rules[0].playbook: missing required key "meaning"',
  ]);
  assert.deepEqual(errorsOf('rules:\n  - id: a\n    title: t\n    severity: low\n    match: { src: { zone: 10.1.2.3, criticality: hi, purdue: [7] } }\n'), [
    'rules.yaml:5:27 rules[0].match.src.zone: "10.1.2.3" is not a zone: zones are subnets as the inventory writes them (10.1.2.0/24)',
    'rules.yaml:5:50 rules[0].match.src.criticality: unknown criticality "hi"; one of high, medium, low (did you mean high?)',
    'rules.yaml:5:63 rules[0].match.src.purdue[0]: 7 is not a Purdue level (0 to 5)',
  ]);
  assert.deepEqual(errorsOf('rules:\n  - id: a\n    title: t\n    severity: low\n    match: { target: { address: { min: 5, max: 1 }, unit: { mn: 1 }, area: [] } }\n    threshold: { count: 2, window: 2d, by: [target.Bad, src, src] }\n'), [
    'rules.yaml:5:33 rules[0].match.target.address: the range is empty: min 5 is above max 1',
    'rules.yaml:5:61 rules[0].match.target.unit.mn: unknown key "mn" (did you mean min or max?)',
    'rules.yaml:5:76 rules[0].match.target.area: must not be an empty list',
    'rules.yaml:6:36 rules[0].threshold.window: the window must be more than 0 and at most 24h',
    'rules.yaml:6:45 rules[0].threshold.by[0]: unknown threshold key "target.Bad"; one of src, dst, protocol, operation or target.<field>',
    'rules.yaml:6:62 rules[0].threshold.by[2]: "src" is listed twice',
  ]);
});

test('YAML syntax errors are rule errors too', () => {
  assert.deepEqual(errorsOf('rules:\n  - id: a\n    title: [unclosed\n'), ['rules.yaml:4:1 YAML: Flow sequence in block collection must be sufficiently indented and end with a ]']);
  assert.deepEqual(errorsOf('rules:\n\t- id: a\n'), ['rules.yaml:2:1 YAML: Tabs are not allowed as indentation']);
  assert.deepEqual(errorsOf('rules:\n  - id: a\n    id: b\n    title: t\n    severity: low\n    match: { protocol: modbus }\n'), ['rules.yaml:3:5 duplicate key "id" (first on line 2)']);
  assert.deepEqual(errorsOf('rules: []\n---\nrules: []\n'), ['rules.yaml:2:1 a rule file holds one YAML document: remove the second "---" or split the file']);
  assert.deepEqual(errorsOf('rules:\n  - id: !!js/function a\n    title: t\n    severity: low\n    match: { protocol: modbus }\n'), ['rules.yaml:2:9 unknown tag tag:yaml.org,2002:js/function: rule files are plain YAML, without tags']);
  assert.deepEqual(errorsOf(''), ['rules.yaml:1:1 the file is empty: it needs a "rules:" list']);
  assert.deepEqual(errorsOf('# nothing yet\n'), ['rules.yaml:1:1 the file is empty: it needs a "rules:" list']);
});

test('all or nothing: one bad rule among good ones yields no rules', () => {
  const r = parseRules(`${GOOD}  - id: bad\n    title: t\n    severity: severe\n    match: { protocol: modbus }\n`, 'x.yaml');
  assert.equal(r.rules.length, 0);
  assert.equal(r.errors.length, 1);
});

test('hostile files give an error quickly, never a hang or a crash', () => {
  const timed = (text: string): string[] => {
    const t0 = performance.now();
    const e = errorsOf(text);
    assert.ok(performance.now() - t0 < 2000, 'under 2 s');
    return e;
  };
  const laughs = ['rules: []', 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (const c of 'bcdefghi') laughs.push(`${c}: &${c} [${Array(9).fill(`*${String.fromCharCode(c.charCodeAt(0) - 1)}`).join(',')}]`);
  assert.deepEqual(timed(`${laughs.join('\n')}\n`), ['rules.yaml:1:1 too many alias expansions (*name): at most 100 are allowed']);
  // Past MAX_NESTING the YAML parser never runs: at 10,000 levels the yaml package itself has crashed the process.
  const flow = `rules: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
  assert.deepEqual(timed(flow), [`rules.yaml:1:${8 + MAX_NESTING - 2} nesting deeper than ${MAX_NESTING} levels: a rule file needs about ten`]);
  assert.equal(timed(`rules:\n${'- '.repeat(50_000)}x\n`).length, 1, 'compact block sequences');
  let block = '';
  for (let i = 0; i < 1000; i++) block += `${' '.repeat(i)}a${i}:\n`;
  assert.match(timed(block)[0], /^rules\.yaml:32:35 nesting deeper than 32 levels/);
  assert.match(timed(`rules: {${'a: {'.repeat(40)}}}\n`)[0], /nesting deeper/);
  const wide = `rules: [${'a, '.repeat(MAX_TOKENS)}]\n`;
  assert.deepEqual(timed(wide), [`rules.yaml:1:${8 + 3 * (MAX_TOKENS / 3) - 3} more than ${MAX_TOKENS} YAML tokens: split the file`]);
  const keys = `rules: []\nx:\n${Array.from({ length: 20_000 }, (_, i) => `  k${i}: 1`).join('\n')}\n  k7: 2\n`;
  assert.deepEqual(timed(keys), ['rules.yaml:20003:3 duplicate key "k7" (first on line 10)'], 'many keys: linear, not quadratic');
  assert.deepEqual(timed(`rules: []\nx: "${'a'.repeat(MAX_FILE_BYTES)}"\n`), [`rules.yaml:1:1 the file is ${MAX_FILE_BYTES + 16} bytes; rule files are limited to 1048576 bytes (1 MiB)`]);
  const many = `rules:\n${Array.from({ length: MAX_RULES + 1 }, (_, i) => `  - { id: r${i}, title: t, severity: low, match: { protocol: modbus } }`).join('\n')}\n`;
  assert.deepEqual(timed(many), ['rules.yaml:2:3 rules: has 1001 entries; at most 1000 are allowed']);
  const longList = `rules:\n  - { id: r, title: t, severity: low, match: { src: { ip: [${Array.from({ length: 1001 }, (_, i) => `10.0.${i >> 8}.${i & 255}`).join(', ')}] } } }\n`;
  assert.deepEqual(timed(longList), ['rules.yaml:2:59 rules[0].match.src.ip: has 1001 entries; at most 1000 are allowed']);
  const manyBad = `rules:\n${Array.from({ length: 300 }, (_, i) => `  - { id: r${i}, title: t, severity: bad, match: { protocol: modbus } }`).join('\n')}\n`;
  const e = timed(manyBad);
  assert.equal(e.length, MAX_ERRORS + 1);
  assert.match(e[MAX_ERRORS], /200 more problems not shown$/);
});

test('the nesting bound ignores brackets in quotes, comments and block scalars', () => {
  const deep = '['.repeat(MAX_NESTING + 5);
  const text = `rules:
  - id: a
    title: "${deep} and ' and [["
    description: '${deep} ''quoted'' ${deep}'
    # ${deep}
    severity: low   # ${deep}
    match: { protocol: modbus }
    playbook:
      meaning: |
        ${deep}
        - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -
      check: [ "a" ]
`;
  assert.equal(prescan(text, MAX_NESTING, MAX_TOKENS), null);
  assert.deepEqual(errorsOf(text), []);
  assert.deepEqual(prescan('a: [[[b]]]\n', 3, 100), { offset: 4, kind: 'depth' }, 'a map entry is 2 levels; the second bracket makes 4');
  assert.equal(prescan('a: [[[b]]]\n', 5, 100), null);
  assert.deepEqual(prescan('a:\n  b:\n    c: 1\n', 3, 100), { offset: 13, kind: 'depth' });
  assert.equal(prescan("title: PLC's [write 'x\nx: [1]\n", 3, 100), null, 'quotes and brackets inside a plain scalar open nothing');
  assert.deepEqual(prescan('a: b c d\n', 10, 3), { offset: 3, kind: 'tokens' });
});

test('examples/rules/site-rules.yaml parses with no errors and its rules fire as docs/rules.md says', () => {
  const text = readFileSync(join(process.cwd(), 'examples', 'rules', 'site-rules.yaml'), 'utf8');
  const r = parseRules(text, 'site-rules.yaml');
  assert.deepEqual(r.errors.map(formatRuleError), []);
  assert.deepEqual(
    r.rules.map((x) => x.id),
    ['safety_plc_write', 's7_stop_outside_level2', 'dnp3_direct_operate_burst', 'engineering_from_external', 'dosing_setpoint_write', 'unexpected_modbus_function'],
  );
  const set = new RuleSet(r.rules);
  const HMI = '10.10.2.11';
  const LAPTOP = '10.10.3.40';
  const SIS = '10.10.5.20';
  const assets = { [SIS]: { roles: ['controller'], purdue: 1, criticality: 'high' as const }, [HMI]: { roles: ['hmi_scada'], purdue: 2 }, '198.51.100.9': { external: true, roles: ['it_host'], purdue: 5 } };
  const alerts = detect(
    [set.detection],
    [
      tx({ ts: 1, protocol: 'modbus', op: 'write_single_register', access: 'write', client: HMI, server: SIS }),
      tx({ ts: 2, protocol: 'modbus', op: 'write_single_register', access: 'write', client: LAPTOP, server: SIS, target: { unit: 1, area: 'holding_registers', address: 4001, count: 1 } }),
      tx({ ts: 3, protocol: 's7comm', op: 'plc_stop', access: 'control', client: LAPTOP, server: '10.10.5.30', port: 102 }),
      tx({ ts: 4, protocol: 's7comm', op: 'plc_stop', access: 'control', client: HMI, server: '10.10.5.30', port: 102 }),
      tx({ ts: 5, protocol: 's7comm', op: 'read_var', access: 'read', client: '198.51.100.9', server: '10.10.5.30', port: 102 }),
      tx({ ts: 6, protocol: 'modbus', op: 'diagnostics', sub: 'return_query_data', access: 'diagnostic', client: HMI, server: SIS }),
      ...Array.from({ length: 20 }, (_, i) => tx({ ts: 10 + i, protocol: 'dnp3', op: 'direct_operate', access: 'control', client: '10.10.2.50', server: '10.10.6.1', port: 20000 })),
    ],
    assets,
  );
  const by = (id: string) => alerts.filter((a) => a.detection === `rule.${id}`);
  assert.deepEqual(by('safety_plc_write').map((a) => a.src?.ip), [LAPTOP], 'the HMI may write; the laptop may not');
  assert.deepEqual(by('dosing_setpoint_write').map((a) => a.src?.ip), [LAPTOP]);
  assert.deepEqual(by('s7_stop_outside_level2').map((a) => a.src?.ip), [LAPTOP], 'the level 2 HMI may stop; an unknown laptop may not');
  assert.deepEqual(by('engineering_from_external').map((a) => a.title), ['s7comm read_var to 10.10.5.30 from external address 198.51.100.9']);
  assert.deepEqual(by('unexpected_modbus_function').map((a) => a.title), [`Unexpected Modbus diagnostics/return_query_data from ${HMI} to critical asset ${SIS}`]);
  assert.equal(by('dnp3_direct_operate_burst').length, 1);
});

test('mutated rule files never throw: each gives rules or positioned errors', () => {
  const base = readFileSync(join(process.cwd(), 'examples', 'rules', 'site-rules.yaml'), 'utf8');
  const pieces = ['[', ']', '{', '}', ':', '- ', '"', "'", '\n', '  ', '&a ', '*a', '!t ', '#', '|', ',', 'x', '0', '10.0.0.0/8'];
  for (let seed = 1; seed <= 300; seed++) {
    const rand = prng(seed);
    let text = base;
    for (let k = 1 + Math.floor(rand() * 4); k > 0; k--) {
      const at = Math.floor(rand() * text.length);
      const cut = Math.floor(rand() * 8);
      text = text.slice(0, at) + (rand() < 0.6 ? pieces[Math.floor(rand() * pieces.length)] : '') + text.slice(at + cut);
    }
    let r: ReturnType<typeof parseRules>;
    assert.doesNotThrow(() => (r = parseRules(text, 'm.yaml')), `seed ${seed}`);
    const lines = text.split('\n').length;
    for (const e of r!.errors) assert.ok(e.line >= 1 && e.line <= lines + 1 && e.column >= 1, `seed ${seed}: ${formatRuleError(e)}`);
    assert.ok(r!.errors.length > 0 ? r!.rules.length === 0 : r!.rules.length > 0, `seed ${seed}`);
  }
});

// The intel library: import, report, removal and rebuild of the matched set, caps and errors, and sources surviving a
// restart (a new library over the same store).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../store/sqlite.js';
import { SAMPLE_BUNDLE } from '../detect/indicators/testdata.js';
import { IntelFeed } from '../detect/indicators/intel-feed.js';
import { ApiError } from './errors.js';
import { INTEL_SOURCES_SETTING, INTEL_SOURCE_SETTING_PREFIX, IntelLibrary, parseIntelFiles, describeIntelSource } from './intel.js';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const now = () => NOW;
const LIST = ['# site blocklist', '203.0.113.7,c2 server', '198.51.100.0/24', 'evil[.]example.net', 'not a value at all', ''].join('\n');

function tempStore(): { store: SqliteStore; path: string } {
  const path = join(mkdtempSync(join(tmpdir(), 'lantern-intel-')), 'lantern.db');
  return { store: new SqliteStore(path), path };
}

function code(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    assert.ok(err instanceof ApiError, String(err));
    return `${err.code}: ${err.message}`;
  }
  assert.fail('did not throw');
}

test('a plain list is imported with its report, matched at once, and kept in the store across a restart', () => {
  const { store, path } = tempStore();
  const lib = new IntelLibrary(store, { now });
  assert.equal(lib.feed.set.size, 0);
  const s = lib.add('site-list', LIST, 'olga');
  assert.match(s.id, /^[0-9a-f]{12}$/);
  assert.deepEqual(
    { ...s, id: 'x' },
    {
      id: 'x',
      name: 'site-list',
      origin: 'api',
      format: 'list',
      added: NOW / 1000,
      added_by: 'olga',
      bytes: Buffer.byteLength(LIST),
      counts: { loaded: 3, not_evaluable: 0, expired: 0, revoked: 0, bad_lines: 1, skipped_lines: 0, duplicates: 0, dropped: 0 },
      not_evaluable_by_reason: {},
      bad_line_samples: [{ line: 5, text: 'not a value at all', reason: "not an IP address, CIDR range, domain, URL or MD5/SHA-1/SHA-256 hash: 'not a value at all'" }],
      problem: null,
    },
  );
  // The running feed holds the new set: a detector reading `feed.set` sees it at its next record.
  assert.equal(lib.feed.set.matchIp('203.0.113.7')[0].source, 'site-list');
  assert.equal(lib.feed.set.matchIp('198.51.100.44').length, 1);
  assert.equal(lib.feed.set.matchDomain('a.evil.example.net').length, 1);
  assert.deepEqual(lib.summary(), { indicators: 3, dropped: 0, max_indicators: 100_000, kinds: { indicators: 3, ipv4: 1, ipv6: 0, cidr4: 1, cidr6: 0, domain: 1, url: 0, hash: 0 } });
  assert.equal(store.getSetting(`${INTEL_SOURCE_SETTING_PREFIX}${s.id}`), LIST);
  store.close();

  const again = new SqliteStore(path);
  const lines: string[] = [];
  const feed = new IntelFeed();
  const restarted = new IntelLibrary(again, { now, feed, say: (l) => lines.push(l) });
  assert.equal(restarted.feed, feed);
  assert.deepEqual(restarted.list(), [s]);
  assert.equal(feed.set.matchIp('203.0.113.7').length, 1);
  assert.deepEqual(lines, ["intel: site-list (list, imported): 3 indicators loaded; 1 bad lines (first: line 5: not an IP address, CIDR range, domain, URL or MD5/SHA-1/SHA-256 hash: 'not a value at all')"]);
  again.close();
});

test('a STIX bundle reports what it could not use: not evaluable by reason (named), expired, revoked', () => {
  const { store } = tempStore();
  const lib = new IntelLibrary(store, { now });
  const s = lib.add('isac', JSON.stringify(SAMPLE_BUNDLE), null);
  assert.equal(s.format, 'stix');
  assert.deepEqual(s.counts, { loaded: 4, not_evaluable: 4, expired: 1, revoked: 1, bad_lines: 0, skipped_lines: 0, duplicates: 0, dropped: 0 });
  assert.deepEqual(s.not_evaluable_by_reason, { followedby: 1, pattern_type: 1, invalid_object: 2 });
  const u = lib.unsupported(s.id)!;
  assert.equal(u.total, 4);
  assert.equal(u.truncated, false);
  assert.deepEqual(
    u.items.map((i) => [i.id.slice(-2), i.code, i.name]),
    [
      ['05', 'followedby', null],
      ['06', 'pattern_type', null],
      ['09', 'invalid_object', null],
      ['10', 'invalid_object', null],
    ],
  );
  assert.match(u.items[0].reason, /FOLLOWEDBY/);
  assert.equal(u.items[1].pattern, 'alert tcp any any -> any 502');
  assert.equal(lib.unsupported('nope'), null);
  // A name in the bundle comes with its pattern.
  const named = structuredClone(SAMPLE_BUNDLE);
  (named.objects[7] as { name?: string }).name = 'Scanner pair';
  const n = lib.add('isac-named', JSON.stringify(named).replaceAll('indicator--0000', 'indicator--1111'), null);
  assert.equal(lib.unsupported(n.id)!.items[0].name, 'Scanner pair');
  assert.match(describeIntelSource(s), /4 indicators loaded; 4 not evaluable \(followedby 1, pattern_type 1, invalid_object 2\); 2 expired or revoked$/);
  store.close();
});

test('import errors are clear: not intel, empty, nothing usable, over the size caps, name taken, too many sources', () => {
  const { store } = tempStore();
  const lib = new IntelLibrary(store, { now, maxSourceBytes: 200, maxStoredBytes: 300, maxSources: 2 });
  assert.match(code(() => lib.add('broken', '{"type": "bundle", "objects": [', null)), /^request\.invalid: broken: not JSON: /);
  assert.match(code(() => lib.add('wrong', '{"type": "report", "objects": []}', null)), /^request\.invalid: wrong: not a STIX 2\.1 bundle: \/type must be "bundle"/);
  assert.match(code(() => lib.add('empty', ' \n', null)), /^request\.invalid: empty is empty/);
  assert.match(code(() => lib.add('junk', 'hello world\nmore junk', null)), /^request\.invalid: junk holds no indicator: line 1: not an IP address/);
  assert.match(code(() => lib.add('   ', '203.0.113.1', null)), /^request\.invalid: a source needs a name/);
  assert.match(code(() => lib.add('big', '203.0.113.1\n'.repeat(20), null)), /^request\.too_large: big is 240 bytes: an intel source may hold at most 200 bytes/);
  lib.add('a', '203.0.113.1\n'.repeat(15), null);
  assert.match(code(() => lib.add('a', '203.0.113.2', null)), /^conflict: a source named a exists/);
  assert.match(code(() => lib.add('b', '203.0.113.3\n'.repeat(15), null)), /^request\.too_large: the stored intel sources hold .* would pass the limit/);
  lib.add('b', '203.0.113.3', null);
  assert.match(code(() => lib.add('c', '203.0.113.4', null)), /^conflict: 2 intel sources are stored/);
  // Nothing refused was kept.
  assert.deepEqual(lib.list().map((s) => s.name), ['a', 'b']);
  assert.equal((store.getSetting(INTEL_SOURCES_SETTING) as unknown[]).length, 2);
  store.close();
});

test('removal: the indicators stop matching at once and the text leaves the store; command-line files stay', () => {
  const { store } = tempStore();
  const dir = mkdtempSync(join(tmpdir(), 'lantern-intel-cli-'));
  writeFileSync(join(dir, 'feed.txt'), '192.0.2.1\n');
  const lib = new IntelLibrary(store, { now, commandLine: parseIntelFiles([join(dir, 'feed.txt')], now) });
  const s = lib.add('site-list', LIST, null);
  assert.equal(lib.feed.set.size, 4);
  const before = lib.feed.set;
  assert.equal(lib.remove(s.id), true);
  assert.notEqual(lib.feed.set, before);
  assert.equal(lib.feed.set.matchIp('203.0.113.7').length, 0);
  assert.equal(lib.feed.set.matchIp('192.0.2.1').length, 1);
  assert.equal(store.getSetting(`${INTEL_SOURCE_SETTING_PREFIX}${s.id}`), undefined, "the text is deleted");
  assert.deepEqual(store.getSetting(INTEL_SOURCES_SETTING), []);
  assert.equal(lib.remove(s.id), false);
  assert.match(code(() => lib.remove('cli-1')), /^conflict: this source comes from the command line/);
  assert.deepEqual(lib.list().map((x) => [x.id, x.name, x.origin, x.added_by]), [['cli-1', 'feed.txt', 'command line', null]]);
  assert.match(code(() => lib.add('feed.txt', '192.0.2.9', null)), /^conflict: a source named feed\.txt exists/);
  store.close();
});

test('rebuild: one set from the command line and the stored sources, duplicates matched once, the cap reported per source', () => {
  const { store } = tempStore();
  const dir = mkdtempSync(join(tmpdir(), 'lantern-intel-cli-'));
  writeFileSync(join(dir, 'isac.json'), JSON.stringify(SAMPLE_BUNDLE));
  const cli = parseIntelFiles([join(dir, 'isac.json')], now);
  const lib = new IntelLibrary(store, { now, commandLine: cli, maxIndicators: 6 });
  // The same bundle again: its STIX ids are in the set already.
  const copy = lib.add('isac-copy', JSON.stringify(SAMPLE_BUNDLE), null);
  assert.deepEqual([copy.counts.loaded, copy.counts.duplicates, copy.counts.dropped], [4, 4, 0]);
  const list = lib.add('site-list', ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4'].join('\n'), null);
  assert.deepEqual([list.counts.loaded, list.counts.duplicates, list.counts.dropped], [4, 0, 2]);
  assert.deepEqual(lib.summary().indicators, 6);
  assert.deepEqual(lib.summary().dropped, 2);
  // The stored reports follow the set.
  assert.deepEqual((store.getSetting(INTEL_SOURCES_SETTING) as { counts: { dropped: number } }[]).map((s) => s.counts.dropped), [0, 2]);
  lib.remove(copy.id);
  assert.deepEqual(lib.get(list.id)!.counts.dropped, 2);
  assert.match(describeIntelSource(lib.get(list.id)!), /2 over the indicator cap not loaded$/);
  store.close();
});

test('stored data that cannot be read is reported, never fatal', () => {
  const { store } = tempStore();
  store.putSetting(INTEL_SOURCES_SETTING, [
    { id: 'aaaaaaaaaaaa', name: 'lost', added: 1, added_by: 'olga' },
    { id: 'bbbbbbbbbbbb', name: 'stale', added: 2, added_by: null },
    { id: 'Bad Id!', name: 'x' },
    42,
  ]);
  store.putSetting(`${INTEL_SOURCE_SETTING_PREFIX}bbbbbbbbbbbb`, '{"type": "bundle"');
  const lines: string[] = [];
  const lib = new IntelLibrary(store, { now, say: (l) => lines.push(l) });
  assert.deepEqual(
    lib.list().map((s) => [s.name, s.problem?.replace(/: .*/, '')]),
    [
      ['lost', 'its text is missing from the store'],
      ['stale', 'it no longer parses'],
    ],
  );
  assert.equal(lines.length, 4);
  assert.match(lines[0], /unreadable: ignored/);
  assert.match(lines[3], /^intel: stale \(imported\): not loaded: it no longer parses: stale: not JSON/);
  // Removing one of them works as for any source.
  assert.equal(lib.remove('aaaaaaaaaaaa'), true);
  store.putSetting(INTEL_SOURCES_SETTING, { not: 'a list' });
  const other: string[] = [];
  assert.deepEqual(new IntelLibrary(store, { say: (l) => other.push(l) }).list(), []);
  assert.match(other[0], /is not a list: ignored/);
  store.close();
});

test('a plain list longer than the reader reads says how many lines were left', () => {
  const { store } = tempStore();
  const lib = new IntelLibrary(store, { now, maxSourceBytes: 4 * 1024 * 1024 });
  const s = lib.add('long', `203.0.113.1${'\n'.repeat(1_000_005)}`, null);
  assert.equal(s.counts.skipped_lines, 6);
  assert.match(describeIntelSource(s), /6 lines past the first 1000000 not read/);
  store.close();
});

test('command-line files that cannot be read or parsed stop the start with the file named', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-intel-cli-'));
  writeFileSync(join(dir, 'bad.json'), '{ nope');
  assert.throws(() => parseIntelFiles([join(dir, 'missing.txt')]), /^Error: cannot read .*missing\.txt/);
  assert.throws(() => parseIntelFiles([join(dir, 'bad.json')]), /bad\.json: bad\.json: not JSON/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseStixPattern, PATTERN_PROBLEMS, type PatternProblem } from './stix-pattern.js';
import { observableText } from './indicator.js';

const SHA256 = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
const MD5 = '0cc175b9c0f1b6a831c399e269772661';
const SHA1 = '86f7e437faa5a7fce15d1ddcb9eaeaea377667b8';

function values(pattern: string): string[] {
  const r = parseStixPattern(pattern);
  assert.ok(r.ok, `${pattern}: ${r.ok ? '' : r.reason}`);
  return r.observables.map((o) => `${o.kind} ${observableText(o)}`);
}

function problem(pattern: string): PatternProblem {
  const r = parseStixPattern(pattern);
  assert.ok(!r.ok, `${pattern} should not be supported`);
  return r.code;
}

test('supported comparisons: addresses, ranges, domains, URLs, hashes', () => {
  assert.deepEqual(values("[ipv4-addr:value = '203.0.113.7']"), ['ipv4 203.0.113.7']);
  assert.deepEqual(values("[ipv4-addr:value ISSUBSET '198.51.100.0/24']"), ['cidr4 198.51.100.0/24']);
  assert.deepEqual(values("[ipv4-addr:value = '198.51.100.77/24']"), ['cidr4 198.51.100.0/24'], 'host bits are masked off');
  assert.deepEqual(values("[ipv4-addr:value = '203.0.113.9/32']"), ['ipv4 203.0.113.9'], 'a /32 is an address');
  assert.deepEqual(values("[ipv6-addr:value = '2001:DB8:0:0::7']"), ['ipv6 2001:db8::7'], 'canonical RFC 5952 text');
  assert.deepEqual(values("[ipv6-addr:value ISSUBSET '2001:db8:aa::/48']"), ['cidr6 2001:db8:aa::/48']);
  assert.deepEqual(values("[domain-name:value = 'Update.Example-Bad.NET.']"), ['domain update.example-bad.net']);
  assert.deepEqual(values("[url:value = 'HTTP://Files.Example-Bad.net:80/stage2.bin?id=4#x']"), ['url files.example-bad.net/stage2.bin?id=4']);
  assert.deepEqual(values(`[file:hashes.'SHA-256' = '${SHA256.toUpperCase()}']`), [`hash ${SHA256}`]);
  assert.deepEqual(values(`[file:hashes.MD5 = '${MD5}' OR file:hashes.'SHA-1' = '${SHA1}']`), [`hash ${MD5}`, `hash ${SHA1}`]);
});

test('OR inside an observation, OR between observations, IN lists and grouping', () => {
  assert.deepEqual(values("[ipv4-addr:value = '203.0.113.7' OR ipv4-addr:value = '203.0.113.8']"), ['ipv4 203.0.113.7', 'ipv4 203.0.113.8']);
  assert.deepEqual(values("[domain-name:value = 'a.example-bad.net'] OR ([url:value = 'http://b.example-bad.net/x'] OR [ipv4-addr:value = '192.0.2.1'])"), [
    'domain a.example-bad.net',
    'url b.example-bad.net/x',
    'ipv4 192.0.2.1',
  ]);
  assert.deepEqual(values("[ipv4-addr:value IN ('192.0.2.1', '192.0.2.2')]"), ['ipv4 192.0.2.1', 'ipv4 192.0.2.2']);
  assert.deepEqual(values("[(ipv4-addr:value = '192.0.2.1')]"), ['ipv4 192.0.2.1']);
  assert.deepEqual(values("  [ domain-name:value='its.example-bad.net' ]\n"), ['domain its.example-bad.net'], 'whitespace is free');
  assert.deepEqual(values("[url:value = 'http://x.example-bad.net/a\\\\b']"), ['url x.example-bad.net/a/b'], 'escaped backslash (URL parsing turns it into a slash)');
});

test('each unsupported construct comes back with its own reason', () => {
  assert.equal(problem("[ipv4-addr:value = '192.0.2.1'] AND [domain-name:value = 'x.example-bad.net']"), 'observation_and');
  assert.equal(problem("[ipv4-addr:value = '192.0.2.1'] FOLLOWEDBY [domain-name:value = 'x.example-bad.net']"), 'followedby');
  assert.equal(problem("[ipv4-addr:value = '192.0.2.1'] WITHIN 300 SECONDS"), 'qualifier');
  assert.equal(problem("[ipv4-addr:value = '192.0.2.1'] REPEATS 5 TIMES"), 'qualifier');
  assert.equal(problem("[ipv4-addr:value = '192.0.2.1'] START t'2026-01-01T00:00:00Z' STOP t'2026-02-01T00:00:00Z'"), 'qualifier');
  assert.equal(problem("[network-traffic:dst_port = 502 AND network-traffic:protocols[0] = 'tcp']"), 'comparison_and');
  assert.equal(problem("[process:name = 'plc_loader.exe']"), 'object_path');
  assert.equal(problem("[network-traffic:dst_ref.value = '192.0.2.1']"), 'object_path');
  assert.equal(problem("[file:hashes.'SHA-512' = 'ab']"), 'object_path');
  assert.equal(problem("[url:value LIKE 'http://x.example-bad.net/%']"), 'operator');
  assert.equal(problem("[domain-name:value MATCHES '^x.*']"), 'operator');
  assert.equal(problem("[ipv4-addr:value != '192.0.2.1']"), 'operator');
  assert.equal(problem("[ipv4-addr:value NOT = '192.0.2.1']"), 'operator');
  assert.equal(problem("[domain-name:value ISSUBSET 'example-bad.net']"), 'operator', 'ISSUBSET is for addresses only');
  assert.equal(problem("[ipv4-addr:value = '2001:db8::1']"), 'value', 'IPv6 text under ipv4-addr');
  assert.equal(problem("[ipv4-addr:value = '300.1.1.1']"), 'value');
  assert.equal(problem("[domain-name:value = 'localhost']"), 'value', 'a single label would match a whole TLD');
  assert.equal(problem(`[file:hashes.MD5 = '${SHA1}']`), 'value', 'wrong length for the algorithm');
  assert.equal(problem("[ipv4-addr:value = 42]"), 'value');
  const r = parseStixPattern("[url:value LIKE 'x']");
  assert.ok(!r.ok && r.reason.includes('LIKE on url:value') && r.reason.includes(PATTERN_PROBLEMS.operator));
});

test('syntax errors and hostile input are reasons, not exceptions', () => {
  for (const bad of ['', '[', "[ipv4-addr:value = '1.2.3.4'", "[ipv4-addr:value = '1.2.3.4]", '[ipv4-addr = 1]', "[ipv4-addr:value ~ 'x']", "[ipv4-addr:value = '1.2.3.4'] OR", 'ipv4-addr:value = 1', "[ipv4-addr:value = '1.2.3.4'] WITHIN SECONDS"]) {
    assert.equal(problem(bad), 'syntax', bad);
  }
  assert.equal(problem('['.repeat(10_000)), 'syntax');
  assert.equal(problem('('.repeat(10_000)), 'too_long');
  assert.equal(problem(`[${'('.repeat(5_000)}ipv4-addr:value = '1.2.3.4'`), 'too_long', 'nesting inside an observation');
  assert.equal(problem(`${'('.repeat(200)}[ipv4-addr:value = '1.2.3.4']${')'.repeat(200)}`), 'too_long');
  assert.equal(problem(`[ipv4-addr:value = '${'9'.repeat(70_000)}']`), 'too_long');
  const r = parseStixPattern("[ipv4-addr:value = '1.2.3.4'] )");
  assert.ok(!r.ok && /offset 30/.test(r.reason), 'the reason says where');
});

test('mutated patterns never throw', () => {
  const seeds = ["[ipv4-addr:value = '203.0.113.7'] OR [domain-name:value = 'c2.example-bad.net']", "[file:hashes.'SHA-256' = 'ab' AND url:value LIKE 'x'] WITHIN 5 SECONDS", "[ipv6-addr:value IN ('2001:db8::1', t'2026-01-01T00:00:00Z')]"];
  let seed = 7;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const alphabet = "[]()'\\:.,=!<>-_ aORNDIhbt0123456789";
  for (let i = 0; i < 3000; i++) {
    const chars = [...seeds[i % seeds.length]];
    for (let k = 0; k < 1 + rand(4); k++) {
      const at = rand(chars.length);
      const op = rand(3);
      if (op === 0) chars.splice(at, 1);
      else if (op === 1) chars.splice(at, 0, alphabet[rand(alphabet.length)]);
      else chars.length = at;
    }
    const r = parseStixPattern(chars.join(''));
    assert.equal(typeof r.ok, 'boolean');
  }
});

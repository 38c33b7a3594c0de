import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IndicatorSet } from './indicator-set.js';
import { parsePlainList } from './plain-list.js';
import { INDICATOR_ANOMALY } from './anomalies.js';

function setOf(lines: string[], max?: number): IndicatorSet {
  const s = new IndicatorSet(max);
  s.addAll(parsePlainList(lines.join('\n'), 'test').indicators);
  return s;
}

const ids = (list: readonly { id: string }[]) => list.map((i) => i.id.replace('test:', '')).sort();

test('addresses: exact IPv4 and IPv6, CIDR v4 and v6 including overlapping ranges', () => {
  const s = setOf(['203.0.113.7', '2001:db8::7', '198.51.100.0/24', '198.51.0.0/16', '0.0.0.0/0', '2001:db8:bad::/48', '2001:db8:bad:1::/64']);
  assert.deepEqual(ids(s.matchIp('203.0.113.7')), ['0.0.0.0/0', '203.0.113.7']);
  assert.deepEqual(ids(s.matchIp('198.51.100.200')), ['0.0.0.0/0', '198.51.0.0/16', '198.51.100.0/24']);
  assert.deepEqual(ids(s.matchIp('198.51.7.1')), ['0.0.0.0/0', '198.51.0.0/16']);
  assert.deepEqual(ids(s.matchIp('2001:db8::7')), ['2001:db8::7']);
  assert.deepEqual(ids(s.matchIp('2001:db8:bad:1::99')), ['2001:db8:bad:1::/64', '2001:db8:bad::/48']);
  assert.deepEqual(ids(s.matchIp('2001:db8:bad:2::1')), ['2001:db8:bad::/48']);
  assert.deepEqual(ids(s.matchIp('2001:db8:bae::1')), []);
  assert.deepEqual(ids(setOf(['198.51.100.0/24']).matchIp('198.51.101.1')), []);
  assert.deepEqual(ids(setOf(['255.255.255.0/24']).matchIp('255.255.255.255')), ['255.255.255.0/24'], 'top of the unsigned range');
  assert.deepEqual(ids(s.matchIp('not-an-ip')), []);
  assert.deepEqual(s.counts(), { indicators: 7, ipv4: 1, ipv6: 1, cidr4: 3, cidr6: 2, domain: 0, url: 0, hash: 0 });
});

test('domains: exact and parent-domain match, case and trailing dot ignored; a parent never matches its child', () => {
  const s = setOf(['example-bad.net', 'c2.other-bad.org']);
  assert.deepEqual(ids(s.matchDomain('example-bad.net')), ['example-bad.net']);
  assert.deepEqual(ids(s.matchDomain('A.B.Example-Bad.NET.')), ['example-bad.net']);
  assert.deepEqual(ids(s.matchDomain('other-bad.org')), [], 'a listed subdomain does not make its parent bad');
  assert.deepEqual(ids(s.matchDomain('xc2.other-bad.org')), []);
  assert.deepEqual(ids(s.matchDomain('notexample-bad.net')), []);
  assert.deepEqual(ids(setOf(['a.example-bad.net', 'example-bad.net']).matchDomain('x.a.example-bad.net')), ['a.example-bad.net', 'example-bad.net']);
});

test('URLs (normalised, scheme ignored) and hashes (case ignored)', () => {
  const s = setOf(['http://files.example-bad.net/stage2.bin?id=4', 'https://Dl.Example-Bad.net:443/a', '0CC175B9C0F1B6A831C399E269772661']);
  assert.deepEqual(ids(s.matchUrl('files.example-bad.net/stage2.bin?id=4')), ['http://files.example-bad.net/stage2.bin?id=4']);
  assert.deepEqual(ids(s.matchUrl('http://FILES.example-bad.net:80/stage2.bin?id=4#top')), ['http://files.example-bad.net/stage2.bin?id=4']);
  assert.deepEqual(ids(s.matchUrl('files.example-bad.net/stage2.bin')), [], 'the query is part of the URL');
  assert.deepEqual(ids(s.matchUrl('dl.example-bad.net/a')), ['https://Dl.Example-Bad.net:443/a']);
  assert.deepEqual(ids(s.matchUrl('dl.example-bad.net:8080/a')), []);
  assert.deepEqual(ids(s.matchHash('0cc175b9c0f1b6a831c399e269772661')), ['0CC175B9C0F1B6A831C399E269772661']);
});

test('caps: past MAX indicators, the rest are dropped and counted as an anomaly', () => {
  const s = setOf(['192.0.2.1', '192.0.2.2', '192.0.2.3'], 2);
  assert.equal(s.size, 2);
  assert.equal(s.dropped, 1);
  assert.equal(s.anomalies.get(INDICATOR_ANOMALY.too_many_indicators), 1);
  assert.deepEqual(ids(s.matchIp('192.0.2.3')), []);
});

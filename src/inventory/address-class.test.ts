import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyAddress, parseIpv6 } from './address-class.js';

test('IPv4 classes and /24 zones', () => {
  assert.deepEqual(classifyAddress('10.1.2.3'), { kind: 'unicast', scope: 'private', zone: '10.1.2.0/24' });
  assert.equal(classifyAddress('172.31.0.1').scope, 'private');
  assert.equal(classifyAddress('172.32.0.1').scope, 'public');
  assert.equal(classifyAddress('192.168.0.255').kind, 'broadcast');
  assert.equal(classifyAddress('255.255.255.255').kind, 'broadcast');
  assert.equal(classifyAddress('239.192.0.1').kind, 'multicast');
  assert.equal(classifyAddress('169.254.3.4').scope, 'link_local');
  assert.equal(classifyAddress('8.8.8.8').scope, 'public');
  assert.equal(classifyAddress('0.0.0.0').kind, 'unspecified');
});

test('IPv6 parsing and classes', () => {
  assert.deepEqual(parseIpv6('fe80::1'), [0xfe80, 0, 0, 0, 0, 0, 0, 1]);
  assert.deepEqual(parseIpv6('::ffff:10.0.0.1'), [0, 0, 0, 0, 0, 0xffff, 0x0a00, 1]);
  assert.deepEqual(parseIpv6('1:2:3:4:5:6:7:8'), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(parseIpv6('1::2::3'), null);
  assert.equal(parseIpv6('12345::'), null);
  assert.equal(classifyAddress('fe80::1').scope, 'link_local');
  assert.equal(classifyAddress('fd00:1:2:3::9').zone, 'fd00:1:2:3::/64');
  assert.equal(classifyAddress('fd00:1:2:3::9').scope, 'private');
  assert.equal(classifyAddress('ff02::1').kind, 'multicast');
  assert.equal(classifyAddress('2001:db8::1').scope, 'public');
  assert.equal(classifyAddress('::ffff:192.168.1.1').scope, 'private');
  assert.equal(classifyAddress('not an ip').scope, 'special');
});

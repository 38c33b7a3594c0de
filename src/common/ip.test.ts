import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex } from './hex.js';
import { ipv4String, ipv6String } from './ip.js';

test('ipv4String formats unsigned and signed 32-bit numbers', () => {
  assert.equal(ipv4String(0xc0a80101), '192.168.1.1');
  assert.equal(ipv4String(0xc0a80101 | 0), '192.168.1.1');
  assert.equal(ipv4String(0), '0.0.0.0');
  assert.equal(ipv4String(0xffffffff), '255.255.255.255');
});

test('ipv6String follows RFC 5952', () => {
  const cases: [Uint8Array, string][] = [
    [hex`2001 0db8 0000 0000 0000 0000 0000 0001`, '2001:db8::1'],
    [hex`0000 0000 0000 0000 0000 0000 0000 0000`, '::'],
    [hex`0000 0000 0000 0000 0000 0000 0000 0001`, '::1'],
    [hex`fe80 0000 0000 0000 0211 22ff fe33 4455`, 'fe80::211:22ff:fe33:4455'],
    [hex`2001 0db8 0000 0001 0001 0001 0001 0001`, '2001:db8:0:1:1:1:1:1'], // a single zero group stays
    [hex`2001 0000 0000 0001 0000 0000 0000 0001`, '2001:0:0:1::1'], // the longest run wins
    [hex`2001 0db8 0000 0000 0001 0000 0000 0001`, '2001:db8::1:0:0:1'], // leftmost on a tie
    [hex`0000 0000 0000 0000 0000 ffff c000 0201`, '::ffff:192.0.2.1'],
    [hex`ABCD 0000 0000 0000 0000 0000 0000 0000`, 'abcd::'],
  ];
  for (const [bytes, text] of cases) assert.equal(ipv6String(bytes, 0), text);
});

test('ipv6String reads at an offset', () => {
  const b = hex`
    ff ff                                       # other bytes
    2001 0db8 0000 0000 0000 0000 0000 0002     # address
  `;
  assert.equal(ipv6String(b, 2), '2001:db8::2');
});

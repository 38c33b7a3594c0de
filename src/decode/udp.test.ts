import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex } from '../common/hex.js';
import { LINKTYPE } from '../common/link-types.js';
import { IPPROTO } from './packet.js';
import { decodeOnce } from './testkit.js';

const RAW = { linkType: LINKTYPE.RAW };
const ip = (total: string) => `45 00 ${total}  00 01 00 00  40 11 00 00  0a 00 00 01  0a 00 00 02`;

test('UDP ports and length-bounded payload (DNP3 over UDP)', () => {
  const { pkt, raised } = decodeOnce(
    hex`
      ${ip('00 22')}      # IPv4, total 34
      4e 20               # src port 20000
      4e 20               # dst port 20000
      00 0e               # length 14
      00 00               # checksum
      05 64 05 c9 01 00   # DNP3 link header start
    `,
    RAW,
  );
  assert.deepEqual(raised, {});
  assert.equal(pkt.l4, IPPROTO.UDP);
  assert.equal(pkt.payloadOff, 28);
  assert.equal(pkt.payloadEnd, 34);
  assert.equal(pkt.payloadWireLength, 6);
});

test('UDP length checks', () => {
  const short = decodeOnce(hex`${ip('00 22')}  4e 20 4e 20  00 0a 00 00  05 64 05 c9 01 00`, RAW);
  assert.deepEqual(short.raised, { 'udp.length_mismatch': 1 });
  assert.equal(short.pkt.payloadLength, 2, 'the UDP length bounds the payload');
  assert.deepEqual(decodeOnce(hex`${ip('00 22')}  4e 20 4e 20  00 40 00 00  05 64 05 c9 01 00`, RAW).raised, { 'udp.bad_length': 1 });
  assert.deepEqual(decodeOnce(hex`${ip('00 22')}  4e 20 4e 20  00 04 00 00  05 64 05 c9 01 00`, RAW).raised, { 'udp.bad_length': 1 });
  assert.deepEqual(decodeOnce(hex`${ip('00 22')}  00 00 4e 20  00 0e 00 00  05 64 05 c9 01 00`, RAW).raised, { 'udp.port_zero': 1 });
  assert.deepEqual(decodeOnce(hex`${ip('00 1a')}  4e 20 4e 20  00 0e`, RAW).raised, { 'udp.truncated': 1 });
});

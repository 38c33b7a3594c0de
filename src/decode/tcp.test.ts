import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex } from '../common/hex.js';
import { LINKTYPE } from '../common/link-types.js';
import { IPPROTO, TCP_FLAG } from './packet.js';
import { decodeOnce } from './testkit.js';

const RAW = { linkType: LINKTYPE.RAW };
/** IPv4 header, 10.0.0.1 -> 10.0.0.2, protocol TCP, with the given total length (hex). */
const ip = (total: string) => `45 00 ${total}  00 01 40 00  40 06 00 00  0a 00 00 01  0a 00 00 02`;

test('SYN with MSS, SACK permitted, timestamps, window scale', () => {
  const { pkt, raised } = decodeOnce(
    hex`
      ${ip('00 3c')}      # IPv4, total 60
      c0 01 00 66         # TCP: 49153 -> 102
      ff ff ff ff         # seq 4294967295
      00 00 00 00         # ack 0
      a0                  # data offset 10 (40 bytes)
      02                  # SYN
      fa f0 00 00 00 00   # window 64240, checksum, urgent
      02 04 05 b4         # MSS 1460
      04 02               # SACK permitted
      08 0a 00 00 00 01 00 00 00 00   # timestamps
      01                  # NOP
      03 03 07            # window scale 7
    `,
    RAW,
  );
  assert.deepEqual(raised, {});
  assert.equal(pkt.l4, IPPROTO.TCP);
  assert.equal(pkt.tcpFlags, TCP_FLAG.SYN);
  assert.equal(pkt.seq, 4294967295);
  assert.equal(pkt.tcpMss, 1460);
  assert.equal(pkt.tcpSackPermitted, true);
  assert.equal(pkt.tcpWindowScale, 7);
  assert.equal(pkt.payloadOff, 60);
  assert.equal(pkt.payloadLength, 0);
});

test('impossible flag combinations are tcp.bad_flags', () => {
  for (const [flags, bad] of [['03', true], ['06', true], ['05', true], ['00', true], ['c0', true], ['12', false], ['11', false], ['14', false], ['04', false]] as const) {
    const { raised } = decodeOnce(hex`${ip('00 28')}  c0 01 00 66  00 00 00 01  00 00 00 00  50 ${flags} 20 00 00 00 00 00`, RAW);
    assert.deepEqual(raised, bad ? { 'tcp.bad_flags': 1 } : {}, `flags ${flags}`);
  }
});

test('port 0, bad data offset, bad options', () => {
  assert.deepEqual(decodeOnce(hex`${ip('00 28')}  00 00 00 66  00 00 00 01 00 00 00 00  50 02 20 00 00 00 00 00`, RAW).raised, { 'tcp.port_zero': 1 });
  const low = decodeOnce(hex`${ip('00 28')}  c0 01 00 66  00 00 00 01 00 00 00 00  40 10 20 00 00 00 00 00`, RAW);
  assert.deepEqual(low.raised, { 'tcp.bad_header_length': 1 });
  assert.equal(low.pkt.l4, IPPROTO.TCP, 'ports are still known');
  assert.equal(low.pkt.payloadLength, 0);
  const high = decodeOnce(hex`${ip('00 2c')}  c0 01 00 66  00 00 00 01 00 00 00 00  f0 10 20 00 00 00 00 00  01 01 01 01`, RAW);
  assert.deepEqual(high.raised, { 'tcp.bad_header_length': 1 }, 'data offset 15 beyond the segment');
  for (const opt of ['02 03 05 b4  # MSS of length 3', '03 02 01 01  # window scale of length 2', '08 01 01 01  # length 1', '05 06 00 00  # SACK of length 6', '01 01 01 02  # kind without a length']) {
    const r = decodeOnce(hex`${ip('00 2c')}  c0 01 00 66  00 00 00 01 00 00 00 00  60 10 20 00 00 00 00 00  ${opt}`, RAW);
    assert.deepEqual(r.raised, { 'tcp.bad_option': 1 }, opt);
  }
});

test('options cut by the snap length are tcp.truncated; a cut payload is not', () => {
  const frame = hex`${ip('00 3c')}  c0 01 00 66  00 00 00 01 00 00 00 00  a0 02 fa f0 00 00 00 00  02 04 05 b4`;
  const cut = decodeOnce(frame, { linkType: LINKTYPE.RAW, origLen: 60 });
  assert.deepEqual(cut.raised, { 'tcp.truncated': 1 });
  assert.equal(cut.pkt.payloadCut, false);
  assert.equal(cut.h.decoder.counters.payloadCut, 0);
  assert.equal(cut.pkt.srcPort, 49153);
});

// Session tests: pairing by sequence per master/outstation pair, latency, no_response, exceptions, unsolicited,
// multi-fragment responses, transport reassembly anomalies, CRC errors, split delivery, and the conformance suite.
/* eslint-disable @typescript-eslint/no-explicit-any -- records are checked field by field in tests */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex } from '../../common/hex.js';
import { checkConformance, type Conversation } from '../conformance.js';
import type { Direction, FlowInfo, ProtocolEvent } from '../protocol.js';
import { DNP3_ANOMALIES } from './anomalies.js';
import { dnp3Module, probeDnp3 } from './index.js';
import { appFrame, concat, linkFrame, segmentedFrames } from './testkit.js';

const A = DNP3_ANOMALIES.codes;
const MASTER = 1;
const OUT = 1024;

function run(chunks: [Direction, Uint8Array, number][], transport: 'tcp' | 'udp' = 'tcp') {
  const events: Record<string, any>[] = [];
  const anomalies: string[] = [];
  const flow: FlowInfo = { id: 1, transport, client: { ip: '192.0.2.1', port: 40000 }, server: { ip: '192.0.2.2', port: 20000 }, vlan: [0, 0], roleSource: 'handshake' };
  const s = dnp3Module.createSession({ flow, anomaly: (c) => anomalies.push(c), emit: (e: ProtocolEvent) => events.push(e as Record<string, any>) });
  for (const [dir, data, ts] of chunks) s.onData(dir, data, ts);
  s.onEnd(100);
  return { tx: events.filter((e) => e.type === 'transaction'), hints: events.filter((e) => e.type === 'asset_hint'), anomalies };
}

const READ_CLASS0 = hex`c5 01  3c 01 06  # FIR FIN seq 5, read g60v1 (class 0)`;
const RESP_5 = hex`c5 81 00 00  1e 02 00 00 00  01 2c 01  # response seq 5: g30v2 index 0 = 300`;

test('a read and its response are paired, with latency, roles and values', () => {
  const r = run([
    [0, appFrame(true, OUT, MASTER, READ_CLASS0), 1],
    [1, appFrame(false, MASTER, OUT, RESP_5), 1.25],
  ]);
  assert.equal(r.tx.length, 1);
  const t = r.tx[0];
  assert.deepEqual(t.operation, { code: 1, name: 'read', access: 'read' });
  assert.deepEqual(t.target, { unit: OUT, area: 'class_data', classes: ['class_0'] });
  assert.equal(t.outcome, 'ok');
  assert.equal(t.latency_ms, 250);
  assert.equal(t.origin, 'client');
  assert.deepEqual([t.dnp3.master, t.dnp3.outstation, t.dnp3.seq, t.dnp3.response_func_code, t.dnp3.fragments], [MASTER, OUT, 5, 129, 1]);
  assert.deepEqual(t.dnp3.response_points, [{ group: 30, variation: 2, index: 0, value: 300, flags: 1 }]);
  assert.deepEqual(r.hints.map((h) => [h.side, h.role, h.address]), [['client', 'master', MASTER], ['server', 'outstation', OUT]]);
  assert.deepEqual(r.anomalies, []);
});

test('the same events whatever way the stream is cut', () => {
  const c2s = concat([appFrame(true, OUT, MASTER, READ_CLASS0)]);
  const s2c = concat(segmentedFrames(false, MASTER, OUT, RESP_5, 4));
  const whole = run([[0, c2s, 1], [1, s2c, 2]]);
  const bytes: [Direction, Uint8Array, number][] = [];
  for (let i = 0; i < c2s.length; i++) bytes.push([0, c2s.subarray(i, i + 1), 1]);
  for (let i = 0; i < s2c.length; i += 3) bytes.push([1, s2c.subarray(i, i + 3), 2]);
  assert.deepEqual(run(bytes).tx, whole.tx);
  assert.equal(whole.tx[0].dnp3.response_points[0].value, 300);
});

test('unanswered request → no_response; IIN error → exception; CROB status → exception', () => {
  const r = run([
    [0, appFrame(true, OUT, MASTER, hex`c1 01 3c 02 06`), 1],
    [0, appFrame(true, OUT, MASTER, hex`c2 14 3c 02 06  # enable unsolicited class 1`), 2],
    [1, appFrame(false, MASTER, OUT, hex`c2 81 00 01  # IIN2 no function code support`), 2.5],
    [0, appFrame(true, OUT, MASTER, hex`c3 03 0c 01 17 01 00 03 01 e8 03 00 00 00 00 00 00 00`), 3],
    [1, appFrame(false, MASTER, OUT, hex`c3 81 00 00 0c 01 17 01 00 03 01 e8 03 00 00 00 00 00 00 02  # status no_select`), 3.1],
  ]);
  assert.deepEqual(r.tx.map((t) => [t.operation.name, t.operation.access, t.outcome, t.error?.name]), [
    ['enable_unsolicited', 'control', 'exception', 'no_func_code_support'],
    ['select', 'control', 'exception', 'no_select'],
    ['read', 'read', 'no_response', undefined],
  ]);
  assert.deepEqual(r.tx[1].operation.sub, { code: 3, name: 'latch_on' });
});

test('unsolicited responses are lone transactions from the server; confirms are access other', () => {
  const r = run([
    [1, appFrame(false, MASTER, OUT, hex`f0 82 80 00  # FIR FIN CON UNS seq 0, unsolicited, device restart`), 1],
    [0, appFrame(true, OUT, MASTER, hex`d0 00  # FIR FIN UNS seq 0, confirm`), 1.1],
  ]);
  assert.deepEqual(r.tx.map((t) => [t.operation.name, t.operation.access, t.origin, t.outcome]), [
    ['unsolicited_response', 'other', 'server', 'ok'],
    ['confirm', 'other', 'client', 'ok'],
  ]);
  assert.deepEqual(r.tx[0].dnp3.iin, ['device_restart']);
});

test('a response of three fragments is one transaction', () => {
  const frag = (ac: number, idx: number) => Uint8Array.from([ac, 0x81, 0, 0, 0x1e, 0x02, 0x00, idx, idx, 0x01, idx, 0x00]);
  const r = run([
    [0, appFrame(true, OUT, MASTER, READ_CLASS0), 1],
    [1, appFrame(false, MASTER, OUT, frag(0x85, 0), 0), 2], // FIR seq 5
    [1, appFrame(false, MASTER, OUT, frag(0x06, 1), 1), 3], // seq 6
    [1, appFrame(false, MASTER, OUT, frag(0x47, 2), 2), 4], // FIN seq 7
  ]);
  assert.equal(r.tx.length, 1);
  assert.equal(r.tx[0].dnp3.fragments, 3);
  assert.equal(r.tx[0].latency_ms, 1000);
  assert.deepEqual(r.tx[0].dnp3.response_points.map((p: any) => p.value), [0, 1, 2]);
});

test('transport: out-of-sequence, no-first, duplicate segments; bad CRCs; broadcast; no-ack', () => {
  const frames = segmentedFrames(true, OUT, MASTER, READ_CLASS0, 2, 10);
  const bad = appFrame(true, OUT, MASTER, READ_CLASS0);
  bad[12] ^= 0xff;
  const r = run([
    [0, concat([frames[1]]), 1], // no FIR
    [0, concat([frames[0], frames[0], frames[2]]), 2], // FIR, FIR again (discard), then seq 12 after 10 (out of sequence)
    [0, bad, 3],
    [0, appFrame(true, 0xffff, MASTER, hex`c6 06 0c 01 17 01 00 03 01 e8 03 00 00 00 00 00 00 00  # direct operate no ack`), 4],
  ]);
  assert.deepEqual(r.anomalies, [A.transport_no_first, A.transport_fragment_discarded, A.transport_out_of_sequence, A.bad_data_crc]);
  assert.equal(r.tx.length, 1);
  assert.equal(r.tx[0].dnp3.broadcast, true);
  assert.equal(r.tx[0].outcome, 'ok');
  assert.equal(r.tx[0].latency_ms, null);
});

test('garbage is skipped to the next frame; a bad header CRC is not used', () => {
  const f = appFrame(true, OUT, MASTER, READ_CLASS0);
  const badHead = f.slice();
  badHead[8] ^= 1;
  const r = run([[0, concat([hex`00 11 22 05`, badHead, f]), 1]]);
  assert.equal(r.tx.length, 1);
  assert.deepEqual(r.anomalies.slice(0, 2), [A.garbage_skipped, A.bad_header_crc]);
});

test('UDP datagrams, pipelined requests with a repeated sequence pair in order', () => {
  const sel = (seq: number) => Uint8Array.from([0xc0 | seq, 3, 0x0c, 1, 0x17, 1, 0, 3, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  const resp = (seq: number) => Uint8Array.from([0xc0 | seq, 0x81, 0, 0, 0x0c, 1, 0x17, 1, 0, 3, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  const r = run([
    [0, appFrame(true, OUT, MASTER, sel(7)), 1],
    [0, appFrame(true, OUT, MASTER, sel(7)), 2],
    [1, appFrame(false, MASTER, OUT, resp(7)), 3],
    [1, appFrame(false, MASTER, OUT, resp(7)), 4],
  ], 'udp');
  assert.deepEqual(r.tx.map((t) => [t.ts, t.latency_ms]), [[1, 2000], [2, 2000]]);
  assert.deepEqual(r.anomalies, [A.duplicate_sequence]);
});

test('device attributes give an identity hint', () => {
  const r = run([
    [0, appFrame(true, OUT, MASTER, hex`c1 01 00 fe 06  # read g0v254 all attributes`), 1],
    [1, appFrame(false, MASTER, OUT, hex`c1 81 00 00
      00 fc 00 00 00 01 04 41 43 4d 45    # vendor ACME
      00 fa 00 00 00 01 02 58 31          # model X1
      00 f2 00 00 00 01 03 31 2e 30       # software version 1.0`), 2],
  ]);
  const id = r.hints.find((h) => h.identity !== undefined);
  assert.deepEqual(id?.identity, { vendor: 'ACME', model: 'X1', firmware: '1.0' });
  assert.equal(id?.address, OUT);
});

test('probe: a valid link header matches; other bytes do not', () => {
  const f = appFrame(true, OUT, MASTER, READ_CLASS0);
  assert.equal(probeDnp3(f, 0, 'tcp'), 'match');
  assert.equal(probeDnp3(f.subarray(0, 4), 0, 'tcp'), 'need_more');
  assert.equal(probeDnp3(hex`00 01 00 00 00 06 01 03`, 0, 'tcp'), 'no_match');
  const bad = f.slice();
  bad[9] ^= 1;
  assert.equal(probeDnp3(bad, 0, 'tcp'), 'no_match');
});

test('the module passes the conformance suite', () => {
  const frags = segmentedFrames(false, MASTER, OUT, Uint8Array.from([0xc5, 0x81, 0, 0, 0x1e, 0x02, 0x00, 0, 40, ...new Array(123).fill(1)]), 60);
  const seeds: Conversation[] = [
    {
      transport: 'tcp',
      chunks: [
        { dir: 0, data: appFrame(true, OUT, MASTER, READ_CLASS0) },
        { dir: 1, data: concat(frags) },
        { dir: 0, data: linkFrame(0xc0, OUT, MASTER, new Uint8Array(0)) },
        { dir: 1, data: appFrame(false, MASTER, OUT, hex`f0 82 80 00`) },
      ],
    },
    { transport: 'udp', chunks: [{ dir: 0, data: appFrame(true, OUT, MASTER, READ_CLASS0) }, { dir: 1, data: appFrame(false, MASTER, OUT, RESP_5) }] },
  ];
  assert.deepEqual(checkConformance(dnp3Module, seeds), []);
});

// Session tests of the IEC 60870-5-104 module: framing, U-format and command pairing, sequence checks, hints, probe,
// and the shared conformance suite over hand-made conversations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex } from '../../common/hex.js';
import { checkConformance, type Conversation } from '../conformance.js';
import type { Direction, FlowInfo, ProtocolEvent } from '../protocol.js';
import { A } from './anomalies.js';
import { iec104Module, probeIec104 } from './index.js';

const FLOW: FlowInfo = {
  id: 1,
  transport: 'tcp',
  client: { ip: '192.0.2.1', port: 50000 },
  server: { ip: '192.0.2.2', port: 2404 },
  vlan: [0, 0],
  roleSource: 'handshake',
};

/** An I-format APDU around an ASDU, with N(S) and N(R). */
function iFrame(ns: number, nr: number, asdu: Uint8Array): Uint8Array {
  const out = new Uint8Array(6 + asdu.length);
  out.set([0x68, 4 + asdu.length, (ns << 1) & 0xff, ns >> 7, (nr << 1) & 0xff, nr >> 7]);
  out.set(asdu, 6);
  return out;
}
const sFrame = (nr: number) => new Uint8Array([0x68, 4, 1, 0, (nr << 1) & 0xff, nr >> 7]);
const uFrame = (c: number) => new Uint8Array([0x68, 4, c, 0, 0, 0]);

const SC_ACT = hex`2d 01 06 00 0a 00  05 00 00  01  # C_SC_NA_1 act, CA 10, IOA 5: ON, execute`;
const SC_CON = hex`2d 01 07 00 0a 00  05 00 00  01  # activation con`;
const SC_TERM = hex`2d 01 0a 00 0a 00  05 00 00  01  # activation term`;
const SC_SELECT = hex`2d 01 06 00 0a 00  05 00 00  81  # C_SC_NA_1 act: ON, select`;
const SC_SELECT_CON = hex`2d 01 07 00 0a 00  05 00 00  81`;
const SC_NEG_CON = hex`2d 01 47 00 0a 00  05 00 00  01  # activation con, P/N = negative`;
const SC_UNKNOWN_IOA = hex`2d 01 6f 00 0a 00  05 00 00  01  # COT 47 unknown IOA, negative`;
const IC_ACT = hex`64 01 06 00 0a 00  00 00 00  14  # C_IC_NA_1 station interrogation`;
const IC_CON = hex`64 01 07 00 0a 00  00 00 00  14`;
const IC_TERM = hex`64 01 0a 00 0a 00  00 00 00  14`;
const SP_INRO = hex`01 02 14 00 0a 00  01 00 00  01  02 00 00  00  # M_SP_NA_1 COT 20: IOA 1 on, IOA 2 off`;
const RD_ACT = hex`66 01 05 00 0a 00  10 30 00  # C_RD_NA_1 request... COT 5 is the wrong cause: see below`;
const RD_REQ = hex`66 01 06 00 0a 00  10 30 00  # C_RD_NA_1 act, IOA 12304`;
const ME_REQ = hex`0b 01 05 00 0a 00  10 30 00  be 09  00  # M_ME_NB_1 COT 5 requested: 2494`;
const ME_SPONT = hex`0d 01 03 00 0a 00  ae 15 00  60 e5 96 c0  00  # M_ME_NC_1 spontaneous -4.7155`;

interface Run {
  events: ProtocolEvent[];
  anomalies: string[];
}

function run(chunks: [Direction, Uint8Array, number?][], split = false): Run {
  const events: ProtocolEvent[] = [];
  const anomalies: string[] = [];
  const s = iec104Module.createSession({ flow: FLOW, anomaly: (c) => anomalies.push(c), emit: (e) => events.push(e) });
  let ts = 100;
  for (const [dir, data, at] of chunks) {
    ts = at ?? ts + 0.01;
    if (split) for (let i = 0; i < data.length; i++) s.onData(dir, data.subarray(i, i + 1), ts);
    else s.onData(dir, data, ts);
  }
  s.onEnd(ts + 1);
  return { events, anomalies };
}

const tx = (r: Run) => r.events.filter((e) => e.type === 'transaction') as any[]; // eslint-disable-line @typescript-eslint/no-explicit-any

test('U-format: STARTDT and TESTFR act/con pairs with latency; TESTFR from the server; unanswered STOPDT', () => {
  const r = run([
    [0, uFrame(0x07), 1],
    [1, uFrame(0x0b), 1.002],
    [1, uFrame(0x43), 2],
    [0, uFrame(0x83), 2.001],
    [0, uFrame(0x13), 3],
  ]);
  assert.deepEqual(r.anomalies, []);
  const t = tx(r);
  assert.deepEqual(
    t.map((e) => [e.operation.name, e.operation.access, e.origin, e.outcome, e.latency_ms]),
    [
      ['startdt', 'control', 'client', 'ok', 2],
      ['testfr', 'diagnostic', 'server', 'ok', 1],
      ['stopdt', 'control', 'client', 'no_response', null],
    ],
  );
  assert.equal(t[0].iec104.u_function, 'startdt');
});

test('command act → con → term is one transaction; a select is done at its con', () => {
  const r = run([
    [0, iFrame(0, 0, SC_ACT), 10],
    [1, iFrame(0, 1, SC_CON), 10.05],
    [1, iFrame(1, 1, SC_TERM), 10.2],
    [0, iFrame(1, 2, SC_SELECT), 11],
    [1, iFrame(2, 2, SC_SELECT_CON), 11.01],
  ]);
  assert.deepEqual(r.anomalies, []);
  const [exec, select] = tx(r);
  assert.equal(exec.operation.name, 'C_SC_NA_1');
  assert.equal(exec.operation.access, 'control');
  assert.deepEqual(exec.operation.sub, { code: 6, name: 'activation' });
  assert.deepEqual(exec.target, { unit: 10, area: 'single_command', address: 5, count: 1 });
  assert.equal(exec.outcome, 'ok');
  assert.equal(exec.latency_ms, 50);
  assert.equal(exec.iec104.terminated, true);
  assert.equal(exec.iec104.term_latency_ms, 200);
  assert.deepEqual(exec.iec104.objects, [{ ioa: 5, value: 1, qualifier: 0, se: 'execute' }]);
  assert.equal(select.iec104.objects[0].se, 'select');
  assert.equal(select.iec104.terminated, undefined);
  assert.equal(select.latency_ms, 10);
});

test('negative confirmation and unknown IOA are exceptions', () => {
  const r = run([
    [0, iFrame(0, 0, SC_ACT)],
    [1, iFrame(0, 1, SC_NEG_CON)],
    [0, iFrame(1, 1, SC_ACT)],
    [1, iFrame(1, 2, SC_UNKNOWN_IOA)],
  ]);
  assert.deepEqual(r.anomalies, []);
  const [neg, unknown] = tx(r);
  assert.equal(neg.outcome, 'exception');
  assert.deepEqual(neg.error, { code: 7, name: 'activation_con_negative' });
  assert.equal(neg.iec104.response_negative, true);
  assert.equal(unknown.outcome, 'exception');
  assert.deepEqual(unknown.error, { code: 47, name: 'unknown_ioa_negative' });
});

test('general interrogation: data in between are lone reads from the server; repeated activations pair in order', () => {
  const r = run([
    [0, iFrame(0, 0, IC_ACT), 1],
    [0, iFrame(1, 0, IC_ACT), 1.001],
    [1, iFrame(0, 2, IC_CON), 1.01],
    [1, iFrame(1, 2, SP_INRO), 1.02],
    [1, iFrame(2, 2, IC_TERM), 1.03],
    [1, iFrame(3, 2, IC_CON), 1.04],
    [1, iFrame(4, 2, IC_TERM), 1.05],
  ]);
  assert.deepEqual(r.anomalies, []);
  const t = tx(r);
  assert.deepEqual(
    t.map((e) => [e.operation.name, e.operation.access, e.origin, e.outcome, e.iec104.terminated]),
    [
      ['M_SP_NA_1', 'read', 'server', 'ok', undefined],
      ['C_IC_NA_1', 'read', 'client', 'ok', true],
      ['C_IC_NA_1', 'read', 'client', 'ok', true],
    ],
  );
  assert.equal(t[0].operation.sub.name, 'interrogated_station');
  assert.deepEqual(t[0].iec104.objects, [{ ioa: 1, value: 1 }, { ioa: 2, value: 0 }]);
  assert.equal(t[0].latency_ms, null);
});

test('C_RD_NA_1 read pairs with the requested data (COT 5)', () => {
  const r = run([
    [0, iFrame(0, 0, RD_REQ), 5],
    [1, iFrame(0, 1, ME_REQ), 5.004],
  ]);
  assert.deepEqual(r.anomalies, []);
  const [read] = tx(r);
  assert.equal(read.operation.name, 'C_RD_NA_1');
  assert.equal(read.latency_ms, 4);
  assert.equal(read.iec104.response_type_name, 'M_ME_NB_1');
  assert.deepEqual(read.iec104.response_objects, [{ ioa: 12304, value: 2494 }]);
  // C_RD_NA_1 with COT 5 (not activation) is a lone message.
  assert.equal(tx(run([[0, iFrame(0, 0, RD_ACT)]]))[0].outcome, 'ok');
});

test('spontaneous data, a confirmation without activation, unanswered command', () => {
  const r = run([
    [1, iFrame(0, 0, ME_SPONT)],
    [1, iFrame(1, 0, SC_CON)],
    [0, iFrame(0, 2, IC_ACT)],
  ]);
  assert.deepEqual(r.anomalies, [A.response_without_request]);
  const [spont, con, ic] = tx(r);
  assert.deepEqual([spont.operation.name, spont.operation.access, spont.origin, spont.outcome], ['M_ME_NC_1', 'read', 'server', 'ok']);
  assert.deepEqual(spont.iec104.objects, [{ ioa: 5550, value: -4.7155 }]);
  assert.deepEqual([con.operation.name, con.origin], ['C_SC_NA_1', 'server']);
  assert.deepEqual([ic.operation.name, ic.outcome, ic.latency_ms], ['C_IC_NA_1', 'no_response', null]);
});

test('sequence numbers: gap, repeat, and acknowledgement of frames never sent', () => {
  const r = run([
    [1, iFrame(0, 0, ME_SPONT)],
    [1, iFrame(1, 0, ME_SPONT)],
    [1, iFrame(3, 0, ME_SPONT)], // 2 skipped
    [1, iFrame(3, 0, ME_SPONT)], // repeated
    [0, sFrame(4)], // fine: 4 sent (0, 1, 3, 3 → next expected 4)
    [0, sFrame(9)], // acknowledges 5 frames never sent
  ]);
  assert.deepEqual(r.anomalies, [A.send_seq_gap, A.send_seq_repeat, A.recv_seq_unsent]);
});

test('same events whether delivered whole, byte by byte, or as one joined stream', () => {
  const chunks: [Direction, Uint8Array][] = [
    [0, uFrame(0x07)],
    [1, uFrame(0x0b)],
    [0, iFrame(0, 0, IC_ACT)],
    [1, iFrame(0, 1, IC_CON)],
    [1, iFrame(1, 1, SP_INRO)],
    [1, iFrame(2, 1, IC_TERM)],
  ];
  const whole = run(chunks);
  const bytes = run(chunks, true);
  assert.equal(JSON.stringify(bytes), JSON.stringify(whole));
  assert.equal(tx(whole).length, 3);
});

test('framing violations stop the direction: bad start, bad length; keep-alive zero bytes at the start are skipped', () => {
  const bad = run([[1, hex`69 04 01 00 00 00  # not 0x68`], [1, iFrame(0, 0, ME_SPONT)]]);
  assert.deepEqual(bad.anomalies, [A.bad_start]);
  assert.equal(bad.events.length, 0);
  assert.deepEqual(run([[1, hex`68 02 01 00`]]).anomalies, [A.invalid_length]);
  assert.deepEqual(run([[1, hex`68 fe`]]).anomalies, [A.invalid_length]);
  const ka = run([[1, hex`00  # TCP keep-alive byte`], [1, iFrame(0, 0, ME_SPONT)]]);
  assert.deepEqual(ka.anomalies, []);
  assert.equal(tx(ka).length, 1);
});

test('after a gap the direction resynchronises on the next plausible header; no sequence anomaly across it', () => {
  const events: ProtocolEvent[] = [];
  const anomalies: string[] = [];
  const s = iec104Module.createSession({ flow: FLOW, anomaly: (c) => anomalies.push(c), emit: (e) => events.push(e) });
  const f = iFrame(0, 0, ME_SPONT);
  s.onData(1, f, 1);
  s.onData(1, f.subarray(0, 7), 1); // a frame cut by the loss
  s.onGap(1, 100, 2);
  const next = iFrame(40, 0, ME_SPONT);
  s.onData(1, new Uint8Array([0x13, 0x37, ...next]), 2); // tail of a lost frame, then a whole one
  s.onEnd(3);
  assert.deepEqual(anomalies, []);
  assert.equal(events.filter((e) => e.type === 'transaction').length, 2);
});

test('asset hints: the activating side is master, the data side outstation at its common address', () => {
  const r = run([
    [0, iFrame(0, 0, SC_ACT)],
    [1, iFrame(0, 1, SC_CON)],
    [1, iFrame(1, 1, ME_SPONT)],
  ]);
  const hints = r.events.filter((e) => e.type === 'asset_hint');
  assert.deepEqual(
    hints.map((h) => [h.side, h.role, h.address]),
    [
      ['client', 'master', undefined],
      ['server', 'outstation', 10],
    ],
  );
});

test('probe: I/S/U frames match, other protocols and short input do not', () => {
  assert.equal(probeIec104(uFrame(0x07)), 'match');
  assert.equal(probeIec104(sFrame(3)), 'match');
  assert.equal(probeIec104(iFrame(0, 0, IC_ACT)), 'match');
  assert.equal(probeIec104(hex`00  68 04 07 00 00 00  # keep-alive byte first`), 'match');
  assert.equal(probeIec104(hex`68 04`), 'need_more');
  assert.equal(probeIec104(hex`68 0e 00 00 00 00`), 'need_more');
  assert.equal(probeIec104(hex`00 01 00 00 00 06 01 03 00 00 00 0a  # Modbus/TCP`), 'no_match');
  assert.equal(probeIec104(new TextEncoder().encode('GET / HTTP/1.1\r\n')), 'no_match');
  assert.equal(probeIec104(hex`68 04 47 00 00 00  # two U functions`), 'no_match');
  assert.equal(probeIec104(hex`68 0e 00 00 00 00  c8 01 06 00 0a 00 00 00 00 14  # unknown type 200`), 'no_match');
  assert.equal(probeIec104(hex`68 04 07 00 00 00  16 03 01  # then not an APDU`), 'no_match');
});

test('conformance suite over hand-made conversations', () => {
  const seeds: Conversation[] = [
    {
      transport: 'tcp',
      chunks: [
        { dir: 0, data: uFrame(0x07) },
        { dir: 1, data: uFrame(0x0b) },
        { dir: 0, data: iFrame(0, 0, IC_ACT) },
        { dir: 1, data: iFrame(0, 1, IC_CON) },
        { dir: 1, data: iFrame(1, 1, SP_INRO) },
        { dir: 1, data: iFrame(2, 1, IC_TERM) },
        { dir: 0, data: sFrame(3) },
      ],
    },
    {
      transport: 'tcp',
      chunks: [
        { dir: 0, data: iFrame(0, 0, SC_ACT) },
        { dir: 1, data: iFrame(0, 1, SC_CON) },
        { dir: 1, data: iFrame(1, 1, SC_TERM) },
        { dir: 0, data: iFrame(1, 2, RD_REQ) },
        { dir: 1, data: iFrame(2, 2, ME_REQ) },
        { dir: 1, data: iFrame(3, 2, ME_SPONT) },
        { dir: 1, data: uFrame(0x43) },
        { dir: 0, data: uFrame(0x83) },
      ],
    },
  ];
  assert.deepEqual(checkConformance(iec104Module, seeds, { mutationsPerConversation: 40, randomConversations: 100 }), []);
});

test('caps: resynchronisation gives up after 2 KiB, pending activations and hinted addresses are bounded', () => {
  const anomalies: string[] = [];
  const s = iec104Module.createSession({ flow: FLOW, anomaly: (c) => anomalies.push(c), emit: () => {} });
  s.onGap(1, 10, 1);
  s.onData(1, new Uint8Array(3000).fill(0x55), 1);
  s.onData(1, iFrame(0, 0, ME_SPONT), 1);
  assert.deepEqual(anomalies, [A.gap_resync_failed]);

  const chunks: [Direction, Uint8Array][] = [];
  for (let i = 0; i < 260; i++) chunks.push([0, iFrame(i, 0, new Uint8Array([0x2d, 1, 6, 0, 10, 0, i & 0xff, i >> 8, 0, 1]))]);
  const r = run(chunks);
  assert.equal(r.anomalies.filter((c) => c === A.pending_cap).length, 4);
  assert.equal(tx(r).filter((e) => e.outcome === 'no_response').length, 260);

  const many: [Direction, Uint8Array][] = [];
  for (let ca = 1; ca <= 40; ca++) many.push([1, iFrame(ca - 1, 0, new Uint8Array([1, 1, 3, 0, ca, 0, 1, 0, 0, 1]))]);
  const h = run(many);
  assert.deepEqual(h.anomalies, [A.hint_cap]);
  assert.equal(h.events.filter((e) => e.type === 'asset_hint').length, 32);
});

test('a nonstandard 1-byte common address is exported with its header variant', () => {
  const r = run([[1, hex`68 0d  00 00 00 00  01 01 03 00 07  0a 00 00  01  # M_SP_NA_1, CA 1 byte`]]);
  assert.deepEqual(r.anomalies, [A.nonstandard_header]);
  const [t] = tx(r);
  assert.equal(t.target.unit, 7);
  assert.equal(t.iec104.header_variant, 'cot2_ca1');
});

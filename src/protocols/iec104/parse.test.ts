// Unit tests of the IEC 60870-5-104 parser: vectors modelled on the parsitects/zeek-iec104 analyzer tests (bytes and
// expected fields re-typed and checked by hand), then every type id, time tags, and malformed input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex } from '../../common/hex.js';
import { A } from './anomalies.js';
import { TYPE_IDS } from './codes.js';
import { parseApdu } from './parse.js';
import type { Apdu } from './types.js';

function parse(bytes: Uint8Array): { apdu: Apdu; anomalies: string[] } {
  const anomalies: string[] = [];
  return { apdu: parseApdu(bytes, 0, anomalies), anomalies };
}

test('S-format: receive sequence only', () => {
  const { apdu, anomalies } = parse(hex`
    68 04        # start, length 4
    01 00 7e 14  # S-format, N(R) = 0x147e >> 1 = 2623
  `);
  assert.equal(apdu.format, 'S');
  assert.equal(apdu.recvSeq, 2623);
  assert.equal(apdu.asdu, null);
  assert.deepEqual(anomalies, []);
});

test('U-format: the six functions, and a control octet with two function bits', () => {
  for (const c of [0x07, 0x0b, 0x13, 0x23, 0x43, 0x83]) {
    const { apdu, anomalies } = parse(new Uint8Array([0x68, 0x04, c, 0, 0, 0]));
    assert.equal(apdu.format, 'U');
    assert.equal(apdu.uControl, c);
    assert.deepEqual(anomalies, []);
  }
  assert.deepEqual(parse(hex`68 04  47 00 00 00  # STARTDT act + TESTFR act`).anomalies, [A.invalid_control]);
  assert.deepEqual(parse(hex`68 04  07 00 01 00  # reserved octet set`).anomalies, [A.invalid_control]);
});

test('C_RC_NA_1 regulating step command activation (zeek c_rc_na_1)', () => {
  const { apdu, anomalies } = parse(hex`
    68 0e        # length 14
    0c 00 5a 00  # I-format N(S)=6 N(R)=45
    2f           # type 47 C_RC_NA_1
    01           # SQ=0, 1 object
    06           # COT activation
    00           # originator 0
    0a 00        # common address 10
    01 00 00     # IOA 1
    02           # RCO: RCS=2 (higher), QU=0, S/E=0 (execute)
  `);
  assert.deepEqual(anomalies, []);
  assert.equal(apdu.sendSeq, 6);
  assert.equal(apdu.recvSeq, 45);
  const a = apdu.asdu!;
  assert.equal(a.typeId, 47);
  assert.equal(a.cot, 6);
  assert.equal(a.commonAddress, 10);
  assert.deepEqual(a.objects, [{ ioa: 1, value: 2, state: 'higher', qualifier: 0, se: 'execute' }]);
});

test('C_RD_NA_1 read: a stray byte is trailing; the negative confirmation (zeek c_rd_na_1)', () => {
  const req = parse(hex`
    68 0e  00 00 00 00  # I N(S)=0 N(R)=0
    66 01 06 00 01 00   # type 102 C_RD_NA_1, 1 object, act, CA 1
    00 00 00            # IOA 0
    28                  # not part of C_RD_NA_1
  `);
  assert.deepEqual(req.anomalies, [A.trailing_bytes]);
  assert.deepEqual(req.apdu.asdu!.objects, [{ ioa: 0 }]);
  const con = parse(hex`
    68 0d  00 00 02 00  # I N(S)=0 N(R)=1
    66 01               # C_RD_NA_1, 1 object
    47                  # COT 7 activation con with P/N=1 (negative)
    00 01 00 00 00 00   # originator 0, CA 1, IOA 0
  `);
  assert.deepEqual(con.anomalies, []);
  assert.equal(con.apdu.recvSeq, 1);
  assert.equal(con.apdu.asdu!.cot, 7);
  assert.equal(con.apdu.asdu!.negative, true);
  assert.equal(con.apdu.asdu!.test, false);
});

test('C_RD_NA_1 with SQ=1 and raw bytes (zeek c_rd_na_1-sq, synthetic): the bytes are trailing', () => {
  const { apdu, anomalies } = parse(hex`
    68 1b  de ad be ef              # I N(S)=22255 N(R)=30687
    66 8a 06 00 01 00               # C_RD_NA_1, SQ=1, 10 objects, act, CA 1
    40 e2 01                        # base IOA 123456
    f0 00 ba af 41 41 41 41 41 ff   # 10 bytes C_RD_NA_1 does not carry
  `);
  assert.equal(apdu.sendSeq, 22255);
  assert.equal(apdu.recvSeq, 30687);
  assert.deepEqual(anomalies, [A.trailing_bytes]);
  assert.equal(apdu.asdu!.objectsDecoded, 10);
  assert.equal(apdu.asdu!.objects[9].ioa, 123465);
});

test('C_SE_TB_1 scaled setpoint with CP56Time2a, negative con (zeek c_se_tb_1)', () => {
  const { apdu, anomalies } = parse(hex`
    68 17  d2 0a 1a 00     # I N(S)=1385 N(R)=13
    3e 01 47 00 90 01      # type 62, 1 object, COT 7 negative, CA 400
    42 1f 00               # IOA 8002
    01 00                  # SVA 1
    00                     # QOS: QL 0, execute
    dd d9 03 09 10 07 18   # 55773 ms, min 3, hour 9, day 16, month 7, year 24
  `);
  assert.deepEqual(anomalies, []);
  assert.equal(apdu.sendSeq, 1385);
  assert.equal(apdu.asdu!.negative, true);
  assert.deepEqual(apdu.asdu!.objects, [{ ioa: 8002, value: 1, qualifier: 0, se: 'execute', time: '2024-07-16T09:03:55.773' }]);
});

test('M_EI_NA_1 end of initialisation (zeek m_ei_na_1)', () => {
  const { apdu, anomalies } = parse(hex`
    68 0e  00 00 00 00
    46 01 04 00 0a 00   # type 70, 1 object, COT 4 initialized, CA 10
    00 00 00            # IOA 0
    00                  # COI: local power on, no LPC
  `);
  assert.deepEqual(anomalies, []);
  assert.equal(apdu.asdu!.cot, 4);
  assert.deepEqual(apdu.asdu!.objects, [{ ioa: 0, qualifier: 0, qualifier_name: 'local_power_on' }]);
});

test('M_ME_NB_1 seven scaled values, SQ=0 (zeek m_me_nb_1)', () => {
  const { apdu, anomalies } = parse(hex`
    68 34  5a 14 7c 00     # I N(S)=2605 N(R)=62
    0b 07 03 00 0c 00      # type 11, 7 objects, spontaneous, CA 12
    10 30 00  be 09  00    # IOA 12304, 2494, QDS 0
    11 30 00  90 09  00    # 12305, 2448
    0e 30 00  75 00  00    # 12302, 117
    28 30 00  25 09  00    # 12328, 2341
    29 30 00  75 00  00    # 12329, 117
    0f 30 00  0f 0a  00    # 12303, 2575
    2e 30 00  ae 05  00    # 12334, 1454
  `);
  assert.deepEqual(anomalies, []);
  assert.equal(apdu.sendSeq, 2605);
  assert.equal(apdu.recvSeq, 62);
  assert.deepEqual(
    apdu.asdu!.objects.map((o) => [o.ioa, o.value]),
    [[12304, 2494], [12305, 2448], [12302, 117], [12328, 2341], [12329, 117], [12303, 2575], [12334, 1454]],
  );
});

test('M_ME_NC_1 short floats, SQ=0 and SQ=1 (zeek m_me_nc_1-1, -2, -sq-1)', () => {
  const one = parse(hex`
    68 12  02 ae 5c 8c  # I N(S)=22273 N(R)=17966
    0d 01 03 00 90 01   # type 13, 1 object, spontaneous, CA 400
    ae 15 00            # IOA 5550
    60 e5 96 c0         # -4.7155
    00                  # QDS
  `);
  assert.deepEqual(one.anomalies, []);
  assert.equal(one.apdu.sendSeq, 22273);
  assert.equal(one.apdu.recvSeq, 17966);
  assert.deepEqual(one.apdu.asdu!.objects, [{ ioa: 5550, value: -4.7155 }]);
  const two = parse(hex`68 12  56 d0 e6 54  0d 01 03 00 90 01  c6 15 00  cd 4c 2b 43  00  # 171.3 at IOA 5574`);
  assert.deepEqual(two.apdu.asdu!.objects, [{ ioa: 5574, value: 171.3 }]);
  const sq = parse(hex`
    68 17  52 d0 e6 54
    0d 82 03 00 90 01   # SQ=1, 2 objects
    c7 15 00            # base IOA 5575
    20 b0 c6 40  00     # 6.209
    ac 1c da be  00     # -0.426
  `);
  assert.deepEqual(sq.anomalies, []);
  assert.deepEqual(sq.apdu.asdu!.objects, [{ ioa: 5575, value: 6.209 }, { ioa: 5576, value: -0.426 }]);
});

test('M_ME_NC_1 SQ=1 with quality bits NT and IV (modelled on zeek m_me_nc_1-sq-2)', () => {
  const { apdu, anomalies } = parse(hex`
    68 21  ee ce c2 0e   # I N(S)=26487 N(R)=1889
    0d 84 14 00 90 01    # type 13, SQ=1, 4 objects, COT 20 interrogated by station, CA 400
    7d 15 00             # base IOA 5501
    3d 0a 57 3e  40      # 0.21, NT
    00 00 00 00  80      # 0, IV
    cd 4c 65 c3  00      # -229.3
    00 00 18 c1  01      # -9.5, OV
  `);
  assert.deepEqual(anomalies, []);
  assert.equal(apdu.asdu!.cot, 20);
  assert.deepEqual(apdu.asdu!.objects, [
    { ioa: 5501, value: 0.21, flags: ['nt'] },
    { ioa: 5502, value: 0, flags: ['iv'] },
    { ioa: 5503, value: -229.3 },
    { ioa: 5504, value: -9.5, flags: ['ov'] },
  ]);
});

test('M_ME_TF_1 floats with CP56Time2a (modelled on zeek m_me_tf_1-x2)', () => {
  const { apdu, anomalies } = parse(hex`
    68 28  de 0a aa 0c    # I N(S)=1391 N(R)=1621
    24 02 03 00 90 01     # type 36, 2 objects, spontaneous, CA 400
    5a 16 00  17 d9 96 40  00  c5 cb 1e 0d 05 0c 17   # 5722: 4.714 at 2023-12-05 13:30:52.165
    5b 16 00  b8 1e 45 3f  00  c5 cb 9e 8d 05 0c 17   # 5723: 0.77, time IV and SU set
  `);
  assert.deepEqual(anomalies, []);
  assert.deepEqual(apdu.asdu!.objects, [
    { ioa: 5722, value: 4.714, time: '2023-12-05T13:30:52.165' },
    { ioa: 5723, value: 0.77, time: '2023-12-05T13:30:52.165', time_iv: true, time_su: true },
  ]);
});

test('M_SP_NA_1 SQ=1 sequences: 3 objects, and 127 objects capped at 64 listed (zeek m_sp_na_1-sq, -sq-127)', () => {
  const three = parse(hex`
    68 10  1a d7 ec 54  01 83 14 00 90 01  e9 03 00  # M_SP_NA_1, SQ=1, 3 objects, COT 20, base IOA 1001
    00 01 f1                                          # off; on; on with BL SB NT IV
  `);
  assert.deepEqual(three.anomalies, []);
  assert.deepEqual(three.apdu.asdu!.objects, [
    { ioa: 1001, value: 0 },
    { ioa: 1002, value: 1 },
    { ioa: 1003, value: 1, flags: ['bl', 'sb', 'nt', 'iv'] },
  ]);
  const big = new Uint8Array(2 + 4 + 6 + 3 + 127);
  big.set(hex`68 8c  14 00 02 00  01 ff 14 00 90 01  e9 03 00  # SQ=1, 127 objects`);
  big[15 + 126] = 1;
  const r = parse(big);
  assert.deepEqual(r.anomalies, [A.objects_capped]);
  assert.equal(r.apdu.asdu!.numObjects, 127);
  assert.equal(r.apdu.asdu!.objectsDecoded, 127);
  assert.equal(r.apdu.asdu!.objects.length, 64);
});

test('monitoring elements: DIQ, VTI, BCR, SEP, CP24Time2a, normalized', () => {
  const r = parse(hex`
    68 0e  00 00 00 00  03 01 03 00 01 00  64 00 00  82   # M_DP_NA_1 IOA 100: on, NT clear... 0x82 = DPI 2 + IV
  `);
  assert.deepEqual(r.apdu.asdu!.objects, [{ ioa: 100, value: 2, state: 'on', flags: ['iv'] }]);
  const vti = parse(hex`68 0f  00 00 00 00  05 01 03 00 01 00  01 00 00  fe 00  # M_ST_NA_1: 0xfe = transient, -2`);
  assert.deepEqual(vti.apdu.asdu!.objects, [{ ioa: 1, value: -2, flags: ['transient'] }]);
  const bcr = parse(hex`68 12  00 00 00 00  0f 01 25 00 01 00  02 00 00  ff ff ff ff  65  # M_IT_NA_1: -1, seq 5, CY CA`);
  assert.deepEqual(bcr.apdu.asdu!.objects, [{ ioa: 2, value: -1, seq: 5, flags: ['cy', 'ca'] }]);
  assert.deepEqual(bcr.anomalies, []);
  const ep = parse(hex`68 13  00 00 00 00  11 01 03 00 01 00  03 00 00  0a  e8 03  10 27 05  # M_EP_TA_1`);
  assert.deepEqual(ep.apdu.asdu!.objects, [{ ioa: 3, value: 2, state: 'on', flags: ['ei'], elapsed_ms: 1000, time: '05:10.000' }]);
  const nva = parse(hex`68 10  00 00 00 00  09 01 01 00 01 00  04 00 00  00 c0  00  # M_ME_NA_1 -0.5 periodic`);
  assert.deepEqual(nva.apdu.asdu!.objects, [{ ioa: 4, value: -0.5 }]);
});

test('control elements: SCO select, DCO, QOS float, QOI, QCC, C_CS clock, QPM', () => {
  const sc = parse(hex`68 0e  00 00 00 00  2d 01 06 00 01 00  05 00 00  85  # C_SC_NA_1: ON, select, QU 1`);
  assert.deepEqual(sc.apdu.asdu!.objects, [{ ioa: 5, value: 1, qualifier: 1, se: 'select' }]);
  const dc = parse(hex`68 0e  00 00 00 00  2e 01 06 00 01 00  05 00 00  01  # C_DC_NA_1: OFF, execute`);
  assert.deepEqual(dc.apdu.asdu!.objects, [{ ioa: 5, value: 1, state: 'off', qualifier: 0, se: 'execute' }]);
  const se = parse(hex`68 12  00 00 00 00  32 01 06 00 01 00  06 00 00  00 00 48 41  00  # C_SE_NC_1 12.5`);
  assert.deepEqual(se.apdu.asdu!.objects, [{ ioa: 6, value: 12.5, qualifier: 0, se: 'execute' }]);
  const ic = parse(hex`68 0e  00 00 00 00  64 01 06 00 01 00  00 00 00  14  # C_IC_NA_1 station`);
  assert.deepEqual(ic.apdu.asdu!.objects, [{ ioa: 0, qualifier: 20, qualifier_name: 'station' }]);
  const ci = parse(hex`68 0e  00 00 00 00  65 01 06 00 01 00  00 00 00  45  # C_CI_NA_1 general, freeze`);
  assert.deepEqual(ci.apdu.asdu!.objects, [{ ioa: 0, qualifier: 0x45, qualifier_name: 'general/freeze' }]);
  const cs = parse(hex`68 14  00 00 00 00  67 01 06 00 01 00  00 00 00  00 00 00 00 01 01 1a  # C_CS_NA_1`);
  assert.deepEqual(cs.apdu.asdu!.objects, [{ ioa: 0, time: '2026-01-01T00:00:00.000' }]);
  const pm = parse(hex`68 10  00 00 00 00  6e 01 06 00 01 00  07 00 00  00 40  81  # P_ME_NA_1 0.5 KPA 1 POP`);
  assert.deepEqual(pm.apdu.asdu!.objects, [{ ioa: 7, value: 0.5, qualifier: 1, flags: ['pop'] }]);
});

test('every standard type id decodes one object of its declared size without anomalies', () => {
  const time = [0x00, 0x00, 0x00, 0x00, 0x01, 0x01, 0x1a]; // valid CP56Time2a; its first 3 bytes are a valid CP24
  let count = 0;
  for (const [code, t] of TYPE_IDS.entries()) {
    if (t === undefined) continue;
    count++;
    const element: number[] = [];
    let size = t.size;
    if (size < 0) size = 4; // F_SG_NA_1 with an empty segment
    for (let i = 0; i < size; i++) element.push(0);
    if (t.element === 'fbp') element.splice(0, 2, 0xaa, 0x55);
    if (t.element === 'cp56') element.splice(0, 7, ...time);
    if (t.element === 'query_log') element.splice(2, 14, ...time, ...time);
    const tag = t.time === 7 ? time : t.time === 3 ? time.slice(0, 3) : [];
    const asdu = [code, 1, 6, 0, 1, 0, 9, 0, 0, ...element, ...tag];
    const { apdu, anomalies } = parse(new Uint8Array([0x68, 4 + asdu.length, 0, 0, 0, 0, ...asdu]));
    assert.deepEqual(anomalies, [], t.name);
    assert.equal(apdu.asdu!.objectsDecoded, 1, t.name);
    assert.equal(apdu.asdu!.objects[0].ioa, 9, t.name);
  }
  assert.equal(count, 67);
});

test('malformed ASDUs: unknown type and cause, zero objects, truncation, invalid time, bad test pattern', () => {
  assert.deepEqual(parse(hex`68 0d  00 00 00 00  c8 01 03 00 01 00  00 00 00  # type 200`).anomalies, [A.unknown_type_id]);
  assert.deepEqual(parse(hex`68 0e  00 00 00 00  01 01 00 00 01 00  00 00 00 00  # COT 0`).anomalies, [A.unknown_cause]);
  assert.deepEqual(parse(hex`68 0a  00 00 00 00  01 00 03 00 01 00  # no objects`).anomalies, [A.zero_objects]);
  assert.deepEqual(parse(hex`68 0f  00 00 00 00  01 02 03 00 01 00  01 00 00 00  02  # 2nd object cut`).anomalies, [A.truncated_asdu]);
  assert.deepEqual(parse(hex`68 08  00 00 00 00  01 01 03 00  # ASDU header cut`).anomalies, [A.short_asdu]);
  const t = parse(hex`68 15  00 00 00 00  1e 01 03 00 01 00  01 00 00  01  ff ff 00 00 01 01 1a  # ms 65535`);
  assert.deepEqual(t.anomalies, [A.invalid_time]);
  assert.equal(t.apdu.asdu!.objects[0].time, null);
  assert.deepEqual(parse(hex`68 0f  00 00 00 00  68 01 06 00 01 00  00 00 00  00 00  # FBP 0`).anomalies, [A.bad_test_pattern]);
});

test('1-byte CA and 1-byte COT variants are parsed and noted', () => {
  const ca1 = parse(hex`68 0d  00 00 00 00  01 01 03 00 07  0a 00 00  01  # CA 1 byte`);
  assert.deepEqual(ca1.anomalies, [A.nonstandard_header]);
  assert.equal(ca1.apdu.asdu!.commonAddress, 7);
  assert.equal(ca1.apdu.asdu!.caSize, 1);
  assert.deepEqual(ca1.apdu.asdu!.objects, [{ ioa: 10, value: 1 }]);
  const both = parse(hex`68 0c  00 00 00 00  01 01 03 07  0a 00 00  01  # COT 1 byte, CA 1 byte`);
  assert.equal(both.apdu.asdu!.cotSize, 1);
  assert.equal(both.apdu.asdu!.commonAddress, 7);
});

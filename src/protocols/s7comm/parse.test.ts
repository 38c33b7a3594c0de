import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex } from '../../common/hex.js';
import { S7COMM_ANOMALIES } from './anomalies.js';
import { newCotp, parseCotp, parseS7, parseS7Plus, tpktLength } from './parse.js';
import { CR, PI_INSE, PLC_STOP, READ_ACK, READ_JOB, SETUP_ACK, SETUP_JOB, SZL_RESP, WRITE_ACK, WRITE_JOB, concatBytes, dt, textRecord } from './testkit.js';

const A = S7COMM_ANOMALIES.codes;
const S7_OFFSET = 7; // TPKT 4 + COTP DT 3

function s7(frame: Uint8Array, anomalies: string[] = []) {
  const pdu = parseS7(frame, S7_OFFSET, frame.length, anomalies);
  assert.ok(pdu);
  return pdu;
}

test('TPKT length: need more, not TPKT, frame length', () => {
  assert.equal(tpktLength(hex`03 00 00`, 0, 3), -1);
  assert.equal(tpktLength(hex`04 00 00 16`, 0, 4), -2);
  assert.equal(tpktLength(hex`03 00 00 06`, 0, 4), -2); // below the 7-byte minimum
  assert.equal(tpktLength(CR, 0, CR.length), 22);
});

test('COTP CR: TSAPs, TPDU size and rack/slot from the called TSAP', () => {
  const c = newCotp();
  assert.equal(parseCotp(CR, 4, CR.length, c), true);
  assert.equal(c.type, 0x0e);
  assert.equal(c.srcTsap, '0100');
  assert.equal(c.dstTsap, '0123');
  assert.equal(c.tpduSize, 1024);
  assert.deepEqual([c.connectionType, c.rack, c.slot], [1, 1, 3]);
});

test('COTP DT: end-of-TSDU flag and payload bounds; DR reason; LI beyond the frame', () => {
  const c = newCotp();
  const f = dt(hex`32 01`, false);
  assert.equal(parseCotp(f, 4, f.length, c), true);
  assert.equal(c.eot, false);
  assert.deepEqual([c.dataOffset, c.dataEnd], [7, 9]);
  const dr = hex`03 00 00 0b  06 80 00 01 00 02 80`; // DR, reason 0x80
  assert.equal(parseCotp(dr, 4, dr.length, c), true);
  assert.deepEqual([c.type, c.reason], [0x08, 0x80]);
  assert.equal(parseCotp(hex`03 00 00 07 09 f0 80`, 4, 7, c), false);
});

test('setup communication: AmQ and PDU length, request and ack_data', () => {
  const req = s7(SETUP_JOB);
  assert.deepEqual([req.rosctr, req.pduRef, req.func, req.amqCalling, req.amqCalled, req.pduLength], [1, 1, 0xf0, 1, 1, 480]);
  const ack = s7(SETUP_ACK);
  assert.deepEqual([ack.rosctr, ack.errorClass, ack.errorCode, ack.pduLength], [3, 0, 0, 240]);
});

test('read var: every S7ANY item (area, DB, byte.bit, transport size, length) and data items', () => {
  const req = s7(READ_JOB);
  assert.equal(req.itemCount, 2);
  assert.deepEqual(req.items, [
    { syntax: 0x10, transportSize: 2, length: 4, db: 5, area: 0x84, byte: 10, bit: 0 },
    { syntax: 0x10, transportSize: 1, length: 1, db: -1, area: 0x82, byte: 3, bit: 3 },
  ]);
  const resp = s7(READ_ACK);
  assert.deepEqual(resp.dataItems, [
    { returnCode: 0xff, transportSize: 4, length: 4 },
    { returnCode: 0xff, transportSize: 3, length: 1 },
  ]);
});

test('write var: items, data items and per-item return codes', () => {
  const req = s7(WRITE_JOB);
  assert.deepEqual(req.items[0], { syntax: 0x10, transportSize: 4, length: 1, db: -1, area: 0x83, byte: 10, bit: 0 });
  assert.deepEqual(req.dataItems, [{ returnCode: 0, transportSize: 4, length: 2 }]);
  assert.deepEqual(s7(WRITE_ACK).dataItems, [{ returnCode: 0xff, transportSize: 0, length: 0 }]);
});

test('DBREAD item syntax', () => {
  const f = dt(hex`
    32 01 00 00 00 07 00 0b 00 00
    04 01  12 07 b0 01 04 00 09 00 20   # DBREAD: 1 area, 4 bytes of DB9 from 32
  `);
  const req = s7(f);
  assert.deepEqual(req.items[0], { syntax: 0xb0, transportSize: -1, length: 4, db: 9, area: 0x84, byte: 32, bit: 0 });
});

test('userdata SZL 0x0011: order number, module version and firmware from the module identification records', () => {
  const resp = s7(SZL_RESP);
  assert.ok(resp.userdata);
  assert.deepEqual([resp.userdata.type, resp.userdata.group, resp.userdata.subfunction, resp.userdata.sequence], [8, 4, 1, 1]);
  assert.deepEqual([resp.szlId, resp.szlIndex, resp.szlRecordCount], [0x11, 0, 2]);
  assert.deepEqual(resp.identity, { order_number: '6ES7 123-4AB56-0CD7', hardware: '5', firmware: 'V4.1.2' });
});

test('userdata SZL 0x001c: module name, serial, module type, plant id, copyright', () => {
  const records = concatBytes(
    textRecord(1, 'AS-NAME', 32),
    textRecord(2, 'PLC_9', 32),
    textRecord(3, 'PLANT-7', 32),
    textRecord(4, 'Original Siemens Equipment', 32),
    textRecord(5, 'S X-1234', 32),
    textRecord(7, 'CPU 999', 32),
  );
  const data = concatBytes(hex`00 1c 00 00 00 22 00 06`, records);
  const frame = dt(
    concatBytes(
      hex`32 07 00 00 00 05 00 0c`,
      new Uint8Array([0, data.length + 4]),
      hex`00 01 12 08 12 84 01 01 00 00 00 00  ff 09`,
      new Uint8Array([0, data.length]),
      data,
    ),
  );
  const resp = s7(frame);
  assert.deepEqual(resp.identity, {
    plc_name: 'AS-NAME',
    module_name: 'PLC_9',
    plant_id: 'PLANT-7',
    copyright: 'Original Siemens Equipment',
    serial: 'S X-1234',
    module_type: 'CPU 999',
  });
});

test('userdata block functions: list blocks counts, block info request', () => {
  const list = s7(dt(hex`
    32 07 00 00 00 06 00 0c 00 0c
    00 01 12 08 12 83 01 01 00 00 00 00   # response, group 3 (block), list blocks
    ff 09 00 08  30 38 00 01  30 41 00 03  # OB: 1, DB: 3
  `));
  assert.deepEqual(list.blockCounts, { OB: 1, DB: 3 });
  const info = s7(dt(hex`
    32 07 00 00 00 07 00 08 00 0c
    00 01 12 04 11 43 03 00               # request, group 3, block info
    ff 09 00 08  30 41 30 30 30 30 37 41  # "0A00007A": DB 7, file system A
  `));
  assert.deepEqual([info.blockType, info.blockNumber, info.filesystem], ['DB', 7, 'A']);
});

test('request download: file name, block type and number, load memory length', () => {
  const pdu = s7(dt(hex`
    32 01 00 00 00 0a 00 20 00 00
    1a 00 01 00 00 00 00 00                  # request download, status, unknown, id
    09 5f 30 43 30 30 30 31 32 50            # "_0C00012P": FC 12, passive file system
    0d 31 30 30 30 31 30 30 30 30 30 30 35 30   # "1" "000100" "000050"
  `));
  assert.deepEqual([pdu.func, pdu.filename, pdu.blockType, pdu.blockNumber, pdu.filesystem, pdu.blockLength], [0x1a, '_0C00012P', 'FC', 12, 'P', 100]);
});

test('start upload ack_data: upload id and block length', () => {
  const pdu = s7(dt(hex`
    32 03 00 00 00 0b 00 10 00 00 00 00
    1d 00 01 00 00 00 00 07  07 30 30 30 30 32 31 36   # upload id 7, "0000216"
  `));
  assert.deepEqual([pdu.uploadId, pdu.blockLength], [7, 216]);
});

test('PI service _INSE with its block list; PLC stop service name', () => {
  const pi = s7(PI_INSE);
  assert.deepEqual([pi.piService, pi.piBlocks, pi.blockType, pi.blockNumber], ['_INSE', ['0C00012P'], 'FC', 12]);
  assert.equal(s7(PLC_STOP).piService, 'P_PROGRAM');
});

test('malformed: truncated header, lengths beyond the PDU, bad item, bad userdata head, unknown ROSCTR', () => {
  const an: string[] = [];
  assert.equal(parseS7(hex`32 01 00 00`, 0, 4, an), null);
  assert.deepEqual(an, [A.truncated]);
  an.length = 0;
  const cut = READ_JOB.slice(0, READ_JOB.length - 5);
  const pdu = parseS7(cut, 7, cut.length, an);
  assert.ok(pdu);
  assert.deepEqual(an, [A.truncated, A.bad_item]);
  assert.equal(pdu.items.length, 1);
  an.length = 0;
  parseS7(hex`32 07 00 00 00 01 00 08 00 00  01 00 10 10 00 00 00 00`, 0, 18, an);
  assert.deepEqual(an, [A.bad_userdata_param]);
  an.length = 0;
  parseS7(hex`32 05 00 00 00 01 00 00 00 00`, 0, 10, an);
  assert.deepEqual(an, [A.unknown_rosctr]);
});

test('S7comm-plus: version, integrity part, opcode, function and sequence', () => {
  const v3 = concatBytes(hex`72 03 00 20  20`, new Uint8Array(32), hex`31 00 00 05 4c 00 00 00 42 34 00 00 00 00`);
  const an: string[] = [];
  assert.deepEqual(parseS7Plus(v3, 0, v3.length, an), { version: 3, dataLength: 32, opcode: 0x31, func: 0x054c, sequence: 0x42, integrity: true });
  assert.deepEqual(parseS7Plus(hex`72 01 00 0a  32 00 00 04 ca 00 00 00 01`, 0, 13, an), {
    version: 1, dataLength: 10, opcode: 0x32, func: 0x04ca, sequence: 1, integrity: false,
  });
  assert.deepEqual(an, []);
  assert.equal(parseS7Plus(hex`72 01`, 0, 2, an), null);
  assert.deepEqual(an, [A.s7plus_truncated]);
});

test('time functions: BCD clock of a read clock response and of a set clock request', () => {
  const read = s7(dt(hex`
    32 07 00 00 00 0c 00 0c 00 0e
    00 01 12 08 12 87 01 01 00 00 00 00   # response, group 7 (time), read clock
    ff 09 00 0a
    00 20 24 11 27 18 05 09 12 34         # 2024-11-27 18:05:09.123, weekday 4
  `));
  assert.equal(read.clock, '2024-11-27T18:05:09.123');
  const set = s7(dt(hex`
    32 07 00 00 00 0d 00 08 00 0e
    00 01 12 04 11 47 02 00               # request, group 7, set clock
    ff 09 00 0a
    00 19 99 01 02 03 04 05 00 01         # 1999-01-02 03:04:05.000
  `));
  assert.equal(set.clock, '1999-01-02T03:04:05.000');
  const bad = s7(dt(hex`32 07 00 00 00 0d 00 08 00 0e  00 01 12 04 11 47 02 00  ff 09 00 0a  00 19 99 13 02 03 04 05 00 01`));
  assert.equal(bad.clock, ''); // month 13
});

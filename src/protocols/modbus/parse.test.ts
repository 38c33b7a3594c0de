// Annotated-hex tests of the Modbus/TCP ADU parser: every decoded function code, exceptions, malformed input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex } from '../../common/hex.js';
import { parseAdu } from './parse.js';

const req = (b: Uint8Array) => parseAdu(b, 0, false);
const resp = (b: Uint8Array) => parseAdu(b, 0, true);

test('MBAP header and read holding registers request/response', () => {
  const q = req(hex`
    00 2a        # transaction id 42
    00 00        # protocol id
    00 06        # length
    11           # unit id 17
    03           # read holding registers
    00 6b        # address 107
    00 03        # quantity 3
  `);
  assert.equal(q.transactionId, 42);
  assert.equal(q.unitId, 17);
  assert.equal(q.func, 3);
  assert.deepEqual(q.fields, { address: 107, quantity: 3 });
  assert.deepEqual(q.anomalies, []);
  const r = resp(hex`
    00 2a 00 00 00 09 11   # MBAP, length 9
    03                     # fc
    06                     # byte count
    02 2b 00 00 00 64      # 555, 0, 100
  `);
  assert.deepEqual(r.fields, { byte_count: 6, read_values: [555, 0, 100] });
  assert.equal(r.exceptionCode, -1);
});

test('read coils response unpacks bits LSB first', () => {
  const r = resp(hex`00 01 00 00 00 05 01  01  02  cd 01  # fc 1, byte count 2, bits`);
  assert.deepEqual(r.fields.read_values, [1, 0, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
});

test('read discrete inputs and input registers requests', () => {
  assert.deepEqual(req(hex`00 01 00 00 00 06 01  02  00 c4 00 16`).fields, { address: 196, quantity: 22 });
  assert.deepEqual(req(hex`00 01 00 00 00 06 01  04  00 08 00 01`).fields, { address: 8, quantity: 1 });
});

test('write single coil and register (request and echo)', () => {
  assert.deepEqual(req(hex`00 01 00 00 00 06 01  05  00 ac  ff 00  # coil 172 on`).fields, { address: 172, quantity: 1, write_values: [1] });
  assert.deepEqual(resp(hex`00 01 00 00 00 06 01  05  00 ac  00 00`).fields, { address: 172, quantity: 1, write_values: [0] });
  assert.deepEqual(req(hex`00 01 00 00 00 06 01  06  00 01  00 03`).fields, { address: 1, quantity: 1, write_values: [3] });
  assert.deepEqual(req(hex`00 01 00 00 00 06 01  05  00 01  12 34  # bad coil value`).anomalies, ['modbus.invalid_coil_value']);
});

test('write multiple coils and registers', () => {
  const c = req(hex`
    00 01 00 00 00 09 01
    0f          # write multiple coils
    00 13       # address 19
    00 0a       # quantity 10
    02          # byte count
    cd 01       # bits
  `);
  assert.deepEqual(c.fields, { address: 19, quantity: 10, byte_count: 2, write_values: [1, 0, 1, 1, 0, 0, 1, 1, 1, 0] });
  assert.deepEqual(c.anomalies, []);
  const r = req(hex`
    00 01 00 00 00 0b 01
    10          # write multiple registers
    00 01 00 02 # address 1, quantity 2
    04          # byte count
    00 0a 01 02 # 10, 258
  `);
  assert.deepEqual(r.fields, { address: 1, quantity: 2, byte_count: 4, write_values: [10, 258] });
  assert.deepEqual(resp(hex`00 01 00 00 00 06 01  10  00 01 00 02`).fields, { address: 1, quantity: 2 });
});

test('byte count mismatch and quantity out of range', () => {
  const r = req(hex`00 01 00 00 00 09 01  10  00 01 00 03  04  00 0a 01 02  # quantity 3 but 4 bytes`);
  assert.ok(r.anomalies.includes('modbus.byte_count_mismatch'));
  assert.deepEqual(req(hex`00 01 00 00 00 06 01  03  00 00 00 00  # quantity 0`).anomalies, ['modbus.quantity_out_of_range']);
  assert.deepEqual(req(hex`00 01 00 00 00 06 01  01  00 00 07 d1  # 2001 coils`).anomalies, ['modbus.quantity_out_of_range']);
});

test('read exception status, comm event counter and log', () => {
  assert.deepEqual(req(hex`00 01 00 00 00 02 01 07`).fields, {});
  assert.deepEqual(resp(hex`00 01 00 00 00 03 01  07  6d`).fields, { exception_status: 0x6d });
  assert.deepEqual(resp(hex`00 01 00 00 00 06 01  0b  ff ff  01 08`).fields, { status: 0xffff, event_count: 264 });
  const log = resp(hex`
    00 01 00 00 00 0b 01
    0c           # get comm event log
    08           # byte count
    00 00        # status
    01 08        # event count
    01 21        # message count
    20 00        # events
  `);
  assert.deepEqual(log.fields, { byte_count: 8, status: 0, event_count: 264, message_count: 289, events: '2000' });
  assert.deepEqual(log.anomalies, []);
});

test('diagnostics sub-function and data', () => {
  assert.deepEqual(req(hex`00 01 00 00 00 06 01  08  00 00  a5 37  # return query data`).fields, { sub_function: 0, request_data: 'a537' });
  assert.deepEqual(resp(hex`00 01 00 00 00 06 01  08  00 04  00 00`).fields, { sub_function: 4, response_data: '0000' });
});

test('report server id: text, server id and run indicator', () => {
  const r = resp(hex`
    00 01 00 00 00 0b 01
    11                     # report server id
    08                     # byte count
    2a                     # server id
    ff                     # run indicator on
    50 4c 43 2d 31 30      # "PLC-10"
  `);
  assert.equal(r.fields.server_id, 42);
  assert.equal(r.fields.run_indicator, 'on');
  assert.equal(r.fields.server_id_text, 'PLC-10');
  assert.equal(r.fields.server_id_data, '2aff504c432d3130');
});

test('read file record request and response', () => {
  const q = req(hex`
    00 01 00 00 00 11 01
    14                     # read file record
    0e                     # byte count
    06 00 04 00 01 00 02   # ref 6, file 4, record 1, length 2
    06 00 03 00 09 00 02   # ref 6, file 3, record 9, length 2
  `);
  assert.deepEqual(q.fields.file_requests, [
    { reference_type: 6, file_number: 4, record_number: 1, record_length: 2 },
    { reference_type: 6, file_number: 3, record_number: 9, record_length: 2 },
  ]);
  assert.deepEqual(q.anomalies, []);
  const r = resp(hex`
    00 01 00 00 00 0f 01
    14 0c                  # fc, byte count 12
    05 06 0d fe 00 20      # length 5, ref 6, 2 registers
    05 06 33 cd 00 40
  `);
  assert.deepEqual(r.fields.file_responses, [
    { reference_type: 6, values: [0x0dfe, 0x20] },
    { reference_type: 6, values: [0x33cd, 0x40] },
  ]);
  assert.deepEqual(r.anomalies, []);
});

test('write file record request with data', () => {
  const q = req(hex`
    00 01 00 00 00 10 01
    15 0d                  # write file record, byte count 13
    06 00 04 00 07 00 03   # ref 6, file 4, record 7, 3 registers
    06 af 04 be 10 0d
  `);
  assert.deepEqual(q.fields.file_requests, [{ reference_type: 6, file_number: 4, record_number: 7, record_length: 3, values: [0x06af, 0x04be, 0x100d] }]);
  assert.deepEqual(q.anomalies, []);
});

test('mask write register, read/write multiple registers, read FIFO', () => {
  assert.deepEqual(req(hex`00 01 00 00 00 08 01  16  00 04  00 f2  00 25`).fields, { address: 4, quantity: 1, and_mask: 0xf2, or_mask: 0x25 });
  const rw = req(hex`
    00 01 00 00 00 11 01
    17                     # read/write multiple registers
    00 03 00 06            # read 6 from 3
    00 0e 00 03            # write 3 at 14
    06                     # byte count
    00 ff 00 ff 00 ff
  `);
  assert.deepEqual(rw.fields, { address: 3, quantity: 6, write_address: 14, write_quantity: 3, byte_count: 6, write_values: [255, 255, 255] });
  assert.deepEqual(req(hex`00 01 00 00 00 04 01  18  04 de`).fields, { address: 1246 });
  const fifo = resp(hex`00 01 00 00 00 0a 01  18  00 06  00 02  01 b8 12 84`);
  assert.deepEqual(fifo.fields, { byte_count: 6, fifo_count: 2, read_values: [440, 4740] });
  assert.deepEqual(fifo.anomalies, []);
});

test('MEI 14 read device identification request and response', () => {
  assert.deepEqual(req(hex`00 01 00 00 00 05 01  2b  0e  01  00`).fields, { mei_type: 14, read_device_id_code: 1, object_id: 0 });
  const r = resp(hex`
    00 01 00 00 00 19 01
    2b 0e                  # fc 43, MEI 14
    01                     # basic
    81                     # conformity level
    00 00                  # more follows: no, next object 0
    03                     # 3 objects
    00 04 41 43 4d 45      # vendor name "ACME"
    01 03 58 31 30         # product code "X10"
    02 04 56 31 2e 32      # revision "V1.2"
  `);
  assert.deepEqual(r.fields, {
    mei_type: 14,
    read_device_id_code: 1,
    conformity_level: 0x81,
    more_follows: false,
    next_object_id: 0,
    objects: [
      { id: 0, name: 'vendor_name', value: 'ACME' },
      { id: 1, name: 'product_code', value: 'X10' },
      { id: 2, name: 'major_minor_revision', value: 'V1.2' },
    ],
  });
  assert.deepEqual(r.anomalies, []);
});

test('MEI 14 objects cut short, MEI 13 CANopen kept opaque', () => {
  const r = resp(hex`00 01 00 00 00 0c 01  2b 0e 01 01 00 00 02  00 09 41 42  # object longer than the PDU`);
  assert.deepEqual(r.anomalies, ['modbus.truncated_pdu']);
  assert.deepEqual(req(hex`00 01 00 00 00 05 01  2b  0d  01 02`).fields, { mei_type: 13, request_data: '0102' });
});

test('UMAS header: session, code, status', () => {
  assert.deepEqual(req(hex`00 01 00 00 00 05 01  5a  00  41  ff  # stop PLC`).fields, { umas_session: 0, umas_code: 0x41, request_data: 'ff' });
  assert.deepEqual(resp(hex`00 01 00 00 00 04 01  5a  00  fe`).fields, { umas_session: 0, umas_status: 0xfe, response_data: '' });
  const big = new Uint8Array(6 + 600);
  big.set(hex`00 01 00 00 02 58 01 5a 00 31`);
  const b = req(big);
  assert.deepEqual(b.anomalies, ['modbus.oversized_adu']);
  assert.equal(b.fields.data_truncated, true);
  assert.equal(b.fields.request_data!.length, 128);
});

test('exception responses and unknown codes', () => {
  const e = resp(hex`00 01 00 00 00 03 01  83  02  # illegal data address`);
  assert.equal(e.func, 3);
  assert.equal(e.exceptionCode, 2);
  assert.deepEqual(e.anomalies, []);
  assert.deepEqual(resp(hex`00 01 00 00 00 03 01  83  2f`).anomalies, ['modbus.unknown_exception_code']);
  assert.deepEqual(resp(hex`00 01 00 00 00 02 01  83`).anomalies, ['modbus.truncated_pdu']);
  const u = req(hex`00 01 00 00 00 04 01  41  de ad  # user-defined 65`);
  assert.deepEqual(u.anomalies, []);
  assert.equal(u.fields.request_data, 'dead');
  assert.deepEqual(req(hex`00 01 00 00 00 02 01  1d`).anomalies, ['modbus.unknown_function_code']);
});

test('truncated and trailing PDUs', () => {
  assert.deepEqual(req(hex`00 01 00 00 00 04 01  03  00 01`).anomalies, ['modbus.truncated_pdu']);
  assert.deepEqual(req(hex`00 01 00 00 00 08 01  03  00 01 00 01  aa bb`).anomalies, ['modbus.trailing_bytes']);
  const r = resp(hex`00 01 00 00 00 05 01  03  08  00 01  # byte count 8, 2 bytes`);
  assert.ok(r.anomalies.includes('modbus.byte_count_mismatch'));
  assert.deepEqual(r.fields.read_values, [1]);
});

test('values beyond the cap are cut and flagged', () => {
  const b = new Uint8Array(6 + 2 + 1 + 251);
  b.set(hex`00 01 00 00 00 fe 01  01  fb  # read coils, byte count 251: 2008 bits`);
  const r = resp(b);
  assert.equal(r.fields.read_values!.length, 2000);
  assert.equal(r.fields.values_truncated, true);
  assert.deepEqual(r.anomalies, ['modbus.values_capped']);
});

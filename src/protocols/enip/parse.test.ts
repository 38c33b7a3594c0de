import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex } from '../../common/hex.js';
import { A } from './anomalies.js';
import { cipService } from './codes.js';
import { parseCip, parseEncap, parseIoPacket, parsePath } from './parse.js';
import * as T from './testdata.js';
import type { CipRequest, CipResponse } from './types.js';

function parse(b: Uint8Array, dir: 0 | 1 = 0) {
  const anomalies: string[] = [];
  return { msg: parseEncap(b, 0, dir, anomalies), anomalies };
}

test('encapsulation header fields and RegisterSession', () => {
  const { msg, anomalies } = parse(T.REGISTER_REQUEST);
  assert.deepEqual(msg.header, { command: 0x65, length: 4, session: 0, status: 0, context: '0102030405060708', options: 0 });
  assert.equal(msg.protocolVersion, 1);
  assert.deepEqual(anomalies, []);
  const reply = parse(T.REGISTER_REPLY, 1).msg;
  assert.equal(reply.header.session, 0x11223344);
});

test('ListIdentity reply: every identity field', () => {
  const { msg, anomalies } = parse(T.LIST_IDENTITY_REPLY, 1);
  assert.deepEqual(anomalies, []);
  assert.deepEqual(msg.identities, [
    {
      vendor_id: 1,
      device_type: 0x0e,
      product_code: 54,
      revision: '20.11',
      status: 0x3060,
      serial: '0x12345678',
      product_name: '1756-L61/B LOGIX5561',
      state: 3,
      encap_version: 1,
      socket: { family: 2, port: 44818, address: '192.168.1.10' },
    },
  ]);
});

test('ListServices reply item', () => {
  const b = T.encap(0x04, 0, 0, T.CTX, hex`01 00  # 1 item
    00 01 14 00  # list_services item, 20 bytes
    01 00 20 01  # version 1, flags 0x120
    43 6f 6d 6d 75 6e 69 63 61 74 69 6f 6e 73 00 00  # "Communications"`);
  const { msg, anomalies } = parse(b, 1);
  assert.deepEqual(anomalies, []);
  assert.deepEqual(msg.services, [{ version: 1, flags: 0x120, name: 'Communications' }]);
});

test('SendRRData Get_Attributes_All request: path class/instance', () => {
  const { msg, anomalies } = parse(T.GET_IDENTITY_REQUEST);
  assert.deepEqual(anomalies, []);
  const req = msg.cip as CipRequest;
  assert.equal(req.kind, 'request');
  assert.equal(req.service, 1);
  assert.equal(req.path.cls, 1);
  assert.equal(req.path.instance, 1);
  assert.equal(req.path.text, 'class 0x01, instance 1');
});

test('Unconnected_Send unwrapped: embedded Read_Tag with symbol, count, route', () => {
  const { msg, anomalies } = parse(T.READ_TAG_ROUTED_REQUEST);
  assert.deepEqual(anomalies, []);
  const req = msg.cip as CipRequest;
  assert.equal(req.service, 0x52);
  assert.equal(req.route, 'port 1/0');
  assert.equal(req.embedded?.service, 0x4c);
  assert.equal(req.embedded?.path.symbol, 'Tag1');
  assert.equal(req.embedded?.elements, 1);
  assert.equal(cipService(0x52, 6, false).name, 'unconnected_send');
  assert.equal(cipService(0x52, -1, true).name, 'read_tag_fragmented');
  assert.equal(cipService(0x4c, 0xb2, false).name, 'unknown_0x4c');
});

test('Forward_Open request and reply parameters', () => {
  const req = parse(T.FORWARD_OPEN_REQUEST).msg.cip as CipRequest;
  assert.deepEqual(req.forwardOpen, {
    large: false,
    priority_time_tick: 0x0a,
    timeout_ticks: 0x0e,
    o_t_connection_id: 0,
    t_o_connection_id: 0x20000002,
    connection_serial: 7,
    originator_vendor_id: 1,
    originator_serial: 0x11223344,
    timeout_multiplier: 3,
    o_t_rpi_us: 2000000,
    o_t_params: 0x43f4,
    t_o_rpi_us: 2000000,
    t_o_params: 0x43f4,
    transport_trigger: 0xa3,
    connection_path: 'port 1/0, class 0x02, instance 1',
  });
  const rsp = parse(T.FORWARD_OPEN_REPLY, 1).msg.cip as CipResponse;
  assert.equal(rsp.forwardOpen?.o_t_connection_id, 0x101);
  assert.equal(rsp.forwardOpen?.t_o_api_us, 2000000);
});

test('Multiple_Service_Packet request and reply expanded', () => {
  const { msg, anomalies } = parse(T.MSP_REQUEST);
  assert.deepEqual(anomalies, []);
  assert.equal(msg.connectionId, 0x101);
  assert.equal(msg.sequence, 5);
  const req = msg.cip as CipRequest;
  assert.deepEqual(req.services?.map((s) => [s.service, s.path.cls, s.path.attribute]), [
    [0x0e, 1, 7],
    [0x10, 0xf5, 5],
  ]);
  const rsp = parse(T.MSP_REPLY, 1).msg.cip as CipResponse;
  assert.equal(rsp.status, 0x1e);
  assert.deepEqual(rsp.services?.map((s) => [s.service, s.status]), [
    [0x0e, 0],
    [0x10, 0x0f],
  ]);
});

test('CIP reply with extended status', () => {
  const anomalies: string[] = [];
  const rsp = parseCip(hex`d4 00 01 01 00 01  # forward_open reply, connection failure, 1 word: 0x0100`, 0, 6, anomalies, 0) as CipResponse;
  assert.equal(rsp.status, 1);
  assert.deepEqual(rsp.extStatus, [0x0100]);
});

test('EPATH segments: 16-bit class/instance, port with extended link, member, ANSI symbols', () => {
  const anomalies: string[] = [];
  const b = hex`21 00 6b 00  # class 0x006b (16-bit)
    25 00 10 27  # instance 10000 (16-bit)
    12 04 31 2e 32 2e  # port 2, link address "1.2." (4 bytes), even: no pad
    28 03        # member 3
    91 03 61 62 63 00  # symbol "abc" + pad
    91 02 64 65  # symbol "de"`;
  const p = parsePath(b, 0, b.length, anomalies);
  assert.deepEqual(anomalies, []);
  assert.equal(p.cls, 0x6b);
  assert.equal(p.instance, 10000);
  assert.equal(p.member, 3);
  assert.equal(p.symbol, 'abc.de');
  assert.equal(p.ports, '2/1.2.');
});

test('malformed: reserved segment, truncated path, bad MSP offsets, truncated identity', () => {
  const a1: string[] = [];
  parsePath(hex`e0 00`, 0, 2, a1);
  assert.deepEqual(a1, [A.bad_path]);
  const a2: string[] = [];
  parsePath(hex`21 00`, 0, 2, a2);
  assert.deepEqual(a2, [A.truncated]);
  const a3: string[] = [];
  parseCip(hex`0a 02 20 02 24 01  05 00 02 00`, 0, 10, a3, 0);
  assert.deepEqual(a3, [A.bad_multiple_service]);
  const trunc = T.LIST_IDENTITY_REPLY.slice(0, 24 + 30);
  trunc[2] = 30;
  const r = parse(trunc, 1);
  assert.deepEqual(r.msg.identities, []);
  assert.ok(r.anomalies.includes(A.bad_item_length));
});

test('truncated at every length never throws', () => {
  for (const m of [T.LIST_IDENTITY_REPLY, T.READ_TAG_ROUTED_REQUEST, T.FORWARD_OPEN_REQUEST, T.FORWARD_OPEN_REPLY, T.MSP_REQUEST, T.MSP_REPLY]) {
    for (let n = 24; n < m.length; n++) {
      const b = m.slice(0, n);
      b[2] = n - 24;
      b[3] = 0;
      parseEncap(b, 0, 0, []);
    }
  }
});

test('CIP I/O datagram', () => {
  assert.deepEqual(parseIoPacket(T.ioPacket(7)), { connectionId: 0x1234, sequence: 7, dataLength: 6 });
  assert.equal(parseIoPacket(T.REGISTER_REQUEST), null);
});

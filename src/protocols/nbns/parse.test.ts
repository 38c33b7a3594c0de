// Parser tests: first-level name decoding, registration with its NB record, node status names and unit id, malformed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex } from '../../common/hex.js';
import { decodeNetbiosName, parseMessage } from './parse.js';
import { REGISTRATION, STATUS_RESPONSE, concat, encodedName } from './testdata.js';

const parse = (b: Uint8Array) => parseMessage(b, 0, b.length);

test('first-level decoding: padding dropped, suffix kept, wildcard, scope, not encoded', () => {
  const text = (b: Uint8Array) => new TextDecoder().decode(b.subarray(1)).toLowerCase();
  assert.equal(text(encodedName('WORKSTATION3', 0)), 'fhepfcelfdfeebfeejepeoddcacacaaa');
  assert.deepEqual(decodeNetbiosName('fhepfcelfdfeebfeejepeoddcacacaaa'), { name: 'WORKSTATION3', suffix: 0, scope: '' });
  assert.deepEqual(decodeNetbiosName('ckaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.corp'), { name: '*', suffix: 0, scope: 'corp' });
  assert.deepEqual(decodeNetbiosName('printer.local'), { name: 'printer.local', suffix: -1, scope: '' });
});

test('a registration: name, suffix, broadcast flag, registered address', () => {
  const m = parse(REGISTRATION);
  assert.deepEqual(m.anomalies, []);
  assert.equal(m.opcode, 5);
  assert.equal(m.broadcast, true);
  assert.deepEqual(m.name, { name: 'PLC-HMI', suffix: 0, scope: '' });
  assert.equal(m.qtype, 0x20);
  assert.equal(m.ttl, 300000);
  assert.deepEqual(m.addresses, [{ ip: '192.168.1.40', group: false, node_type: 'h' }]);
});

test('a node status response: names with group flags and the unit id', () => {
  const m = parse(STATUS_RESPONSE);
  assert.deepEqual(m.anomalies, []);
  assert.deepEqual(m.name, { name: '*', suffix: 0, scope: '' });
  assert.deepEqual(m.statusNames, [
    { name: 'RTU-7', suffix: 0, suffix_name: 'workstation', group: false },
    { name: 'WORKGROUP', suffix: 0, suffix_name: 'workstation', group: true },
    { name: 'RTU-7', suffix: 0x20, suffix_name: 'file_server', group: false },
  ]);
  assert.equal(m.mac, '00:1b:1b:aa:bb:cc');
});

test('malformed: short header, cut record, odd NB data, name not encoded', () => {
  assert.deepEqual(parse(hex`80 10 29`).anomalies, ['nbns.truncated_message']);
  assert.deepEqual(parse(REGISTRATION.slice(0, REGISTRATION.length - 3)).anomalies, ['nbns.truncated_message']);
  const odd = concat(hex`00 01 85 00 00 00 00 01 00 00 00 00`, encodedName('A', 0x20), hex`00 00 20 00 01 00 00 00 10 00 04 60 00 0a 00`);
  assert.deepEqual(parse(odd).anomalies, ['nbns.bad_rdata']);
  assert.deepEqual(parse(hex`00 01 01 00 00 01 00 00 00 00 00 00  03 61 62 63 00  00 20 00 01`).anomalies, ['nbns.bad_name_encoding']);
});

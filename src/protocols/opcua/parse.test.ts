import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex } from '../../common/hex.js';
import { statusName } from './codes.js';
import { headerProblem, parseChunk, parseService, policyName, readNodeId, Reader, variant } from './parse.js';
import * as S from './samples.js';

const never = () => false;

test('HEL and ACK fields', () => {
  const hel = parseChunk(S.HEL, 0, S.HEL.length, never);
  assert.equal(hel.type, 'HEL');
  assert.deepEqual(hel.hello, {
    version: 0,
    receive_buffer_size: 65536,
    send_buffer_size: 65536,
    max_message_size: 16777216,
    max_chunk_count: 0,
    endpoint_url: 'opc.tcp://plc:4840',
  });
  const ack = parseChunk(S.ACK, 0, S.ACK.length, never);
  assert.equal(ack.hello?.max_message_size, 16777216);
  assert.equal(ack.hello?.endpoint_url, undefined);
  assert.deepEqual(ack.anomalies, []);
});

test('ERR carries a status code and a reason', () => {
  const err = parseChunk(S.ERR, 0, S.ERR.length, never);
  assert.equal(err.error_code, 0x807e0000);
  assert.equal(statusName(err.error_code!), 'BadTcpMessageTypeInvalid');
  assert.equal(err.reason, 'bad type');
});

test('OPN: channel, policy, certificate lengths, sequence header, then the service body', () => {
  const c = parseChunk(S.OPN_REQUEST, 0, S.OPN_REQUEST.length, never);
  assert.equal(c.secure_channel_id, 0);
  assert.equal(policyName(c.security_policy_uri), 'None');
  assert.equal(c.sender_certificate_length, -1);
  assert.equal(c.receiver_thumbprint_length, -1);
  assert.equal(c.sequence_number, 1);
  assert.equal(c.request_id, 1);
  const s = parseService(S.OPN_REQUEST, c.body_offset, S.OPN_REQUEST.length);
  assert.equal(s.kind, 'request');
  assert.equal(s.service?.service, 'OpenSecureChannel');
  assert.equal(s.security_mode, 'none');
  assert.equal(s.request_type, 'issue');
  assert.deepEqual(s.anomalies, []);
});

test('encrypted OPN: the asymmetric header is visible, the sequence header is not', () => {
  const c = parseChunk(S.OPN_ENCRYPTED_REQUEST, 0, S.OPN_ENCRYPTED_REQUEST.length, (_type, policy) => policyName(policy) !== 'None');
  assert.equal(policyName(c.security_policy_uri), 'Basic256Sha256');
  assert.equal(c.sender_certificate_length, 4);
  assert.equal(c.receiver_thumbprint_length, 20);
  assert.equal(c.body_offset, -1);
  assert.equal(c.request_id, undefined);
});

test('Read request and response: nodes, attributes, values and statuses', () => {
  const c = parseChunk(S.READ_REQUEST, 0, S.READ_REQUEST.length, never);
  assert.equal(c.token_id, 1);
  const req = parseService(S.READ_REQUEST, c.body_offset, S.READ_REQUEST.length);
  assert.equal(req.request_handle, 7);
  assert.equal(req.item_count, 2);
  assert.deepEqual(req.items, [
    { node: 'ns=1;i=1234', attribute: 'Value', attribute_id: 13 },
    { node: 'ns=2;s=Tank.Level', attribute: 'DisplayName', attribute_id: 4 },
  ]);
  const rc = parseChunk(S.READ_RESPONSE, 0, S.READ_RESPONSE.length, never);
  const resp = parseService(S.READ_RESPONSE, rc.body_offset, S.READ_RESPONSE.length);
  assert.equal(resp.kind, 'response');
  assert.equal(resp.service_result, 0);
  assert.deepEqual(resp.values, [
    { type: 'Double', value: 1 },
    { type: 'Null', value: null, status: '0x80350000' },
  ]);
  assert.deepEqual(resp.anomalies, []);
});

test('Write request: variant arrays; Write response: per-node status codes', () => {
  const c = parseChunk(S.WRITE_REQUEST, 0, S.WRITE_REQUEST.length, never);
  const req = parseService(S.WRITE_REQUEST, c.body_offset, S.WRITE_REQUEST.length);
  assert.deepEqual(req.items, [
    { node: 'ns=1;i=1234', attribute: 'Value', attribute_id: 13, value: { type: 'Int32', value: [1, -2], array_length: 2 } },
  ]);
  const rc = parseChunk(S.WRITE_RESPONSE, 0, S.WRITE_RESPONSE.length, never);
  const resp = parseService(S.WRITE_RESPONSE, rc.body_offset, S.WRITE_RESPONSE.length);
  assert.deepEqual(resp.results.map(statusName), ['BadNotWritable']);
});

test('Call request: object and method ids, input arguments; ServiceFault', () => {
  const c = parseChunk(S.CALL_REQUEST, 0, S.CALL_REQUEST.length, never);
  const req = parseService(S.CALL_REQUEST, c.body_offset, S.CALL_REQUEST.length);
  assert.deepEqual(req.items, [{ node: 'ns=1;i=1000', method: 'ns=1;i=1001' }]);
  assert.deepEqual(req.values, [{ type: 'String', value: 'start' }]);
  const fc = parseChunk(S.SERVICE_FAULT, 0, S.SERVICE_FAULT.length, never);
  const fault = parseService(S.SERVICE_FAULT, fc.body_offset, S.SERVICE_FAULT.length);
  assert.equal(fault.kind, 'fault');
  assert.equal(statusName(fault.service_result!), 'BadUserAccessDenied');
});

test('GetEndpoints response: application description and endpoint security', () => {
  const c = parseChunk(S.GET_ENDPOINTS_RESPONSE, 0, S.GET_ENDPOINTS_RESPONSE.length, never);
  const s = parseService(S.GET_ENDPOINTS_RESPONSE, c.body_offset, S.GET_ENDPOINTS_RESPONSE.length);
  assert.equal(s.endpoint_count, 1);
  assert.deepEqual(s.endpoints[0], {
    endpoint_url: 'opc.tcp://plc:4840',
    security_mode: 'sign_and_encrypt',
    security_policy: 'Basic256Sha256',
    security_level: 3,
    server: {
      application_uri: 'urn:vendor:plc',
      product_uri: 'http://vendor.example/plc-one',
      application_name: 'PLC One',
      application_type: 'server',
      discovery_urls: [],
    },
  });
  assert.deepEqual(s.anomalies, []);
});

test('NodeId encodings: two-byte, four-byte, numeric, string, guid, opaque, expanded flags', () => {
  const cases: [Uint8Array, string, number][] = [
    [hex`00 55  # two-byte i=85`, 'i=85', 85],
    [hex`01 00 77 02  # four-byte ns=0 i=631`, 'i=631', 631],
    [hex`02 03 00 40 e2 01 00  # numeric ns=3 i=123456`, 'ns=3;i=123456', -1],
    [hex`03 01 00 02 00 00 00 41 42  # string ns=1 "AB"`, 'ns=1;s=AB', -1],
    [hex`04 02 00  78 56 34 12 34 12 78 56 01 02 03 04 05 06 07 08  # guid ns=2`, 'ns=2;g=12345678-1234-5678-0102-030405060708', -1],
    [hex`05 01 00 02 00 00 00 de ad  # opaque ns=1`, 'ns=1;b=dead', -1],
    [hex`41 00 77 02  07 00 00 00  # four-byte with server index 7`, 'svr=7;i=631', -1],
    [hex`81 00 05 00  03 00 00 00 75 72 6e  # four-byte with namespace URI "urn"`, 'nsu=urn;i=5', -1],
  ];
  for (const [bytes, text, numeric] of cases) {
    const r = new Reader(bytes, 0, bytes.length);
    const id = readNodeId(r, true);
    assert.equal(id.text, text);
    assert.equal(id.numeric, numeric);
    assert.equal(r.bad, null);
    assert.equal(r.off, bytes.length);
  }
  const bad = new Reader(hex`07 00  # encoding 7 is undefined`, 0, 2);
  readNodeId(bad, false);
  assert.equal(bad.bad, 'opcua.unknown_node_id_encoding');
});

test('Variant scalars of the built-in types', () => {
  const cases: [Uint8Array, unknown][] = [
    [hex`01 01  # Boolean true`, { type: 'Boolean', value: true }],
    [hex`02 ff  # SByte -1`, { type: 'SByte', value: -1 }],
    [hex`04 fe ff  # Int16 -2`, { type: 'Int16', value: -2 }],
    [hex`07 ff ff ff ff  # UInt32 max`, { type: 'UInt32', value: 4294967295 }],
    [hex`08 ff ff ff ff ff ff ff ff  # Int64 -1`, { type: 'Int64', value: '-1' }],
    [hex`0a 00 00 80 3f  # Float 1.0`, { type: 'Float', value: 1 }],
    [hex`0f 02 00 00 00 ab cd  # ByteString`, { type: 'ByteString', value: 'abcd' }],
    [hex`13 00 00 34 80  # StatusCode`, { type: 'StatusCode', value: '0x80340000' }],
    [hex`14 02 00 01 00 00 00 58  # QualifiedName 2:X`, { type: 'QualifiedName', value: '2:X' }],
    [hex`15 02 02 00 00 00 48 69  # LocalizedText "Hi"`, { type: 'LocalizedText', value: 'Hi' }],
    [hex`16 01 00 40 01 01 02 00 00 00 aa bb  # ExtensionObject i=320, 2-byte body`, { type: 'ExtensionObject', value: { type_id: 'i=320', length: 2 } }],
    [hex`00  # Null`, { type: 'Null', value: null }],
  ];
  for (const [bytes, expected] of cases) {
    const anomalies: string[] = [];
    const r = new Reader(bytes, 0, bytes.length);
    assert.deepEqual(variant(r, 0, anomalies), expected);
    assert.equal(r.bad, null);
    assert.equal(r.off, bytes.length);
  }
});

test('malformed input: bad headers, truncation, negative lengths, never a throw', () => {
  assert.equal(headerProblem(hex`58 59 5a 46 10 00 00 00  # XYZ`, 0), 'opcua.bad_message_type');
  assert.equal(headerProblem(hex`4d 53 47 58 20 00 00 00  # MSG with chunk X`, 0), 'opcua.bad_message_type');
  assert.equal(headerProblem(hex`4d 53 47 46 10 00 00 00  # MSG of 16 bytes (< 24)`, 0), 'opcua.invalid_message_size');
  assert.equal(headerProblem(S.READ_REQUEST, 0), null);
  const truncated = parseService(S.READ_REQUEST, 24, S.READ_REQUEST.length - 5);
  assert.ok(truncated.anomalies.includes('opcua.truncated_message'));
  const negative = hex`0c fe ff ff ff  # String of length -2`;
  const r = new Reader(negative, 0, negative.length);
  variant(r, 0, []);
  assert.equal(r.bad, 'opcua.invalid_string_length');
  const unknown = parseService(hex`01 00 39 30  # type id i=12345`, 0, 4);
  assert.equal(unknown.kind, 'unknown');
  assert.deepEqual(unknown.anomalies, ['opcua.unknown_service']);
  for (let cut = 0; cut < S.GET_ENDPOINTS_RESPONSE.length; cut++) {
    parseChunk(S.GET_ENDPOINTS_RESPONSE, 0, cut < 24 ? 24 : cut, never);
    parseService(S.GET_ENDPOINTS_RESPONSE, 24, cut);
  }
});

test('nesting is capped', () => {
  const deep = new Uint8Array(20).fill(0x18); // Variant of Variant of ...
  const anomalies: string[] = [];
  variant(new Reader(deep, 0, deep.length), 0, anomalies);
  assert.ok(anomalies.includes('opcua.nesting_too_deep'));
});

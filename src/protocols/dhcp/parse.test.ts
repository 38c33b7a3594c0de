// Parser tests: BOOTP header, options, option overload, malformed options, BOOTP without cookie.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex } from '../../common/hex.js';
import { looksLikeDhcp, parseMessage } from './parse.js';
import { ACK, NO_SNAME_FILE, REQUEST, concat } from './testdata.js';

test('a request: header and the options that identify the client', () => {
  const m = parseMessage(REQUEST)!;
  assert.deepEqual(m.anomalies, []);
  assert.deepEqual(m.fields, {
    op: 1,
    xid: 0x3d1d4e5f,
    msg_type: 3,
    secs: 0,
    broadcast: true,
    client_mac: '00:0e:8c:12:34:56',
    requested_ip: '192.168.1.50',
    server_id: '192.168.1.1',
    host_name: 'PLC-1',
    vendor_class: 'MSFT 5.0',
    param_list: '1,3,6,15',
    client_id: '00:0e:8c:12:34:56',
    options: [53, 50, 54, 12, 60, 55, 61],
  });
  assert.equal(looksLikeDhcp(REQUEST), true);
});

test('an ack: yiaddr, lease, network options', () => {
  const f = parseMessage(ACK)!.fields;
  assert.equal(f.yiaddr, '192.168.1.50');
  assert.equal(f.lease_time, 3600);
  assert.equal(f.subnet_mask, '255.255.255.0');
  assert.equal(f.router, '192.168.1.1');
  assert.deepEqual(f.dns_servers, ['192.168.1.1', '8.8.8.8']);
  assert.equal(f.domain_name, 'lab');
});

test('option overload: options continue in the file field; FQDN in wire format', () => {
  const file = new Uint8Array(128);
  file.set(hex`0c 02 68 31  51 07 04 00 00 02 68 32 00  ff  # host name "h1", fqdn h2. (E flag)`);
  const b = concat(REQUEST.subarray(0, 236 - 192), new Uint8Array(64), file, hex`63 82 53 63  35 01 01  34 01 01  ff  # discover, overload: file`);
  const m = parseMessage(b)!;
  assert.deepEqual(m.anomalies, []);
  assert.equal(m.fields.msg_type, 1);
  assert.equal(m.fields.host_name, 'h1');
  assert.equal(m.fields.fqdn, 'h2');
});

test('malformed: short, no cookie, option past the end, wrong lengths, unknown type', () => {
  assert.equal(parseMessage(REQUEST.subarray(0, 100)), null);
  const bootp = parseMessage(REQUEST.subarray(0, 236))!;
  assert.deepEqual(bootp.anomalies, ['dhcp.no_magic_cookie']);
  assert.equal(bootp.fields.msg_type, 0);
  const head = REQUEST.subarray(0, 240);
  assert.deepEqual(parseMessage(concat(head, hex`35 01 03  0c 09 41`))!.anomalies, ['dhcp.truncated_option']);
  assert.deepEqual(parseMessage(concat(head, hex`35 02 03 00  32 03 01 02 03  ff`))!.anomalies, ['dhcp.bad_option_length', 'dhcp.bad_option_length']);
  assert.deepEqual(parseMessage(concat(head, hex`35 01 63  ff`))!.anomalies, ['dhcp.unknown_message_type']);
  assert.equal(looksLikeDhcp(concat(REQUEST.subarray(0, 236), hex`00 00 00 00`)), false);
  assert.equal(NO_SNAME_FILE.length, 192);
});

// BACnet/IP parser: BVLC functions, NPDU routing and network messages, APDU types and the decoded services.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex } from '../../common/hex.js';
import { prng } from '../../common/prng.js';
import { parseDatagram } from './parse.js';
import { I_AM, RP_ACK, RP_REQUEST, WHO_IS } from './testdata.js';

test('who-is with its range', () => {
  const p = parseDatagram(WHO_IS);
  assert.deepEqual(p.anomalies, []);
  assert.equal(p.bvlcFunction, 0x0b);
  assert.equal(p.apduType, 1);
  assert.equal(p.service, 8);
  assert.equal(p.fields.service_name, 'who_is');
  assert.equal(p.fields.low_limit, 100);
  assert.equal(p.fields.high_limit, 300);
});

test('i-am: device instance, max APDU, segmentation, vendor id; global broadcast NPDU', () => {
  const p = parseDatagram(I_AM);
  assert.deepEqual(p.anomalies, []);
  const f = p.fields;
  assert.equal(f.dnet, 0xffff);
  assert.equal(f.dadr, '');
  assert.equal(f.hop_count, 255);
  assert.equal(f.device_instance, 108);
  assert.equal(f.object_type_name, 'device');
  assert.equal(f.max_apdu, 480);
  assert.equal(f.segmentation_name, 'segmented_both');
  assert.equal(f.vendor_id, 42);
});

test('read-property request and ACK with a character string value', () => {
  const rq = parseDatagram(RP_REQUEST);
  assert.deepEqual(rq.anomalies, []);
  assert.equal(rq.invokeId, 1);
  assert.equal(rq.fields.max_apdu, 1476);
  assert.equal(rq.fields.expecting_reply, true);
  assert.equal(rq.fields.object_type_name, 'device');
  assert.equal(rq.fields.instance, 108);
  assert.equal(rq.fields.property_name, 'object_name');
  const ack = parseDatagram(RP_ACK);
  assert.deepEqual(ack.anomalies, []);
  assert.equal(ack.apduType, 3);
  assert.equal(ack.fields.value, 'RTU-1');
});

test('write-property: real value, priority, array index absent', () => {
  const p = parseDatagram(hex`
    81 0a 00 1a  01 04   # length 26
    00 05 02 0f          # confirmed, invoke 2, write-property
    0c 00 40 00 01       # [0] analog-output 1
    19 55                # [1] present-value
    3e 44 42 48 00 00 3f # [3] { real 50.0 }
    49 08                # [4] priority 8
  `);
  assert.deepEqual(p.anomalies, []);
  assert.equal(p.fields.object_type_name, 'analog_output');
  assert.equal(p.fields.instance, 1);
  assert.equal(p.fields.property_name, 'present_value');
  assert.equal(p.fields.value, 50);
  assert.equal(p.fields.priority, 8);
});

test('read-property-multiple request and ACK with a value and an error', () => {
  const rq = parseDatagram(hex`
    81 0a 00 15  01 04
    00 05 03 0e          # confirmed, invoke 3, read-property-multiple
    0c 00 00 00 05       # [0] analog-input 5
    1e 09 55 09 67 1f    # [1] { [0] present-value, [0] reliability }
  `);
  assert.deepEqual(rq.anomalies, []);
  assert.equal(rq.fields.items_total, 2);
  assert.equal(rq.fields.items![1].property_name, 'reliability');
  const ack = parseDatagram(hex`
    81 0a 00 21  01 00   # length 33
    30 03 0e             # complex ACK, invoke 3
    0c 00 00 00 05 1e    # [0] analog-input 5, [1] {
    29 55 4e 44 41 20 00 00 4f   # [2] present-value [4] { real 10.0 }
    29 67 5e 91 02 91 20 5f      # [2] reliability [5] { class property, code unknown-property }
    1f                   # }
  `);
  assert.deepEqual(ack.anomalies, []);
  assert.equal(ack.fields.items![0].value, 10);
  assert.equal(ack.fields.items![1].error_class_name, 'property');
  assert.equal(ack.fields.items![1].error_code_name, 'unknown_property');
});

test('write-property-multiple with several values', () => {
  const p = parseDatagram(hex`
    81 0a 00 23  01 04   # length 35
    00 05 04 10          # confirmed, invoke 4, write-property-multiple
    0c 00 80 00 02 1e    # [0] analog-value 2, [1] {
    09 55 2e 44 3f 80 00 00 2f 39 0a   # [0] present-value [2] { real 1.0 } [3] priority 10
    09 57 2e 00 21 05 2f               # [0] priority-array [2] { null, unsigned 5 }
    1f
  `);
  assert.deepEqual(p.anomalies, []);
  assert.equal(p.fields.items_total, 2);
  assert.equal(p.fields.items![0].value, 1);
  assert.equal(p.fields.items![0].priority, 10);
  assert.deepEqual(p.fields.items![1].values, [null, 5]);
});

test('device-communication-control: duration, disable, password present but never exported', () => {
  const p = parseDatagram(hex`
    81 0a 00 17  01 04
    00 05 05 11          # confirmed, invoke 5, device-communication-control
    09 05                # [0] 5 minutes
    19 01                # [1] disable
    2d 07 00 73 65 63 72 65 74   # [2] password "secret"
  `);
  assert.deepEqual(p.anomalies, []);
  assert.equal(p.fields.time_duration, 5);
  assert.equal(p.fields.enable_disable_name, 'disable');
  assert.equal(p.fields.password_present, true);
  assert.ok(!JSON.stringify(p).includes('secret') && !JSON.stringify(p).includes('736563726574'));
});

test('reinitialize-device: warmstart with password', () => {
  const p = parseDatagram(hex`
    81 0a 00 12  01 04
    00 05 06 14          # confirmed, invoke 6, reinitialize-device
    09 01                # [0] warmstart
    1d 04 00 70 77 64    # [1] password
  `);
  assert.deepEqual(p.anomalies, []);
  assert.equal(p.fields.reinit_state_name, 'warmstart');
  assert.equal(p.fields.password_present, true);
});

test('error, reject and abort PDUs', () => {
  const e = parseDatagram(hex`81 0a 00 0d 01 00  50 01 0c  91 02 91 20  # error invoke 1 read-property: property/unknown-property`);
  assert.equal(e.errorCode, 32);
  assert.equal(e.errorName, 'unknown_property');
  assert.equal(e.fields.error_class_name, 'property');
  const r = parseDatagram(hex`81 0a 00 09 01 00  60 01 09  # reject invoke 1: unrecognized-service`);
  assert.equal(r.fields.reject_reason_name, 'unrecognized_service');
  const a = parseDatagram(hex`81 0a 00 09 01 00  71 01 04  # abort by server invoke 1: segmentation-not-supported`);
  assert.equal(a.fields.abort_reason_name, 'segmentation_not_supported');
  assert.equal(a.fields.sent_by_server, true);
  const w = parseDatagram(hex`81 0a 00 11 01 00  50 07 10  0e 91 02 91 28 0f  1c  # WPM error wrapped in [0], then [1]`);
  assert.equal(w.errorName, 'write_access_denied');
});

test('who-has by name and i-have', () => {
  const wh = parseDatagram(hex`81 0b 00 0f 01 00  10 07  3d 05 00 41 48 55 31  # [3] name "AHU1"`);
  assert.deepEqual(wh.anomalies, []);
  assert.equal(wh.fields.object_name, 'AHU1');
  const ih = parseDatagram(hex`
    81 0b 00 19 01 00  10 01
    c4 02 00 00 6c       # device 108
    c4 00 00 00 01       # analog-input 1
    75 05 00 41 48 55 31 # "AHU1"
  `);
  assert.deepEqual(ih.anomalies, []);
  assert.equal(ih.fields.device_instance, 108);
  assert.equal(ih.fields.object_type_name, 'analog_input');
  assert.equal(ih.fields.object_name, 'AHU1');
});

test('BVLC functions: result NAK, BDT and FDT tables, register, delete, forwarded NPDU', () => {
  const nak = parseDatagram(hex`81 00 00 06 00 30  # result: register-foreign-device NAK`);
  assert.equal(nak.fields.bvlc_result_name, 'register_foreign_device_nak');
  const bdt = parseDatagram(hex`81 03 00 0e  c0 a8 01 01 ba c0  ff ff ff ff  # read-bdt-ack, one entry`);
  assert.deepEqual(bdt.fields.bdt, [{ address: '192.168.1.1:47808', mask: '255.255.255.255' }]);
  const fdt = parseDatagram(hex`81 07 00 0e  c0 a8 01 02 ba c0  00 3c  00 1e  # read-fdt-ack: ttl 60, 30 left`);
  assert.deepEqual(fdt.fields.fdt, [{ address: '192.168.1.2:47808', ttl: 60, remaining: 30 }]);
  assert.equal(parseDatagram(hex`81 05 00 06 00 3c`).fields.fd_ttl, 60);
  assert.equal(parseDatagram(hex`81 08 00 0a c0 a8 01 02 ba c0`).fields.fdt_entry, '192.168.1.2:47808');
  const fwd = parseDatagram(hex`81 04 00 0e  c0 a8 01 05 ba c0  01 00  10 08  # forwarded who-is`);
  assert.equal(fwd.fields.forwarded_from, '192.168.1.5:47808');
  assert.equal(fwd.fields.service_name, 'who_is');
  assert.equal(parseDatagram(hex`81 02 00 04`).fields.bvlc_function_name, 'read_broadcast_distribution_table');
});

test('routed NPDU: DNET/DADR, SNET/SADR, hop count', () => {
  const p = parseDatagram(hex`
    81 0a 00 1f
    01 2c                # version 1; control: DNET, SNET, expecting reply
    00 03 01 6c          # DNET 3, DLEN 1, DADR 6c
    00 05 06 c0 a8 01 05 ba c0   # SNET 5, SLEN 6, SADR 192.168.1.5:47808
    ff                   # hop count
    00 05 06 0c 0c 02 00 00 6c 19 4d
  `);
  assert.deepEqual(p.anomalies, []);
  assert.equal(p.fields.dnet, 3);
  assert.equal(p.fields.dadr, '6c');
  assert.equal(p.fields.snet, 5);
  assert.equal(p.fields.sadr, '192.168.1.5:47808');
  assert.equal(p.fields.hop_count, 255);
  assert.equal(p.dest, '3/6c');
});

test('network-layer messages with their network numbers', () => {
  const wir = parseDatagram(hex`81 0b 00 09 01 80 00 00 03  # who-is-router-to-network 3`);
  assert.equal(wir.fields.network_message_name, 'who_is_router_to_network');
  assert.deepEqual(wir.fields.networks, [3]);
  assert.deepEqual(parseDatagram(hex`81 0b 00 0b 01 80 01 00 02 00 03`).fields.networks, [2, 3]);
  const rej = parseDatagram(hex`81 0a 00 0a 01 80 03 01 00 07  # reject-message: not directly connected, net 7`);
  assert.equal(rej.fields.network_reject_reason_name, 'not_directly_connected');
  const nni = parseDatagram(hex`81 0b 00 0a 01 80 13 00 07 01`);
  assert.equal(nni.fields.network_number, 7);
  assert.equal(nni.fields.network_number_configured, true);
  const irt = parseDatagram(hex`81 0a 00 0e 01 80 06 01 00 07 02 02 aa bb  # init routing table, 1 port`);
  assert.deepEqual(irt.fields.networks, [7]);
  assert.deepEqual(irt.anomalies, []);
  const prop = parseDatagram(hex`81 0a 00 09 01 80 85 01 04  # proprietary 0x85, vendor 260`);
  assert.equal(prop.fields.network_message_name, 'proprietary_133');
  assert.equal(prop.fields.vendor_id, 260);
});

test('segmented complex ACK and segment ACK headers', () => {
  const s = parseDatagram(hex`81 0a 00 0d 01 00  3c 07 00 02 0c  0c 02  # complex ACK SEG|MOR, invoke 7, seq 0, window 2`);
  assert.equal(s.segmented, true);
  assert.equal(s.moreFollows, true);
  assert.equal(s.sequenceNumber, 0);
  assert.equal(s.fields.window_size, 2);
  assert.deepEqual(s.anomalies, []);
  const sa = parseDatagram(hex`81 0a 00 0a 01 00  40 07 00 02  # segment ACK from the client`);
  assert.equal(sa.apduType, 4);
  assert.equal(sa.fields.sent_by_server, false);
});

test('malformed input: anomalies, never a throw', () => {
  assert.deepEqual(parseDatagram(hex`45 00 00 04`).anomalies, ['bacnet.bad_bvlc_type']);
  assert.deepEqual(parseDatagram(hex`81 0a`).anomalies, ['bacnet.truncated']);
  assert.deepEqual(parseDatagram(hex`81 0a 00 06 02 00`).anomalies, ['bacnet.bad_npdu_version']);
  assert.ok(parseDatagram(hex`81 0a 00 0c 01 04 00 05 01 0c 0c 02`).anomalies.includes('bacnet.bad_tag'));
  assert.ok(parseDatagram(hex`81 0a 00 08 01 20 00 03`).anomalies.includes('bacnet.truncated'));
  assert.ok(parseDatagram(hex`81 0a 00 07 01 00 90`).anomalies.includes('bacnet.unknown_pdu_type'));
  // A value nested 10 levels deep.
  const deep = parseDatagram(hex`81 0a 00 26 01 04  00 05 02 0f 0c 00 40 00 01 19 55 3e  0e0e0e0e0e0e0e0e0e0e 0f0f0f0f0f0f0f0f0f0f 3f`);
  assert.ok(deep.anomalies.includes('bacnet.tag_depth_cap'));
  assert.ok(parseDatagram(hex`81 0a 00 14 01 04  00 05 01 0c 0c 02 00 00 6c 19 4d 00 00 00`).anomalies.includes('bacnet.trailing_bytes'));
  assert.ok(parseDatagram(hex`81 0a 00 99 01 04  00 05 01 0c 0c 02 00 00 6c 19 4d`).anomalies.includes('bacnet.bvlc_length_mismatch'));
});

test('an RPM request with more than 64 properties is capped', () => {
  const props = '09 55 '.repeat(70);
  const body = hex`00 05 03 0e 0c 00 00 00 05 1e ${props} 1f`;
  const head = hex`81 0a 00 00 01 04`;
  const d = new Uint8Array(head.length + body.length);
  d.set(head);
  d.set(body, head.length);
  d[2] = d.length >> 8;
  d[3] = d.length & 0xff;
  const p = parseDatagram(d);
  assert.equal(p.fields.items_total, 70);
  assert.equal(p.fields.items!.length, 64);
  assert.ok(p.anomalies.includes('bacnet.item_cap'));
});

test('fuzz: random and mutated datagrams never throw and stay bounded', () => {
  const rand = prng(0xbac0);
  const seeds = [WHO_IS, I_AM, RP_REQUEST, RP_ACK];
  const started = performance.now();
  for (let i = 0; i < 20000; i++) {
    let d: Uint8Array;
    if (i % 2 === 0) {
      d = new Uint8Array(Math.floor(rand() * 64));
      for (let k = 0; k < d.length; k++) d[k] = Math.floor(rand() * 256);
      if (d.length > 1) d[0] = 0x81;
      if (d.length > 5) d[4] = 0x01;
    } else {
      d = seeds[i % seeds.length].slice(0, 4 + Math.floor(rand() * 40));
      for (let k = 0; k < 1 + Math.floor(rand() * 3); k++) if (d.length > 0) d[Math.floor(rand() * d.length)] = Math.floor(rand() * 256);
    }
    const p = parseDatagram(d);
    assert.ok(Array.isArray(p.anomalies));
  }
  assert.ok(performance.now() - started < 5000);
});

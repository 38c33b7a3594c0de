// Parser tests: CRC, link header checks, application fragments with annotated hex for each decoded group.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex } from '../../common/hex.js';
import { DNP3_ANOMALIES } from './anomalies.js';
import { crc16Dnp, extractUserData, frameSize, parseApplication, validLinkHeader } from './parse.js';
import { linkFrame } from './testkit.js';

const A = DNP3_ANOMALIES.codes;

test('CRC-16/DNP of a link header', () => {
  const h = hex`05 64  # start
    05        # length: control + addresses, no user data
    c0        # DIR PRM, reset link states
    00 04     # destination 1024
    01 00     # source 1
    d7 f7     # CRC (LE)`;
  assert.equal(crc16Dnp(h, 0, 8), 0xf7d7);
  assert.ok(validLinkHeader(h, 0));
  h[4] ^= 1;
  assert.ok(!validLinkHeader(h, 0));
  // Check value of the CRC-16/DNP catalogue entry: "123456789" → 0xEA82.
  assert.equal(crc16Dnp(new TextEncoder().encode('123456789'), 0, 9), 0xea82);
});

test('frame size and user data blocks: a bad data CRC loses the frame', () => {
  const data = Uint8Array.from({ length: 20 }, (_, i) => i);
  const f = linkFrame(0xc4, 1, 2, data);
  assert.equal(f.length, frameSize(25));
  assert.equal(f.length, 10 + 16 + 2 + 4 + 2);
  const out = new Uint8Array(250);
  assert.equal(extractUserData(f, 0, out), 20);
  assert.deepEqual(out.subarray(0, 20), data);
  f[12] ^= 0xff;
  assert.equal(extractUserData(f, 0, out), -1);
});

test('read request for class data: headers without objects', () => {
  const app = parseApplication(
    hex`c3       # FIR FIN seq 3
        01       # read
        3c 02 06 # g60v2 class 1, all objects
        3c 03 06 # g60v3 class 2
        3c 01 06 # g60v1 class 0`,
    0,
    11,
  );
  assert.deepEqual([app.fir, app.fin, app.con, app.uns, app.seq, app.func, app.iin1], [true, true, false, false, 3, 1, -1]);
  assert.deepEqual(app.objects.map((o) => [o.group, o.variation, o.range, o.count]), [[60, 2, 'all_objects', 0], [60, 3, 'all_objects', 0], [60, 1, 'all_objects', 0]]);
  assert.deepEqual(app.anomalies, []);
});

test('response with IIN, g1v2 binary inputs, packed g1v1 and g30v1 analogs', () => {
  const b = hex`e3 81    # FIR FIN CON seq 3, response
    90 02              # IIN1 device restart + class 1 events; IIN2 object unknown
    01 02 00 00 01     # g1v2, start/stop 1 octet: 0..1
    81 01              # online + state 1; online + state 0
    01 01 00 02 04     # g1v1 packed: 2..4
    05                 # bits 1 0 1
    1e 01 01 05 00 05 00  # g30v1, start/stop 2 octets: 5..5
    01 d2 04 00 00     # flags online, value 1234`;
  const app = parseApplication(b, 0, b.length);
  assert.equal(app.iin1, 0x90);
  assert.equal(app.iin2, 0x02);
  assert.deepEqual(app.anomalies, []);
  assert.deepEqual(
    app.points.map((p) => [p.group, p.variation, p.index, p.value, p.flags]),
    [
      [1, 2, 0, true, 0x81],
      [1, 2, 1, false, 0x01],
      [1, 1, 2, true, undefined],
      [1, 1, 3, false, undefined],
      [1, 1, 4, true, undefined],
      [30, 1, 5, 1234, 0x01],
    ],
  );
  assert.equal(app.pointsTotal, 6);
});

test('CROB (g12v1) select with a 1-octet count and 1-octet index prefix', () => {
  const b = hex`c1 03     # FIR FIN seq 1, select
    0c 01 17            # g12v1, prefix index 1 octet, count 1 octet
    01                  # count 1
    08                  # index 8
    41                  # control code: close + pulse on
    01                  # count 1
    64 00 00 00         # on time 100 ms
    00 00 00 00         # off time 0
    00                  # status success`;
  const app = parseApplication(b, 0, b.length);
  const p = app.points[0];
  assert.deepEqual([p.index, p.op_type, p.tcc, p.count, p.on_time_ms, p.off_time_ms, p.status_name], [8, 'pulse_on', 'close', 1, 100, 0, 'success']);
});

test('events with time (g2v2, g32v7 float), g41 analog output, g50v1 time, g0 device attributes', () => {
  const b = hex`c0 81 00 00
    02 02 17 01 03     # g2v2, index prefix, count 1: index 3
    81 e8 03 00 00 00 00  # state 1, time 1000 ms after the epoch
    20 07 17 01 02     # g32v7 float with time, index 2
    01 00 00 c0 3f 00 00 00 00 00 00  # 1.5
    29 02 28 01 00 04 00  # g41v2, 2-octet index prefix, 2-octet count 1: index 4
    f6 ff 00           # -10, status success
    00 fc 00 00 00     # g0v252 manufacturer name, start/stop 0..0
    01 04 41 43 4d 45  # visible string "ACME"`;
  const app = parseApplication(b, 0, b.length);
  assert.deepEqual(app.anomalies, []);
  const [e, a, o, attr] = app.points;
  assert.deepEqual([e.index, e.value, e.time], [3, true, '1970-01-01T00:00:01.000Z']);
  assert.deepEqual([a.index, a.value], [2, 1.5]);
  assert.deepEqual([o.group, o.index, o.value, o.status], [41, 4, -10, 0]);
  assert.deepEqual([attr.attr, attr.value], ['device_manufacturer_name', 'ACME']);
});

test('file open request (g70v3, size prefix) gives the file name', () => {
  const name = new TextEncoder().encode('cfg.txt');
  const obj = hex`1a 00 07 00  # name offset 26, name size 7
    00 00 00 00 00 00           # time of creation
    ff 01 00 00 00 00 00 00 00 00  # permissions, authentication key, file size
    01 00 00 04 00 00           # mode read, max block 1024, request id`;
  const size = obj.length + name.length;
  const b = Uint8Array.from([0xc0, 25, 70, 3, 0x5b, 1, size & 0xff, size >> 8, ...obj, ...name]);
  const app = parseApplication(b, 0, b.length);
  assert.deepEqual(app.anomalies, []);
  assert.equal(app.points[0].file_name, 'cfg.txt');
});

test('malformed fragments become anomalies, never throws', () => {
  assert.deepEqual(parseApplication(hex`c0`, 0, 1).anomalies, [A.truncated_application]);
  assert.deepEqual(parseApplication(hex`c0 81 00`, 0, 3).anomalies, [A.truncated_application]);
  assert.deepEqual(parseApplication(hex`c0 81 00 00 01 02 00 05`, 0, 8).anomalies, [A.truncated_object]);
  assert.deepEqual(parseApplication(hex`c0 81 00 00 01 02 00 05 01 81`, 0, 10).anomalies, [A.invalid_range]);
  assert.deepEqual(parseApplication(hex`c0 81 00 00 01 02 0f 00`, 0, 8).anomalies, [A.unknown_qualifier]);
  assert.deepEqual(parseApplication(hex`c0 81 00 00 63 01 07 01 00`, 0, 9).anomalies, [A.unknown_object_size]);
  assert.deepEqual(parseApplication(hex`c0 81 00 00 1e 01 09 ff ff ff ff`, 0, 11).anomalies, [A.object_count_cap]);
  assert.deepEqual(parseApplication(hex`c0 63`, 0, 2).anomalies, [A.unknown_function_code]);
  for (let i = 0; i < 2000; i++) {
    const r = Uint8Array.from({ length: i % 64 }, (_, k) => (k * 131 + i * 7) & 0xff);
    parseApplication(r, 0, r.length);
  }
});

test('points past 100 are counted, not exported', () => {
  const b = Uint8Array.from([0xc0, 0x81, 0, 0, 1, 1, 1, 0, 0, 0x2b, 0x01, ...new Array(38).fill(0xff)]);
  const app = parseApplication(b, 0, b.length);
  assert.equal(app.points.length, 100);
  assert.equal(app.pointsTotal, 300);
});

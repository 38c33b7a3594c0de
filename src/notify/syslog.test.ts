import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeParamValue, format5424, header3164, headerField, priority, timestamp3164, type SyslogContext } from './syslog.js';
import { SAMPLE_ALERT, parse5424 } from './testkit.js';

// 2024-05-01T12:01:01Z
const CTX: SyslogContext = { facility: 20, hostname: 'sensor-1', procId: '4242', now: 1714564861000, maxBytes: 2048 };

test('PRI is facility × 8 + severity: local4 (20) with critical (2) is 162; info (6) 166; high on local0 131', () => {
  assert.equal(priority(20, 'critical'), 162);
  assert.equal(priority(20, 'info'), 166);
  assert.equal(priority(16, 'high'), 131);
  assert.equal(priority(20, 'medium'), 164);
  assert.equal(priority(20, 'low'), 165);
});

test('an alert as RFC 5424: header, [lantern@32473 ...] structured data, BOM then the title', () => {
  const m = format5424(SAMPLE_ALERT, 'alert.new', CTX);
  assert.equal(m.truncated, false);
  assert.equal(
    m.bytes.toString('utf8'),
    '<162>1 2024-05-01T12:01:01.000Z sensor-1 lantern 4242 alert.new ' +
      '[lantern@32473 id="al_4f2a9c1d0e8b7a65" detection="s7.program_download" score="92" severity="critical" kind="behavior" count="3" ' +
      'src="10.0.0.5" dst="10.0.0.10" protocol="s7comm" status="new" first_seen="2024-05-01T12:00:00.000Z" last_seen="2024-05-01T12:01:00.500Z" ' +
      'confidence="0.9" src_asset="ip:10.0.0.5" dst_asset="mac:00:1b:1b:aa:bb:cc" techniques="T0843,T0853" tactics="Lateral Movement,Execution" ' +
      'url="https://lantern.example/alerts/al_4f2a9c1d0e8b7a65"] \uFEFFS7 program download to PLC-1',
  );
  // The BOM is the three bytes EF BB BF right after the space that ends the structured data.
  const bom = m.bytes.indexOf(Buffer.from([0xef, 0xbb, 0xbf]));
  assert.equal(m.bytes[bom - 1], 0x20); // ' '
  assert.equal(m.bytes[bom - 2], 0x5d); // ']'
});

test('PARAM-VALUE escapes ", \\ and ] with a backslash and nothing else (RFC 5424 section 6.3.3)', () => {
  assert.equal(escapeParamValue('a"b\\c]d=e [f'), 'a\\"b\\\\c\\]d=e [f');
  const a = { ...SAMPLE_ALERT, detection: 'x"y\\z]w', title: 'Name with "quotes" and ] and \\ and é ✓', src: null, dst: null, protocol: null, techniques: [], tactics: [] };
  delete a.url;
  const m = format5424(a, 'alert.updated', CTX);
  assert.equal(
    m.bytes.toString('utf8'),
    '<162>1 2024-05-01T12:01:01.000Z sensor-1 lantern 4242 alert.updated ' +
      '[lantern@32473 id="al_4f2a9c1d0e8b7a65" detection="x\\"y\\\\z\\]w" score="92" severity="critical" kind="behavior" count="3" status="new" ' +
      'first_seen="2024-05-01T12:00:00.000Z" last_seen="2024-05-01T12:01:00.500Z" confidence="0.9"] \uFEFFName with "quotes" and ] and \\ and é ✓',
  );
  const p = parse5424(m.bytes);
  assert.equal(p.sd['lantern@32473'].detection, 'x"y\\z]w');
  assert.equal(p.msg, 'Name with "quotes" and ] and \\ and é ✓');
  assert.equal(p.bom, true);
});

test('formatted messages parse back: every field, every parameter', () => {
  const p = parse5424(format5424(SAMPLE_ALERT, 'alert.new', CTX).bytes);
  assert.deepEqual(
    { pri: p.pri, version: p.version, timestamp: p.timestamp, hostname: p.hostname, appName: p.appName, procId: p.procId, msgId: p.msgId, msg: p.msg },
    { pri: 162, version: 1, timestamp: '2024-05-01T12:01:01.000Z', hostname: 'sensor-1', appName: 'lantern', procId: '4242', msgId: 'alert.new', msg: SAMPLE_ALERT.title },
  );
  const sd = p.sd['lantern@32473'];
  assert.equal(sd.id, SAMPLE_ALERT.id);
  assert.equal(sd.score, '92');
  assert.equal(sd.techniques, 'T0843,T0853');
  assert.equal(sd.url, SAMPLE_ALERT.url);
  assert.deepEqual(Object.keys(p.sd), ['lantern@32473']);
});

test('header fields keep printable US-ASCII only, capped (HOSTNAME 255, MSGID 32); empty is the NILVALUE', () => {
  assert.equal(headerField('plc room 3', 255), 'plcroom3');
  assert.equal(headerField('é', 255), '-');
  assert.equal(headerField('x'.repeat(300), 255).length, 255);
  const p = parse5424(format5424(SAMPLE_ALERT, 'alert.new', { ...CTX, hostname: '', procId: '' }).bytes);
  assert.equal(p.hostname, '-');
  assert.equal(p.procId, '-');
  assert.equal(format5424(SAMPLE_ALERT, 'alert.new', { ...CTX, now: NaN }).bytes.toString('utf8').slice(0, 9), '<162>1 - ');
});

test('line breaks in the title become spaces', () => {
  const p = parse5424(format5424({ ...SAMPLE_ALERT, title: 'two\r\nlines\nhere' }, 'alert.new', CTX).bytes);
  assert.equal(p.msg, 'two lines here');
});

test('over the byte cap: the text is shortened first (at a character boundary), then parameters go from the least important', () => {
  const long = { ...SAMPLE_ALERT, title: 'é'.repeat(1000) };
  const m = format5424(long, 'alert.new', { ...CTX, maxBytes: 1024 });
  assert.equal(m.truncated, true);
  assert.ok(m.bytes.length <= 1024, `${m.bytes.length}`);
  const p = parse5424(m.bytes);
  assert.ok(p.msg !== null && p.msg.length > 100 && /^é+$/.test(p.msg), 'cut between characters, not inside one');
  assert.equal(p.sd['lantern@32473'].url, SAMPLE_ALERT.url, 'every parameter kept while the text could shrink');

  const tight = format5424({ ...long, url: `https://lantern.example/${'x'.repeat(400)}` }, 'alert.new', { ...CTX, maxBytes: 480 });
  assert.ok(tight.bytes.length <= 480, `${tight.bytes.length}`);
  const q = parse5424(tight.bytes);
  const sd = q.sd['lantern@32473'];
  assert.equal(sd.id, SAMPLE_ALERT.id);
  assert.equal(sd.detection, SAMPLE_ALERT.detection);
  assert.equal(sd.url, undefined, 'the least important parameter went first');
  assert.ok(q.msg !== null && q.msg.length >= 13);
});

test('RFC 3164 envelope: day padded with a space, UTC', () => {
  assert.equal(timestamp3164(Date.UTC(2024, 4, 1, 2, 3, 4)), 'May  1 02:03:04');
  assert.equal(timestamp3164(Date.UTC(2024, 11, 31, 23, 59, 59)), 'Dec 31 23:59:59');
  assert.equal(header3164(162, CTX), '<162>May  1 12:01:01 sensor-1 ');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeCefHeader, escapeCefValue, formatCef } from './cef.js';
import { SAMPLE_ALERT, parseCef } from './testkit.js';

test('an alert as CEF: header, severity 0..10, standard keys and labelled custom fields', () => {
  const r = formatCef(SAMPLE_ALERT, 'alert.new', '0.1.0', 8192);
  assert.equal(r.truncated, false);
  assert.equal(
    r.text,
    'CEF:0|Lantern|Lantern|0.1.0|s7.program_download|S7 program download to PLC-1|10|' +
      'rt=1714564860500 externalId=al_4f2a9c1d0e8b7a65 cn1=92 cn1Label=riskScore cat=behavior cnt=3 src=10.0.0.5 dst=10.0.0.10 app=s7comm ' +
      'start=1714564800000 end=1714564860500 flexString1=alert.new flexString1Label=event cs5=new cs5Label=status cfp1=0.9 cfp1Label=confidence ' +
      'cs1=T0843,T0853 cs1Label=techniques cs2=Lateral Movement,Execution cs2Label=tactics cs3=ip:10.0.0.5 cs3Label=srcAsset ' +
      'cs4=mac:00:1b:1b:aa:bb:cc cs4Label=dstAsset cs6=https://lantern.example/alerts/al_4f2a9c1d0e8b7a65 cs6Label=consoleUrl msg=S7 program download to PLC-1',
  );
});

test('CEF escapes: | and \\ in the header; \\, = and line breaks in extension values', () => {
  assert.equal(escapeCefHeader('a|b\\c=d'), 'a\\|b\\\\c=d');
  assert.equal(escapeCefHeader('two\nlines'), 'two lines');
  assert.equal(escapeCefValue('a=b\\c|d\r\ne'), 'a\\=b\\\\c|d\\r\\ne');
  const a = { ...SAMPLE_ALERT, title: 'Write | to \\\\plc\\share = bad\nnow', url: 'https://x.example/a?b=c' };
  const r = formatCef(a, 'alert.updated', '1.0|beta', 8192);
  assert.ok(r.text.startsWith('CEF:0|Lantern|Lantern|1.0\\|beta|s7.program_download|Write \\| to \\\\\\\\plc\\\\share = bad now|10|'), r.text.slice(0, 120));
  assert.ok(r.text.endsWith(' msg=Write | to \\\\\\\\plc\\\\share \\= bad\\nnow'), r.text.slice(-60));
  const p = parseCef(r.text);
  assert.equal(p.deviceVersion, '1.0|beta');
  assert.equal(p.name, 'Write | to \\\\plc\\share = bad now');
  assert.equal(p.ext.msg, a.title);
  assert.equal(p.ext.cs6, 'https://x.example/a?b=c');
  assert.equal(p.ext.flexString1, 'alert.updated');
});

test('severities map to CEF 1 (info), 3, 5, 8, 10 (critical)', () => {
  const sev = (severity: (typeof SAMPLE_ALERT)['severity']) => parseCef(formatCef({ ...SAMPLE_ALERT, severity }, 'alert.new', '0.1.0', 8192).text).severity;
  assert.deepEqual(['info', 'low', 'medium', 'high', 'critical'].map((s) => sev(s as (typeof SAMPLE_ALERT)['severity'])), ['1', '3', '5', '8', '10']);
});

test('IPv6 endpoints go to c6a2 and c6a3 with their labels; no endpoint, no key', () => {
  const p = parseCef(formatCef({ ...SAMPLE_ALERT, src: { ip: 'fd00::5', asset: null }, dst: null }, 'alert.new', '0.1.0', 8192).text);
  assert.equal(p.ext.c6a2, 'fd00::5');
  assert.equal(p.ext.c6a2Label, 'Source IPv6 Address');
  assert.equal(p.ext.src, undefined);
  assert.equal(p.ext.dst, undefined);
  assert.equal(p.ext.cs3, undefined);
});

test('over the byte cap: extension fields go from the least important, then the name shortens; never over', () => {
  const r = formatCef(SAMPLE_ALERT, 'alert.new', '0.1.0', 300);
  assert.equal(r.truncated, true);
  assert.ok(Buffer.byteLength(r.text) <= 300);
  const p = parseCef(r.text);
  assert.equal(p.ext.externalId, SAMPLE_ALERT.id);
  assert.equal(p.ext.msg, undefined);
  const tiny = formatCef({ ...SAMPLE_ALERT, title: 'ü'.repeat(600) }, 'alert.new', '0.1.0', 100);
  assert.ok(Buffer.byteLength(tiny.text) <= 100, `${Buffer.byteLength(tiny.text)}`);
  assert.match(tiny.text, /^CEF:0\|Lantern\|Lantern\|0\.1\.0\|s7\.program_download\|ü*\|10\|$/);
});

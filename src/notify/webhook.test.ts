import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { parseRetryAfter, signature, verifySignature, webhookBody } from './webhook.js';
import { renderMessage } from './render.js';
import { SAMPLE_ALERT, parse5424, parseCef } from './testkit.js';
import type { NotifyTarget } from './types.js';

const CTX = { hostname: 'sensor-1', procId: '4242', version: '0.1.0', now: 1714564861000, delivery: 'd-1' };

test('the webhook body is the alert with its event and send time (unix seconds)', () => {
  const body = JSON.parse(webhookBody(SAMPLE_ALERT, 'alert.updated', 1714564861.25)) as Record<string, unknown>;
  assert.deepEqual(body, { event: 'alert.updated', sent_at: 1714564861.25, ...SAMPLE_ALERT });
  assert.deepEqual(Object.keys(body).slice(0, 3), ['event', 'sent_at', 'id']);
});

test('the signature is sha256= and the hex HMAC-SHA256 of the exact body, as GitHub signs', () => {
  const body = '{"hello":"world"}';
  const want = `sha256=${createHmac('sha256', 'It is a secret to everybody').update(body).digest('hex')}`;
  assert.equal(signature(body, 'It is a secret to everybody'), want);
  // The example of GitHub's documentation: body "Hello, World!", secret "It's a Secret to Everybody".
  assert.equal(signature('Hello, World!', "It's a Secret to Everybody"), 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17');
  assert.equal(verifySignature(body, 'It is a secret to everybody', want), true);
  assert.equal(verifySignature(`${body} `, 'It is a secret to everybody', want), false);
  assert.equal(verifySignature(body, 'another secret', want), false);
  assert.equal(verifySignature(body, 'It is a secret to everybody', undefined), false);
  assert.equal(verifySignature(body, 'It is a secret to everybody', 'sha256=00'), false);
});

test('Retry-After: seconds or an HTTP date, capped; nonsense is ignored', () => {
  assert.equal(parseRetryAfter('3', 0), 3000);
  assert.equal(parseRetryAfter(null, 0), null);
  assert.equal(parseRetryAfter('soon', 0), null);
  assert.equal(parseRetryAfter('Wed, 01 May 2024 12:00:10 GMT', Date.UTC(2024, 4, 1, 12, 0, 0)), 10_000);
  assert.equal(parseRetryAfter('999999', 0), 600_000);
});

const webhook: NotifyTarget = { id: 'nt_a', name: 'hook', kind: 'webhook', enabled: true, format: 'json', min_score: 0, min_severity: 'low', url: 'http://127.0.0.1:1/', secret: 'sixteen-chars-ok!' };
const syslog: NotifyTarget = { id: 'nt_b', name: 'siem', kind: 'syslog', enabled: true, format: 'cef', min_score: 0, min_severity: 'low', host: '127.0.0.1', port: 514, transport: 'udp', facility: 20, cef_header: '3164', max_bytes: 2048 };

test('render: a webhook carries its event, delivery id and, with a secret, the signature of the body', () => {
  const m = renderMessage(webhook, SAMPLE_ALERT, 'alert.new', CTX);
  assert.equal(m.headers['x-lantern-event'], 'alert.new');
  assert.equal(m.headers['x-lantern-delivery'], 'd-1');
  assert.equal(verifySignature(m.body, 'sixteen-chars-ok!', m.headers['x-lantern-signature']), true);
  assert.equal((JSON.parse(m.body.toString()) as { sent_at: number }).sent_at, 1714564861);
  assert.equal(renderMessage({ ...webhook, secret: null }, SAMPLE_ALERT, 'alert.new', CTX).headers['x-lantern-signature'], undefined);
});

test('render: CEF in the RFC 3164-style envelope, in RFC 5424 (no BOM, no structured data), or bare', () => {
  const cef3164 = renderMessage(syslog, SAMPLE_ALERT, 'alert.new', CTX).body.toString();
  assert.ok(cef3164.startsWith('<162>May  1 12:01:01 sensor-1 CEF:0|Lantern|Lantern|0.1.0|s7.program_download|S7 program download to PLC-1|10|rt=1714564860500 '), cef3164.slice(0, 100));
  const cef5424 = renderMessage({ ...syslog, cef_header: '5424' }, SAMPLE_ALERT, 'alert.new', CTX).body;
  assert.ok(cef5424.toString().startsWith('<162>1 2024-05-01T12:01:01.000Z sensor-1 lantern 4242 alert.new - CEF:0|Lantern|'));
  const p = parse5424(cef5424);
  assert.deepEqual(p.sd, {});
  assert.equal(p.bom, false);
  assert.equal(parseCef(p.msg!).ext.externalId, SAMPLE_ALERT.id);
  const bare = renderMessage({ ...syslog, cef_header: 'none' }, SAMPLE_ALERT, 'alert.new', CTX).body.toString();
  assert.ok(bare.startsWith('CEF:0|'));
  const capped = renderMessage({ ...syslog, max_bytes: 480 }, SAMPLE_ALERT, 'alert.new', CTX);
  assert.ok(capped.body.length <= 480);
  assert.equal(capped.truncated, true);
  const rfc = renderMessage({ ...syslog, format: '5424', facility: 16 }, SAMPLE_ALERT, 'alert.new', CTX).body;
  assert.equal(parse5424(rfc).pri, 130);
});

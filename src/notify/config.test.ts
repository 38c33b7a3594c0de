import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTarget, deliveryKey, loadTargets, publicTarget, saveTargets, SETTING_KEY } from './config.js';
import { AnomalyCounter } from '../common/anomaly.js';
import type { NotifyTarget } from './types.js';

const base = { id: 'nt_abc', name: 'SIEM', enabled: true, min_score: 50, min_severity: 'medium' };

test('a syslog target gets the defaults of its transport; a webhook keeps only its fields', () => {
  const c = checkTarget({ ...base, kind: 'syslog', format: 'cef', host: 'siem.example', transport: 'tls' });
  assert.ok(c.ok);
  assert.deepEqual(c.target, { ...base, kind: 'syslog', format: 'cef', host: 'siem.example', port: 6514, transport: 'tls', facility: 20, cef_header: '3164', framing: 'octet_counting', ca_file: null, max_bytes: 8192 });
  const udp = checkTarget({ ...base, kind: 'syslog', format: '5424', host: '127.0.0.1' });
  assert.ok(udp.ok && udp.target.port === 514 && udp.target.max_bytes === 2048 && udp.target.transport === 'udp');
  const w = checkTarget({ ...base, kind: 'webhook', format: 'json', url: 'https://hooks.example/x' });
  assert.ok(w.ok);
  assert.deepEqual(w.target, { ...base, kind: 'webhook', format: 'json', url: 'https://hooks.example/x', secret: null });
});

test('bad targets are refused with every problem named', () => {
  const bad = (raw: unknown) => {
    const c = checkTarget(raw);
    assert.equal(c.ok, false, JSON.stringify(raw));
    return c.ok ? [] : c.problems;
  };
  assert.deepEqual(bad(null), ['a target is an object']);
  assert.equal(bad({ ...base, id: 'x', kind: 'email', min_score: 101 }).length, 4);
  assert.match(bad({ ...base, kind: 'webhook', format: 'cef', url: 'https://a.example' }).join(), /webhook sends json/);
  assert.match(bad({ ...base, kind: 'webhook', format: 'json', url: 'ftp://a.example' }).join(), /http or https/);
  assert.match(bad({ ...base, kind: 'webhook', format: 'json', url: 'https://u:p@a.example' }).join(), /password/);
  assert.match(bad({ ...base, kind: 'webhook', format: 'json', url: 'https://a.example', secret: 'short' }).join(), /secret/);
  assert.match(bad({ ...base, kind: 'webhook', format: 'json', url: 'https://a.example', host: 'x' }).join(), /host: not for a webhook/);
  assert.match(bad({ ...base, kind: 'syslog', format: 'json', host: 'x' }).join(), /5424 or cef/);
  assert.match(bad({ ...base, kind: 'syslog', format: '5424', host: 'bad host' }).join(), /host/);
  assert.match(bad({ ...base, kind: 'syslog', format: '5424', host: 'x', transport: 'udp', ca_file: '/ca.pem' }).join(), /only with transport tls/);
  assert.match(bad({ ...base, kind: 'syslog', format: '5424', host: 'x', max_bytes: 100 }).join(), /max_bytes/);
  assert.match(bad({ ...base, kind: 'syslog', format: '5424', host: 'x', facility: 24 }).join(), /facility/);
});

test('stored targets load back; broken or duplicate ones are skipped and counted', () => {
  const settings = new Map<string, unknown>();
  const store = { getSetting: (k: string) => settings.get(k), putSetting: (k: string, v: unknown) => void settings.set(k, v) };
  assert.deepEqual(loadTargets(store), []);
  const good = checkTarget({ ...base, kind: 'syslog', format: '5424', host: '127.0.0.1' });
  assert.ok(good.ok);
  saveTargets(store, [good.target]);
  assert.deepEqual(loadTargets(store), [good.target]);
  settings.set(SETTING_KEY, [good.target, good.target, { id: 'nt_x' }, 'junk']);
  const anomalies = new AnomalyCounter();
  assert.deepEqual(loadTargets(store, anomalies), [good.target]);
  assert.equal(anomalies.get('notify.invalid_target'), 3);
  settings.set(SETTING_KEY, { not: 'a list' });
  assert.deepEqual(loadTargets(store), []);
});

test('the public view never holds the secret; non-admins see a webhook URL by its origin only', () => {
  const t: NotifyTarget = { ...base, min_severity: 'medium', kind: 'webhook', format: 'json', url: 'https://chat.example/hooks/T000/B000/XXXX?token=1', secret: 'a-very-long-secret' };
  const admin = publicTarget(t, true);
  assert.equal('secret' in admin, false);
  assert.equal(admin.secret_set, true);
  assert.equal(admin.url, t.url);
  assert.equal(publicTarget(t, false).url, 'https://chat.example/…');
  assert.equal(publicTarget({ ...t, url: 'https://siem.example' }, false).url, 'https://siem.example');
  assert.equal(publicTarget({ ...t, secret: null }, true).secret_set, false);
});

test('the delivery key changes with where messages go, not with filters', () => {
  const t: NotifyTarget = { ...base, min_severity: 'medium', kind: 'syslog', format: '5424', host: 'a', port: 514, transport: 'udp' };
  assert.equal(deliveryKey(t), deliveryKey({ ...t, min_score: 90, name: 'other' }));
  assert.notEqual(deliveryKey(t), deliveryKey({ ...t, port: 515 }));
});

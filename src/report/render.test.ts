import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { ATTACK_NOTICE } from '../detect/attack/index.js';
import { gatherReport } from './gather.js';
import { renderReportHtml } from './render.js';
import { handBuiltStore, HOSTILE, setColumns, T } from './testkit.js';
import { esc } from './text.js';

const DAY = 86400;

function hostileReport(): string {
  const { store, dir } = handBuiltStore();
  try {
    setColumns(store, 'incidents', 'in_1', { title: `${HOSTILE}\u202eevil "quoted" & 'single'`, summary: `<img src=x onerror=alert(1)> ${'long '.repeat(100)}` });
    store.putAssets([{ ...store.getAsset('a-plc')!, names: [{ name: '<svg onload=alert(3)>PLC', source: 'test', confidence: 1, first_seen: 0, last_seen: 0 }] }]);
    return renderReportHtml(gatherReport(store, { from: T - 7 * DAY, to: T, now: T }));
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('every string from the data is escaped: no tag, attribute or direction override gets through', () => {
  const html = hostileReport();
  assert.ok(!/<script/i.test(html), 'no script element');
  assert.ok(!/<img/i.test(html) && !/<svg onload/i.test(html), 'no element from the data');
  assert.ok(!html.includes('\u202e'), 'no right-to-left override');
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'the title shows, escaped');
  assert.ok(html.includes('evil &quot;quoted&quot; &amp; &#39;single&#39;'));
  assert.ok(html.includes('&lt;svg onload=alert(3)&gt;PLC'), 'asset names are escaped too');
  assert.ok(/long …<\/p>|long…<\/p>/.test(html), 'the summary is cut');
});

test('self-contained: no script, nothing fetched; version, period, generation time and MITRE’s notice on the page', () => {
  const html = hostileReport();
  assert.ok(html.startsWith('<!doctype html>'));
  // Text from the data holds no `<` once escaped, so every tag here is the renderer's own.
  const tags = html.match(/<[a-zA-Z][^>]*>/g) ?? [];
  assert.deepEqual(tags.filter((t) => /\s(src|href|on[a-z]+)\s*=/i.test(t)), [], 'no link to anything, no event handler');
  assert.ok(!/url\(|@import/i.test(html), 'no external style resource');
  assert.match(html, /@page \{ size: A4;/);
  assert.match(html, /Lantern \d+\.\d+\.\d+/);
  assert.match(html, /2027-01-08 08:00 → 2027-01-15 08:00 UTC \(7 days\)/);
  assert.match(html, /Generated<\/dt><dd>2027-01-15 08:00 UTC/);
  assert.ok(html.includes(esc(ATTACK_NOTICE.replace(/\n+/g, ' '))), 'MITRE’s notice, as its license asks');
  for (const h of ['What this means', 'Top incidents of the period', 'Riskiest assets now', 'Sensor health', 'Time to respond', 'ATT&amp;CK for ICS coverage']) assert.ok(html.includes(h), h);
  assert.equal((html.match(/<svg class="bar"/g) ?? []).length, 12, 'one bar per tactic');
});

test('esc drops controls and escapes the five HTML characters', () => {
  assert.equal(esc(`a<b>&"'\u0000\u202ez`), 'a&lt;b&gt;&amp;&quot;&#39;  z');
});

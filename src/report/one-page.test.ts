// "One page" checked where it matters, in print: the report of a realistic store (the demo plant through a Sensor plus
// a few hundred synthetic alerts with long hostile titles and host names) printed by headless Chromium to A4 and to
// Letter gives exactly one page each, under the route's CSP with nothing blocked and no script run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { gatherReport, TOP_INCIDENTS } from './gather.js';
import { renderReportHtml } from './render.js';
import { DEMO_CAPTURE, realisticStore } from './testkit.js';
import { REPORT_CSP } from '../server/routes-report.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `SKIPPED: ${CHROMIUM} is not installed (apt-get install chromium): the one-page print check needs it`;
if (skip !== false) process.stdout.write(`report one-page: ${skip}\n`);
const DAY = 86400;

/** Page objects of a PDF: `/Type /Page`, not `/Type /Pages` (the tree's nodes). */
function pdfPages(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
}

test('the report of a busy week prints on exactly one A4 page, and one Letter page', { skip, timeout: 180_000 }, async () => {
  const { store, dir, sensor } = await realisticStore(300);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  try {
    const now = Date.now() / 1000;
    const data = gatherReport(store, { from: now - 7 * DAY, to: now + 1, now });
    // The data strains the page: every list full, titles and names long and hostile.
    assert.equal(data.top_incidents.length, TOP_INCIDENTS);
    assert.equal(data.riskiest_assets.length, 5);
    assert.ok(data.headline.alerts_raised >= 300, `${data.headline.alerts_raised} alerts`);
    assert.ok(data.top_incidents.every((i) => i.title.length > 200 && i.title.includes('<script>')));
    assert.ok(data.top_incidents.some((i) => i.more_hosts > 0));
    if (DEMO_CAPTURE !== null) assert.ok((data.sensor?.frames ?? 0) > 0, 'the demo plant was ingested');
    const html = renderReportHtml(data);

    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => problems.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('dialog', (d) => problems.push(`dialog: ${d.message()}`));
    await page.route('http://report.invalid/**', (route) => route.fulfill({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': REPORT_CSP }, body: html }));
    await page.goto('http://report.invalid/summary');
    assert.deepEqual(problems, [], 'nothing blocked by the CSP, nothing run');
    assert.equal(await page.evaluate('document.scripts.length'), 0);

    const a4 = await page.pdf({ format: 'A4' });
    assert.equal(pdfPages(a4), 1, 'one A4 page');
    const letter = await page.pdf({ format: 'Letter' });
    assert.equal(pdfPages(letter), 1, 'one Letter page');
    // With the browser's own margins (a user printing from the tab) it still fits.
    const margins = await page.pdf({ format: 'A4', margin: { top: '1cm', bottom: '1cm', left: '1cm', right: '1cm' } });
    assert.equal(pdfPages(margins), 1, 'one A4 page with 1 cm printer margins');
  } finally {
    await browser.close();
    await sensor.idle();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('pdfPages counts pages, not page-tree nodes', () => {
  const pdf = Buffer.from('1 0 obj << /Type /Pages /Kids [2 0 R 3 0 R] >> 2 0 obj << /Type /Page >> 3 0 obj <</Type/Page/Parent 1 0 R>>', 'latin1');
  assert.equal(pdfPages(pdf), 2);
});

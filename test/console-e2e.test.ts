// The web console end to end in headless Chromium (playwright-core driving Debian's /usr/bin/chromium): start the
// server on an empty store, log in, upload a capture, open every page and check what it shows, work an alert, use the
// tables by keyboard; on every page run axe-core's WCAG 2 A/AA rules (labels, contrast, names, structure) and walk the
// focus with Tab, checking each stop is visible. Screenshots land in out/console/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import axe from 'axe-core';
import { REPO_ROOT } from './support.js';
import { assembleServer } from '../src/server/assemble.js';
import { SqliteStore } from '../src/store/sqlite.js';
import type { Sensor } from '../src/server/sensor.js';
import { hashPassword } from '../src/server/passwords.js';
import { DEMO_CAPTURE, WEB_ROOT } from '../src/cli/serve.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(REPO_ROOT, 'out', 'console');
const PASSWORD = 'console test password';
const skip = !existsSync(CHROMIUM)
  ? `SKIPPED: ${CHROMIUM} is not installed (apt-get install chromium; .ci/run does)`
  : !existsSync(join(WEB_ROOT, 'index.html'))
    ? 'SKIPPED: the console is not built (npm run build:web)'
    : false;
if (skip !== false) process.stdout.write(`console e2e: ${skip}\n`);

let app: FastifyInstance;
let store: SqliteStore;
let sensor: Sensor;
let browser: Browser;
let page: Page;
let base = '';
let dir = '';
const pageErrors: string[] = [];

before(async () => {
  if (skip !== false) return;
  dir = mkdtempSync(join(tmpdir(), 'lantern-console-'));
  store = new SqliteStore(join(dir, 'lantern.db'));
  // The server `lantern serve` runs (intel, rules, notifications, kept captures), on an empty store.
  const parts = await assembleServer(store, { data: dir, webRoot: WEB_ROOT });
  sensor = parts.sensor;
  app = parts.app;
  parts.auth.createUser({ name: 'admin', role: 'admin', password_hash: await hashPassword(PASSWORD), created: Date.now() / 1000 });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => {
    // The first /api/me before logging in answers 401 by design.
    if (m.type() === 'error' && !/status of 401/.test(m.text())) pageErrors.push(m.text());
  });
});

after(async () => {
  if (skip !== false) return;
  await browser?.close();
  await app?.close();
  await sensor?.idle();
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** axe-core's WCAG 2.0/2.1 A and AA rules on the page as it is. */
async function accessibility(name: string): Promise<void> {
  // Injected through the debugging protocol: the console's CSP (rightly) refuses inline scripts.
  if (!(await page.evaluate<boolean>("'axe' in window"))) await page.evaluate(axe.source);
  // Browser code is passed as text: the tests compile without the DOM's types.
  const violations = await page.evaluate<string[]>(`
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then((r) =>
      r.violations.map((v) => v.id + ' (' + v.impact + '): ' + v.help + ' at ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')))`);
  assert.deepEqual(violations, [], `${name}: accessibility violations`);
}

/** Tabs through the first stops of the page: each has a visible focus indicator. */
async function focusWalk(name: string, stops = 12): Promise<void> {
  await page.locator('body').focus();
  for (let i = 0; i < stops; i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate<{ what: string; visible: boolean } | null>(`(() => {
      const el = document.activeElement;
      if (el === null || el === document.body) return null;
      const s = getComputedStyle(el);
      return { what: el.tagName.toLowerCase() + ' ' + (el.textContent || '').trim().slice(0, 30), visible: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none' };
    })()`);
    if (f === null) break;
    assert.ok(f.visible, `${name}: focus on "${f.what}" is not visible`);
  }
}

/** Polls `ok` (Node side) until it holds: string predicates in the page would need the eval that the CSP forbids. */
async function until(what: string, ok: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function open(path: string, heading: string): Promise<void> {
  await page.goto(base + path);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

test('console: log in, empty store, upload a capture', { skip }, async () => {
  await page.goto(base + '/');
  await page.getByRole('heading', { name: 'Lantern' }).waitFor();
  await accessibility('login');
  await page.getByLabel('User name', { exact: true }).fill('admin');
  await page.getByLabel('Password', { exact: true }).fill('wrong password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByText('Wrong user name or password.').waitFor();
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
  await page.getByText('Nothing seen yet.').waitFor();
  await shot('dashboard-empty');
  await accessibility('empty dashboard');

  await open('/captures', 'Captures');
  await page.getByLabel(/Capture file/).setInputFiles(DEMO_CAPTURE);
  await page.getByRole('button', { name: 'Upload and analyse' }).click();
  await page.getByText(/demo-plant\.pcapng: 1,163 frames analysed/).waitFor({ timeout: 60_000 });
  await shot('captures');
  await accessibility('captures');
});

test('console: dashboard shows the plant', { skip }, async () => {
  await open('/', 'Dashboard');
  const glance = page.getByRole('region', { name: 'At a glance' });
  await glance.getByText('assets').waitFor();
  await until('7 assets on the dashboard', async () => ((await page.locator('.kpis').textContent()) ?? '').includes('7assets'));
  await page.getByRole('img', { name: /Protocol events over capture time/ }).waitFor();
  for (const p of ['modbus', 's7comm', 'dnp3', 'opcua']) await page.getByRole('region', { name: 'Protocols in use' }).getByRole('link', { name: p }).waitFor();
  // The demo's attacks: open alerts by severity, and the attacked PLCs among the riskiest assets.
  await page.getByRole('region', { name: 'Open alerts by severity' }).getByText('critical').waitFor();
  await page.getByRole('region', { name: 'Riskiest assets' }).getByRole('link', { name: /CPU 315-2 PN\/DP/ }).waitFor();
  await page.getByRole('region', { name: 'Sensor health' }).getByText('1,163 (').waitFor();
  await shot('dashboard');
  await accessibility('dashboard');
  await focusWalk('dashboard');
});

test('console: asset table filters on the server and works by keyboard; the asset page explains itself', { skip }, async () => {
  await open('/assets', 'Assets');
  const grid = page.getByRole('grid', { name: 'Assets' });
  await grid.getByRole('row').nth(7).waitFor();
  assert.equal(await grid.getByRole('row').count(), 8, 'header + 7 assets');
  await shot('assets');
  await accessibility('assets');
  await page.getByLabel('Search', { exact: true }).fill('PLC-1');
  await until('one matching asset', async () => (await grid.getByRole('row').count()) === 2);
  await grid.getByRole('row').nth(1).getByText('PLC-1 M580 OPC UA').waitFor();
  await page.getByLabel('Search', { exact: true }).fill('');
  await page.getByRole('combobox', { name: /^Role/ }).selectOption('controller');
  await until('three controllers', async () => (await grid.getByRole('row').count()) === 4);
  // Keyboard: into the table, down one row, Enter opens it.
  await grid.getByRole('row').nth(1).focus();
  await page.keyboard.press('ArrowDown');
  const second = (await grid.getByRole('row').nth(2).getByRole('gridcell').first().textContent()) ?? '';
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: second }).waitFor();
  assert.match(page.url(), /\/assets\//);

  await page.goto(`${base}/assets/${encodeURIComponent((store.listAssets({ filter: { text: 'PLC-1' }, limit: 1 }).items[0]).id)}`);
  await page.getByRole('heading', { level: 1, name: 'PLC-1 M580 OPC UA' }).waitFor();
  const identity = page.getByRole('region', { name: 'Identity' });
  await identity.getByText('BMEP582040 CPU').first().waitFor();
  await identity.getByText(/Evidence \(\d+\)/).first().click();
  await identity.getByRole('cell', { name: 'modbus' }).first().waitFor();
  await page.getByRole('region', { name: 'Roles' }).getByText('Controller', { exact: true }).waitFor();
  await page.getByRole('region', { name: 'Connections' }).getByRole('cell', { name: /modbus/ }).first().waitFor();
  await page.getByRole('region', { name: 'Operations' }).getByText('write_single_register').first().waitFor();
  await page.getByRole('region', { name: 'Timeline' }).getByText('First seen').waitFor();
  await shot('asset');
  await accessibility('asset page');
  await focusWalk('asset page');
});

test('console: event search', { skip }, async () => {
  await open('/events', 'Events');
  await page.getByRole('grid', { name: 'Protocol events' }).getByRole('row').nth(1).waitFor();
  await page.getByRole('combobox', { name: /^Protocol/ }).selectOption('s7comm');
  await page.getByRole('combobox', { name: /^Access/ }).selectOption('program');
  await page.getByRole('button', { name: 'Search' }).click();
  const want = store.countEvents({ protocol: 's7comm', access: 'program' });
  assert.ok(want > 0);
  await page.getByText(`${want} events`).waitFor();
  await page.getByRole('grid', { name: 'Protocol events' }).getByText('download_block').waitFor();
  await page.getByRole('grid', { name: 'Protocol events' }).getByText('download_block').click();
  await page.getByRole('region', { name: /s7comm download_block/ }).waitFor();
  await shot('events');
  await accessibility('events');
});

test('console: an alert raised by the detections is explained and worked from the queue to resolution', { skip }, async () => {
  const title = 'Program download to 10.10.1.22 from 10.10.9.66 (s7comm)';
  const id = store.listAlerts({ detection: 'behavior.program_download' }).items[0]?.id;
  assert.ok(id, 'the demo upload raised a program-download alert');
  await open('/alerts', 'Alerts');
  await page.getByRole('grid', { name: 'Alerts' }).getByText(title).click();
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  const meaning = page.getByRole('region', { name: 'What it means' });
  await meaning.getByText('T0843 Program Download').waitFor();
  await meaning.getByText(/Lateral Movement/).first().waitFor();
  await page.getByRole('region', { name: 'Playbook' }).getByText(/wrote program blocks/).waitFor();
  await page.getByRole('region', { name: 'Evidence' }).getByRole('cell', { name: 'request_download' }).waitFor();
  await page.getByRole('button', { name: 'Assign to me' }).click();
  await page.getByText('Assigned to you').waitFor();
  await page.getByRole('combobox', { name: /^Status/ }).selectOption('investigating');
  await page.getByText('Status: investigating').waitFor();
  await page.getByLabel('New comment', { exact: true }).fill('Engineer confirms no maintenance window.');
  await page.getByRole('button', { name: 'Add comment' }).click();
  await page.getByText('Engineer confirms no maintenance window.').waitFor();
  await shot('alert');
  await accessibility('alert');
  await page.getByRole('combobox', { name: /^Status/ }).selectOption('resolved');
  await page.getByText('Status: resolved').waitFor();
  const a = store.getAlert(id)!;
  assert.equal(a.status, 'resolved');
  assert.equal(a.assignee, 'admin');
  assert.equal(store.listAlertComments(id).length, 1);
  await open('/', 'Dashboard');
  await page.getByRole('region', { name: 'Alerts by status' }).getByText('resolved').waitFor();
});

test('console: communication map', { skip }, async () => {
  await open('/map', 'Communication map');
  await page.locator('svg [role=button], svg [tabindex="0"]').first().waitFor();
  await shot('map');
  await accessibility('map');
  await focusWalk('map');
});

test('console: settings', { skip }, async () => {
  await open('/settings', 'Settings');
  await page.getByText('admin').first().waitFor();
  await page.getByRole('region', { name: 'Learned baseline' }).getByText('Learning').waitFor();
  await shot('settings');
  await accessibility('settings');
  await focusWalk('settings');
});

test('console: unknown pages and logout', { skip }, async () => {
  await open('/no-such-page', 'Not found');
  await accessibility('not found');
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('button', { name: 'Log in' }).waitFor();
  assert.deepEqual(pageErrors, []);
});

// The web console end to end in headless Chromium (playwright-core driving Debian's /usr/bin/chromium): start the
// server on an empty store, log in, upload a capture, open every page and check what it shows, work an alert, use the
// tables by keyboard; on every page run axe-core's WCAG 2 A/AA rules (labels, contrast, names, structure) and walk the
// focus with Tab, checking each stop is visible. Screenshots land in out/console/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { CONSOLE_SKIP, ConsoleHarness } from './console-harness.js';
import type { SqliteStore } from '../src/store/sqlite.js';
import { DEMO_CAPTURE } from '../src/cli/serve.js';

const PASSWORD = 'console test password';
const skip = CONSOLE_SKIP;
if (skip !== false) process.stdout.write(`console e2e: ${skip}\n`);

const h = new ConsoleHarness();
const { accessibility, focusWalk, until, shot, open } = h;
let page: Page;
let base = '';
let store: SqliteStore;
const pageErrors = h.pageErrors;


before(async () => {
  if (skip !== false) return;
  await h.start('lantern-console-', PASSWORD);
  ({ page, base, store } = h);
});

after(async () => {
  if (skip !== false) return;
  await h.stop();
});

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

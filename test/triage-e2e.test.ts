// The triage console end to end in headless Chromium (playwright-core driving Debian's /usr/bin/chromium): start the
// server on an empty store, log in, upload the demo capture, then work the day's queue from the console alone: the
// Now queue leads with the demo attacker's incident, its page explains it (summary, score, timeline, playbook), the
// analyst ticks a playbook step, investigates, comments, downloads its evidence pcap and resolves it with its alerts;
// an alert is suppressed for an hour from its page and the rule shows in Settings; the dashboard shows the queues and
// dwell time. axe-core's WCAG 2 A/AA rules run on every triage page. Screenshots land in out/console/triage-*.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { CONSOLE_SKIP, ConsoleHarness } from './console-harness.js';
import type { SqliteStore } from '../src/store/sqlite.js';
import { DEMO_CAPTURE } from '../src/cli/serve.js';
import type { AlertRecord } from '../src/store/store.js';
import type { IncidentRecord } from '../src/store/triage.js';

const PASSWORD = 'triage test password';
/** The demo capture's attacker (demo/README: the engineering laptop that scans, downloads, stops and restarts). */
const ATTACKER = '10.10.9.66';
const skip = CONSOLE_SKIP;
if (skip !== false) process.stdout.write(`triage e2e: ${skip}\n`);

const h = new ConsoleHarness();
const { accessibility, focusWalk, until, shot, open } = h;
let page: Page;
let base = '';
let store: SqliteStore;
const pageErrors = h.pageErrors;
let incident: IncidentRecord;

before(async () => {
  if (skip !== false) return;
  await h.start('lantern-triage-', PASSWORD);
  ({ page, base, store } = h);
});

after(async () => {
  if (skip !== false) return;
  await h.stop();
});

/** GET through the browser's session (its cookie), as the console would. */
async function apiGet<T>(path: string): Promise<T> {
  const r = await page.request.get(base + path);
  assert.equal(r.status(), 200, `GET ${path}`);
  return (await r.json()) as T;
}

test('triage: log in and upload the demo capture', { skip }, async () => {
  await page.goto(base + '/');
  await page.getByLabel('User name', { exact: true }).fill('admin');
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
  await open('/captures', 'Captures');
  await page.getByLabel(/Capture file/).setInputFiles(DEMO_CAPTURE);
  await page.getByRole('button', { name: 'Upload and analyse' }).click();
  await page.getByText(/demo-plant\.pcapng: 1,163 frames analysed/).waitFor({ timeout: 60_000 });
  await until('the demo incident', () => store.triage.listIncidents({ open: true, queue: 'now' }).items.length > 0, 30_000);
  incident = store.triage.listIncidents({ open: true, queue: 'now' }).items[0];
  assert.ok(incident.hosts.includes(ATTACKER), `the top incident involves the attacker: ${incident.hosts.join(', ')}`);
});

test('triage: the Now queue leads with the attacker’s incident; tabs and selection work by keyboard', { skip }, async () => {
  // The nav lists the queue right after the dashboard.
  const nav = page.getByRole('navigation', { name: 'Main' }).getByRole('link');
  assert.deepEqual((await nav.allTextContents()).slice(0, 2), ['Dashboard', 'Triage']);
  await nav.nth(1).click();
  await page.getByRole('heading', { level: 1, name: 'Triage' }).waitFor();
  const now = page.getByRole('tab', { name: /^Now/ });
  assert.equal(await now.getAttribute('aria-selected'), 'true');
  const counts = store.triage.countIncidentsBy('queue', true);
  await until('the Now tab counts', async () => ((await now.textContent()) ?? '').includes(`${counts.now} incident`));

  const incidents = page.getByRole('table', { name: /Open incidents in the Now queue/ });
  const first = incidents.getByRole('row').nth(1);
  await first.getByRole('link', { name: incident.title, exact: true }).waitFor();
  assert.match((await first.textContent()) ?? '', new RegExp(ATTACKER.replace(/\./g, '\\.')));
  assert.equal(await first.getByRole('list', { name: /Tactics of/ }).getByRole('listitem').count(), incident.tactics.length);
  await shot('triage-queue');
  await accessibility('triage queue');
  await focusWalk('triage queue');

  // Tabs: arrow keys move between queues; the Next queue lists its alerts that no incident shown there holds.
  await now.focus();
  await page.keyboard.press('ArrowRight');
  const next = page.getByRole('tab', { name: /^Next/ });
  await until('the Next tab selected', async () => (await next.getAttribute('aria-selected')) === 'true');
  assert.match(page.url(), /queue=next/);
  assert.equal(await page.evaluate<string | undefined>('document.activeElement?.id'), 'tab-next');
  const nextAlerts = store.listAlerts({ open: true, queue: 'next', suppressed: false }).items;
  assert.ok(nextAlerts.length > 0, 'the demo has alerts in the Next queue');
  await page.getByRole('table', { name: /Open alerts in the Next queue/ }).getByRole('link', { name: nextAlerts[0].title, exact: true }).waitFor();
  await accessibility('triage queue, Next');
  await page.keyboard.press('ArrowLeft');
  await until('back on Now', async () => (await now.getAttribute('aria-selected')) === 'true');

  // Selection: the checkbox of the incident row enables the bulk actions; clearing disables them again.
  const bulk = page.getByRole('group', { name: 'Change the selected' });
  assert.equal(await bulk.getByRole('button', { name: 'Acknowledge' }).isDisabled(), true);
  await first.getByRole('checkbox').focus();
  await page.keyboard.press('Space');
  await bulk.getByText('1 selected').waitFor();
  assert.equal(await bulk.getByRole('button', { name: 'Acknowledge' }).isDisabled(), false);
  await bulk.getByRole('button', { name: 'Clear selection' }).click();
  await bulk.getByText('Nothing selected').waitFor();
});

test('triage: an incident is explained and worked from the queue to resolution', { skip }, async () => {
  await open('/triage', 'Triage');
  await page.getByRole('table', { name: /Open incidents in the Now queue/ }).getByRole('link', { name: incident.title, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: incident.title }).waitFor();
  assert.match(page.url(), new RegExp(`/incidents/${incident.id}$`));

  // What happened, and why it ranks first.
  await page.getByRole('region', { name: 'Summary' }).getByText(`${ATTACKER} acted in`).waitFor();
  const score = page.getByRole('region', { name: 'Score', exact: true });
  await score.getByRole('rowheader', { name: 'Highest alert' }).waitFor();
  await score.getByRole('cell', { name: String(incident.score), exact: true }).waitFor();
  await page.getByRole('region', { name: 'Hosts' }).getByRole('link', { name: new RegExp(ATTACKER.replace(/\./g, '\\.')) }).waitFor();
  // The timeline: every alert, oldest first, each linking to its page.
  const timeline = page.getByRole('region', { name: 'Timeline' }).getByRole('row');
  const alerts = store.listAlerts({ incident: incident.id }, null, 200).items.sort((a, b) => a.first_seen - b.first_seen);
  await until('the timeline', async () => (await timeline.count()) === alerts.length + 1);
  assert.ok(((await timeline.nth(1).textContent()) ?? '').includes(alerts[0].title), 'the oldest alert first');
  assert.ok(((await timeline.nth(alerts.length).textContent()) ?? '').includes(alerts[alerts.length - 1].title), 'the newest alert last');

  // Tick a playbook step of the (open) group of the top alert's detection; it is saved with the incident.
  const playbook = page.getByRole('region', { name: 'Playbook' });
  const step = playbook.getByRole('checkbox').first();
  const stepId = (await step.getAttribute('id')) ?? '';
  const index = Number(/-check-(\d+)$/.exec(stepId)?.[1]);
  assert.ok(Number.isInteger(index), `a check step: ${stepId}`);
  await step.check();
  await playbook.getByText(/^Ticked: /).waitFor();
  assert.deepEqual(store.triage.getIncident(incident.id)!.playbook, { check: [index], respond: [] });
  await page.reload();
  await page.getByRole('heading', { level: 1, name: incident.title }).waitFor();
  assert.equal(await page.locator(`#${stepId}`).isChecked(), true, 'still ticked after a reload');

  // Investigate, take it, comment.
  await page.getByRole('combobox', { name: /^Status/ }).selectOption('investigating');
  await page.getByText('Status: investigating').waitFor();
  assert.equal(store.triage.getIncident(incident.id)!.status, 'investigating');
  await page.getByRole('button', { name: 'Assign to me' }).click();
  await page.getByText('Assigned to you, with its open alerts').waitFor();
  assert.equal(store.triage.getIncident(incident.id)!.assignee, 'admin');
  await page.getByLabel('New comment', { exact: true }).fill('Laptop 10.10.9.66 is not ours: isolated at the switch.');
  await page.getByRole('button', { name: 'Add comment' }).click();
  await page.getByRole('region', { name: 'Comments' }).getByText('Laptop 10.10.9.66 is not ours: isolated at the switch.').waitFor();

  // The evidence pcap of its window and hosts, through the link the page offers (the session cookie goes with it).
  const href = (await page.getByRole('link', { name: 'Download evidence (pcap)' }).getAttribute('href')) ?? '';
  assert.equal(href, `/api/incidents/${incident.id}/pcap`);
  const pcap = await page.request.get(base + href);
  assert.equal(pcap.status(), 200, `evidence pcap: ${await pcap.text()}`);
  const body = await pcap.body();
  assert.equal(body.readUInt32BE(0), 0x0a0d0d0a, 'a pcapng file');
  assert.ok(Number(pcap.headers()['x-lantern-evidence-frames']) > 100, 'the attacker’s packets');
  await shot('triage-incident');
  await accessibility('incident page');
  await focusWalk('incident page');

  // Resolve it with its alerts.
  await page.getByRole('button', { name: 'Resolve with its alerts' }).click();
  await page.getByText(/^Resolved, with its \d+ open alerts?$/).waitFor();
  assert.equal(store.triage.getIncident(incident.id)!.status, 'resolved');
  const after = await apiGet<{ items: AlertRecord[] }>(`/api/alerts?incident=${incident.id}&limit=500`);
  assert.equal(after.items.length, incident.alerts);
  assert.deepEqual([...new Set(after.items.map((a) => a.status))], ['resolved']);
  assert.deepEqual([...new Set(after.items.map((a) => a.assignee))], ['admin']);

  // Back in the queue: the incident has left Now.
  await page.getByRole('link', { name: 'Triage queue' }).click();
  await page.getByRole('heading', { level: 1, name: 'Triage' }).waitFor();
  await page.getByText('No open incident in this queue.').waitFor();
  await until('Now counts no incident', async () => ((await page.getByRole('tab', { name: /^Now/ }).textContent()) ?? '').includes('0 incidents'));
  const stillOpen = await apiGet<{ items: IncidentRecord[] }>('/api/incidents?open=true&queue=now');
  assert.equal(stillOpen.items.some((i) => i.id === incident.id), false);
  await accessibility('triage queue, worked');
});

test('triage: an alert explains its score, keeps its playbook ticks, and is suppressed for an hour', { skip }, async () => {
  const a = store.listAlerts({ detection: 'behavior.port_scan' }).items[0];
  assert.ok(a, 'the demo raised a port-scan alert');
  await open(`/alerts/${encodeURIComponent(a.id)}`, a.title);
  const risk = page.getByRole('region', { name: 'Risk score' });
  await risk.getByRole('rowheader', { name: 'Severity' }).waitFor();
  await risk.getByRole('cell', { name: String(a.score), exact: true }).waitFor();
  await risk.getByRole('link', { name: 'Open its incident' }).waitFor();
  assert.equal(await risk.getByRole('link', { name: 'Download evidence (pcap)' }).getAttribute('href'), `/api/alerts/${encodeURIComponent(a.id)}/pcap`);

  // A playbook tick on the alert is saved with it.
  const playbook = page.getByRole('region', { name: 'Playbook' });
  await playbook.getByRole('checkbox').nth(1).check();
  await playbook.getByText(/^Ticked: /).waitFor();
  assert.deepEqual(store.getAlert(a.id)!.playbook, { check: [1], respond: [] });
  await page.reload();
  await page.getByRole('heading', { level: 1, name: a.title }).waitFor();
  assert.equal(await page.getByRole('region', { name: 'Playbook' }).getByRole('checkbox').nth(1).isChecked(), true);

  // Suppress…: this detection on the attacker's host, for 1 hour.
  await page.getByRole('button', { name: 'Suppress…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Suppress alerts' });
  await dialog.waitFor();
  await dialog.getByRole('combobox', { name: 'Where' }).selectOption(`host:${ATTACKER}`);
  await dialog.getByRole('combobox', { name: 'Expires' }).selectOption({ label: '1 hour' });
  await dialog.getByRole('button', { name: 'Suppress', exact: true }).click();
  await dialog.getByText(/Say why/).waitFor();
  await dialog.getByRole('textbox', { name: 'Reason' }).fill('Sanctioned scan by the asset-inventory laptop today');
  await accessibility('suppress dialog');
  const t0 = Date.now() / 1000;
  await dialog.getByRole('button', { name: 'Suppress', exact: true }).click();
  // The incident holding this alert was resolved above, so no open alert is left to hide at once.
  await page.getByText(/^Suppression \d+ created: Sanctioned scan .*\. 0 open alerts hidden now\.$/).waitFor();
  await dialog.waitFor({ state: 'hidden' });
  await until('focus back on the button', async () => (await page.evaluate<string | undefined>('document.activeElement?.textContent')) === 'Suppress…');
  const rules = store.triage.listSuppressions();
  assert.equal(rules.length, 1);
  assert.equal(rules[0].detection, 'behavior.port_scan');
  assert.equal(rules[0].host, ATTACKER);
  assert.ok(rules[0].expires !== null && Math.abs(rules[0].expires - (t0 + 3600)) < 120, `expires in an hour: ${rules[0].expires}`);

  // Settings → Suppressions lists it, active; Detections takes a severity override.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
  const suppressions = page.getByRole('region', { name: 'Suppressions' });
  const row = suppressions.getByRole('row', { name: /Sanctioned scan/ });
  await row.getByText('active', { exact: true }).waitFor();
  await row.getByText(ATTACKER, { exact: true }).waitFor();
  assert.equal(await row.getByRole('switch').isChecked(), true);
  const detections = page.getByRole('region', { name: 'Detections' });
  await detections.getByRole('combobox', { name: 'Severity of Device clock set' }).selectOption('medium');
  await detections.getByText('Device clock set: severity medium.').waitFor();
  assert.deepEqual((await apiGet<Record<string, unknown>>('/api/detections/overrides'))['behavior.clock_change'], { severity: 'medium' });
  await suppressions.scrollIntoViewIfNeeded();
  await shot('triage-settings');
  await accessibility('settings with suppressions and detections');
  await detections.getByRole('combobox', { name: 'Severity of Device clock set' }).selectOption('');
  await detections.getByText(/severity back to its default/).waitFor();
});

test('triage: the dashboard shows the queues and dwell time', { skip }, async () => {
  await open('/', 'Dashboard');
  const queues = page.getByRole('region', { name: 'To work now' });
  await queues.getByRole('link', { name: /^Now/ }).waitFor();
  assert.equal(await queues.getByRole('link', { name: /^Now/ }).getAttribute('href'), '/triage?queue=now');
  const dwell = page.getByRole('region', { name: 'Dwell time' });
  // The incident's alerts were acknowledged and resolved in this run: seconds, said in human units.
  await dwell
    .getByRole('row', { name: /critical/ })
    .getByText(/^[\d.]+ (s|min|h) \/ [\d.]+ (s|min|h)$/)
    .first()
    .waitFor();
  await shot('triage-dashboard');
  await accessibility('dashboard with triage cards');

  // A link to a settings section (the alert page's "rule N", the queue's "suppressions") lands on that section.
  await open('/settings#settings-audit', 'Settings');
  const audit = page.locator('#settings-audit');
  await until('the Audit log section scrolled into view', async () => {
    const box = await audit.boundingBox();
    return box !== null && box.y >= -1 && box.y < (page.viewportSize()?.height ?? 0) / 2;
  });
  assert.deepEqual(pageErrors, []);
});

// The web console at scale, in headless Chromium: a store with 50,000 assets, 100,000 alerts and 1,000,000 events
// (LANTERN_BENCH_CONSOLE_EVENTS to change), served by the real server. Measures the time to a usable page (dashboard
// figures drawn; first asset rows; first events; first alerts), scrolling the asset table through 5,000 rows (pages
// fetched as it scrolls), and the browser's JS heap. Run by `npm run bench` (needs /usr/bin/chromium and web/dist).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { buildApp } from '../src/server/app.js';
import { SqliteStore } from '../src/store/sqlite.js';
import { StoreAuth } from '../src/server/store-auth.js';
import { hashPassword } from '../src/server/passwords.js';
import { WEB_ROOT } from '../src/cli/serve.js';
import { fillStore } from './store.js';

const CHROMIUM = '/usr/bin/chromium';

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM) || !existsSync(join(WEB_ROOT, 'index.html'))) {
    process.stdout.write('console bench: SKIPPED (needs /usr/bin/chromium and the built console)\n');
    return;
  }
  const events = Number(process.env.LANTERN_BENCH_CONSOLE_EVENTS ?? 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'lantern-console-bench-'));
  const store = new SqliteStore(join(dir, 'lantern.db'));
  const fill = fillStore(store, { events, assets: 50_000, alerts: 100_000, batch: 5000 }, () => {});
  store.putCounters(Date.now() / 1000, { frames: events, bytes: events * 120, anomaly_total: 0, anomalies: {}, inputs: [], protocols: {}, first_ts: null, last_ts: null, inventory: { assets: 50_000, connections: 0, by_role: {}, by_purdue_level: {} } });
  const auth = new StoreAuth(store);
  auth.createUser({ name: 'admin', role: 'admin', password_hash: await hashPassword('bench password 1'), created: Date.now() / 1000 });
  const app = await buildApp({ auth, store, webRoot: WEB_ROOT });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--enable-precise-memory-info'] });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(60_000);
  await page.goto(base + '/');
  await page.getByLabel('User name', { exact: true }).fill('admin');
  await page.getByLabel('Password', { exact: true }).fill('bench password 1');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();

  const timed = async (what: string, go: () => Promise<unknown>): Promise<[string, number]> => {
    const t = performance.now();
    await go();
    return [what, Math.round(performance.now() - t)];
  };
  const rows: [string, number][] = [];
  rows.push(await timed('dashboard: open, figures drawn', async () => {
    await page.goto(base + '/');
    await page.getByRole('region', { name: 'Riskiest assets' }).getByRole('table').waitFor();
    await page.getByRole('img', { name: /Protocol events over capture time/ }).waitFor();
  }));
  const grid = page.getByRole('grid', { name: 'Assets' });
  rows.push(await timed('assets: open, first rows', async () => {
    await page.goto(base + '/assets');
    await grid.getByRole('row').nth(10).waitFor();
  }));
  rows.push(await timed('assets: scroll to row 5,000 (50 pages fetched on the way)', async () => {
    // Scroll to the end again and again: each time the table fetches the next page as its end comes into view.
    for (let tries = 0; tries < 2000; tries++) {
      await page.evaluate("document.querySelector('[role=grid][aria-label=Assets] .tbody').scrollTop = 1e9");
      const last = Number((await grid.getByRole('row').last().getAttribute('aria-rowindex')) ?? 0);
      if (last >= 5001) break;
      await new Promise((r) => setTimeout(r, 20));
    }
  }));
  rows.push(await timed('assets: search "10.0.100." on the server', async () => {
    await page.getByLabel('Search', { exact: true }).fill('10.0.100.');
    await grid.getByRole('row').nth(1).getByText(/10\.0\.100\./).first().waitFor();
  }));
  rows.push(await timed('events: open, first rows (newest of all)', async () => {
    await page.goto(base + '/events');
    await page.getByRole('grid', { name: 'Protocol events' }).getByRole('row').nth(10).waitFor();
  }));
  rows.push(await timed('alerts: open, first rows', async () => {
    await page.goto(base + '/alerts');
    await page.getByRole('grid', { name: 'Alerts' }).getByRole('row').nth(10).waitFor();
  }));
  const heap = await page.evaluate<number>('performance.memory ? performance.memory.usedJSHeapSize : 0');
  await browser.close();
  await app.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });

  process.stdout.write(`\nConsole at scale: ${events.toLocaleString('en-US')} events, 50,000 assets, 100,000 alerts (store filled in ${(fill.ingestSec + fill.restSec).toFixed(1)} s); headless Chromium, 2 cores\n\n`);
  process.stdout.write('| Step | ms |\n|---|---:|\n');
  for (const [what, ms] of rows) process.stdout.write(`| ${what} | ${ms.toLocaleString('en-US')} |\n`);
  process.stdout.write(`| browser JS heap after the run | ${(heap / 1048576).toFixed(1)} MiB |\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`console bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});

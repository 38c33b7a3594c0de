// What the console's end-to-end tests share: the server `lantern serve` runs, on an empty store with one admin, headless
// Chromium (playwright-core driving Debian's /usr/bin/chromium) collecting page errors, and the checks every page gets:
// axe-core's WCAG 2.0/2.1 A and AA rules, a Tab walk with visible focus, screenshots to out/console/.
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
import { WEB_ROOT } from '../src/cli/serve.js';

const CHROMIUM = '/usr/bin/chromium';
export const SHOTS = join(REPO_ROOT, 'out', 'console');

/** Why the browser tests cannot run here, or false. */
export const CONSOLE_SKIP: string | false = !existsSync(CHROMIUM)
  ? `SKIPPED: ${CHROMIUM} is not installed (apt-get install chromium; .ci/run does)`
  : !existsSync(join(WEB_ROOT, 'index.html'))
    ? 'SKIPPED: the console is not built (npm run build:web)'
    : false;

export class ConsoleHarness {
  app!: FastifyInstance;
  store!: SqliteStore;
  sensor!: Sensor;
  browser!: Browser;
  page!: Page;
  base = '';
  dir = '';
  /** Script errors, console errors and unexpected HTTP errors the pages met. */
  readonly pageErrors: string[] = [];

  async start(prefix: string, password: string): Promise<void> {
    this.dir = mkdtempSync(join(tmpdir(), prefix));
    this.store = new SqliteStore(join(this.dir, 'lantern.db'));
    const parts = await assembleServer(this.store, { data: this.dir, webRoot: WEB_ROOT });
    this.sensor = parts.sensor;
    this.app = parts.app;
    parts.auth.createUser({ name: 'admin', role: 'admin', password_hash: await hashPassword(password), created: Date.now() / 1000 });
    await this.app.listen({ port: 0, host: '127.0.0.1' });
    this.base = `http://127.0.0.1:${(this.app.server.address() as AddressInfo).port}`;
    mkdirSync(SHOTS, { recursive: true });
    this.browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
    this.page = await this.browser.newPage({ viewport: { width: 1440, height: 900 } });
    this.page.setDefaultTimeout(15_000);
    this.page.on('pageerror', (e) => this.pageErrors.push(String(e)));
    this.page.on('console', (m) => {
      // Failed requests are judged by the response handler below, which knows their address.
      if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) this.pageErrors.push(m.text());
    });
    this.page.on('response', (r) => {
      const path = new URL(r.url()).pathname;
      // The first /api/me before logging in answers 401 by design, as does a login with a wrong password.
      if (r.status() >= 400 && !(r.status() === 401 && (path === '/api/me' || path === '/api/auth/login'))) this.pageErrors.push(`${r.status()} ${r.request().method()} ${path}`);
    });
  }

  async stop(): Promise<void> {
    await this.browser?.close();
    await this.app?.close();
    await this.sensor?.idle();
    this.store?.close();
    if (this.dir !== '') rmSync(this.dir, { recursive: true, force: true });
  }

  /** axe-core's WCAG 2.0/2.1 A and AA rules on the page as it is. */
  accessibility = async (name: string): Promise<void> => {
    // Injected through the debugging protocol: the console's CSP (rightly) refuses inline scripts.
    if (!(await this.page.evaluate<boolean>("'axe' in window"))) await this.page.evaluate(axe.source);
    // Browser code is passed as text: the tests compile without the DOM's types.
    const violations = await this.page.evaluate<string[]>(`
      axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then((r) =>
        r.violations.map((v) => v.id + ' (' + v.impact + '): ' + v.help + ' at ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')))`);
    assert.deepEqual(violations, [], `${name}: accessibility violations`);
  };

  /** Tabs through the first stops of the page: each has a visible focus indicator. */
  focusWalk = async (name: string, stops = 16): Promise<void> => {
    await this.page.locator('body').focus();
    for (let i = 0; i < stops; i++) {
      await this.page.keyboard.press('Tab');
      const f = await this.page.evaluate<{ what: string; visible: boolean } | null>(`(() => {
        const el = document.activeElement;
        if (el === null || el === document.body) return null;
        const s = getComputedStyle(el);
        return { what: el.tagName.toLowerCase() + ' ' + (el.textContent || '').trim().slice(0, 30), visible: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none' };
      })()`);
      if (f === null) break;
      assert.ok(f.visible, `${name}: focus on "${f.what}" is not visible`);
    }
  };

  /** Polls `ok` (Node side) until it holds: string predicates in the page would need the eval that the CSP forbids. */
  until = async (what: string, ok: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> => {
    const end = Date.now() + ms;
    while (!(await ok())) {
      if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  shot = async (name: string): Promise<void> => {
    await this.page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  };

  open = async (path: string, heading: string | RegExp): Promise<void> => {
    await this.page.goto(this.base + path);
    await this.page.getByRole('heading', { level: 1, name: heading }).waitFor();
  };
}

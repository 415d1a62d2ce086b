/**
 * A real browser for the console's tests: Debian's `chromium` driven by playwright-core (the
 * machine cannot download Playwright's own browsers), headless, with a fresh profile per
 * launch. Screenshots go to `.switchboard/screenshots/` as test artifacts.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../hub/config/project-root.js';
import { ensureCommand } from '../../stack/prerequisites.js';

/** Where the browser tests leave their screenshots. */
export const SCREENSHOT_DIR = path.join(PROJECT_ROOT, '.switchboard', 'screenshots');

/** The Chromium the tests drive: Debian's package (`.ci/run` installs it). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A browser profile of its own; `close()` ends it and removes the profile. */
export interface ConsoleBrowser {
  readonly context: BrowserContext;
  /** A new tab on `url`, signed in with `token` through the sign-in form (as a person does). */
  signedIn(url: string, token: string): Promise<Page>;
  /** Saves a full-page screenshot as `<name>.png` and returns its path. */
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Launches headless Chromium with a fresh `--user-data-dir`.
 *
 * @example
 * ```ts
 * const browser = await launchBrowser();
 * const page = await browser.signedIn(system.console.url, system.console.tokens.operator);
 * await browser.screenshot(page, 'flow-map');
 * await browser.close();
 * ```
 */
export async function launchBrowser(): Promise<ConsoleBrowser> {
  // As root on Debian/Ubuntu a missing chromium is installed (like the stack's Java); elsewhere the error says what to install.
  if (!process.env.CHROMIUM_PATH) ensureCommand('chromium', 'chromium', 'the console\'s browser tests', (line) => process.stderr.write(`${line}\n`));
  const profile = mkdtempSync(path.join(tmpdir(), 'switchboard-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1400, height: 1000 },
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    context,
    async signedIn(url, token) {
      const page = await context.newPage();
      await page.goto(url);
      await page.getByLabel('Token').fill(token);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('navigation', { name: 'Console' }).waitFor();
      return page;
    },
    async screenshot(page, name) {
      const file = path.join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

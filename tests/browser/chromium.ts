import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/**
 * Debian's Chromium (`apt-get install chromium`; `.ci/run` installs it), driven by playwright-core.
 * Playwright's own browser download cannot run on these machines, so the path is the system's.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Whether the browser suites run. Under CI (or REQUIRE_BROWSER=true) a missing Chromium is a failure,
 * never a skip; on a developer's machine without it the suites skip and say how to install it.
 */
export const browserAvailable = existsSync(CHROMIUM_PATH);
export const browserRequired = process.env.CI === 'true' || process.env.REQUIRE_BROWSER === 'true';
if (!browserAvailable && !browserRequired) {
  process.stderr.write(`browser tests skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium)\n`);
}

/**
 * A fresh headless Chromium (Playwright gives it an empty temporary profile). Background networking is
 * off: this machine's closed network refuses Chromium's own calls home, and the pages under test must
 * not need any network but loopback anyway.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The hosts a page under test may reach: loopback only. */
export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * A context as the screen tests use it (a browser locale other than the screen's default language) whose
 * requests beyond loopback are refused; `blocked` collects what was refused, for the test to assert on.
 */
export async function loopbackContext(
  browser: Browser,
  viewport: { width: number; height: number },
  blocked: string[] = [],
): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport, locale: 'en-GB' });
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (LOOPBACK_HOSTS.has(url.hostname)) return route.continue();
    blocked.push(url.href);
    return route.abort('blockedbyclient');
  });
  return context;
}

/** Where tests keep screenshots for a person to look at (CI keeps the folder as an artifact). */
export const ARTIFACTS_DIR = join(process.cwd(), 'tests', 'artifacts');

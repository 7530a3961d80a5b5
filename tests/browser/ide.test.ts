/**
 * The GraphQL IDE in a real browser, as a frontend developer without network access meets it: every
 * request that is not to this machine is blocked (and none may even be tried), the page runs under its
 * Content-Security-Policy without a violation, the example operations are its tabs, a token goes in
 * through the token field, and the caseworker dossier example runs and shows data. Screenshot:
 * tests/artifacts/ide.png.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGatewayConfig, REPO_ROOT } from '../../gateway/config.js';
import { createGateway } from '../../gateway/server.js';
import { listen, type Listening } from '../../platform/graphqlHttp.js';
import { createLogger } from '../../platform/logger.js';
import { startTestStack, TEST_TODAY, type TestStack } from '../e2e/testStack.js';
import { ARTIFACTS_DIR, browserAvailable, browserRequired, launchChromium } from './chromium.js';

const EXAMPLES = join(REPO_ROOT, 'operations', 'examples');
/** One tab per example operation. */
const EXAMPLE_COUNT = readdirSync(EXAMPLES).filter((name) => name.endsWith('.graphql')).length;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

describe.skipIf(!browserAvailable && !browserRequired)('the GraphQL IDE in Chromium, offline', () => {
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let gateway: Awaited<ReturnType<typeof createGateway>>;
  let listening: Listening;
  let youthId: string;
  const scratch = mkdtempSync(join(tmpdir(), 'ungegraf-ide-browser-'));
  /** Requests to anywhere but this machine: blocked, and listed here. */
  const offMachine: string[] = [];
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    stack = await startTestStack({ scale: 0.02 });
    // Need to know: a young person a social caseworker the systems name relates to (an open case), under
    // 25 (from 25, other units' data in the dossier needs consent).
    const sample = await stack.store.queryScreening({ inTargetGroup: true, ageMax: 24, asOf: TEST_TODAY, first: 200 });
    const candidates = sample.rows.map((row) => row.youthId);
    const entries = await stack.store.registerEntries(candidates);
    youthId = candidates.find((_, i) => (entries[i]?.facts.caseworkerIds.length ?? 0) > 0)!;
    expect(youthId).toBeDefined();

    // The project's examples as they are, with the dossier's variables pointing at a young person of
    // this small test population (the committed id is one of `npm start`'s full population).
    const examples = join(scratch, 'examples');
    mkdirSync(examples);
    for (const file of readdirSync(EXAMPLES).filter((name) => /\.(graphql|json)$/.test(name)))
      copyFileSync(join(EXAMPLES, file), join(examples, file));
    writeFileSync(join(examples, 'caseworker-dossier.variables.json'), JSON.stringify({ id: youthId }));

    const config = loadGatewayConfig({ ...stack.env, IDE_EXAMPLES_DIR: examples, GATEWAY_PORT: '0', SUPERGRAPH_RELOAD: 'false' });
    gateway = await createGateway({
      config,
      logger: createLogger('ide-browser-test'),
      subgraphUrls: stack.subgraphUrls,
      access: stack.access,
    });
    await gateway.start();
    listening = await listen(gateway.handler, { port: 0, host: '127.0.0.1' });

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (LOOPBACK.has(new URL(url).hostname)) return route.continue();
      offMachine.push(url);
      return route.abort('internetdisconnected');
    });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    // CSP violations are reported as events on the document; kept where the test can read them.
    await page.addInitScript(() => {
      const violations: string[] = [];
      (window as unknown as { __cspViolations: string[] }).__cspViolations = violations;
      document.addEventListener('securitypolicyviolation', (event) => violations.push(`${event.violatedDirective} ${event.blockedURI}`));
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
    await listening?.close();
    await stack?.shutdown();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('takes a token handed over in the URL fragment, and removes it from the address bar', async () => {
    // A tab of its own: the token lives in the tab's session storage.
    const fresh = await context.newPage();
    await fresh.goto(`${listening.url}/ide/#token=${await stack.tokenFor('social-caseworker')}`);
    await fresh.waitForSelector('.graphiql-container', { timeout: 60_000 });
    expect(new URL(fresh.url()).hash).toBe('');
    expect(await fresh.locator('.ide-token-state').getAttribute('data-state')).toBe('set');
    await fresh.close();
  }, 120_000);

  it('runs the dossier example with a token typed into the token field, and shows its data', async () => {
    await page.goto(`${listening.url}/ide/`);
    await page.waitForSelector('.graphiql-container', { timeout: 60_000 });
    expect(await page.locator('.ide-token-state').getAttribute('data-state')).toBe('unset');
    await page.locator('#ide-token-input').fill(`Bearer ${await stack.tokenForYouth('social-caseworker', youthId)}`);
    // The IDE's own words and the examples' descriptions are Danish by default (issue 15).
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('da');
    await page.getByRole('button', { name: 'Brug token' }).click();
    await expect.poll(() => page.locator('.ide-token-state').getAttribute('data-state')).toBe('set');

    // One tab per example, named by its operation.
    const tabs = page.locator('.graphiql-tab');
    await expect.poll(() => tabs.count(), { timeout: 30_000 }).toBe(EXAMPLE_COUNT);
    const titles = (await tabs.allInnerTexts()).map((text) => text.trim());
    expect(titles).toEqual(
      expect.arrayContaining(['AssignContactPerson', 'CaseworkerDossier', 'PartnerYoungPeople', 'RecordConsent', 'ReportingBreakdown']),
    );

    await page.locator('.graphiql-tab', { hasText: 'CaseworkerDossier' }).locator('button').first().click();
    // The audience comment is in the editor, in Danish (Monaco renders spaces as no-break spaces: \s).
    await expect.poll(() => page.locator('.graphiql-query-editor').innerText(), { timeout: 30_000 }).toMatch(/Kommunale\s+sagsbehandlere/);
    // GraphiQL reads the operation name off the editor 100 ms after its text changes (a debounce); a
    // click sooner would send the previous tab's operation name with this tab's document.
    await page.waitForTimeout(300);
    await page.locator('.graphiql-execute-button').click();
    const response = page.locator('.graphiql-response');
    // Done when the answer names the young person or has errors (then the assertion below shows them).
    await page.waitForFunction(
      (id) => {
        const answer = document.querySelector('.graphiql-response')?.textContent ?? '';
        return answer.includes(id) || answer.includes('"errors"');
      },
      youthId,
      { timeout: 60_000 },
    );
    expect((await response.innerText()).replace(/\s+/g, ' ')).toContain(youthId);
    const text = await response.innerText();
    expect(text).toContain('"firstName"');
    expect(text).not.toContain('UNAUTHENTICATED');

    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'ide.png') });
  }, 180_000);

  it('loaded everything from this machine, with no CSP violation and no script error', async () => {
    expect(offMachine).toEqual([]);
    const violations = await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
    expect(violations).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(consoleErrors.filter((message) => !/favicon/.test(message))).toEqual([]);
  });

  it('keeps its tabs across a reload, in local storage under the version of the examples', async () => {
    await page.reload();
    await page.waitForSelector('.graphiql-container', { timeout: 60_000 });
    await expect.poll(() => page.locator('.graphiql-tab').count(), { timeout: 30_000 }).toBe(EXAMPLE_COUNT);
    const keys = await page.evaluate(() => Object.keys(localStorage));
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys.filter((key) => key !== 'ungegraf.language')) expect(key).toMatch(/^ungegraf-ide-[\w-]{12}:graphiql:/);
    // The token stays with the tab (session storage), never in local storage.
    expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain('eyJ');
    expect(await page.locator('.ide-token-state').getAttribute('data-state')).toBe('set');
  }, 120_000);

  it('switches to English: the IDE’s words and the examples’ descriptions, remembered across a reload', async () => {
    await page.locator('.ide-language button[data-language="en"]').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await page.locator('.ide-token button[type="submit"]').textContent()).toBe('Use token');
    await page.locator('.graphiql-tab', { hasText: 'CaseworkerDossier' }).locator('button').first().click();
    await expect.poll(() => page.locator('.graphiql-query-editor').innerText(), { timeout: 30_000 }).toMatch(/Municipal\s+caseworkers/);
    await page.reload();
    await page.waitForSelector('.graphiql-container', { timeout: 60_000 });
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.locator('.ide-language button[data-language="da"]').click();
    await expect.poll(() => page.locator('.ide-token button[type="submit"]').textContent()).toBe('Brug token');
  }, 120_000);

  it('loaded the schema with the token: the documentation explorer knows the Youth type', async () => {
    await page.locator('button[aria-label="Show Documentation Explorer"]').click();
    await page.locator('.graphiql-doc-explorer-search input').fill('Youth');
    await expect.poll(() => page.locator('.graphiql-doc-explorer-search').innerText(), { timeout: 30_000 }).toContain('Youth');
  }, 60_000);
});

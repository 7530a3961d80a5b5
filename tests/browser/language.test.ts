/**
 * The reference screen's language (issue 15 s4) in headless Chromium: it opens in Danish whatever the
 * browser's own locale (here en-GB), `<html lang>` says so, dates read `4. sep. 2026` in prose and
 * `04-09-2026` in tables; the DA/EN switch turns the page, the graph's texts and the date formats to
 * English and back, and the choice survives a reload (localStorage). Screenshots: docs/screen-da.png
 * (the Danish dossier, kept in the docs) and tests/artifacts/screen-en.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ageOn } from '../../platform/dates.js';
import { da } from '../../web/client/i18n/da.js';
import { en } from '../../web/client/i18n/en.js';
import { startTestStack, type TestStack } from '../e2e/testStack.js';
import { ARTIFACTS_DIR, browserAvailable, browserRequired, launchChromium, loopbackContext } from './chromium.js';

const ROLE = 'uu-counsellor' as const;
const TODAY = '2026-12-20';

interface Transitions {
  youth: { birthDate: string; coordinatedPlan: { nextTransitions: { date: string; da: string; en: string }[] } | null } | null;
}

const TRANSITIONS = /* GraphQL */ `
  query ($id: ID!) {
    youth(id: $id) {
      birthDate
      coordinatedPlan {
        nextTransitions {
          date
          da: text
          en: text(language: EN)
        }
      }
    }
  }
`;

describe.skipIf(!browserAvailable && !browserRequired)('the screen in Danish and English in headless Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let origin: string;
  let token: string;
  let youthId: string;
  let graph: NonNullable<Transitions['youth']>;
  const pageErrors: string[] = [];

  const lang = () => page.evaluate(() => document.documentElement.lang);
  const heading = () => page.locator('#picker-heading').textContent();
  const firstTransition = () => page.locator('[data-section="coordinatedPlan"] table.transitions tbody tr').first();
  const pressed = (language: 'da' | 'en') => page.locator(`#language-${language}`).getAttribute('aria-pressed');

  beforeAll(async () => {
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    stack = await startTestStack({ scale: 0.05, stack: { today: () => TODAY } });
    origin = new URL(stack.gatewayUrl).origin;
    // A young person of 14-17 with a social case: several transitions ahead, and a counsellor who may read the plan.
    const { rows } = await stack.store.queryScreening({ asOf: TODAY, first: 500, inTargetGroup: true, ageMin: 14, ageMax: 17 });
    for (const row of rows) {
      token = await stack.tokenForYouth(ROLE, row.youthId);
      const answer = await stack.gql<Transitions>(TRANSITIONS, { id: row.youthId }, { authorization: `Bearer ${token}` });
      const transitions = answer.data?.youth?.coordinatedPlan?.nextTransitions ?? [];
      if (transitions.length >= 2 && answer.data?.youth) {
        youthId = row.youthId;
        graph = answer.data.youth;
        break;
      }
    }
    expect(youthId, 'a young person with transitions ahead that a counsellor may read').toBeDefined();
    expect(ageOn(graph.birthDate, TODAY)).toBeLessThan(18);

    browser = await launchChromium();
    // The browser's own locale is English: the screen is Danish all the same until English is chosen.
    context = await loopbackContext(browser, { width: 1440, height: 1100 });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.shutdown();
  });

  async function openYouth(): Promise<void> {
    await page.locator('#open-id').fill(youthId);
    await page.locator('#open-id').press('Enter');
    await expect.poll(() => page.locator('[data-section="coordinatedPlan"]').getAttribute('data-state')).toBe('shown');
  }

  it('opens in Danish: the page declares it, the labels, the graph’s texts and the dates are Danish', async () => {
    await page.goto(`${origin}/app/#token=${token}`);
    await expect.poll(lang).toBe('da');
    expect(await page.title()).toBe(da.page.title);
    await expect.poll(heading).toBe('Arbejdsliste');
    expect(await pressed('da')).toBe('true');
    expect(await pressed('en')).toBe('false');
    await expect.poll(() => page.locator('#list-summary').textContent()).toMatch(/^\d+ unge? med noget, der forfalder inden for 30 dage$/);

    await openYouth();
    const [first] = graph.coordinatedPlan!.nextTransitions;
    const [year, month, day] = first!.date.split('-');
    // Tables: 04-09-2026, the graph's own Danish text beside it.
    expect(await firstTransition().innerText()).toBe(`${day}-${month}-${year}\t${first!.da}`);
    expect(first!.da).not.toBe(first!.en);
    // Prose: "Født 4. sep. 2010." (day without a leading zero, a Danish month abbreviation).
    expect(await page.locator('#dossier-intro').textContent()).toMatch(
      /^Født \d{1,2}\. (jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec)\.? \d{4}\.$/,
    );
    expect(await page.locator('[data-section="coordinatedPlan"] h3').textContent()).toBe('Koordineret plan');
    // For the picture: everyone, due or not, beside the dossier.
    await page.locator('#filter-due').selectOption('any');
    await expect.poll(() => page.locator('#list-summary').textContent()).toMatch(/^\d+ unge?$/);
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'screen-da.png'), fullPage: true });
  }, 120_000);

  it('switches to English: lang, labels, the graph’s texts and the date formats follow, and the choice survives a reload', async () => {
    await page.locator('#language-en').click();
    await expect.poll(lang).toBe('en');
    await expect.poll(heading).toBe(en.page.worklistHeading);
    expect(await pressed('en')).toBe('true');
    const [first] = graph.coordinatedPlan!.nextTransitions;
    const [year, month, day] = first!.date.split('-');
    await expect.poll(() => firstTransition().innerText()).toBe(`${day}/${month}/${year}\t${first!.en}`);
    expect(await page.locator('#dossier-intro').textContent()).toMatch(/^Born \d{1,2} [A-Z][a-z]{2,3} \d{4}\.$/);
    expect(await page.locator('[data-section="coordinatedPlan"] h3').textContent()).toBe(en.text.plan);
    expect(await page.evaluate(() => localStorage.getItem('ungegraf.language'))).toBe('en');

    await page.reload();
    await expect.poll(lang).toBe('en');
    await expect.poll(heading).toBe(en.page.worklistHeading);
    await expect.poll(() => page.locator('#sign-out').textContent()).toBe(en.page.signOut);
    await openYouth();
    expect(await firstTransition().innerText()).toBe(`${day}/${month}/${year}\t${first!.en}`);
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'screen-en.png'), fullPage: true });
  }, 120_000);

  it('switches back to Danish, and that survives a reload too', async () => {
    await page.locator('#language-da').click();
    await expect.poll(lang).toBe('da');
    await expect.poll(heading).toBe(da.page.worklistHeading);
    await expect.poll(() => page.locator('#sign-out').textContent()).toBe(da.page.signOut);
    await page.reload();
    await expect.poll(lang).toBe('da');
    await expect.poll(heading).toBe(da.page.worklistHeading);
    expect(await pressed('da')).toBe('true');
    expect(pageErrors).toEqual([]);
  }, 120_000);
});

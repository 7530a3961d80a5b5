/**
 * The reference screen (web/) in a real browser: headless Chromium opens `/app/` on a test stack's
 * gateway with a development token in the fragment, a UU counsellor picks an eligible young person
 * with the keyboard, reads the dossier (checked against the graph's own answer), assigns a contact
 * person (a double click assigns once), and sees partial data with a notice while the jobcenter's
 * system is down. Nothing but loopback may be asked for. Screenshots go to tests/artifacts/.
 *
 * The first suite checks the route module's answers (types, CSP, caching) without a browser.
 */
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { generateKeyPair } from 'jose';
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.js';
import { loadAuthConfig } from '../../platform/authentication/config.js';
import { mintToken } from '../../platform/authentication/mint.js';
import { SCREEN_PATH, screenRoutes } from '../../web/routes.js';
import { formatDateCompact } from '../../web/client/labels.js';
import { da } from '../../web/client/i18n/da.js';
import { startTestStack, type TestStack } from '../e2e/testStack.js';
import { ARTIFACTS_DIR, browserAvailable, browserRequired, launchChromium, LOOPBACK_HOSTS, loopbackContext } from './chromium.js';

describe('the screen route (/app/)', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const routes = screenRoutes({ logger: createLogger('screen-test', 'silent'), watch: false });
    server = createServer((req, res) => {
      const pathname = new URL(req.url ?? '/', 'http://x').pathname;
      const route = routes[pathname] ?? (pathname.startsWith(SCREEN_PATH) ? routes[SCREEN_PATH] : undefined);
      if (route) void route(req, res);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('serves the page, its script and its stylesheet with their types and a strict CSP', async () => {
    const expected: [string, RegExp][] = [
      ['/app/', /^text\/html; charset=utf-8$/],
      ['/app/app.js', /^text\/javascript; charset=utf-8$/],
      ['/app/app.css', /^text\/css; charset=utf-8$/],
      ['/app/favicon.svg', /^image\/svg\+xml$/],
    ];
    for (const [path, type] of expected) {
      const response = await fetch(base + path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toMatch(type);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      const body = await response.text();
      // Nothing is loaded from elsewhere: no CDN, no web fonts (the SVG's namespace is not a request).
      if (!path.endsWith('.svg')) expect(body, path).not.toMatch(/https?:\/\//);
    }
  });

  it('bundles the TypeScript into one script without imports left to resolve', async () => {
    const script = await (await fetch(`${base}/app/app.js`)).text();
    expect(script).toContain('ScreenDossier');
    expect(script).not.toMatch(/^\s*import\s/m);
    expect(script).not.toMatch(/\bexport\s*\{/);
  });

  it('answers a repeated request with 304 from its ETag, /app with a redirect, other paths with 404 and writes with 405', async () => {
    const first = await fetch(`${base}/app/app.js`);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);
    expect((await fetch(`${base}/app/app.js`, { headers: { 'if-none-match': etag! } })).status).toBe(304);
    const redirect = await fetch(`${base}/app`, { redirect: 'manual' });
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get('location')).toBe('/app/');
    expect((await fetch(`${base}/app/../../package.json`)).status).toBe(404);
    expect((await fetch(`${base}/app/client/main.ts`)).status).toBe(404);
    expect((await fetch(`${base}/app/`, { method: 'POST', body: 'x' })).status).toBe(405);
  });
});

const ROLE = 'uu-counsellor' as const;

/** What the graph itself says about the young person: the screen must show the same. */
const DOSSIER = /* GraphQL */ `
  query ($id: ID!) {
    youth(id: $id) {
      firstName
      lastName
      age
      school {
        school {
          name
        }
        grade
        className
        absence {
          schoolYear
          absenceRate
        }
      }
      guidance {
        counsellor {
          name
        }
        educationPlan {
          goal
        }
      }
      jobcenter {
        advisor {
          name
        }
      }
      socialSummary {
        openCases {
          caseworker {
            name
          }
        }
      }
      targetGroup {
        inTargetGroup
        indicators
      }
      contactPersonEligibility {
        status
        reasonDetails {
          text
        }
      }
      coordinatedPlan {
        nextTransitions {
          kind
          date
          text
        }
      }
      contactPerson {
        contactPerson {
          name
        }
      }
      contactPersonHistory {
        id
      }
    }
  }
`;

interface GraphDossier {
  firstName: string;
  lastName: string;
  age: number;
  school: { school: { name: string }; grade: number; className: string; absence: { schoolYear: string; absenceRate: number }[] } | null;
  guidance: { counsellor: { name: string } | null; educationPlan: { goal: string } | null } | null;
  jobcenter: { advisor: { name: string } } | null;
  socialSummary: { openCases: { caseworker: { name: string } }[] } | null;
  targetGroup: { inTargetGroup: boolean; indicators: string[] } | null;
  contactPersonEligibility: { status: string; reasonDetails: { text: string }[] } | null;
  coordinatedPlan: { nextTransitions: { kind: string; date: string; text: string }[] } | null;
  contactPerson: { contactPerson: { name: string } } | null;
  contactPersonHistory: { id: string }[];
}

describe.skipIf(!browserAvailable && !browserRequired)('the reference screen in headless Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let origin: string;
  let token: string;
  /** Every URL the page asked for, and the ones refused for not being loopback. */
  const requested: string[] = [];
  const blocked: string[] = [];
  const consoleErrors: string[] = [];
  let chosenId: string;
  let graphBefore: GraphDossier;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    // No retries for the systems taken down: their outage shows at once instead of after the backoff.
    stack = await startTestStack({ scale: 0.05, env: { JOBCENTER_RETRIES: '0', GUIDANCE_RETRIES: '0' } });
    origin = new URL(stack.gatewayUrl).origin;
    token = await stack.tokenFor(ROLE);
    browser = await launchChromium();
    context = await loopbackContext(browser, { width: 1440, height: 1000 }, blocked);
    page = await context.newPage();
    page.on('request', (request) => requested.push(request.url()));
    page.on('console', (message: ConsoleMessage) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(`page error: ${error.message}`));
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.shutdown();
  });

  async function graphDossier(
    id: string,
  ): Promise<{ youth: GraphDossier; errors: { path?: (string | number)[]; extensions?: { code?: string; service?: string } }[] }> {
    const answer = await stack.gql<{ youth: GraphDossier }>(DOSSIER, { id }, { role: ROLE });
    expect(answer.status).toBe(200);
    return { youth: answer.data!.youth, errors: answer.errors ?? [] };
  }

  const section = (key: string) => page.locator(`[data-section="${key}"]`);
  const activeElementId = () => page.evaluate(() => document.activeElement?.id ?? '');

  /** Tabs forward until the element with `id` has the focus: it is reachable with the keyboard. */
  async function tabTo(id: string, maxTabs = 30): Promise<void> {
    for (let i = 0; i < maxTabs; i++) {
      if ((await activeElementId()) === id) return;
      await page.keyboard.press('Tab');
    }
    expect(await activeElementId(), `#${id} reachable with Tab`).toBe(id);
  }

  it('takes the token from the fragment, clears it and signs in', async () => {
    await page.goto(`${origin}/app/#token=${token}`);
    await expect.poll(() => page.locator('#session-who').textContent()).toContain(`Logget ind som ${ROLE}`);
    expect(new URL(page.url()).hash).toBe('');
    expect(await page.evaluate(() => sessionStorage.getItem('ungegraf.token'))).toBe(token);
    expect(await page.locator('#token-panel').isHidden()).toBe(true);
  });

  it('lists the eligible young people and opens one with the keyboard', async () => {
    const eligible = await stack.gql<{
      youths: { totalCount: number; edges: { node: { id: string; firstName: string; lastName: string; age: number } }[] };
    }>(
      'query { youths(filter: { inTargetGroup: true, contactPersonStatus: ELIGIBLE }, first: 10) { totalCount edges { node { id firstName lastName age } } } }',
      {},
      { role: ROLE },
    );
    const people = eligible.data!.youths.edges.map((edge) => edge.node);
    expect(people.length, 'the population has eligible young people').toBeGreaterThanOrEqual(2);

    // The screen opens on the worklist (issue 13, tests/browser/worklist.test.ts): here everyone in the target group.
    await page.locator('#filter-due').selectOption('any');
    await page.locator('#filter-target-group').selectOption('in');
    // The filter: Tab to it, choose "Eligible" with the arrow key, Tab to "Show", Enter.
    await page.locator('body').focus();
    await tabTo('filter-contact-person');
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('#filter-contact-person').inputValue()).toBe('ELIGIBLE');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('#list-summary').textContent(), { timeout: 15_000 })
      .toBe(da.text.worklistSummary(eligible.data!.youths.totalCount, null));
    expect(await page.locator('#register-status').textContent()).toMatch(/^Fra screeningsregistret, genopbygget \d+\. [a-z]+\.? \d{4}/);
    const shown = await page.locator('#youth-list [role="option"] .name').allTextContents();
    expect(shown).toEqual(people.map((person) => `${person.firstName} ${person.lastName}`));

    // The list is one Tab stop; the arrow keys move within it, Enter opens.
    await page.keyboard.press('Tab');
    expect(await activeElementId()).toBe(`youth-${people[0]!.id}`);
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle), 'a visible focus ring').not.toBe('none');
    await page.keyboard.press('ArrowDown');
    expect(await activeElementId()).toBe(`youth-${people[1]!.id}`);
    await page.keyboard.press('Enter');
    chosenId = people[1]!.id;
    const person = people[1]!;
    // The dossier is the graph's largest read (five systems, plan, meetings, history): more than poll's default second under load.
    await expect
      .poll(() => page.locator('#dossier-heading').textContent(), { timeout: 15_000 })
      .toBe(`${person.firstName} ${person.lastName}, ${person.age}`);
    expect(await activeElementId(), 'the focus follows to the dossier').toBe('dossier-heading');
    expect(await page.locator(`#youth-${chosenId}`).getAttribute('aria-selected')).toBe('true');
  });

  it('shows each section as the graph answers it', async () => {
    const { youth, errors } = await graphDossier(chosenId);
    expect(errors).toEqual([]);
    graphBefore = youth;

    const school = section('school');
    if (youth.school) {
      await expect.poll(() => school.getAttribute('data-state')).toBe('shown');
      const text = await school.innerText();
      expect(text).toContain(youth.school.school.name);
      expect(text).toContain(da.text.gradeValue(youth.school.grade, youth.school.className));
      for (const year of youth.school.absence)
        expect(text).toContain(`${year.schoolYear}: ${(year.absenceRate * 100).toFixed(1).replace('.', ',')} %`);
    } else {
      expect(await school.getAttribute('data-state')).toBe('empty');
    }

    const guidance = await section('guidance').innerText();
    if (youth.guidance?.counsellor) expect(guidance).toContain(youth.guidance.counsellor.name);
    if (youth.guidance?.educationPlan) expect(guidance).toContain(youth.guidance.educationPlan.goal);

    const jobcenter = section('jobcenter');
    if (youth.jobcenter) expect(await jobcenter.innerText()).toContain(youth.jobcenter.advisor.name);
    else expect(await jobcenter.innerText()).toContain(da.text.notKnownToJobcenter);

    // A UU counsellor may read social services' summary, not the cases; benefits not at all.
    const social = await section('social').innerText();
    expect(social).toContain(da.text.caseDetailsHidden);
    for (const openCase of youth.socialSummary!.openCases) expect(social).toContain(openCase.caseworker.name);
    expect(await section('benefits').getAttribute('data-state')).toBe('refused');
    expect(await section('benefits').innerText()).toContain(da.text.notVisible);
    expect(await page.locator('[data-notice="refused"]').textContent()).toBe(da.text.refusedParts);

    const targetGroup = await section('targetGroup').innerText();
    expect(targetGroup).toContain(youth.targetGroup!.inTargetGroup ? da.text.inTargetGroup : da.text.notInTargetGroup);
    for (const indicator of youth.targetGroup!.indicators) expect(targetGroup).toContain(da.labels.indicators[indicator]);

    const transitions = youth.coordinatedPlan!.nextTransitions;
    expect(await section('coordinatedPlan').locator('tbody tr').count()).toBe(transitions.length);
    for (const [index, transition] of transitions.entries()) {
      const row = section('coordinatedPlan').locator('tbody tr').nth(index);
      expect(await row.getAttribute('data-kind')).toBe(transition.kind);
      // Tables write dates compactly (04-09-2026); the text is the graph's, in Danish by default.
      expect(await row.innerText()).toBe(`${formatDateCompact(transition.date)}\t${transition.text}`);
      expect(await row.innerText()).toMatch(/^\d{2}-\d{2}-\d{4}\t/);
    }

    const contactPerson = await section('contactPerson').innerText();
    expect(youth.contactPersonEligibility!.status).toBe('ELIGIBLE');
    expect(contactPerson).toContain(da.labels.eligibility.ELIGIBLE);
    for (const reason of youth.contactPersonEligibility!.reasonDetails) expect(contactPerson).toContain(reason.text);
    expect(youth.contactPerson).toBeNull();
    expect(contactPerson).toContain(da.text.noContactPerson);

    // Every control has a label, every section a heading.
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('input, select, textarea')]
        .filter((control) => (control.labels?.length ?? 0) === 0 && !control.getAttribute('aria-label'))
        .map((control) => control.id || control.name),
    );
    expect(unlabelled).toEqual([]);
    for (const key of ['targetGroup', 'contactPerson', 'coordinatedPlan', 'school', 'guidance', 'jobcenter', 'social', 'benefits']) {
      expect(await section(key).locator('h3').count(), key).toBe(1);
    }

    await page.screenshot({ path: join(ARTIFACTS_DIR, 'screen-dossier.png'), fullPage: true });
  });

  it('assigns a contact person once: a double click sends one request, a retry after a lost answer reuses its key', async () => {
    // Keyboard to the choice: Tab from the section's heading to the select, the arrow key to the second person.
    await page.locator('#section-contactPerson-heading').focus();
    await tabTo('assign-person', 5);
    const options = await page.locator('#assign-person option').allTextContents();
    expect(options.length).toBeGreaterThanOrEqual(2);
    await page.keyboard.press('ArrowDown');
    const chosenName = options[1]!.replace(/ \(\d+ af \d+\)$/, '');

    const mutationKeys: unknown[] = [];
    page.on('request', (request) => {
      const body = request.method() === 'POST' ? (request.postData() ?? '') : '';
      if (body.includes('ScreenAssignContactPerson'))
        mutationKeys.push((JSON.parse(body) as { variables: { input: { idempotencyKey?: unknown } } }).variables.input.idempotencyKey);
    });
    // The first answer is lost on its way back: the gateway has assigned, the browser never hears so.
    let answerLost = false;
    await page.route('**/graphql', async (route) => {
      if (answerLost || !(route.request().postData() ?? '').includes('ScreenAssignContactPerson')) return route.fallback();
      answerLost = true;
      await route.fetch();
      return route.abort('connectionreset');
    });
    try {
      await page.getByRole('button', { name: da.text.assignSubmit }).dblclick();
      await expect.poll(() => page.locator('#assign-status').textContent()).toContain(da.text.retrySafe);
      expect(mutationKeys, 'the double click sent one request, with an idempotency key').toEqual([
        expect.stringMatching(/^screen-[0-9a-f]{32}$/),
      ]);
      const meanwhile = await graphDossier(chosenId);
      expect(meanwhile.youth.contactPerson?.contactPerson.name, 'the lost request did assign').toBe(chosenName);

      // The caseworker submits again, with the keyboard.
      await page.getByRole('button', { name: da.text.assignSubmit }).focus();
      await page.keyboard.press('Enter');
      const confirmation = page.locator('[data-notice="confirmation"]');
      await expect.poll(() => confirmation.textContent()).toBe(da.text.assigned(chosenName, false, false));
    } finally {
      await page.unroute('**/graphql');
    }
    expect(mutationKeys, 'the retry carried the same key').toEqual([mutationKeys[0], mutationKeys[0]]);
    expect(await section('contactPerson').innerText()).toContain(da.text.currentContactPerson(chosenName));
    expect(await activeElementId(), 'the focus stays in the contact-person section').toBe('section-contactPerson-heading');

    const { youth } = await graphDossier(chosenId);
    expect(youth.contactPerson?.contactPerson.name).toBe(chosenName);
    expect(graphBefore.contactPersonHistory).toHaveLength(0);
    expect(youth.contactPersonHistory, 'assigned once').toHaveLength(1);
  });

  it('shows partial data with a notice naming the system while the jobcenter is down', async () => {
    const jobcenter = stack.systems.systems.jobcenter;
    await jobcenter.close();
    try {
      const { youth, errors } = await graphDossier(chosenId);
      expect(errors.some((error) => error.extensions?.code === 'UPSTREAM_UNAVAILABLE' && error.extensions.service === 'jobcenter')).toBe(
        true,
      );
      expect(youth.jobcenter).toBeNull();

      await page.getByRole('button', { name: da.text.refresh }).focus();
      await page.keyboard.press('Enter');
      const notice = page.locator('[data-notice="unavailable"][data-service="jobcenter"]');
      await expect.poll(() => notice.textContent()).toBe(da.text.serviceDown(da.labels.services.jobcenter!));
      expect(await page.locator('[data-notice="unavailable"]').count(), 'only the jobcenter is named').toBe(1);
      expect(await section('jobcenter').getAttribute('data-state')).toBe('unavailable');
      expect(await section('jobcenter').innerText()).toContain(da.text.serviceMissing(da.labels.services.jobcenter!));

      // What does not depend on the jobcenter still shows, as the graph still answers it.
      expect(await section('school').getAttribute('data-state')).toBe(youth.school ? 'shown' : 'empty');
      if (youth.school) expect(await section('school').innerText()).toContain(youth.school.school.name);
      expect(await section('guidance').getAttribute('data-state')).toBe('shown');
      expect(await section('targetGroup').getAttribute('data-state')).toBe(youth.targetGroup ? 'shown' : 'unavailable');
      expect(await section('contactPerson').innerText()).toContain(da.text.currentContactPerson(youth.contactPerson!.contactPerson.name));
      // The plan is worked out from the jobcenter too: unknown for now, never shown wrong.
      expect(youth.coordinatedPlan).toBeNull();
      expect(await section('coordinatedPlan').getAttribute('data-state')).toBe('unavailable');

      await page.screenshot({ path: join(ARTIFACTS_DIR, 'screen-partial.png'), fullPage: true });
    } finally {
      await jobcenter.reopen();
    }
  });

  it("says the dossier could not be read while UU's system, which holds identity, is down", async () => {
    const guidance = stack.systems.systems.guidance;
    await guidance.close();
    try {
      await page.getByRole('button', { name: da.text.refresh }).focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('#dossier-heading').textContent()).toBe(da.text.dossierUnreadable);
      expect(await page.locator('[data-notice="unavailable"][data-service="guidance"]').textContent()).toBe(
        da.text.serviceDown(da.labels.services.guidance!),
      );
      expect(await page.locator('[data-section]').count(), 'no section pretends to know').toBe(0);
      // Trying again once it is back shows the dossier.
      await guidance.reopen();
      await page.getByRole('button', { name: da.text.refresh }).focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('#dossier-heading').textContent()).toMatch(/, \d+$/);
      expect(await page.locator('[data-notice="unavailable"]').count()).toBe(0);
    } finally {
      await guidance.reopen().catch(() => undefined);
    }
  });

  it('asks for a new token when the gateway refuses one, and goes on with it', async () => {
    // Signed with a key the gateway does not trust: a 401 from the gateway.
    const auth = loadAuthConfig(stack.env);
    const { privateKey } = await generateKeyPair('ES256');
    const foreign = await mintToken({ role: ROLE }, { privateKey, kid: 'not-trusted', issuer: auth.issuer, audience: auth.audience });
    await page.goto('about:blank');
    await page.goto(`${origin}/app/#token=${foreign}`);
    await expect.poll(() => page.locator('#token-problem').textContent()).toBe(da.text.tokenRejected);
    expect(await page.locator('#token-panel').isVisible()).toBe(true);
    expect(await page.locator('#workspace').isHidden()).toBe(true);
    expect(await activeElementId(), 'the token field has the focus').toBe('token-input');
    expect(await page.evaluate(() => sessionStorage.getItem('ungegraf.token'))).toBeNull();

    await page.keyboard.insertText(token);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#session-who').textContent()).toContain(`Logget ind som ${ROLE}`);
    await expect.poll(() => page.locator('#youth-list [role="option"]').count()).toBeGreaterThan(0);
  });

  it('pages through the register with its cursor', async () => {
    // After the fresh sign-in above the filters are the page's defaults (the worklist): everyone in the target group, any status.
    const query =
      'query ($after: String) { youths(filter: { inTargetGroup: true }, first: 10, after: $after) { totalCount pageInfo { endCursor } edges { node { firstName lastName } } } }';
    type YouthsPage = {
      youths: { totalCount: number; pageInfo: { endCursor: string }; edges: { node: { firstName: string; lastName: string } }[] };
    };
    const first = (await stack.gql<YouthsPage>(query, {}, { role: ROLE })).data!.youths;
    const second = (await stack.gql<YouthsPage>(query, { after: first.pageInfo.endCursor }, { role: ROLE })).data!.youths;
    const names = (answer: YouthsPage['youths']) => answer.edges.map(({ node }) => `${node.firstName} ${node.lastName}`);
    const shownNames = () => page.locator('#youth-list [role="option"] .name').allTextContents();
    await page.locator('#filter-due').selectOption('any');
    await page.locator('#filter-target-group').selectOption('in');
    await page.getByRole('button', { name: da.page.show, exact: true }).click();
    expect(first.totalCount).toBeGreaterThan(10);
    await expect.poll(shownNames).toEqual(names(first));
    expect(await page.locator('#page-number').textContent()).toBe(da.text.pageOf(1, Math.ceil(first.totalCount / 10)));

    await page.locator('#page-next').focus();
    await page.keyboard.press('Enter');
    await expect.poll(shownNames).toEqual(names(second));
    expect(await page.locator('#page-number').textContent()).toBe(da.text.pageOf(2, Math.ceil(first.totalCount / 10)));
    expect(await activeElementId(), 'the focus goes to the new page of the list').toMatch(/^youth-/);

    await page.locator('#page-previous').focus();
    await page.keyboard.press('Enter');
    await expect.poll(shownNames).toEqual(names(first));
  });

  it('shows the consent state: not needed under 25; from 25 none, then given, and what it withholds (issue 14)', async () => {
    type Named = { id: string; firstName: string; lastName: string };
    const first = async (ageMin: number, ageMax: number): Promise<Named> =>
      (
        await stack.gql<{ youths: { edges: { node: Named }[] } }>(
          'query ($f: YouthFilter) { youths(filter: $f, first: 1) { edges { node { id firstName lastName } } } }',
          { f: { ageMin, ageMax } },
          { role: ROLE },
        )
      ).data!.youths.edges[0]!.node;
    /** Finds the young person by name with every other filter open, and opens the dossier. */
    const open = async (person: Named) => {
      await page.locator('#filter-name').fill(person.lastName);
      await page.locator('#filter-due').selectOption('any');
      await page.locator('#filter-target-group').selectOption('any');
      await page.locator('#filter-contact-person').selectOption('any');
      await page.getByRole('button', { name: da.page.show, exact: true }).click();
      await page.locator(`#youth-${person.id}`).click();
      await expect.poll(() => page.locator('#dossier-heading').textContent()).toContain(`${person.firstName} ${person.lastName}`);
    };

    await open(await first(16, 20));
    await expect.poll(() => section('consent').getAttribute('data-state')).toBe('shown');
    expect(await section('consent').innerText()).toContain(da.labels.consentStatus.NOT_REQUIRED);

    const older = await first(25, 29);
    await open(older);
    await expect.poll(() => section('consent').innerText()).toContain(da.labels.consentStatus.NONE);
    // Another unit's data (the school's) is withheld, and the screen says why.
    expect(await section('school').getAttribute('data-state')).toBe('refused');
    expect(await section('school').innerText()).toContain(da.text.consentNotGivenIt);

    const recorded = await stack.gql(
      'mutation ($input: RecordConsentInput!) { recordConsent(input: $input) { id } }',
      { input: { youthId: older.id, units: ['SCHOOL', 'SOCIAL'] } },
      { role: ROLE },
    );
    expect(recorded.errors).toBeUndefined();
    await page.getByRole('button', { name: da.text.refresh }).click();
    await expect.poll(() => section('consent').innerText()).toContain(da.labels.consentStatus.GIVEN);
    const text = await section('consent').innerText();
    expect(text).toContain(`${da.labels.units.SCHOOL}, ${da.labels.units.SOCIAL}`);
    expect(await section('school').getAttribute('data-state')).not.toBe('refused');
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'screen-consent.png'), fullPage: true });
  });

  it('need to know: a young person outside the relations is not found, and opens only after a stated reason', async () => {
    // An outsider for the UU counsellor: 25 or over (past UU's statutory duty) and in no coordinated effort.
    const people = stack.systems.population.people;
    const entries = await stack.store.registerEntries(people.map((p) => p.uuId));
    const index = entries.findIndex((e) => e !== null && !e.facts.inEffort && e.facts.birthDate < '2001-10-01');
    expect(index, 'a young person of 25 or over outside every coordinated effort').toBeGreaterThanOrEqual(0);
    const outsider = people[index]!;
    const opened: string[] = [];
    const watch = (request: { headers(): Record<string, string> }) => {
      const reason = request.headers()['x-break-the-glass-reason'];
      if (reason) opened.push(reason);
    };
    page.on('request', watch);
    try {
      expect(await page.locator('#relation-hint').textContent()).toContain('relation');
      await page.locator('#open-id').fill(outsider.uuId);
      await page.getByRole('button', { name: da.page.open, exact: true }).click();
      await expect.poll(() => page.locator('#dossier-heading').textContent()).toBe(da.text.youthNotFound);
      expect(await page.locator('#break-the-glass').isVisible()).toBe(true);
      // A reason too short is refused in the screen; nothing is sent.
      await page.locator('#btg-reason').fill('I need it');
      await page.getByRole('button', { name: da.text.btgSubmit }).click();
      await expect.poll(() => page.locator('[data-notice="break-the-glass-reason"]').count()).toBe(1);
      expect(opened).toEqual([]);
      expect(await page.locator('#dossier-heading').textContent()).toBe(da.text.youthNotFound);

      const reason = 'Akut henvendelse fra politiet om den unges sikkerhed';
      await page.locator('#btg-reason').fill(reason);
      await page.getByRole('button', { name: da.text.btgSubmit }).click();
      await expect.poll(() => page.locator('#dossier-heading').textContent()).toContain(`${outsider.firstName} ${outsider.lastName}`);
      expect(opened).toEqual([reason]);
      expect(await page.locator('[data-notice="break-the-glass"]').count()).toBe(1);
      // The opening is in the access log as break-the-glass, with the reason.
      await expect
        .poll(async () => {
          const { rows } = await stack.access.accessLog.db.query<{ relation: string | null; break_the_glass_reason: string | null }>(
            'SELECT relation, break_the_glass_reason FROM access_log WHERE youth_id = $1',
            [outsider.uuId],
          );
          return rows.some((row) => row.relation === 'BREAK_THE_GLASS' && row.break_the_glass_reason === reason);
        })
        .toBe(true);
      await page.screenshot({ path: join(ARTIFACTS_DIR, 'screen-break-the-glass.png'), fullPage: true });
    } finally {
      page.off('request', watch);
    }
  });

  it('asked for nothing but loopback, and broke no content-security rule', () => {
    expect(requested.length).toBeGreaterThan(0);
    expect(blocked).toEqual([]);
    expect(requested.filter((url) => !url.startsWith('about:') && !LOOPBACK_HOSTS.has(new URL(url).hostname))).toEqual([]);
    // Chromium logs failed loads: the refused token's 401 and the answer this test cut off are expected.
    const expected = [/status of 401/, /net::ERR_CONNECTION_RESET/];
    expect(consoleErrors.filter((text) => !expected.some((pattern) => pattern.test(text)))).toEqual([]);
  });
});

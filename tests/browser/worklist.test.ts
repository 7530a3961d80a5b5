/**
 * The reference screen's casework (issue 13) in headless Chromium: it opens on a worklist of what falls
 * due in the next 30 days, sorted by due date, each row saying what is due, when and why (checked
 * against the graph's own answer); the name search narrows it; and a continuous contact person is
 * assigned by JUDGEMENT to a young person the rules do not mark: a too-short justification is refused
 * beside the form with the graph's code and nothing is written, a proper one lands and the
 * contact-person section and the plan show the basis and the justification.
 *
 * The stack's day is 20 December 2026: with the seeded population at scale 0.05 a young person's
 * coordinating meeting at 16½ then falls within 30 days (the day the systems' extracts describe stays
 * 1 November: a register a few weeks old, as in real life). Nothing but loopback may be asked for.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, ConsoleMessage, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDateCompact } from '../../web/client/labels.js';
import { da } from '../../web/client/i18n/da.js';
import { startTestStack, type TestStack } from '../e2e/testStack.js';
import { ARTIFACTS_DIR, browserAvailable, browserRequired, launchChromium, LOOPBACK_HOSTS, loopbackContext } from './chromium.js';

const ROLE = 'uu-counsellor' as const;
const TODAY = '2026-12-20';

interface DueItem {
  kind: string;
  date: string;
  reason: string;
  /** Danish by default (issue 15). */
  text: string;
}
interface Row {
  id: string;
  firstName: string;
  lastName: string;
  age: number;
}
interface RowsAnswer {
  youths: { totalCount: number; edges: { node: Row; due: DueItem[] }[] };
}

/**
 * A due item's reason line: the graph's text in Danish, shown unless it only repeats the kind's label.
 */
async function expectReason(item: Locator, due: DueItem): Promise<void> {
  const repeats = due.text.toLocaleLowerCase() === da.labels.dueKinds[due.kind]!.toLocaleLowerCase();
  expect(await item.locator('.due-reason').count()).toBe(repeats ? 0 : 1);
  if (!repeats) expect(await item.locator('.due-reason').textContent()).toBe(due.text);
}

/** The worklist as the graph answers it: the screen must show the same rows in the same order. */
const WORKLIST = /* GraphQL */ `
  query ($filter: YouthFilter) {
    youths(filter: $filter, first: 10, orderBy: DUE_DATE) {
      totalCount
      edges {
        due {
          kind
          date
          reason
          text
        }
        node {
          id
          firstName
          lastName
          age
        }
      }
    }
  }
`;

const ASSIGNMENT = /* GraphQL */ `
  query ($id: ID!) {
    youth(id: $id) {
      contactPersonEligibility {
        status
        assignableBy
        hardLimit
        existingSupport {
          kind
        }
      }
      contactPerson {
        basis
        justification
        supportCoordination
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

interface AssignmentAnswer {
  youth: {
    contactPersonEligibility: { status: string; assignableBy: string | null; hardLimit: string | null; existingSupport: unknown[] } | null;
    contactPerson: {
      basis: string;
      justification: string | null;
      supportCoordination: string | null;
      contactPerson: { name: string };
    } | null;
    contactPersonHistory: { id: string }[];
  } | null;
}

describe.skipIf(!browserAvailable && !browserRequired)('the worklist and the judgement assignment in headless Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let origin: string;
  /** The session's token: a UU counsellor related to the young person with the 16½ meeting (need to know). */
  let token: string;
  let meeting: Row;
  /** What is due for them within 30 days, every kind, as the session's worklist says. */
  let meetingDue: DueItem[];
  const requested: string[] = [];
  const consoleErrors: string[] = [];

  const section = (key: string) => page.locator(`[data-section="${key}"]`);
  const rows = () => page.locator('#youth-list [role="option"]');
  const shownNames = () => page.locator('#youth-list [role="option"] .name').allTextContents();
  const fullName = (row: { firstName: string; lastName: string }) => `${row.firstName} ${row.lastName}`;
  const asSession = () => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    stack = await startTestStack({ scale: 0.05, stack: { today: () => TODAY } });
    origin = new URL(stack.gatewayUrl).origin;

    // A young person whose 16½ meeting falls within 30 days of the stack's day, found in the register. Due
    // dates are plan data: only a relation that opens the plan lists them (need to know), so the session is
    // the UU counsellor the guidance system names for that young person, and the graph's own list is theirs.
    const register: { youthId: string; birthDate: string }[] = [];
    for (let after: string | undefined; ;) {
      const page = await stack.store.queryScreening({ asOf: TODAY, first: 500, after });
      register.push(...page.rows);
      if (!page.hasNextPage) break;
      after = page.endCursor ?? undefined;
    }
    const meetingDay = (birthDate: string) => {
      const date = new Date(`${birthDate}T00:00:00Z`);
      date.setUTCMonth(date.getUTCMonth() + 16 * 12 + 6);
      return date.toISOString().slice(0, 10);
    };
    const horizon = new Date(Date.parse(`${TODAY}T00:00:00Z`) + 30 * 86_400_000).toISOString().slice(0, 10);
    const candidates = register.filter((row) => meetingDay(row.birthDate) > TODAY && meetingDay(row.birthDate) <= horizon);
    expect(candidates.length, 'the seeded population has a 16½ meeting within 30 days of the stack’s day').toBeGreaterThan(0);
    let found: Row | undefined;
    for (const candidate of candidates) {
      token = await stack.tokenForYouth(ROLE, candidate.youthId);
      const meetings = await stack.gql<RowsAnswer>(
        WORKLIST,
        { filter: { dueWithinDays: 30, dueKinds: ['COORDINATING_MEETING_16_5'] } },
        asSession(),
      );
      expect(meetings.errors ?? []).toEqual([]);
      found = meetings.data!.youths.edges.map(({ node }) => node).find((node) => node.id === candidate.youthId);
      if (found) break;
    }
    expect(found, 'a counsellor named for a young person with a 16½ meeting within 30 days sees it on the worklist').toBeDefined();
    meeting = found!;
    const own = await stack.gql<RowsAnswer>(WORKLIST, { filter: { dueWithinDays: 30, nameContains: fullName(meeting) } }, asSession());
    expect(own.errors ?? []).toEqual([]);
    meetingDue = own.data!.youths.edges.find(({ node }) => node.id === meeting.id)!.due;

    browser = await launchChromium();
    context = await loopbackContext(browser, { width: 1440, height: 1100 });
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

  it('opens on the worklist: due in the next 30 days, soonest first, each row saying what is due, when and why', async () => {
    const graph = await stack.gql<RowsAnswer>(WORKLIST, { filter: { dueWithinDays: 30 } }, asSession());
    expect(graph.errors ?? []).toEqual([]);
    const expected = graph.data!.youths;
    expect(expected.totalCount).toBeGreaterThan(0);

    await page.goto(`${origin}/app/#token=${token}`);
    await expect.poll(() => page.locator('#list-summary').textContent()).toBe(da.text.worklistSummary(expected.totalCount, 30));
    expect(await page.locator('#filter-due').inputValue(), 'the worklist is the default').toBe('30');
    expect(await page.locator('#filter-mine').isChecked()).toBe(false);
    expect(await shownNames()).toEqual(expected.edges.map(({ node }) => fullName(node)));

    // Every row shows its due items as the graph gives them, and they are in due-date order.
    const firstDates: string[] = [];
    for (const [index, { node, due }] of expected.edges.entries()) {
      const items = rows().nth(index).locator('.due-item');
      expect(await items.count(), fullName(node)).toBe(due.length);
      expect(due.length, 'a row on the worklist has something due').toBeGreaterThan(0);
      for (const [i, item] of due.entries()) {
        expect(await items.nth(i).getAttribute('data-kind')).toBe(item.kind);
        expect(await items.nth(i).locator('.due-date').textContent()).toBe(formatDateCompact(item.date));
        expect(await items.nth(i).locator('.due-kind').textContent()).toBe(da.labels.dueKinds[item.kind]);
        await expectReason(items.nth(i), item);
        expect(item.date >= TODAY).toBe(true);
      }
      firstDates.push(due.map((item) => item.date).sort()[0]!);
    }
    expect(firstDates).toEqual([...firstDates].sort());
  });

  it('"only my young people" keeps the counsellor’s own caseload, with the young person with the 16½ meeting', async () => {
    const graph = await stack.gql<RowsAnswer>(WORKLIST, { filter: { dueWithinDays: 30, mine: true } }, asSession());
    expect(graph.errors ?? []).toEqual([]);
    const mine = graph.data!.youths;
    const all = Number((await page.locator('#list-summary').textContent())!.split(' ')[0]);
    // Due dates are plan data, which only the caseload relation opens: "mine" may be the whole worklist.
    expect(mine.totalCount).toBeLessThanOrEqual(all);
    expect(mine.edges.map(({ node }) => node.id)).toContain(meeting.id);

    await page.locator('#filter-mine').check();
    await expect.poll(shownNames).toEqual(mine.edges.map(({ node }) => fullName(node)));
    await expect.poll(() => page.locator('#list-summary').textContent()).toBe(da.text.worklistSummary(mine.totalCount, 30));
    // The row opens the dossier beside the worklist: the picture docs/screen-worklist.png is taken from.
    await page.locator(`#youth-${meeting.id}`).click();
    await expect.poll(() => page.locator('#dossier-heading').textContent()).toBe(`${fullName(meeting)}, ${meeting.age}`);
    await expect.poll(() => section('coordinatedPlan').getAttribute('data-state')).toBe('shown');
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'screen-worklist.png'), fullPage: true });

    await page.locator('#filter-mine').uncheck();
    await expect.poll(() => page.locator('#list-summary').textContent()).toBe(da.text.worklistSummary(all, 30));
  });

  it('the name search narrows the worklist to the young person with the 16½ meeting, and says why they are on it', async () => {
    const before = Number((await page.locator('#list-summary').textContent())!.split(' ')[0]);
    const term = meeting.lastName;
    const graph = await stack.gql<RowsAnswer>(WORKLIST, { filter: { dueWithinDays: 30, nameContains: term } }, asSession());
    expect(graph.errors ?? []).toEqual([]);
    const narrowed = graph.data!.youths;
    expect(narrowed.totalCount).toBeLessThanOrEqual(before);
    expect(narrowed.edges.map(({ node }) => node.id)).toContain(meeting.id);

    await page.locator('#filter-name').fill(term);
    await page.locator('#filter-name').press('Enter');
    await expect.poll(shownNames).toEqual(narrowed.edges.map(({ node }) => fullName(node)));
    await expect.poll(() => page.locator('#list-summary').textContent()).toBe(da.text.worklistSummary(narrowed.totalCount, 30));
    for (const name of await shownNames()) expect(name.toLowerCase()).toContain(term.toLowerCase());

    const row = page.locator(`#youth-${meeting.id}`);
    const meetingItem = meetingDue.find((item) => item.kind === 'COORDINATING_MEETING_16_5')!;
    const shown = row.locator('.due-item[data-kind="COORDINATING_MEETING_16_5"]');
    expect(await shown.locator('.due-kind').textContent()).toBe('Koordinerende møde ved 16½ år');
    expect(await shown.locator('.due-date').textContent()).toMatch(/^\d{2}-\d{2}-\d{4}$/);
    expect(await shown.locator('.due-date').textContent()).toBe(formatDateCompact(meetingItem.date));
    expect(meetingItem.text).toBe('Koordinerende møde ved 16½ år');
    await expectReason(shown, meetingItem);

    // Opening the row shows the dossier as before.
    await row.click();
    await expect.poll(() => page.locator('#dossier-heading').textContent()).toBe(`${fullName(meeting)}, ${meeting.age}`);
  });

  /** A young person in the session's caseload whom the rules do not mark, within the scheme's bounds, without support or contact person. */
  async function judgementCandidate(): Promise<Row> {
    const list = await stack.gql<RowsAnswer>(
      'query { youths(filter: { mine: true, contactPersonStatus: NOT_CANDIDATE, ageMin: 15, ageMax: 22 }, first: 50) { totalCount edges { node { id firstName lastName age } } } }',
      {},
      asSession(),
    );
    expect(list.errors ?? []).toEqual([]);
    for (const { node } of list.data!.youths.edges) {
      const answer = await stack.gql<AssignmentAnswer>(ASSIGNMENT, { id: node.id }, asSession());
      const youth = answer.data?.youth;
      const advice = youth?.contactPersonEligibility;
      if (
        advice?.assignableBy === 'JUDGEMENT' &&
        !advice.hardLimit &&
        advice.existingSupport.length === 0 &&
        youth?.contactPerson === null
      ) {
        return node;
      }
    }
    throw new Error('no young person in the caseload to assign by judgement');
  }

  let candidate: Row;

  it('refuses a judgement assignment with a too-short justification beside the form, and writes nothing', async () => {
    candidate = await judgementCandidate();
    // Everyone, due or not, searched by name: the candidate's row opens the dossier.
    await page.locator('#filter-due').selectOption('any');
    await page.locator('#filter-name').fill(fullName(candidate));
    await page.locator('#filter-name').press('Enter');
    await expect.poll(() => page.locator(`#youth-${candidate.id}`).count()).toBe(1);
    await page.locator(`#youth-${candidate.id}`).click();
    await expect.poll(() => page.locator('#dossier-heading').textContent()).toBe(`${fullName(candidate)}, ${candidate.age}`);

    const contactPerson = section('contactPerson');
    await expect.poll(() => contactPerson.locator('form.assign-form').getAttribute('data-basis')).toBe('JUDGEMENT');
    expect(await contactPerson.innerText()).toContain(da.text.judgementBasis);
    expect(await page.locator('#assign-coordination').count(), 'no existing support: no coordination asked').toBe(0);
    const justification = page.locator('#assign-justification');
    expect(await justification.getAttribute('aria-describedby')).toContain('assign-justification-count');

    await justification.fill('Needs help now.');
    expect(await page.locator('#assign-justification-count').textContent()).toBe('15 af mindst 40 tegn, 3 af mindst 6 ord');
    await page.getByRole('button', { name: da.text.assignSubmit }).click();
    await expect.poll(() => page.locator('#assign-status').textContent()).toBe(da.labels.assignErrors.JUSTIFICATION_REQUIRED);
    expect(await page.locator('#assign-status').getAttribute('data-code')).toBe('JUSTIFICATION_REQUIRED');
    expect(await justification.getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.id), 'the focus goes back to the justification').toBe('assign-justification');

    const after = await stack.gql<AssignmentAnswer>(ASSIGNMENT, { id: candidate.id }, asSession());
    expect(after.data!.youth!.contactPerson, 'nothing was assigned').toBeNull();
    expect(after.data!.youth!.contactPersonHistory).toHaveLength(0);
    expect(await contactPerson.innerText()).toContain(da.text.noContactPerson);
  });

  it('assigns by judgement with a proper justification: the section and the plan show the basis and the justification', async () => {
    const text = 'Long absence and a social case, and no unit alone can hold the thread towards an education this year.';
    const justification = page.locator('#assign-justification');
    await justification.fill(text);
    expect(await justification.getAttribute('aria-invalid')).toBeNull();
    const chosen = (await page.locator('#assign-person option:checked').textContent())!.replace(/ \(\d+ af \d+\)$/, '');
    await page.getByRole('button', { name: da.text.assignSubmit }).click();
    await expect.poll(() => page.locator('[data-notice="confirmation"]').textContent()).toBe(da.text.assigned(chosen, true, false));

    const graph = await stack.gql<AssignmentAnswer>(ASSIGNMENT, { id: candidate.id }, asSession());
    expect(graph.data!.youth!.contactPerson).toMatchObject({ basis: 'JUDGEMENT', justification: text, contactPerson: { name: chosen } });
    expect(graph.data!.youth!.contactPersonHistory).toHaveLength(1);

    const shown = await section('contactPerson').innerText();
    expect(shown).toContain(da.text.currentContactPerson(chosen));
    expect(shown).toContain(da.labels.basis.JUDGEMENT!);
    expect(shown).toContain(text);
    const plan = section('coordinatedPlan').locator('.plan-contact-person');
    expect(await plan.getAttribute('data-basis')).toBe('JUDGEMENT');
    expect(await plan.innerText()).toContain(chosen);
    expect(await plan.innerText()).toContain(da.labels.basis.JUDGEMENT!);
    expect(await plan.innerText()).toContain(text);

    await page.screenshot({ path: join(ARTIFACTS_DIR, 'screen-judgement.png'), fullPage: true });
  });

  it('asked for nothing but loopback and logged no script error', () => {
    expect(requested.length).toBeGreaterThan(0);
    expect(requested.filter((url) => !url.startsWith('about:') && !LOOPBACK_HOSTS.has(new URL(url).hostname))).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});

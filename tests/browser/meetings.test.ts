/**
 * Meetings and the plan's history on the reference screen (issue 15) in headless Chromium: in Danish a
 * UU counsellor opens a young person of their caseload, a meeting without a unit present is refused next
 * to the form with the graph's code in Danish and nothing is written, a proper one (submitted with a
 * double click) is recorded once and listed; a plan action added through the graph is edited and then
 * cancelled with reasons (a too-short reason refused), and its history lists each change with who, when,
 * before and after, and why; in English the same parts read in English. Screenshot: docs/screen-meetings.png.
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
/** The meeting's day: a week before the stack's day (the browser's own clock does not matter). */
const HELD_ON = '2026-12-13';

const PLAN = /* GraphQL */ `
  query ($id: ID!) {
    youth(id: $id) {
      birthDate
      coordinatedPlan {
        agreedActions {
          id
        }
      }
      meetings {
        id
      }
    }
  }
`;
const ADD = /* GraphQL */ `
  mutation ($input: AddPlanActionInput!) {
    addPlanAction(input: $input) {
      id
    }
  }
`;
const READ_BACK = /* GraphQL */ `
  query ($id: ID!) {
    youth(id: $id) {
      meetings {
        id
        heldOn
        kind
        place
        units
        participants
        planActions {
          id
        }
      }
      coordinatedPlan {
        agreedActions {
          id
          status
          due
          cancelledReason
          history {
            kind
            reason
          }
        }
      }
    }
  }
`;

interface PlanAnswer {
  youth: { birthDate: string; coordinatedPlan: { agreedActions: { id: string }[] } | null; meetings: { id: string }[] | null } | null;
}
interface ReadBack {
  youth: {
    meetings: {
      id: string;
      heldOn: string;
      kind: string;
      place: string;
      units: string[];
      participants: string[];
      planActions: { id: string }[];
    }[];
    coordinatedPlan: {
      agreedActions: {
        id: string;
        status: string;
        due: string | null;
        cancelledReason: string | null;
        history: { kind: string; reason: string | null }[];
      }[];
    };
  };
}

describe.skipIf(!browserAvailable && !browserRequired)('meetings and the plan history in headless Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let origin: string;
  let token: string;
  let youthId: string;
  let actionId: string;
  const pageErrors: string[] = [];
  const asSession = () => ({ authorization: `Bearer ${token}` });
  const readBack = async () => {
    const answer = await stack.gql<ReadBack>(READ_BACK, { id: youthId }, asSession());
    expect(answer.errors ?? []).toEqual([]);
    return answer.data!.youth;
  };
  const meetingsCard = () => page.locator('[data-section="meetings"]');
  const actionItem = () => page.locator(`#plan-action-${actionId}`);

  beforeAll(async () => {
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    stack = await startTestStack({ scale: 0.05, stack: { today: () => TODAY } });
    origin = new URL(stack.gatewayUrl).origin;
    // A young person of 14-17 (a parent or guardian may take part) whose counsellor may read and write the plan.
    const { rows } = await stack.store.queryScreening({ asOf: TODAY, first: 200, ageMin: 14, ageMax: 17 });
    for (const row of rows) {
      token = await stack.tokenForYouth(ROLE, row.youthId);
      const answer = await stack.gql<PlanAnswer>(PLAN, { id: row.youthId }, asSession());
      const youth = answer.data?.youth;
      if (youth?.coordinatedPlan && youth.meetings?.length === 0 && ageOn(youth.birthDate, HELD_ON) < 18) {
        youthId = row.youthId;
        break;
      }
    }
    expect(youthId, 'a young person under 18 whose counsellor may read the plan').toBeDefined();
    const added = await stack.gql<{ addPlanAction: { id: string } }>(
      ADD,
      { input: { youthId, title: 'Brobygning på erhvervsskolen', ownerUnit: 'GUIDANCE', due: '2027-01-10' } },
      asSession(),
    );
    expect(added.errors ?? []).toEqual([]);
    actionId = added.data!.addPlanAction.id;

    browser = await launchChromium();
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
    await expect.poll(() => meetingsCard().getAttribute('data-state')).toBe('shown');
  }

  it('records a meeting in Danish: a refusal is said beside the form and writes nothing; a double click records once', async () => {
    await page.goto(`${origin}/app/#token=${token}`);
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('da');
    await openYouth();
    expect(await meetingsCard().locator('h3').textContent()).toBe(da.meetings.heading);
    expect(await meetingsCard().locator('.none').textContent()).toBe(da.meetings.none);
    // Every control has a label (by its `for`).
    const unlabelled = await page
      .locator('#meeting-form')
      .evaluate((form) =>
        [...form.querySelectorAll('input, select, textarea')].filter((c) => !form.querySelector(`label[for="${c.id}"]`)).map((c) => c.id),
      );
    expect(unlabelled).toEqual([]);
    // Under 18 on the day: a parent or guardian is offered.
    expect(await page.locator('#meeting-role-PARENT_OR_GUARDIAN').isVisible()).toBe(true);

    await page.locator('#meeting-date').fill(HELD_ON);
    await page.locator('#meeting-kind').selectOption('COORDINATING_MEETING_16_5');
    await page.locator('#meeting-place').selectOption('UDDANNELSESHUSET');
    await page.locator('#meeting-role-PARENT_OR_GUARDIAN').fill('2');
    await page.locator('#meeting-role-UU_COUNSELLOR').fill('1');
    // No unit present: refused with the field named, the focus on the units, nothing written.
    await page.locator('#meeting-form button[type="submit"]').click();
    const status = page.locator('#meeting-status');
    await expect.poll(() => status.getAttribute('data-code')).toBe('BAD_USER_INPUT');
    expect(await status.getAttribute('data-field')).toBe('input.units');
    expect(await status.textContent()).toBe(da.meetings.fields.units);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('meeting-unit-SCHOOL');
    expect((await readBack()).meetings).toEqual([]);

    await page.locator('#meeting-unit-GUIDANCE').check();
    await page.locator('#meeting-unit-SOCIAL').check();
    await page.locator(`#meeting-action-${actionId}`).check();
    await page.locator('#meeting-form button[type="submit"]').dblclick();
    await expect.poll(() => meetingsCard().locator('[data-meeting-id]').count()).toBe(1);
    const [meeting] = (await readBack()).meetings;
    expect(meeting).toMatchObject({
      heldOn: HELD_ON,
      kind: 'COORDINATING_MEETING_16_5',
      place: 'UDDANNELSESHUSET',
      units: ['GUIDANCE', 'SOCIAL'],
      participants: ['YOUNG_PERSON', 'PARENT_OR_GUARDIAN', 'PARENT_OR_GUARDIAN', 'UU_COUNSELLOR'],
      planActions: [{ id: actionId }],
    });
    const item = page.locator(`#meeting-${meeting!.id}`);
    const text = await item.innerText();
    expect(text).toContain(da.meetings.kinds.COORDINATING_MEETING_16_5);
    expect(text).toContain('13. dec. 2026');
    expect(text).toContain('Uddannelseshuset');
    expect(text).toContain(
      `${da.meetings.roles.YOUNG_PERSON}, 2 × ${da.meetings.roles.PARENT_OR_GUARDIAN}, ${da.meetings.roles.UU_COUNSELLOR}`,
    );
    expect(text).toContain('Brobygning på erhvervsskolen');
    // The focus is on the meeting just recorded; the confirmation is in the notices.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(`meeting-${meeting!.id}`);
    expect(await page.locator('[data-notice="confirmation"]').textContent()).toBe(da.meetings.recorded('13. dec. 2026'));
  }, 120_000);

  it('edits and cancels a plan action with reasons; its history shows who, when, what and why', async () => {
    await actionItem().locator('details.plan-action-change summary').click();
    await page.locator(`#plan-action-${actionId}-due`).fill('2027-01-20');
    await page.locator(`#plan-action-${actionId}-reason`).fill('Erhvervsskolen har først plads i uge 3');
    await actionItem().locator('button[data-action="edit"]').click();
    await expect
      .poll(() => page.locator('[data-notice="confirmation"]').textContent())
      .toBe(da.planHistory.saved('Brobygning på erhvervsskolen'));
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(`plan-action-${actionId}`);

    // Too short a reason: refused with REASON_REQUIRED beside the form, the focus on the reason, nothing written.
    await actionItem().locator('details.plan-action-change summary').click();
    await page.locator(`#plan-action-${actionId}-reason`).fill('nej');
    await actionItem().locator('button[data-action="cancel"]').click();
    const status = page.locator(`#plan-action-${actionId}-status`);
    await expect.poll(() => status.getAttribute('data-code')).toBe('REASON_REQUIRED');
    expect(await status.textContent()).toBe(da.planHistory.errors.REASON_REQUIRED);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(`plan-action-${actionId}-reason`);
    expect((await readBack()).coordinatedPlan.agreedActions.find((a) => a.id === actionId)?.status).toBe('OPEN');

    await page.locator(`#plan-action-${actionId}-reason`).fill('Den unge har valgt FGU i stedet');
    await actionItem().locator('button[data-action="cancel"]').click();
    await expect.poll(() => actionItem().getAttribute('data-status')).toBe('CANCELLED');
    const graph = (await readBack()).coordinatedPlan.agreedActions.find((a) => a.id === actionId)!;
    expect(graph.history.map((change) => change.kind)).toEqual(['CREATED', 'LINKED_TO_MEETING', 'EDITED', 'CANCELLED']);

    expect(await actionItem().locator('.action-line').textContent()).toContain(da.planHistory.cancelled);
    expect(await actionItem().locator('details.plan-action-change').count()).toBe(0);
    await actionItem().locator('details.history summary').click();
    expect(await actionItem().locator('details.history summary').textContent()).toBe(da.planHistory.history(4));
    const changes = actionItem().locator('.history-list > li');
    expect(await changes.evaluateAll((items) => items.map((item) => item.getAttribute('data-kind')))).toEqual(
      graph.history.map((c) => c.kind),
    );
    const edited = changes.nth(2);
    expect(await edited.locator('strong').textContent()).toBe(da.planHistory.kinds.EDITED);
    expect(await edited.locator('[data-field="DUE"]').textContent()).toBe(`${da.planHistory.fields.DUE}: 10-01-2027 → 20-01-2027`);
    expect(await edited.locator('.change-reason').textContent()).toBe(`${da.planHistory.reason}: Erhvervsskolen har først plads i uge 3`);
    expect(await edited.locator('.change-head').textContent()).toMatch(/uu-counsellor/);
    expect(await changes.nth(3).locator('.change-reason').textContent()).toBe(`${da.planHistory.reason}: Den unge har valgt FGU i stedet`);

    // Open the meeting form's sections for the picture: the dossier with the meeting and the history.
    await page.locator('#section-meetings-heading').scrollIntoViewIfNeeded();
    await page.locator('.overview').screenshot({ path: join(ARTIFACTS_DIR, 'screen-meetings.png') });
  }, 120_000);

  it('reads the same parts in English after the switch', async () => {
    await page.locator('#language-en').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    await expect.poll(() => meetingsCard().locator('h3').textContent()).toBe(en.meetings.heading);
    const text = await meetingsCard().locator('[data-meeting-id]').innerText();
    expect(text).toContain(en.meetings.kinds.COORDINATING_MEETING_16_5);
    expect(text).toContain(`${en.meetings.roles.YOUNG_PERSON}, 2 × ${en.meetings.roles.PARENT_OR_GUARDIAN}`);
    expect(await page.locator('#meeting-form h4').textContent()).toBe(en.meetings.formHeading);
    expect(await page.locator('label[for="meeting-kind"]').textContent()).toBe(en.meetings.kind);
    expect(await actionItem().locator('details.history summary').textContent()).toBe(en.planHistory.history(4));
    expect(await actionItem().locator('.action-line').textContent()).toContain(en.planHistory.cancelled);
    await actionItem().locator('details.history summary').click();
    const edited = actionItem().locator('.history-list > li').nth(2);
    expect(await edited.locator('strong').textContent()).toBe(en.planHistory.kinds.EDITED);
    expect(await edited.locator('[data-field="DUE"]').textContent()).toBe(`${en.planHistory.fields.DUE}: 10/01/2027 → 20/01/2027`);
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'screen-meetings-en.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  }, 120_000);
});

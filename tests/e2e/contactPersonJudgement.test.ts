/**
 * Issue 13, end to end through the gateway, on a clock the test moves:
 * - a UU counsellor assigns a continuous contact person by judgement, with a justification, to a young
 *   person the rules do not mark (seeds/000: "Indsatsen igangsættes når det vurderes ..."), and the daily
 *   review ends the assignment by itself on the 25th birthday ("frem til det 25. år");
 * - the worklist (section 4) shows the coordinating meeting at 16½ due within 30 days, sorted by due date,
 *   with its reason (seeds/000: "forberedende koordinerende møder om og for den unge ved det 16½ år").
 * The young people are picked from the register the screening built, as the counsellor the systems name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths, addYears } from '../../subgraphs/coordination/rules/dates.js';
import type { ScreeningRecord } from '../../subgraphs/coordination/store/coordinationStore.js';
import { startTestStack, TEST_TODAY, type TestStack } from './testStack.js';

let clock = TEST_TODAY;
let stack: TestStack;
let register: ScreeningRecord[];

beforeAll(async () => {
  stack = await startTestStack({ stack: { today: () => clock } });
  register = [];
  for (let after: string | undefined; ;) {
    const page = await stack.store.queryScreening({ asOf: TEST_TODAY, first: 500, after });
    register.push(...page.rows);
    if (!page.hasNextPage) break;
    after = page.endCursor ?? undefined;
  }
}, 240_000);

afterAll(async () => {
  await stack?.shutdown();
});

/** A token of the UU counsellor the guidance system names for the young person (need to know: their caseload). */
async function counsellorFor(youthId: string): Promise<{ authorization: string; staffId: string }> {
  const claims = await stack.relationFor('uu-counsellor', youthId);
  expect(claims.staffId).toBeTruthy();
  return { authorization: `Bearer ${await stack.tokenFor('uu-counsellor', undefined, claims)}`, staffId: claims.staffId! };
}

const JUSTIFICATION =
  'Dropped out twice this year and the family group and the school both ask for one adult who follows him across the units.';

describe('a contact person by judgement, ended at 25 by the daily review', () => {
  it('assigns with a justification to a young person the rules do not mark; the review ends it on the 25th birthday', async () => {
    clock = TEST_TODAY;
    // Not marked by the rules, under 25 today, and 25 within the coming year.
    const youth = register.find(
      (r) => r.contactPersonStatus === 'NOT_CANDIDATE' && addYears(r.birthDate, 25) > TEST_TODAY && addYears(r.birthDate, 24) <= TEST_TODAY,
    );
    expect(youth, 'the population holds a 24-year-old the rules do not mark').toBeDefined();
    const birthday25 = addYears(youth!.birthDate, 25);
    const caller = { authorization: (await counsellorFor(youth!.youthId)).authorization };

    const assign = `mutation ($input: AssignContactPersonInput!) {
      assignContactPerson(input: $input) { id basis eligibilityAtAssignment justification startedOn endCode endedOn }
    }`;
    // Without a justification the judgement is refused, and nothing is written.
    const refused = await stack.gql(assign, { input: { youthId: youth!.youthId, contactPersonId: 'gkp-mette-kjaer' } }, caller);
    expect(refused.errors?.[0]?.extensions?.code).toBe('JUSTIFICATION_REQUIRED');
    expect(await stack.store.assignmentHistory(youth!.youthId)).toEqual([]);

    const made = await stack.gql<{ assignContactPerson: Record<string, unknown> }>(
      assign,
      { input: { youthId: youth!.youthId, contactPersonId: 'gkp-mette-kjaer', justification: JUSTIFICATION } },
      caller,
    );
    expect(made.errors).toBeUndefined();
    expect(made.data!.assignContactPerson).toMatchObject({
      basis: 'JUDGEMENT',
      eligibilityAtAssignment: 'NOT_CANDIDATE',
      justification: JUSTIFICATION,
      startedOn: TEST_TODAY,
      endCode: null,
      endedOn: null,
    });

    // The day before the birthday the review leaves it running.
    clock = addDays(birthday25, -1);
    expect((await stack.reviewAssignments()).endedAt25).toBe(0);
    // Past the birthday (the review did not run on the day itself): it ends, dated the birthday.
    clock = addDays(birthday25, 3);
    const review = await stack.reviewAssignments();
    expect(review).toMatchObject({ ran: true, endedAt25: 1 });

    const read = await stack.gql<{ youth: { contactPerson: unknown; contactPersonHistory: Record<string, unknown>[] } | null }>(
      'query ($id: ID!) { youth(id: $id) { contactPerson { id } contactPersonHistory { id basis endCode endedOn justification } } }',
      { id: youth!.youthId },
      caller,
    );
    expect(read.errors).toBeUndefined();
    expect(read.data!.youth!.contactPerson).toBeNull();
    expect(read.data!.youth!.contactPersonHistory).toEqual([
      {
        id: made.data!.assignContactPerson.id,
        basis: 'JUDGEMENT',
        endCode: 'TURNED_25',
        endedOn: birthday25,
        justification: JUSTIFICATION,
      },
    ]);
  });
});

describe('the worklist: what is due, for whom', () => {
  const WORKLIST = `query ($filter: YouthFilter, $orderBy: YouthOrder, $after: String) {
    youths(filter: $filter, orderBy: $orderBy, first: 20, after: $after) {
      totalCount
      edges { node { id due(withinDays: 30) { kind date } } due { kind date reason } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

  interface Edge {
    node: { id: string; due: { kind: string; date: string }[] };
    due: { kind: string; date: string; reason: string }[];
  }

  it("shows the 16½ coordinating meeting due within 30 days, soonest first, with its reason, on the counsellor's own list", async () => {
    // A young person with a children's case whose 16½ lies ahead; the clock moves to 20 days before it.
    const candidates = register
      .filter((r) => r.childrensCase && addMonths(r.birthDate, 198) > TEST_TODAY)
      .sort((a, b) => addMonths(a.birthDate, 198).localeCompare(addMonths(b.birthDate, 198)));
    const youth = candidates[0];
    expect(youth, "the population holds a young person with a children's case under 16½").toBeDefined();
    const meeting = addMonths(youth!.birthDate, 16 * 12 + 6);
    clock = addDays(meeting, -20);
    const { authorization } = await counsellorFor(youth!.youthId);

    const filter = { dueWithinDays: 30, dueKinds: ['COORDINATING_MEETING_16_5'], mine: true };
    const edges: Edge[] = [];
    for (let after: string | null = null; ;) {
      const result: {
        data?: { youths: { edges: Edge[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
        errors?: unknown;
      } = await stack.gql(WORKLIST, { filter, orderBy: 'DUE_DATE', after }, { authorization });
      expect(result.errors).toBeUndefined();
      edges.push(...result.data!.youths.edges);
      if (!result.data!.youths.pageInfo.hasNextPage) break;
      after = result.data!.youths.pageInfo.endCursor;
    }

    const row = edges.find((e) => e.node.id === youth!.youthId);
    expect(row, "the young person is on the counsellor's worklist").toBeDefined();
    expect(row!.due).toEqual([{ kind: 'COORDINATING_MEETING_16_5', date: meeting, reason: `Koordinerende møde ved 16½ år: ${meeting}` }]);
    // Youth.due asks the same of the young person, all kinds within 30 days: the meeting is among them.
    expect(row!.node.due).toContainEqual({ kind: 'COORDINATING_MEETING_16_5', date: meeting });
    // Every row: one meeting inside the window, the list sorted by its date.
    const end = addDays(clock, 30);
    const dates = edges.map((e) => {
      expect(e.due).toHaveLength(1);
      expect(e.due[0]!.kind).toBe('COORDINATING_MEETING_16_5');
      return e.due[0]!.date;
    });
    for (const date of dates) expect(date >= clock && date <= end).toBe(true);
    expect(dates).toEqual([...dates].sort());

    // Not "mine": another counsellor's initials do not list this young person.
    const other = await stack.tokenFor('uu-counsellor', undefined, { unit: 'UU', staffId: 'ZZZ-not-a-counsellor' });
    const theirs = await stack.gql<{ youths: { edges: Edge[] } }>(
      WORKLIST,
      { filter, orderBy: 'DUE_DATE' },
      { authorization: `Bearer ${other}` },
    );
    expect(theirs.errors).toBeUndefined();
    expect(theirs.data!.youths.edges).toEqual([]);
  });

  it('refuses a bad window or an order without one with BAD_USER_INPUT', async () => {
    clock = TEST_TODAY;
    const cases: [Record<string, unknown>, string][] = [
      [{ filter: { dueWithinDays: 0 } }, 'filter.dueWithinDays'],
      [{ filter: { dueWithinDays: 367 } }, 'filter.dueWithinDays'],
      [{ filter: { dueKinds: ['TRANSFER_18'] } }, 'filter.dueKinds'],
      [{ orderBy: 'DUE_DATE' }, 'orderBy'],
      [{ filter: { nameContains: 'a' } }, 'filter.nameContains'],
    ];
    for (const [variables, field] of cases) {
      const result = await stack.gql(WORKLIST, variables, { role: 'uu-counsellor' });
      expect(result.errors?.[0]?.extensions, JSON.stringify(variables)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });
});

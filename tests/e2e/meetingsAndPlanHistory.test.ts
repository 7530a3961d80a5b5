/**
 * Issue 15, section 1, end to end through the gateway: a UU counsellor records a meeting about a young
 * person of their caseload (day, kind, place, units, participants by role) with the decisions and actions
 * it made, edits and cancels a plan action with reasons and reads its history; bad input is refused with a
 * code and writes nothing, an idempotency key makes a repeat take effect once, and a caller without a
 * relation to the young person hears NOT_FOUND (writes) and null (reads).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opensCategory, relationOf, type RelationCaller } from '../../platform/authorization/relation.js';
import type { RoleName } from '../../platform/authorization/roles.js';
import { addDays, addYears } from '../../subgraphs/coordination/rules/dates.js';
import type { ScreeningRecord } from '../../subgraphs/coordination/store/coordinationStore.js';
import { relationClaimsFor, type RelationClaims } from './relations.js';
import { startTestStack, TEST_TODAY, type TestStack } from './testStack.js';

let stack: TestStack;
let register: ScreeningRecord[];

beforeAll(async () => {
  stack = await startTestStack();
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

const asCaller = (role: RoleName, claims: RelationClaims): RelationCaller => ({
  role,
  institution: null,
  unit: claims.unit ?? null,
  staffId: claims.staffId ?? null,
});

/** A young person aged `min`-`max` whose UU counsellor's relation opens the coordinated plan, and that counsellor's token. */
async function youthWithCounsellor(min: number, max: number, skip: readonly string[] = []) {
  for (const row of register) {
    if (skip.includes(row.youthId) || addYears(row.birthDate, min) > TEST_TODAY || addYears(row.birthDate, max + 1) <= TEST_TODAY) continue;
    const [entry] = await stack.store.registerEntries([row.youthId]);
    if (!entry) continue;
    let claims: RelationClaims;
    try {
      claims = relationClaimsFor('uu-counsellor', [entry.facts], TEST_TODAY);
    } catch {
      continue;
    }
    const relation = relationOf(asCaller('uu-counsellor', claims), entry.facts, TEST_TODAY);
    if (relation === null || !opensCategory(relation, 'coordinated plan')) continue;
    return { youth: row, authorization: `Bearer ${await stack.tokenFor('uu-counsellor', undefined, claims)}` };
  }
  throw new Error(`the population holds no young person aged ${min}-${max} with a UU counsellor who may write the plan`);
}

/** A municipal caller with no relation at all to the young person (as the register says now). */
async function outsiderFor(youthId: string): Promise<string> {
  const [entry] = await stack.store.registerEntries([youthId]);
  const candidates: [RoleName, RelationClaims][] = [
    ['jobcenter-advisor', { unit: 'JOBCENTER', staffId: 'JC-NOBODY' }],
    ...['FAMILY_GROUP_1', 'FAMILY_GROUP_2', 'FAMILY_GROUP_3', 'FAMILY_GROUP_4', 'SPECIAL_GROUP_ADULTS'].map(
      (unit): [RoleName, RelationClaims] => ['social-caseworker', { unit, staffId: 'SB-NOBODY' }],
    ),
  ];
  const found = candidates.find(([role, claims]) => relationOf(asCaller(role, claims), entry!.facts, TEST_TODAY) === null);
  expect(found, 'some unit has no relation to the young person').toBeDefined();
  return `Bearer ${await stack.tokenFor(found![0], undefined, found![1])}`;
}

const RECORD = `mutation ($input: RecordMeetingInput!) {
  recordMeeting(input: $input) {
    id heldOn kind place placeNote units participants recordedBy
    jointDecisions { id meetingId } planActions { id meetingId history { kind } }
  }
}`;
const ADD = `mutation ($input: AddPlanActionInput!) { addPlanAction(input: $input) { id status meetingId } }`;
const DECIDE = `mutation ($input: RecordJointDecisionInput!) { recordJointDecision(input: $input) { id meetingId } }`;
const EDIT = `mutation ($input: EditPlanActionInput!) { editPlanAction(input: $input) { id title due status } }`;
const CANCEL = `mutation ($input: CancelPlanActionInput!) { cancelPlanAction(input: $input) { id status cancelledBy cancelledReason } }`;
const MEETINGS = `query ($id: ID!) {
  youth(id: $id) { meetings { id heldOn kind place participants planActions { id } jointDecisions { id } } }
}`;
const HISTORY = `query ($id: ID!) {
  youth(id: $id) {
    meetings { id planActions { id status cancelledReason
      history { kind changedBy changedByRole changedByUnit reason changes { field before after } } } }
  }
}`;

interface ErrorShape {
  extensions?: { code?: string; field?: string };
}

describe('meetings about a young person', () => {
  it('refuses bad input with a code and writes nothing; records once per key; lists newest first with what it decided', async () => {
    const { youth, authorization } = await youthWithCounsellor(19, 24);
    const caller = { authorization };
    const at16 = addDays(addYears(youth.birthDate, 16), 10);
    const base = {
      youthId: youth.youthId,
      heldOn: at16,
      kind: 'COORDINATING_MEETING_16_5',
      place: 'UDDANNELSESHUSET',
      units: ['GUIDANCE', 'SOCIAL'],
      participants: ['YOUNG_PERSON', 'PARENT_OR_GUARDIAN', 'UU_COUNSELLOR', 'SOCIAL_CASEWORKER'],
    };
    const refusals: [Record<string, unknown>, string, string][] = [
      [{ heldOn: addDays(TEST_TODAY, 1) }, 'BAD_USER_INPUT', 'input.heldOn'],
      [{ heldOn: addDays(addYears(youth.birthDate, 13), -1) }, 'BAD_USER_INPUT', 'input.heldOn'],
      [{ heldOn: TEST_TODAY }, 'AGED_18_OR_OVER', 'input.participants'], // a parent for a 19-24-year-old
      [{ units: [] }, 'BAD_USER_INPUT', 'input.units'],
      [{ participants: Array.from({ length: 31 }, () => 'SCHOOL') }, 'BAD_USER_INPUT', 'input.participants'],
      [{ place: 'OTHER' }, 'BAD_USER_INPUT', 'input.placeNote'],
      [{ planActionIds: ['00000000-0000-4000-8000-000000000000'] }, 'NOT_FOUND', 'input.planActionIds'],
    ];
    for (const [change, code, field] of refusals) {
      const result = await stack.gql(RECORD, { input: { ...base, ...change, idempotencyKey: `bad-${field}-${code}` } }, caller);
      expect(result.errors?.[0]?.extensions, JSON.stringify(change)).toMatchObject({ code, field });
      expect(result.data?.recordMeeting ?? null).toBeNull();
    }
    // An unknown unit is refused by the schema itself, before the coordination is asked.
    const unknownUnit = await stack.gql(RECORD, { input: { ...base, units: ['GUIDANCE', 'MARS'] } }, caller);
    expect(unknownUnit.errors?.[0]?.extensions?.code).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
    expect((await stack.store.meetings([youth.youthId]))[0]).toEqual([]);

    // A decision and an action taken at the meeting, recorded before it: linked by id.
    const decision = await stack.gql<{ recordJointDecision: { id: string } }>(
      DECIDE,
      { input: { youthId: youth.youthId, summary: 'FGU from August; the family group keeps the case', units: ['GUIDANCE', 'SOCIAL'] } },
      caller,
    );
    const action = await stack.gql<{ addPlanAction: { id: string } }>(
      ADD,
      { input: { youthId: youth.youthId, title: 'Visit FGU with the young person', ownerUnit: 'GUIDANCE' } },
      caller,
    );
    expect(decision.errors ?? action.errors).toBeUndefined();
    const input = {
      ...base,
      jointDecisionIds: [decision.data!.recordJointDecision.id],
      planActionIds: [action.data!.addPlanAction.id],
      idempotencyKey: 'meeting-at-16',
    };
    const first = await stack.gql<{ recordMeeting: Record<string, unknown> & { id: string } }>(RECORD, { input }, caller);
    expect(first.errors).toBeUndefined();
    expect(first.data!.recordMeeting).toMatchObject({
      heldOn: at16,
      kind: 'COORDINATING_MEETING_16_5',
      place: 'UDDANNELSESHUSET',
      placeNote: null,
      units: ['GUIDANCE', 'SOCIAL'],
      participants: ['YOUNG_PERSON', 'PARENT_OR_GUARDIAN', 'UU_COUNSELLOR', 'SOCIAL_CASEWORKER'],
      recordedBy: 'e2e-uu-counsellor',
      jointDecisions: [{ id: decision.data!.recordJointDecision.id, meetingId: first.data!.recordMeeting.id }],
      planActions: [
        {
          id: action.data!.addPlanAction.id,
          meetingId: first.data!.recordMeeting.id,
          history: [{ kind: 'CREATED' }, { kind: 'LINKED_TO_MEETING' }],
        },
      ],
    });
    // The same key again: the first meeting, not a second one; the key for another meeting: refused.
    const again = await stack.gql<{ recordMeeting: { id: string } }>(RECORD, { input }, caller);
    expect(again.data!.recordMeeting.id).toBe(first.data!.recordMeeting.id);
    const reused = await stack.gql(RECORD, { input: { ...input, kind: 'HANDOVER' } }, caller);
    expect(reused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await stack.store.meetings([youth.youthId]))[0]).toHaveLength(1);

    // A later meeting, and an action agreed at it recorded with its id.
    const later = await stack.gql<{ recordMeeting: { id: string } }>(
      RECORD,
      {
        input: { ...base, heldOn: TEST_TODAY, kind: 'HANDOVER', participants: ['YOUNG_PERSON', 'JOBCENTER_ADVISOR'], units: ['JOBCENTER'] },
      },
      caller,
    );
    expect(later.errors).toBeUndefined();
    const agreed = await stack.gql<{ addPlanAction: { meetingId: string } }>(
      ADD,
      {
        input: {
          youthId: youth.youthId,
          title: 'Meet the jobcenter advisor',
          ownerUnit: 'JOBCENTER',
          meetingId: later.data!.recordMeeting.id,
        },
      },
      caller,
    );
    expect(agreed.data!.addPlanAction.meetingId).toBe(later.data!.recordMeeting.id);

    const read = await stack.gql<{ youth: { meetings: { id: string; heldOn: string; planActions: { id: string }[] }[] } }>(
      MEETINGS,
      { id: youth.youthId },
      caller,
    );
    expect(read.errors).toBeUndefined();
    expect(read.data!.youth.meetings.map((m) => [m.id, m.heldOn, m.planActions.length])).toEqual([
      [later.data!.recordMeeting.id, TEST_TODAY, 1],
      [first.data!.recordMeeting.id, at16, 1],
    ]);
  });
});

describe('plan actions edited and cancelled, with their history', () => {
  it('an action edited then cancelled shows three changes in order; refused changes write nothing', async () => {
    const { youth, authorization } = await youthWithCounsellor(14, 17);
    const caller = { authorization };
    const meeting = await stack.gql<{ recordMeeting: { id: string } }>(
      RECORD,
      {
        input: {
          youthId: youth.youthId,
          heldOn: TEST_TODAY,
          kind: 'WELL_BEING_FORUM',
          place: 'SCHOOL',
          units: ['SCHOOL', 'GUIDANCE'],
          participants: ['YOUNG_PERSON', 'PARENT_OR_GUARDIAN', 'SCHOOL', 'UU_COUNSELLOR'],
        },
      },
      caller,
    );
    expect(meeting.errors).toBeUndefined();
    const added = await stack.gql<{ addPlanAction: { id: string } }>(
      ADD,
      {
        input: {
          youthId: youth.youthId,
          title: 'Bridge-building week',
          ownerUnit: 'GUIDANCE',
          due: '2026-12-01',
          meetingId: meeting.data!.recordMeeting.id,
        },
      },
      caller,
    );
    const actionId = added.data!.addPlanAction.id;

    const edited = await stack.gql<{ editPlanAction: Record<string, unknown> }>(
      EDIT,
      { input: { actionId, due: '2027-01-15', reason: 'The college has no week before January', idempotencyKey: 'edit-1' } },
      caller,
    );
    expect(edited.errors).toBeUndefined();
    expect(edited.data!.editPlanAction).toMatchObject({ id: actionId, due: '2027-01-15', status: 'OPEN' });
    const replayed = await stack.gql(
      EDIT,
      { input: { actionId, due: '2027-01-15', reason: 'The college has no week before January', idempotencyKey: 'edit-1' } },
      caller,
    );
    expect(replayed.errors).toBeUndefined();

    const badReason = await stack.gql(CANCEL, { input: { actionId, reason: 'no' } }, caller);
    expect(badReason.errors?.[0]?.extensions).toMatchObject({ code: 'REASON_REQUIRED', field: 'input.reason' });
    const cancelled = await stack.gql<{ cancelPlanAction: Record<string, unknown> }>(
      CANCEL,
      { input: { actionId, reason: 'She chose the production school instead' } },
      caller,
    );
    expect(cancelled.errors).toBeUndefined();
    expect(cancelled.data!.cancelPlanAction).toMatchObject({
      status: 'CANCELLED',
      cancelledBy: 'e2e-uu-counsellor',
      cancelledReason: 'She chose the production school instead',
    });

    const historyBefore = await stack.store.planActionHistory([actionId]);
    const refused: [string, Record<string, unknown>, string][] = [
      [CANCEL, { actionId, reason: 'Cancelled once more by mistake' }, 'ALREADY_CANCELLED'],
      [EDIT, { actionId, title: 'Something else', reason: 'A new title for it' }, 'ALREADY_CANCELLED'],
      [EDIT, { actionId: '00000000-0000-4000-8000-000000000000', title: 'x', reason: 'A new title for it' }, 'NOT_FOUND'],
      [EDIT, { actionId: 'not-an-id', title: 'x', reason: 'A new title for it' }, 'BAD_USER_INPUT'],
    ];
    for (const [mutation, input, code] of refused) {
      const result = await stack.gql(mutation, { input }, caller);
      expect((result.errors?.[0] as ErrorShape | undefined)?.extensions?.code, JSON.stringify(input)).toBe(code);
    }
    expect(await stack.store.planActionHistory([actionId])).toEqual(historyBefore);

    const read = await stack.gql<{
      youth: { meetings: { planActions: { id: string; status: string; cancelledReason: string; history: Record<string, unknown>[] }[] }[] };
    }>(HISTORY, { id: youth.youthId }, caller);
    expect(read.errors).toBeUndefined();
    const [listed] = read.data!.youth.meetings[0]!.planActions;
    expect(listed).toMatchObject({ id: actionId, status: 'CANCELLED', cancelledReason: 'She chose the production school instead' });
    expect(listed!.history).toEqual([
      {
        kind: 'CREATED',
        changedBy: 'e2e-uu-counsellor',
        changedByRole: 'uu-counsellor',
        changedByUnit: 'UU',
        reason: null,
        changes: [
          { field: 'TITLE', before: null, after: 'Bridge-building week' },
          { field: 'OWNER_UNIT', before: null, after: 'GUIDANCE' },
          { field: 'DUE', before: null, after: '2026-12-01' },
          { field: 'STATUS', before: null, after: 'OPEN' },
          { field: 'MEETING', before: null, after: meeting.data!.recordMeeting.id },
        ],
      },
      {
        kind: 'EDITED',
        changedBy: 'e2e-uu-counsellor',
        changedByRole: 'uu-counsellor',
        changedByUnit: 'UU',
        reason: 'The college has no week before January',
        changes: [{ field: 'DUE', before: '2026-12-01', after: '2027-01-15' }],
      },
      {
        kind: 'CANCELLED',
        changedBy: 'e2e-uu-counsellor',
        changedByRole: 'uu-counsellor',
        changedByUnit: 'UU',
        reason: 'She chose the production school instead',
        changes: [{ field: 'STATUS', before: 'OPEN', after: 'CANCELLED' }],
      },
    ]);
  });
});

describe('need to know', () => {
  it('a caller without a relation to the young person hears NOT_FOUND, writes nothing and reads null', async () => {
    const { youth, authorization } = await youthWithCounsellor(14, 17);
    const added = await stack.gql<{ addPlanAction: { id: string } }>(
      ADD,
      { input: { youthId: youth.youthId, title: 'Talk to the school counsellor', ownerUnit: 'GUIDANCE' } },
      { authorization },
    );
    const actionId = added.data!.addPlanAction.id;
    const outsider = { authorization: await outsiderFor(youth.youthId) };
    const meetingsBefore = await stack.store.meetings([youth.youthId]);
    const historyBefore = await stack.store.planActionHistory([actionId]);

    const writes: [string, Record<string, unknown>][] = [
      [
        RECORD,
        {
          youthId: youth.youthId,
          heldOn: TEST_TODAY,
          kind: 'OTHER',
          place: 'HOME',
          units: ['JOBCENTER'],
          participants: ['JOBCENTER_ADVISOR'],
        },
      ],
      [EDIT, { actionId, title: 'Something else', reason: 'A new title for it' }],
      [CANCEL, { actionId, reason: 'Not needed any more' }],
    ];
    for (const [mutation, input] of writes) {
      const result = await stack.gql(mutation, { input }, outsider);
      expect((result.errors?.[0] as ErrorShape | undefined)?.extensions?.code, mutation).toBe('NOT_FOUND');
    }
    expect(await stack.store.meetings([youth.youthId])).toEqual(meetingsBefore);
    expect(await stack.store.planActionHistory([actionId])).toEqual(historyBefore);
    const read = await stack.gql<{ youth: unknown }>(MEETINGS, { id: youth.youthId }, outsider);
    expect(read.data?.youth).toBeNull();
  });
});

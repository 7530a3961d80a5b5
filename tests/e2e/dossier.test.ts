import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './testStack.js';
import { DOSSIER } from './dossierQueries.js';

let stack: TestStack;
const COUNSELLOR = { role: 'uu-counsellor' } as const;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.shutdown();
});

async function firstYouthWith(filter: Record<string, unknown>): Promise<string> {
  const result = await stack.gql<{ youths: { edges: { node: { id: string } }[] } }>(
    'query ($filter: YouthFilter) { youths(filter: $filter, first: 1) { edges { node { id } } } }',
    { filter },
    // Need to know: UU's counsellors list the whole coordinated effort (and, by statute, everyone under 25).
    COUNSELLOR,
  );
  const id = result.data?.youths.edges[0]?.node.id;
  if (!id) throw new Error(`no young person matches ${JSON.stringify(filter)}: ${JSON.stringify(result.errors)}`);
  return id;
}

/** The fields of DOSSIER the test reads. */
interface DossierYouth {
  id: string;
  guidance: { counsellor: { name: string } };
  social: { cases: { open: boolean }[] };
  targetGroup: { inTargetGroup: boolean; asOf: string };
  contactPersonEligibility: { status: string; reasons: unknown[] };
  coordinatedPlan: { goals: unknown[] };
  contactPerson: unknown;
}

interface YouthsPage {
  totalCount: number;
  edges: { cursor: string; node: { id: string; targetGroup: { inTargetGroup: boolean } | null } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** The fields of ASSIGN the test reads. */
interface Assignment {
  id: string;
  youth: { contactPerson: { id: string } };
}

describe('a dossier through the gateway', () => {
  it('joins all five systems with the target group, the plan and the contact person', async () => {
    const id = await firstYouthWith({ contactPersonStatus: 'ELIGIBLE' });
    // Need to know: asked as a caseworker the social system names for this young person.
    const result = await stack.gql<{ youth: DossierYouth }>(DOSSIER, { id }, { youth: id });
    expect(result.errors).toBeUndefined();
    const youth = result.data!.youth;
    expect(youth.id).toBe(id);
    expect(youth.guidance.counsellor.name).toEqual(expect.any(String));
    expect(youth.social.cases.some((c) => c.open)).toBe(true);
    expect(youth.targetGroup.inTargetGroup).toBe(true);
    expect(youth.targetGroup.asOf).toBe('2026-11-01');
    expect(youth.contactPersonEligibility.status).toBe('ELIGIBLE');
    expect(youth.contactPersonEligibility.reasons.length).toBeGreaterThan(0);
    expect(youth.coordinatedPlan.goals.length).toBeGreaterThan(0);
    expect(youth.contactPerson).toBeNull();
  });

  it('answers null for an unknown id and a clear error for a malformed one', async () => {
    const unknown = await stack.gql('{ youth(id: "doesnotexist") { id } }');
    expect(unknown.errors).toBeUndefined();
    expect(unknown.data).toEqual({ youth: null });
    const malformed = await stack.gql('{ youth(id: "../etc/passwd") { id } }');
    expect(malformed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('never serves the CPR number', async () => {
    const result = await stack.gql('{ youths(first: 1) { edges { node { cpr } } } }');
    expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('youths: a filtered cursor connection over the screening register', () => {
  it('pages through the whole target group without gaps or repeats', async () => {
    const seen = new Set<string>();
    let after: string | null = null;
    let total = -1;
    for (let page = 0; page < 100; page++) {
      const result: { data?: { youths: YouthsPage }; errors?: unknown } = await stack.gql(
        'query ($after: String) { youths(filter: { inTargetGroup: true }, first: 50, after: $after) { totalCount edges { cursor node { id targetGroup { inTargetGroup } } } pageInfo { hasNextPage endCursor } } }',
        { after },
        COUNSELLOR,
      );
      // From 25 the school's data (which the target group reads) needs the young person's consent (issue 14).
      expect(
        ((result.errors ?? []) as { extensions?: { code?: string } }[]).filter((e) => e.extensions?.code !== 'CONSENT_REQUIRED'),
      ).toEqual([]);
      const connection = result.data!.youths;
      total = connection.totalCount;
      for (const edge of connection.edges) {
        expect(seen.has(edge.node.id)).toBe(false);
        seen.add(edge.node.id);
        if (edge.node.targetGroup !== null) expect(edge.node.targetGroup.inTargetGroup).toBe(true);
      }
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(total).toBeGreaterThan(50);
    expect(seen.size).toBe(total);
  });

  it('filters by indicator and age and counts', async () => {
    const result = await stack.gql<{
      youths: { totalCount: number; edges: { node: { age: number; targetGroup: { indicators: string[] } } }[] };
    }>(
      '{ youths(filter: { indicator: NOT_IN_EDUCATION, ageMin: 18, ageMax: 24 }, first: 20) { totalCount edges { node { age targetGroup { indicators } } } } }',
      {},
      COUNSELLOR,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.youths.totalCount).toBeGreaterThan(0);
    for (const { node } of result.data!.youths.edges) {
      expect(node.age).toBeGreaterThanOrEqual(18);
      expect(node.age).toBeLessThanOrEqual(24);
      expect(node.targetGroup.indicators).toContain('NOT_IN_EDUCATION');
    }
  });

  it('rejects a bad page size, a foreign cursor and an inverted age range', async () => {
    for (const [query, field] of [
      ['{ youths(first: 0) { totalCount } }', 'first'],
      ['{ youths(first: 501) { totalCount } }', 'first'],
      ['{ youths(after: "bm90LWEtY3Vyc29y") { totalCount } }', 'after'],
      ['{ youths(filter: { ageMin: 25, ageMax: 18 }) { totalCount } }', 'filter.ageMin'],
    ] as const) {
      const result = await stack.gql(query);
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });
});

describe('the continuous contact person', () => {
  const ASSIGN = /* GraphQL */ `
    mutation ($input: AssignContactPersonInput!) {
      assignContactPerson(input: $input) {
        id
        startedAt
        overCapacity
        contactPerson {
          id
          caseload
        }
        youth {
          id
          contactPerson {
            id
          }
        }
      }
    }
  `;

  it('assigns an eligible young person once, also when the submission is repeated', async () => {
    const youthId = await firstYouthWith({ contactPersonStatus: 'ELIGIBLE' });
    const persons = await stack.gql<{ contactPersons: { id: string; caseload: number }[] }>('{ contactPersons { id caseload } }');
    const contactPersonId = persons.data!.contactPersons[0]!.id;
    const input = { youthId, contactPersonId, note: 'agreed at the meeting', idempotencyKey: `assign-${youthId}` };

    const first = await stack.gql<{ assignContactPerson: Assignment }>(ASSIGN, { input }, COUNSELLOR);
    expect(first.errors).toBeUndefined();
    const again = await stack.gql<{ assignContactPerson: Assignment }>(ASSIGN, { input }, COUNSELLOR);
    expect(again.errors).toBeUndefined();
    expect(again.data!.assignContactPerson.id).toBe(first.data!.assignContactPerson.id);
    expect(first.data!.assignContactPerson.youth.contactPerson.id).toBe(first.data!.assignContactPerson.id);

    const other = await stack.gql(ASSIGN, { input: { youthId, contactPersonId } }, COUNSELLOR);
    expect(other.errors?.[0]?.extensions?.code).toBe('ALREADY_ASSIGNED');

    const capacity = await stack.gql<{ contactPersonCapacity: { active: number; funded: number } }>(
      '{ contactPersonCapacity { active funded overCapacity available } }',
    );
    expect(capacity.data!.contactPersonCapacity).toMatchObject({ active: 1, funded: 60 });

    const ended = await stack.gql<{ endContactPersonAssignment: { endedAt: string | null; endReason: string } }>(
      'mutation ($youthId: ID!) { endContactPersonAssignment(input: { youthId: $youthId, reason: "anchored in education", outcome: ORDINARY_EDUCATION }) { endedAt endReason outcome } }',
      { youthId },
      COUNSELLOR,
    );
    expect(ended.errors).toBeUndefined();
    expect(ended.data!.endContactPersonAssignment.endedAt).not.toBeNull();
  });

  it('refuses young people who are not eligible, or unknown, and writes nothing', async () => {
    const notCandidate = await firstYouthWith({ contactPersonStatus: 'NOT_CANDIDATE' });
    const withSupport = await firstYouthWith({ contactPersonStatus: 'HAS_EXISTING_SUPPORT' });
    const before = await stack.gql<{ contactPersonCapacity: { active: number } }>('{ contactPersonCapacity { active } }');
    // Need to know: asked by the young people's own counsellors (UU's statutory relation assigns no one).
    const refused = await stack.gql(
      ASSIGN,
      { input: { youthId: notCandidate, contactPersonId: 'gkp-mette-kjaer' } },
      { ...COUNSELLOR, youth: notCandidate },
    );
    // Issue 13: the rules advise; outside them an assignment needs a written justification (seeds/000 "når det vurderes").
    expect(refused.errors?.[0]?.extensions?.code).toBe('JUSTIFICATION_REQUIRED');
    const coordinated = await stack.gql(
      ASSIGN,
      { input: { youthId: withSupport, contactPersonId: 'gkp-mette-kjaer' } },
      { ...COUNSELLOR, youth: withSupport },
    );
    expect(coordinated.errors?.[0]?.extensions?.code).toBe('JUSTIFICATION_REQUIRED');
    const unknown = await stack.gql(ASSIGN, { input: { youthId: 'nobody', contactPersonId: 'gkp-mette-kjaer' } }, COUNSELLOR);
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const after = await stack.gql<{ contactPersonCapacity: { active: number } }>('{ contactPersonCapacity { active } }');
    expect(after.data!.contactPersonCapacity.active).toBe(before.data!.contactPersonCapacity.active);
  });
});

describe('the coordinated plan', () => {
  it('adds and completes agreed actions and records joint decisions', async () => {
    const youthId = await firstYouthWith({ inTargetGroup: true });
    const added = await stack.gql<{ addPlanAction: { id: string; status: string } }>(
      'mutation ($youthId: ID!) { addPlanAction(input: { youthId: $youthId, title: "Visit FGU Nordjylland", ownerUnit: GUIDANCE, due: "2026-12-15" }) { id status } }',
      { youthId },
      { ...COUNSELLOR, youth: youthId },
    );
    expect(added.errors).toBeUndefined();
    expect(added.data!.addPlanAction.status).toBe('OPEN');
    const done = await stack.gql<{ completePlanAction: { status: string; completedAt: string } }>(
      'mutation ($id: ID!) { completePlanAction(input: { actionId: $id }) { status completedAt } }',
      { id: added.data!.addPlanAction.id },
      { ...COUNSELLOR, youth: youthId },
    );
    expect(done.data!.completePlanAction.status).toBe('DONE');
    const decision = await stack.gql(
      'mutation ($youthId: ID!) { recordJointDecision(input: { youthId: $youthId, summary: "FGU first, then EUD", units: [GUIDANCE, JOBCENTER] }) { id units } }',
      { youthId },
      { ...COUNSELLOR, youth: youthId },
    );
    expect(decision.errors).toBeUndefined();
    const plan = await stack.gql<{
      youth: { coordinatedPlan: { agreedActions: { status: string }[]; jointDecisions: { units: string[] }[] } };
    }>(
      'query ($id: ID!) { youth(id: $id) { coordinatedPlan { agreedActions { title status } jointDecisions { summary units } } } }',
      {
        id: youthId,
      },
      { ...COUNSELLOR, youth: youthId },
    );
    expect(plan.data!.youth.coordinatedPlan.agreedActions).toEqual([{ title: 'Visit FGU Nordjylland', status: 'DONE' }]);
    expect(plan.data!.youth.coordinatedPlan.jointDecisions).toEqual([{ summary: 'FGU first, then EUD', units: ['GUIDANCE', 'JOBCENTER'] }]);
  });

  it('refuses a joint decision by one unit, and a bad date, and writes nothing', async () => {
    const youthId = await firstYouthWith({ inTargetGroup: true });
    const PLAN = 'query ($id: ID!) { youth(id: $id) { coordinatedPlan { agreedActions { id } jointDecisions { id } } } }';
    const before = await stack.gql(PLAN, { id: youthId }, { ...COUNSELLOR, youth: youthId });
    const single = await stack.gql(
      'mutation ($youthId: ID!) { recordJointDecision(input: { youthId: $youthId, summary: "x", units: [GUIDANCE] }) { id } }',
      { youthId },
      { ...COUNSELLOR, youth: youthId },
    );
    expect(single.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const badDate = await stack.gql(
      'mutation ($youthId: ID!) { addPlanAction(input: { youthId: $youthId, title: "x", ownerUnit: SOCIAL, due: "2026-02-30" }) { id } }',
      { youthId },
      { ...COUNSELLOR, youth: youthId },
    );
    expect(badDate.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(badDate.errors?.[0]?.message).toMatch(/due/);
    const after = await stack.gql(PLAN, { id: youthId }, { ...COUNSELLOR, youth: youthId });
    expect(after.data).toEqual(before.data);
  });
});

/**
 * Need to know (issue 14 §1): municipal staff see a young person only in a relation; outside it the answer
 * is that of an unknown id, unless a break-the-glass reason is stated (checked, limited per day, logged as
 * BREAK_THE_GLASS with the reason, listed for the auditors). On the old code a social caseworker read
 * every young person and listed the whole municipality.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devTokenFor } from '../../platform/authentication/mint.js';
import type { RoleName } from '../../platform/authorization/roles.js';
import { startTestStack, type TestStack } from '../e2e/testStack.js';

let stack: TestStack;
const TODAY = '2026-11-01';

interface Token {
  role: RoleName;
  unit?: string;
  staffId?: string;
  subject: string;
}
const bearer = async (t: Token) =>
  `Bearer ${await devTokenFor(t.role, { subject: t.subject, staffId: t.staffId, unit: t.unit, env: stack.env })}`;
const ask = async (t: Token, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) =>
  stack.gql<Record<string, unknown>>(query, variables, { authorization: await bearer(t), headers });

const YOUTH = `query One($id: ID!) { youth(id: $id) { id firstName } }`;
const ALIASED = `query One($id: ID!) { a: youth(id: $id) { ...F } } fragment F on Youth { id lastName }`;

let fg1Only: string; // a young person with an open case in family group 1 only
let caseworkerOfFg1: string;
let outsider: string; // no social case, not in the target group
beforeAll(async () => {
  stack = await startTestStack({ env: { BREAK_THE_GLASS_DAILY_LIMIT: '2', REVIEW_BULK_THRESHOLD: '3' } });
  const isOpen = (c: { opened: string; closed: string | null }) => c.opened <= TODAY && (c.closed === null || c.closed > TODAY);
  for (const person of stack.systems.population.people) {
    const open = (person.social?.cases ?? []).filter(isOpen);
    if (!fg1Only && open.length > 0 && open.every((c) => c.unit === 'FAMILY_GROUP_1')) {
      fg1Only = person.uuId;
      caseworkerOfFg1 = open[0]!.caseworker.id;
    }
  }
  // An outsider for a social caseworker of family group 2: no open case there and not in any effort.
  const entries = await stack.store.registerEntries(stack.systems.population.people.map((p) => p.uuId).slice(0, 1000));
  const index = entries.findIndex(
    (e) => e !== null && e.facts.socialUnits.length === 0 && !e.facts.inEffort && e.facts.caseworkerIds.length === 0,
  );
  outsider = stack.systems.population.people[index]!.uuId;
}, 180_000);
afterAll(() => stack?.shutdown());

const fg2: Token = { role: 'social-caseworker', unit: 'FAMILY_GROUP_2', staffId: 'SB-05', subject: 'ntk-fg2' };

describe('need to know: single reads', () => {
  it('a caseworker reads a young person in their unit, under aliases and fragments', async () => {
    const fg1: Token = { role: 'social-caseworker', unit: 'FAMILY_GROUP_1', subject: 'ntk-fg1' };
    for (const query of [YOUTH, ALIASED]) {
      const answer = await ask(fg1, query, { id: fg1Only });
      expect(answer.errors).toBeUndefined();
      expect(JSON.stringify(answer.data)).toContain(fg1Only);
    }
    const own = await ask({ role: 'social-caseworker', unit: 'FAMILY_GROUP_3', staffId: caseworkerOfFg1, subject: 'ntk-own' }, YOUTH, {
      id: fg1Only,
    });
    expect((own.data?.youth as { id: string } | null)?.id).toBe(fg1Only);
  });

  it('outside the relation the answer is exactly that of an unknown id', async () => {
    for (const query of [YOUTH, ALIASED]) {
      const outside = await ask(fg2, query, { id: outsider });
      const unknown = await ask(fg2, query, { id: 'no-such-youth' });
      expect(outside).toEqual(unknown);
      expect(Object.values(outside.data ?? {})).toEqual([null]);
    }
  });

  it('youths lists the relations only, counts included', async () => {
    const list = `{ youths(first: 500) { totalCount edges { node { id } } } }`;
    const answer = await ask(fg2, list);
    const youths = answer.data?.youths as { totalCount: number; edges: { node: { id: string } }[] };
    const all = stack.systems.population.people.length;
    expect(youths.totalCount).toBeLessThan(all);
    const ids = youths.edges.map((edge) => edge.node.id);
    expect(ids).not.toContain(outsider);
    expect(ids).not.toContain(fg1Only);
    const entries = await stack.store.registerEntries(ids);
    for (const entry of entries)
      expect(entry!.facts.socialUnits.includes('FAMILY_GROUP_2') || entry!.facts.effortUnits.includes('FAMILY_GROUP_2')).toBe(true);
  });
});

describe('need to know: break-the-glass', () => {
  const reason = 'Akut henvendelse fra skolen om barnets trivsel';
  it('a reason too short is BAD_USER_INPUT and releases nothing', async () => {
    const answer = await ask(fg2, YOUTH, { id: outsider }, { 'x-break-the-glass-reason': 'because' });
    expect(answer.data ?? null).toBeNull();
    expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('with a reason the young person is opened, logged as BREAK_THE_GLASS with the reason, and listed for review; past the limit refused', async () => {
    const caller: Token = { ...fg2, subject: 'ntk-btg' };
    const opened = await ask(caller, YOUTH, { id: outsider }, { 'x-break-the-glass-reason': reason });
    expect((opened.data?.youth as { id: string }).id).toBe(outsider);
    await ask(caller, YOUTH, { id: outsider }, { 'x-break-the-glass-reason': reason });
    const third = await ask(caller, YOUTH, { id: outsider }, { 'x-break-the-glass-reason': reason });
    expect(third.data ?? null).toBeNull();
    expect(third.errors?.[0]?.extensions?.code).toBe('BREAK_THE_GLASS_LIMIT');

    const auditor = await bearer({ role: 'auditor', subject: 'ntk-auditor' });
    const log = await fetch(`${stack.gatewayUrl.replace(/\/graphql$/, '')}/audit/access-log?youthId=${outsider}`, {
      headers: { authorization: auditor },
    });
    const body = JSON.stringify(await log.json());
    expect(body).toContain('BREAK_THE_GLASS');
    const review = await fetch(`${stack.gatewayUrl.replace(/\/graphql$/, '')}/audit/review`, { headers: { authorization: auditor } });
    const list = (await review.json()) as { breakTheGlass: { subject: string; youthId: string; reason: string }[] };
    expect(list.breakTheGlass).toContainEqual(expect.objectContaining({ subject: 'ntk-btg', youthId: outsider, reason }));
  });
});

describe('need to know: writes and nested reads', () => {
  const PLAN_ACTION = 'mutation ($y: ID!) { addPlanAction(input: { youthId: $y, title: "Møde om praktik", ownerUnit: SOCIAL }) { id } }';

  it('a write about a young person outside the relation answers like an unknown id and writes nothing', async () => {
    const outside = await ask(fg2, PLAN_ACTION, { y: outsider });
    const unknown = await ask(fg2, PLAN_ACTION, { y: 'no-such-youth' });
    expect(outside.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(JSON.stringify(outside).replaceAll(outsider, 'ID')).toBe(JSON.stringify(unknown).replaceAll('no-such-youth', 'ID'));
    expect((await stack.store.planActions([outsider]))[0]).toEqual([]);

    // In the relation the same write goes through; completing it is refused to a caller outside it.
    const fg1: Token = { role: 'social-caseworker', unit: 'FAMILY_GROUP_1', subject: 'ntk-fg1-writer' };
    const added = await ask(fg1, PLAN_ACTION, { y: fg1Only });
    expect(added.errors).toBeUndefined();
    const actionId = (added.data?.addPlanAction as { id: string }).id;
    const COMPLETE = 'mutation ($id: ID!) { completePlanAction(input: { actionId: $id }) { status } }';
    const foreign = await ask(fg2, COMPLETE, { id: actionId });
    const unknownId = '00000000-0000-4000-8000-000000000000';
    const missing = await ask(fg2, COMPLETE, { id: unknownId });
    expect(foreign.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(JSON.stringify(foreign).replaceAll(actionId, 'ID')).toBe(JSON.stringify(missing).replaceAll(unknownId, 'ID'));
    expect((await stack.store.planActions([fg1Only]))[0]?.map((a) => a.status)).toEqual(['OPEN']);
  });

  it("UU's statutory relation opens identity and guidance, never a contact-person assignment", async () => {
    const entries = await stack.store.registerEntries(stack.systems.population.people.map((p) => p.uuId).slice(0, 1000));
    const index = entries.findIndex(
      (e) => e !== null && !e.facts.inEffort && e.facts.counsellor !== 'ZZ' && e.facts.birthDate > '2003-01-01',
    );
    const young = stack.systems.population.people[index]!.uuId;
    const uu: Token = { role: 'uu-counsellor', unit: 'UU', staffId: 'ZZ', subject: 'ntk-uu' };
    // Every category the role's scopes open, in one read: identity and guidance released, the rest withheld
    // where each is resolved (the systems' subgraphs and the coordination), null with a coded error.
    const read = await ask(
      uu,
      `query ($id: ID!) { youth(id: $id) { id firstName guidance { counsellor { name } } school { grade } jobcenter { category }
        socialSummary { openCases { unit } } targetGroup { inTargetGroup } contactPersonEligibility { status }
        coordinatedPlan { goals { unit } } contactPerson { id } } }`,
      { id: young },
    );
    const youth = read.data?.youth as Record<string, unknown>;
    expect(youth.id).toBe(young);
    expect(youth.firstName).toEqual(expect.any(String));
    expect(youth.guidance).not.toBeNull();
    const withheld = [
      'school',
      'jobcenter',
      'socialSummary',
      'targetGroup',
      'contactPersonEligibility',
      'coordinatedPlan',
      'contactPerson',
    ];
    for (const field of withheld) {
      expect(youth[field], field).toBeNull();
      expect(
        read.errors?.some(
          (e) => e.extensions?.code === 'UNAUTHORIZED_FIELD_OR_TYPE' && JSON.stringify(e.path) === JSON.stringify(['youth', field]),
        ),
        field,
      ).toBe(true);
    }
    // The same counsellor as the young person's own counsellor (their caseload) sees every category.
    const own = await ask(
      { ...uu, staffId: (await stack.store.registerEntries([young]))[0]!.facts.counsellor! },
      'query ($id: ID!) { youth(id: $id) { school { grade } targetGroup { inTargetGroup } } }',
      { id: young },
    );
    expect((own.errors ?? []).filter((e) => e.extensions?.code === 'UNAUTHORIZED_FIELD_OR_TYPE')).toEqual([]);
    const assign = await ask(
      uu,
      'mutation ($y: ID!) { assignContactPerson(input: { youthId: $y, contactPersonId: "gkp-mette-kjaer", justification: "Behov for én indgang til kommunen" }) { id } }',
      {
        y: young,
      },
    );
    expect(assign.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await stack.store.activeAssignments([young])).toEqual([null]);
  });

  it("a contact person's assignments list only the young people the caller relates to", async () => {
    const eligible = await ask(
      { role: 'uu-counsellor', subject: 'ntk-uu-list' },
      '{ youths(filter: { contactPersonStatus: ELIGIBLE, ageMax: 24 }, first: 1) { edges { node { id } } } }',
    );
    const id = (eligible.data?.youths as { edges: { node: { id: string } }[] }).edges[0]!.node.id;
    const claims = await stack.relationFor('uu-counsellor', id);
    const assigned = await ask(
      { role: 'uu-counsellor', subject: 'ntk-uu-assign', ...claims },
      'mutation ($y: ID!) { assignContactPerson(input: { youthId: $y, contactPersonId: "gkp-mette-kjaer", acceptOverCapacity: true }) { id } }',
      { y: id },
    );
    expect(assigned.errors).toBeUndefined();
    const LIST = '{ contactPersons { id assignments { youth { id } } } }';
    const listed = async (staffId: string) =>
      JSON.stringify(
        (
          await stack.gql(
            LIST,
            {},
            {
              authorization: `Bearer ${await devTokenFor('contact-person', { subject: `ntk-${staffId}`, staffId, unit: null, env: stack.env })}`,
            },
          )
        ).data,
      );
    expect(await listed('gkp-mette-kjaer')).toContain(id);
    expect(await listed('gkp-sara-holm')).not.toContain(id);
  });
});

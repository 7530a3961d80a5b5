import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../platform/hash.js';
import { startTestStack, type GraphQLErrorShape, type TestStack } from '../e2e/testStack.js';

/**
 * Issue 14, section 4: partners get only what they need. A partner institution reads an education plan's
 * structured fields (track, goal category, steps done, enrolment, completion); the plan's free text (the
 * goal in the counsellor's words, the steps' texts) only while UU has marked the plan shareable with that
 * institution. The attack: a partner asking for `goal` and `steps { text }` (before this change the
 * partner safelist itself selected them, so every partner read every counsellor's words), or for the
 * shared words of a plan UU shared with another institution.
 */

interface Manifest {
  operations: { id: string; name: string; type: string; body: string }[];
}

const PROBE_FREE_TEXT = 'query ($id: ID!) { youth(id: $id) { id guidance { educationPlan { goal track steps { text done } } } } }';
const SHARE = `mutation ($input: SetEducationPlanSharingInput!) { setEducationPlanSharing(input: $input) { institutionIds youth { id } } }`;

interface PlanAnswer {
  youth: {
    id: string;
    guidance: {
      educationPlan: {
        goalCategory: string;
        track: string;
        stepsTotal: number;
        stepsDone: number;
        sharedGoal: string | null;
        steps: { sharedText: string | null; due: string; done: boolean }[];
      } | null;
      currentEnrolment: unknown;
      completedYouthEducation: boolean;
    } | null;
  } | null;
}

describe('partner institutions and the education plan’s free text (issue 14)', () => {
  let stack: TestStack;
  let manifestDir: string;
  let partnerPlan: string;
  let institution: string;
  let otherInstitution: string;
  let youthId: string;
  let goal: string;

  beforeAll(async () => {
    const real = JSON.parse(readFileSync(new URL('../../operations/partner-manifest.json', import.meta.url), 'utf8')) as Manifest;
    partnerPlan = real.operations.find((operation) => operation.name === 'PartnerEducationPlan')!.body;
    // The probe is safelisted too: the field rules, not the safelist, must keep the words from the partner.
    manifestDir = mkdtempSync(join(tmpdir(), 'ungegraf-partner-text-'));
    const path = join(manifestDir, 'partner-manifest.json');
    writeFileSync(
      path,
      JSON.stringify({
        ...real,
        operations: [...real.operations, { id: sha256Hex(PROBE_FREE_TEXT), name: 'Probe', type: 'query', body: PROBE_FREE_TEXT }],
      }),
    );
    stack = await startTestStack({ env: { PERSISTED_MANIFEST_PATH: path } });
    const people = stack.systems.population.people;
    const linked = (person: (typeof people)[number], id: string) =>
      person.guidance.institutions.some((link) => link.institutionId === id && (link.status === 'ENROLLED' || link.status === 'APPLYING'));
    const counts = new Map<string, number>();
    for (const person of people)
      for (const link of person.guidance.institutions) counts.set(link.institutionId, (counts.get(link.institutionId) ?? 0) + 1);
    [institution, otherInstitution] = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id) as [string, string];
    const person = people.find(
      (p) => linked(p, institution) && !linked(p, otherInstitution) && p.guidance.plan !== null && p.guidance.plan.steps.length > 0,
    );
    if (!person?.guidance.plan) throw new Error('no young person with a plan at the institution');
    youthId = person.uuId;
    goal = person.guidance.plan.goal;
  }, 120_000);

  afterAll(async () => {
    await stack?.shutdown();
    rmSync(manifestDir, { recursive: true, force: true });
  });

  const asPartner = (id = institution) => ({ role: 'partner-institution' as const, institution: id });
  const unauthorizedAt = (errors: GraphQLErrorShape[] | undefined) =>
    (errors ?? []).filter((e) => e.extensions?.code === 'UNAUTHORIZED_FIELD_OR_TYPE').map((e) => (e.path ?? []).join('.'));

  it('gives a partner the structured plan, and no words until UU shares them with its institution', async () => {
    const before = await stack.gql<PlanAnswer>(partnerPlan, { id: youthId }, asPartner());
    expect(before.errors).toBeUndefined();
    const plan = before.data!.youth!.guidance!.educationPlan!;
    expect(plan.sharedGoal).toBeNull();
    expect([plan.goalCategory, plan.track].every((value) => typeof value === 'string')).toBe(true);
    expect(plan.stepsTotal).toBeGreaterThan(0);
    expect(plan.stepsDone).toBeLessThanOrEqual(plan.stepsTotal);
    expect(plan.steps.every((step) => step.sharedText === null)).toBe(true);
    expect(JSON.stringify(before.data)).not.toContain(goal);

    const shared = await stack.gql<{ setEducationPlanSharing: { institutionIds: string[] } }>(
      SHARE,
      { input: { youthId, institutionId: institution, shared: true } },
      { role: 'uu-counsellor' },
    );
    expect(shared.errors).toBeUndefined();
    expect(shared.data!.setEducationPlanSharing.institutionIds).toEqual([institution]);
    const after = await stack.gql<PlanAnswer>(partnerPlan, { id: youthId }, asPartner());
    expect(after.data!.youth!.guidance!.educationPlan!.sharedGoal).toBe(goal);
    expect(after.data!.youth!.guidance!.educationPlan!.steps.every((step) => typeof step.sharedText === 'string')).toBe(true);

    // Taken back: the words are gone at once. Setting it twice changes nothing.
    await stack.gql(SHARE, { input: { youthId, institutionId: institution, shared: false } }, { role: 'uu-counsellor' });
    const again = await stack.gql<{ setEducationPlanSharing: { institutionIds: string[] } }>(
      SHARE,
      { input: { youthId, institutionId: institution, shared: false } },
      { role: 'uu-counsellor' },
    );
    expect(again.data!.setEducationPlanSharing.institutionIds).toEqual([]);
    const unshared = await stack.gql<PlanAnswer>(partnerPlan, { id: youthId }, asPartner());
    expect(unshared.data!.youth!.guidance!.educationPlan!.sharedGoal).toBeNull();
  });

  it('refuses the free-text fields themselves to a partner, safelisted or not', async () => {
    const probe = await stack.gql<PlanAnswer>(PROBE_FREE_TEXT, { id: youthId }, asPartner());
    expect(unauthorizedAt(probe.errors)).toEqual(expect.arrayContaining([expect.stringMatching(/^youth\.guidance\.educationPlan/)]));
    expect(JSON.stringify(probe.data)).not.toContain(goal);
  });

  it('shares with the institution UU named only, and lets only UU mark it', async () => {
    await stack.gql(SHARE, { input: { youthId, institutionId: otherInstitution, shared: true } }, { role: 'uu-counsellor' });
    const mine = await stack.gql<PlanAnswer>(partnerPlan, { id: youthId }, asPartner());
    expect(mine.data!.youth!.guidance!.educationPlan!.sharedGoal).toBeNull();

    const byAdvisor = await stack.gql(
      SHARE,
      { input: { youthId, institutionId: institution, shared: true } },
      { role: 'jobcenter-advisor' },
    );
    expect(byAdvisor.errors?.[0]?.extensions?.code).toMatch(/FORBIDDEN|UNAUTHORIZED_FIELD_OR_TYPE/);
    const byPartner = await stack.gql(SHARE, { input: { youthId, institutionId: institution, shared: true } }, asPartner());
    expect(byPartner.errors?.[0]?.extensions?.code).toMatch(/PERSISTED_QUERY_NOT_IN_SAFELIST|UNAUTHORIZED_FIELD_OR_TYPE/);
    const bad = await stack.gql(SHARE, { input: { youthId, institutionId: 'I 104; drop', shared: true } }, { role: 'uu-counsellor' });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    const unknown = await stack.gql(
      SHARE,
      { input: { youthId: 'nobody-here', institutionId: institution, shared: true } },
      { role: 'uu-counsellor' },
    );
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const still = await stack.gql<PlanAnswer>(partnerPlan, { id: youthId }, asPartner());
    expect(still.data!.youth!.guidance!.educationPlan!.sharedGoal).toBeNull();
  });

  it('still gives UU’s staff the words', async () => {
    const staff = await stack.gql<{ youth: { guidance: { educationPlan: { goal: string; sharedGoal: string } } } }>(
      'query ($id: ID!) { youth(id: $id) { guidance { educationPlan { goal sharedGoal goalCategory } } } }',
      { id: youthId },
      { role: 'uu-counsellor' },
    );
    expect(staff.data!.youth.guidance.educationPlan).toMatchObject({ goal, sharedGoal: goal });
  });
});

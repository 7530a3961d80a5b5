/**
 * What the fault suites share: which fields of the dossier (SYSTEMS_DOSSIER, tests/e2e/dossierQueries.ts)
 * each system owns or feeds, and the check that an answer is the baseline with exactly one system's part
 * missing.
 */
import { expect } from 'vitest';
import type { GraphQLErrorShape, TestStack } from '../e2e/testStack.js';
import type { SystemName } from '../../systems/index.js';
import { SYSTEMS_DOSSIER } from '../e2e/dossierQueries.js';

/** The systems a dossier can lose without losing the young person (guidance owns identity: the root). */
export type PartialSystem = Exclude<SystemName, 'guidance'>;

/** The field each system owns, and the coordination's fields computed from it (null when it is missing). */
export const OWNED: Record<PartialSystem, string> = { school: 'school', jobcenter: 'jobcenter', social: 'social', benefits: 'benefits' };
export const DERIVED: Record<PartialSystem, string[]> = {
  school: ['targetGroup', 'contactPersonEligibility', 'coordinatedPlan'],
  jobcenter: ['contactPersonEligibility', 'coordinatedPlan'],
  social: ['targetGroup', 'contactPersonEligibility', 'coordinatedPlan'],
  benefits: [],
};

export type Youth = Record<string, unknown>;
export interface DossierAnswer {
  youth: Youth | null;
  errors: GraphQLErrorShape[];
  ms: number;
}

export async function dossier(stack: TestStack, id: string): Promise<DossierAnswer> {
  const started = performance.now();
  // Need to know: asked as a social caseworker the social system names for the young person.
  const result = await stack.gql<{ youth: Youth | null }>(SYSTEMS_DOSSIER, { id }, { youth: id });
  const ms = performance.now() - started;
  expect(result.status).toBe(200);
  return { youth: result.data?.youth ?? null, errors: result.errors ?? [], ms };
}

/**
 * Young people whose dossier has each system's part (so its loss shows), from the screening register's
 * first page of the target group, and their complete dossiers as the baseline.
 */
export async function pickYouths(stack: TestStack): Promise<{ ids: Record<PartialSystem, string>; baseline: Map<string, Youth> }> {
  // Need to know: young people under 25 (no consent needed) with an open social case, so a caseworker the
  // social system names may read their whole dossier; UU lists them (its statutory relation, ids only).
  const listed: string[] = [];
  for (let after: string | null = null, pages = 0; pages < 4; pages++) {
    const page: { data?: { youths: { edges: { node: { id: string } }[]; pageInfo: { endCursor: string | null } } }; errors?: unknown } =
      await stack.gql(
        'query ($after: String) { youths(filter: { ageMax: 24 }, first: 500, after: $after) { edges { node { id } } pageInfo { endCursor } } }',
        { after },
        { role: 'uu-counsellor' },
      );
    expect(page.errors).toBeUndefined();
    listed.push(...page.data!.youths.edges.map((edge) => edge.node.id));
    after = page.data!.youths.pageInfo.endCursor;
    if (after === null) break;
  }
  const entries = await stack.store.registerEntries(listed);
  const ids: Partial<Record<PartialSystem, string>> = {};
  const baseline = new Map<string, Youth>();
  for (const [index, id] of listed.entries()) {
    if ((Object.keys(OWNED) as PartialSystem[]).every((system) => ids[system])) break;
    if ((entries[index]?.facts.caseworkerIds.length ?? 0) === 0) continue;
    const answer = await dossier(stack, id);
    const wanted = (Object.keys(OWNED) as PartialSystem[]).filter((system) => !ids[system] && answer.youth?.[OWNED[system]] != null);
    if (wanted.length === 0) continue;
    expect(answer.errors).toEqual([]);
    for (const system of wanted) ids[system] = id;
    baseline.set(id, answer.youth!);
  }
  for (const system of Object.keys(OWNED) as PartialSystem[]) expect(ids[system], `a young person with ${system} data`).toBeDefined();
  return { ids: ids as Record<PartialSystem, string>, baseline };
}

/**
 * The answer is the baseline, except: the failing system's field is null with an error naming the system
 * at that field's path, fields computed from it are null or unchanged, and every error names the system.
 * Returns whether the system's part was missing (a flapping system may answer).
 */
export function expectPartial(answer: DossierAnswer, baseline: Youth, system: PartialSystem, deadlineMs: number): boolean {
  expect(answer.ms, 'answered within the deadline').toBeLessThan(deadlineMs);
  const youth = answer.youth;
  expect(youth, 'the young person is still answered').not.toBeNull();
  const owned = OWNED[system];
  for (const [field, expected] of Object.entries(baseline)) {
    if (field === owned) continue;
    if (DERIVED[system].includes(field) && youth![field] === null) continue;
    expect(youth![field], `${field} while ${system} fails`).toEqual(expected);
  }
  const missing = youth![owned] === null;
  if (!missing) {
    expect(youth![owned]).toEqual(baseline[owned]);
    expect(answer.errors).toEqual([]);
    return false;
  }
  expect(answer.errors.length).toBeGreaterThan(0);
  for (const error of answer.errors) {
    expect(error.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.extensions?.service).toBe(system);
  }
  expect(
    answer.errors.some((error) => JSON.stringify(error.path) === JSON.stringify(['youth', owned])),
    `an error at youth.${owned}`,
  ).toBe(true);
  // Nothing of the failing system's insides reaches the client.
  const text = JSON.stringify(answer.errors);
  expect(text).not.toMatch(/https?:\/\/|intern\.aalborg|at dk\.aalborg|\d{6}-?\d{4}/);
  return true;
}

/**
 * What the fault suites share: the dossier query, which fields each system owns or feeds, and the
 * check that an answer is the baseline with exactly one system's part missing.
 */
import { expect } from 'vitest';
import type { GraphQLErrorShape, TestStack } from '../e2e/testStack.js';
import type { SystemName } from '../../systems/index.js';

export const DOSSIER = /* GraphQL */ `
  query Dossier($id: ID!) {
    youth(id: $id) {
      id
      firstName
      age
      school {
        grade
        absence {
          schoolYear
          absenceRate
        }
      }
      guidance {
        readiness {
          vocational
          upperSecondary
        }
        educationPlan {
          goal
          track
        }
      }
      jobcenter {
        category
        efforts {
          type
          active
        }
      }
      social {
        cases {
          unit
          open
          measures {
            type
            active
          }
        }
      }
      benefits {
        currentMonthlyAmountDkk
      }
      targetGroup {
        inTargetGroup
        indicators
      }
      contactPersonEligibility {
        status
        reasons
      }
      coordinatedPlan {
        conflicts {
          description
        }
        nextTransitions {
          kind
          date
        }
        agreedActions {
          title
          status
        }
      }
      contactPerson {
        contactPerson {
          name
        }
      }
    }
  }
`;

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
  const result = await stack.gql<{ youth: Youth | null }>(DOSSIER, { id });
  const ms = performance.now() - started;
  expect(result.status).toBe(200);
  return { youth: result.data?.youth ?? null, errors: result.errors ?? [], ms };
}

/**
 * Young people whose dossier has each system's part (so its loss shows), from the screening register's
 * first page of the target group, and their complete dossiers as the baseline.
 */
export async function pickYouths(stack: TestStack): Promise<{ ids: Record<PartialSystem, string>; baseline: Map<string, Youth> }> {
  const page = await stack.gql<{ youths: { edges: { node: Youth & { id: string } }[] } }>(`{
    youths(filter: { inTargetGroup: true }, first: 100) { edges { node {
      id school { grade } jobcenter { category } social { cases { unit } } benefits { currentMonthlyAmountDkk }
    } } }
  }`);
  expect(page.errors).toBeUndefined();
  const ids: Partial<Record<PartialSystem, string>> = {};
  for (const { node } of page.data!.youths.edges) {
    for (const system of Object.keys(OWNED) as PartialSystem[]) {
      if (!ids[system] && node[OWNED[system]] !== null) ids[system] = node.id;
    }
  }
  const baseline = new Map<string, Youth>();
  for (const system of Object.keys(OWNED) as PartialSystem[]) {
    const id = ids[system];
    expect(id, `a young person with ${system} data`).toBeDefined();
    if (baseline.has(id!)) continue;
    const answer = await dossier(stack, id!);
    expect(answer.errors).toEqual([]);
    baseline.set(id!, answer.youth!);
  }
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

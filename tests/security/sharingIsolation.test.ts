/**
 * Sharing between requests never crosses rights (issue 16, "keep correctness first"): with operation
 * coalescing and subgraph-call deduplication on (the defaults), the very same query sent at the same
 * moment by callers whose scopes or relations differ (two social caseworkers of different family groups,
 * a UU counsellor, a jobcenter advisor, the reporting tool) is answered to each exactly as it is when that
 * caller asks alone: the same rows, the same nulls, the same refusals. Each caller's baseline is taken
 * alone first; then every caller sends its query several times at once, in shuffled order, for rounds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoleName } from '../../platform/authorization/roles.js';
import { startTestStack, type TestStack } from '../e2e/testStack.js';

const LIST = '{ youths(first: 40) { totalCount edges { node { id firstName } } } }';
const DOSSIER =
  'query ($id: ID!) { youth(id: $id) { id firstName school { grade } social { cases { unit } } targetGroup { inTargetGroup } } }';

interface Caller {
  name: string;
  authorization: string;
}

/** What an answer says, for comparison: data, and each error's code at its path. */
function shape(answer: { data?: unknown; errors?: { path?: (string | number)[]; extensions?: { code?: string } }[] }): unknown {
  return {
    data: answer.data ?? null,
    errors: (answer.errors ?? []).map((error) => `${(error.path ?? []).join('.')}:${error.extensions?.code ?? ''}`).sort(),
  };
}

describe('sharing between concurrent requests never crosses rights', () => {
  let stack: TestStack;
  let callers: Caller[];
  let youthId: string;

  beforeAll(async () => {
    stack = await startTestStack({ scale: 0.03 });
    // Two young people with open cases in different family groups, each with their own caseworker.
    const listed = await stack.gql<{ youths: { edges: { node: { id: string } }[] } }>(
      '{ youths(first: 500, filter: { ageMax: 24 }) { edges { node { id } } } }',
      {},
      { role: 'uu-counsellor' },
    );
    const ids = listed.data!.youths.edges.map((edge) => edge.node.id);
    const entries = await stack.store.registerEntries(ids);
    const withCase = ids.flatMap((id, i) => {
      const facts = entries[i]?.facts;
      return facts && facts.caseworkerIds.length > 0 && facts.socialUnits.length > 0
        ? [{ id, unit: facts.socialUnits[0]!, staffId: facts.caseworkerIds[0]! }]
        : [];
    });
    const first = withCase[0]!;
    const second = withCase.find((other) => other.unit !== first.unit)!;
    expect(second, 'two family groups with open cases in the population').toBeDefined();
    youthId = first.id;
    const token = async (name: string, role: RoleName, claims: { unit?: string; staffId?: string } = {}): Promise<Caller> => ({
      name,
      authorization: `Bearer ${await stack.tokenFor(role, undefined, claims)}`,
    });
    callers = await Promise.all([
      token(`caseworker of ${first.unit}`, 'social-caseworker', { unit: first.unit, staffId: first.staffId }),
      token(`caseworker of ${second.unit}`, 'social-caseworker', { unit: second.unit, staffId: second.staffId }),
      token('UU counsellor', 'uu-counsellor'),
      token('jobcenter advisor', 'jobcenter-advisor'),
      token('reporting tool', 'reporting-tool'),
    ]);
  }, 180_000);

  afterAll(async () => {
    await stack?.shutdown();
  });

  it.each([
    ['the list', LIST, undefined],
    ['one dossier', DOSSIER, 'youth'],
  ] as const)('%s: each caller gets what it gets alone, whoever asks at the same moment', async (_name, query, withId) => {
    const variables = withId ? { id: youthId } : undefined;
    const ask = (caller: Caller) => stack.gql(query, variables, { authorization: caller.authorization });
    const baseline = new Map<string, unknown>();
    for (const caller of callers) baseline.set(caller.name, shape(await ask(caller)));
    // The callers' answers really differ (else the test could not tell a crossed answer from a right one).
    expect(new Set([...baseline.values()].map((value) => JSON.stringify(value))).size).toBeGreaterThanOrEqual(3);

    for (let round = 0; round < 5; round++) {
      const sends = callers.flatMap((caller) => Array.from({ length: 4 }, () => caller));
      // A fixed shuffle per round: the same callers arrive in another order each time.
      sends.sort((a, b) => ((a.name.length * 31 + round * 7) % 11) - ((b.name.length * 31 + round * 7) % 11));
      const answers = await Promise.all(sends.map(async (caller) => ({ caller, answer: shape(await ask(caller)) })));
      for (const { caller, answer } of answers) expect(answer, `${caller.name}, round ${round + 1}`).toEqual(baseline.get(caller.name));
    }
  });
});

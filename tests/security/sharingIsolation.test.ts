/**
 * Sharing between requests never crosses rights (issue 16, "keep correctness first"): with operation
 * coalescing and subgraph-call deduplication on (the defaults), and sharing keyed by what an answer read
 * of its caller rather than by the token, the very same query sent at the same moment by callers whose
 * scopes or relations differ (two social caseworkers of different family groups, a UU counsellor, a
 * jobcenter advisor, the reporting tool, two young people each logged in as themselves) is answered to
 * each exactly as it is when that caller asks alone: the same rows, the same nulls, the same refusals.
 * Every kind of caller is three distinct users (a token and a subject each, the same claims otherwise).
 * Each kind's baseline is taken alone first; then every user sends the query at once, in shuffled order,
 * for rounds; every request that was shown someone has access-log entries under its own request id and
 * its own caller; and users with the same rights do share work (the gateway's shared-work counter moves).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoleName } from '../../platform/authorization/roles.js';
import { startTestStack, type TestStack } from '../e2e/testStack.js';
import { devTokenFor } from '../../platform/authentication/mint.js';
import { planExecutions, sharedWork } from '../../platform/metrics.js';
import { counted } from '../e2e/counters.js';

const LIST = '{ youths(first: 40) { totalCount edges { node { id firstName } } } }';
const DOSSIER =
  'query ($id: ID!) { youth(id: $id) { id firstName school { grade } social { cases { unit } } targetGroup { inTargetGroup } } }';

interface Caller {
  /** The kind of caller: every user of one kind has the same rights. */
  name: string;
  authorization: string;
  subject: string;
}

/** Did the answer show anyone (a row of the list, or the dossier)? */
function namesSomeone(answer: unknown): boolean {
  const data = (answer as { data: { youths?: { edges: unknown[] }; youth?: unknown } | null }).data;
  return (data?.youths?.edges.length ?? 0) > 0 || (data?.youth ?? null) !== null;
}

/** Requests and subgraph calls answered by work in flight so far. */
const joined = () => counted(sharedWork, { outcome: 'joined' });

/** Query plans run by the gateway's own executor so far (gateway/planExecution/). */
const ownPlans = () => counted(planExecutions, { executor: 'own' });

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
    const other = ids.find((id) => id !== first.id)!;
    /** Three users of one kind: the same claims, each their own subject and token. */
    const users = (name: string, role: RoleName, claims: { unit?: string; staffId?: string; subject?: string } = {}) =>
      Promise.all(
        [1, 2, 3].map(async (n): Promise<Caller> => {
          const subject = claims.subject ?? `${role}-${n}`;
          return { name, subject, authorization: `Bearer ${await devTokenFor(role, { ...claims, subject, env: stack.env })}` };
        }),
      );
    callers = (
      await Promise.all([
        users(`caseworker of ${first.unit}`, 'social-caseworker', { unit: first.unit, staffId: first.staffId }),
        users(`caseworker of ${second.unit}`, 'social-caseworker', { unit: second.unit, staffId: second.staffId }),
        users('UU counsellor', 'uu-counsellor'),
        users('jobcenter advisor', 'jobcenter-advisor'),
        users('reporting tool', 'reporting-tool'),
        // A young person's own login: the same role and scopes, but the subject is who they are.
        users('the young person themself', 'youth', { subject: first.id }),
        users('another young person', 'youth', { subject: other }),
      ])
    ).flat();
  }, 180_000);

  afterAll(async () => {
    await stack?.shutdown();
  });

  it.each([
    ['the list', LIST, undefined],
    ['one dossier', DOSSIER, 'youth'],
  ] as const)('%s: each caller gets what it gets alone, whoever asks at the same moment', async (_name, query, withId) => {
    const variables = withId ? { id: youthId } : undefined;
    const ask = (caller: Caller, requestId?: string) =>
      stack.gql(query, variables, { authorization: caller.authorization, headers: requestId ? { 'x-request-id': requestId } : {} });
    const baseline = new Map<string, unknown>();
    for (const caller of callers) if (!baseline.has(caller.name)) baseline.set(caller.name, shape(await ask(caller)));
    // The kinds' answers really differ (else the test could not tell a crossed answer from a right one).
    expect(new Set([...baseline.values()].map((value) => JSON.stringify(value))).size).toBeGreaterThanOrEqual(3);

    const before = await joined();
    const ownBefore = await ownPlans();
    for (let round = 0; round < 5; round++) {
      const sends = [...callers];
      // A fixed shuffle per round: the same users arrive in another order each time.
      sends.sort(
        (a, b) =>
          ((a.authorization.length * 31 + a.authorization.charCodeAt(90) + round * 7) % 11) -
          ((b.authorization.length * 31 + b.authorization.charCodeAt(90) + round * 7) % 11),
      );
      const answers = await Promise.all(
        sends.map(async (caller, index) => {
          const requestId = `isolation-${withId ?? 'list'}-${round}-${index}`;
          return { caller, requestId, answer: shape(await ask(caller, requestId)) };
        }),
      );
      for (const { caller, answer } of answers) expect(answer, `${caller.name}, round ${round + 1}`).toEqual(baseline.get(caller.name));
      // Every request that was shown someone has its own access-log entries, under its own request id and caller.
      for (const { caller, requestId, answer } of answers) {
        if (!namesSomeone(answer)) continue;
        const logged = await stack.access.accessLog.db.query<{ subject: string }>(
          'SELECT DISTINCT subject FROM access_log WHERE request_id = $1',
          [requestId],
        );
        expect(
          logged.rows.map((row) => row.subject),
          `${caller.name}, ${requestId}`,
        ).toEqual([caller.subject]);
      }
    }
    // Each user sent once a round: what was joined was another user's work.
    expect(await joined()).toBeGreaterThan(before);
    // And the plans were run by the gateway's own executor, not only Apollo's.
    expect(await ownPlans()).toBeGreaterThan(ownBefore);
  });
});

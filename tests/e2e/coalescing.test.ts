/**
 * Identical requests in flight share one execution (gateway/operationCoalescing.ts) and identical
 * subgraph queries one call (gateway/fetcher.ts); through the whole graph, each request must still be
 * its own: every one recorded in the access log with its own purpose, and callers with other tokens
 * answered by what their own token may see.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, subgraphRequestsServed, type TestStack } from './testStack.js';

let stack: TestStack;
let youthId: string;

beforeAll(async () => {
  stack = await startTestStack({ scale: 0.02 });
  const eligible = await stack.gql<{ youths: { edges: { node: { id: string } }[] } }>('{ youths(first: 1) { edges { node { id } } } }');
  youthId = eligible.data!.youths.edges[0]!.node.id;
}, 180_000);

afterAll(async () => {
  await stack?.shutdown();
});

const DOSSIER = 'query ($id: ID!) { youth(id: $id) { id firstName school { grade } social { cases { unit } } } }';

describe('identical requests in flight', () => {
  it('are each recorded in the access log, with their own purpose', async () => {
    const run = `coalesce-${Date.now()}`;
    const purposes = Array.from({ length: 8 }, (_, i) => `${run}-${i}`);
    const answers = await Promise.all(
      purposes.map((purpose) => stack.gql(DOSSIER, { id: youthId }, { headers: { 'x-purpose': purpose } })),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.data).toEqual(answers[0]!.data);
    }
    const response = await fetch(`${stack.gatewayUrl.replace(/\/graphql$/, '')}/audit/access-log?youthId=${youthId}`, {
      headers: { authorization: `Bearer ${await stack.tokenFor('auditor')}` },
    });
    const { entries } = (await response.json()) as { entries: { purpose: string; outcome: string }[] };
    const recorded = entries
      .filter((entry) => entry.purpose.startsWith(run))
      .map((entry) => entry.purpose)
      .sort();
    expect(recorded).toEqual([...purposes].sort());
  });

  it('from callers with different tokens are answered by what each token may see', async () => {
    const callers = ['social-caseworker', 'uu-counsellor', 'social-caseworker', 'uu-counsellor'] as const;
    const answers = await Promise.all(
      callers.map((role) => stack.gql<{ youth: { social: unknown } | null }>(DOSSIER, { id: youthId }, { role })),
    );
    const refused = (i: number) => (answers[i]!.errors ?? []).some((error) => error.extensions?.code === 'UNAUTHORIZED_FIELD_OR_TYPE');
    // The caseworker may read social cases; the counsellor may not (docs/access.md).
    expect(refused(0)).toBe(false);
    expect(refused(2)).toBe(false);
    expect(refused(1)).toBe(true);
    expect(refused(3)).toBe(true);
    expect(answers[1]!.data?.youth?.social).toBeNull();
    expect(answers[0]!.data).toEqual(answers[2]!.data);
  });
});

describe('identical subgraph queries in flight', () => {
  it('of different requests are sent once, and each request gets the answer', async () => {
    const page = await stack.gql<{ youths: { edges: { node: { id: string; school: unknown } }[] } }>(
      '{ youths(first: 50) { edges { node { id school { grade } } } } }',
    );
    const pupil = page.data!.youths.edges.find((edge) => edge.node.school !== null)!.node.id;
    // Two operations that differ (no coalescing) but ask the school the same entity query.
    const first = `{ youth(id: "${pupil}") { school { grade } } }`;
    const second = `{ youth(id: "${pupil}") { firstName school { grade } } }`;
    const school = stack.systems.systems.school;
    // The school answers slowly, so the second request's school call starts while the first's is out.
    school.options.latencyMs = 300;
    try {
      const before = await subgraphRequestsServed('school');
      const [a, b] = await Promise.all([
        stack.gql<{ youth: { school: unknown } }>(first),
        stack.gql<{ youth: { school: unknown } }>(second),
      ]);
      expect(a.errors).toBeUndefined();
      expect(b.errors).toBeUndefined();
      expect(a.data!.youth.school).toEqual(b.data!.youth.school);
      expect(a.data!.youth.school).not.toBeNull();
      expect((await subgraphRequestsServed('school')) - before).toBe(1);
    } finally {
      school.options.latencyMs = 0;
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devTokenFor } from '../../platform/auth/mint.js';
import { startTestStack, type TestStack } from '../e2e/testStack.js';

/**
 * Issue 14, section 3: a young person's own login (role `youth`, `sub` = their Youth.id) reads their own
 * dossier and nothing about anyone else: any other id answers as unknown (null, no error), the list is
 * empty. The attack: a youth token asking for another young person's id, or listing the register.
 */
describe('the youth role (issue 14)', () => {
  let stack: TestStack;
  let own: string;
  let other: string;
  let authorization: string;

  beforeAll(async () => {
    stack = await startTestStack();
    const list = await stack.gql<{ youths: { edges: { node: { id: string } }[] } }>(
      'query { youths(first: 2, filter: { ageMin: 16, ageMax: 20 }) { edges { node { id } } } }',
      {},
      { role: 'uu-counsellor' },
    );
    if (!list.data?.youths) throw new Error(JSON.stringify(list.errors));
    [own, other] = list.data.youths.edges.map((edge) => edge.node.id) as [string, string];
    authorization = `Bearer ${await devTokenFor('youth', { subject: own, env: stack.env })}`;
  }, 120_000);

  afterAll(async () => {
    await stack?.shutdown();
  });

  const DOSSIER = 'query ($id: ID!) { youth(id: $id) { id firstName school { grade } guidance { completedYouthEducation } consent { status } } }';

  it('reads their own dossier', async () => {
    const result = await stack.gql<{ youth: { id: string; firstName: string; guidance: unknown } | null }>(DOSSIER, { id: own }, { authorization });
    expect(result.data!.youth).toMatchObject({ id: own });
    expect(result.data!.youth!.guidance).not.toBeNull();
    expect((result.errors ?? []).filter((e) => e.extensions?.code === 'CONSENT_REQUIRED')).toEqual([]);
  });

  it('gets nothing about anyone else: another id is not found, the list is empty', async () => {
    const result = await stack.gql<{ youth: unknown }>(DOSSIER, { id: other }, { authorization });
    expect(result.data!.youth).toBeNull();
    const list = await stack.gql<{ youths: { totalCount: number; edges: unknown[] } }>('query { youths(first: 50) { totalCount edges { node { id firstName } } } }', {}, { authorization });
    expect(list.data!.youths).toEqual({ totalCount: 0, edges: [] });
  });
});

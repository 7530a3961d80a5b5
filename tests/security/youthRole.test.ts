import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devTokenFor } from '../../platform/authentication/mint.js';
import { startTestStack, type TestStack } from '../e2e/testStack.js';

/**
 * Issue 14, section 3: a young person's own login (role `youth`, `sub` = their Youth.id) reads their own
 * dossier and nothing about anyone else: any other id answers as unknown (null, no error), the list is
 * empty. The attack: a youth token asking for another young person's id, or listing the register, or
 * another young person's access history (GET /audit/access-log/own?youthId=..., or the auditors' route).
 * Their own access history holds their own reads (basis SUBJECT_ACCESS) and the staff's, and reading it
 * is logged too.
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

  const DOSSIER =
    'query ($id: ID!) { youth(id: $id) { id firstName school { grade } guidance { completedYouthEducation } consent { status } } }';

  it('reads their own dossier', async () => {
    const result = await stack.gql<{ youth: { id: string; firstName: string; guidance: unknown } | null }>(
      DOSSIER,
      { id: own },
      { authorization },
    );
    expect(result.data!.youth).toMatchObject({ id: own });
    expect(result.data!.youth!.guidance).not.toBeNull();
    expect((result.errors ?? []).filter((e) => e.extensions?.code === 'CONSENT_REQUIRED')).toEqual([]);
  });

  const history = (query = '') =>
    fetch(`${stack.gatewayUrl.replace(/\/graphql$/, '')}/audit/access-log/own${query}`, { headers: { authorization } });

  it('reads their own access history: their own reads and the staff’s, with legal basis, and the read is logged', async () => {
    await stack.gql(DOSSIER, { id: own }, { role: 'uu-counsellor' });
    const first = await history();
    expect(first.status).toBe(200);
    const body = (await first.json()) as {
      entries: { role: string; organisation: string; legalBases: Record<string, string> | null; categories: string[] }[];
    };
    expect(body.entries.find((e) => e.role === 'youth')?.legalBases).toMatchObject({
      identity: 'SUBJECT_ACCESS',
      'guidance (UU)': 'SUBJECT_ACCESS',
    });
    expect(body.entries.find((e) => e.role === 'uu-counsellor')).toMatchObject({
      organisation: 'aalborg/uu',
      legalBases: { 'guidance (UU)': 'OWN_UNIT' },
    });
    // Staff appear by role and organisation, never by their own id.
    expect(JSON.stringify(body)).not.toContain('e2e-uu-counsellor');
    const again = (await (await history(`?youthId=${encodeURIComponent(own)}`)).json()) as {
      entries: { categories: string[]; legalBases: Record<string, string> | null }[];
    };
    expect(again.entries[0]).toMatchObject({ categories: ['audit'], legalBases: { audit: 'SUBJECT_ACCESS' } });
  });

  it('gets nobody else’s access history: another id is not found, the auditors’ route is refused', async () => {
    await stack.gql(DOSSIER, { id: other }, { role: 'uu-counsellor' });
    const response = await history(`?youthId=${encodeURIComponent(other)}`);
    expect(response.status).toBe(404);
    expect(JSON.stringify(await response.json())).not.toContain(other);
    const unknown = await history('?youthId=nobody-at-all');
    expect(unknown.status).toBe(404);
    const auditors = await fetch(`${stack.gatewayUrl.replace(/\/graphql$/, '')}/audit/access-log?youthId=${encodeURIComponent(other)}`, {
      headers: { authorization },
    });
    expect(auditors.status).toBe(403);
    // Nothing of the other young person's in their own history either.
    const mine = (await (await history()).json()) as { entries: unknown[] };
    expect(JSON.stringify(mine)).not.toContain(other);
  });

  it('gets nothing about anyone else: another id is not found, the list is empty', async () => {
    const result = await stack.gql<{ youth: unknown }>(DOSSIER, { id: other }, { authorization });
    expect(result.data!.youth).toBeNull();
    const list = await stack.gql<{ youths: { totalCount: number; edges: unknown[] } }>(
      'query { youths(first: 50) { totalCount edges { node { id firstName } } } }',
      {},
      { authorization },
    );
    expect(list.data!.youths).toEqual({ totalCount: 0, edges: [] });
  });
});

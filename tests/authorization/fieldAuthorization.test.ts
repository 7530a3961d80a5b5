/**
 * The field rules at a real ApolloGateway over two real subgraphs: removed fields come back null with
 * an error at their path, no subgraph is asked for them, plans are not shared between callers with
 * different scopes, and a removed mutation never runs.
 */
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readSupergraphRules, stripSecurityDirectives } from '../../platform/authorization/rules.js';
import { ACCESS_TYPENAME_KEY, type RemovedField } from '../../gateway/operationFilter.js';
import { createLogger } from '../../platform/logger.js';
import { withFieldAuthorization, type ScopedContext } from '../../gateway/fieldAuthorization.js';
import { composeFixtures, newCalls, startFixtureSubgraphs, type FixtureSubgraph } from './fixtures/fixtures.js';

const calls = newCalls();
/** What `onRemoved` was told, per request. */
const reported: string[][] = [];
let subgraphs: { people: FixtureSubgraph; grades: FixtureSubgraph };
let apollo: ApolloServer<ScopedContext>;

beforeAll(async () => {
  process.env.APOLLO_TELEMETRY_DISABLED = '1';
  subgraphs = await startFixtureSubgraphs(calls);
  const supergraph = composeFixtures({ people: subgraphs.people.url, grades: subgraphs.grades.url });
  const gateway = new ApolloGateway({ supergraphSdl: stripSecurityDirectives(supergraph), logger: createLogger('access-gateway-test') });
  const onRemoved = (_context: unknown, removed: readonly RemovedField[]) => reported.push(removed.map((r) => r.coordinate));
  apollo = new ApolloServer<ScopedContext>({
    gateway: withFieldAuthorization(gateway, readSupergraphRules(supergraph), { onRemoved }),
    logger: createLogger('access-gateway-test'),
  });
  await apollo.start();
});

afterAll(async () => {
  await apollo?.stop();
  await subgraphs?.people.close();
  await subgraphs?.grades.close();
});

beforeEach(() => {
  calls.reset();
  reported.length = 0;
});

interface Answer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

async function gql(query: string, scopes: string[] | null, variables?: Record<string, unknown>): Promise<Answer> {
  const contextValue: ScopedContext = scopes === null ? {} : { identity: { scopes: new Set(scopes) } };
  const response = await apollo.executeOperation({ query, ...(variables ? { variables } : {}) }, { contextValue });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return JSON.parse(JSON.stringify(response.body.singleResult)) as Answer;
}

const unauthorized = (path: (string | number)[]) => ({
  message: 'Unauthorized field or type',
  path,
  extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
});

const PEOPLE_QUERY = '{ people { id name cpr grade } }';

describe('field rules at the gateway', () => {
  it('answers null and an error at the path of a removed field, the rest intact, without asking its subgraph', async () => {
    const answer = await gql(PEOPLE_QUERY, ['people:read']);
    expect(answer.data).toEqual({
      people: [
        { id: 'p1', name: 'Asta', cpr: null, grade: null },
        { id: 'p2', name: 'Bo', cpr: null, grade: null },
      ],
    });
    expect(answer.errors).toEqual([unauthorized(['people', 0, 'cpr']), unauthorized(['people', 0, 'grade'])]);
    // grades owns only protected fields: not one request reached it; people was not asked for cpr.
    expect(calls.grades).toEqual([]);
    expect(calls.people).toHaveLength(1);
    expect(calls.people[0]).not.toContain('cpr');
    expect(reported).toEqual([['Person.cpr', 'Person.grade']]);
  });

  it('serves everything to a caller with every scope', async () => {
    const answer = await gql(PEOPLE_QUERY, ['people:read', 'cpr:read', 'grades:read']);
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({
      people: [
        { id: 'p1', name: 'Asta', cpr: '0101011234', grade: 7 },
        { id: 'p2', name: 'Bo', cpr: '0202021234', grade: 10 },
      ],
    });
    expect(calls.grades).toHaveLength(1);
    expect(reported).toEqual([]);
  });

  it('plans the same query text apart for callers with different scopes (no poisoned plan cache)', async () => {
    const few = ['people:read'];
    const all = ['people:read', 'cpr:read', 'grades:read'];
    for (const scopes of [few, all, few, all, few]) {
      calls.reset();
      const answer = await gql(PEOPLE_QUERY, scopes);
      const first = (answer.data?.['people'] as Record<string, unknown>[] | undefined)?.[0];
      if (scopes === all) {
        expect(first).toEqual({ id: 'p1', name: 'Asta', cpr: '0101011234', grade: 7 });
        expect(calls.grades).toHaveLength(1);
      } else {
        expect(first).toEqual({ id: 'p1', name: 'Asta', cpr: null, grade: null });
        expect(calls.grades).toHaveLength(0);
        expect(calls.people[0]).not.toContain('cpr');
      }
    }
  });

  it('removes a field whose type has a rule the caller lacks', async () => {
    const denied = await gql('{ vault { id secret } greeting }', ['people:read']);
    expect(denied).toEqual({ data: { vault: null, greeting: 'hello' }, errors: [unauthorized(['vault'])] });
    expect(calls.people.join('\n')).not.toContain('vault');
    const allowed = await gql('{ vault { id secret } }', ['vault:read']);
    expect(allowed).toEqual({ data: { vault: { id: 'v1', secret: 'gold' } } });
  });

  it('nulls fields of a refused union member only on objects of that type, with no helper key left', async () => {
    const answer = await gql('{ search { __typename ... on Person { name cpr } ... on Vault { secret } } }', ['people:read']);
    expect(answer.data).toEqual({
      search: [
        { __typename: 'Person', name: 'Asta', cpr: null },
        { __typename: 'Vault', secret: null },
      ],
    });
    expect(answer.errors).toEqual([unauthorized(['search', 0, 'cpr']), unauthorized(['search', 1, 'secret'])]);
    expect(JSON.stringify(answer)).not.toContain(ACCESS_TYPENAME_KEY);
  });

  it('passes a non-null removed field’s null up to its parent', async () => {
    const answer = await gql('{ person(id: "p1") { name nickname } greeting }', ['people:read']);
    expect(answer).toEqual({ data: { person: null, greeting: 'hello' }, errors: [unauthorized(['person', 'nickname'])] });
  });

  it('never runs a mutation field the caller may not run', async () => {
    const alone = await gql('mutation { rename(id: "p1", name: "Xena") { name } }', ['people:read']);
    expect(alone).toEqual({ data: { rename: null }, errors: [unauthorized(['rename'])] });
    // Nothing was left to run: the gateway was not even asked.
    expect(calls.people).toEqual([]);
    const mixed = await gql('mutation { rename(id: "p1", name: "Xena") { name } touch }', ['people:read']);
    expect(mixed).toEqual({ data: { rename: null, touch: true }, errors: [unauthorized(['rename'])] });
    expect(calls.renames).toBe(0);
    const allowed = await gql('mutation { rename(id: "p1", name: "Xena") { name } }', ['people:write']);
    expect(allowed).toEqual({ data: { rename: { name: 'Xena' } } });
    expect(calls.renames).toBe(1);
  });

  it('treats a request without identity as unauthenticated with no scopes', async () => {
    const answer = await gql('{ whoami greeting person(id: "p1") { name } }', null);
    expect(answer).toEqual({
      data: { whoami: null, greeting: 'hello', person: null },
      errors: [unauthorized(['whoami']), unauthorized(['person'])],
    });
    expect(await gql('{ whoami }', [])).toEqual({ data: { whoami: 'someone' } });
  });

  it('keeps variables and @include working on what is left', async () => {
    const query = 'query ($withCpr: Boolean!) { person(id: "p1") { name cpr @include(if: $withCpr) } }';
    expect(await gql(query, ['people:read'], { withCpr: false })).toEqual({ data: { person: { name: 'Asta' } } });
    expect(await gql(query, ['people:read'], { withCpr: true })).toEqual({
      data: { person: { name: 'Asta', cpr: null } },
      errors: [unauthorized(['person', 'cpr'])],
    });
  });
});

import { graphql, type GraphQLSchema } from 'graphql';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readSubgraphRules } from '../../platform/authorization/rules.js';
import { enforceFieldRules } from '../../platform/authorization/subgraphRules.js';
import { buildFixtureSchema, GRADES_SDL, gradesResolvers, newCalls, PEOPLE_SDL, peopleResolvers } from './fixtures/fixtures.js';

interface Context {
  scopes?: ReadonlySet<string>;
}

const calls = newCalls();
let people: GraphQLSchema;
let grades: GraphQLSchema;
let greetingResolverBefore: unknown;

beforeAll(() => {
  const scopesOf = (context: unknown) => (context as Context).scopes ?? null;
  const built = buildFixtureSchema(PEOPLE_SDL, peopleResolvers(calls));
  greetingResolverBefore = built.getQueryType()?.getFields()['greeting']?.resolve;
  people = enforceFieldRules(built, readSubgraphRules(PEOPLE_SDL), scopesOf);
  grades = enforceFieldRules(buildFixtureSchema(GRADES_SDL, gradesResolvers()), readSubgraphRules(GRADES_SDL), scopesOf);
});

beforeEach(() => calls.reset());

async function run(schema: GraphQLSchema, source: string, scopes: string[] | null) {
  const contextValue: Context = scopes === null ? {} : { scopes: new Set(scopes) };
  return JSON.parse(JSON.stringify(await graphql({ schema, source, contextValue }))) as {
    data?: Record<string, unknown> | null;
    errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  };
}

const unauthorized = (path: (string | number)[]): unknown =>
  expect.objectContaining({ message: 'Unauthorized field or type', path, extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' } });

describe('enforceFieldRules', () => {
  it('answers null and an error for a field the caller may not see, the rest intact', async () => {
    const result = await run(people, '{ person(id: "p1") { id name cpr } }', ['people:read']);
    expect(result.data).toEqual({ person: { id: 'p1', name: 'Asta', cpr: null } });
    expect(result.errors).toEqual([unauthorized(['person', 'cpr'])]);
    expect((await run(people, '{ person(id: "p1") { cpr } }', ['people:read', 'admin'])).data).toEqual({ person: { cpr: '0101011234' } });
  });

  it('lets a non-null field’s null go up by GraphQL’s rules', async () => {
    const result = await run(people, '{ person(id: "p1") { name nickname } greeting }', ['people:read']);
    expect(result.data).toEqual({ person: null, greeting: 'hello' });
    expect(result.errors).toEqual([unauthorized(['person', 'nickname'])]);
  });

  it('applies type rules to fields returning the type and to the type’s own fields', async () => {
    const result = await run(people, '{ vault { id } person(id: "p1") { level } }', ['people:read']);
    expect(result.data).toEqual({ vault: null, person: { level: null } });
    expect(result.errors).toEqual([unauthorized(['vault']), unauthorized(['person', 'level'])]);
  });

  it('applies the same rules to entities reached through _entities', async () => {
    const query = '{ _entities(representations: [{ __typename: "Person", id: "p2" }]) { ... on Person { name cpr } } }';
    const result = await run(people, query, ['people:read']);
    expect(result.data).toEqual({ _entities: [{ name: 'Bo', cpr: null }] });
    expect(result.errors).toEqual([unauthorized(['_entities', 0, 'cpr'])]);

    const gradesQuery = '{ _entities(representations: [{ __typename: "Person", id: "p1" }]) { ... on Person { grade } } }';
    expect(await run(grades, gradesQuery, ['people:read'])).toEqual({
      data: { _entities: [{ grade: null }] },
      errors: [unauthorized(['_entities', 0, 'grade'])],
    });
    expect(await run(grades, gradesQuery, ['grades:read'])).toEqual({ data: { _entities: [{ grade: 7 }] } });
  });

  it('does not even look up an entity whose type the caller may not see, and fails only that one', async () => {
    const query =
      '{ _entities(representations: [{ __typename: "Vault", id: "v1" }, { __typename: "Person", id: "p1" }]) { ... on Vault { secret } ... on Person { name } } }';
    const denied = await run(people, query, ['people:read']);
    expect(denied.data).toEqual({ _entities: [null, { name: 'Asta' }] });
    expect(denied.errors).toEqual([unauthorized(['_entities', 0])]);
    expect(calls.vaultLookups).toBe(0);
    const allowed = await run(people, query, ['vault:read']);
    expect(allowed).toEqual({ data: { _entities: [{ secret: 'gold' }, { name: 'Asta' }] } });
    expect(calls.vaultLookups).toBe(1);
  });

  it('needs an identity for @authenticated, and never runs a refused mutation', async () => {
    expect(await run(people, '{ whoami }', null)).toEqual({ data: { whoami: null }, errors: [unauthorized(['whoami'])] });
    expect(await run(people, '{ whoami }', [])).toEqual({ data: { whoami: 'someone' } });
    const mutation = await run(people, 'mutation { rename(id: "p1", name: "X") { name } }', ['people:read']);
    expect(mutation).toEqual({ data: { rename: null }, errors: [unauthorized(['rename'])] });
    expect(calls.renames).toBe(0);
  });

  it('leaves fields without rules untouched', () => {
    expect(people.getQueryType()?.getFields()['greeting']?.resolve).toBe(greetingResolverBefore);
  });
});

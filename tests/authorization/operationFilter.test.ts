import { parse, print, validate, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_TYPENAME_KEY, filterOperation, type FilterOperationResult } from '../../gateway/operationFilter.js';
import { readSupergraphRules, stripSecurityDirectives, type AccessRules } from '../../platform/authorization/rules.js';
import { apiSchemaOf, composeFixtures } from './fixtures/fixtures.js';

let schema: GraphQLSchema;
let rules: AccessRules;

beforeAll(async () => {
  const supergraph = composeFixtures();
  rules = readSupergraphRules(supergraph);
  schema = await apiSchemaOf(stripSecurityDirectives(supergraph));
});

function run(
  query: string,
  scopes: string[],
  options: { authenticated?: boolean; operationName?: string } = {},
): FilterOperationResult & { printed: string } {
  const document = parse(query);
  expect(validate(schema, document)).toEqual([]);
  const before = JSON.stringify(document);
  const result = filterOperation({
    schema,
    document,
    operationName: options.operationName,
    rules,
    scopes: new Set(scopes),
    authenticated: options.authenticated ?? true,
  });
  // Never mutates its input; always answers a valid operation.
  expect(JSON.stringify(document)).toBe(before);
  expect(validate(schema, result.document)).toEqual([]);
  return { ...result, printed: print(result.document) };
}

/** The printed document without whitespace, to compare shapes. */
const compact = (text: string) => text.replace(/\s+/g, ' ').trim();

describe('filterOperation', () => {
  it('answers the same document when the caller may see everything', () => {
    const query = '{ person(id: "p1") { id name cpr } greeting }';
    const document = parse(query);
    const result = filterOperation({ schema, document, rules, scopes: new Set(['people:read', 'cpr:read']), authenticated: true });
    expect(result.document).toBe(document);
    expect(result).toMatchObject({ removed: [], cacheKey: '', allRemoved: false });
  });

  it('removes a field by its alias, keeps the rest', () => {
    const result = run('{ p: person(id: "p1") { id nm: name c: cpr } }', ['people:read']);
    expect(compact(result.printed)).toBe('{ p: person(id: "p1") { id nm: name } }');
    expect(result.removed).toEqual([{ path: ['p', 'c'], coordinate: 'Person.cpr', nullAt: 2 }]);
  });

  it('ORs the alternatives: admin may read cpr too', () => {
    expect(run('{ person(id: "p1") { cpr } }', ['people:read', 'admin']).removed).toEqual([]);
    expect(run('{ person(id: "p1") { cpr } }', ['people:read', 'cpr:read']).removed).toEqual([]);
  });

  it('gives an emptied selection set a hidden __typename', () => {
    const result = run('{ person(id: "p1") { cpr } }', ['people:read']);
    expect(compact(result.printed)).toBe(`{ person(id: "p1") { ${ACCESS_TYPENAME_KEY}: __typename } }`);
  });

  it('puts "@" where lists sit, one per list level, and lets non-null positions pass the null up', () => {
    expect(run('{ people { id nickname } }', ['people:read']).removed).toEqual([
      // people: [Person!]!, nickname: String! — nothing above is nullable: data itself becomes null.
      { path: ['people', '@', 'nickname'], coordinate: 'Person.nickname', nullAt: 0 },
    ]);
    expect(run('{ person(id: "p1") { nickname } }', ['people:read']).removed).toEqual([
      { path: ['person', 'nickname'], coordinate: 'Person.nickname', nullAt: 1 },
    ]);
    // teams: [[Person!]] — the inner list is the nearest nullable position above a Person.
    expect(run('{ teams { id cpr nickname } }', []).removed).toEqual([
      { path: ['teams', '@', '@', 'cpr'], coordinate: 'Person.cpr', nullAt: 4 },
      { path: ['teams', '@', '@', 'nickname'], coordinate: 'Person.nickname', nullAt: 2 },
    ]);
  });

  it('removes a root field the caller may not use, and says when nothing is left', () => {
    const partial = run('{ greeting person(id: "p1") { id } }', []);
    expect(compact(partial.printed)).toBe('{ greeting }');
    expect(partial.removed).toEqual([{ path: ['person'], coordinate: 'Query.person', nullAt: 1 }]);
    expect(partial.allRemoved).toBe(false);
    const nothing = run('{ person(id: "p1") { id } }', []);
    expect(nothing.allRemoved).toBe(true);
  });

  it('removes fields returning a type the caller may not see (type-level rule, enum too)', () => {
    const vault = run('{ vault { id secret } greeting }', []);
    expect(compact(vault.printed)).toBe('{ greeting }');
    expect(vault.removed).toEqual([{ path: ['vault'], coordinate: 'Query.vault', nullAt: 1 }]);
    const level = run('{ person(id: "p1") { name level } }', ['people:read']);
    expect(level.removed).toEqual([{ path: ['person', 'level'], coordinate: 'Person.level', nullAt: 2 }]);
    expect(run('{ vault { id } }', ['vault:read']).removed).toEqual([]);
  });

  it('re-roots a named fragment at every spread and emits it once, rebuilt', () => {
    const result = run(
      `query Q { person(id: "p1") { ...P } people { ...P } }
       fragment P on Person { id name cpr }`,
      ['people:read'],
    );
    expect(result.removed).toEqual([
      { path: ['person', 'cpr'], coordinate: 'Person.cpr', nullAt: 2 },
      { path: ['people', '@', 'cpr'], coordinate: 'Person.cpr', nullAt: 3 },
    ]);
    expect(compact(result.printed)).toBe('query Q { person(id: "p1") { ...P } people { ...P } } fragment P on Person { id name }');
  });

  it('drops a fragment left empty and the definition nobody spreads any more', () => {
    const result = run('{ person(id: "p1") { id ...C } } fragment C on Person { cpr }', ['people:read']);
    expect(compact(result.printed)).toBe('{ person(id: "p1") { id } }');
    expect(result.removed).toEqual([{ path: ['person', 'cpr'], coordinate: 'Person.cpr', nullAt: 2 }]);
  });

  it('narrows removals inside fragments on union members, and asks for the type to tell them apart', () => {
    const result = run('{ search { __typename ... on Person { name cpr } ... on Vault { secret } } }', ['people:read']);
    expect(compact(result.printed)).toBe(`{ search { __typename ... on Person { name } ${ACCESS_TYPENAME_KEY}: __typename } }`);
    expect(result.removed).toEqual([
      { path: ['search', '@', 'cpr'], coordinate: 'Person.cpr', nullAt: 3, types: ['Person'] },
      // The fragment's type needs vault:read: all its fields go.
      { path: ['search', '@', 'secret'], coordinate: 'Vault.secret', nullAt: 3, types: ['Vault'] },
    ]);
    expect(result.cacheKey).toContain('refused Vault');
  });

  it('keeps __typename of a refused named fragment, inline, so its other spreads stay whole', () => {
    const result = run('{ search { ...V } } fragment V on Vault { __typename secret }', []);
    expect(compact(result.printed)).toBe(`{ search { ... on Vault { __typename } ${ACCESS_TYPENAME_KEY}: __typename } }`);
    expect(result.removed).toEqual([{ path: ['search', '@', 'secret'], coordinate: 'Vault.secret', nullAt: 3, types: ['Vault'] }]);
    // Spread inside a refused fragment and elsewhere: the emitted definition is the unrefused one.
    const twice = run('{ search { ...T ... on Vault { ...T secret } } } fragment T on SearchResult { __typename }', []);
    expect(compact(twice.printed)).toBe(
      `{ search { ...T ... on Vault { ... on SearchResult { __typename } } ${ACCESS_TYPENAME_KEY}: __typename } } fragment T on SearchResult { __typename }`,
    );
  });

  it('checks an interface field against every implementation, and narrows fragments on it', () => {
    // Node carries Vault's rule (composition copies it): without vault:read the whole field goes.
    expect(run('{ node(id: "p1") { id } }', ['people:read']).removed).toEqual([{ path: ['node'], coordinate: 'Query.node', nullAt: 1 }]);
    const result = run('{ node(id: "p1") { id ... on Person { name cpr } } }', ['vault:read']);
    expect(result.removed).toEqual([{ path: ['node', 'cpr'], coordinate: 'Person.cpr', nullAt: 2, types: ['Person'] }]);
    expect(compact(result.printed)).toBe(`{ node(id: "p1") { id ... on Person { name } ${ACCESS_TYPENAME_KEY}: __typename } }`);
  });

  it('leaves variables and @include/@skip as they are, and records them on the removal', () => {
    const result = run(
      `query Q($withCpr: Boolean!, $brief: Boolean = false) {
         person(id: "p1") @skip(if: $brief) { name @include(if: $withCpr) cpr @include(if: $withCpr) }
       }`,
      ['people:read'],
    );
    expect(compact(result.printed)).toBe(
      'query Q($withCpr: Boolean!, $brief: Boolean = false) { person(id: "p1") @skip(if: $brief) { name @include(if: $withCpr) } }',
    );
    expect(result.removed).toEqual([
      {
        path: ['person', 'cpr'],
        coordinate: 'Person.cpr',
        nullAt: 2,
        conditions: [
          { directive: 'skip', variable: 'brief', defaultValue: false },
          { directive: 'include', variable: 'withCpr' },
        ],
      },
    ]);
  });

  it('removes a mutation field the caller may not run, whole, and keeps the others', () => {
    const result = run('mutation M { rename(id: "p1", name: "X") { id name } touch }', ['people:read']);
    expect(compact(result.printed)).toBe('mutation M { touch }');
    expect(result.removed).toEqual([{ path: ['rename'], coordinate: 'Mutation.rename', nullAt: 1 }]);
    expect(run('mutation { rename(id: "p1", name: "X") { id } }', []).allRemoved).toBe(true);
    expect(run('mutation { rename(id: "p1", name: "X") { id } }', ['people:write']).removed).toEqual([]);
  });

  it('leaves introspection to the introspection setting', () => {
    const query = '{ __typename __schema { queryType { name } } __type(name: "Person") { fields { name } } }';
    expect(run(query, []).removed).toEqual([]);
  });

  it('needs an authenticated caller for @authenticated fields', () => {
    expect(run('{ whoami greeting }', ['people:read'], { authenticated: false }).removed).toEqual([
      { path: ['whoami'], coordinate: 'Query.whoami', nullAt: 1 },
    ]);
    expect(run('{ whoami }', [], { authenticated: true }).removed).toEqual([]);
  });

  it('filters the operation named, and leaves the others out', () => {
    const result = run('query A { greeting } query B { person(id: "p1") { cpr name } }', ['people:read'], { operationName: 'B' });
    expect(compact(result.printed)).toBe('query B { person(id: "p1") { name } }');
  });

  it('gives the same cache key to the same removals, another to others', () => {
    const query = '{ people { name cpr grade } }';
    const a = run(query, ['people:read']).cacheKey;
    expect(run(query, ['people:read', 'nick:read']).cacheKey).toBe(a);
    expect(run(query, ['people:read', 'grades:read']).cacheKey).not.toBe(a);
    expect(a).toBe('people.@.cpr Person.cpr\npeople.@.grade Person.grade');
  });

  it('reports a field removed through two fragments at one position once', () => {
    const result = run('{ person(id: "p1") { cpr ...C ... on Person { cpr } } } fragment C on Person { cpr }', ['people:read']);
    expect(result.removed).toEqual([{ path: ['person', 'cpr'], coordinate: 'Person.cpr', nullAt: 2 }]);
  });
});

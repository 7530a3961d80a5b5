import { parse, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { filterOperation } from '../../gateway/operationFilter.js';
import { readSupergraphRules, stripSecurityDirectives, type AccessRules } from '../../platform/authorization/rules.js';
import { apiSchemaOf, composeFixtures } from './fixtures/fixtures.js';

let schema: GraphQLSchema;
let rules: AccessRules;

beforeAll(async () => {
  const supergraph = composeFixtures();
  rules = readSupergraphRules(supergraph);
  schema = await apiSchemaOf(stripSecurityDirectives(supergraph));
});

/** The "nothing removed" answers are remembered per document and caller: never handed to another caller. */
describe('filterOperation, remembered whole operations', () => {
  const query = '{ person(id: "p1") { id name cpr } greeting }';
  const full = () => new Set(['people:read', 'cpr:read']);

  it('still removes for a caller with fewer scopes after a caller with all of them ran the same document', () => {
    const document = parse(query);
    for (let i = 0; i < 3; i++)
      expect(filterOperation({ schema, document, rules, scopes: full(), authenticated: true }).removed).toEqual([]);
    const narrower = filterOperation({ schema, document, rules, scopes: new Set(['people:read']), authenticated: true });
    expect(narrower.removed.map((r) => r.coordinate)).toContain('Person.cpr');
    expect(narrower.document).not.toBe(document);
  });

  it('tells apart scope sets given in another order (same caller) from an anonymous caller', () => {
    const document = parse(query);
    expect(filterOperation({ schema, document, rules, scopes: full(), authenticated: true }).removed).toEqual([]);
    const reordered = filterOperation({ schema, document, rules, scopes: new Set(['cpr:read', 'people:read']), authenticated: true });
    expect(reordered).toMatchObject({ document, removed: [], cacheKey: '', allRemoved: false });
    const anonymous = filterOperation({ schema, document, rules, scopes: new Set(), authenticated: false });
    expect(anonymous.removed.length).toBeGreaterThan(0);
  });

  it('follows the rules object: rules read from another supergraph are applied anew', () => {
    const document = parse(query);
    expect(filterOperation({ schema, document, rules, scopes: full(), authenticated: true }).removed).toEqual([]);
    const stricter: AccessRules = { ...rules, fields: new Map([...rules.fields, ['Query.greeting', [['greeting:read']]]]) };
    const result = filterOperation({ schema, document, rules: stricter, scopes: full(), authenticated: true });
    expect(result.removed.map((r) => r.coordinate)).toContain('Query.greeting');
  });
});

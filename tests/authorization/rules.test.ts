import { composeServices } from '@apollo/composition';
import { ApolloGateway } from '@apollo/gateway';
import { isObjectType, parse, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.js';
import { andRules, readSubgraphRules, readSupergraphRules, stripSecurityDirectives } from '../../platform/authorization/rules.js';
import { composeFixtures, GRADES_SDL, PEOPLE_SDL } from './fixtures/fixtures.js';

const logger = createLogger('access-rules-test');

async function load(supergraphSdl: string): Promise<GraphQLSchema> {
  const gateway = new ApolloGateway({ supergraphSdl, logger });
  let schema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => {
    schema = apiSchema;
  });
  try {
    await gateway.load();
  } finally {
    await gateway.stop();
  }
  if (!schema) throw new Error('no schema');
  return schema;
}

describe('readSupergraphRules', () => {
  const supergraph = composeFixtures();

  it('reads field, type and @authenticated rules as composition prints them', () => {
    // What composition 2.14 writes: a SECURITY link per spec and the directives applied as they are.
    expect(supergraph).toContain('@link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)');
    expect(supergraph).toContain('@link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)');
    expect(supergraph).toContain('cpr: String @join__field(graph: PEOPLE) @requiresScopes(scopes: [["cpr:read"], ["admin"]])');

    const rules = readSupergraphRules(supergraph);
    expect(rules.fields.get('Person.cpr')).toEqual([['cpr:read'], ['admin']]);
    expect(rules.fields.get('Person.grade')).toEqual([['grades:read']]);
    expect(rules.fields.get('Query.person')).toEqual([['people:read']]);
    expect(rules.fields.get('Mutation.rename')).toEqual([['people:write']]);
    expect(rules.fields.has('Person.name')).toBe(false);
    expect(rules.types.get('Vault')).toEqual([['vault:read']]);
    expect(rules.types.get('Level')).toEqual([['level:read']]);
    // Composition copies the implementations' rules onto the interface.
    expect(rules.types.get('Node')).toEqual([['vault:read']]);
    expect([...rules.authenticated]).toEqual(['Query.whoami']);
  });

  it('follows a renamed import of @requiresScopes', () => {
    const link =
      'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", { name: "@requiresScopes", as: "@scopes" }])';
    const result = composeServices([
      {
        name: 'a',
        url: 'http://a',
        typeDefs: parse(
          `${link}\ntype Query { thing: Thing @scopes(scopes: [["x:read", "y:read"]]) }\ntype Thing @key(fields: "id") { id: ID! }`,
        ),
      },
      {
        name: 'b',
        url: 'http://b',
        typeDefs: parse(`${link}\ntype Thing @key(fields: "id") { id: ID! size: Int @scopes(scopes: [["size"]]) }`),
      },
    ]);
    expect(result.errors).toBeUndefined();
    const sdl = result.supergraphSdl ?? '';
    expect(sdl).toContain('import: [{name: "@requiresScopes", as: "@scopes"}]');
    const rules = readSupergraphRules(sdl);
    expect(rules.fields.get('Query.thing')).toEqual([['x:read', 'y:read']]);
    expect(rules.fields.get('Thing.size')).toEqual([['size']]);
    const stripped = stripSecurityDirectives(sdl);
    expect(stripped).not.toMatch(/@scopes|requiresScopes/);
  });

  it('reads the other spellings: a namespaced link, federation__ and @join__directive', () => {
    const sdl = supergraph
      .replace(
        '@link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)',
        '@link(url: "https://specs.apollo.dev/requiresScopes/v0.1", as: "rs", for: SECURITY)',
      )
      .replace('@requiresScopes(scopes: [["cpr:read"], ["admin"]])', '@rs(scopes: [["cpr:read"], ["admin"]])')
      .replace('@requiresScopes(scopes: [["grades:read"]])', '@federation__requiresScopes(scopes: [["grades:read"]])')
      .replace(
        'name: String! @join__field(graph: PEOPLE)',
        'name: String! @join__field(graph: PEOPLE) @join__directive(graphs: [PEOPLE], name: "requiresScopes", args: {scopes: [["name:read"]]})',
      );
    const rules = readSupergraphRules(sdl);
    expect(rules.fields.get('Person.cpr')).toEqual([['cpr:read'], ['admin']]);
    expect(rules.fields.get('Person.grade')).toEqual([['grades:read']]);
    expect(rules.fields.get('Person.name')).toEqual([['name:read']]);
    expect(stripSecurityDirectives(sdl)).not.toMatch(/@rs\(|federation__requiresScopes|"requiresScopes"/);
  });

  it('ANDs two rules on one element', () => {
    expect(andRules([['a'], ['b']], [['c']])).toEqual([
      ['a', 'c'],
      ['b', 'c'],
    ]);
  });
});

describe('stripSecurityDirectives', () => {
  const supergraph = composeFixtures();

  it('removes the links, definitions, types and applications, and nothing else', () => {
    const stripped = stripSecurityDirectives(supergraph);
    expect(stripped).not.toMatch(/requiresScopes|authenticated|SECURITY\)/);
    expect(stripped).toContain('@link(url: "https://specs.apollo.dev/join/v0.5", for: EXECUTION)');
    expect(stripped).toContain('cpr: String @join__field(graph: PEOPLE)');
    expect(readSupergraphRules(stripped).fields.size).toBe(0);
  });

  it('leaves a security feature it cannot enforce (@policy), so the gateway refuses to start', () => {
    const withPolicy = supergraph.replace(
      '@link(url: "https://specs.apollo.dev/join/v0.5", for: EXECUTION)',
      '@link(url: "https://specs.apollo.dev/join/v0.5", for: EXECUTION)\n  @link(url: "https://specs.apollo.dev/policy/v0.1", for: SECURITY)',
    );
    expect(stripSecurityDirectives(withPolicy)).toContain('policy/v0.1');
  });

  it('the real ApolloGateway refuses the composed supergraph and serves the stripped one', async () => {
    await expect(load(supergraph)).rejects.toThrow(/requiresScopes|SECURITY|unsupported/i);
    const schema = await load(stripSecurityDirectives(supergraph));
    expect(Object.keys(schema.getQueryType()?.getFields() ?? {})).toContain('person');
    const person = schema.getType('Person');
    expect(isObjectType(person) ? Object.keys(person.getFields()) : []).toEqual(expect.arrayContaining(['cpr', 'grade', 'nickname']));
    // The API schema carries no trace of the security specs.
    expect(schema.getDirective('requiresScopes')).toBeUndefined();
    expect(schema.getType('requiresScopes__Scope')).toBeUndefined();
  });
});

describe('readSubgraphRules', () => {
  it('reads a subgraph schema.graphql', () => {
    const rules = readSubgraphRules(PEOPLE_SDL);
    expect(rules.fields.get('Query.person')).toEqual([['people:read']]);
    expect(rules.fields.get('Person.cpr')).toEqual([['cpr:read'], ['admin']]);
    expect(rules.fields.get('Person.nickname')).toEqual([['nick:read']]);
    expect(rules.types.get('Vault')).toEqual([['vault:read']]);
    expect(rules.types.get('Level')).toEqual([['level:read']]);
    expect([...rules.authenticated]).toEqual(['Query.whoami']);
    expect(readSubgraphRules(GRADES_SDL).fields.get('Person.gradeMatrix')).toEqual([['grades:read']]);
  });

  it('follows renamed imports, the federation__ form and type extensions', () => {
    const sdl = `
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", { name: "@requiresScopes", as: "@scopes" }, { name: "@authenticated", as: "@signedIn" }])
      type Query { a: String @scopes(scopes: [["a"]]) b: String @federation__requiresScopes(scopes: [["b"]]) c: String @signedIn }
      extend type Thing @key(fields: "id") @scopes(scopes: [["thing"]]) { id: ID! }
      directive @requiresScopes(scopes: [[String]]) on FIELD_DEFINITION
      type Other { d: String @requiresScopes(scopes: [["not-federation"]]) }
    `;
    const rules = readSubgraphRules(sdl);
    expect(rules.fields.get('Query.a')).toEqual([['a']]);
    expect(rules.fields.get('Query.b')).toEqual([['b']]);
    expect(rules.types.get('Thing')).toEqual([['thing']]);
    expect([...rules.authenticated]).toEqual(['Query.c']);
    // Not imported under that name: a directive of the subgraph's own, not Federation's.
    expect(rules.fields.has('Other.d')).toBe(false);
  });
});

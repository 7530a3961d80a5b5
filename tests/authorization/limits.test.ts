import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ApolloServer } from '@apollo/server';
import { parse, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_LIMITS,
  hardening,
  loadLimitsConfig,
  TOO_COMPLEX_CODE,
  TOO_COMPLEX_MESSAGE,
  type LimitsConfig,
} from '../../gateway/limits.js';
import { ConfigError } from '../../platform/env.js';
import { createGraphQLHandler, listen, type Listening } from '../../platform/graphqlHttp.js';
import { createLogger } from '../../platform/logger.js';
import { stripSecurityDirectives } from '../../platform/authorization/rules.js';
import { apiSchemaOf } from './fixtures/fixtures.js';
import { DOSSIER } from '../e2e/dossierQueries.js';

const logger = createLogger('limits-test');

const TYPE_DEFS = /* GraphQL */ `
  type Query {
    person(id: ID!): Person
    people(first: Int): [Person!]!
    level: Level
  }
  type Person {
    id: ID!
    name: String
    friend: Person
    friends: [Person!]!
  }
  enum Level {
    LOW
    HIGH
  }
`;
const RESOLVERS = {
  Query: { person: () => ({ id: 'p1', name: 'Asta' }), people: () => [], level: () => 'LOW' },
  Person: { friend: () => null, friends: () => [] },
};

const SMALL: LimitsConfig = { maxDepth: 4, maxAliases: 3, maxTokens: 60, maxCost: 40 };

async function server(production: boolean, limits: LimitsConfig = SMALL): Promise<ApolloServer> {
  const { validationRules, plugins, apolloOptions } = hardening({ production, limits });
  const apollo = new ApolloServer({ typeDefs: TYPE_DEFS, resolvers: RESOLVERS, logger, validationRules, plugins, ...apolloOptions });
  await apollo.start();
  return apollo;
}

interface Single {
  status: number | undefined;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

async function execute(apollo: ApolloServer, query: string, variables?: Record<string, unknown>): Promise<Single> {
  const response = await apollo.executeOperation({ query, ...(variables ? { variables } : {}) });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return { status: response.http.status, body: JSON.parse(JSON.stringify(response.body.singleResult)) as Single['body'] };
}

function expectTooComplex(result: Single, ...hidden: number[]) {
  expect(result.status).toBe(400);
  expect(result.body.data).toBeUndefined();
  expect(result.body.errors).toHaveLength(1);
  expect(result.body.errors?.[0]).toMatchObject({ message: TOO_COMPLEX_MESSAGE, extensions: { code: TOO_COMPLEX_CODE } });
  // Neither the limit nor the measured value: nothing to tune an attack with.
  const text = JSON.stringify(result.body);
  for (const number of hidden) expect(text).not.toContain(String(number));
  expect(text).not.toMatch(/\d/);
}

describe('loadLimitsConfig', () => {
  it('has the documented defaults and reads LIMIT_*', () => {
    expect(loadLimitsConfig({})).toEqual({ maxDepth: 12, maxAliases: 30, maxTokens: 3000, maxCost: 20000 });
    expect(loadLimitsConfig({ LIMIT_MAX_DEPTH: '8', LIMIT_MAX_ALIASES: '5', LIMIT_MAX_TOKENS: '900', LIMIT_MAX_COST: '1000' })).toEqual({
      maxDepth: 8,
      maxAliases: 5,
      maxTokens: 900,
      maxCost: 1000,
    });
    expect(() => loadLimitsConfig({ LIMIT_MAX_DEPTH: 'deep' })).toThrow(ConfigError);
    expect(() => loadLimitsConfig({ LIMIT_MAX_COST: '0' })).toThrow(/LIMIT_MAX_COST/);
  });
});

describe('query limits', () => {
  let apollo: ApolloServer;
  beforeAll(async () => {
    apollo = await server(false);
  });
  afterAll(async () => {
    await apollo?.stop();
  });

  it('rejects an operation nested too deep', async () => {
    expectTooComplex(await execute(apollo, '{ person(id: "1") { friend { friend { friend { friend { name } } } } } }'), SMALL.maxDepth);
  });

  it('rejects too many aliases', async () => {
    expectTooComplex(await execute(apollo, '{ a: level b: level c: level d: level }'), SMALL.maxAliases);
  });

  it('rejects a document with too many tokens', async () => {
    const query = `{ ${Array.from({ length: 80 }, () => 'level').join(' ')} }`;
    expectTooComplex(await execute(apollo, query), SMALL.maxTokens);
  });

  it('rejects an operation that costs too much', async () => {
    expectTooComplex(await execute(apollo, '{ people(first: 20) { id name } }'), SMALL.maxCost);
  });

  it('answers one error when several limits are exceeded', async () => {
    const result = await execute(
      apollo,
      '{ a: people(first: 50) { friend { friend { friend { friend { name } } } } } b: level c: level d: level }',
    );
    expectTooComplex(result);
  });

  it('lets an ordinary operation through', async () => {
    const result = await execute(apollo, '{ person(id: "1") { id name friend { name } } level }');
    expect(result.body).toEqual({ data: { person: { id: 'p1', name: 'Asta', friend: null }, level: 'LOW' } });
  });
});

describe('the default limits and the real graph', () => {
  const LIST = /* GraphQL */ `
    query ($after: String) {
      youths(filter: { inTargetGroup: true }, first: 50, after: $after) {
        totalCount
        edges {
          cursor
          node {
            id
            firstName
            lastName
            age
            targetGroup {
              inTargetGroup
              indicators
            }
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  `;

  it('lets the dossier and a page of the youth list through', async () => {
    const path = fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url));
    const schema = await apiSchemaOf(stripSecurityDirectives(readFileSync(path, 'utf8')));
    const { validationRules, apolloOptions } = hardening({ production: true, limits: DEFAULT_LIMITS });
    for (const query of [DOSSIER, LIST]) {
      const document = parse(query, apolloOptions.parseOptions);
      expect(validate(schema, document)).toEqual([]);
      expect(validate(schema, document, validationRules)).toEqual([]);
    }
  });
});

describe('production', () => {
  let production: ApolloServer;
  let development: ApolloServer;
  beforeAll(async () => {
    production = await server(true);
    development = await server(false);
  });
  afterAll(async () => {
    await production?.stop();
    await development?.stop();
  });

  it('suggests no field names in production (it does in development)', async () => {
    const dev = await execute(development, '{ persn(id: "1") { id } }');
    expect(dev.body.errors?.[0]?.message).toContain('Did you mean "person"?');
    const prod = await execute(production, '{ persn(id: "1") { id } }');
    expect(prod.status).toBe(400);
    expect(prod.body.errors?.[0]?.message).toBe('Cannot query field "persn" on type "Query".');
    const enumValue = await execute(production, 'query ($l: Level) { __typename }', { l: 'LOWW' });
    expect(JSON.stringify(enumValue.body)).not.toContain('Did you mean');
  });

  it('refuses introspection in production', async () => {
    const prod = await execute(production, '{ __schema { queryType { name } } }');
    expect(prod.status).toBe(400);
    expect(prod.body.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');
    const dev = await execute(development, '{ __schema { queryType { name } } }');
    expect(dev.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });
});

describe('over HTTP', () => {
  let apollo: ApolloServer;
  let listening: Listening;
  let url: string;
  beforeAll(async () => {
    apollo = await server(true, DEFAULT_LIMITS);
    listening = await listen(createGraphQLHandler({ apollo, logger, context: () => ({}) }), { port: 0, host: '127.0.0.1' });
    url = `${listening.url}/graphql`;
  });
  afterAll(async () => {
    await apollo?.stop();
    listening?.server.closeAllConnections();
    await listening?.close();
  });

  const post = (body: string, contentType = 'application/json', headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body });

  it('answers a JSON POST', async () => {
    const response = await post(JSON.stringify({ query: '{ level }' }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { level: 'LOW' } });
  });

  it('refuses a batch (a JSON array of operations)', async () => {
    const response = await post(JSON.stringify([{ query: '{ level }' }, { query: '{ level }' }]));
    expect(response.status).toBe(400);
    expect(await response.text()).not.toContain('"data"');
  });

  it('refuses a GET or a simple-content-type POST without a preflight header (CSRF)', async () => {
    const get = await fetch(`${url}?query=${encodeURIComponent('{ level }')}`);
    expect(get.status).toBe(400);
    expect(await get.text()).toMatch(/Cross-Site Request Forgery/);
    const plain = await post(JSON.stringify({ query: '{ level }' }), 'text/plain');
    expect(plain.status).toBe(400);
    expect(await plain.text()).toMatch(/Cross-Site Request Forgery/);
    const form = await post('query=%7B%20level%20%7D', 'application/x-www-form-urlencoded');
    expect(form.status).toBe(400);
    // A header a browser cannot send cross-site without a preflight lets the GET through.
    const preflighted = await fetch(`${url}?query=${encodeURIComponent('{ level }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(preflighted.status).toBe(200);
  });
});

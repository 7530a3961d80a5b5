/**
 * Our plan executor (gateway/planExecution/) against @apollo/gateway's own: the same plans, the same
 * subgraph answers, the same answer to the byte (key order included) and the same errors, for operations
 * that use what the plans of this graph use (entities, @requires, also with a selection of its own,
 * interfaces and unions, aliases, fragments, @skip/@include, variables with defaults) and for subgraph
 * answers that break the schema (a null where it says non-null, a wrong leaf, an unknown __typename,
 * errors inside entities).
 */
import { composeServices } from '@apollo/composition';
import { ApolloGateway, LocalGraphQLDataSource, type GraphQLDataSource } from '@apollo/gateway';
import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, parse, type GraphQLFormattedError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayRequestContext } from '../../gateway/gatewayInterface.js';
import { createPlanExecution, type PlanExecution } from '../../gateway/planExecution/executor.js';
import { planExecutions } from '../../platform/metrics.js';
import { counted } from '../e2e/counters.js';
import { sha256Hex } from '../../platform/hash.js';

const PRODUCTS = [
  { upc: '1', name: 'Table', price: 899, weight: 100 },
  { upc: '2', name: 'Couch', price: 1299, weight: 1000 },
  { upc: '3', name: 'Chair', price: 54, weight: 50 },
];
const REVIEWS = [
  { id: 'r1', body: 'Love it!', upc: '1', authorId: 'u1' },
  { id: 'r2', body: 'Too expensive.', upc: '2', authorId: 'u1' },
  { id: 'r3', body: 'Could be better.', upc: '3', authorId: 'u2' },
  { id: 'r4', body: 'Prefer something else.', upc: '1', authorId: 'u2' },
];
const USERS = [
  { id: 'u1', name: 'Ada', birthYear: 1990 },
  { id: 'u2', name: 'Grace', birthYear: 1985 },
];

/** Per test: what the subgraphs' answers are made to say (to break the schema on purpose). */
const tamper: {
  products?: (data: Record<string, unknown>) => void;
  reviews?: (data: Record<string, unknown>) => void;
  /** A product whose shipping estimate fails as well. */
  failEstimateOf?: string;
} = {};

const subgraphs = {
  products: buildSubgraphSchema({
    typeDefs: parse(`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
      interface Item { upc: String! name: String }
      type Product implements Item @key(fields: "upc") { upc: String! name: String price: Int weight: Int dimensions: Dimensions }
      type Dimensions @shareable { size: String! }
      type Gift implements Item @key(fields: "upc") { upc: String! name: String wrapping: String! }
      union Found = Product | Gift
      type Query { topProducts(first: Int = 5): [Product!]! items: [Item!]! search(term: String!): [Found]! product(upc: String!): Product }
    `),
    resolvers: {
      Query: {
        topProducts: (_: unknown, { first }: { first: number }) => PRODUCTS.slice(0, first),
        items: () => [PRODUCTS[0], { upc: 'g1', name: 'Box', wrapping: 'red', gift: true }],
        search: () => [PRODUCTS[1], null, { upc: 'g2', name: 'Bow', wrapping: 'blue', gift: true }],
        product: (_: unknown, { upc }: { upc: string }) => PRODUCTS.find((product) => product.upc === upc) ?? null,
      },
      Item: { __resolveType: (item: { gift?: boolean }) => (item.gift ? 'Gift' : 'Product') },
      Found: { __resolveType: (item: { gift?: boolean }) => (item.gift ? 'Gift' : 'Product') },
      Product: {
        __resolveReference: (ref: { upc: string }) => PRODUCTS.find((product) => product.upc === ref.upc),
        dimensions: (product: { weight: number }) => ({ size: product.weight >= 1000 ? 'large' : 'small' }),
      },
      Gift: { __resolveReference: (ref: { upc: string }) => ({ upc: ref.upc, name: 'Gift', wrapping: 'gold' }) },
    },
  }),
  inventory: buildSubgraphSchema({
    typeDefs: parse(`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires", "@shareable"])
      type Product @key(fields: "upc") {
        upc: String! price: Int @external weight: Int @external dimensions: Dimensions @external
        inStock: Boolean shippingEstimate: Int @requires(fields: "price weight")
        packaging: String @requires(fields: "dimensions { size }")
      }
      type Dimensions @shareable { size: String! }
    `),
    resolvers: {
      Product: {
        __resolveReference: (ref: { upc: string; price?: number; weight?: number }) => ({ ...ref, inStock: ref.upc !== '2' }),
        shippingEstimate: (product: { upc: string; price: number; weight: number }) => {
          if (product.weight >= 1000) throw new GraphQLError('Too heavy to estimate', { extensions: { code: 'TOO_HEAVY' } });
          if (product.upc === tamper.failEstimateOf) throw new GraphQLError('No estimate today', { extensions: { code: 'NO_ESTIMATE' } });
          return product.price > 1000 ? 0 : Math.round(product.weight / 2);
        },
        packaging: (product: { dimensions: { size: string } }) => (product.dimensions.size === 'large' ? 'crate' : 'box'),
      },
    },
  }),
  reviews: buildSubgraphSchema({
    typeDefs: parse(`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
      type Review { id: ID! body: String! author: User! product: Product }
      type User @key(fields: "id") { id: ID! reviews: [Review!]! }
      type Product @key(fields: "upc") { upc: String! reviews: [Review!]! }
    `),
    resolvers: {
      Review: {
        author: (review: { authorId: string }) => ({ id: review.authorId }),
        product: (review: { upc: string }) => ({ upc: review.upc }),
      },
      User: {
        __resolveReference: (ref: { id: string }) => ref,
        reviews: (user: { id: string }) => REVIEWS.filter((review) => review.authorId === user.id),
      },
      Product: {
        __resolveReference: (ref: { upc: string }) => ref,
        reviews: (product: { upc: string }) => REVIEWS.filter((review) => review.upc === product.upc),
      },
    },
  }),
  accounts: buildSubgraphSchema({
    typeDefs: parse(`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
      type User @key(fields: "id") { id: ID! name: String! birthYear: Int }
      type Query { me: User users: [User!]! }
    `),
    resolvers: {
      Query: { me: () => USERS[0], users: () => USERS },
      User: {
        __resolveReference: (ref: { id: string }) => USERS.find((user) => user.id === ref.id),
      },
    },
  }),
};

/** Entity representations sent to the subgraphs so far. */
const sent = { representations: 0 };

/** When each subgraph call started and ended, on one counter (for the order of a request's calls). */
let clock = 0;
const calls: { started: number; ended: number }[] = [];

/** A subgraph in process whose answers a test may alter after the subgraph made them. */
class TamperedSource implements GraphQLDataSource {
  private readonly local: LocalGraphQLDataSource;
  constructor(private readonly name: keyof typeof subgraphs) {
    this.local = new LocalGraphQLDataSource(subgraphs[name]);
  }
  async process(options: Parameters<GraphQLDataSource['process']>[0]) {
    const representations = options.request.variables?.representations as unknown[] | undefined;
    sent.representations += representations?.length ?? 0;
    const call = { started: clock++, ended: Number.POSITIVE_INFINITY };
    calls.push(call);
    // A subgraph answers after a while, the later the deeper in the answer (uneven branches).
    await new Promise((resolve) =>
      setTimeout(resolve, 2 + (('pathInIncomingRequest' in options ? (options.pathInIncomingRequest?.length ?? 0) : 0) % 3) * 3),
    );
    const response = await this.local.process(options);
    call.ended = clock++;
    const change = this.name === 'products' || this.name === 'reviews' ? tamper[this.name] : undefined;
    if (change && response.data) {
      const copy = structuredClone(response.data) as Record<string, unknown>;
      change(copy);
      return { ...response, data: copy };
    }
    return response;
  }
}

let gateway: ApolloGateway;
let execution: PlanExecution;
let apolloExecutor: NonNullable<Awaited<ReturnType<ApolloGateway['load']>>['executor']>;
let ownExecutor: typeof apolloExecutor;
let apiSchema: GatewayRequestContext['schema'];

beforeAll(async () => {
  const composed = composeServices(
    (Object.keys(subgraphs) as (keyof typeof subgraphs)[]).map((name) => ({
      name,
      url: `http://${name}.invalid/graphql`,
      typeDefs: parse(printSubgraphSchema(subgraphs[name])),
    })),
  );
  if (!composed.supergraphSdl) throw new Error(composed.errors?.map((error) => error.message).join('\n'));
  execution = createPlanExecution();
  gateway = new ApolloGateway({
    supergraphSdl: composed.supergraphSdl,
    experimental_didResolveQueryPlan: execution.didResolveQueryPlan,
    buildService: ({ name }) => new TamperedSource(name as keyof typeof subgraphs),
  });
  const own = await execution
    .wrap(gateway)
    .load({ apollo: { key: '', keyHash: '', graphRef: '', graphId: '', graphVariant: '' } } as never);
  ownExecutor = own.executor!;
  apolloExecutor = gateway.executor;
  apiSchema = gateway.schema!;
});

afterAll(async () => {
  await gateway.stop();
});

function requestContext(query: string, variables?: Record<string, unknown>, operationName?: string): GatewayRequestContext {
  return {
    request: { query, variables, operationName },
    document: parse(query),
    queryHash: sha256Hex(query),
    operationName: operationName ?? null,
    schema: apiSchema,
    context: {},
    logger: console,
    metrics: {},
    cache: undefined,
    overallCachePolicy: undefined,
  } as unknown as GatewayRequestContext;
}

interface Outcome {
  json: string;
  errors: { message: string; path: unknown; code: unknown; serviceName: unknown }[] | undefined;
  extensions: string | undefined;
}

function outcomeOf(result: { data?: unknown; errors?: readonly (GraphQLError | GraphQLFormattedError)[]; extensions?: unknown }): Outcome {
  return {
    json: JSON.stringify(result.data),
    errors: result.errors?.map((error) => ({
      message: error.message,
      path: error.path,
      code: error.extensions?.code,
      serviceName: error.extensions?.serviceName,
    })),
    extensions: result.extensions === undefined ? undefined : JSON.stringify(result.extensions),
  };
}

/** Plans run by our executor so far, and by Apollo's. */
const ownRuns = () => counted(planExecutions, { executor: 'own' });
const apolloRuns = () => counted(planExecutions, { executor: 'apollo' });

/** Apollo's answer, then ours for the same operation (its second request: the first is always Apollo's). */
async function both(query: string, variables?: Record<string, unknown>, operationName?: string) {
  const apollo = outcomeOf(await apolloExecutor(requestContext(query, variables, operationName)));
  await ownExecutor(requestContext(query, variables, operationName)); // learns the plan (Apollo's executor runs it), if new
  const before = await ownRuns();
  const own = outcomeOf(await ownExecutor(requestContext(query, variables, operationName)));
  expect(await ownRuns()).toBe(before + 1);
  return { apollo, own };
}

const SHOP = `
  fragment ProductFields on Product { upc name price inStock shippingEstimate }
  query Shop($first: Int = 2, $withReviews: Boolean!) {
    topProducts(first: $first) {
      ...ProductFields
      cost: price
      kind: __typename
      reviews @include(if: $withReviews) { id body author { id name reviews { id product { name inStock } } } }
    }
    users { id name birthYear reviews { body product { upc weight shippingEstimate } } }
  }
`;

describe('our plan executor answers as Apollo’s', () => {
  it.each([
    ['entities, @requires, aliases, fragments, @include (true) and a variable’s default', SHOP, { withReviews: true }],
    ['the same with @include false and the defaulted variable given', SHOP, { withReviews: false, first: 3 }],
    [
      'interfaces and unions with type conditions and __typename',
      `{ items { __typename upc name ... on Product { price inStock } ... on Gift { wrapping } }
         search(term: "x") { __typename ... on Item { name } ... on Product { upc reviews { id } } ... on Gift { wrapping } } }`,
      undefined,
    ],
    ['a nullable root field that is null, and @skip', '{ product(upc: "9") { name } me { id name @skip(if: true) birthYear } }', undefined],
    ['an error inside an entity fetch (a path into the client’s answer)', '{ topProducts(first: 3) { upc shippingEstimate } }', undefined],
    [
      'a @requires with a selection of its own (representations that nest objects), the same product in many places',
      '{ topProducts(first: 3) { upc packaging } users { reviews { product { upc packaging inStock } } } }',
      undefined,
    ],
    [
      'an alias named __proto__ stays a key of the answer (never the object’s prototype)',
      '{ __proto__: topProducts(first: 2) { upc __proto__: name inStock } }',
      undefined,
    ],
  ])('%s', async (_name, query, variables) => {
    const { apollo, own } = await both(query, variables);
    expect(own).toEqual(apollo);
    if (query.includes('__proto__')) expect(own.json).toMatch(/^\{"__proto__":\[\{"upc":"1","__proto__":"Table","inStock":true\}/);
  });

  it('asks for each distinct entity once, and still puts it in every place it occurs', async () => {
    const variables = { withReviews: true, first: 3 };
    await both(SHOP, variables);
    let before = sent.representations;
    const apollo = outcomeOf(await apolloExecutor(requestContext(SHOP, variables)));
    const byApollo = sent.representations - before;
    before = sent.representations;
    const own = outcomeOf(await ownExecutor(requestContext(SHOP, variables)));
    const byOwn = sent.representations - before;
    expect(own).toEqual(apollo);
    // The same products and authors recur under many reviews: Apollo's executor sends them once per place.
    expect(byOwn).toBeGreaterThan(0);
    expect(byOwn).toBeLessThan(byApollo);
  });

  it('puts an error of an entity asked for once at its first place, and null in every place', async () => {
    tamper.failEstimateOf = '1';
    try {
      // The table is reviewed by both users: two places, one representation.
      const query = '{ users { id reviews { id product { upc shippingEstimate } } } }';
      const { apollo, own } = await both(query);
      expect(own.json).toBe(apollo.json);
      const data = JSON.parse(own.json) as { users: { reviews: { product: { upc: string; shippingEstimate: number | null } }[] }[] };
      const tables = data.users.flatMap((user) => user.reviews.map((review) => review.product)).filter((product) => product.upc === '1');
      expect(tables).toHaveLength(2);
      expect(tables.every((product) => product.shippingEstimate === null)).toBe(true);
      // Apollo sent the table twice and got two errors; ours once, at the first place.
      const noEstimate = (outcome: typeof own) => outcome.errors?.filter((error) => error.code === 'NO_ESTIMATE') ?? [];
      expect(noEstimate(apollo)).toHaveLength(2);
      expect(noEstimate(own)).toEqual([noEstimate(apollo)[0]]);
      expect(noEstimate(own)[0]?.path).toEqual(['users', 0, 'reviews', 0, 'product', 'shippingEstimate']);
    } finally {
      delete tamper.failEstimateOf;
    }
  });

  it('starts each level of the plan together, and a level only when the one before has finished', async () => {
    const variables = { withReviews: true, first: 3 };
    await both(SHOP, variables);
    /** The request's calls in waves: a wave is the calls started before any call of the request had ended since the last wave began. */
    const waves = async (execute: typeof ownExecutor) => {
      calls.length = 0;
      await execute(requestContext(SHOP, variables));
      const ordered = [...calls].sort((a, b) => a.started - b.started);
      let overlapping = false;
      let wave: typeof calls = [];
      let count = 0;
      for (const call of ordered) {
        if (wave.length > 0 && wave.some((earlier) => earlier.ended < call.started)) {
          // A new wave: everything of the waves before must be over.
          if (wave.some((earlier) => earlier.ended > call.started)) overlapping = true;
          wave = [];
        }
        if (wave.length === 0) count += 1;
        wave.push(call);
      }
      return { count, overlapping, calls: calls.length };
    };
    const own = await waves(ownExecutor);
    const apollo = await waves(apolloExecutor);
    expect(own.calls).toBe(apollo.calls);
    expect(own.overlapping).toBe(false);
    expect(own.count).toBeGreaterThan(1);
    // Apollo's executor starts a branch's next fetch while another branch's is still running.
    expect(apollo.overlapping).toBe(true);
  });

  it('returns the variable errors Apollo returns (before any subgraph is asked)', async () => {
    const query = 'query Needs($withReviews: Boolean!) { topProducts { upc reviews @include(if: $withReviews) { id } } }';
    await both(query, { withReviews: true });
    const apollo = outcomeOf(await apolloExecutor(requestContext(query, { withReviews: 'yes' })));
    const own = outcomeOf(await ownExecutor(requestContext(query, { withReviews: 'yes' })));
    expect(apollo.errors?.[0]?.message).toContain('withReviews');
    expect(own).toEqual(apollo);
  });

  describe('when a subgraph’s answer breaks the schema', () => {
    afterAll(() => {
      delete tamper.products;
      delete tamper.reviews;
    });

    it.each([
      [
        'a null where the schema says non-null goes up to the nearest nullable parent',
        () => {
          tamper.products = (data) => {
            const top = data.topProducts as Record<string, unknown>[] | undefined;
            if (top?.[1]) top[1].upc = null;
          };
        },
        '{ topProducts { upc name } me { id } }',
        'Cannot return null for non-nullable field Product.upc.',
      ],
      [
        'a leaf of the wrong kind becomes null with an error',
        () => {
          tamper.products = (data) => {
            const top = data.topProducts as Record<string, unknown>[] | undefined;
            if (top?.[0]) top[0].price = 'expensive';
          };
        },
        '{ topProducts { upc price } }',
        'Invalid value found for field Product.price.',
      ],
      [
        'an unknown __typename makes its object null',
        () => {
          tamper.products = (data) => {
            const items = data.items as Record<string, unknown>[] | undefined;
            if (items?.[1]) items[1].__typename = 'Nothing';
          };
        },
        '{ items { upc ... on Gift { wrapping } } }',
        'Invalid __typename found for object at array element of type Item at index 1.',
      ],
      [
        'an entity answered null among others',
        () => {
          tamper.reviews = (data) => {
            const entities = data._entities as unknown[] | undefined;
            if (entities && entities.length > 1) entities[1] = null;
          };
        },
        '{ topProducts(first: 3) { upc reviews { id body } } }',
        'Cannot return null for non-nullable field Product.reviews.',
      ],
    ])('%s', async (_name, arrange, query, reported) => {
      delete tamper.products;
      delete tamper.reviews;
      arrange();
      const { apollo, own } = await both(query);
      expect(own).toEqual(apollo);
      // The subgraph's answer was broken, and both executors said where (Apollo's `valueCompletion`).
      expect(own.extensions).toContain(reported);
    });
  });

  it('leaves operations it does not run to Apollo’s executor for good (introspection)', async () => {
    const query = '{ __schema { queryType { name } } topProducts { upc } }';
    const before = { own: await ownRuns(), apollo: await apolloRuns() };
    for (let round = 0; round < 3; round++) {
      const result = await ownExecutor(requestContext(query));
      expect(result.data).toMatchObject({ __schema: { queryType: { name: 'Query' } } });
    }
    expect(await ownRuns()).toBe(before.own);
    expect(await apolloRuns()).toBe(before.apollo + 3);
  });
});

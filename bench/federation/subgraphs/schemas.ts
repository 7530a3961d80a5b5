/**
 * The four subgraphs of the federation gateways benchmark (accounts, inventory, products, reviews) as
 * Federation 2 SDL and resolvers for @apollo/subgraph. Their answers match the reference subgraphs',
 * including their quirks (noted where they are), so the TestQuery's expected answer is the reference's.
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '../../../subgraphs/kit/resolverMap.js';
import { parse, type GraphQLSchema } from 'graphql';
import { IN_STOCK, PRODUCTS, REVIEWS, USERS, type ReviewRecord } from './data.js';

export const SUBGRAPH_NAMES = ['accounts', 'inventory', 'products', 'reviews'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

const LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external", "@requires", "@provides"])';

export const SUBGRAPH_SDL: Readonly<Record<SubgraphName, string>> = {
  accounts: `${LINK}
    type Query {
      me: User
      user(id: ID!): User
      users: [User]
    }
    type User @key(fields: "id") {
      id: ID!
      name: String
      username: String @shareable
      birthday: Int
    }`,
  inventory: `${LINK}
    type Product @key(fields: "upc") {
      upc: String!
      weight: Int @external
      price: Int @external
      inStock: Boolean
      shippingEstimate: Int @requires(fields: "price weight")
    }`,
  products: `${LINK}
    type Query {
      topProducts(first: Int = 5): [Product]
    }
    type Product @key(fields: "upc") {
      upc: String!
      name: String
      price: Int
      weight: Int
    }`,
  reviews: `${LINK}
    type Review @key(fields: "id") {
      id: ID!
      body: String
      product: Product
      author: User @provides(fields: "username")
    }
    type User @key(fields: "id") {
      id: ID!
      username: String @external
      reviews: [Review]
    }
    type Product @key(fields: "upc") {
      upc: String!
      reviews: [Review]
    }`,
};

interface ReviewShape {
  id: string;
  body: string;
  product: { upc: string };
}

const reviewShape = (review: ReviewRecord): ReviewShape => ({ id: review.id, body: review.body, product: { upc: review.productUpc } });
/** The reference answers every user's `reviews` with the first two reviews, whoever the user is. */
const FIRST_TWO_REVIEWS = REVIEWS.slice(0, 2).map(reviewShape);

const RESOLVERS: Readonly<Record<SubgraphName, GraphQLResolverMap<unknown>>> = {
  accounts: {
    Query: {
      me: () => USERS[0],
      user: (_: unknown, { id }: { id: string }) => USERS.find((user) => user.id === id) ?? null,
      users: () => USERS,
    },
    User: {
      __resolveReference: (reference: { id: string }) => USERS.find((user) => user.id === reference.id) ?? null,
    },
  },
  inventory: {
    Product: {
      // The reference resolves the entity from its upc alone and drops the `price` and `weight` the
      // gateway sends for @requires, so its shipping estimate is always null. Kept: same answer.
      __resolveReference: (reference: { upc: string }) => ({ upc: reference.upc, inStock: IN_STOCK[reference.upc] ?? null }),
      shippingEstimate: (product: { price?: number | null; weight?: number | null }) => {
        if (product.price === undefined || product.price === null) return null;
        if (product.price > 1000) return 0;
        return product.weight === undefined || product.weight === null ? null : Math.trunc(product.weight / 2);
      },
    },
  },
  products: {
    Query: {
      topProducts: (_: unknown, { first }: { first?: number | null }) => PRODUCTS.slice(0, first ?? 5),
    },
    Product: {
      __resolveReference: (reference: { upc: string }) => PRODUCTS.find((product) => product.upc === reference.upc) ?? null,
    },
  },
  reviews: {
    Review: {
      __resolveReference: (reference: { id: string }) => {
        const review = REVIEWS.find((candidate) => candidate.id === reference.id);
        return review ? reviewShape(review) : null;
      },
      // Every review's author is user 1, "urigo" (provided), as in the reference.
      author: () => ({ id: '1', username: 'urigo', reviews: FIRST_TWO_REVIEWS }),
    },
    User: {
      __resolveReference: (reference: { id: string }) => ({ id: reference.id, username: 'user', reviews: FIRST_TWO_REVIEWS }),
    },
    Product: {
      __resolveReference: (reference: { upc: string }) => ({ upc: reference.upc }),
      reviews: (product: { upc: string }) => REVIEWS.filter((review) => review.productUpc === product.upc).map(reviewShape),
    },
  },
};

export function buildBenchSubgraph(name: SubgraphName): GraphQLSchema {
  return buildSubgraphSchema({ typeDefs: parse(SUBGRAPH_SDL[name]), resolvers: RESOLVERS[name] });
}

/**
 * The benchmark's operation: the reference benchmark's TestQuery (its k6 script), and the answer it must
 * get, built here from the data directly, not from any gateway, so that every gateway is checked against
 * the same independent oracle.
 */
import { IN_STOCK, PRODUCTS, REVIEWS, USERS, type ProductRecord, type ReviewRecord } from './subgraphs/data.js';

export const TEST_QUERY = `fragment User on User {
  id
  username
  name
}

fragment Review on Review {
  id
  body
}

fragment Product on Product {
  inStock
  name
  price
  shippingEstimate
  upc
  weight
}

query TestQuery {
  users {
    ...User
    reviews {
      ...Review
      product {
        ...Product
        reviews {
          ...Review
          author {
            ...User
            reviews {
              ...Review
              product {
                ...Product
              }
            }
          }
        }
      }
    }
  }
  topProducts {
    ...Product
    reviews {
      ...Review
      author {
        ...User
        reviews {
          ...Review
          product {
            ...Product
          }
        }
      }
    }
  }
}`;

const productByUpc = new Map(PRODUCTS.map((product) => [product.upc, product]));

function product(upc: string) {
  const record = productByUpc.get(upc) as ProductRecord;
  // Keys in the order the Product fragment selects them; shippingEstimate is null as in the reference.
  return { inStock: IN_STOCK[upc] ?? null, name: record.name, price: record.price, shippingEstimate: null, upc, weight: record.weight };
}

const firstTwo = REVIEWS.slice(0, 2);
/** Every review's author: user 1, username provided by the reviews subgraph, name from accounts. */
const urigo = USERS[0]!;
const author = () => ({
  id: urigo.id,
  username: 'urigo',
  name: urigo.name,
  reviews: firstTwo.map((review) => ({ id: review.id, body: review.body, product: product(review.productUpc) })),
});
const reviewsOf = (upc: string): ReviewRecord[] => REVIEWS.filter((review) => review.productUpc === upc);

export function expectedAnswer(): unknown {
  return {
    data: {
      users: USERS.map((user) => ({
        id: user.id,
        username: user.username,
        name: user.name,
        reviews: firstTwo.map((review) => ({
          id: review.id,
          body: review.body,
          product: {
            ...product(review.productUpc),
            reviews: reviewsOf(review.productUpc).map((inner) => ({ id: inner.id, body: inner.body, author: author() })),
          },
        })),
      })),
      topProducts: PRODUCTS.slice(0, 5).map((record) => ({
        ...product(record.upc),
        reviews: reviewsOf(record.upc).map((review) => ({ id: review.id, body: review.body, author: author() })),
      })),
    },
  };
}

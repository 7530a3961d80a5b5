/**
 * Store calls at the graph's edge, shared by the coordination's resolvers (resolvers.ts and the
 * mutations beside this file): store errors as coded GraphQL errors, and the key a write is made
 * idempotent under.
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { CoordinationContext } from '../resolvers.js';
import { toGraphQLError } from '../storeErrors.js';

/** Store errors as GraphQL errors; a refused input field is named under `argument` (a mutation's `input`). */
export async function guard<T>(work: () => Promise<T>, argument?: string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toGraphQLError(error, argument);
  }
}

/**
 * A mutation's idempotency key: the input's own, else the client's `Idempotency-Key` header (passed on
 * by the gateway) with the field's response key appended, so two mutations in one request never share
 * a key, and the same request sent again maps to the same keys.
 */
export function idempotencyKeyOf(
  given: string | null | undefined,
  context: CoordinationContext,
  info: GraphQLResolveInfo,
): string | undefined {
  if (given !== null && given !== undefined && given.trim() !== '') return given;
  return context.idempotencyKey ? `${context.idempotencyKey}:${String(info.path.key)}` : undefined;
}

import { GraphQLError } from 'graphql';
import { userError } from '../kit/errors.js';
import { isStoreError } from './store/errors.js';

/**
 * The store's domain errors become GraphQL errors with the same stable code and message. A refused
 * input names its field in `extensions.field`, as the argument's path when the store's field sits
 * under one (`argument` "input": the store's `title` is the client's `input.title`).
 */
export function toGraphQLError(error: unknown, argument?: string): unknown {
  if (error instanceof GraphQLError) return error;
  if (isStoreError(error)) {
    const field = error.details?.['field'];
    const extensions = typeof field === 'string' && field !== '' ? { field: argument ? `${argument}.${field}` : field } : {};
    return userError(error.code, error.message, extensions);
  }
  return error;
}

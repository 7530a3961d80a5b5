import { GraphQLError } from 'graphql';
import { userError, type ErrorCode } from '../kit/errors.js';
import { isStoreError } from './store/errors.js';

/** The store's domain errors become GraphQL errors with the same stable code and message. */
export function toGraphQLError(error: unknown): unknown {
  if (error instanceof GraphQLError) return error;
  if (isStoreError(error)) return userError(error.code as ErrorCode, error.message);
  return error;
}

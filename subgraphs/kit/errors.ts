import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';

/** Stable codes a client may branch on. Anything else reaches a client as INTERNAL_SERVER_ERROR. */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CAPACITY_EXCEEDED: 'CAPACITY_EXCEEDED',
  ALREADY_ASSIGNED: 'ALREADY_ASSIGNED',
  NOT_ASSIGNED: 'NOT_ASSIGNED',
  NOT_ELIGIBLE: 'NOT_ELIGIBLE',
  ALREADY_DONE: 'ALREADY_DONE',
  // The continuous contact person (issue 13): one code per hard limit, the judgement's record, the lifecycle.
  NOT_YET_GRADE_8: 'NOT_YET_GRADE_8',
  AGED_25_OR_OVER: 'AGED_25_OR_OVER',
  CASELOAD_FULL: 'CASELOAD_FULL',
  JUSTIFICATION_REQUIRED: 'JUSTIFICATION_REQUIRED',
  COORDINATION_REQUIRED: 'COORDINATION_REQUIRED',
  ALREADY_ENDED: 'ALREADY_ENDED',
  ALREADY_EXISTS: 'ALREADY_EXISTS',
  ALREADY_INACTIVE: 'ALREADY_INACTIVE',
  // Issue 14: another unit's data about a 25-29-year-old without an active consent (platform/access/legalBasis.ts).
  CONSENT_REQUIRED: 'CONSENT_REQUIRED',
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const PUBLIC_CODES = new Set<string>([
  ...Object.values(ErrorCode),
  // Apollo Server's own request-level codes.
  'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE',
  // The field rules' refusal (platform/access/subgraphRules.ts).
  'UNAUTHORIZED_FIELD_OR_TYPE',
]);

export function userError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

export function badUserInput(message: string, field?: string): GraphQLError {
  return userError(ErrorCode.BAD_USER_INPUT, message, field ? { field } : {});
}

/** Another unit's data about a 25-29-year-old, withheld: no active consent covers it (null at the field's path). */
export function consentRequired(unit: string): GraphQLError {
  return userError(
    ErrorCode.CONSENT_REQUIRED,
    `The young person is 25 or over and has no active consent covering ${unit.toLowerCase()} data; record their consent to see it.`,
  );
}

export function upstreamUnavailable(service: string): GraphQLError {
  return userError(ErrorCode.UPSTREAM_UNAVAILABLE, `The ${service} system is unavailable right now; try again shortly.`, { service });
}

/**
 * Apollo Server `formatError` for every subgraph: known codes keep their message, everything else is
 * replaced by a generic message, and nothing internal (stack, upstream body, URL) is passed on.
 */
export function formatSubgraphError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = String(formatted.extensions?.code ?? '');
  const original = unwrapResolverError(error);
  const isGraphQLError = original instanceof GraphQLError || error instanceof GraphQLError;
  if (PUBLIC_CODES.has(code) && (isGraphQLError || code !== ErrorCode.INTERNAL_SERVER_ERROR)) {
    const extensions: Record<string, unknown> = { code };
    for (const key of ['service', 'field', 'limit'] as const) {
      const value = formatted.extensions?.[key];
      if (value !== undefined) extensions[key] = value;
    }
    return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions };
  }
  return {
    message: 'Internal server error',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}

import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ErrorCode, isErrorCode } from '../../platform/errorCodes.js';

/** The codes, from the one registry of every code (platform/errorCodes.ts; docs/errors.md). */
export { ErrorCode } from '../../platform/errorCodes.js';

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
 * Apollo Server `formatError` for every subgraph: registered codes keep their message, everything else is
 * replaced by a generic message, and nothing internal (stack, upstream body, URL) is passed on.
 */
export function formatSubgraphError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const raw = formatted.extensions?.code;
  const code = typeof raw === 'string' ? raw : '';
  const original = unwrapResolverError(error);
  const isGraphQLError = original instanceof GraphQLError || error instanceof GraphQLError;
  if (isErrorCode(code) && code !== ErrorCode.DOWNSTREAM_SERVICE_ERROR && (isGraphQLError || code !== ErrorCode.INTERNAL_SERVER_ERROR)) {
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

/**
 * What a client may see of an error. @apollo/gateway hands subgraph URLs, response bodies
 * (`extensions.response`) and stack traces through unless cleaned here, and subgraphs' messages may
 * quote a CPR number. Rules:
 * - errors with a stable code keep it and their (scrubbed) message (the codes: platform/errorCodes.ts,
 *   docs/errors.md; a well-formed code from elsewhere, e.g. a library's, passes through too);
 * - errors without one (INTERNAL_SERVER_ERROR, the gateway's DOWNSTREAM_SERVICE_ERROR for a subgraph
 *   error that had no code) become a generic INTERNAL_SERVER_ERROR; the original goes to the log only;
 * - `extensions.response`, `exception`, `stacktrace` are dropped; every string left is scrubbed of URLs
 *   and CPR-like numbers; the subgraph's name is kept as `extensions.service`.
 */
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { ErrorCode } from '../platform/errorCodes.js';

/** Codes that mean "something broke inside": their messages are not for clients. */
const INTERNAL_CODES = new Set<string>([ErrorCode.INTERNAL_SERVER_ERROR, ErrorCode.DOWNSTREAM_SERVICE_ERROR]);
const CODE_SHAPE = /^[A-Z][A-Z0-9_]{0,63}$/;
const DROPPED_EXTENSIONS = new Set(['response', 'exception', 'stacktrace', 'serviceName', 'service']);

export const GENERIC_MESSAGE = 'Internal server error';

const URL_PATTERN = /\b(?:https?|wss?):\/\/[^\s"'<>`]+/gi;
const CPR_PATTERN = /\b\d{6}-?\d{4}\b/g;

/** Removes URLs and CPR-number-looking strings from a text meant for a client. */
export function scrub(text: string): string {
  return text.replace(URL_PATTERN, '[url]').replace(CPR_PATTERN, '[redacted]');
}

function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrub(value);
  if (depth > 5 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrubValue(item, depth + 1)]));
}

function isInternal(code: unknown): boolean {
  return typeof code !== 'string' || INTERNAL_CODES.has(code) || !CODE_SHAPE.test(code);
}

/** Pure: the client's view of one formatted error. */
export function formatGatewayError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const extensions = formatted.extensions ?? {};
  const code = extensions['code'];
  const service = extensions['service'] ?? extensions['serviceName'];

  const kept: Record<string, unknown> = {};
  if (isInternal(code)) {
    kept['code'] = ErrorCode.INTERNAL_SERVER_ERROR;
  } else {
    for (const [key, value] of Object.entries(extensions)) {
      if (!DROPPED_EXTENSIONS.has(key)) kept[key] = scrubValue(value);
    }
  }
  if (typeof service === 'string') kept['service'] = service;

  return {
    message: isInternal(code) ? GENERIC_MESSAGE : scrub(formatted.message),
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: kept,
  };
}

/** Apollo Server's `formatError`: cleans every error and logs what the client does not get to see. */
export function createFormatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const clean = formatGatewayError(formatted);
    if (clean.message === GENERIC_MESSAGE && formatted.message !== GENERIC_MESSAGE) {
      // URLs help whoever reads the log; CPR numbers stay out of logs too.
      const stack = error instanceof Error && error.stack ? error.stack.replace(CPR_PATTERN, '[redacted]') : undefined;
      logger.error(
        {
          message: formatted.message.replace(CPR_PATTERN, '[redacted]'),
          code: formatted.extensions?.['code'],
          service: formatted.extensions?.['serviceName'] ?? formatted.extensions?.['service'],
          path: formatted.path,
          stack,
        },
        'internal error hidden from the client',
      );
    }
    return clean;
  };
}

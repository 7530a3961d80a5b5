/**
 * Every `extensions.code` (and every `code` of a JSON error body) that any part of the graph gives a
 * client, listed once (issue 12: there used to be three lists, one unused). The gateway, the subgraph
 * kit, the coordination store, the access log and the platform take their codes from here; a code is
 * added here first. tests/platform/errorCodes.test.ts scans the source for code literals and fails on
 * any code missing here, and checks docs/errors.md, which `npm run errors:doc`
 * (scripts/errorsDoc.ts) writes from this table.
 *
 * One decision recorded here (docs/errors.md, "Unavailable: subgraph or system"): a subgraph that does
 * not answer (SUBGRAPH_UNAVAILABLE) and an existing system behind a subgraph that does not answer
 * (UPSTREAM_UNAVAILABLE) stay two codes. Both null only the fields of the part that failed, both name it
 * in `extensions.service` and both are worth retrying; but after UPSTREAM_UNAVAILABLE the subgraph
 * answered, so a mutation wrote nothing and reads were already retried, while after SUBGRAPH_UNAVAILABLE
 * (a timeout included) the gateway cannot know whether a mutation ran: send it again with the same
 * Idempotency-Key. A client that does not care treats both as "unavailable" (web/client/graph.ts does).
 */

export interface ErrorCodeInfo {
  /**
   * The HTTP status when this error is the whole answer (the request refused, or a REST route's
   * error body); null when it only ever sits at a field's path in a 200 answer.
   */
  readonly status: number | null;
  /** May sit at a field's path in an answer that still carries data (HTTP 200, the field null). */
  readonly partial: boolean;
  /** The same request may succeed unchanged later (after `Retry-After` where one is sent). */
  readonly retry: boolean;
  /** What it means, for the client that reads it. */
  readonly meaning: string;
  /** Who raises it: modules (paths from the repository root) or "Apollo Server". */
  readonly raisedBy: string;
  /** Never reaches a client as such: the gateway replaces it with INTERNAL_SERVER_ERROR. */
  readonly hidden?: true;
  /** No longer raised; kept so what clients of an older schema branch on stays documented. */
  readonly retired?: string;
}

export const ERROR_CODES = {
  // --- The HTTP request and the GraphQL document --------------------------------------------------
  BAD_REQUEST: {
    status: 400,
    partial: false,
    retry: false,
    meaning: 'Not a GraphQL request: the body is not JSON, has no query, or the content type is refused.',
    raisedBy: 'Apollo Server; platform/graphqlHttp.ts',
  },
  METHOD_NOT_ALLOWED: {
    status: 405,
    partial: false,
    retry: false,
    meaning: 'The endpoint answers GET and POST only.',
    raisedBy: 'platform/graphqlHttp.ts',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    partial: false,
    retry: false,
    meaning: 'The request body is larger than the configured maximum.',
    raisedBy: 'platform/graphqlHttp.ts',
  },
  GRAPHQL_PARSE_FAILED: {
    status: 400,
    partial: false,
    retry: false,
    meaning: 'The query is not valid GraphQL syntax.',
    raisedBy: 'Apollo Server',
  },
  GRAPHQL_VALIDATION_FAILED: {
    status: 400,
    partial: false,
    retry: false,
    meaning: 'The query does not fit the schema (unknown field, wrong argument type, ...).',
    raisedBy: 'Apollo Server',
  },
  OPERATION_RESOLUTION_FAILURE: {
    status: 400,
    partial: false,
    retry: false,
    meaning: 'The document holds several operations and operationName names none of them (or is missing).',
    raisedBy: 'Apollo Server; gateway/operationResolution.ts',
  },
  QUERY_TOO_COMPLEX: {
    status: 400,
    partial: false,
    retry: false,
    meaning: 'The query exceeds a limit on depth, aliases, tokens or estimated cost; nothing ran.',
    raisedBy: 'gateway/limits.ts',
  },
  PERSISTED_QUERY_NOT_FOUND: {
    status: 400,
    partial: false,
    retry: false,
    meaning:
      'A partner client sent no registered operation id; for an automatic persisted query (HTTP 200): the hash is unknown, send the query text with it.',
    raisedBy: 'gateway/persistedOperations.ts; Apollo Server',
  },
  PERSISTED_QUERY_NOT_SUPPORTED: {
    status: 200,
    partial: false,
    retry: false,
    meaning: 'Automatic persisted queries are switched off: send the query text.',
    raisedBy: 'Apollo Server',
  },
  PERSISTED_QUERY_NOT_IN_SAFELIST: {
    status: 400,
    partial: false,
    retry: false,
    meaning: 'A partner client may run only the operations registered in its safelist; this one is not.',
    raisedBy: 'gateway/persistedOperations.ts',
  },
  BAD_USER_INPUT: {
    status: 400,
    partial: true,
    retry: false,
    meaning:
      'An argument, variable or header value is refused (`extensions.field` names it); a mutation wrote nothing. HTTP 400 when a header or variable refuses the request.',
    raisedBy:
      'Apollo Server; gateway/breakTheGlass.ts; gateway/subgraphDataSource.ts; gateway/accessLog/plugin.ts; gateway/accessLog/http.ts; gateway/accessLog/reviewHttp.ts; subgraphs/kit/errors.ts; subgraphs/coordination/store/',
  },

  // --- Who is asking --------------------------------------------------------------------------------
  UNAUTHENTICATED: {
    status: 401,
    partial: false,
    retry: false,
    meaning: 'No valid bearer token (missing, expired, wrong signature, issuer or audience); the message says which.',
    raisedBy:
      'gateway/authentication.ts; subgraphs/kit/server.ts; gateway/accessLog/http.ts; gateway/accessLog/reviewHttp.ts; platform/authentication/verifier.ts',
  },
  FORBIDDEN: {
    status: 403,
    partial: true,
    retry: false,
    meaning:
      'The token is valid but what it asks is not allowed: an audit route needs a scope it lacks, a subgraph refused the call, or the coordination keeps an action to one unit (UU).',
    raisedBy:
      'gateway/accessLog/http.ts; gateway/accessLog/reviewHttp.ts; gateway/subgraphDataSource.ts; subgraphs/coordination/resolvers.ts',
  },
  UNAUTHORIZED_FIELD_OR_TYPE: {
    status: null,
    partial: true,
    retry: false,
    meaning: "The caller's scopes or relation to the young person do not cover this field: null at its path, no subgraph asked for it.",
    raisedBy: 'gateway/resultPatch.ts (gateway); platform/authorization/subgraphRules.ts (subgraphs)',
  },
  INTROSPECTION_NOT_ALLOWED: {
    status: 403,
    partial: false,
    retry: false,
    meaning: 'Introspection (`__schema`, `__type`) needs the schema:read scope.',
    raisedBy: 'gateway/ide/introspection.ts',
  },
  CONSENT_REQUIRED: {
    status: null,
    partial: true,
    retry: false,
    meaning: "Another unit's data about a young person of 25 or over, withheld: no active consent covers it (null at its path).",
    raisedBy: 'subgraphs/kit/consent.ts',
  },
  BREAK_THE_GLASS_LIMIT: {
    status: 429,
    partial: false,
    retry: false,
    meaning: "The caller's break-the-glass uses for today are spent; nothing ran (retrying today does not help).",
    raisedBy: 'gateway/breakTheGlass.ts',
  },
  RATE_LIMITED: {
    status: 429,
    partial: false,
    retry: true,
    meaning: 'Too many requests (or failed sign-ins) from this client; retry after `Retry-After` (`extensions.retryAfterSeconds`).',
    raisedBy: 'gateway/rateLimits.ts; gateway/accessLog/http.ts',
  },

  // --- Something did not answer ----------------------------------------------------------------------
  SUBGRAPH_UNAVAILABLE: {
    status: null,
    partial: true,
    retry: true,
    meaning:
      "A subgraph did not answer (down, timed out, breaker open); its fields are null, `extensions.service` names it. At a mutation's own path the write may or may not have run: send it again with the same Idempotency-Key.",
    raisedBy: 'gateway/subgraphDataSource.ts',
  },
  UPSTREAM_UNAVAILABLE: {
    status: null,
    partial: true,
    retry: true,
    meaning:
      "An existing system behind a subgraph did not answer (reads already retried); its fields are null, `extensions.service` names the system. At a mutation's own path nothing was written.",
    raisedBy: 'subgraphs/kit/systemHttp.ts; subgraphs/kit/errors.ts',
  },
  ACCESS_LOG_UNAVAILABLE: {
    status: 503,
    partial: false,
    retry: true,
    meaning:
      'The access could not be recorded (or the log read), so no personal data is released; HTTP 500 when the answer itself could not be logged.',
    raisedBy:
      'gateway/accessLog/plugin.ts; gateway/accessLog/http.ts; gateway/accessLog/reviewHttp.ts; gateway/accessLog/subjectAccessHttp.ts',
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    partial: false,
    retry: true,
    meaning: 'The process is not ready (starting, reloading, shutting down) or cannot produce the answer now; retry after `Retry-After`.',
    raisedBy: 'platform/graphqlHttp.ts; gateway/accessLog/subjectAccessHttp.ts',
  },
  INTERNAL_SERVER_ERROR: {
    status: 500,
    partial: true,
    retry: false,
    meaning: 'Something broke inside; the message is generic and the cause is in the log under the request id.',
    raisedBy: 'Apollo Server; gateway/errors.ts; subgraphs/kit/errors.ts; platform/graphqlHttp.ts',
  },
  DOWNSTREAM_SERVICE_ERROR: {
    status: null,
    partial: false,
    retry: false,
    meaning: "@apollo/gateway's code for a subgraph error without a code; clients see INTERNAL_SERVER_ERROR instead.",
    raisedBy: '@apollo/gateway; gateway/planExecution/execute.ts (replaced in gateway/errors.ts)',
    hidden: true,
  },
  INVALID_GRAPHQL: {
    status: null,
    partial: true,
    retry: false,
    meaning:
      "A subgraph's answer broke the schema (a null where it says non-null, a value of the wrong kind, an unknown `__typename`): that value is null, and the nearest nullable one above it for a non-null field. Listed in the answer's `extensions.valueCompletion` when nothing else failed, as @apollo/gateway does.",
    raisedBy: '@apollo/gateway; gateway/planExecution/shape.ts',
  },

  // --- The coordination's decisions (mutations; the store writes nothing) ----------------------------
  NOT_FOUND: {
    status: 404,
    partial: true,
    retry: false,
    meaning:
      'The young person, contact person, assignment, plan action, joint decision or meeting named does not exist (HTTP 404 on the audit routes).',
    raisedBy: 'subgraphs/coordination/resolvers.ts; subgraphs/coordination/store/; gateway/accessLog/subjectAccessHttp.ts',
  },
  NOT_YET_GRADE_8: {
    status: null,
    partial: true,
    retry: false,
    meaning: 'A continuous contact person is possible from grade 8; the young person is not there yet.',
    raisedBy: 'subgraphs/coordination/resolvers.ts (subgraphs/coordination/rules/assignmentBasis.ts)',
  },
  AGED_25_OR_OVER: {
    status: null,
    partial: true,
    retry: false,
    meaning: 'The contact-person scheme runs until the 25th birthday.',
    raisedBy: 'subgraphs/coordination/resolvers.ts (subgraphs/coordination/rules/assignmentBasis.ts)',
  },
  JUSTIFICATION_REQUIRED: {
    status: null,
    partial: true,
    retry: false,
    meaning: 'Assigning by judgement (or with a justification) needs a meaningful written justification.',
    raisedBy: 'subgraphs/coordination/store/assignments.ts',
  },
  COORDINATION_REQUIRED: {
    status: null,
    partial: true,
    retry: false,
    meaning: 'The young person has a mentor or social-law contact person: say how the two coordinate (supportCoordination).',
    raisedBy: 'subgraphs/coordination/store/assignments.ts',
  },
  CASELOAD_FULL: {
    status: null,
    partial: true,
    retry: false,
    meaning: "The contact person's caseload limit is reached (`extensions.limit`).",
    raisedBy: 'subgraphs/coordination/store/assignments.ts',
  },
  CAPACITY_EXCEEDED: {
    status: null,
    partial: true,
    retry: false,
    meaning: "The municipality's funded capacity is used up; assign with acceptOverCapacity to exceed it at extra cost.",
    raisedBy: 'subgraphs/coordination/store/assignments.ts',
  },
  ALREADY_ASSIGNED: {
    status: null,
    partial: true,
    retry: false,
    meaning: 'The young person already has an active contact person; end that assignment first.',
    raisedBy: 'subgraphs/coordination/store/rows.ts',
  },
  NOT_ASSIGNED: {
    status: null,
    partial: true,
    retry: false,
    meaning: 'The young person has no active contact person to end.',
    raisedBy: 'subgraphs/coordination/store/assignments.ts',
  },
  ALREADY_ENDED: {
    status: null,
    partial: true,
    retry: false,
    meaning: 'The assignment has ended already.',
    raisedBy: 'subgraphs/coordination/store/assignments.ts',
  },
  ALREADY_DONE: {
    status: null,
    partial: true,
    retry: false,
    meaning: 'The plan action was completed already (the message says by whom and when).',
    raisedBy: 'subgraphs/coordination/store/planActions.ts',
  },
  ALREADY_EXISTS: {
    status: null,
    partial: true,
    retry: false,
    meaning: 'A contact person with that id or e-mail exists, or the young person already has an active consent.',
    raisedBy: 'subgraphs/coordination/store/contactPersons.ts; subgraphs/coordination/store/consents.ts',
  },
  ALREADY_INACTIVE: {
    status: null,
    partial: true,
    retry: false,
    meaning: 'The contact person is out of service already.',
    raisedBy: 'subgraphs/coordination/store/contactPersons.ts',
  },
  ALREADY_CANCELLED: {
    status: null,
    partial: true,
    retry: false,
    meaning:
      'The plan action was cancelled already: it is neither edited, completed nor cancelled again (the message says by whom and when).',
    raisedBy: 'subgraphs/coordination/store/planActions.ts',
  },
  REASON_REQUIRED: {
    status: null,
    partial: true,
    retry: false,
    meaning:
      'Editing or cancelling a plan action needs a reason a colleague can follow (`extensions.field` names it; at least 10 characters and 2 words).',
    raisedBy: 'subgraphs/coordination/store/planActions.ts',
  },
  AGED_18_OR_OVER: {
    status: null,
    partial: true,
    retry: false,
    meaning: 'Parents or guardians are recorded at a meeting only while the young person is under 18 on the meeting day.',
    raisedBy: 'subgraphs/coordination/store/meetings.ts',
  },
  NOT_ELIGIBLE: {
    status: null,
    partial: true,
    retry: false,
    meaning: 'The young person was not eligible for a continuous contact person.',
    raisedBy: 'subgraphs/coordination/resolvers.ts (until issue 13)',
    retired: 'replaced by NOT_YET_GRADE_8 and AGED_25_OR_OVER (issue 13: eligibility is a judgement, only hard limits refuse)',
  },
} as const satisfies Readonly<Record<string, ErrorCodeInfo>>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** `ErrorCode.NOT_FOUND === 'NOT_FOUND'`: the constants raise sites use instead of string literals. */
export const ErrorCode: { readonly [K in ErrorCode]: K } = Object.freeze(
  Object.fromEntries(Object.keys(ERROR_CODES).map((code) => [code, code])) as { [K in ErrorCode]: K },
);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

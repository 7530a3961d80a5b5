/**
 * `GET /audit/access-log?youthId=...&from=...&to=...&first=...&after=...` on the gateway: an auditor
 * (scope `audit:read`) reads one young person's entries, newest first. Refusals are logged (DENIED, in
 * the denial batch, never waited for), and so is every read, before the answer leaves; when the read
 * cannot be logged, the log is not released. Every store call has its deadline (503 past it), and
 * unauthenticated callers are limited per client address before anything is written (429).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestIdFrom } from '../platform/graphqlHttp.js';
import { sha256Hex } from '../platform/hash.js';
import { sendJson } from '../platform/httpJson.js';
import type { Logger } from '../platform/logger.js';
import { withDeadline } from './deadline.js';
import type { DenialSink } from './denials.js';
import { ACCESS_LOG_UNAVAILABLE, deniedEntry, directDenials, purposeOf, type AccessIdentity } from './plugin.js';
import {
  AccessLogQueryError,
  MAX_PAGE_SIZE,
  type AccessLogPage,
  type AccessLogQuery,
  type AccessLogWriter,
  type DeadlineOptions,
} from './store.js';
import { ErrorCode } from '../platform/errorCodes.js';

export const ACCESS_LOG_PATH = '/audit/access-log';
export const AUDIT_SCOPE = 'audit:read';
export const DEFAULT_PAGE_SIZE = 50;
const OPERATION_NAME = `GET ${ACCESS_LOG_PATH}`;
const PARAMETERS = new Set(['youthId', 'from', 'to', 'first', 'after']);
const YOUTH_ID = /^[\x21-\x7e]{1,128}$/;
/** A date (midnight UTC) or a date-time with a zone: `2025-03-01`, `2025-03-01T08:00:00Z`, `...+01:00`. */
const INSTANT = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

export interface AccessLogReader extends AccessLogWriter {
  forYouth(query: AccessLogQuery, options?: DeadlineOptions): Promise<AccessLogPage>;
}

/** An unauthenticated caller's verdict: go on (and be logged), or wait this long (429, nothing written). */
export type UnauthenticatedVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface AccessLogRouteOptions {
  store: AccessLogReader;
  /** The auth module's token check: the caller, or a rejection when the header holds no valid token. */
  verify: (authorization: string | undefined) => Promise<AccessIdentity>;
  logger: Logger;
  /** Longest wait to log the read (`AUDIT_WRITE_TIMEOUT_MS`). Default 2000. */
  writeTimeoutMs?: number;
  /** Longest wait to read the log (`AUDIT_READ_TIMEOUT_MS`). Default 2000. */
  readTimeoutMs?: number;
  /** Where refusals go (batched, not waited for). Default: each written on its own, not waited for. */
  denials?: DenialSink;
  /** Spends one unit of the caller's address's budget for failed authentications (gateway/rateLimits.ts). */
  limitUnauthenticated?: (req: IncomingMessage) => Promise<UnauthenticatedVerdict>;
}

export class BadParameter extends Error {}

function hasScope(identity: AccessIdentity, scope: string): boolean {
  const scopes = identity.scopes;
  return Array.isArray(scopes) ? scopes.includes(scope) : (scopes as ReadonlySet<string>).has(scope);
}

function instant(value: string, name: string): Date {
  const date = INSTANT.test(value) ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw new BadParameter(`${name}: expected a date (2025-03-01) or a date-time with a zone (2025-03-01T08:00:00Z), got "${value}"`);
  }
  return date;
}

/** The query the parameters ask for; throws BadParameter naming the parameter. */
export function parseAccessLogQuery(search: URLSearchParams): AccessLogQuery {
  for (const name of new Set(search.keys())) {
    if (!PARAMETERS.has(name)) throw new BadParameter(`${name}: unknown parameter (use youthId, from, to, first, after)`);
    if (search.getAll(name).length > 1) throw new BadParameter(`${name}: given more than once`);
  }
  const youthId = search.get('youthId');
  if (youthId === null || youthId === '') throw new BadParameter('youthId: required');
  if (!YOUTH_ID.test(youthId)) throw new BadParameter('youthId: expected 1 to 128 printable characters without spaces');

  const query: AccessLogQuery = { youthId, first: DEFAULT_PAGE_SIZE };
  const first = search.get('first');
  if (first !== null) {
    const n = /^\d{1,4}$/.test(first) ? Number(first) : NaN;
    if (!(n >= 1 && n <= MAX_PAGE_SIZE))
      throw new BadParameter(`first: expected a whole number from 1 to ${MAX_PAGE_SIZE}, got "${first}"`);
    query.first = n;
  }
  const from = search.get('from');
  if (from !== null) query.from = instant(from, 'from');
  const to = search.get('to');
  if (to !== null) query.to = instant(to, 'to');
  if (query.from && query.to && query.from > query.to) throw new BadParameter('from: must not be later than to');
  const after = search.get('after');
  if (after !== null) {
    if (after === '') throw new BadParameter('after: must not be empty');
    query.after = after;
  }
  return query;
}

/** The route handler, for the gateway's `routes` (keyed by `ACCESS_LOG_PATH`). */
export function createAccessLogRoute(options: AccessLogRouteOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { store, verify } = options;
  const log = options.logger.child({ component: 'access-log-route' });
  const timeoutMs = options.writeTimeoutMs ?? 2000;
  const readTimeoutMs = options.readTimeoutMs ?? 2000;
  const denials = options.denials ?? directDenials(store, timeoutMs, log);

  return async (req, res) => {
    const askedAt = new Date();
    req.resume(); // no body is read; let the client finish sending one
    const existing = res.getHeader('x-request-id');
    const requestId = typeof existing === 'string' ? existing : requestIdFrom(req.headers['x-request-id']);
    res.setHeader('x-request-id', requestId);
    const headers = { 'cache-control': 'no-store' };

    if (req.method !== 'GET') {
      return sendJson(res, 405, { error: 'Use GET' }, { ...headers, allow: 'GET' });
    }
    const url = new URL(req.url ?? '/', 'http://gateway.invalid');
    const header = req.headers['x-purpose'];
    const stated = typeof header === 'string' ? header : undefined;
    const operationHash = sha256Hex(`${url.pathname}${url.search}`);
    const namedYouth = url.searchParams.get('youthId');
    const youthId = namedYouth !== null && YOUTH_ID.test(namedYouth) ? namedYouth : null;

    // The refusal stands at once; its record joins the denial batch.
    const denied = (reason: string, identity?: AccessIdentity) =>
      denials.enqueue(
        deniedEntry({
          identity,
          reason,
          requestId,
          purpose: purposeOf(stated, 'audit'),
          operationName: OPERATION_NAME,
          operationHash,
          youthId,
          at: askedAt,
        }),
      );

    let identity: AccessIdentity;
    try {
      identity = await verify(req.headers.authorization);
    } catch (err) {
      // Before anything is written: an address past its budget of failed authentications writes nothing.
      const verdict = options.limitUnauthenticated ? await options.limitUnauthenticated(req) : { allowed: true as const };
      if (!verdict.allowed) {
        return sendJson(
          res,
          429,
          { error: `Too many requests without a valid token. Retry in ${verdict.retryAfterSeconds} s.`, code: ErrorCode.RATE_LIMITED },
          { ...headers, 'retry-after': String(verdict.retryAfterSeconds) },
        );
      }
      denied(`unauthenticated: ${err instanceof Error ? err.message : String(err)}`);
      return sendJson(res, 401, { error: 'A valid bearer token is required' }, { ...headers, 'www-authenticate': 'Bearer' });
    }
    if (!hasScope(identity, AUDIT_SCOPE)) {
      denied(`missing scope ${AUDIT_SCOPE}`, identity);
      return sendJson(res, 403, { error: `Reading the access log needs the scope ${AUDIT_SCOPE}` }, headers);
    }

    let query: AccessLogQuery;
    try {
      query = parseAccessLogQuery(url.searchParams);
    } catch (err) {
      if (err instanceof BadParameter) return sendJson(res, 400, { error: err.message }, headers);
      throw err;
    }
    let page: AccessLogPage;
    try {
      page = await withDeadline(store.forYouth(query, { deadlineMs: readTimeoutMs }), readTimeoutMs);
    } catch (err) {
      if (err instanceof AccessLogQueryError) return sendJson(res, 400, { error: err.message }, headers);
      log.error({ err, requestId }, 'access log read failed');
      return sendJson(
        res,
        503,
        { error: 'The access log cannot be read right now', code: ACCESS_LOG_UNAVAILABLE },
        { ...headers, 'retry-after': '1' },
      );
    }

    try {
      await withDeadline(
        store.record(
          [
            {
              requestId,
              subject: identity.subject,
              organisation: identity.organisation ?? null,
              role: identity.role ?? null,
              youthId: query.youthId,
              categories: ['audit'],
              fields: ['access_log'],
              operationName: OPERATION_NAME,
              operationHash,
              purpose: purposeOf(stated, 'audit'),
              outcome: 'ALLOWED',
              reason: null,
              at: askedAt,
            },
          ],
          // Past the deadline the read is not released, and its entry never lands late.
          { deadlineMs: timeoutMs },
        ),
        timeoutMs,
      );
    } catch (err) {
      log.error({ err, requestId }, 'could not log an access-log read; not released');
      return sendJson(
        res,
        503,
        { error: 'The read could not be recorded, so the access log is not released', code: ACCESS_LOG_UNAVAILABLE },
        { ...headers, 'retry-after': '1' },
      );
    }
    return sendJson(res, 200, page, headers);
  };
}

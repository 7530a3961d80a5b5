/**
 * `GET /audit/access-log?youthId=...&from=...&to=...&first=...&after=...` on the gateway: an auditor
 * (scope `audit:read`) reads one young person's entries, newest first. Refusals are logged (DENIED, in
 * the denial batch, never waited for), and so is every read, before the answer leaves; when the read
 * cannot be logged, the log is not released. Every store call has its deadline (503 past it), and
 * unauthenticated callers are limited per client address before anything is written (429).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestIdFrom } from '../../platform/graphqlHttp.js';
import { sha256Hex } from '../../platform/hash.js';
import { sendJson } from '../../platform/httpJson.js';
import type { Logger } from '../../platform/logger.js';
import { withDeadline } from './deadline.js';
import type { DenialSink } from './denials.js';
import { ACCESS_LOG_UNAVAILABLE, deniedEntry, directDenials, hasScope, purposeOf, type AccessIdentity } from './plugin.js';
import {
  AccessLogQueryError,
  MAX_PAGE_SIZE,
  type AccessLogPage,
  type AccessLogEntry,
  type AccessLogQuery,
  type AccessLogWriter,
  type DeadlineOptions,
} from './store.js';
import { ErrorCode } from '../../platform/errorCodes.js';

export const ACCESS_LOG_PATH = '/audit/access-log';
export const AUDIT_SCOPE = 'audit:read';
export const DEFAULT_PAGE_SIZE = 50;
const OPERATION_NAME = `GET ${ACCESS_LOG_PATH}`;
const PARAMETERS = new Set(['youthId', 'from', 'to', 'first', 'after']);
/** What may stand as a young person's id in a request: 1 to 128 printable characters, no spaces. */
export const YOUTH_ID = /^[\x21-\x7e]{1,128}$/;
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

/** A date (midnight UTC) or a date-time with a zone; undefined for anything else. */
export function parseInstant(value: string): Date | undefined {
  const date = INSTANT.test(value) ? new Date(value) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}

function instant(value: string, name: string): Date {
  const date = parseInstant(value);
  if (!date) {
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

const NO_STORE = { 'cache-control': 'no-store' };

/** A request past the common front of the audit routes: the verified caller, who holds the route's scope. */
export interface CheckedRequest {
  identity: AccessIdentity;
  url: URL;
  requestId: string;
  /** Records the read and answers whether it may be released (false: a 503 was sent). */
  logRead(entry: Pick<AccessLogEntry, 'youthId' | 'categories' | 'fields' | 'legalBases'>, fallbackPurpose: string): Promise<boolean>;
}

/**
 * The common front of the audit routes (this one and gateway/accessLog/subjectAccessHttp.ts): GET only, a valid token
 * (unauthenticated callers limited before anything is written, 429), the route's scope; every refusal is
 * logged in the denial batch, never waited for. Resolves null when it has answered already.
 */
export function auditRouteFront(
  options: AccessLogRouteOptions,
  scope: string,
  operationName: string,
  log: Logger,
): (req: IncomingMessage, res: ServerResponse) => Promise<CheckedRequest | null> {
  const writeTimeoutMs = options.writeTimeoutMs ?? 2000;
  const denials = options.denials ?? directDenials(options.store, writeTimeoutMs, log);
  return async (req, res) => {
    const askedAt = new Date();
    req.resume(); // no body is read; let the client finish sending one
    const existing = res.getHeader('x-request-id');
    const requestId = typeof existing === 'string' ? existing : requestIdFrom(req.headers['x-request-id']);
    res.setHeader('x-request-id', requestId);
    if (req.method !== 'GET') {
      sendJson(res, 405, { error: 'Use GET' }, { ...NO_STORE, allow: 'GET' });
      return null;
    }
    const url = new URL(req.url ?? '/', 'http://gateway.invalid');
    const header = req.headers['x-purpose'];
    const stated = typeof header === 'string' ? header : undefined;
    const operationHash = sha256Hex(`${url.pathname}${url.search}`);
    const named = url.searchParams.get('youthId');
    // The refusal stands at once; its record joins the denial batch.
    const denied = (reason: string, identity?: AccessIdentity) =>
      denials.enqueue(
        deniedEntry({
          identity,
          reason,
          requestId,
          purpose: purposeOf(stated, 'audit'),
          operationName,
          operationHash,
          youthId: named !== null && YOUTH_ID.test(named) ? named : null,
          at: askedAt,
        }),
      );
    let identity: AccessIdentity;
    try {
      identity = await options.verify(req.headers.authorization);
    } catch (err) {
      // Before anything is written: an address past its budget of failed authentications writes nothing.
      const verdict = options.limitUnauthenticated ? await options.limitUnauthenticated(req) : { allowed: true as const };
      if (!verdict.allowed) {
        sendJson(
          res,
          429,
          { error: `Too many requests without a valid token. Retry in ${verdict.retryAfterSeconds} s.`, code: ErrorCode.RATE_LIMITED },
          { ...NO_STORE, 'retry-after': String(verdict.retryAfterSeconds) },
        );
        return null;
      }
      denied(`unauthenticated: ${err instanceof Error ? err.message : String(err)}`);
      sendJson(
        res,
        401,
        { error: 'A valid bearer token is required', code: ErrorCode.UNAUTHENTICATED },
        { ...NO_STORE, 'www-authenticate': 'Bearer' },
      );
      return null;
    }
    if (!hasScope(identity, scope)) {
      denied(`missing scope ${scope}`, identity);
      sendJson(res, 403, { error: `This needs the scope ${scope}`, code: ErrorCode.FORBIDDEN }, NO_STORE);
      return null;
    }
    const logRead: CheckedRequest['logRead'] = async (entry, fallbackPurpose) => {
      try {
        const record: AccessLogEntry = {
          requestId,
          subject: identity.subject,
          organisation: identity.organisation ?? null,
          role: identity.role ?? null,
          operationName,
          operationHash,
          purpose: purposeOf(stated, fallbackPurpose),
          outcome: 'ALLOWED',
          reason: null,
          at: askedAt,
          ...entry,
        };
        // Past the deadline the read is not released, and its entry never lands late.
        await withDeadline(options.store.record([record], { deadlineMs: writeTimeoutMs }), writeTimeoutMs);
        return true;
      } catch (err) {
        log.error({ err, requestId }, 'could not log a read; not released');
        sendJson(
          res,
          503,
          { error: 'The read could not be recorded, so nothing is released', code: ACCESS_LOG_UNAVAILABLE },
          { ...NO_STORE, 'retry-after': '1' },
        );
        return false;
      }
    };
    return { identity, url, requestId, logRead };
  };
}

/** The route handler, for the gateway's `routes` (keyed by `ACCESS_LOG_PATH`). */
export function createAccessLogRoute(options: AccessLogRouteOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const log = options.logger.child({ component: 'access-log-route' });
  const check = auditRouteFront(options, AUDIT_SCOPE, OPERATION_NAME, log);
  const readTimeoutMs = options.readTimeoutMs ?? 2000;

  return async (req, res) => {
    const checked = await check(req, res);
    if (!checked) return;
    let query: AccessLogQuery;
    try {
      query = parseAccessLogQuery(checked.url.searchParams);
    } catch (err) {
      if (err instanceof BadParameter) return sendJson(res, 400, { error: err.message, code: ErrorCode.BAD_USER_INPUT }, NO_STORE);
      throw err;
    }
    let page: AccessLogPage;
    try {
      page = await withDeadline(options.store.forYouth(query, { deadlineMs: readTimeoutMs }), readTimeoutMs);
    } catch (err) {
      if (err instanceof AccessLogQueryError) return sendJson(res, 400, { error: err.message, code: ErrorCode.BAD_USER_INPUT }, NO_STORE);
      log.error({ err, requestId: checked.requestId }, 'access log read failed');
      return sendJson(
        res,
        503,
        { error: 'The access log cannot be read right now', code: ACCESS_LOG_UNAVAILABLE },
        { ...NO_STORE, 'retry-after': '1' },
      );
    }
    const released = await checked.logRead({ youthId: query.youthId, categories: ['audit'], fields: ['access_log'] }, 'audit');
    if (!released) return;
    return sendJson(res, 200, page, NO_STORE);
  };
}

/**
 * `GET /audit/review?since=...` on the gateway (scope `audit:read`): the auditors' review list of need to
 * know (gateway/accessLog/review.ts): break-the-glass accesses with their reasons, and bulk readers. JSON by default,
 * a plain tab-separated table with `Accept: text/plain` or `?format=text`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../../platform/httpJson.js';
import type { Logger } from '../../platform/logger.js';
import type { Database } from '../../platform/db/database.js';
import { withDeadline } from './deadline.js';
import { AUDIT_SCOPE, parseInstant } from './http.js';
import { hasScope, type AccessIdentity } from './plugin.js';
import { reviewList, reviewTable } from './review.js';
import { ErrorCode } from '../../platform/errorCodes.js';

export const REVIEW_PATH = '/audit/review';
const DAY_MS = 86_400_000;

export interface ReviewRouteOptions {
  db: Database;
  verify: (authorization: string | undefined) => Promise<AccessIdentity>;
  logger: Logger;
  bulkThreshold: number;
  readTimeoutMs: number;
}

export function createReviewRoute(options: ReviewRouteOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const log = options.logger.child({ component: 'audit-review' });
  return async (req, res) => {
    req.resume();
    const headers = { 'cache-control': 'no-store' };
    if (req.method !== 'GET') return sendJson(res, 405, { error: 'Use GET' }, { ...headers, allow: 'GET' });
    let identity: AccessIdentity;
    try {
      identity = await options.verify(req.headers.authorization);
    } catch {
      return sendJson(res, 401, { error: 'Not authenticated', code: ErrorCode.UNAUTHENTICATED }, headers);
    }
    if (!hasScope(identity, AUDIT_SCOPE)) {
      return sendJson(res, 403, { error: `The review list needs scope ${AUDIT_SCOPE}`, code: ErrorCode.FORBIDDEN }, headers);
    }
    const url = new URL(req.url ?? '/', 'http://gateway.invalid');
    const sinceParam = url.searchParams.get('since');
    const since = sinceParam === null ? new Date(Date.now() - 7 * DAY_MS) : parseInstant(sinceParam);
    if (since === undefined) {
      return sendJson(
        res,
        400,
        { error: 'since must be a date or a date-time with a zone, e.g. 2026-11-01', code: ErrorCode.BAD_USER_INPUT },
        headers,
      );
    }
    try {
      const list = await withDeadline(
        reviewList(options.db, { since, bulkThreshold: options.bulkThreshold, limit: 1000 }),
        options.readTimeoutMs,
      );
      const text = url.searchParams.get('format') === 'text' || (req.headers.accept ?? '').startsWith('text/plain');
      if (!text) return sendJson(res, 200, list, headers);
      res.writeHead(200, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
      res.end(reviewTable(list));
    } catch (err) {
      log.error({ err }, 'review list unavailable');
      return sendJson(
        res,
        503,
        { error: 'The access log is unavailable', code: ErrorCode.ACCESS_LOG_UNAVAILABLE },
        { ...headers, 'retry-after': '5' },
      );
    }
  };
}

/**
 * The young person's own access to the log (issue 14, section 3), beside the auditors' GET /audit/access-log:
 *
 * - `GET /audit/access-log/own` (scope `audit:own`, the `youth` role): the entries about the caller
 *   themself (`sub` = their Youth.id) in the young person's view (role and organisation, never a staff
 *   member's id); another `youthId` answers 404 exactly as an unknown one would. Reading it is logged.
 * - `GET /audit/subject-report?youthId=...&format=json|html&lang=da|en` (scope `audit:read`): the subject
 *   access report (subjectReport.ts), HTML by default. The auditor's request is logged here; the dossier
 *   read it makes runs through the gateway and is logged there like any read.
 *
 * Both write their own entry before anything is released; past the deadline nothing is (503).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestIdFrom } from '../platform/graphqlHttp.js';
import { sha256Hex } from '../platform/hash.js';
import { sendJson } from '../platform/httpJson.js';
import type { Logger } from '../platform/logger.js';
import { withDeadline } from './deadline.js';
import type { DenialSink } from './denials.js';
import { BadParameter, parseAccessLogQuery, type AccessLogReader, type UnauthenticatedVerdict } from './http.js';
import { ACCESS_LOG_UNAVAILABLE, deniedEntry, directDenials, purposeOf, type AccessIdentity } from './plugin.js';
import { AccessLogQueryError, type AccessLogEntry } from './store.js';
import { gatherSubjectReport, subjectAccessEntry, type DossierAnswer } from './subjectReport.js';
import { renderSubjectReportHtml } from './subjectReportHtml.js';
import { isReportLanguage } from './subjectReportText.js';
import { ErrorCode } from '../platform/errorCodes.js';

export const OWN_ACCESS_LOG_PATH = '/audit/access-log/own';
export const SUBJECT_REPORT_PATH = '/audit/subject-report';
export const OWN_SCOPE = 'audit:own';
export const REPORT_SCOPE = 'audit:read';
const YOUTH_ID = /^[\x21-\x7e]{1,128}$/;
const REPORT_PARAMETERS = new Set(['youthId', 'format', 'lang']);

export interface SubjectAccessRouteOptions {
  store: AccessLogReader;
  verify: (authorization: string | undefined) => Promise<AccessIdentity>;
  logger: Logger;
  writeTimeoutMs?: number;
  readTimeoutMs?: number;
  denials?: DenialSink;
  limitUnauthenticated?: (req: IncomingMessage) => Promise<UnauthenticatedVerdict>;
}

export interface SubjectReportRouteOptions extends SubjectAccessRouteOptions {
  retentionDays: number;
  /** Reads the dossier through the gateway as the young person's own read, on the auditor's behalf. */
  readDossier: (youthId: string, onBehalfOf: { auditor: string; requestId: string }) => Promise<DossierAnswer>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

function hasScope(identity: AccessIdentity, scope: string): boolean {
  const scopes = identity.scopes;
  return Array.isArray(scopes) ? (scopes as readonly string[]).includes(scope) : (scopes as ReadonlySet<string>).has(scope);
}

const NO_STORE = { 'cache-control': 'no-store' };

interface Checked {
  identity: AccessIdentity;
  url: URL;
  requestId: string;
  askedAt: Date;
  stated: string | undefined;
  operationHash: string;
  /** Records the read and answers whether it may be released (false: a 503 was sent). */
  logRead(entry: Pick<AccessLogEntry, 'youthId' | 'categories' | 'fields' | 'legalBases'>, fallbackPurpose: string): Promise<boolean>;
}

/** The common front of both routes: GET only, a valid token with the scope, refusals logged. */
function front(
  options: SubjectAccessRouteOptions,
  scope: string,
  operationName: string,
): (req: IncomingMessage, res: ServerResponse) => Promise<Checked | null> {
  const log = options.logger.child({ component: 'subject-access-route' });
  const writeTimeoutMs = options.writeTimeoutMs ?? 2000;
  const denials = options.denials ?? directDenials(options.store, writeTimeoutMs, log);
  return async (req, res) => {
    const askedAt = new Date();
    req.resume();
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
    const logRead: Checked['logRead'] = async (entry, fallbackPurpose) => {
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
    return { identity, url, requestId, askedAt, stated, operationHash, logRead };
  };
}

/** `GET /audit/access-log/own`: the caller's own entries, nobody else's. */
export function createOwnAccessLogRoute(options: SubjectAccessRouteOptions): Handler {
  const check = front(options, OWN_SCOPE, `GET ${OWN_ACCESS_LOG_PATH}`);
  const log = options.logger.child({ component: 'subject-access-route' });
  const readTimeoutMs = options.readTimeoutMs ?? 2000;
  return async (req, res) => {
    const checked = await check(req, res);
    if (!checked) return;
    const own = checked.identity.subject;
    const search = new URLSearchParams(checked.url.search);
    const named = search.get('youthId');
    // Another young person's id is answered as an unknown id: nothing tells whether it exists.
    if (named !== null && named !== own) return sendJson(res, 404, { error: 'Not found', code: ErrorCode.NOT_FOUND }, NO_STORE);
    search.set('youthId', own);
    let page;
    try {
      const query = parseAccessLogQuery(search);
      page = await withDeadline(options.store.forYouth(query, { deadlineMs: readTimeoutMs }), readTimeoutMs);
    } catch (err) {
      if (err instanceof BadParameter || err instanceof AccessLogQueryError) return sendJson(res, 400, { error: err.message }, NO_STORE);
      log.error({ err, requestId: checked.requestId }, 'access log read failed');
      return sendJson(
        res,
        503,
        { error: 'The access log cannot be read right now', code: ACCESS_LOG_UNAVAILABLE },
        { ...NO_STORE, 'retry-after': '1' },
      );
    }
    const released = await checked.logRead(
      { youthId: own, categories: ['audit'], fields: ['access_log'], legalBases: { audit: 'SUBJECT_ACCESS' } },
      'the young person’s access to their own data (subject access)',
    );
    if (!released) return;
    return sendJson(res, 200, { entries: page.entries.map(subjectAccessEntry), pageInfo: page.pageInfo }, NO_STORE);
  };
}

/** `GET /audit/subject-report?youthId=...`: the subject access report, HTML (default) or JSON. */
export function createSubjectReportRoute(options: SubjectReportRouteOptions): Handler {
  const check = front(options, REPORT_SCOPE, `GET ${SUBJECT_REPORT_PATH}`);
  const log = options.logger.child({ component: 'subject-access-route' });
  return async (req, res) => {
    const checked = await check(req, res);
    if (!checked) return;
    const search = checked.url.searchParams;
    for (const name of new Set(search.keys())) {
      if (!REPORT_PARAMETERS.has(name))
        return sendJson(res, 400, { error: `${name}: unknown parameter (use youthId, format, lang)` }, NO_STORE);
      if (search.getAll(name).length > 1) return sendJson(res, 400, { error: `${name}: given more than once` }, NO_STORE);
    }
    const youthId = search.get('youthId');
    if (youthId === null || !YOUTH_ID.test(youthId)) {
      return sendJson(res, 400, { error: 'youthId: required, 1 to 128 printable characters' }, NO_STORE);
    }
    const format = search.get('format') ?? 'html';
    if (format !== 'html' && format !== 'json') return sendJson(res, 400, { error: `format: html or json, got "${format}"` }, NO_STORE);
    const lang = search.get('lang') ?? 'da';
    if (!isReportLanguage(lang)) return sendJson(res, 400, { error: `lang: da or en, got "${lang}"` }, NO_STORE);

    // Logged first: the auditor's request is on record whether or not the report can be produced.
    const released = await checked.logRead(
      { youthId, categories: ['audit'], fields: ['subject_report'], legalBases: { audit: 'SUBJECT_ACCESS' } },
      'subject access report (GDPR art. 15)',
    );
    if (!released) return;
    let report;
    try {
      report = await gatherSubjectReport(
        youthId,
        {
          readDossier: (id) => options.readDossier(id, { auditor: checked.identity.subject, requestId: checked.requestId }),
          log: options.store,
          retentionDays: options.retentionDays,
          ...(options.readTimeoutMs !== undefined ? { readTimeoutMs: options.readTimeoutMs } : {}),
        },
        { generatedBy: checked.identity.subject },
      );
    } catch (err) {
      log.error({ err, requestId: checked.requestId }, 'subject report failed');
      return sendJson(
        res,
        503,
        { error: 'The report cannot be produced right now', code: ErrorCode.SERVICE_UNAVAILABLE },
        { ...NO_STORE, 'retry-after': '1' },
      );
    }
    if (format === 'json') return sendJson(res, 200, report, NO_STORE);
    const html = renderSubjectReportHtml(report, lang);
    res.writeHead(200, {
      ...NO_STORE,
      'content-type': 'text/html; charset=utf-8',
      'content-length': String(Buffer.byteLength(html)),
      // Nothing runs in the report; nothing it holds is loaded from elsewhere.
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
      'x-content-type-options': 'nosniff',
    });
    res.end(html);
  };
}

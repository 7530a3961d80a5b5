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
import { sendJson } from '../../platform/httpJson.js';
import { withDeadline } from './deadline.js';
import { auditRouteFront, BadParameter, parseAccessLogQuery, YOUTH_ID, type AccessLogRouteOptions } from './http.js';
import { ACCESS_LOG_UNAVAILABLE } from './plugin.js';
import { AccessLogQueryError } from './store.js';
import { gatherSubjectReport, subjectAccessEntry, type DossierAnswer } from './subjectReport.js';
import { renderSubjectReportHtml } from './subjectReportHtml.js';
import { isReportLanguage } from './subjectReportText.js';
import { ErrorCode } from '../../platform/errorCodes.js';

export const OWN_ACCESS_LOG_PATH = '/audit/access-log/own';
export const SUBJECT_REPORT_PATH = '/audit/subject-report';
export const OWN_SCOPE = 'audit:own';
export const REPORT_SCOPE = 'audit:read';
const REPORT_PARAMETERS = new Set(['youthId', 'format', 'lang']);

export interface SubjectReportRouteOptions extends AccessLogRouteOptions {
  retentionDays: number;
  /** Reads the dossier through the gateway as the young person's own read, on the auditor's behalf. */
  readDossier: (youthId: string, onBehalfOf: { auditor: string; requestId: string }) => Promise<DossierAnswer>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const NO_STORE = { 'cache-control': 'no-store' };

/** `GET /audit/access-log/own`: the caller's own entries, nobody else's. */
export function createOwnAccessLogRoute(options: AccessLogRouteOptions): Handler {
  const log = options.logger.child({ component: 'subject-access-route' });
  const check = auditRouteFront(options, OWN_SCOPE, `GET ${OWN_ACCESS_LOG_PATH}`, log);
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
  const log = options.logger.child({ component: 'subject-access-route' });
  const check = auditRouteFront(options, REPORT_SCOPE, `GET ${SUBJECT_REPORT_PATH}`, log);
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

/**
 * The subject-access routes on the gateway (gateway/accessLog/subjectAccessHttp.ts) and the one thing they need from
 * it: a dossier read as the young person's own. The report's read runs through Apollo Server like any
 * request (field rules, the subgraphs' row and consent rules, the access log), under an identity that
 * is the young person's (role `youth`, their id as subject: the subgraphs admit that id only) and a
 * purpose that names the auditor who asked; it carries no user token, only the gateway's credential.
 */
import type { ApolloServer } from '@apollo/server';
import type { Logger } from 'pino';
import type { Identity } from '../platform/authentication/verifier.js';
import { loadAuditConfig } from './accessLog/config.js';
import {
  OWN_ACCESS_LOG_PATH,
  SUBJECT_REPORT_PATH,
  createOwnAccessLogRoute,
  createSubjectReportRoute,
} from './accessLog/subjectAccessHttp.js';
import { SUBJECT_DOSSIER_QUERY, SUBJECT_READ_SCOPES, type DossierAnswer } from './accessLog/subjectReport.js';
import { YOUTH_ROLE } from '../platform/authorization/legalBasis.js';
import { auditRouteOptions, type GatewaySecurity } from './authentication.js';
import type { GatewayContext } from './context.js';
import type { UnauthenticatedLimit } from './rateLimits.js';
import { ErrorCode } from '../platform/errorCodes.js';

const READ_SECONDS = 60;

/** The young person's own read, on an auditor's behalf (one credential per request: the token is unique). */
export function subjectReadContext(youthId: string, onBehalfOf: { auditor: string; requestId: string }): GatewayContext {
  const identity: Identity = {
    subject: youthId,
    role: YOUTH_ROLE,
    organisation: 'citizen',
    institution: null,
    unit: null,
    staffId: null,
    scopes: new Set(SUBJECT_READ_SCOPES),
    token: `subject-access:${onBehalfOf.requestId}:${youthId}`,
    expiresAt: Math.floor(Date.now() / 1000) + READ_SECONDS,
  };
  return {
    requestId: onBehalfOf.requestId,
    identity,
    defaultPurpose: `subject access report (GDPR art. 15) produced by auditor ${onBehalfOf.auditor}`.slice(0, 200),
    relations: new Map(),
  };
}

export function subjectAccessRoutes(
  access: GatewaySecurity,
  apollo: ApolloServer<GatewayContext>,
  logger: Logger,
  unauthenticated?: UnauthenticatedLimit,
) {
  const common = auditRouteOptions(access, logger, unauthenticated);
  const readDossier = async (youthId: string, onBehalfOf: { auditor: string; requestId: string }): Promise<DossierAnswer> => {
    const response = await apollo.executeOperation(
      { query: SUBJECT_DOSSIER_QUERY, variables: { id: youthId } },
      { contextValue: subjectReadContext(youthId, onBehalfOf) },
    );
    if (response.body.kind !== 'single') throw new Error('the dossier read answered incrementally');
    const result = response.body.singleResult;
    if (result.errors?.some((error) => error.extensions?.['code'] === ErrorCode.ACCESS_LOG_UNAVAILABLE))
      throw new Error('the dossier read could not be logged');
    return { data: result.data ?? null, errors: result.errors };
  };
  return {
    [OWN_ACCESS_LOG_PATH]: createOwnAccessLogRoute(common),
    [SUBJECT_REPORT_PATH]: createSubjectReportRoute({ ...common, retentionDays: loadAuditConfig().retentionDays, readDossier }),
  };
}

import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { loadAuthConfig } from '../platform/authentication/config.js';
import { createTokenVerifier, type Identity } from '../platform/authentication/verifier.js';
import { categoryOf as categoryOfScope, hasScopes, isRoleName, ROLES, type Scope } from '../platform/authorization/roles.js';
import type { AccessRules } from '../platform/authorization/rules.js';
import { loadAuditConfig } from './accessLog/config.js';
import { openAccessLog, type AccessLogStore } from './accessLog/store.js';
import { scheduleRetention } from './accessLog/retention.js';
import { accessLogPlugin, deniedEntry, type AccessIdentity } from './accessLog/plugin.js';
import { ACCESS_LOG_PATH, createAccessLogRoute, type AccessLogRouteOptions } from './accessLog/http.js';
import { REVIEW_PATH, createReviewRoute } from './accessLog/reviewHttp.js';
import { grantBreakTheGlass, loadBreakTheGlassConfig, statedReason, type BreakTheGlassConfig } from './breakTheGlass.js';
import { DenialQueue, type DenialSink } from './accessLog/denials.js';
import { accessLogDenialsNotWritten } from '../platform/metrics.js';
import type { GatewayContext } from './context.js';
import { instrumentAccessLog } from './metrics.js';
import { rateLimitedError, type UnauthenticatedLimit } from './rateLimits.js';
import { ErrorCode } from '../platform/errorCodes.js';

/**
 * Who may ask, and the record of what they saw: the token check that builds every request's context,
 * the access log written before personal data is released, and the auditors' route to read it.
 */
export interface GatewaySecurity {
  verify: (authorization: string | undefined) => Promise<Identity>;
  accessLog: AccessLogStore;
  writeTimeoutMs: number;
  /** Need to know: break-the-glass daily limit and the review list's bulk threshold (gateway/breakTheGlass.ts); default from process.env. */
  needToKnow?: BreakTheGlassConfig;
  /** The auditors' read of the log (`AUDIT_READ_TIMEOUT_MS`); default: `writeTimeoutMs`. */
  readTimeoutMs?: number;
  /** The batch refusals go to; default: one per access, from `denialsOf`. */
  denials?: DenialQueue;
  close(): Promise<void>;
}

const DEFAULT_DENIAL_QUEUE_MAX = 10_000;

function newDenialQueue(store: AccessLogStore, deadlineMs: number, maxEntries: number, logger: Logger): DenialQueue {
  return new DenialQueue({
    store: instrumentAccessLog(store),
    logger,
    deadlineMs,
    maxEntries,
    onDropped: (count) => accessLogDenialsNotWritten.inc({ reason: 'queue_full' }, count),
  });
}

const fallbackDenials = new WeakMap<GatewaySecurity, DenialSink>();

/** The batch refusals go to: the access's own, or one made for it (for an access built without one). */
export function denialsOf(access: GatewaySecurity, logger: Logger): DenialSink {
  if (access.denials) return access.denials;
  let denials = fallbackDenials.get(access);
  if (!denials)
    fallbackDenials.set(access, (denials = newDenialQueue(access.accessLog, access.writeTimeoutMs, DEFAULT_DENIAL_QUEUE_MAX, logger)));
  return denials;
}

export async function openGatewaySecurity(env: Record<string, string | undefined>, logger: Logger): Promise<GatewaySecurity> {
  const verifier = await createTokenVerifier(loadAuthConfig(env), logger.child({ component: 'auth' }));
  const audit = loadAuditConfig(env);
  const accessLog = await openAccessLog({
    url: audit.databaseUrl,
    dataDir: audit.dataDir,
    schema: audit.schema,
    logger: logger.child({ component: 'access-log' }),
  });
  const retention = scheduleRetention(accessLog, audit.retentionDays, logger);
  const denials = newDenialQueue(accessLog, audit.writeTimeoutMs, audit.denialQueueMax, logger);
  return {
    needToKnow: loadBreakTheGlassConfig(env),
    verify: (authorization) => verifier.verify(authorization),
    accessLog,
    writeTimeoutMs: audit.writeTimeoutMs,
    readTimeoutMs: audit.readTimeoutMs,
    denials,
    async close() {
      retention.stop();
      // The refusals still queued go in before the store closes (each write within its deadline).
      await denials.close();
      await accessLog.close();
    },
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Builds each request's context from a verified token. A refused token spends from its client address's
 * budget first (`unauthenticated`): over it, 429 and nothing is written; else the refusal joins the
 * denial batch and the answer, 401, leaves without waiting for the log.
 */
export function authenticatedContext(
  access: GatewaySecurity,
  logger: Logger,
  unauthenticated?: UnauthenticatedLimit,
  breakTheGlass: BreakTheGlassConfig = access.needToKnow ?? loadBreakTheGlassConfig(),
) {
  const denials = denialsOf(access, logger);
  return async (req: IncomingMessage, requestId: string): Promise<GatewayContext> => {
    const askedAt = new Date();
    const authorization = header(req, 'authorization');
    let identity: Identity;
    try {
      identity = await access.verify(authorization);
    } catch (error) {
      const verdict = unauthenticated ? await unauthenticated.spend(req) : { allowed: true as const };
      if (!verdict.allowed) throw rateLimitedError(verdict.retryAfterSeconds);
      const reason = error instanceof Error ? error.message : 'invalid token';
      denials.enqueue(deniedEntry({ reason: `token refused: ${reason}`, requestId, purpose: header(req, 'x-purpose'), at: askedAt }));
      throw new GraphQLError(`Not authenticated: ${reason}`, { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } } });
    }
    const role = identity.role !== null && isRoleName(identity.role) ? ROLES[identity.role] : undefined;
    // Need to know: a stated break-the-glass reason is checked and claimed before anything runs.
    const reason = statedReason(req);
    if (reason !== undefined) await grantBreakTheGlass(access.accessLog.db, identity.subject, breakTheGlass);
    return {
      authorization,
      requestId,
      identity,
      defaultPurpose: role?.defaultPurpose,
      relations: new Map(),
      ...(reason !== undefined ? { breakTheGlass: { reason } } : {}),
    };
  };
}

/**
 * The data categories a field discloses: the categories of the scopes that open it (docs/access.md).
 * Where several alternatives open a field, the one the caller holds names the category. `rules` may be
 * a getter: the supergraph's current rules (they change with a reload).
 */
export function categoriesFromRules(rules: AccessRules | (() => AccessRules)) {
  const current = typeof rules === 'function' ? rules : () => rules;
  return (coordinate: string, identity: AccessIdentity | undefined): readonly string[] | null => {
    const rule = current().fields.get(coordinate);
    if (!rule || rule.length === 0) return null;
    const granted = new Set(identity?.scopes ?? []);
    const held = rule.find((alternative) => hasScopes(granted, [alternative])) ?? rule[0]!;
    return [...new Set(held.map((scope) => categoryOfScope(scope as Scope)))];
  };
}

export function accessLogParts(
  access: GatewaySecurity,
  rules: AccessRules | (() => AccessRules),
  logger: Logger,
  unauthenticated?: UnauthenticatedLimit,
) {
  const denials = denialsOf(access, logger);
  return {
    plugin: accessLogPlugin<GatewayContext>({
      // Counted: writes in flight and their latency (gateway/metrics.ts).
      store: instrumentAccessLog(access.accessLog),
      categoryOf: categoriesFromRules(rules),
      logger: logger.child({ component: 'access-log' }),
      writeTimeoutMs: access.writeTimeoutMs,
      denials,
    }),
    routes: {
      [REVIEW_PATH]: createReviewRoute({
        db: access.accessLog.db,
        verify: access.verify,
        logger,
        bulkThreshold: (access.needToKnow ?? loadBreakTheGlassConfig()).bulkThreshold,
        readTimeoutMs: access.readTimeoutMs ?? access.writeTimeoutMs,
      }),
      [ACCESS_LOG_PATH]: createAccessLogRoute(auditRouteOptions(access, logger, unauthenticated)),
    },
  };
}

/** What every audit REST route (gateway/accessLog/http.ts, gateway/accessLog/subjectAccessHttp.ts) takes from the gateway's access. */
export function auditRouteOptions(access: GatewaySecurity, logger: Logger, unauthenticated?: UnauthenticatedLimit): AccessLogRouteOptions {
  return {
    store: access.accessLog,
    verify: access.verify,
    logger,
    writeTimeoutMs: access.writeTimeoutMs,
    readTimeoutMs: access.readTimeoutMs ?? access.writeTimeoutMs,
    denials: denialsOf(access, logger),
    limitUnauthenticated: unauthenticated ? (req) => unauthenticated.spend(req) : undefined,
  };
}

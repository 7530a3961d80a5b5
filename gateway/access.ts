import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { loadAuthConfig } from '../platform/auth/config.js';
import { createTokenVerifier, type Identity } from '../platform/auth/verifier.js';
import { categoryOf as categoryOfScope, hasScopes, isRoleName, ROLES, type Scope } from '../platform/access/roles.js';
import type { AccessRules } from '../platform/access/rules.js';
import { loadAuditConfig } from '../audit/config.js';
import { openAccessLog, type AccessLogStore } from '../audit/store.js';
import { scheduleRetention } from '../audit/retention.js';
import { accessLogPlugin, recordDenied, type AccessIdentity } from '../audit/plugin.js';
import { ACCESS_LOG_PATH, createAccessLogRoute } from '../audit/http.js';
import type { GatewayContext } from './context.js';
import { instrumentAccessLog } from './metrics.js';

/**
 * Who may ask, and the record of what they saw: the token check that builds every request's context,
 * the access log written before personal data is released, and the auditors' route to read it.
 */
export interface GatewayAccess {
  verify(authorization: string | undefined): Promise<Identity>;
  accessLog: AccessLogStore;
  writeTimeoutMs: number;
  close(): Promise<void>;
}

export async function openGatewayAccess(env: Record<string, string | undefined>, logger: Logger): Promise<GatewayAccess> {
  const verifier = await createTokenVerifier(loadAuthConfig(env), logger.child({ component: 'auth' }));
  const audit = loadAuditConfig(env);
  const accessLog = await openAccessLog({ url: audit.databaseUrl, dataDir: audit.dataDir, schema: audit.schema, logger: logger.child({ component: 'access-log' }) });
  const retention = scheduleRetention(accessLog, audit.retentionDays, logger);
  return {
    verify: (authorization) => verifier.verify(authorization),
    accessLog,
    writeTimeoutMs: audit.writeTimeoutMs,
    async close() {
      retention.stop();
      await accessLog.close();
    },
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Builds each request's context from a verified token; a refused token is logged and answered 401. */
export function authenticatedContext(access: GatewayAccess, logger: Logger) {
  return async (req: IncomingMessage, requestId: string): Promise<GatewayContext> => {
    const authorization = header(req, 'authorization');
    try {
      const identity = await access.verify(authorization);
      const role = identity.role !== null && isRoleName(identity.role) ? ROLES[identity.role] : undefined;
      return { authorization, requestId, identity, defaultPurpose: role?.defaultPurpose };
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'invalid token';
      await recordDenied({ store: access.accessLog, reason: `token refused: ${reason}`, requestId, purpose: header(req, 'x-purpose') }).catch((err: unknown) =>
        logger.error({ err, requestId }, 'could not record a refused token'),
      );
      throw new GraphQLError(`Not authenticated: ${reason}`, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
    }
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

export function accessLogParts(access: GatewayAccess, rules: AccessRules | (() => AccessRules), logger: Logger) {
  return {
    plugin: accessLogPlugin<GatewayContext>({
      // Counted: writes in flight and their latency (gateway/metrics.ts).
      store: instrumentAccessLog(access.accessLog),
      categoryOf: categoriesFromRules(rules),
      logger: logger.child({ component: 'access-log' }),
      writeTimeoutMs: access.writeTimeoutMs,
    }),
    routes: {
      [ACCESS_LOG_PATH]: createAccessLogRoute({ store: access.accessLog, verify: access.verify, logger, writeTimeoutMs: access.writeTimeoutMs }),
    },
  };
}

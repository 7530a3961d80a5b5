/**
 * Rate limits per subject and per client, weighted by what an operation costs.
 *
 * - Two budgets, both of which an operation must fit: the subject's (`sub`: one person or service
 *   account) and the client's (`azp`/`client_id`: the application the token was issued to; a token
 *   without one counts against its organisation, `org`). Budgets are points per fixed window.
 * - An operation spends max(1, ceil(cost / costUnit)) points, its cost measured the way the cost limit
 *   measures it (GraphQL Armor's, limits.ts): a dossier of one young person spends a few points, a long
 *   list far more.
 * - Counters live in the shared state (Redis when configured, platform/sharedState.ts), so every
 *   replica spends from the same budgets; while Redis is away each replica counts on its own.
 * - Over budget: HTTP 429, code `RATE_LIMITED`, `Retry-After` and `extensions.retryAfterSeconds`; the
 *   operation is refused in `didResolveOperation`, before anything is planned or asked of a subgraph,
 *   so no data is released, and it spends nothing (its points are given back). Health, readiness and
 *   metrics are not GraphQL and never limited.
 * - Requests without a valid token have no subject to count against: they spend from their client
 *   address's budget of failed authentications (the socket's address; the gateway trusts no
 *   X-Forwarded-For), checked before the refusal is written to the access log. Over it: 429
 *   `RATE_LIMITED` and nothing written, so a flood of bad tokens cannot flood the log. Requests with a
 *   valid token never spend from it.
 */
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { UnauthenticatedVerdict } from './accessLog/http.js';
import type { SharedState } from '../platform/sharedState.js';
import type { Identity } from '../platform/authentication/verifier.js';
import type { GatewayContext } from './context.js';
import type { TrafficConfig } from './config.js';
import { operationCost } from './limits.js';
import { ErrorCode } from '../platform/errorCodes.js';

export const RATE_LIMITED = ErrorCode.RATE_LIMITED;

export type RateLimitConfig = TrafficConfig['rateLimit'];

/** Points an operation of `cost` spends. */
export function weightOf(cost: number, costUnit: number): number {
  return Math.max(1, Math.ceil(cost / costUnit));
}

/** The client a token counts against: `azp`/`client_id`, else its organisation, else its subject. */
export function clientKeyOf(identity: Pick<Identity, 'clientId' | 'organisation' | 'subject'>): string {
  if (identity.clientId) return `client:${identity.clientId}`;
  if (identity.organisation) return `org:${identity.organisation}`;
  return `sub:${identity.subject}`;
}

export function rateLimitedError(retryAfterSeconds: number): GraphQLError {
  return new GraphQLError(`Too many requests: rate limit exceeded. Retry later, in ${retryAfterSeconds} s.`, {
    extensions: {
      code: RATE_LIMITED,
      retryAfterSeconds,
      http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfterSeconds)]]) },
    },
  });
}

export interface RateLimits {
  /** Spends `points` from both budgets; answers the seconds to wait when either is exhausted. */
  spend(identity: Identity, points: number): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }>;
}

export function createRateLimits(state: SharedState, config: RateLimitConfig, logger: Logger): RateLimits {
  const log = logger.child({ component: 'rate-limits' });
  const budgets: { limiter: RateLimiterAbstract; key: (identity: Identity) => string }[] = [];
  if (config.subjectPoints > 0) {
    budgets.push({
      limiter: state.rateLimiter({ name: 'subject', points: config.subjectPoints, durationSeconds: config.windowSeconds }),
      key: (identity) => identity.subject,
    });
  }
  if (config.clientPoints > 0) {
    budgets.push({
      limiter: state.rateLimiter({ name: 'client', points: config.clientPoints, durationSeconds: config.windowSeconds }),
      key: clientKeyOf,
    });
  }

  return {
    async spend(identity, points) {
      const outcomes = await Promise.allSettled(budgets.map(({ limiter, key }) => limiter.consume(key(identity), points)));
      let limited = false;
      let waitMs = 0;
      for (const outcome of outcomes) {
        if (outcome.status === 'fulfilled') continue;
        if (outcome.reason instanceof RateLimiterRes) {
          limited = true;
          waitMs = Math.max(waitMs, outcome.reason.msBeforeNext);
        } else {
          // Neither Redis nor the in-memory insurance could count: let the request through, say so.
          log.error({ err: outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason) }, 'rate limit not counted');
        }
      }
      if (!limited) return { allowed: true };
      // Nothing runs, so nothing is spent: a refused operation gives its points back to every budget (a
      // refused consume has counted them too), and a client that waits gets its whole budget.
      await Promise.allSettled(
        budgets.map(({ limiter, key }, i) =>
          outcomes[i]!.status === 'fulfilled' || outcomes[i]!.reason instanceof RateLimiterRes
            ? limiter.reward(key(identity), points)
            : Promise.resolve(),
        ),
      );
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    },
  };
}

/** The address a request's failed authentications count against: the socket's peer (IPv4-mapped IPv6 as IPv4). */
export function clientAddressOf(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? 'unknown';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

export interface UnauthenticatedLimit {
  /** Spends one failed authentication from the request's address; over budget, the seconds to wait. */
  spend(req: IncomingMessage): Promise<UnauthenticatedVerdict>;
}

/** The budget of failed authentications per client address (`RATE_LIMIT_UNAUTHENTICATED_POINTS` per window). */
export function createUnauthenticatedLimit(
  state: SharedState,
  config: RateLimitConfig,
  logger: Logger,
  onLimited: () => void = () => undefined,
): UnauthenticatedLimit {
  const log = logger.child({ component: 'rate-limits' });
  if (config.unauthenticatedPoints === 0) return { spend: async () => ({ allowed: true }) };
  const limiter = state.rateLimiter({
    name: 'unauthenticated',
    points: config.unauthenticatedPoints,
    durationSeconds: config.windowSeconds,
  });
  return {
    async spend(req) {
      const address = clientAddressOf(req);
      try {
        await limiter.consume(address, 1);
        return { allowed: true };
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) {
          log.error({ err: error instanceof Error ? error.message : String(error) }, 'unauthenticated rate limit not counted');
          return { allowed: true };
        }
        onLimited();
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)) };
      }
    },
  };
}

/** Apollo Server plugin: spends each operation's weight before it runs; over budget, it does not run. */
export function rateLimitPlugin(limits: RateLimits, config: RateLimitConfig, logger: Logger): ApolloServerPlugin<GatewayContext> {
  const log = logger.child({ component: 'rate-limits' });
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(requestContext) {
          const identity = requestContext.contextValue.identity;
          if (!identity) return; // no access control configured: nobody to count against
          // Measured first, synchronously: later plugins (the access log) may replace the document.
          const cost = operationCost(requestContext.schema, requestContext.document);
          const verdict = await limits.spend(identity, weightOf(cost, config.costUnit));
          if (verdict.allowed) return;
          log.info(
            { requestId: requestContext.contextValue.requestId, sub: identity.subject, client: clientKeyOf(identity), cost },
            'rate limited',
          );
          throw rateLimitedError(verdict.retryAfterSeconds);
        },
      };
    },
  };
}

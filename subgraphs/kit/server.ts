import { readFileSync } from 'node:fs';
import type { IncomingMessage, RequestListener } from 'node:http';
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from './resolverMap.js';
import { GraphQLError, parse } from 'graphql';
import type { Logger } from 'pino';
import { createGraphQLHandler } from '../../platform/graphqlHttp.js';
import { breakersCheck, Health } from '../../platform/health.js';
import { METRICS_PATH, metricsRoute, requestMetricsPlugin } from '../../platform/metrics.js';
import { subgraphRequestObserver, SYSTEMS_PART, wireSystemResilienceMetrics } from './metrics.js';
import { formatSubgraphError } from './errors.js';
import { readSubgraphRules } from '../../platform/authorization/rules.js';
import { enforceArgumentRules, enforceFieldRules } from '../../platform/authorization/subgraphRules.js';
import { committedArgumentGuards } from '../../platform/authorization/argumentRules.js';
import { BREAK_THE_GLASS_GRANTED_HEADER } from '../../platform/authorization/relation.js';
import { ANSWER_VARIES_HEADER, formatClaimSet, trackClaimReads } from '../../platform/authorization/answerVaries.js';
import { todayIso } from './dates.js';
import { ErrorCode } from '../../platform/errorCodes.js';

/** Who calls, as the verified token says (see docs/access.md). */
export interface CallerIdentity {
  subject: string;
  role: string | null;
  organisation: string | null;
  /** The partner institution the token is bound to; null for municipal staff. */
  institution: string | null;
  /** `unit` claim (need to know, platform/authorization/relation.ts): UU, JOBCENTER, CONTACT_PERSON or a social unit. */
  unit?: string | null;
  /** `staff_id` claim: the caller's id in the system that names them (initials, JC-001, SB-01, a contact person's id). */
  staffId?: string | null;
  scopes: ReadonlySet<string>;
}

/** What every subgraph's context carries; each subgraph adds its own loaders. */
export interface SubgraphContext extends BaseContext {
  requestId: string;
  /** The gateway's credential this call came with (never a user's token: those are refused). */
  authorization: string | undefined;
  identity: CallerIdentity;
  /** The claims of `identity` read while answering (platform/authorization/answerVaries.ts), told to the gateway. */
  claimsRead?: ReadonlySet<string>;
  /** The client's `Idempotency-Key`, passed on by the gateway with a mutation (see the coordination's mutations). */
  idempotencyKey?: string;
  /**
   * The gateway granted this request a break-the-glass access (docs/access.md, "Need to know"): read only
   * from the gateway's authenticated call (a user's own token never gets this far), never from a client.
   */
  breakTheGlass?: boolean;
  /**
   * The municipality's calendar day this request is answered for (`YYYY-MM-DD`): ages, what is active,
   * whose consent is needed. Today, unless the stack pins it (`npm start` and the tests pin it to the
   * population's day), and then the same day in every subgraph.
   */
  today: string;
}

/**
 * Verifies the gateway's credential for subgraph `subgraph` (subgraphs/kit/auth.ts); throws when it is
 * missing or not acceptable, and the request is answered 401 before any GraphQL runs.
 */
export type Authenticate = (authorization: string | undefined, subgraph: string) => Promise<CallerIdentity>;

export function loadSchema(schemaUrl: URL): string {
  return readFileSync(schemaUrl, 'utf8');
}

export interface SubgraphOptions<TContext extends SubgraphContext> {
  name: string;
  typeDefs: string;
  resolvers: GraphQLResolverMap<TContext>;
  /** Only the gateway may call: every request's gateway credential is verified here, `_service` and `_entities` included. */
  authenticate: Authenticate;
  /** Adds the subgraph's own per-request state (its DataLoaders) to the verified base context. */
  context: (base: SubgraphContext) => TContext | Promise<TContext>;
  logger: Logger;
  /** The subgraph's own Apollo Server plugins, after the kit's. */
  plugins?: ApolloServerPlugin<TContext>[];
  /** The day requests are answered for (`SubgraphContext.today`); default today. */
  today?: () => string;
}

export interface BuiltSubgraph<TContext extends SubgraphContext> {
  name: string;
  apollo: ApolloServer<TContext>;
  /** `/healthz`, `/readyz`; add the subgraph's own readiness checks (`health.addCheck`), e.g. its database. */
  health: Health;
  /** Starts Apollo Server and answers the node:http request listener to mount or listen with. */
  start(): Promise<RequestListener>;
  stop(): Promise<void>;
}

/**
 * Tells the gateway which of the caller's claims this answer read (platform/authorization/answerVaries.ts):
 * another caller with the same values of those claims would get the same answer, so the gateway may
 * share it. The set is complete when the response is sent: every resolver has run.
 */
function answerVariesPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          // Apollo hands each operation a shallow copy of the context: the set is the one the resolvers filled.
          const read = (contextValue as Partial<SubgraphContext>).claimsRead;
          if (read) response.http.headers.set(ANSWER_VARIES_HEADER, formatClaimSet(read));
        },
      };
    },
  };
}

/** Builds (never listens) a federation subgraph: schema, error policy, health route. */
export function createSubgraph<TContext extends SubgraphContext>(options: SubgraphOptions<TContext>): BuiltSubgraph<TContext> {
  // The same field rules the gateway enforces, read from this subgraph's own SDL: a call that bypasses
  // the gateway gets nothing more.
  const scopesOf = (context: unknown) => (context as Partial<SubgraphContext>).identity?.scopes ?? null;
  // And the argument rules, checked after the field's own: a filter needs the scopes of the data it filters
  // on, whose rule may sit in another subgraph's SDL (`Youth.school` for the coordination's `youths`), so
  // they come from the supergraph.
  const argumentRuled = enforceArgumentRules(
    buildSubgraphSchema([{ typeDefs: parse(options.typeDefs), resolvers: options.resolvers as GraphQLResolverMap<unknown> }]),
    committedArgumentGuards(),
    scopesOf,
  );
  const schema = enforceFieldRules(argumentRuled, readSubgraphRules(options.typeDefs), scopesOf);
  const apollo = new ApolloServer<TContext>({
    schema,
    logger: options.logger,
    formatError: formatSubgraphError,
    includeStacktraceInErrorResponses: false,
    // The gateway is the only intended client: no page to land on, and no usage traces to send anyone.
    // No cache-control plugin either: no field here has a cache hint, and its per-field hook (it wraps
    // every resolver) cost ~5% of a subgraph's CPU in the dossier load; the gateway reads a missing
    // Cache-Control as max-age 0, what the plugin said anyway.
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      requestMetricsPlugin<TContext>(options.name),
      answerVariesPlugin<TContext>(),
      ...(options.plugins ?? []),
    ],
    stopOnTerminationSignals: false,
  });
  const health = new Health();
  // The systems' breakers are reported, never a reason to be unready: the other fields still answer.
  health.addCheck('breakers', breakersCheck(SYSTEMS_PART));
  wireSystemResilienceMetrics();
  return {
    name: options.name,
    apollo,
    health,
    async start() {
      await apollo.start();
      health.markReady();
      return createGraphQLHandler<TContext>({
        apollo,
        context: async (req: IncomingMessage, requestId: string) => {
          const header = req.headers.authorization;
          const authorization = typeof header === 'string' ? header : undefined;
          let identity: CallerIdentity;
          try {
            identity = await options.authenticate(authorization, options.name);
          } catch (error) {
            const reason = error instanceof Error ? error.message : 'invalid token';
            throw new GraphQLError(`Not authenticated: ${reason}`, {
              extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } },
            });
          }
          const idempotencyKey = req.headers['idempotency-key'];
          const breakTheGlass = req.headers[BREAK_THE_GLASS_GRANTED_HEADER] === '1';
          // Every claim read from here on is one the answer may depend on (answerVariesPlugin).
          const tracked = trackClaimReads(identity);
          return options.context({
            requestId,
            authorization,
            identity: tracked.identity,
            claimsRead: tracked.read,
            today: (options.today ?? todayIso)(),
            ...(typeof idempotencyKey === 'string' && idempotencyKey !== '' ? { idempotencyKey } : {}),
            ...(breakTheGlass ? { breakTheGlass } : {}),
          });
        },
        logger: options.logger,
        health,
        routes: { [METRICS_PATH]: metricsRoute },
        onRequestEnd: subgraphRequestObserver(options.name),
      });
    },
    async stop() {
      health.markStopped();
      await apollo.stop();
    },
  };
}

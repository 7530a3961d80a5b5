/**
 * Builds the gateway (never listens; `main.ts` does): ApolloGateway over the static, composed supergraph
 * (no IntrospectAndCompose: the committed `schema/supergraph.graphql` is the contract), one
 * SubgraphDataSource per subgraph, Apollo Server with the error policy, and the node:http handler.
 */
import { readFile } from 'node:fs/promises';
import type { RequestListener } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { Kind, parse } from 'graphql';
import type { Logger } from 'pino';
import { envNameOf, type GatewayConfig } from './config.js';
import type { GatewayContext } from './context.js';
import { createFormatError } from './errors.js';
import { Health } from '../platform/health.js';
import { createGraphQLHandler } from '../platform/graphqlHttp.js';
import { gatewayContext } from './context.js';
import { withFieldAuthorization } from './fieldAuthorization.js';
import { hardening } from './limits.js';
import { accessLogParts, authenticatedContext, type GatewaySecurity } from './authentication.js';
import { SubgraphDataSource } from './subgraphDataSource.js';
import { withOperationCoalescing } from './operationCoalescing.js';
import { prepareSupergraph, SupergraphSource } from './reload.js';
import { countQueryPlanCache, gatewayMetricsPlugin, observeGatewayRequest, wireSubgraphResilienceMetrics } from './metrics.js';
import { accessLogDenialsNotWritten, METRICS_PATH, metricsRoute, recordCacheLookup } from '../platform/metrics.js';
import { breakersCheck, databaseCheck } from '../platform/health.js';
import { requestDeadlinePlugin } from './resilience.js';
import { openSharedState, type KeyValueCache, type SharedState } from '../platform/sharedState.js';
import { loadSafelist, partnerSafelistPlugin, type Safelist } from './persistedOperations.js';
import { createRateLimits, createUnauthenticatedLimit, rateLimitPlugin } from './rateLimits.js';
import { operationResolutionPlugin } from './operationResolution.js';
import { createPlanExecution } from './planExecution/executor.js';
import { subjectAccessRoutes } from './subjectAccess.js';
import { frontendRoutes } from './frontends.js';
import { ideIntrospection } from './ide/introspection.js';
import {
  createGatewayCredentials,
  loadGatewaySigningConfig,
  type GatewayCredentials,
} from '../platform/authentication/gatewayCredential.js';

export interface CreateGatewayOptions {
  config: GatewayConfig;
  logger: Logger;
  /** The composed supergraph; when absent it is read from `supergraphPath` (default: `config.supergraphPath`). */
  supergraphSdl?: string;
  supergraphPath?: string;
  /** Subgraph URLs by subgraph name; win over `SUBGRAPH_<NAME>_URL` and the supergraph's own urls. */
  subgraphUrls?: Readonly<Record<string, string>>;
  /**
   * Rewrites the supergraph before ApolloGateway loads it. The place for the access rules: the gateway
   * refuses a supergraph that links `@requiresScopes`/`@authenticated`, so they are read and stripped here.
   */
  prepareSupergraph?: (supergraphSdl: string) => string;
  /** Further Apollo Server plugins. */
  plugins?: ApolloServerPlugin<GatewayContext>[];
  /**
   * Token checks and the access log (gateway/authentication.ts). main.ts and the stack always give it; without
   * it every caller is anonymous, so every field with a rule is removed.
   */
  access?: GatewaySecurity;
  /**
   * What replicas share (APQ, caches, rate-limit counters). When absent it is opened from
   * `config.sharedState` (Redis with REDIS_URL, memory otherwise) and closed by `stop()`.
   */
  sharedState?: SharedState;
  /** The partners' safelist; when absent it is read from `config.traffic.partnerManifestPath`. */
  safelist?: Safelist;
  /**
   * Signs the gateway's credential to the subgraphs (platform/authentication/gatewayCredential.ts), which replaces
   * the client's token on every subgraph call. When absent it is made from GATEWAY_SIGNING_KEY in
   * `process.env` (development: the local gateway key).
   */
  credentials?: GatewayCredentials;
}

export interface Gateway {
  apollo: ApolloServer<GatewayContext>;
  gateway: ApolloGateway;
  health: Health;
  /** node:http request listener: `/graphql`, `/healthz`. */
  handler: RequestListener;
  /** The URL each subgraph is called at, by subgraph name. */
  subgraphUrls: Readonly<Record<string, string>>;
  /** The supergraph being served, its rules, its hot reload (`supergraph.check()` reads the file now). */
  supergraph: SupergraphSource;
  /** Redis or memory: what this replica shares with the others. */
  sharedState: SharedState;
  /** Loads the supergraph and starts Apollo Server; `/healthz` turns 200 once done. */
  start(): Promise<void>;
  /** `/healthz`, `/readyz` and `/graphql` turn 503, then Apollo Server and the gateway stop (the watch too). */
  stop(): Promise<void>;
}

/** The `join__graph` urls of a supergraph, by subgraph name. */
export function supergraphUrls(supergraphSdl: string): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const definition of parse(supergraphSdl).definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    for (const value of definition.values ?? []) {
      const directive = value.directives?.find((d) => d.name.value === 'join__graph');
      const arg = (name: string) => {
        const node = directive?.arguments?.find((a) => a.name.value === name)?.value;
        return node?.kind === Kind.STRING ? node.value : undefined;
      };
      const name = arg('name');
      const url = arg('url');
      if (name && url) urls[name] = url;
    }
  }
  return urls;
}

/** Where to call subgraph `name`: explicit option, then SUBGRAPH_<NAME>_URL, then the supergraph's url. */
export function resolveSubgraphUrl(
  name: string,
  supergraphUrl: string | undefined,
  config: Pick<GatewayConfig, 'subgraphUrlOverrides'>,
  explicit: Readonly<Record<string, string>> = {},
): string | undefined {
  return explicit[name] ?? config.subgraphUrlOverrides[envNameOf(name)] ?? supergraphUrl;
}

async function loadSupergraph(options: CreateGatewayOptions): Promise<string> {
  if (options.supergraphSdl !== undefined) return options.supergraphSdl;
  const path = options.supergraphPath ?? options.config.supergraphPath;
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read the supergraph at ${path} (run \`npm run compose\`): ${(error as Error).message}`, { cause: error });
  }
}

export async function createGateway(options: CreateGatewayOptions): Promise<Gateway> {
  const { config, logger } = options;
  // @apollo/gateway otherwise reports anonymous usage data to Apollo every hour (checked in its
  // constructor). Municipal data stays home, and many of these networks cannot reach Apollo anyway.
  process.env.APOLLO_TELEMETRY_DISABLED = '1';

  const composed = await loadSupergraph(options);
  // The field rules are read before they are stripped: @apollo/gateway refuses a supergraph that links
  // the security directives, so the gateway enforces them itself (filterOperation), as Apollo Router does.
  // The same steps check a changed supergraph file before the gateway switches to it (reload.ts).
  const prepare = {
    prepareSupergraph: options.prepareSupergraph,
    readUrls: supergraphUrls,
    resolveUrl: (name: string, url: string) => resolveSubgraphUrl(name, url, config, options.subgraphUrls),
  };
  const supergraph = new SupergraphSource({
    initial: prepareSupergraph(composed, prepare),
    prepare,
    logger,
    path: options.supergraphSdl === undefined ? (options.supergraphPath ?? config.supergraphPath) : undefined,
    reload: config.supergraphReload,
    pollMs: config.supergraphPollMs,
  });

  const known = supergraph.urls;
  const subgraphUrls: Record<string, string> = {};
  for (const [name, url] of Object.entries(known)) {
    subgraphUrls[name] = resolveSubgraphUrl(name, url, config, options.subgraphUrls) ?? url;
  }
  const knownEnvNames = new Set(Object.keys(known).map(envNameOf));
  for (const envName of Object.keys(config.subgraphUrlOverrides)) {
    if (!knownEnvNames.has(envName))
      logger.warn({ variable: `SUBGRAPH_${envName}_URL` }, 'URL override names no subgraph of the supergraph');
  }

  const subgraphLogger = logger.child({ component: 'subgraph-call' });
  const credentials = options.credentials ?? (await createGatewayCredentials(loadGatewaySigningConfig(process.env), logger));
  // Plans from Apollo's planner, run by our executor once an operation has been seen (gateway/planExecution/).
  const planExecution = config.performance.ownPlanExecutor ? createPlanExecution() : undefined;
  const gateway = new ApolloGateway({
    supergraphSdl: supergraph.manager,
    ...(planExecution ? { experimental_didResolveQueryPlan: planExecution.didResolveQueryPlan } : {}),
    logger,
    // The experimental query-plan extension describes internals; clients get none of it.
    __exposeQueryPlanExperimental: false,
    // Each fetch carries its parsed operation: the data source tells a query (which may share an
    // identical call in flight, or be joined with its siblings) from a mutation without parsing it again.
    queryPlannerConfig: { exposeDocumentNodeInFetchNode: true },
    buildService: ({ name, url }) => {
      const target = resolveSubgraphUrl(name, url, config, options.subgraphUrls);
      if (!target) throw new Error(`No URL for subgraph "${name}": set SUBGRAPH_${envNameOf(name)}_URL`);
      return new SubgraphDataSource({
        name,
        url: target,
        timeoutMs: config.subgraphTimeoutMs,
        breaker: config.resilience,
        logger: subgraphLogger,
        deduplicate: config.performance.deduplicateSubgraphCalls,
        batch: config.performance.batchSubgraphFetches,
        credentials,
      });
    },
  });

  const health = new Health(config.lifecycle.readinessTimeoutMs, logger.child({ component: 'health' }));
  gateway.onSchemaLoadOrUpdate(supergraph.onSchemaLoadOrUpdate);
  gateway.onSchemaLoadOrUpdate(() => logger.debug('supergraph loaded'));
  countQueryPlanCache(gateway);
  wireSubgraphResilienceMetrics();
  // Ready: the supergraph is loaded (a rejected newer file is reported, the old one still serves), the
  // access log's database answers, and the subgraph breakers are reported (an open one leaves the
  // gateway ready: it answers everything but that subgraph's fields).
  health.addCheck('supergraph', () => ({ ok: supergraph.state.loaded !== undefined, detail: supergraph.state }));
  if (options.access) health.addCheck('accessLog', databaseCheck(options.access.accessLog.db));
  health.addCheck('breakers', breakersCheck('gateway'));

  const hardened = hardening({ production: config.production, limits: config.limits });
  // IDE=scoped: introspection on in Apollo Server, and refused to tokens without schema:read.
  const introspectionByIde = ideIntrospection(config.ide);
  const safelist = options.safelist ?? (await loadSafelist(config.traffic.partnerManifestPath));
  const sharedState = options.sharedState ?? (await openSharedState(config.sharedState, logger));
  if (config.production && sharedState.kind === 'memory') {
    logger.warn('no REDIS_URL: automatic persisted queries and rate limits are kept per replica, not shared');
  }
  const sharedCache = sharedState.cache('');
  const rateLimits = createRateLimits(sharedState, config.traffic.rateLimit, logger);
  // Failed authentications per client address, checked before a refusal is written (access.ts).
  const unauthenticated = createUnauthenticatedLimit(sharedState, config.traffic.rateLimit, logger, () =>
    accessLogDenialsNotWritten.inc({ reason: 'rate_limited' }),
  );
  const accessLog = options.access ? accessLogParts(options.access, supergraph.currentRules, logger, unauthenticated) : undefined;
  // Redis away leaves the gateway ready (caches miss, limits count per replica); /readyz says so.
  health.addCheck('sharedState', () => ({ ok: true, detail: { store: sharedState.kind, available: sharedState.available } }));
  // Look-ups of automatic persisted queries, as cache hits and misses in /metrics.
  const persistedQueryCache: KeyValueCache<string> = {
    get: async (key) => {
      const query = await sharedCache.get(key);
      recordCacheLookup('persisted_operation', query !== undefined);
      return query;
    },
    set: (key, value, setOptions) => sharedCache.set(key, value, setOptions),
    delete: (key) => sharedCache.delete(key),
  };
  const executing = planExecution ? planExecution.wrap(gateway) : gateway;
  const apollo = new ApolloServer<GatewayContext>({
    // Field rules per operation; identical queries in flight (same token) then run once (performance).
    gateway: config.performance.coalesceOperations
      ? withOperationCoalescing(withFieldAuthorization(executing, supergraph.rulesFor))
      : withFieldAuthorization(executing, supergraph.rulesFor),
    logger,
    formatError: createFormatError(logger),
    includeStacktraceInErrorResponses: false,
    ...hardened.apolloOptions,
    ...introspectionByIde.apolloOptions,
    validationRules: hardened.validationRules,
    // main.ts owns shutdown (stop accepting, drain, then stop Apollo); Apollo's own handlers would
    // stop it first and re-raise the signal, killing the process before the drain.
    stopOnTerminationSignals: false,
    // Automatic persisted queries in the shared cache (keys `<prefix>apq:<sha256>`): registered on one
    // replica, known to all. Apollo Server's own cache is the shared one too.
    cache: sharedCache,
    persistedQueries: { cache: persistedQueryCache, ttl: config.traffic.apqTtlSeconds },
    plugins: [
      // First: an operationName that picks no operation is a 400 before any other plugin sees the request.
      operationResolutionPlugin<GatewayContext>(),
      // Operation name and outcome of each request, errors by code (metrics.ts).
      gatewayMetricsPlugin<GatewayContext>(),
      // Apollo's default landing page loads from a CDN these networks cannot reach; GraphiQL is at /ide/ (gateway/ide/).
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      // Starts the request's deadline, which bounds every subgraph call (resilience.ts).
      requestDeadlinePlugin(config.resilience.requestDeadlineMs),
      ...hardened.plugins,
      ...introspectionByIde.plugins,
      partnerSafelistPlugin({ safelist, logger }),
      // Before the access log's plugin, which rewrites the document: the cost is the client's operation's.
      rateLimitPlugin(rateLimits, config.traffic.rateLimit, logger),
      ...(accessLog ? [accessLog.plugin] : []),
      ...(options.plugins ?? []),
    ],
  });

  const handler = createGraphQLHandler<GatewayContext>({
    apollo,
    logger,
    health,
    context: options.access ? authenticatedContext(options.access, logger, unauthenticated) : gatewayContext,
    routes: {
      ...frontendRoutes(config, logger),
      ...accessLog?.routes,
      // The young person's own access history and the auditors' subject access report (issue 14).
      ...(options.access ? subjectAccessRoutes(options.access, apollo, logger, unauthenticated) : {}),
      [METRICS_PATH]: metricsRoute,
    },
    onRequestEnd: observeGatewayRequest,
  });

  return {
    apollo,
    gateway,
    health,
    handler,
    subgraphUrls,
    supergraph,
    sharedState,
    async start() {
      await apollo.start();
      health.markReady();
      logger.info({ subgraphs: subgraphUrls }, 'gateway ready');
    },
    async stop() {
      health.markStopped();
      await apollo.stop();
      if (!options.sharedState) await sharedState.close();
    },
  };
}

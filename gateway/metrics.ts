/**
 * The gateway's part of the metrics (platform/metrics.ts names them all):
 * - request latency per operation name and outcome, measured at the HTTP layer (the access-log write,
 *   which holds the answer back, included); the operation name and outcome come from a plugin;
 * - errors by code, as the client receives them;
 * - query-plan cache hits and misses;
 * - the access log's writes in flight and their latency;
 * - subgraph calls and the subgraph breakers (from gateway/resilience.ts' observers).
 */
import type { ApolloGateway } from '@apollo/gateway';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { AccessLogEntry, AccessLogWriter, DeadlineOptions } from './accessLog/store.js';
import type { RequestEnd } from '../platform/graphqlHttp.js';
import {
  accessLogWriteDuration,
  accessLogWritesInFlight,
  gatewayRequestDuration,
  observeSubgraphCall,
  recordCacheLookup,
  registerBreakerSource,
  requestMetricsPlugin,
  requestOutcome,
} from '../platform/metrics.js';
import { breakerStates, onCall } from './resilience.js';

/** Each request's operation name and outcome, and its errors by code (service `gateway`). */
export function gatewayMetricsPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return requestMetricsPlugin<TContext>('gateway');
}

/** For `createGraphQLHandler({ onRequestEnd })`: one observation per `/graphql` request. */
export function observeGatewayRequest(event: RequestEnd): void {
  // No operation was resolved (a refused token, a document that did not parse): `unknown`.
  const operation = event.scope.operation ?? 'unknown';
  gatewayRequestDuration.observe({ operation, outcome: requestOutcome(event.status, event.scope) }, event.seconds);
}

/**
 * Counts hits and misses of ApolloGateway's query-plan cache. The cache is a private field of the
 * gateway (`queryPlanStore`, cleared, never replaced, on every supergraph update); when a later version
 * names it otherwise, plans are simply not counted.
 */
export function countQueryPlanCache(gateway: ApolloGateway): boolean {
  const store = (gateway as unknown as { queryPlanStore?: { get?: (key: string) => Promise<unknown> } }).queryPlanStore;
  const get = store?.get;
  if (!store || typeof get !== 'function') return false;
  store.get = async (key: string) => {
    const plan = await get.call(store, key);
    recordCacheLookup('query_plan', plan !== undefined);
    return plan;
  };
  return true;
}

/** The access log's writer with its writes counted in flight and timed (its deadline passed on). */
export function instrumentAccessLog<W extends AccessLogWriter>(writer: W): AccessLogWriter {
  return {
    async record(entries: readonly AccessLogEntry[], options?: DeadlineOptions) {
      if (entries.length === 0) return writer.record(entries, options);
      accessLogWritesInFlight.inc();
      const end = accessLogWriteDuration.startTimer();
      try {
        await writer.record(entries, options);
        end({ outcome: 'ok' });
      } catch (error) {
        end({ outcome: 'error' });
        throw error;
      } finally {
        accessLogWritesInFlight.dec();
      }
    },
  };
}

let wired = false;

/** Subgraph calls and breaker states into the metrics, once per process (the observers are process-wide). */
export function wireSubgraphResilienceMetrics(): void {
  if (wired) return;
  wired = true;
  onCall((subgraph, _route, ms, outcome) => observeSubgraphCall({ subgraph, outcome, seconds: ms / 1000 }));
  registerBreakerSource('gateway', breakerStates);
}

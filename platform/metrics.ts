/**
 * Prometheus metrics (prom-client): one registry per process, served at `/metrics` by the gateway and by
 * every subgraph. In the one-process stack (`npm start`, the end-to-end tests) the parts share the
 * process and so the registry; their series are told apart by labels (`subgraph`, `caller`, `service`),
 * so every endpoint shows the whole process, as a scrape of one pod would.
 *
 * The metrics are named here, once, and exported, so that every part (the gateway, the subgraphs' system
 * clients, the breakers, the caches) records into the same series. Label values are bounded: operation
 * names are capped (`operationLabel`), error codes must look like codes (`codeLabel`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { currentRequestScope, type RequestScope } from './requestScope.js';
import { ErrorCode } from './errorCodes.js';

export const METRICS_PATH = '/metrics';

export const registry = new Registry();
collectDefaultMetrics({ register: registry });
// `/metrics` answers without a token: the Node version (a label of this one) helps only an attacker.
registry.removeSingleMetric('nodejs_version_info');

/** Seconds; from a fast cache hit to a slow legacy system near its timeout. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** `ok`: no error; `partial`: data and errors; `error`: no data (or refused at the HTTP level). */
export type RequestOutcome = 'ok' | 'partial' | 'error';

export const gatewayRequestDuration = new Histogram({
  name: 'ungegraf_gateway_request_duration_seconds',
  help: 'GraphQL requests at the gateway, from the request read to the answer sent (access log write included), by operation name and outcome',
  labelNames: ['operation', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

export const graphqlErrors = new Counter({
  name: 'ungegraf_graphql_errors_total',
  help: 'GraphQL errors in answers, by the part that answered (gateway or a subgraph) and extensions.code',
  labelNames: ['service', 'code'] as const,
  registers: [registry],
});

/**
 * How one call ended (the resilience observers' vocabulary, platform/resilience.ts): `ok`, `error` (the
 * target failed), `timeout`, `refused` (a 4xx: the target is up), `rejected` (the concurrency queue was
 * full, nothing sent), `open` (the breaker was open, nothing sent).
 */
export type CallOutcome = 'ok' | 'error' | 'timeout' | 'refused' | 'rejected' | 'open';

export const subgraphCallDuration = new Histogram({
  name: 'ungegraf_subgraph_call_duration_seconds',
  help: 'Calls from the gateway to a subgraph, by subgraph and outcome',
  labelNames: ['subgraph', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

export const subgraphRequestDuration = new Histogram({
  name: 'ungegraf_subgraph_request_duration_seconds',
  help: 'GraphQL requests served by a subgraph, by subgraph and outcome',
  labelNames: ['subgraph', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

export const systemCallDuration = new Histogram({
  name: 'ungegraf_system_call_duration_seconds',
  help: 'Calls (each attempt) to an existing system, by system, route (ids as :id) and outcome',
  labelNames: ['system', 'route', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

export const cacheLookups = new Counter({
  name: 'ungegraf_cache_lookups_total',
  help: 'Cache look-ups by cache (query_plan, persisted_operation, ...) and result (hit, miss)',
  labelNames: ['cache', 'result'] as const,
  registers: [registry],
});

/**
 * Work shared between requests (gateway/operationCoalescing.ts, gateway/fetcher.ts): `joined` took an
 * answer in flight, `refitted` waited for one that read a claim it differs in and then did its own.
 */
export const sharedWork = new Counter({
  name: 'ungegraf_gateway_shared_work_total',
  help: 'Requests (level operation) and subgraph calls (level subgraph_call) answered by work in flight (joined), or not after all (refitted)',
  labelNames: ['level', 'outcome'] as const,
  registers: [registry],
});

/**
 * Which executor ran an operation's query plan (gateway/planExecution/): `own` for operations seen before,
 * `apollo` for an operation's first request and for plans ours does not run (@defer, introspection, ...).
 */
export const planExecutions = new Counter({
  name: 'ungegraf_gateway_plan_executions_total',
  help: 'Query plans run, by executor: own (gateway/planExecution) or apollo (first request of an operation, or a plan ours does not run)',
  labelNames: ['executor'] as const,
  registers: [registry],
});

export const accessLogWritesInFlight = new Gauge({
  name: 'ungegraf_access_log_writes_in_flight',
  help: 'Access-log writes waiting for the database (answers held back until they are stored)',
  registers: [registry],
});

export const accessLogWriteDuration = new Histogram({
  name: 'ungegraf_access_log_write_duration_seconds',
  help: 'Time to store one request’s access-log entries, by outcome (ok, error)',
  labelNames: ['outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

export const accessLogDenialsNotWritten = new Counter({
  name: 'ungegraf_access_log_denials_not_written_total',
  help: 'Refused requests not written to the access log, by reason (rate_limited: over the per-address budget of failed authentications, answered 429; queue_full: the denial batch was full while the log was slow or away)',
  labelNames: ['reason'] as const,
  registers: [registry],
});

export const supergraphReloads = new Counter({
  name: 'ungegraf_supergraph_reloads_total',
  help: 'Supergraph file changes seen by the gateway, by outcome (loaded, rejected)',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const supergraphLoadedAt = new Gauge({
  name: 'ungegraf_supergraph_loaded_timestamp_seconds',
  help: 'When the supergraph being served was loaded (Unix time)',
  registers: [registry],
});

/** Set by the coordination's leadership (subgraphs/coordination/screening/leadership.ts). */
export const coordinationLeader = new Gauge({
  name: 'ungegraf_coordination_leader',
  help: 'Whether this coordination replica holds the lead and so runs the jobs (screening, assignment review, measure snapshot): 1 or 0',
  registers: [registry],
});

/** The screening register following the systems' change feeds (subgraphs/coordination/screening/changeFeed.ts). */
export const changeFeedEventsApplied = new Counter({
  name: 'ungegraf_change_feed_events_applied_total',
  help: 'Change events from a system applied to the screening register (the young people they name recomputed), by system',
  labelNames: ['system'] as const,
  registers: [registry],
});

export const changeFeedLag = new Gauge({
  name: 'ungegraf_change_feed_lag_seconds',
  help: 'How far the screening register is behind a system: age of the oldest change in the batch last applied, 0 once the feed is read empty',
  labelNames: ['system'] as const,
  registers: [registry],
});

export const changeFeedDelay = new Histogram({
  name: 'ungegraf_change_feed_delay_seconds',
  help: 'Time from a change in a system to its young person’s row in the screening register, by system',
  labelNames: ['system'] as const,
  buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
  registers: [registry],
});

export const changeFeedRebuilds = new Counter({
  name: 'ungegraf_change_feed_rebuilds_total',
  help: 'Full rebuilds of the screening register run by the change-feed follower, by reason (gap, restarted, unreadable, no_position, scheduled) and outcome',
  labelNames: ['reason', 'outcome'] as const,
  registers: [registry],
});

/** A circuit breaker's state; the gauge reads closed 0, half-open 1, open 2. */
export type BreakerState = 'closed' | 'half-open' | 'open';
export const BREAKER_STATE_VALUE: Readonly<Record<BreakerState, number>> = { closed: 0, 'half-open': 1, open: 2 };

/** The breakers of one part, by name (a system or a subgraph), read when scraped. */
export type BreakerSource = () => Readonly<Record<string, BreakerState>>;
const breakerSources = new Map<string, BreakerSource>();

/**
 * Makes a part's breakers visible in `/metrics` (`ungegraf_breaker_state{part, breaker}`) and in
 * `/readyz`. `part` is the owner (`gateway`, `school`, `coordination`, ...). Answers an unregister function.
 */
export function registerBreakerSource(part: string, source: BreakerSource): () => void {
  breakerSources.set(part, source);
  return () => {
    if (breakerSources.get(part) === source) breakerSources.delete(part);
  };
}

/** Every registered breaker's state by part (or only `part`'s); a failing source is skipped. */
export function breakerSnapshot(part?: string): Record<string, Record<string, BreakerState>> {
  const snapshot: Record<string, Record<string, BreakerState>> = {};
  for (const [name, source] of breakerSources) {
    if (part !== undefined && name !== part) continue;
    try {
      snapshot[name] = { ...source() };
    } catch {
      // A part whose breakers cannot be read is reported without them rather than failing the scrape.
    }
  }
  return snapshot;
}

new Gauge({
  name: 'ungegraf_breaker_state',
  help: 'Circuit breaker state per part and breaker: 0 closed, 1 half-open, 2 open',
  labelNames: ['part', 'breaker'] as const,
  registers: [registry],
  collect() {
    this.reset();
    for (const [part, breakers] of Object.entries(breakerSnapshot())) {
      for (const [breaker, state] of Object.entries(breakers)) this.set({ part, breaker }, BREAKER_STATE_VALUE[state]);
    }
  },
});

/** Counts one cache look-up: `recordCacheLookup('persisted_operation', true)`. */
export function recordCacheLookup(cache: string, hit: boolean): void {
  cacheLookups.inc({ cache, result: hit ? 'hit' : 'miss' });
}

/** Records one call to an existing system (the subgraphs' system clients report each attempt). */
export function observeSystemCall(event: { system: string; route: string; outcome: CallOutcome; seconds: number }): void {
  systemCallDuration.observe({ system: event.system, route: event.route, outcome: event.outcome }, event.seconds);
}

/** Records one call from the gateway to a subgraph. */
export function observeSubgraphCall(event: { subgraph: string; outcome: CallOutcome; seconds: number }): void {
  subgraphCallDuration.observe({ subgraph: event.subgraph, outcome: event.outcome }, event.seconds);
}

/** At most this many distinct operation names get their own series; later ones count as `other`. */
export const MAX_OPERATION_NAMES = 200;
const operationNames = new Set<string>();
const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

/** A bounded label for an operation name: `anonymous` when unnamed, `other` past the cap or when malformed. */
export function operationLabel(name: string | null | undefined): string {
  if (name === null || name === undefined || name === '') return 'anonymous';
  if (!OPERATION_NAME.test(name)) return 'other';
  if (operationNames.has(name)) return name;
  if (operationNames.size >= MAX_OPERATION_NAMES) return 'other';
  operationNames.add(name);
  return name;
}

const CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

/** `extensions.code` as a label: a code-shaped string, else `INTERNAL_SERVER_ERROR` (what clients see). */
export function codeLabel(code: unknown): string {
  return typeof code === 'string' && CODE.test(code) ? code : ErrorCode.INTERNAL_SERVER_ERROR;
}

/** `ok`, `partial` or `error` from an answer's shape. */
export function outcomeOf(result: { data?: unknown; errors?: readonly unknown[] | undefined }, httpStatus?: number): RequestOutcome {
  if ((httpStatus ?? 200) >= 400) return 'error';
  const errors = result.errors?.length ?? 0;
  if (errors === 0) return 'ok';
  return result.data === null || result.data === undefined ? 'error' : 'partial';
}

/**
 * Counts the errors of every answer by code (`ungegraf_graphql_errors_total{service}`), as the client
 * receives them (after formatError), and notes each request's operation name and outcome in its request
 * scope, where the HTTP layer, which times the whole request, reads them (`requestOutcome`). Apollo
 * Server copies the context value per operation, so the scope, not the context, carries them.
 * Incremental answers: the initial part.
 */
export function requestMetricsPlugin<TContext extends BaseContext>(service: string): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, operationName }) {
          const result = response.body.kind === 'single' ? response.body.singleResult : response.body.initialResult;
          for (const error of result.errors ?? []) graphqlErrors.inc({ service, code: codeLabel(error.extensions?.['code']) });
          const scope = currentRequestScope();
          if (scope) {
            scope.operation = operationLabel(operationName);
            scope.outcome = outcomeOf(result, response.http.status);
          }
        },
      };
    },
  };
}

/** The outcome of a finished HTTP request: an HTTP error is an error, else what the plugin noted. */
export function requestOutcome(status: number, scope: RequestScope): RequestOutcome {
  return status >= 400 ? 'error' : (scope.outcome ?? 'error');
}

/** The `/metrics` route: the registry in Prometheus' text format. */
export async function metricsRoute(req: IncomingMessage, res: ServerResponse): Promise<void> {
  req.resume();
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  const text = await registry.metrics();
  res.writeHead(200, {
    'content-type': registry.contentType,
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
  });
  res.end(req.method === 'HEAD' ? undefined : text);
}

/**
 * The gateway's configuration, parsed once from the environment. Defaults run everything on one machine.
 *
 * | variable              | default                     | meaning                                            |
 * |-----------------------|-----------------------------|----------------------------------------------------|
 * | GATEWAY_PORT          | 4000                        | port to listen on (0 = any free port)              |
 * | GATEWAY_HOST          | 127.0.0.1                   | interface to listen on                             |
 * | SUPERGRAPH_PATH       | schema/supergraph.graphql   | composed supergraph (relative to the repo root)    |
 * | SUBGRAPH_<NAME>_URL   | the supergraph's join__graph url | where subgraph <name> answers, e.g. SUBGRAPH_GUIDANCE_URL |
 * | SUBGRAPH_TIMEOUT_MS   | 5000                        | longest wait for one subgraph call, body included |
 * | NODE_ENV              | development                 | `production` turns introspection off               |
 * | SUPERGRAPH_RELOAD     | true                        | watch SUPERGRAPH_PATH and switch to a new supergraph that loads |
 * | SUPERGRAPH_POLL_MS    | 10000                       | also read the file this often (0 = watch only)     |
 * | SHUTDOWN_*, READINESS_TIMEOUT_MS | see platform/lifecycle.ts | graceful shutdown and readiness checks  |
 * | REQUEST_DEADLINE_MS   | 10000                       | deadline for a whole request's subgraph calls      |
 * | SUBGRAPH_BREAKER_THRESHOLD, SUBGRAPH_BREAKER_HALF_OPEN_MS | 5, 10000 | a subgraph's circuit breaker (resilience.ts) |
 * | REDIS_URL, REDIS_*, RATE_LIMIT_*, PERSISTED_* | see `loadSharedStateConfig`, `loadTrafficConfig` | scale-out and traffic control |
 * | COALESCE_OPERATIONS   | true                        | identical queries in flight (callers alike in all the answer read) execute once (operationCoalescing.ts) |
 * | DEDUPLICATE_SUBGRAPH_CALLS | true                   | identical subgraph queries in flight are sent once (fetcher.ts) |
 * | BATCH_SUBGRAPH_FETCHES | true                      | a request's queries to one subgraph started together go as one call (fetchBatching.ts) |
 * | IDE, IDE_EXAMPLES_DIR, IDE_CACHE_DIR | `on` (`off` in production) | the GraphQL IDE at /ide/ (gateway/ide/config.ts) |
 */
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, readBool, readInt, readString, readUrl } from '../platform/env.js';
import { loadLifecycleConfig, type LifecycleConfig } from '../platform/lifecycle.js';
import { loadSharedStateConfig, type SharedStateConfig } from '../platform/sharedState.js';
import { loadLimitsConfig } from './limits.js';
import { loadIdeConfig, type IdeConfig } from './ide/config.js';
import { loadGatewayResilienceConfig, type GatewayResilienceConfig } from './resilience.js';

export { ConfigError };

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface GatewayConfig {
  port: number;
  host: string;
  /** Absolute path of the supergraph file. */
  supergraphPath: string;
  /** Subgraph URL overrides keyed by `envNameOf(subgraph)` (GUIDANCE, SCHOOL, ...). */
  subgraphUrlOverrides: Readonly<Record<string, string>>;
  subgraphTimeoutMs: number;
  nodeEnv: string;
  production: boolean;
  /** Query limits (depth, aliases, tokens, cost); see limits.ts. */
  limits: ReturnType<typeof loadLimitsConfig>;
  /** Watch the supergraph file and hot-reload it (gateway/reload.ts). */
  supergraphReload: boolean;
  /** Poll the supergraph file this often besides watching it; 0 = watch only. */
  supergraphPollMs: number;
  /** Shutdown grace and delay, readiness check timeout. */
  lifecycle: LifecycleConfig;
  /** The request deadline and the subgraphs' circuit breakers; see resilience.ts. */
  resilience: GatewayResilienceConfig;
  /** Redis (when `REDIS_URL` is set) or process memory, for what replicas share; see platform/sharedState.ts. */
  sharedState: SharedStateConfig;
  /** Rate limits and persisted operations. */
  traffic: TrafficConfig;
  /** Work shared between identical requests in flight (gateway/operationCoalescing.ts, gateway/fetcher.ts). */
  performance: { coalesceOperations: boolean; deduplicateSubgraphCalls: boolean; batchSubgraphFetches: boolean; ownPlanExecutor: boolean };
  /** The GraphQL IDE at /ide/: on, off or scoped (introspection by scope); see gateway/ide/config.ts. */
  ide: IdeConfig;
}

export interface TrafficConfig {
  rateLimit: {
    /** Length of one rate-limit window. */
    windowSeconds: number;
    /** Points one subject (`sub`) may spend per window; 0 turns this limit off. */
    subjectPoints: number;
    /** Points one client (`azp`/`client_id`, else the organisation) may spend per window; 0 turns it off. */
    clientPoints: number;
    /** An operation costs max(1, ceil(cost / costUnit)) points, its cost measured like the cost limit's. */
    costUnit: number;
    /** Requests without a valid token one client address may send per window; 0 turns this limit off. */
    unauthenticatedPoints: number;
  };
  /** The partners' safelist (apollo-persisted-query-manifest), absolute path. */
  partnerManifestPath: string;
  /** How long an automatic persisted query stays registered. */
  apqTtlSeconds: number;
}

type Env = Record<string, string | undefined>;

const OVERRIDE = /^SUBGRAPH_([A-Z0-9_]+)_URL$/;

/** The part of `SUBGRAPH_<NAME>_URL` that names a subgraph: upper case, anything else as `_`. */
export function envNameOf(subgraphName: string): string {
  return subgraphName.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

export function loadTrafficConfig(env: Env = process.env): TrafficConfig {
  const manifest = readString(env, 'PERSISTED_MANIFEST_PATH', 'operations/partner-manifest.json');
  return {
    rateLimit: {
      windowSeconds: readInt(env, 'RATE_LIMIT_WINDOW_SECONDS', 60, 1, 86_400),
      subjectPoints: readInt(env, 'RATE_LIMIT_SUBJECT_POINTS', 2000, 0, 1_000_000_000),
      clientPoints: readInt(env, 'RATE_LIMIT_CLIENT_POINTS', 20_000, 0, 1_000_000_000),
      costUnit: readInt(env, 'RATE_LIMIT_COST_UNIT', 100, 1, 1_000_000_000),
      unauthenticatedPoints: readInt(env, 'RATE_LIMIT_UNAUTHENTICATED_POINTS', 60, 0, 1_000_000_000),
    },
    partnerManifestPath: isAbsolute(manifest) ? manifest : resolve(REPO_ROOT, manifest),
    apqTtlSeconds: readInt(env, 'PERSISTED_QUERIES_TTL_SECONDS', 86_400, 1, 365 * 86_400),
  };
}

export function loadGatewayConfig(env: Env = process.env): GatewayConfig {
  const host = readString(env, 'GATEWAY_HOST', '127.0.0.1');
  if (/[\s/]/.test(host)) throw new ConfigError(`GATEWAY_HOST must be a host name or address, got "${host}"`);

  const supergraphPath = readString(env, 'SUPERGRAPH_PATH', 'schema/supergraph.graphql');

  const subgraphUrlOverrides: Record<string, string> = {};
  for (const name of Object.keys(env).sort()) {
    const match = OVERRIDE.exec(name);
    if (!match?.[1] || !env[name]) continue;
    const url = readUrl(env, name, '');
    if (!/^https?:$/.test(new URL(url).protocol)) throw new ConfigError(`${name} must be an http(s) URL, got "${env[name]}"`);
    subgraphUrlOverrides[match[1]] = url;
  }

  const nodeEnv = readString(env, 'NODE_ENV', 'development');
  const production = nodeEnv === 'production';
  return {
    limits: loadLimitsConfig(env),
    supergraphReload: readBool(env, 'SUPERGRAPH_RELOAD', true),
    supergraphPollMs: readInt(env, 'SUPERGRAPH_POLL_MS', 10_000, 0, 3_600_000),
    lifecycle: loadLifecycleConfig(env),
    resilience: loadGatewayResilienceConfig(env),
    sharedState: loadSharedStateConfig(env),
    traffic: loadTrafficConfig(env),
    performance: {
      coalesceOperations: readBool(env, 'COALESCE_OPERATIONS', true),
      deduplicateSubgraphCalls: readBool(env, 'DEDUPLICATE_SUBGRAPH_CALLS', true),
      batchSubgraphFetches: readBool(env, 'BATCH_SUBGRAPH_FETCHES', true),
      ownPlanExecutor: readBool(env, 'OWN_PLAN_EXECUTOR', true),
    },
    port: readInt(env, 'GATEWAY_PORT', 4000, 0, 65_535),
    host,
    supergraphPath: isAbsolute(supergraphPath) ? supergraphPath : resolve(REPO_ROOT, supergraphPath),
    subgraphUrlOverrides,
    subgraphTimeoutMs: readInt(env, 'SUBGRAPH_TIMEOUT_MS', 5000, 1, 600_000),
    nodeEnv,
    production,
    ide: loadIdeConfig(env, { production, repoRoot: REPO_ROOT }),
  };
}

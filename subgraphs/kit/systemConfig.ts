import { readInt, readUrl } from '../../platform/env.js';

/**
 * How a subgraph reaches its existing system: the settings every system shares, read per system
 * (`<SYSTEM>_...`, e.g. `SCHOOL_RETRIES`). The policies they set are in resilience.ts.
 */
export interface SystemConnection {
  url: string;
  /** Longest wait for one attempt, answer included. */
  timeoutMs: number;
  /** Most calls in flight to this system at once (the agent's sockets and the bulkhead). */
  concurrency: number;
  /** Calls that may wait for a free slot; more are refused at once (UPSTREAM_UNAVAILABLE). */
  queue: number;
  /** Retries of an idempotent read after a fast failure (refused, reset, 5xx, unreadable body). */
  retries: number;
  /** Consecutive failures that open the system's circuit breaker. */
  breakerThreshold: number;
  /** How long an open breaker fails fast before it lets one trial call through (half-open). */
  breakerHalfOpenMs: number;
}

type Env = Record<string, string | undefined>;

export function readSystemConnection(env: Env, prefix: string, defaultPort: number): SystemConnection {
  return {
    url: readUrl(env, `${prefix}_URL`, `http://127.0.0.1:${defaultPort}`),
    timeoutMs: readInt(env, `${prefix}_TIMEOUT_MS`, 3000, 1, 120_000),
    concurrency: readInt(env, `${prefix}_CONCURRENCY`, 8, 1, 256),
    queue: readInt(env, `${prefix}_QUEUE`, 256, 0, 100_000),
    retries: readInt(env, `${prefix}_RETRIES`, 2, 0, 10),
    breakerThreshold: readInt(env, `${prefix}_BREAKER_THRESHOLD`, 5, 1, 1000),
    breakerHalfOpenMs: readInt(env, `${prefix}_BREAKER_HALF_OPEN_MS`, 10_000, 10, 3_600_000),
  };
}

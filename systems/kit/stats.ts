/** Call counts, so tests can assert that a client batches (one call for fifty look-ups, not fifty). */
export interface CallStats {
  /** Every call except GET /health. */
  calls: number;
  /** By route name (`"POST /api/v2/elever/opslag"`); `"unmatched"` for unknown paths. */
  byRoute: Record<string, number>;
  /** Calls answered with an injected 503. */
  failures: number;
  /** Calls being answered now, and the most at once since the last reset (to prove bounded fan-out). */
  inFlight: number;
  maxInFlight: number;
  reset(): void;
}

export function createStats(): CallStats {
  const stats: CallStats = {
    calls: 0,
    byRoute: {},
    failures: 0,
    inFlight: 0,
    maxInFlight: 0,
    reset() {
      stats.calls = 0;
      stats.byRoute = {};
      stats.failures = 0;
      stats.maxInFlight = stats.inFlight;
    },
  };
  return stats;
}

export function countCall(stats: CallStats, route: string): void {
  stats.calls += 1;
  stats.byRoute[route] = (stats.byRoute[route] ?? 0) + 1;
}

/** Counts a call in flight until `done` settles. */
export async function trackInFlight<T>(stats: CallStats, done: Promise<T>): Promise<T> {
  stats.inFlight += 1;
  stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
  try {
    return await done;
  } finally {
    stats.inFlight -= 1;
  }
}

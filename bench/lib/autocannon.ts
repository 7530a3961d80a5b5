/**
 * The one way the benchmarks drive autocannon: typed options (bench/lib/autocannonModule.d.ts), every
 * response time kept (autocannon's own summary has no p95), exact nearest-rank percentiles. Used by the
 * load worker (a fixed body, one process of its own) and by the graph suite's closed loop (a body per
 * request).
 */
import autocannon, { type AutocannonOptions, type AutocannonResult } from 'autocannon';
import type { LatencyPercentiles } from './types.js';

export interface Measured {
  result: AutocannonResult;
  /** Every response time of the run, in milliseconds, ascending. */
  latencies: Float64Array;
}

/** One autocannon run to its end, with every response time. */
export async function measure(options: AutocannonOptions): Promise<Measured> {
  const times: number[] = [];
  const instance = autocannon(options);
  instance.on('response', (_client, _status, _bytes, responseTime) => times.push(responseTime));
  const result = await instance;
  return { result, latencies: Float64Array.from(times).sort() };
}

/** What every load run reports, whatever drives it. */
export interface LoadFigures extends LatencyPercentiles {
  requests: number;
  seconds: number;
  /** Answers per second (the suites say which answers count). */
  throughput: number;
  /** Everything that was not a right answer (the suites say what that includes). */
  errors: number;
}

/** The 50th, 95th and 99th percentile of ascending response times. */
export function latencyFigures(sorted: ArrayLike<number>): LatencyPercentiles {
  return { p50Ms: percentile(sorted, 0.5), p95Ms: percentile(sorted, 0.95), p99Ms: percentile(sorted, 0.99) };
}

/** Nearest-rank percentile of ascending values (`share` from 0 to 1); NaN when there are none. */
export function percentile(sorted: ArrayLike<number>, share: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1));
  return sorted[rank]!;
}

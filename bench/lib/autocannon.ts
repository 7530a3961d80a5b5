/**
 * The one way the benchmarks drive autocannon: typed options (bench/lib/autocannonModule.d.ts), every
 * response time kept (autocannon's own summary has no p95), exact nearest-rank percentiles. Used by the
 * load worker (a fixed body, one process of its own) and by the graph suite's closed loop (a body per
 * request).
 */
import autocannon, { type AutocannonOptions, type AutocannonResult } from 'autocannon';

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

/** Nearest-rank percentile of ascending values (`share` from 0 to 1); NaN when there are none. */
export function percentile(sorted: ArrayLike<number>, share: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1));
  return sorted[rank]!;
}

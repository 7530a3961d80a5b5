/**
 * Closed-loop load with autocannon (N connections, each sending its next request when the last one
 * answered), with a request body per call and a check of every answer, and exact percentiles from
 * every response time (autocannon's own summary has no p95).
 */
import { createRequire } from 'node:module';

/** The part of autocannon's programmatic API used here (the package ships no types). */
interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  pipelining?: number;
  timeout?: number;
  headers?: Record<string, string>;
  method?: string;
  requests?: {
    method?: string;
    setupRequest?: (request: { body?: string; headers?: Record<string, string> }) => { body?: string; headers?: Record<string, string> };
    onResponse?: (status: number, body: string) => void;
  }[];
}
interface AutocannonResult {
  requests: { total: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
}
interface AutocannonInstance extends PromiseLike<AutocannonResult> {
  on(event: 'response', listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): void;
  stop(): void;
}
type Autocannon = (options: AutocannonOptions) => AutocannonInstance;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export interface LoadOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  headers: Record<string, string>;
  /** The body of the next request (called once per request). */
  nextBody: () => string;
  /** Null when the answer is right, else why it is wrong (counted as an error). */
  checkAnswer: (status: number, body: string) => string | null;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  throughput: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** Wrong answers, non-2xx, connection errors and timeouts. */
  errors: number;
  /** The first few reasons, for the notes. */
  errorSamples: string[];
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const times: number[] = [];
  const errorSamples: string[] = [];
  let wrong = 0;
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSeconds,
    timeout: 30,
    method: 'POST',
    headers: options.headers,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => ({ ...request, body: options.nextBody() }),
        onResponse: (status, body) => {
          const problem = options.checkAnswer(status, body);
          if (problem) {
            wrong += 1;
            if (errorSamples.length < 5) errorSamples.push(problem);
          }
        },
      },
    ],
  });
  instance.on('response', (_client, _status, _bytes, responseTime) => times.push(responseTime));
  const result = await instance;
  times.sort((a, b) => a - b);
  return {
    requests: times.length,
    seconds: result.duration,
    throughput: times.length / result.duration,
    p50Ms: percentile(times, 0.5),
    p95Ms: percentile(times, 0.95),
    p99Ms: percentile(times, 0.99),
    // A non-2xx answer is also checked by checkAnswer; connection errors and timeouts are not.
    errors: wrong + result.errors + result.timeouts,
    errorSamples,
  };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], share: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1));
  return sorted[rank]!;
}

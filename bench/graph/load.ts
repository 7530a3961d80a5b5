/**
 * Closed-loop load with autocannon (N connections, each sending its next request when the last one
 * answered), with a request body per call and a check of every answer, and exact percentiles from
 * every response time (autocannon's own summary has no p95).
 */
import { latencyFigures, measure, type LoadFigures } from '../lib/autocannon.js';

export interface LoadOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  headers: Record<string, string>;
  /** The body of the next request (called once per request), with headers of its own (its caller's token). */
  nextBody: () => string | { body: string; headers: Record<string, string> };
  /** Null when the answer is right, else why it is wrong (counted as an error). */
  checkAnswer: (status: number, body: string) => string | null;
}

/** `errors`: wrong answers, non-2xx, connection errors and timeouts. */
export interface LoadResult extends LoadFigures {
  /** The first few reasons, for the notes. */
  errorSamples: string[];
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const errorSamples: string[] = [];
  let wrong = 0;
  const { result, latencies: times } = await measure({
    url: options.url,
    connections: options.connections,
    duration: options.durationSeconds,
    timeout: 30,
    method: 'POST',
    headers: options.headers,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const next = options.nextBody();
          return typeof next === 'string'
            ? { ...request, body: next }
            : { ...request, body: next.body, headers: { ...request.headers, ...next.headers } };
        },
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
  return {
    requests: times.length,
    seconds: result.duration,
    throughput: times.length / result.duration,
    ...latencyFigures(times),
    // A non-2xx answer is also checked by checkAnswer; connection errors and timeouts are not.
    errors: wrong + result.errors + result.timeouts,
    errorSamples,
  };
}

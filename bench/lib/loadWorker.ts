/**
 * The load generator's own process (so it never shares an event loop with what it measures):
 * autocannon against one URL, a warm-up run first, then the measured run. Every response body is checked
 * against the expected answer: a wrong answer counts as an error like a non-2xx or a timeout. Reads its
 * job as JSON from argv[2]; writes the result as one JSON line to stdout.
 */
import { isDeepStrictEqual } from 'node:util';
import { commandLine } from '../../platform/cli.js';
import { latencyFigures, measure, type Measured } from './autocannon.js';
import { MEASURE_END, MEASURE_START, type LoadJob, type LoadResult } from './load.js';

const [jobArgument] = commandLine(process.argv.slice(2), {}, 'usage: loadWorker.ts <job as JSON>', { allowPositionals: true }).positionals;
const job = JSON.parse(jobArgument ?? '{}') as LoadJob;
const expected = job.expectedBody === undefined ? undefined : (JSON.parse(job.expectedBody) as unknown);

/** Equal to the expected answer: the same text (the usual case, cheap), else the same JSON value in any key order. */
function correct(body: string): boolean {
  if (job.expectedBody === undefined || body === job.expectedBody) return true;
  try {
    return isDeepStrictEqual(JSON.parse(body), expected);
  } catch {
    return false;
  }
}

let firstWrongBody: string | undefined;

let nextCaller = 0;
const authorizations = job.authorizations ?? [];

function run(seconds: number): Promise<Measured> {
  return measure({
    url: job.url,
    method: 'POST',
    headers: job.headers,
    body: job.body,
    // Distinct callers: the next token for every request (round robin), the body unchanged.
    requests:
      authorizations.length > 0
        ? [
            {
              method: 'POST',
              setupRequest: (request) => ({
                ...request,
                body: job.body,
                headers: { ...job.headers, authorization: authorizations[nextCaller++ % authorizations.length]! },
              }),
            },
          ]
        : undefined,
    connections: job.connections,
    duration: seconds,
    timeout: job.timeoutSeconds,
    verifyBody: (body: string) => {
      const ok = correct(body);
      if (!ok && firstWrongBody === undefined) firstWrongBody = body.slice(0, 500);
      return ok;
    },
  });
}

async function main(): Promise<void> {
  if (job.warmupSeconds > 0) await run(job.warmupSeconds);
  // Tells the runner the measured part starts (it meters the gateway's CPU over exactly that part).
  process.stderr.write(`${MEASURE_START}\n`);
  const { result, latencies: sorted } = await run(job.durationSeconds);
  process.stderr.write(`${MEASURE_END}\n`);
  const errors = result.errors + result.timeouts + result.non2xx + result.mismatches;
  const output: LoadResult = {
    requests: result.requests.total,
    seconds: result.duration,
    throughput: (result.requests.total - result.non2xx - result.mismatches) / result.duration,
    ...latencyFigures(sorted),
    maxMs: sorted.length > 0 ? sorted[sorted.length - 1]! : Number.NaN,
    errors,
    breakdown: { errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx, wrongAnswers: result.mismatches },
    firstWrongBody,
  };
  process.stdout.write(`${JSON.stringify(output)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`load generator failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

/**
 * Load on loopback: autocannon in a process of its own (loadWorker.ts), warm-up, then a fixed duration.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadFigures } from './autocannon.js';

export interface LoadJob {
  url: string;
  headers: Record<string, string>;
  /**
   * Distinct callers: each request carries the next of these `Authorization` values in turn (over the
   * `headers` one), as a municipality's traffic arrives: many users, each with a token of their own.
   */
  authorizations?: string[];
  body: string;
  /** Concurrent connections, each with one request in flight (autocannon's model; k6's VUs). */
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  timeoutSeconds: number;
  /** The exact answer every response must give (compared as text, then as JSON in any key order). */
  expectedBody?: string;
}

/** `throughput`: correct answers per second; `errors`: connection errors + timeouts + non-2xx + wrong answers. */
export interface LoadResult extends LoadFigures {
  maxMs: number;
  breakdown: { errors: number; timeouts: number; non2xx: number; wrongAnswers: number };
  firstWrongBody?: string;
}

const WORKER = fileURLToPath(new URL('./loadWorker.ts', import.meta.url));

/** Lines the load worker writes to stderr when its measured part starts and ends. */
export const MEASURE_START = '@@bench-measure-start';
export const MEASURE_END = '@@bench-measure-end';

export interface LoadHooks {
  /** Called when the measured part (after the warm-up) starts and when it ends. */
  onMeasureStart?: () => void;
  onMeasureEnd?: () => void;
}

/** Runs one load job in a child process (the current Node, with tsx) and returns what it measured. */
export function runLoad(job: LoadJob, hooks: LoadHooks = {}): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (chunk.includes(MEASURE_START)) hooks.onMeasureStart?.();
      if (chunk.includes(MEASURE_END)) hooks.onMeasureEnd?.();
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = stdout.trim().split('\n').pop();
      if (code !== 0 || !line) return reject(new Error(`load generator exited ${code}: ${stderr.trim().slice(-500)}`));
      try {
        resolve(JSON.parse(line) as LoadResult);
      } catch {
        reject(new Error(`load generator printed no result: ${line.slice(0, 200)}`));
      }
    });
  });
}

/**
 * Load on loopback: autocannon in a process of its own (loadWorker.ts), warm-up, then a fixed duration.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface LoadJob {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Concurrent connections, each with one request in flight (autocannon's model; k6's VUs). */
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  timeoutSeconds: number;
  /** The exact answer every response must give (compared as text, then as JSON in any key order). */
  expectedBody?: string;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  /** Correct answers per second. */
  throughput: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Connection errors + timeouts + non-2xx + wrong answers. */
  errors: number;
  breakdown: { errors: number; timeouts: number; non2xx: number; wrongAnswers: number };
  firstWrongBody?: string;
}

const WORKER = fileURLToPath(new URL('./loadWorker.ts', import.meta.url));

/** Runs one load job in a child process (the current Node, with tsx) and returns what it measured. */
export function runLoad(job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
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

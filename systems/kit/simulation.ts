import { createRng, type Rng } from '../population/prng.js';
import type { FaultMode, SimulationOptions } from './options.js';

/**
 * Latency and failure injection. A failure answers what a real legacy system leaks when it falls over:
 * a stack trace and an internal host name. The graph must never pass either on; tests elsewhere look
 * for these markers in what clients receive.
 */
export const INTERNAL_HOST_SUFFIX = '.srv.intern.aalborg.local';
export const FAILURE_MARKERS = ['intern.aalborg.local', 'at dk.aalborg.', 'SQLTransientConnectionException'] as const;

export class Simulation {
  private readonly rng: Rng;
  constructor(
    private readonly system: string,
    private readonly options: SimulationOptions,
  ) {
    this.rng = createRng(options.seed);
  }

  delayMs(): number {
    const jitter = this.options.jitterMs > 0 ? this.rng.next() * this.options.jitterMs : 0;
    return Math.max(0, this.options.latencyMs + jitter);
  }

  async delay(): Promise<void> {
    const ms = this.delayMs();
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  }

  shouldFail(): boolean {
    const rate = this.options.failureRate;
    return rate > 0 && (rate >= 1 || this.rng.next() < rate);
  }

  /** The fault this call gets from `mode`, or `ok` (also in the "up" half of a flapping period). */
  fault(): FaultMode {
    const mode = this.options.mode ?? 'ok';
    if (mode === 'ok') return 'ok';
    const flapMs = this.options.flapMs ?? 0;
    if (flapMs > 0 && Math.floor(Date.now() / flapMs) % 2 === 1) return 'ok';
    if (this.options.faultsLeft !== undefined) {
      if (this.options.faultsLeft <= 0) return 'ok';
      this.options.faultsLeft -= 1;
    }
    return mode;
  }

  /** Down for good (not flapping, not an occasional failure): what /health says. */
  isDown(): boolean {
    const transient = (this.options.flapMs ?? 0) > 0 || this.options.faultsLeft !== undefined;
    return this.options.failureRate >= 1 || ((this.options.mode ?? 'ok') !== 'ok' && !transient);
  }

  failureBody(path: string): Record<string, unknown> {
    const host = `${this.system}-app-0${1 + this.rng.int(4)}${INTERNAL_HOST_SUFFIX}`;
    return {
      timestamp: new Date().toISOString(),
      status: 503,
      error: 'Service Unavailable',
      message: `Could not open JDBC connection for transaction; nested exception is java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms (db01${INTERNAL_HOST_SUFFIX}:1521)`,
      path,
      host,
      trace: [
        'java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.',
        `\tat dk.aalborg.${this.system}.persistence.ConnectionPool.acquire(ConnectionPool.java:212)`,
        `\tat dk.aalborg.${this.system}.service.RegisterService.lookup(RegisterService.java:87)`,
        `\tat dk.aalborg.${this.system}.api.LegacyController.handle(LegacyController.java:143)`,
        '\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:897)',
      ].join('\n'),
    };
  }
}

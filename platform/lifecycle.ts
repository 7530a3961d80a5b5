/**
 * Graceful shutdown, the same for the gateway and every subgraph process. On SIGTERM (or SIGINT):
 *   1. `/healthz` and `/readyz` turn 503, so load balancers and Kubernetes stop sending, while whatever
 *      still arrives is served, each answer with `Connection: close` (the client opens a new connection
 *      for its next request, to a replica that is ready);
 *   2. after `SHUTDOWN_DELAY_MS` (default 5 s with NODE_ENV=production, the time a load balancer or
 *      Kubernetes' endpoints take to stop sending; 0 otherwise) the listener closes: no new connection,
 *      idle keep-alive connections are closed, busy ones after their answer. Without the delay a request
 *      already on its way over a kept-alive connection meets a closed socket (issue 11: two were reset
 *      10 ms after the signal);
 *   3. requests in flight finish, within `SHUTDOWN_GRACE_MS` (default 10 s); connections still open
 *      then are cut;
 *   4. the part stops its own things (`stop`: Apollo Server, the access log, the screening schedule,
 *      databases);
 *   5. the process exits 0 (1 when stopping itself failed or hung).
 */
import type { Logger } from 'pino';
import { readInt } from './env.js';
import type { Listening } from './graphqlHttp.js';
import type { Health } from './health.js';

export interface LifecycleConfig {
  /** SHUTDOWN_GRACE_MS: how long requests in flight may take to finish after the listener closed. */
  shutdownGraceMs: number;
  /** SHUTDOWN_DELAY_MS: time between turning unready (still serving) and closing the listener. */
  shutdownDelayMs: number;
  /** READINESS_TIMEOUT_MS: the longest one readiness check (e.g. the database's SELECT 1) may take. */
  readinessTimeoutMs: number;
}

/** Long enough for a load balancer (or Kubernetes' endpoints) to take the replica out of rotation. */
export const PRODUCTION_SHUTDOWN_DELAY_MS = 5_000;

export function loadLifecycleConfig(env: Record<string, string | undefined> = process.env): LifecycleConfig {
  return {
    shutdownGraceMs: readInt(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    shutdownDelayMs: readInt(env, 'SHUTDOWN_DELAY_MS', env.NODE_ENV === 'production' ? PRODUCTION_SHUTDOWN_DELAY_MS : 0, 0, 600_000),
    readinessTimeoutMs: readInt(env, 'READINESS_TIMEOUT_MS', 1000, 1, 60_000),
  };
}

/** Once the grace period is over, stopping the part itself may take this much longer before exit 1. */
const STOP_TIMEOUT_MS = 10_000;

export interface TerminationOptions {
  logger: Logger;
  health: Health;
  listening: Listening;
  config: Pick<LifecycleConfig, 'shutdownGraceMs' | 'shutdownDelayMs'>;
  /** Stops the part after the listener has closed (Apollo Server, access log, schedules, databases). */
  stop: () => Promise<void>;
  /** Default `process.exit`. */
  exit?: (code: number) => void;
}

/** Steps 1-5 above; answers when done (having called `exit`). Runs once, whatever calls it again. */
export function createShutdown(options: TerminationOptions): (signal: string) => Promise<void> {
  const { logger, health, listening, config } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let running: Promise<void> | undefined;

  const run = async (signal: string): Promise<void> => {
    const started = performance.now();
    logger.info({ signal, graceMs: config.shutdownGraceMs, delayMs: config.shutdownDelayMs }, 'shutting down');
    health.markStopping();
    listening.endKeepAlive();
    const hardStop = setTimeout(
      () => {
        logger.error('shutdown hung; exiting');
        exit(1);
      },
      config.shutdownDelayMs + config.shutdownGraceMs + STOP_TIMEOUT_MS,
    );
    hardStop.unref();
    try {
      if (config.shutdownDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, config.shutdownDelayMs));
      const cut = setTimeout(() => {
        logger.warn({ graceMs: config.shutdownGraceMs }, 'grace period over; cutting the connections still open');
        listening.server.closeAllConnections();
      }, config.shutdownGraceMs);
      await listening.close();
      clearTimeout(cut);
      logger.info({ ms: Math.round(performance.now() - started) }, 'listener closed; requests drained');
      await options.stop();
      clearTimeout(hardStop);
      logger.info({ ms: Math.round(performance.now() - started) }, 'stopped');
      exit(0);
    } catch (error) {
      clearTimeout(hardStop);
      logger.error({ err: error }, 'shutdown failed');
      exit(1);
    }
  };

  return (signal) => (running ??= run(signal));
}

/** Registers `createShutdown` on SIGTERM and SIGINT. */
export function shutdownOnSignals(options: TerminationOptions): (signal: string) => Promise<void> {
  const shutdown = createShutdown(options);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void shutdown(signal));
  return shutdown;
}

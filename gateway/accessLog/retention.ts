/**
 * Retention of the access log (`ACCESS_LOG_RETENTION_DAYS`): entries past it are deleted at start and
 * then once a day. The timer does not keep the process alive.
 */
import type { Logger } from '../../platform/logger.js';
import type { AccessLogStore } from './store.js';

export const DAY_MS = 24 * 60 * 60 * 1000;

export interface RetentionSchedule {
  /** The run made at start: how many entries it deleted (undefined when it failed; the failure is logged). */
  firstRun: Promise<number | undefined>;
  /** Runs now (unless a run is under way, whose result it then answers). */
  runNow(): Promise<number | undefined>;
  stop(): void;
}

export function scheduleRetention(
  store: Pick<AccessLogStore, 'deleteOlderThan'>,
  days: number,
  logger: Logger,
  options: { intervalMs?: number } = {},
): RetentionSchedule {
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`retention must be a whole number of days >= 1, got ${days}`);
  const log = logger.child({ component: 'access-log-retention' });
  let running: Promise<number | undefined> | undefined;

  const runNow = (): Promise<number | undefined> => {
    // One run at a time: a slow delete must not pile up behind the next tick.
    running ??= store
      .deleteOlderThan(days)
      .then(
        (deleted) => {
          log.info({ deleted, retentionDays: days }, 'access log retention applied');
          return deleted;
        },
        (err: unknown) => {
          log.error({ err, retentionDays: days }, 'access log retention failed; retrying at the next run');
          return undefined;
        },
      )
      .finally(() => {
        running = undefined;
      });
    return running;
  };

  const firstRun = runNow();
  const timer = setInterval(() => void runNow(), options.intervalMs ?? DAY_MS);
  timer.unref();
  return { firstRun, runNow, stop: () => clearInterval(timer) };
}

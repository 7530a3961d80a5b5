import type { Logger } from 'pino';

export interface ScreeningScheduleOptions {
  /** First wait after a failed run; doubles per failure in a row, never beyond the interval. */
  retryAfterMs?: number;
}

/**
 * Runs the screening now and then every `intervalMinutes` (0 = only now). A failed run is logged and the
 * register keeps its last good run; the next try comes sooner than the interval (30 s, doubling), so a
 * system that was slow while everything started does not leave the register empty for a whole interval.
 */
export function scheduleScreening(
  screen: () => Promise<unknown>,
  intervalMinutes: number,
  logger: Logger,
  options: ScreeningScheduleOptions = {},
): { first: Promise<void>; stop(): void } {
  const intervalMs = intervalMinutes * 60_000;
  const retryAfterMs = options.retryAfterMs ?? 30_000;
  let failuresInRow = 0;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  const runOnce = (): Promise<void> =>
    screen().then(
      () => {
        failuresInRow = 0;
      },
      (error: unknown) => {
        failuresInRow += 1;
        logger.error({ err: error, failuresInRow }, 'screening failed; the register keeps its last run');
      },
    );

  const scheduleNext = (): void => {
    if (stopped) return;
    const retrying = failuresInRow > 0;
    if (intervalMs <= 0 && !retrying) return;
    const backoff = retryAfterMs * 2 ** Math.min(failuresInRow - 1, 16);
    const waitMs = retrying ? (intervalMs > 0 ? Math.min(backoff, intervalMs) : backoff) : intervalMs;
    if (retrying) logger.info({ retryInMs: waitMs }, 'screening will be retried');
    timer = setTimeout(() => void runOnce().then(scheduleNext), waitMs);
    timer.unref();
  };

  const first = runOnce();
  void first.then(scheduleNext);
  return {
    first,
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

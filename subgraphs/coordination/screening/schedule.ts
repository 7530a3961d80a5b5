import type { Logger } from 'pino';
import type { CoordinationStore } from '../store/coordinationStore.js';
import type { DailyJob } from '../store/dailyJobs.js';

export interface ScreeningScheduleOptions {
  /** First wait after a failed run; doubles per failure in a row, never beyond the interval. */
  retryAfterMs?: number;
  /**
   * Tries of the first run before a failure counts as one (default 3), `startupRetryMs` apart (default
   * 5 s): while everything starts on a small machine, a system may not answer an extract page within
   * its timeout. Those tries are logged at info, not as errors: nothing is wrong yet.
   */
  startupAttempts?: number;
  startupRetryMs?: number;
}

/**
 * Runs the screening now and then every `intervalMinutes` (0 = only now). A failed run is logged and the
 * register keeps its last good run; the next try comes sooner than the interval (30 s, doubling), so a
 * system that was slow while everything started does not leave the register empty for a whole interval.
 * The first run is tried a few times quietly before it fails (`startupAttempts`); `first` settles when it
 * succeeded or those tries are spent, so `npm start` prints a sample from a filled register.
 */
export function scheduleScreening(
  screen: () => Promise<unknown>,
  intervalMinutes: number,
  logger: Logger,
  options: ScreeningScheduleOptions = {},
): { first: Promise<void>; stop(): void } {
  const intervalMs = intervalMinutes * 60_000;
  const retryAfterMs = options.retryAfterMs ?? 30_000;
  const startupAttempts = Math.max(1, options.startupAttempts ?? 3);
  const startupRetryMs = options.startupRetryMs ?? 5_000;
  let failuresInRow = 0;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  /** Ends a start-up wait early when the schedule is stopped. */
  let wake: (() => void) | null = null;

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

  /** The first run: quiet tries while the parts start, then an ordinary (logged) failure. */
  const runFirst = async (): Promise<void> => {
    for (let attempt = 1; attempt < startupAttempts && !stopped; attempt++) {
      try {
        await screen();
        return;
      } catch (error) {
        logger.info(
          { reason: error instanceof Error ? error.message : String(error), attempt, retryInMs: startupRetryMs },
          'screening could not run yet (the parts are still starting); trying again',
        );
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, startupRetryMs);
          timer.unref();
        });
        wake = null;
      }
    }
    if (!stopped) await runOnce();
  };

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

  const first = runFirst();
  void first.then(scheduleNext);
  return {
    first,
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      wake?.();
    },
  };
}

/**
 * A job every replica ticks and one of them runs per period (the daily review, the month's snapshot): the
 * job claims its period itself (store/dailyJobs.ts), so a tick that finds it taken does nothing. Ticks every
 * `intervalMinutes` (0 = never), the first `firstDelayMs` after start (the systems may still be starting);
 * a failed tick is logged and tried again at the next one.
 */
export function scheduleClaimedJob(
  run: () => Promise<unknown>,
  intervalMinutes: number,
  logger: Logger,
  options: { name: string; firstDelayMs: number },
): { stop(): void } {
  if (intervalMinutes <= 0) return { stop: () => undefined };
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const tick = (): void => {
    void run()
      .catch((error: unknown) => logger.warn({ err: error }, `${options.name} failed; it is tried again at the next tick`))
      .finally(() => {
        if (stopped) return;
        timer = setTimeout(tick, intervalMinutes * 60_000);
        timer.unref();
      });
  };
  timer = setTimeout(tick, options.firstDelayMs);
  timer.unref();
  return {
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/**
 * One run of such a job: claims `period` for this replica (store/dailyJobs.ts), does `work` and records its
 * outcome; a thrown error is recorded as FAILED (the period may be claimed again) and rethrown. Null when
 * another replica has the period or has done it; else the claim's attempt number.
 */
export async function runClaimedPeriod(
  store: Pick<CoordinationStore, 'claimDailyRun' | 'finishDailyRun'>,
  job: DailyJob,
  period: string,
  holder: string,
  work: () => Promise<{ succeeded: boolean; summary: string }>,
): Promise<{ attempt: number } | null> {
  const claim = await store.claimDailyRun(job, period, holder);
  if (!claim) return null;
  try {
    await store.finishDailyRun(claim, await work());
    return { attempt: claim.attempt };
  } catch (error) {
    await store
      .finishDailyRun(claim, { succeeded: false, summary: error instanceof Error ? error.message : String(error) })
      .catch(() => undefined);
    throw error;
  }
}

import type { Logger } from 'pino';
import type { CoordinationStore } from '../store/coordinationStore.js';
import type { DailyJob } from '../store/dailyJobs.js';
import { LeadershipLostError, withLeaseFence } from '../store/leaderLease.js';
import type { ScreeningStatus } from '../store/types.js';
import type { LeaderJob } from './leadership.js';

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
  /** Wait before the first run (a replica that took the lead over: the previous leader's run is recent); default 0. */
  firstDelayMs?: number;
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

  const reportFailure = (error: unknown): void => {
    failuresInRow += 1;
    if (error instanceof LeadershipLostError) {
      logger.warn(
        { epoch: error.fence.epoch },
        "screening not written: another replica took the lead over while it ran; the register keeps that leader's runs",
      );
    } else {
      logger.error({ err: error, failuresInRow }, 'screening failed; the register keeps its last run');
    }
  };

  const runOnce = (): Promise<void> =>
    screen().then(() => {
      failuresInRow = 0;
    }, reportFailure);

  /** Waits `ms`, or less when the schedule is stopped meanwhile. */
  const pause = async (ms: number): Promise<void> => {
    await new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, ms);
      timer.unref();
    });
    wake = null;
  };

  /** The first run: quiet tries while the parts start, then an ordinary (logged) failure. */
  const runFirst = async (): Promise<void> => {
    if ((options.firstDelayMs ?? 0) > 0) await pause(options.firstDelayMs ?? 0);
    for (let attempt = 1; attempt < startupAttempts && !stopped; attempt++) {
      try {
        await screen();
        return;
      } catch (error) {
        // Not a part still starting: this replica no longer leads, and trying again cannot help.
        if (error instanceof LeadershipLostError) return reportFailure(error);
        logger.info(
          { reason: error instanceof Error ? error.message : String(error), attempt, retryInMs: startupRetryMs },
          'screening could not run yet (the parts are still starting); trying again',
        );
        await pause(startupRetryMs);
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
 * A job the leader ticks and that runs once per period (the daily review, the month's snapshot): the job
 * claims its period itself (store/dailyJobs.ts), so a tick that finds it taken does nothing (a deposed
 * leader's tick still under way and the new leader's first one do not both run it). Ticks every
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

// ------------------------------------------------------------------ the jobs as the leader runs them

/**
 * When a replica that took the lead over runs its first screening: at the interval after the register's
 * last successful run (which the previous leader made), at once when there is none or it is older than
 * that; null when the interval is 0 (only at start) and the register has a run: nothing to do.
 */
export function screeningTakeoverDelay(status: ScreeningStatus, intervalMinutes: number, nowMs: number): number | null {
  const last = status.lastSucceededRun;
  if (last === null) return 0;
  if (intervalMinutes <= 0) return null;
  const intervalMs = intervalMinutes * 60_000;
  // Bounded by one interval: another replica's clock a little ahead must not postpone it further.
  return Math.min(intervalMs, Math.max(0, Date.parse(last.startedAt) + intervalMs - nowMs));
}

/**
 * The screening schedule as a leader's job: started when this replica takes the lead (at once when it
 * led from its start, as a single replica always did; else at the interval after the last run, see
 * `screeningTakeoverDelay`), stopped when it loses it. Each run writes under the lease it started in, so
 * a deposed leader's late write is refused (store/leaderLease.ts). `first` is the first run of a lead
 * taken at start (what `npm start` waits for), null otherwise.
 */
export function screeningJob(
  screen: () => Promise<unknown>,
  store: Pick<CoordinationStore, 'screeningStatus'>,
  intervalMinutes: number,
  logger: Logger,
  options: ScreeningScheduleOptions = {},
): LeaderJob & { readonly first: Promise<void> | null } {
  let first: Promise<void> | null = null;
  return {
    name: 'screening',
    get first() {
      return first;
    },
    async start(lead) {
      let firstDelayMs: number | null = 0;
      if (!lead.atStart) {
        firstDelayMs = await store.screeningStatus().then(
          (status) => screeningTakeoverDelay(status, intervalMinutes, Date.now()),
          () => 0, // the register's state unknown: one run too many rather than none
        );
      }
      if (firstDelayMs === null) return { stop: () => undefined };
      if (firstDelayMs > 0)
        logger.info({ firstRunInMs: firstDelayMs }, "screening taken over: the next run comes at the previous leader's interval");
      const schedule = scheduleScreening(() => withLeaseFence(lead.fence, screen), intervalMinutes, logger, { ...options, firstDelayMs });
      if (lead.atStart) first = schedule.first;
      return schedule;
    },
  };
}

/** A per-period job (`scheduleClaimedJob`) as a leader's job. */
export function claimedJob(
  name: string,
  run: () => Promise<unknown>,
  intervalMinutes: number,
  logger: Logger,
  firstDelayMs: number,
): LeaderJob {
  return { name, start: () => scheduleClaimedJob(run, intervalMinutes, logger, { name, firstDelayMs }) };
}

/**
 * For a replica that does not lead at its start (it serves queries while another runs the screening):
 * settles once the register has a successful run, or a run that finished after this call began has
 * failed (the first screening "settled"), or `stopped()` turns true. Reads the database every `pollMs`.
 */
export async function waitForScreeningRun(
  store: Pick<CoordinationStore, 'screeningStatus'>,
  options: { stopped: () => boolean; pollMs?: number },
): Promise<void> {
  const pollMs = options.pollMs ?? 1_000;
  /** Runs up to this id had finished before: only a later one settles it. */
  let finishedBefore: number | undefined;
  while (!options.stopped()) {
    const status = await store.screeningStatus().catch(() => null);
    if (status?.lastSucceededRun) return;
    if (status) {
      const last = status.lastRun;
      if (finishedBefore === undefined) finishedBefore = last === null ? 0 : last.finishedAt === null ? last.id - 1 : last.id;
      else if (last !== null && last.finishedAt !== null && last.id > finishedBefore) return;
    }
    await new Promise<void>((resolve) => setTimeout(resolve, pollMs).unref());
  }
}

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import pino from 'pino';
import { scheduleScreening } from '../../subgraphs/coordination/screening/schedule.js';

const logger = pino({ level: 'silent' });

describe('screening schedule', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('retries a failed run sooner than the interval, doubling the wait, then returns to the interval', async () => {
    const outcomes = [false, false, true, true];
    const runsAt: number[] = [];
    const screen = vi.fn(async () => {
      runsAt.push(Date.now());
      if (!outcomes.shift()) throw new Error('UU did not answer');
    });
    const start = Date.now();
    const schedule = scheduleScreening(screen, 15, logger, { retryAfterMs: 1_000 });
    await schedule.first;
    await vi.advanceTimersByTimeAsync(1_000); // first retry after 1 s
    await vi.advanceTimersByTimeAsync(2_000); // second after 2 s more: succeeds
    await vi.advanceTimersByTimeAsync(15 * 60_000); // then the interval
    schedule.stop();
    expect(runsAt.map((t) => t - start)).toEqual([0, 1_000, 3_000, 3_000 + 15 * 60_000]);
  });

  it('never waits longer than the interval between tries', async () => {
    const screen = vi.fn(async () => {
      throw new Error('down');
    });
    const schedule = scheduleScreening(screen, 1, logger, { retryAfterMs: 40_000 });
    await schedule.first;
    await vi.advanceTimersByTimeAsync(40_000 + 60_000 + 60_000);
    schedule.stop();
    expect(screen).toHaveBeenCalledTimes(4); // 0, 40 s, 100 s (80 s capped at 60 s), 160 s
  });

  it('runs once when the interval is 0 and the run succeeds; stop() ends retries', async () => {
    const ok = vi.fn(async () => undefined);
    await scheduleScreening(ok, 0, logger).first;
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(ok).toHaveBeenCalledTimes(1);

    const failing = vi.fn(async () => {
      throw new Error('down');
    });
    const schedule = scheduleScreening(failing, 0, logger, { retryAfterMs: 1_000 });
    await schedule.first;
    schedule.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(failing).toHaveBeenCalledTimes(1);
  });
});

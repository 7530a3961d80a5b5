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
    const schedule = scheduleScreening(screen, 15, logger, { retryAfterMs: 1_000, startupAttempts: 1 });
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
    const schedule = scheduleScreening(screen, 1, logger, { retryAfterMs: 40_000, startupAttempts: 1 });
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
    const schedule = scheduleScreening(failing, 0, logger, { retryAfterMs: 1_000, startupAttempts: 1 });
    await schedule.first;
    schedule.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(failing).toHaveBeenCalledTimes(1);
  });

  it('tries the first run quietly while the parts start: info lines, no error, and `first` settles on its success', async () => {
    const lines: { level: number; msg: string }[] = [];
    const recording = pino(
      { level: 'info' },
      { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }) },
    );
    const outcomes = [false, false, true];
    const runsAt: number[] = [];
    const screen = vi.fn(async () => {
      runsAt.push(Date.now());
      if (!outcomes.shift()) throw new Error('no answer within 3000 ms');
    });
    const start = Date.now();
    const schedule = scheduleScreening(screen, 15, recording, { startupAttempts: 3, startupRetryMs: 2_000 });
    let settled = false;
    void schedule.first.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(2_000);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(2_000);
    await schedule.first;
    schedule.stop();
    expect(runsAt.map((t) => t - start)).toEqual([0, 2_000, 4_000]);
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
    expect(lines.filter((line) => line.msg.startsWith('screening could not run yet'))).toHaveLength(2);
  });

  it('logs the first run as failed once the start-up tries are spent, and stop() ends a start-up wait', async () => {
    const lines: { level: number; msg: string }[] = [];
    const recording = pino(
      { level: 'info' },
      { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }) },
    );
    const down = vi.fn(async () => {
      throw new Error('down');
    });
    const failing = scheduleScreening(down, 15, recording, { startupAttempts: 2, startupRetryMs: 1_000 });
    await vi.advanceTimersByTimeAsync(1_000);
    await failing.first;
    failing.stop();
    expect(down).toHaveBeenCalledTimes(2);
    expect(lines.filter((line) => line.level >= 50).map((line) => line.msg)).toEqual(['screening failed; the register keeps its last run']);

    const stopped = scheduleScreening(down, 15, logger, { startupAttempts: 3, startupRetryMs: 60_000 });
    await Promise.resolve();
    stopped.stop();
    await stopped.first;
    expect(down).toHaveBeenCalledTimes(3);
  });
});

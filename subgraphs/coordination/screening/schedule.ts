import type { Logger } from 'pino';

/**
 * Runs the screening now and then every `intervalMinutes` (0 = only now). A failed run is logged and
 * retried at the next tick; the register keeps the last good run meanwhile.
 */
export function scheduleScreening(screen: () => Promise<unknown>, intervalMinutes: number, logger: Logger): { first: Promise<void>; stop(): void } {
  const runOnce = () =>
    screen().then(
      () => undefined,
      (error: unknown) => logger.error({ err: error }, 'screening failed; the register keeps its last run'),
    );
  const first = runOnce();
  const timer = intervalMinutes > 0 ? setInterval(() => void runOnce(), intervalMinutes * 60_000) : null;
  timer?.unref();
  return { first, stop: () => timer && clearInterval(timer) };
}

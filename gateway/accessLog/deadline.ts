/**
 * One deadline per path that touches the access log (docs/access.md, "Deadlines"): every call into the
 * store is raced against a timer, so a stalled database makes a request fail closed in bounded time
 * instead of hanging it (a paused PostgreSQL once held refused and unauthenticated requests 40 s and more).
 */

/** The access log did not answer within the path's deadline. */
export class AccessLogTimeoutError extends Error {
  override name = 'AccessLogTimeoutError';
  constructor(readonly ms: number) {
    super(`the access log did not answer within ${ms} ms`);
  }
}

/**
 * Resolves with `promise`, or rejects with AccessLogTimeoutError once `ms` have passed (then `onTimeout`
 * runs first: the caller withdraws what it can). The promise itself is not cancelled: its late outcome
 * is ignored (a late rejection is swallowed, never unhandled).
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, onTimeout?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new AccessLogTimeoutError(ms));
    }, ms);
  });
  promise.catch(() => undefined);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * How long before the caller's deadline the database must have taken a write. A write that reaches a
 * database that stalled (paused, partitioned) after its caller gave up must not land, or a request
 * answered 503 would be on record as a release; the database checks the write's `valid_until` itself
 * (migration 002), and the margin covers the commit and the answer's way back, and clock skew.
 */
export function writeMarginMs(deadlineMs: number): number {
  return Math.min(500, Math.floor(deadlineMs / 4));
}

/**
 * The policies around every call to an existing system (cockatiel), one set per system per process,
 * shared by every client of that system in the process (the school subgraph and the coordination both
 * call the school system: one breaker, one concurrency limit):
 *
 *   retry (idempotent reads only) → bulkhead (concurrency + queue) → circuit breaker → one attempt
 *
 * - **Timeout** per attempt: systemHttp.ts (axios' socket inactivity timeout plus a hard deadline per attempt).
 * - **Retries** with exponential backoff and decorrelated jitter, only for requests marked idempotent
 *   (GET, and the batch look-ups that are POST but read-only), only after a *fast* failure: refused,
 *   reset, 5xx, an unreadable body. A timeout is not retried: the time is already spent, and a slow
 *   system is not helped by more calls. Mutations of a system are never retried.
 * - **Circuit breaker**: `breakerThreshold` consecutive failures (timeouts included) open it; while
 *   open, calls fail at once with UPSTREAM_UNAVAILABLE naming the system; after `breakerHalfOpenMs` one
 *   trial call goes through (half-open): success closes it, failure opens it again.
 * - **Bulkhead**: at most `concurrency` calls in flight (the keep-alive agent's `maxSockets` bounds
 *   sockets too), `queue` more may wait; beyond that a call is refused at once (load shedding).
 *
 * Observers (metrics, /readyz): `onBreakerStateChange`, `onCall`, `breakerStates` below.
 */
import {
  BrokenCircuitError,
  BulkheadRejectedError,
  ConsecutiveBreaker,
  ExponentialBackoff,
  bulkhead,
  circuitBreaker,
  decorrelatedJitterGenerator,
  handleWhen,
  retry,
  wrap,
  type IPolicy,
} from 'cockatiel';
import type { Logger } from 'pino';
import {
  ResilienceBoard,
  breakerStateOf,
  type BreakerListener,
  type BreakerState,
  type CallListener,
  type CallOutcome,
} from '../../platform/resilience.js';

export type { BreakerState, CallOutcome } from '../../platform/resilience.js';

export interface SystemPolicyOptions {
  /** The system's name, as errors, logs and observers name it ("school"). */
  service: string;
  baseURL: string;
  concurrency: number;
  queue: number;
  retries: number;
  breakerThreshold: number;
  breakerHalfOpenMs: number;
  /** First and longest backoff before a retry (defaults 100 ms and 1 s). */
  retryInitialDelayMs?: number;
  retryMaxDelayMs?: number;
  /** Where breaker changes and retries are logged (the first client's logger for a shared policy). */
  logger?: Logger;
}

/** Why one attempt failed, in the terms the policies need. Never reaches a client. */
export class SystemCallFailure extends Error {
  override name = 'SystemCallFailure';
  constructor(
    /** network: refused, reset, DNS; status: 5xx or 429; invalidJson: a body that is not JSON. */
    readonly kind: 'network' | 'timeout' | 'status' | 'invalidJson',
    message: string,
  ) {
    super(message);
  }

  /** Fast failures may be retried (reads only); a timeout has already spent its time. */
  get retryable(): boolean {
    return this.kind !== 'timeout';
  }
}

/** The system refused the request itself (4xx other than a 404 read as "none"): our fault, not an outage. */
export class SystemRefusal extends Error {
  override name = 'SystemRefusal';
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

export interface SystemPolicy {
  readonly service: string;
  /**
   * Runs `attempt` under the system's policies. `attempt` gets an AbortSignal (cancellation) and throws
   * SystemCallFailure for what counts against the system. Throws BrokenCircuitError or
   * BulkheadRejectedError when nothing was sent.
   */
  execute<T>(route: string, idempotent: boolean, attempt: (signal: AbortSignal) => Promise<T>): Promise<T>;
  readonly state: BreakerState;
}

const board = new ResilienceBoard();
const policies = new Map<string, { key: string; policy: SystemPolicy }>();

/** Subscribe to breaker state changes of every existing system's breaker; returns an unsubscribe. */
export function onBreakerStateChange(listener: BreakerListener): () => void {
  return board.onBreakerStateChange(listener);
}

/** Subscribe to every attempt at an existing system (route is a template: `GET /jobcenter/api/borgere/:id`). */
export function onCall(listener: CallListener): () => void {
  return board.onCall(listener);
}

/**
 * Every existing system's breaker state in this process, by system name. An open breaker whose delay
 * has passed still reads `open` until the next call turns it half-open.
 */
export function breakerStates(): Record<string, BreakerState> {
  return board.breakerStates();
}

/** The one policy set for `options.service` in this process (a new one when its address or settings change). */
export function systemPolicy(options: SystemPolicyOptions): SystemPolicy {
  const key = JSON.stringify([
    options.baseURL,
    options.concurrency,
    options.queue,
    options.retries,
    options.breakerThreshold,
    options.breakerHalfOpenMs,
    options.retryInitialDelayMs,
    options.retryMaxDelayMs,
  ]);
  const existing = policies.get(options.service);
  if (existing?.key === key) return existing.policy;
  const policy = createSystemPolicy(options, key);
  policies.set(options.service, { key, policy });
  return policy;
}

function createSystemPolicy(options: SystemPolicyOptions, key: string): SystemPolicy {
  const { service } = options;
  const breaker = board.breaker(service, key, () =>
    circuitBreaker(
      handleWhen((error) => error instanceof SystemCallFailure),
      { halfOpenAfter: options.breakerHalfOpenMs, breaker: new ConsecutiveBreaker(options.breakerThreshold) },
    ),
  );
  breaker.onStateChange((state) => options.logger?.warn({ service, state: breakerStateOf(state) }, 'system circuit breaker changed state'));
  const limit = bulkhead(options.concurrency, options.queue);
  const retries = retry(
    handleWhen((error) => error instanceof SystemCallFailure && error.retryable),
    {
      maxAttempts: options.retries,
      backoff: new ExponentialBackoff({
        generator: decorrelatedJitterGenerator,
        initialDelay: options.retryInitialDelayMs ?? 100,
        maxDelay: options.retryMaxDelayMs ?? 1000,
      }),
    },
  );
  retries.onRetry((event) =>
    options.logger?.debug(
      { service, attempt: event.attempt, delayMs: Math.round(event.delay), reason: 'error' in event ? String(event.error) : undefined },
      'retrying a system read',
    ),
  );
  const reads: IPolicy = wrap(retries, limit, breaker);
  const writes: IPolicy = wrap(limit, breaker);

  return {
    service,
    get state() {
      return breakerStateOf(breaker.state);
    },
    async execute<T>(route: string, idempotent: boolean, attempt: (signal: AbortSignal) => Promise<T>): Promise<T> {
      let attemptNo = 0;
      const started = performance.now();
      try {
        return await (idempotent ? reads : writes).execute(async ({ signal }) => {
          const number = attemptNo++;
          const attemptStarted = performance.now();
          try {
            const result = await attempt(signal);
            board.reportCall(service, route, performance.now() - attemptStarted, 'ok', number);
            return result;
          } catch (error) {
            const outcome: CallOutcome =
              error instanceof SystemCallFailure && error.kind === 'timeout'
                ? 'timeout'
                : error instanceof SystemRefusal
                  ? 'refused'
                  : 'error';
            board.reportCall(service, route, performance.now() - attemptStarted, outcome, number);
            throw error;
          }
        });
      } catch (error) {
        if (error instanceof BrokenCircuitError) board.reportCall(service, route, performance.now() - started, 'open', attemptNo);
        else if (error instanceof BulkheadRejectedError)
          board.reportCall(service, route, performance.now() - started, 'rejected', attemptNo);
        throw error;
      }
    },
  };
}

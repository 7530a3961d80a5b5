/**
 * What the system clients (subgraphs/kit/resilience.ts) and the gateway's subgraph calls
 * (gateway/resilience.ts) share: cockatiel circuit breakers registered by the name of what they guard,
 * and an observer API for metrics and readiness. Nothing here depends on a metrics library: whoever
 * exports metrics subscribes.
 */
import { type CircuitBreakerPolicy, CircuitState, type IDisposable } from 'cockatiel';

export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * How one call ended: `ok` (an answer, a 404 read as "none" included), `error` (the target failed:
 * refused, reset, 5xx, unreadable body), `timeout`, `refused` (the target answered but refused the
 * request, a 4xx: no outage), `rejected` (the concurrency limit's queue was full, nothing was sent),
 * `open` (the breaker was open, nothing was sent).
 */
export type CallOutcome = 'ok' | 'error' | 'timeout' | 'refused' | 'rejected' | 'open';

export type BreakerListener = (service: string, state: BreakerState) => void;
export type CallListener = (service: string, route: string, ms: number, outcome: CallOutcome, detail: { attempt: number }) => void;

export function breakerStateOf(state: CircuitState): BreakerState {
  if (state === CircuitState.Closed) return 'closed';
  if (state === CircuitState.HalfOpen) return 'half-open';
  return 'open';
}

/**
 * Breakers by name, one per guarded target per process, and the listeners to tell. Listener errors are
 * swallowed: an observer must never fail a call.
 */
export class ResilienceBoard {
  private readonly breakers = new Map<string, { key: string; breaker: CircuitBreakerPolicy; subscription: IDisposable }>();
  private readonly breakerListeners = new Set<BreakerListener>();
  private readonly callListeners = new Set<CallListener>();

  /**
   * The breaker for `service`, made by `create` the first time or when `key` (the target's address and
   * settings) changes; callers with the same key share one.
   */
  breaker(service: string, key: string, create: () => CircuitBreakerPolicy): CircuitBreakerPolicy {
    const existing = this.breakers.get(service);
    if (existing?.key === key) return existing.breaker;
    existing?.subscription.dispose();
    const breaker = create();
    const subscription = breaker.onStateChange((state) => this.emitBreaker(service, breakerStateOf(state)));
    this.breakers.set(service, { key, breaker, subscription });
    return breaker;
  }

  /** Every registered breaker's state, by service. */
  breakerStates(): Record<string, BreakerState> {
    return Object.fromEntries([...this.breakers].map(([service, { breaker }]) => [service, breakerStateOf(breaker.state)]));
  }

  /** Called on every state change; returns a function that unsubscribes. */
  onBreakerStateChange(listener: BreakerListener): () => void {
    this.breakerListeners.add(listener);
    return () => this.breakerListeners.delete(listener);
  }

  /** Called once per attempt (a retried read reports each attempt); returns a function that unsubscribes. */
  onCall(listener: CallListener): () => void {
    this.callListeners.add(listener);
    return () => this.callListeners.delete(listener);
  }

  reportCall(service: string, route: string, ms: number, outcome: CallOutcome, attempt = 0): void {
    for (const listener of this.callListeners) {
      try {
        listener(service, route, ms, outcome, { attempt });
      } catch {
        // An observer must not fail the call it observes.
      }
    }
  }

  private emitBreaker(service: string, state: BreakerState): void {
    for (const listener of this.breakerListeners) {
      try {
        listener(service, state);
      } catch {
        // As above.
      }
    }
  }
}

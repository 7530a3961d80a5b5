/**
 * The gateway's policies around subgraph calls (used by subgraphDataSource.ts):
 *
 * - **A deadline for the whole request** (`REQUEST_DEADLINE_MS`, counted from when Apollo Server starts
 *   the request): every subgraph call gets min(`SUBGRAPH_TIMEOUT_MS`, time left), and a call whose time
 *   is up is not sent. A dossier's three hops therefore answer, partially if need be, within it.
 * - **A circuit breaker per subgraph** (cockatiel, consecutive): `SUBGRAPH_BREAKER_THRESHOLD`
 *   consecutive failures (refused, reset, timeout within its own full timeout, HTTP 5xx, a body that is
 *   not JSON) open it; while open, calls fail at once with SUBGRAPH_UNAVAILABLE naming the subgraph;
 *   after `SUBGRAPH_BREAKER_HALF_OPEN_MS` one trial call goes through. A subgraph that answers with
 *   GraphQL errors (its system is down) is up: that is the system breakers' business. A call cut
 *   short by the request's deadline does not count either: the time went elsewhere.
 * - **No retries**: the gateway sends every subgraph call once, so a mutation is never sent twice.
 *   Retries of reads live at the system clients (subgraphs/kit/resilience.ts), where a read is known
 *   to be a read.
 *
 * Observers (metrics, /readyz): `onBreakerStateChange`, `onCall`, `breakerStates`, as for the systems.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ApolloServerPlugin } from '@apollo/server';
import { ConsecutiveBreaker, circuitBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel';
import type { Logger } from 'pino';
import { readInt } from '../platform/env.js';
import {
  ResilienceBoard,
  breakerStateOf,
  type BreakerListener,
  type BreakerState,
  type CallListener,
  type CallOutcome,
} from '../platform/resilience.js';

export type { BreakerState, CallOutcome } from '../platform/resilience.js';

export interface GatewayResilienceConfig {
  /** REQUEST_DEADLINE_MS: the longest a request may spend on subgraph calls, all hops together. */
  requestDeadlineMs: number;
  /** SUBGRAPH_BREAKER_THRESHOLD: consecutive failures that open a subgraph's breaker. */
  breakerThreshold: number;
  /** SUBGRAPH_BREAKER_HALF_OPEN_MS: how long an open breaker fails fast before one trial call. */
  breakerHalfOpenMs: number;
}

type Env = Record<string, string | undefined>;

export function loadGatewayResilienceConfig(env: Env = process.env): GatewayResilienceConfig {
  return {
    requestDeadlineMs: readInt(env, 'REQUEST_DEADLINE_MS', 10_000, 1, 600_000),
    breakerThreshold: readInt(env, 'SUBGRAPH_BREAKER_THRESHOLD', 5, 1, 1000),
    breakerHalfOpenMs: readInt(env, 'SUBGRAPH_BREAKER_HALF_OPEN_MS', 10_000, 10, 3_600_000),
  };
}

const board = new ResilienceBoard();

/** Subscribe to state changes of every subgraph's breaker; returns an unsubscribe. */
export function onBreakerStateChange(listener: BreakerListener): () => void {
  return board.onBreakerStateChange(listener);
}

/** Subscribe to every subgraph call (route: `query`, `mutation` or `subscription`); returns an unsubscribe. */
export function onCall(listener: CallListener): () => void {
  return board.onCall(listener);
}

/** Every subgraph breaker's state in this process, by subgraph name. */
export function breakerStates(): Record<string, BreakerState> {
  return board.breakerStates();
}

export function reportSubgraphCall(subgraph: string, operation: string, ms: number, outcome: CallOutcome): void {
  board.reportCall(subgraph, operation, ms, outcome);
}

/** A failure that counts against a subgraph's breaker; carries the error the client gets. */
export class SubgraphFailure extends Error {
  override name = 'SubgraphFailure';
  constructor(readonly clientError: Error) {
    super(clientError.message);
  }
}

/** The one breaker for subgraph `name` in this process (a new one when its URL or settings change). */
export function subgraphBreaker(
  name: string,
  url: string,
  settings: Pick<GatewayResilienceConfig, 'breakerThreshold' | 'breakerHalfOpenMs'>,
  logger?: Logger,
): CircuitBreakerPolicy {
  return board.breaker(name, JSON.stringify([url, settings.breakerThreshold, settings.breakerHalfOpenMs]), () => {
    const breaker = circuitBreaker(
      handleWhen((error) => error instanceof SubgraphFailure),
      {
        halfOpenAfter: settings.breakerHalfOpenMs,
        breaker: new ConsecutiveBreaker(settings.breakerThreshold),
      },
    );
    breaker.onStateChange((state) =>
      logger?.warn({ service: name, state: breakerStateOf(state) }, 'subgraph circuit breaker changed state'),
    );
    return breaker;
  });
}

/** Request deadlines, by Apollo Server's context value (the object every subgraph call is handed). */
const deadlines = new WeakMap<object, number>();

/** Starts each request's clock. */
export function requestDeadlinePlugin<TContext extends object>(deadlineMs: number): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart({ contextValue }) {
      deadlines.set(contextValue, performance.now() + deadlineMs);
    },
  };
}

/** Milliseconds left of the request's deadline, or undefined when the request has none. */
export function timeLeft(context: unknown): number | undefined {
  if (typeof context !== 'object' || context === null) return undefined;
  const deadline = deadlines.get(context);
  return deadline === undefined ? undefined : deadline - performance.now();
}

/** The timeout of the subgraph call in progress, for the fetcher (it is not handed the context). */
export const callTimeout = new AsyncLocalStorage<number>();

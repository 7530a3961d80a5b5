/**
 * A subgraph's part of the metrics (platform/metrics.ts names them all): its requests by outcome, its
 * errors by code, and the calls to the existing systems with their breakers (from resilience.ts'
 * observers, process-wide: in the one-process stack the subgraphs share one breaker per system).
 */
import type { RequestEnd } from '../../platform/graphqlHttp.js';
import { observeSystemCall, registerBreakerSource, requestOutcome, subgraphRequestDuration } from '../../platform/metrics.js';
import { breakerStates, onCall } from './resilience.js';

/** The part name the systems' breakers are reported under (`ungegraf_breaker_state{part="systems"}`). */
export const SYSTEMS_PART = 'systems';

/** For `createGraphQLHandler({ onRequestEnd })`: one observation per `/graphql` request of `subgraph`. */
export function subgraphRequestObserver(subgraph: string) {
  return (event: RequestEnd): void => {
    subgraphRequestDuration.observe({ subgraph, outcome: requestOutcome(event.status, event.scope) }, event.seconds);
  };
}

let wired = false;

/** System calls and the systems' breaker states into the metrics, once per process. */
export function wireSystemResilienceMetrics(): void {
  if (wired) return;
  wired = true;
  onCall((system, route, ms, outcome) => observeSystemCall({ system, route, outcome, seconds: ms / 1000 }));
  registerBreakerSource(SYSTEMS_PART, breakerStates);
}

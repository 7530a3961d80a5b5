/**
 * The request a piece of code is working for, carried by AsyncLocalStorage from the moment a server
 * (gateway, subgraph, simulated system) reads the request until its answer is sent. The logger adds the
 * request id to every line written inside that scope (platform/logger.ts), including the lines Apollo
 * Server and the gateway write themselves, which no child logger of ours could reach.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestScope {
  requestId: string;
  /** What the GraphQL layer learnt of the request, for the HTTP layer's metrics (platform/metrics.ts). */
  operation?: string;
  outcome?: 'ok' | 'partial' | 'error';
}

const storage = new AsyncLocalStorage<RequestScope>();

/** Runs `fn` as part of the request: everything it starts, awaits or logs belongs to it. */
export function runInRequestScope<T>(scope: RequestScope | string, fn: () => T): T {
  return storage.run(typeof scope === 'string' ? { requestId: scope } : scope, fn);
}

/** The request being served here, if any. */
export function currentRequestScope(): RequestScope | undefined {
  return storage.getStore();
}

/** The id of the request being served here, if any. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

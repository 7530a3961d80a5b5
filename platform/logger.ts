import { pino, type Logger } from 'pino';
import { currentRequestId } from './requestScope.js';

/**
 * The one structured logger. Every process names itself (`service`) so that lines from the gateway,
 * the subgraphs and the simulated systems can be told apart when they share a terminal. Every line
 * written while a request is being served carries its `requestId` (platform/requestScope.ts), the id
 * the gateway forwards to the subgraphs and they to the existing systems: one id follows a request
 * through every part's log. A `requestId` given explicitly on a line wins.
 */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? defaultLevel()): Logger {
  return pino({ name: service, level, base: { service }, mixin: requestIdMixin });
}

function requestIdMixin(): Record<string, string> {
  const requestId = currentRequestId();
  return requestId === undefined ? {} : { requestId };
}

function defaultLevel(): string {
  // Tests start many servers; their chatter hides the failure a reader is looking for.
  return process.env.VITEST ? 'silent' : 'info';
}

export type { Logger };

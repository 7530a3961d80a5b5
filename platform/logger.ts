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
  return pino({ name: service, level, base: { service }, mixin: requestIdMixin }, stdout);
}

/**
 * Standard output, written synchronously. pino's default writes asynchronously and, at exit, writes
 * what is left synchronously: a line still being written then comes out after the lines logged later
 * ("stopped" before "access log closed" at shutdown). The parts log little (a line per request only at
 * debug level), so a synchronous write costs nothing that matters and keeps every line in order.
 */
const stdout = pino.destination({ dest: 1, sync: true });

function requestIdMixin(): Record<string, string> {
  const requestId = currentRequestId();
  return requestId === undefined ? {} : { requestId };
}

function defaultLevel(): string {
  // Tests start many servers; their chatter hides the failure a reader is looking for.
  return process.env.VITEST ? 'silent' : 'info';
}

export type { Logger };

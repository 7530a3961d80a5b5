import { pino, type Logger } from 'pino';

/**
 * The one structured logger. Every process names itself (`service`) so that lines from the gateway,
 * the subgraphs and the simulated systems can be told apart when they share a terminal.
 */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? defaultLevel()): Logger {
  return pino({ name: service, level, base: { service } });
}

function defaultLevel(): string {
  // Tests start many servers; their chatter hides the failure a reader is looking for.
  return process.env.VITEST ? 'silent' : 'info';
}

export type { Logger };

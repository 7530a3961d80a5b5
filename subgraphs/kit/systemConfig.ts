import { readInt, readUrl } from '../../platform/env.js';

/** How a subgraph reaches its existing system: the settings every system shares. */
export interface SystemConnection {
  url: string;
  timeoutMs: number;
  /** Most calls in flight to this system at once. */
  concurrency: number;
}

type Env = Record<string, string | undefined>;

export function readSystemConnection(env: Env, prefix: string, defaultPort: number): SystemConnection {
  return {
    url: readUrl(env, `${prefix}_URL`, `http://127.0.0.1:${defaultPort}`),
    timeoutMs: readInt(env, `${prefix}_TIMEOUT_MS`, 3000, 1, 120_000),
    concurrency: readInt(env, `${prefix}_CONCURRENCY`, 8, 1, 256),
  };
}

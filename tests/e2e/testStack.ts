import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startStack, type Stack, type StackOptions } from '../../stack/startStack.js';

/** The fixed day the end-to-end suites evaluate the rules on (the population is generated for it). */
export const TEST_TODAY = '2026-11-01';

export interface TestStack extends Stack {
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<{ data?: T; errors?: GraphQLErrorShape[] }>;
  /** Stops everything and removes what the run stored, unless `keepData`. */
  shutdown(options?: { keepData?: boolean }): Promise<void>;
  dataDir: string;
  schema: string;
}

export interface GraphQLErrorShape {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; service?: string; [key: string]: unknown };
}

/**
 * The whole graph on ephemeral ports over a small, seeded population. The store is embedded PGlite in
 * a temporary directory, or the server in DATABASE_URL (CI) in a schema of its own.
 */
export async function startTestStack(
  options: { scale?: number; dataDir?: string; schema?: string; env?: Record<string, string>; stack?: Partial<StackOptions> } = {},
): Promise<TestStack> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ungegraf-e2e-'));
  const schema = options.schema ?? `e2e_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const env: Record<string, string | undefined> = {
    ...process.env,
    COORDINATION_DATA_DIR: dataDir,
    COORDINATION_DB_SCHEMA: schema,
    SCREENING_INTERVAL_MINUTES: '0',
    ...options.env,
  };
  const stack = await startStack({
    env,
    ports: {
      gateway: 0,
      subgraphs: { school: 0, guidance: 0, jobcenter: 0, social: 0, benefits: 0, coordination: 0 },
      systems: { school: 0, guidance: 0, jobcenter: 0, social: 0, benefits: 0 },
    },
    population: { scale: options.scale ?? 0.05 },
    awaitScreening: true,
    today: () => TEST_TODAY,
    ...options.stack,
  });

  async function gql<T>(query: string, variables?: Record<string, unknown>): Promise<{ data?: T; errors?: GraphQLErrorShape[] }> {
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: T; errors?: GraphQLErrorShape[] };
  }

  return {
    ...stack,
    gql,
    dataDir,
    schema,
    async shutdown({ keepData = false } = {}) {
      await stack.close();
      if (keepData) return;
      rmSync(dataDir, { recursive: true, force: true });
      if (env.DATABASE_URL) {
        const client = new pg.Client({ connectionString: env.DATABASE_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
      }
    },
  };
}

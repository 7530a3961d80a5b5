import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startStack, type Stack, type StackOptions } from '../../stack/startStack.js';
import { devTokenFor } from '../../platform/auth/mint.js';
import type { RoleName } from '../../platform/access/roles.js';
import { subgraphRequestDuration } from '../../platform/metrics.js';
import { SUBGRAPH_NAMES } from '../../subgraphs/registry.js';
import { SYSTEM_NAMES } from '../../systems/kit/system.js';

/** The fixed day the end-to-end suites evaluate the rules on (the population is generated for it). */
export const TEST_TODAY = '2026-11-01';

/** Who asks: a role from docs/access.md (a development token is minted for it), or a raw header. */
export interface Caller {
  role?: RoleName;
  institution?: string;
  authorization?: string | null;
  headers?: Record<string, string>;
}

export interface TestStack extends Stack {
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, caller?: Caller): Promise<{ data?: T; errors?: GraphQLErrorShape[]; status: number }>;
  tokenFor(role: RoleName, institution?: string): Promise<string>;
  /** Stops everything and removes what the run stored, unless `keepData`. */
  shutdown(options?: { keepData?: boolean }): Promise<void>;
  dataDir: string;
  schema: string;
  /** The environment the stack was configured from (a second gateway over the same subgraphs uses it too). */
  env: Record<string, string | undefined>;
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
    COORDINATION_DATA_DIR: join(dataDir, 'coordination'),
    COORDINATION_DB_SCHEMA: schema,
    AUDIT_DATA_DIR: join(dataDir, 'audit'),
    AUDIT_DB_SCHEMA: `${schema}_audit`,
    SCREENING_INTERVAL_MINUTES: '0',
    // Suites run in parallel against one Redis (CI): each stack keeps its own APQ and rate-limit counters.
    REDIS_KEY_PREFIX: `ungegraf:test:${schema}:`,
    ...options.env,
  };
  const stack = await startStack({
    env,
    ports: {
      gateway: 0,
      subgraphs: Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, 0])),
      systems: Object.fromEntries(SYSTEM_NAMES.map((name) => [name, 0])),
    },
    population: { scale: options.scale ?? 0.05 },
    awaitScreening: true,
    today: () => TEST_TODAY,
    ...options.stack,
  });

  const tokens = new Map<string, Promise<string>>();
  const tokenFor = (role: RoleName, institution?: string) => {
    const key = `${role}/${institution ?? ''}`;
    let token = tokens.get(key);
    if (!token) {
      token = devTokenFor(role, { institution, subject: `e2e-${role}`, env });
      tokens.set(key, token);
    }
    return token;
  };

  async function gql<T>(query: string, variables?: Record<string, unknown>, caller: Caller = {}): Promise<{ data?: T; errors?: GraphQLErrorShape[]; status: number }> {
    const authorization =
      caller.authorization !== undefined ? caller.authorization : `Bearer ${await tokenFor(caller.role ?? 'social-caseworker', caller.institution)}`;
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}), ...caller.headers },
      body: JSON.stringify({ query, variables }),
    });
    return { ...((await response.json()) as { data?: T; errors?: GraphQLErrorShape[] }), status: response.status };
  }

  return {
    ...stack,
    gql,
    tokenFor,
    dataDir,
    schema,
    env,
    async shutdown({ keepData = false } = {}) {
      await stack.close();
      if (keepData) return;
      rmSync(dataDir, { recursive: true, force: true });
      if (env.DATABASE_URL) {
        const client = new pg.Client({ connectionString: env.DATABASE_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.query(`DROP SCHEMA IF EXISTS "${schema}_audit" CASCADE`);
        await client.end();
      }
    },
  };
}

/** Requests subgraph `name` has served in this process so far, whatever their outcome (its metric). */
export async function subgraphRequestsServed(name: string): Promise<number> {
  const { values } = await subgraphRequestDuration.get();
  return values.filter((value) => value.metricName?.endsWith('_count') && value.labels['subgraph'] === name).reduce((sum, value) => sum + value.value, 0);
}

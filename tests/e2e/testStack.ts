import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startStack, type Stack, type StackOptions } from '../../stack/startStack.js';
import { devTokenFor } from '../../platform/authentication/mint.js';
import type { RoleName } from '../../platform/authorization/roles.js';
import { subgraphRequestDuration } from '../../platform/metrics.js';
import { SUBGRAPH_NAMES } from '../../subgraphs/registry.js';
import { seedPGliteDirs } from './pgliteTemplate.js';
import { SYSTEM_NAMES } from '../../systems/kit/system.js';
import { appliesTo } from '../../platform/authorization/relation.js';
import { relationClaimsFor, type RelationClaims } from './relations.js';

/** The fixed day the end-to-end suites evaluate the rules on (the population is generated for it). */
export const TEST_TODAY = '2026-11-01';

/** Who asks: a role from docs/access.md (a development token is minted for it), or a raw header. */
export interface Caller {
  role?: RoleName;
  institution?: string;
  /**
   * Need to know: the young person(s) the caller must relate to; the token carries the unit and staff id
   * the systems name for them (relations.ts). Without it a municipal role has its default unit and no
   * staff id, and sees only what that unit relates to.
   */
  youth?: string | readonly string[];
  authorization?: string | null;
  headers?: Record<string, string>;
}

export interface TestStack extends Stack {
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    caller?: Caller,
  ): Promise<{ data?: T; errors?: GraphQLErrorShape[]; status: number }>;
  tokenFor(role: RoleName, institution?: string, claims?: RelationClaims): Promise<string>;
  /** The unit and staff id under which `role` relates to every one of `youthIds` (throws when none does). */
  relationFor(role: RoleName, youthIds: string | readonly string[]): Promise<RelationClaims>;
  /** A token for `role` related to every one of `youthIds` (need to know). */
  tokenForYouth(role: RoleName, youthIds: string | readonly string[]): Promise<string>;
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
    // The register as the first screening left it, unless a test follows the systems' change feeds itself
    // (tests/e2e/changeFeeds.test.ts turns them on).
    CHANGE_FEEDS: 'false',
    // Suites run in parallel against one Redis (CI): each stack keeps its own APQ and rate-limit counters.
    REDIS_KEY_PREFIX: `ungegraf:test:${schema}:`,
    ...options.env,
  };
  // Embedded databases start from a copied empty data directory, not initdb (tests/e2e/pgliteTemplate.ts).
  if (!env.DATABASE_URL) await seedPGliteDirs([env.COORDINATION_DATA_DIR!, env.AUDIT_DATA_DIR!]);
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
  const tokenFor = (role: RoleName, institution?: string, claims: RelationClaims = {}) => {
    const key = `${role}/${institution ?? ''}/${claims.unit ?? ''}/${claims.staffId ?? ''}`;
    let token = tokens.get(key);
    if (!token) {
      token = devTokenFor(role, { institution, subject: `e2e-${role}`, env, ...claims });
      tokens.set(key, token);
    }
    return token;
  };
  // Read from the register on every call: a contact person assigned meanwhile is a relation at once.
  const relationFor = async (role: RoleName, youthIds: string | readonly string[]): Promise<RelationClaims> => {
    if (!appliesTo({ role, institution: null })) return {};
    const ids = typeof youthIds === 'string' ? [youthIds] : youthIds;
    const entries = await stack.store.registerEntries(ids);
    const facts = entries.map((entry, i) => {
      if (!entry) throw new Error(`young person ${ids[i]} is not in the register`);
      return entry.facts;
    });
    return relationClaimsFor(role, facts, TEST_TODAY);
  };
  const tokenForYouth = async (role: RoleName, youthIds: string | readonly string[]) => {
    // A young person's own login relates to themself only: its subject is their id.
    if (role === 'youth') return devTokenFor(role, { subject: typeof youthIds === 'string' ? youthIds : (youthIds[0] ?? ''), env });
    return tokenFor(role, undefined, await relationFor(role, youthIds));
  };

  async function gql<T>(
    query: string,
    variables?: Record<string, unknown>,
    caller: Caller = {},
  ): Promise<{ data?: T; errors?: GraphQLErrorShape[]; status: number }> {
    const authorization =
      caller.authorization !== undefined
        ? caller.authorization
        : caller.youth !== undefined
          ? `Bearer ${await tokenForYouth(caller.role ?? 'social-caseworker', caller.youth)}`
          : `Bearer ${await tokenFor(caller.role ?? 'social-caseworker', caller.institution)}`;
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
    relationFor,
    tokenForYouth,
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
  return values
    .filter((value) => value.metricName?.endsWith('_count') && value.labels['subgraph'] === name)
    .reduce((sum, value) => sum + value.value, 0);
}

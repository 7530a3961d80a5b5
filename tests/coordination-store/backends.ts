import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createLogger } from '../../platform/logger.js';
import { openDatabase, quoteIdentifier, type Database } from '../../platform/db/database.js';
import { migrate } from '../../platform/db/migrate.js';
import { MIGRATIONS_DIR } from '../../subgraphs/coordination/store/index.js';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { CoordinationStore, StoreError } from '../../subgraphs/coordination/store/coordinationStore.js';
import { seedPGliteDirs } from '../e2e/pgliteTemplate.js';

/**
 * The backends every suite runs against: PGlite in memory always, and the real PostgreSQL server when
 * DATABASE_URL is set. On the server each suite works in a schema of its own (dropped afterwards), so
 * suites, forks and other projects' tests can share the database.
 */
export interface Backend {
  name: 'pglite' | 'postgres';
  url: string | undefined;
}

export const logger = createLogger('coordination-store-test');

const url = process.env.DATABASE_URL || undefined;

export const backends: Backend[] = [{ name: 'pglite', url: undefined }, ...(url ? [{ name: 'postgres' as const, url }] : [])];

export function uniqueSchema(prefix = 'coord_test'): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/**
 * Opens a database for a backend, in a fresh schema on the server (unmigrated). PGlite gets a data
 * directory of its own copied from an empty one (tests/e2e/pgliteTemplate.ts: ~0.35 s instead of ~3.5 s
 * for initdb in memory), removed when the database closes.
 */
export async function openFresh(backend: Backend, schema = uniqueSchema()): Promise<Database> {
  if (backend.url) return openDatabase({ url: backend.url, dataDir: 'memory://', logger, schema });
  const dataDir = mkdtempSync(join(tmpdir(), 'ungegraf-store-test-'));
  rmSync(dataDir, { recursive: true });
  await seedPGliteDirs([dataDir]);
  const db = await openDatabase({ dataDir, logger, schema });
  const close = db.close.bind(db);
  db.close = async () => {
    await close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return db;
}

export async function openMigrated(backend: Backend): Promise<{ db: Database; store: CoordinationStore; cleanup: () => Promise<void> }> {
  const db = await openFresh(backend);
  await migrate(db, { logger, dir: MIGRATIONS_DIR });
  return {
    db,
    store: new CoordinationStore(db),
    cleanup: async () => {
      await db.close();
      if (backend.url) await dropSchema(backend.url, db.schema);
    },
  };
}

export async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
  } finally {
    await client.end();
  }
}

/** Back to the migrated state: seed contact persons only, nothing else. */
export async function resetData(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    // Every table the migrations made (a new one is reset without being named here), but the migration
    // record and the seeded contact persons, which are put back to their seed.
    const { rows } = await tx.query<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()
         AND tablename NOT IN ('schema_migrations', 'contact_persons') ORDER BY tablename`,
    );
    const tables = rows.map((row) => quoteIdentifier(row.name)).join(', ');
    await tx.exec(`
      TRUNCATE ${tables} RESTART IDENTITY;
      DELETE FROM contact_persons WHERE id NOT IN ('gkp-mette-kjaer', 'gkp-jonas-brandt', 'gkp-sara-holm');
      UPDATE contact_persons SET active = true, caseload_limit = 25;
    `);
  });
}

/** Row counts of every table the store writes, to prove a refused call wrote nothing. */
export async function tableCounts(db: Database): Promise<Record<string, number>> {
  const { rows } = await db.query<Record<string, number>>(`
    SELECT (SELECT count(*)::int FROM contact_persons) AS contact_persons,
           (SELECT count(*)::int FROM contact_person_assignments) AS assignments,
           (SELECT count(*)::int FROM contact_person_assignments WHERE ended_at IS NOT NULL) AS ended_assignments,
           (SELECT count(*)::int FROM plan_actions) AS plan_actions,
           (SELECT count(*)::int FROM plan_actions WHERE status = 'DONE') AS done_actions,
           (SELECT count(*)::int FROM joint_decisions) AS joint_decisions,
           (SELECT count(*)::int FROM youth_screening) AS screening,
           (SELECT count(*)::int FROM screening_runs) AS runs,
           (SELECT count(*)::int FROM idempotent_requests) AS idempotent_requests`);
  return rows[0] ?? {};
}

export const METTE = 'gkp-mette-kjaer';
export const JONAS = 'gkp-jonas-brandt';
export const SARA = 'gkp-sara-holm';

/** Opens a migrated store once per suite, empties its tables before each test, and drops it after. */
export function useMigratedStore(backend: Backend, assign: (opened: { db: Database; store: CoordinationStore }) => void): void {
  let opened: Awaited<ReturnType<typeof openMigrated>> | undefined;
  beforeAll(async () => {
    opened = await openMigrated(backend);
    assign(opened);
  });
  afterAll(async () => opened?.cleanup());
  beforeEach(async () => opened && resetData(opened.db));
}

/** The StoreError a refused call rejects with (the test fails if it resolves or throws something else). */
export async function refusal(promise: Promise<unknown>): Promise<StoreError> {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(StoreError);
  return error as StoreError;
}

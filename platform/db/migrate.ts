import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256Hex } from '../hash.js';
import type { Logger } from '../logger.js';
import { quoteIdentifier, type Database } from './database.js';

/**
 * Applies a folder of numbered SQL files (`NNN_name.sql`) in order, each at most once
 * per schema, recorded in `schema_migrations`. All of it runs in one transaction behind a
 * transaction-scoped advisory lock, so replicas starting together queue up: the first applies, the
 * others find the work done. A failing file rolls everything back.
 */

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  /** Versions this call applied (empty when the schema was up to date). */
  applied: number[];
  /** The newest version now in the schema. */
  current: number;
}

const FILE_NAME = /^(\d{3})_([a-z0-9_]+)\.sql$/;
/** First key of the advisory locks this subgraph takes ('unge'); the second is derived from the purpose and schema. */
export const LOCK_NAMESPACE = 0x756e6765;

export async function loadMigrations(dir: string): Promise<Migration[]> {
  const migrations: Migration[] = [];
  for (const file of (await readdir(dir)).sort()) {
    if (!file.endsWith('.sql')) continue;
    const match = FILE_NAME.exec(file);
    if (!match) throw new Error(`migration file "${file}" must be named NNN_lower_case_name.sql`);
    const sql = (await readFile(join(dir, file), 'utf8')).replace(/\r\n/g, '\n');
    const version = Number(match[1]);
    if (migrations.some((m) => m.version === version)) throw new Error(`two migration files share version ${version}`);
    migrations.push({ version, name: file, sql, checksum: sha256Hex(sql) });
  }
  return migrations;
}

export async function migrate(db: Database, options: { logger?: Logger; dir: string }): Promise<MigrateResult> {
  const migrations = await loadMigrations(options.dir);
  const schema = quoteIdentifier(db.schema);
  const result = await db.transaction(
    async (tx) => {
      // Read committed on purpose: after waiting for the lock, the next statements see what the
      // replica that held it committed (a serializable snapshot would predate it).
      await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_NAMESPACE, `migrate:${db.schema}`]);
      await tx.exec(`
        CREATE SCHEMA IF NOT EXISTS ${schema};
        CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (
          version    integer     PRIMARY KEY,
          name       text        NOT NULL,
          checksum   text        NOT NULL,
          applied_at timestamptz NOT NULL DEFAULT now()
        );
      `);
      const { rows } = await tx.query<{ version: number; name: string; checksum: string }>(
        `SELECT version, name, checksum FROM ${schema}.schema_migrations ORDER BY version`,
      );
      const done = new Map(rows.map((row) => [row.version, row]));
      for (const migration of migrations) {
        const recorded = done.get(migration.version);
        if (recorded && recorded.checksum !== migration.checksum) {
          throw new Error(
            `migration ${migration.name} was changed after it was applied to schema "${db.schema}" (as ${recorded.name}); add a new migration instead`,
          );
        }
      }
      const applied: number[] = [];
      for (const migration of migrations) {
        if (done.has(migration.version)) continue;
        await tx.exec(migration.sql);
        await tx.query(`INSERT INTO ${schema}.schema_migrations (version, name, checksum) VALUES ($1, $2, $3)`, [
          migration.version,
          migration.name,
          migration.checksum,
        ]);
        applied.push(migration.version);
      }
      const known = new Set(migrations.map((m) => m.version));
      const unknown = rows.filter((row) => !known.has(row.version)).map((row) => row.name);
      const current = Math.max(0, ...rows.map((row) => row.version), ...applied);
      return { applied, current, unknown };
    },
    { isolation: 'read committed' },
  );
  if (result.unknown.length > 0) {
    // A newer release migrated this schema (a rollback?): carry on, the old code reads what it knows.
    options.logger?.warn({ schema: db.schema, unknown: result.unknown }, 'schema has migrations this release does not know');
  }
  if (result.applied.length > 0) {
    options.logger?.info({ schema: db.schema, applied: result.applied }, 'migrations applied');
  }
  return { applied: result.applied, current: result.current };
}

import { CoordinationStore } from './coordinationStore.js';
import { fileURLToPath } from 'node:url';
import { openDatabase, type Database, type OpenDatabaseOptions } from '../../../platform/db/database.js';
import { migrate } from '../../../platform/db/migrate.js';

export * from './coordinationStore.js';
export * from '../../../platform/db/database.js';
export * from '../../../platform/db/migrate.js';

/** The coordination's own migrations. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

/** Opens the database, brings its schema up to date and hands back the store over it. */
export async function openCoordinationStore(options: OpenDatabaseOptions): Promise<{ db: Database; store: CoordinationStore }> {
  const db = await openDatabase(options);
  try {
    await migrate(db, { logger: options.logger, dir: MIGRATIONS_DIR });
  } catch (err) {
    await db.close();
    throw err;
  }
  return { db, store: new CoordinationStore(db) };
}

/** The store over a database the caller opened and closes (tests: replicas over one embedded PGlite), its schema brought up to date. */
export async function coordinationStoreOver(db: Database, logger?: OpenDatabaseOptions['logger']): Promise<CoordinationStore> {
  await migrate(db, { logger, dir: MIGRATIONS_DIR });
  return new CoordinationStore(db);
}

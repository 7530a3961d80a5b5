import { CoordinationStore } from './coordinationStore.js';
import { openDatabase, type Database, type OpenDatabaseOptions } from './database.js';
import { migrate } from './migrate.js';

export * from './coordinationStore.js';
export * from './database.js';
export * from './migrate.js';

/** Opens the database, brings its schema up to date and hands back the store over it. */
export async function openCoordinationStore(options: OpenDatabaseOptions): Promise<{ db: Database; store: CoordinationStore }> {
  const db = await openDatabase(options);
  try {
    await migrate(db, { logger: options.logger });
  } catch (err) {
    await db.close();
    throw err;
  }
  return { db, store: new CoordinationStore(db) };
}

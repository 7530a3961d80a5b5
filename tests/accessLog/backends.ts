import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { quoteIdentifier } from '../../platform/db/database.js';
import { createLogger } from '../../platform/logger.js';
import { seedPGliteDirs } from '../e2e/pgliteTemplate.js';
import { openAccessLog, type AccessLogEntry, type AccessLogStore } from '../../gateway/accessLog/store.js';

/**
 * The backends the access-log suites run against: embedded PGlite always, the real PostgreSQL server
 * when DATABASE_URL is set (each suite in a schema of its own, dropped afterwards).
 */
export interface Backend {
  name: 'pglite' | 'postgres';
  url: string | undefined;
}

export const logger = createLogger('audit-test');
const url = process.env.DATABASE_URL || undefined;

export const backends: Backend[] = [{ name: 'pglite', url: undefined }, ...(url ? [{ name: 'postgres' as const, url }] : [])];

export function uniqueSchema(prefix = 'audit_test'): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
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

/** A migrated access log in a fresh schema, and how to get rid of it. */
export async function openTestLog(
  backend: Backend = { name: 'pglite', url: undefined },
): Promise<{ store: AccessLogStore; cleanup: () => Promise<void> }> {
  const schema = uniqueSchema();
  // PGlite: a data directory copied from an empty one, not initdb (tests/e2e/pgliteTemplate.ts).
  const dataDir = backend.url ? 'memory://' : join(mkdtempSync(join(tmpdir(), 'ungegraf-log-test-')), 'db');
  if (!backend.url) await seedPGliteDirs([dataDir]);
  const store = await openAccessLog({ url: backend.url, dataDir, schema, logger });
  return {
    store,
    cleanup: async () => {
      await store.close();
      if (backend.url) await dropSchema(backend.url, schema);
      else rmSync(dirname(dataDir), { recursive: true, force: true });
    },
  };
}

export function entry(overrides: Partial<AccessLogEntry> = {}): AccessLogEntry {
  return {
    requestId: 'req-1',
    subject: 'mette.kjaer',
    organisation: 'aalborg/uu',
    role: 'uu-counsellor',
    youthId: 'Y-0001',
    categories: ['identity'],
    fields: ['Youth.firstName'],
    operationName: 'Dossier',
    operationHash: 'a'.repeat(64),
    purpose: 'guidance',
    outcome: 'ALLOWED',
    reason: null,
    ...overrides,
  };
}

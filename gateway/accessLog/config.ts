/**
 * The access log's configuration (the gateway reads it once, at start).
 *
 * | variable                  | default       | meaning                                                   |
 * |---------------------------|---------------|-----------------------------------------------------------|
 * | DATABASE_URL              | (unset)       | PostgreSQL server; when unset, embedded PGlite in AUDIT_DATA_DIR |
 * | AUDIT_DATA_DIR            | .data/audit   | the gateway's own PGlite directory (`memory://` for none)  |
 * | AUDIT_DB_SCHEMA           | audit         | schema of the `access_log` table                           |
 * | ACCESS_LOG_RETENTION_DAYS | 1825          | entries older than this many days are deleted (5 years)    |
 * | AUDIT_WRITE_TIMEOUT_MS    | 2000          | longest wait to store a request's entries; past it, no data is released |
 * | AUDIT_READ_TIMEOUT_MS     | 2000          | longest wait to read the log (GET /audit/access-log); past it, 503 |
 * | AUDIT_DENIAL_QUEUE_MAX    | 10000         | refusals held while the log is slow or away; past it, dropped and counted |
 */
import { checkSchemaName } from '../../platform/db/database.js';
import { ConfigError, readInt, readOptionalString, readString } from '../../platform/env.js';
import { DEFAULT_AUDIT_SCHEMA } from './store.js';

export interface AuditConfig {
  databaseUrl: string | undefined;
  dataDir: string;
  schema: string;
  retentionDays: number;
  writeTimeoutMs: number;
  readTimeoutMs: number;
  denialQueueMax: number;
}

export const DEFAULT_RETENTION_DAYS = 1825;

export function loadAuditConfig(env: Record<string, string | undefined> = process.env): AuditConfig {
  const schema = readString(env, 'AUDIT_DB_SCHEMA', DEFAULT_AUDIT_SCHEMA);
  try {
    checkSchemaName(schema);
  } catch (err) {
    throw new ConfigError(`AUDIT_DB_SCHEMA: ${(err as Error).message}`);
  }
  return {
    databaseUrl: readOptionalString(env, 'DATABASE_URL'),
    dataDir: readString(env, 'AUDIT_DATA_DIR', '.data/audit'),
    schema,
    retentionDays: readInt(env, 'ACCESS_LOG_RETENTION_DAYS', DEFAULT_RETENTION_DAYS, 1, 36_500),
    writeTimeoutMs: readInt(env, 'AUDIT_WRITE_TIMEOUT_MS', 2000, 1, 60_000),
    readTimeoutMs: readInt(env, 'AUDIT_READ_TIMEOUT_MS', 2000, 1, 60_000),
    denialQueueMax: readInt(env, 'AUDIT_DENIAL_QUEUE_MAX', 10_000, 1, 1_000_000),
  };
}

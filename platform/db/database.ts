import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import type { Logger } from '../logger.js';

/**
 * The coordination subgraph's one door to PostgreSQL: embedded (PGlite, a directory on disk or memory)
 * by default, a real server when a URL is given. Both speak the same SQL; the store never knows which.
 *
 * A `Database` is bound to one schema: every connection's `search_path` is that schema alone, so the
 * migrations and the store use unqualified table names, and a test run can isolate itself in a schema
 * of its own inside a shared database.
 */

export interface QueryResult<T> {
  rows: T[];
}

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>>;
}

/** What a transaction callback gets: queries on the transaction's own connection. */
export interface Transaction extends Queryable {
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export type IsolationLevel = 'read committed' | 'repeatable read' | 'serializable';

export interface TransactionOptions {
  /** Default `read committed`: the store's writers take explicit locks, which that level honours best. */
  isolation?: IsolationLevel;
  readOnly?: boolean;
  /** Attempts when the server reports a serialization failure (40001) or deadlock (40P01). Default 5. */
  maxAttempts?: number;
}

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** The schema every connection works in (its whole `search_path`). */
  readonly schema: string;
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. On a
   * serialization failure or deadlock the whole callback runs again (bounded), so it must do nothing
   * but database work through `tx`. Using the `Database` itself inside the callback is refused: on the
   * single-connection PGlite it would wait for the transaction forever.
   */
  transaction<T>(fn: (tx: Transaction) => Promise<T>, options?: TransactionOptions): Promise<T>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** A PostgreSQL URL (`DATABASE_URL`); when absent, PGlite at `dataDir`. */
  url?: string | undefined;
  /** PGlite's data directory (created if missing), or `memory://` for a throw-away database. */
  dataDir: string;
  logger: Logger;
  /** Default `coordination`. Must match /^[a-z_][a-z0-9_]{0,62}$/. */
  schema?: string | undefined;
  /** Connections in the node-postgres pool. Default 10. */
  poolSize?: number | undefined;
}

export const DEFAULT_SCHEMA = 'coordination';
const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/** Validates a schema name; the result is safe to put into SQL in double quotes. */
export function checkSchemaName(schema: string): string {
  if (!SCHEMA_PATTERN.test(schema) || schema.startsWith('pg_')) {
    throw new Error(
      `schema name "${schema}" is not allowed: use lower-case letters, digits and _ (at most 63, not starting with a digit or pg_)`,
    );
  }
  return schema;
}

export function quoteIdentifier(name: string): string {
  return `"${checkSchemaName(name)}"`;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const schema = checkSchemaName(options.schema ?? DEFAULT_SCHEMA);
  const logger = options.logger.child({ component: 'database', schema });
  if (options.url) {
    logger.info({ url: redactUrl(options.url) }, 'opening PostgreSQL');
    return PostgresDatabase.open(options.url, schema, logger, options.poolSize ?? 10);
  }
  logger.info({ dataDir: options.dataDir }, 'opening embedded PGlite');
  return PGliteDatabase.open(options.dataDir, schema, logger);
}

/** Which `Database` a callback is running in a transaction of (to refuse re-entry). */
const activeTransaction = new AsyncLocalStorage<Database>();

function refuseReentry(db: Database): void {
  if (activeTransaction.getStore() === db) {
    throw new Error('database used directly inside one of its own transactions: use the transaction handle `tx`');
  }
}

const RETRYABLE = new Set(['40001', '40P01']);

export function sqlState(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = err.code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

export function constraintName(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'constraint' in err) {
    const name = err.constraint;
    return typeof name === 'string' ? name : undefined;
  }
  return undefined;
}

function beginStatement(options: TransactionOptions | undefined): string {
  const isolation = options?.isolation ?? 'read committed';
  if (!['read committed', 'repeatable read', 'serializable'].includes(isolation)) {
    throw new Error(`unknown isolation level "${isolation}"`);
  }
  return `ISOLATION LEVEL ${isolation.toUpperCase()}${options?.readOnly ? ' READ ONLY' : ' READ WRITE'}`;
}

function maxAttempts(options: TransactionOptions | undefined): number {
  const attempts = options?.maxAttempts ?? 5;
  return Number.isInteger(attempts) && attempts >= 1 ? attempts : 1;
}

function backoff(attempt: number): Promise<void> {
  const ms = Math.min(200, 5 * 2 ** attempt) * (0.5 + Math.random());
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/** Serializes async work: each task starts when the previous one has settled. */
class Queue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }

  drain(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}

class PGliteDatabase implements Database {
  readonly kind = 'pglite';
  // PGlite is one connection: everything goes through one queue, so no caller's statement can land
  // inside another caller's transaction, whatever PGlite's own locking does.
  private readonly queue = new Queue();
  private closed = false;

  private constructor(
    private readonly pglite: PGlite,
    readonly schema: string,
    private readonly logger: Logger,
  ) {}

  static async open(dataDir: string, schema: string, logger: Logger): Promise<PGliteDatabase> {
    const inMemory = dataDir === '' || dataDir.startsWith('memory://');
    if (!inMemory) await mkdir(dataDir, { recursive: true });
    const pglite = await PGlite.create(inMemory ? 'memory://' : dataDir);
    // The session is this database's only connection: its search_path holds for every statement.
    await pglite.exec(`SET search_path TO ${quoteIdentifier(schema)}`);
    return new PGliteDatabase(pglite, schema, logger);
  }

  async query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
    refuseReentry(this);
    this.checkOpen();
    return this.queue.run(async () => {
      const result = await this.pglite.query<T>(sql, [...params]);
      return { rows: result.rows };
    });
  }

  async transaction<T>(fn: (tx: Transaction) => Promise<T>, options?: TransactionOptions): Promise<T> {
    refuseReentry(this);
    this.checkOpen();
    const begin = beginStatement(options);
    const attempts = maxAttempts(options);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.queue.run(() =>
          this.pglite.transaction(async (raw) => {
            await raw.exec(`SET TRANSACTION ${begin}`);
            const tx: Transaction = {
              query: async <R>(sql: string, params: readonly unknown[] = []) => ({
                rows: (await raw.query<R>(sql, [...params])).rows,
              }),
              exec: async (sql: string) => {
                await raw.exec(sql);
              },
            };
            return activeTransaction.run(this, () => fn(tx));
          }),
        );
      } catch (err) {
        // One connection cannot conflict with itself; kept for parity with the server path.
        if (!RETRYABLE.has(sqlState(err) ?? '') || attempt >= attempts) throw err;
        this.logger.warn({ attempt, code: sqlState(err) }, 'transaction conflict, retrying');
        await backoff(attempt);
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.drain();
    await this.pglite.close();
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('database is closed');
  }
}

class PostgresDatabase implements Database {
  readonly kind = 'postgres';
  private closed = false;

  private constructor(
    private readonly pool: pg.Pool,
    readonly schema: string,
    private readonly logger: Logger,
  ) {}

  static async open(url: string, schema: string, logger: Logger, poolSize: number): Promise<PostgresDatabase> {
    const pool = new pg.Pool({
      connectionString: withSearchPath(url, schema),
      max: poolSize,
      application_name: 'ungegraf-coordination',
    });
    // An idle connection dropped by the server must not crash the process; the pool replaces it.
    pool.on('error', (err) => logger.warn({ err: err.message }, 'idle PostgreSQL connection failed'));
    const db = new PostgresDatabase(pool, schema, logger);
    try {
      const { rows } = await pool.query<{ search_path: string }>('SHOW search_path');
      const searchPath = rows[0]?.search_path.replaceAll('"', '');
      if (searchPath !== schema) {
        throw new Error(`connections did not take search_path "${schema}" (got "${searchPath}")`);
      }
    } catch (err) {
      await pool.end();
      throw err;
    }
    return db;
  }

  async query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
    refuseReentry(this);
    this.checkOpen();
    const result = await this.reconnecting.execute(() => this.pool.query(sql, [...params]));
    return { rows: result.rows as T[] };
  }

  /**
   * A server restart or failover drops every connection; the work is tried again on a new one until
   * the server is back (bounded), so a restart costs latency, not failed requests. A transaction whose
   * COMMIT was lost with its connection may run twice: every writer here is idempotent (idempotency
   * keys, unique indexes) or, for the access log, errs on the side of a duplicate record.
   */
  private readonly reconnecting = retry(handleWhen(isConnectionLoss), {
    maxAttempts: 40,
    backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 500 }),
  });

  async transaction<T>(fn: (tx: Transaction) => Promise<T>, options?: TransactionOptions): Promise<T> {
    refuseReentry(this);
    this.checkOpen();
    return this.reconnecting.execute(() => this.transactionOnce(fn, options));
  }

  private async transactionOnce<T>(fn: (tx: Transaction) => Promise<T>, options?: TransactionOptions): Promise<T> {
    const begin = `BEGIN ${beginStatement(options)}`;
    const attempts = maxAttempts(options);
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      let broken: Error | undefined;
      // The pool only listens for errors on idle clients; a connection dropped while this transaction
      // holds it must not become an unhandled error (the failing query rejects and is retried).
      const onError = (err: Error) => {
        broken = err;
        this.logger.warn({ err: err.message }, 'PostgreSQL connection lost during a transaction');
      };
      client.on('error', onError);
      try {
        await client.query(begin);
        const tx: Transaction = {
          query: async <R>(sql: string, params: readonly unknown[] = []) => ({
            rows: (await client.query(sql, [...params])).rows as R[],
          }),
          exec: async (sql: string) => {
            await client.query(sql); // no parameters: the simple protocol, several statements allowed
          },
        };
        const result = await activeTransaction.run(this, () => fn(tx));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        }
        if (!RETRYABLE.has(sqlState(err) ?? '') || attempt >= attempts) throw err;
        this.logger.warn({ attempt, code: sqlState(err) }, 'transaction conflict, retrying');
      } finally {
        // A connection whose rollback failed is in an unknown state: destroy it rather than reuse it.
        client.off('error', onError);
        client.release(broken);
      }
      await backoff(attempt);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('database is closed');
  }
}

/** The server went away (restart, failover, network): worth trying again on a new connection. */
export function isConnectionLoss(err: unknown): boolean {
  const state = sqlState(err) ?? '';
  if (state.startsWith('08') || state === '57P01' || state === '57P02' || state === '57P03') return true;
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EPIPE') return true;
  const message = err instanceof Error ? err.message : '';
  return /Connection terminated|connection is closed|Client has encountered a connection error/i.test(message);
}

/** Adds `-c search_path=<schema>` to the URL's startup options, keeping any options it already has. */
function withSearchPath(url: string, schema: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('DATABASE_URL is not a valid URL');
  }
  const existing = parsed.searchParams.get('options');
  parsed.searchParams.set('options', [existing, `-c search_path=${checkSchemaName(schema)}`].filter(Boolean).join(' '));
  return parsed.toString();
}

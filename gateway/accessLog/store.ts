/**
 * The access log's storage: PostgreSQL (or embedded PGlite) through the shared database layer, in a
 * schema of its own (default `audit`). Writes are all or nothing; reads are per young person, newest
 * first, keyset-paged; retention deletes by age.
 */
import { fileURLToPath } from 'node:url';
import { openDatabase, type Database } from '../../platform/db/database.js';
import { migrate } from '../../platform/db/migrate.js';
import type { Logger } from '../../platform/logger.js';
import { withDeadline, writeMarginMs } from './deadline.js';

/** The access log's own migrations. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
export const DEFAULT_AUDIT_SCHEMA = 'audit';
export const MAX_PAGE_SIZE = 500;

export type AccessOutcome = 'ALLOWED' | 'FILTERED' | 'DENIED';
export const OUTCOMES: readonly AccessOutcome[] = ['ALLOWED', 'FILTERED', 'DENIED'];

/** One access to be recorded: one young person (or none, for a refused request), one request. */
export interface AccessLogEntry {
  requestId: string;
  /** The token's `sub`; null only when a request was refused before anyone was identified. */
  subject: string | null;
  organisation: string | null;
  role: string | null;
  /** Whose data; null only for a DENIED request that named no young person. */
  youthId: string | null;
  categories: readonly string[];
  /** Schema coordinates (`Youth.firstName`, `GuidanceRecord.readiness`, ...). */
  fields: readonly string[];
  operationName: string | null;
  operationHash: string | null;
  purpose: string;
  outcome: AccessOutcome;
  reason?: string | null;
  /** Need to know: the relation the read was released under, or BREAK_THE_GLASS (gateway/accessLog/migrations/003). */
  relation?: string | null;
  /** The reason a break-the-glass access stated (only with relation BREAK_THE_GLASS). */
  breakTheGlassReason?: string | null;
  /** Per category released, the legal basis it was shared on (platform/authorization/legalBasis.ts; gateway/accessLog/migrations/004). */
  legalBases?: Readonly<Record<string, string>> | null;
  /** When the request was asked (its start); default: when the row is stored. */
  at?: Date | undefined;
}

/** A stored entry. */
export interface AccessLogRecord {
  id: string;
  /** ISO 8601, UTC, microseconds. */
  at: string;
  requestId: string;
  subject: string | null;
  organisation: string | null;
  role: string | null;
  youthId: string | null;
  categories: string[];
  fields: string[];
  operationName: string | null;
  operationHash: string | null;
  purpose: string;
  outcome: AccessOutcome;
  reason: string | null;
  /** Need to know: the relation the read was released under, or BREAK_THE_GLASS; null for refusals and older entries. */
  relation?: string | null;
  /** The reason stated for a break-the-glass access. */
  breakTheGlassReason?: string | null;
  /** Per category released, the legal basis it was shared on; null for refusals and older entries. */
  legalBases?: Record<string, string> | null;
}

export interface AccessLogQuery {
  youthId: string;
  /** Inclusive lower bound on `at`. */
  from?: Date | undefined;
  /** Exclusive upper bound on `at`. */
  to?: Date | undefined;
  /** Page size, 1 to 500. */
  first: number;
  /** `pageInfo.endCursor` of the previous page. */
  after?: string | undefined;
}

export interface AccessLogPage {
  entries: AccessLogRecord[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** A store call's deadline (docs/access.md, "Deadlines"). */
export interface DeadlineOptions {
  /**
   * Give up after this many ms (AccessLogTimeoutError). For a write, the entries are then withdrawn if
   * still queued, and the database refuses them if they reach it later (they never land late).
   */
  deadlineMs?: number | undefined;
}

/** What the request path needs: writing. */
export interface AccessLogWriter {
  record(entries: readonly AccessLogEntry[], options?: DeadlineOptions): Promise<void>;
}

/** A query the store cannot answer as asked (bad cursor, page size, dates); names the parameter. */
export class AccessLogQueryError extends Error {
  override name = 'AccessLogQueryError';
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

/** An entry the log refuses (it would not be evidence of anything). */
export class AccessLogEntryError extends Error {
  override name = 'AccessLogEntryError';
}

const LIMITS = { subject: 200, organisation: 200, role: 100, operationName: 200, operationHash: 128, purpose: 200, reason: 2000 };
const MAX_ID_LENGTH = 128;
const DELETE_BATCH = 5000;

/** Over-long free text is cut rather than refused: refusing would withhold the data over a long name. */
function cut(value: string | null | undefined, max: number): string | null {
  if (value === null || value === undefined) return null;
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

function checkText(value: unknown, what: string, max: number): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw new AccessLogEntryError(`${what} must be a string of 1 to ${max} characters`);
  }
  return value;
}

function checkList(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new AccessLogEntryError(`${what} must be a list of strings`);
  }
  return value;
}

/** The row as the INSERT reads it from JSON (snake_case, the table's columns). */
type NewRow = ReturnType<typeof toRow>;

function toRow(entry: AccessLogEntry) {
  if (!OUTCOMES.includes(entry.outcome)) throw new AccessLogEntryError(`unknown outcome "${String(entry.outcome)}"`);
  if (entry.youthId === null && entry.outcome !== 'DENIED') {
    throw new AccessLogEntryError('an entry without a young person must be DENIED');
  }
  const purpose = cut(entry.purpose.trim(), LIMITS.purpose);
  if (entry.at !== undefined && (!(entry.at instanceof Date) || Number.isNaN(entry.at.getTime()))) {
    throw new AccessLogEntryError('at must be a valid date');
  }
  return {
    at: entry.at?.toISOString() ?? null,
    /** Set per write (record): the latest time the caller still waits for it. */
    valid_until: null as string | null,
    request_id: checkText(entry.requestId, 'requestId', MAX_ID_LENGTH),
    subject: cut(entry.subject, LIMITS.subject),
    organisation: cut(entry.organisation, LIMITS.organisation),
    role: cut(entry.role, LIMITS.role),
    youth_id: entry.youthId === null ? null : checkText(entry.youthId, 'youthId', MAX_ID_LENGTH),
    categories: checkList(entry.categories, 'categories'),
    fields: checkList(entry.fields, 'fields'),
    operation_name: cut(entry.operationName, LIMITS.operationName),
    operation_hash: cut(entry.operationHash, LIMITS.operationHash),
    purpose: purpose === null || purpose === '' ? 'unspecified' : purpose,
    outcome: entry.outcome,
    reason: cut(entry.reason, LIMITS.reason),
    relation: entry.relation ?? null,
    break_the_glass_reason: cut(entry.breakTheGlassReason ?? null, 500),
    legal_bases: entry.legalBases ?? null,
  };
}

const COLUMNS = `request_id, subject, organisation, role, youth_id, categories, fields, operation_name, operation_hash, purpose, outcome, reason, relation, break_the_glass_reason, legal_bases`;

/** `at` as an exact, time-zone-free key: ISO 8601 in UTC with microseconds (a JS Date keeps only ms). */
const AT_KEY = `to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

interface Row {
  id: string;
  at_key: string;
  request_id: string;
  subject: string | null;
  organisation: string | null;
  role: string | null;
  youth_id: string | null;
  categories: string[];
  fields: string[];
  operation_name: string | null;
  operation_hash: string | null;
  purpose: string;
  outcome: AccessOutcome;
  reason: string | null;
  relation?: string | null;
  break_the_glass_reason?: string | null;
  legal_bases?: Record<string, string> | null;
}

function fromRow(row: Row): AccessLogRecord {
  return {
    id: row.id,
    at: row.at_key,
    requestId: row.request_id,
    subject: row.subject,
    organisation: row.organisation,
    role: row.role,
    youthId: row.youth_id,
    categories: row.categories,
    fields: row.fields,
    operationName: row.operation_name,
    operationHash: row.operation_hash,
    purpose: row.purpose,
    outcome: row.outcome,
    reason: row.reason,
    relation: row.relation ?? null,
    breakTheGlassReason: row.break_the_glass_reason ?? null,
    legalBases: row.legal_bases ?? null,
  };
}

/** Cursors are opaque to clients: base64url of a versioned (at, id) position in the log's order. */
const CURSOR_PREFIX = 'a1:';
const CURSOR_BODY = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)\|(\d{1,19})$/;

export function encodeCursor(at: string, id: string): string {
  return Buffer.from(`${CURSOR_PREFIX}${at}|${id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): { at: string; id: string } {
  const text = /^[A-Za-z0-9_-]{1,200}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = text.startsWith(CURSOR_PREFIX) ? CURSOR_BODY.exec(text.slice(CURSOR_PREFIX.length)) : null;
  if (!match?.[1] || !match[2]) throw new AccessLogQueryError('after', 'after: not a cursor from this log (use pageInfo.endCursor)');
  return { at: match[1], id: match[2] };
}

function checkDate(value: Date | undefined, parameter: string): string | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new AccessLogQueryError(parameter, `${parameter}: not a valid date-time`);
  }
  return value.toISOString();
}

/** The most rows one grouped INSERT carries (one caller's rows are never split). */
const GROUP_COMMIT_MAX_ROWS = 5000;

interface PendingWrite<R> {
  rows: readonly R[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** A caller withdrew its rows before they were written (its deadline passed while they waited). */
export class WithdrawnError extends Error {
  override name = 'WithdrawnError';
}

/**
 * Group commit: at most `maxInFlight` writes at once; what is submitted meanwhile waits and goes out
 * together in the next write. A grouped write that fails is retried per caller, so that only the
 * caller whose rows the database refused gets the error. A caller may withdraw its rows (`signal`) as
 * long as they wait: they are then never written.
 */
export class GroupCommit<R> {
  private waiting: PendingWrite<R>[] = [];
  private inFlight = 0;

  constructor(
    private readonly write: (rows: readonly R[]) => Promise<void>,
    private readonly maxInFlight: number,
    private readonly maxRows: number,
  ) {}

  submit(rows: readonly R[], signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(new WithdrawnError('withdrawn before it was queued'));
      const pending: PendingWrite<R> = { rows, resolve, reject };
      this.waiting.push(pending);
      signal?.addEventListener(
        'abort',
        () => {
          const at = this.waiting.indexOf(pending);
          if (at < 0) return; // already handed to the database
          this.waiting.splice(at, 1);
          reject(new WithdrawnError('withdrawn while it waited'));
        },
        { once: true },
      );
      this.pump();
    });
  }

  /** Rows waiting for a write slot (not yet handed to the database). */
  get queued(): number {
    return this.waiting.length;
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      let rows = 0;
      let taken = 0;
      while (taken < this.waiting.length && (taken === 0 || rows + this.waiting[taken]!.rows.length <= this.maxRows)) {
        rows += this.waiting[taken]!.rows.length;
        taken += 1;
      }
      const group = this.waiting.splice(0, taken);
      this.inFlight += 1;
      void this.flush(group).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private async flush(group: PendingWrite<R>[]): Promise<void> {
    try {
      await this.write(group.length === 1 ? group[0]!.rows : group.flatMap((pending) => pending.rows));
      for (const pending of group) pending.resolve();
    } catch (error) {
      if (group.length === 1) {
        group[0]!.reject(error);
        return;
      }
      await Promise.all(group.map((pending) => this.write(pending.rows).then(pending.resolve, pending.reject)));
    }
  }
}

export class AccessLogStore implements AccessLogWriter {
  private readonly commits: GroupCommit<NewRow>;

  constructor(readonly db: Database) {
    // PGlite has one connection: a second write would only queue behind the first. A server gets a
    // few writes at once (the pool has 5 connections; the rest is left for the auditors' reads).
    this.commits = new GroupCommit((rows) => this.insert(rows), db.kind === 'pglite' ? 1 : 3, GROUP_COMMIT_MAX_ROWS);
  }

  /**
   * Stores every entry, or none. Requests that arrive while earlier writes are in flight are written
   * together, in one INSERT and one transaction, when a write finishes (group commit): under load a
   * transaction per request queued the answers behind the database, one commit at a time. Each caller
   * still learns whether its own entries were stored before it releases its answer.
   */
  async record(entries: readonly AccessLogEntry[], options: DeadlineOptions = {}): Promise<void> {
    if (entries.length === 0) return;
    // Checked per caller, before any grouping: one caller's bad entry never reaches another's write.
    const rows = entries.map(toRow);
    const deadlineMs = options.deadlineMs;
    if (deadlineMs === undefined) return this.commits.submit(rows);
    // Past the deadline the caller fails closed; the rows must then never land: withdrawn while they
    // wait, refused by the database (access_log_in_time) when they reach it too late.
    const validUntil = new Date(Date.now() + deadlineMs - writeMarginMs(deadlineMs)).toISOString();
    for (const row of rows) row.valid_until = validUntil;
    const withdraw = new AbortController();
    await withDeadline(this.commits.submit(rows, withdraw.signal), deadlineMs, () => withdraw.abort());
  }

  private async insert(rows: readonly NewRow[]): Promise<void> {
    // One statement whatever the count: the rows travel as one JSON parameter (no 65535-parameter
    // limit). One statement is one transaction: it lands whole or not at all.
    await this.db.query(
      `INSERT INTO access_log (at, ${COLUMNS})
       SELECT coalesce(e.at, now()), ${COLUMNS}
         FROM jsonb_to_recordset($1::jsonb) AS e(
           at timestamptz, valid_until timestamptz,
           request_id text, subject text, organisation text, role text, youth_id text, categories text[],
           fields text[], operation_name text, operation_hash text, purpose text, outcome text, reason text,
           relation text, break_the_glass_reason text, legal_bases jsonb)
        WHERE access_log_in_time(e.valid_until)`,
      [JSON.stringify(rows)],
    );
  }

  /** One young person's entries, newest first; within `deadlineMs` when given (else AccessLogTimeoutError). */
  async forYouth(query: AccessLogQuery, options: DeadlineOptions = {}): Promise<AccessLogPage> {
    const read = this.readPage(query);
    return options.deadlineMs === undefined ? read : withDeadline(read, options.deadlineMs);
  }

  private async readPage(query: AccessLogQuery): Promise<AccessLogPage> {
    if (typeof query.youthId !== 'string' || query.youthId.length === 0 || query.youthId.length > MAX_ID_LENGTH) {
      throw new AccessLogQueryError('youthId', `youthId: must be 1 to ${MAX_ID_LENGTH} characters`);
    }
    if (!Number.isInteger(query.first) || query.first < 1 || query.first > MAX_PAGE_SIZE) {
      throw new AccessLogQueryError('first', `first: must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
    }
    const from = checkDate(query.from, 'from');
    const to = checkDate(query.to, 'to');
    if (from !== undefined && to !== undefined && from > to) {
      throw new AccessLogQueryError('from', 'from: must not be later than to');
    }

    const params: unknown[] = [query.youthId];
    const where = ['youth_id = $1'];
    if (from !== undefined) {
      params.push(from);
      where.push(`at >= $${params.length}::timestamptz`);
    }
    if (to !== undefined) {
      params.push(to);
      where.push(`at < $${params.length}::timestamptz`);
    }
    if (query.after !== undefined) {
      const cursor = decodeCursor(query.after);
      params.push(cursor.at, cursor.id);
      where.push(`(at, id) < ($${params.length - 1}::timestamptz, $${params.length}::bigint)`);
    }
    params.push(query.first + 1);
    const { rows } = await this.db.query<Row>(
      `SELECT id::text AS id, ${AT_KEY} AS at_key, ${COLUMNS}
         FROM access_log
        WHERE ${where.join(' AND ')}
        ORDER BY at DESC, id DESC
        LIMIT $${params.length}`,
      params,
    );
    const hasNextPage = rows.length > query.first;
    const entries = rows.slice(0, query.first).map(fromRow);
    const last = entries.at(-1);
    return { entries, pageInfo: { hasNextPage, endCursor: last ? encodeCursor(last.at, last.id) : null } };
  }

  /** Deletes entries older than `days` days (in batches, so no long lock); answers how many. */
  async deleteOlderThan(days: number): Promise<number> {
    if (!Number.isInteger(days) || days < 1) throw new RangeError(`retention must be a whole number of days >= 1, got ${days}`);
    const { rows } = await this.db.query<{ cutoff: string }>(
      `SELECT to_char((now() - make_interval(days => $1::int)) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cutoff`,
      [days],
    );
    const cutoff = rows[0]?.cutoff;
    if (!cutoff) throw new Error('could not compute the retention cutoff');
    let deleted = 0;
    for (;;) {
      const result = await this.db.query<{ n: number }>(
        `WITH gone AS (
           DELETE FROM access_log
            WHERE id IN (SELECT id FROM access_log WHERE at < $1::timestamptz LIMIT ${DELETE_BATCH})
           RETURNING 1)
         SELECT count(*)::int AS n FROM gone`,
        [cutoff],
      );
      const n = result.rows[0]?.n ?? 0;
      deleted += n;
      if (n < DELETE_BATCH) return deleted;
    }
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

export interface OpenAccessLogOptions {
  /** A PostgreSQL URL (`DATABASE_URL`); when absent, PGlite at `dataDir`. */
  url?: string | undefined;
  /** PGlite's data directory (the gateway's own, default `.data/audit`), or `memory://`. */
  dataDir: string;
  /** Default `audit`. */
  schema?: string | undefined;
  logger: Logger;
}

/** Opens the database, brings the log's schema up to date and hands back the store over it. */
export async function openAccessLog(options: OpenAccessLogOptions): Promise<AccessLogStore> {
  const db = await openDatabase({
    url: options.url,
    dataDir: options.dataDir,
    schema: options.schema ?? DEFAULT_AUDIT_SCHEMA,
    logger: options.logger,
    // The gateway writes one INSERT per request; a few connections carry that.
    poolSize: 5,
  });
  try {
    await migrate(db, { logger: options.logger, dir: MIGRATIONS_DIR });
  } catch (err) {
    await db.close();
    throw err;
  }
  return new AccessLogStore(db);
}

import type { Database, Queryable } from '../../../platform/db/database.js';
import { LOCK_NAMESPACE } from '../../../platform/db/migrate.js';
import { StoreError } from './errors.js';
import { ID_MAX, REGISTER_ANALYZE_AFTER, TEXT_MAX } from './limits.js';
import { RUN_COLUMNS, single, toRun, translate, type RunRow } from './rows.js';
import type { ScreeningRow, ScreeningRun, ScreeningRunInfo } from './types.js';
import { checkScreeningRow } from './screening.js';
import { holdLeaseFence, type LeaseFence } from './leaderLease.js';
import { forgetCounts } from './screeningCount.js';
import { optionalIsoDate, requiredText, timestamp } from './validate.js';

/**
 * The screening register rebuilt streamed (migration 013), so that the coordination's memory is O(page)
 * at a national population (about a million young people) instead of O(register):
 *
 * 1. `beginScreeningRun` records the run as RUNNING.
 * 2. Each system's extract is written here page by page as it arrives (`stageRecords`), not held; then
 *    the planner is told what it holds (`analyzeStagedRecords`).
 * 3. UU's register is walked page by page; each page's records are read back by CPR number in one query
 *    (`stagedRecords`), its rows made (screeningRowFor) and written to the next register (`stageRows`).
 * 4. `finishScreeningRun` swaps the next register in, in ONE transaction (readers see the old register or
 *    the new, never half): upserts the rows that changed, deletes the young people the run did not see,
 *    records SUCCEEDED. `failScreeningRun` records FAILED and leaves the register as it was.
 *
 * Rows written into youth_screening by anyone else while a run works (the change feeds) follow one rule:
 * the run's snapshot wins for every young person it saw (their row is the run's, as read from the systems
 * during the run); a young person the run did not see is deleted, as a run that held everything in memory
 * did. A change feed that must not lose its changes re-applies those after the position it captured when
 * the run began.
 *
 * A row the swap finds unchanged is not written again (at a million rows most are unchanged, and every
 * write touches some twenty indexes): `screened_at` and `run_id` of a row say when its content was last
 * written; when the register was last rebuilt is the run's (screening_runs).
 */

export type StagedSystem = 'SCHOOL' | 'JOBCENTER' | 'SOCIAL';
const STAGED_SYSTEMS: readonly StagedSystem[] = ['SCHOOL', 'JOBCENTER', 'SOCIAL'];

export interface StagedRun {
  id: number;
  startedAt: Date;
}

/** Staging of runs that are over, or began a day ago and so died: deleted when the next run begins. */
const STALE_STAGING = `run_id IN (SELECT id FROM screening_runs WHERE status <> 'RUNNING' OR started_at < now() - interval '1 day')`;

/** Records a run as RUNNING and clears what runs that are over (failed, crashed) left staged. */
export async function beginScreeningRun(
  db: Database,
  runInfo: { startedAt?: ScreeningRunInfo['startedAt']; asOf?: string | null | undefined } = {},
): Promise<StagedRun> {
  const startedAt = runInfo.startedAt === undefined ? new Date() : timestamp('startedAt', runInfo.startedAt);
  const asOf = optionalIsoDate('asOf', runInfo.asOf ?? null);
  await db.query(`DELETE FROM screening_staged_records WHERE ${STALE_STAGING}`);
  await db.query(`DELETE FROM screening_staged_rows WHERE ${STALE_STAGING}`);
  const run = single(
    (
      await db.query<{ id: number }>(
        `INSERT INTO screening_runs (started_at, as_of, status) VALUES ($1::timestamptz, $2::date, 'RUNNING') RETURNING id::int AS id`,
        [startedAt.toISOString(), asOf],
      )
    ).rows,
  );
  return { id: run.id, startedAt };
}

/** One page of a system's extract, written for the run (a CPR number seen twice keeps the later record). */
export async function stageRecords(
  db: Queryable,
  runId: number,
  system: StagedSystem,
  records: readonly { cpr: string; record: unknown }[],
): Promise<void> {
  if (!STAGED_SYSTEMS.includes(system)) throw new StoreError('BAD_USER_INPUT', `system must be one of ${STAGED_SYSTEMS.join(', ')}`);
  const byCpr = new Map<string, string>();
  for (const { cpr, record } of records) byCpr.set(requiredText('cpr', cpr, ID_MAX), JSON.stringify(record));
  if (byCpr.size === 0) return;
  await db.query(
    `INSERT INTO screening_staged_records (run_id, system, cpr, record)
     SELECT $1::bigint, $2, staged.cpr, staged.record FROM unnest($3::text[], $4::text[]) AS staged(cpr, record)
     ON CONFLICT (cpr, run_id, system) DO UPDATE SET record = excluded.record`,
    [runId, system, [...byCpr.keys()], [...byCpr.values()]],
  );
}

/**
 * The planner's statistics of the staged extracts, once they are all in (before the register is walked
 * against them): a freshly filled table has none, and a guess can turn a page's look-up into a scan.
 */
export async function analyzeStagedRecords(db: Queryable): Promise<void> {
  await db.query('ANALYZE screening_staged_records');
}

/** The staged records of `cprs` for the run, by CPR number and system: one query for a page of UU's register. */
export async function stagedRecords(
  db: Queryable,
  runId: number,
  cprs: readonly string[],
): Promise<Map<string, Partial<Record<StagedSystem, unknown>>>> {
  const found = new Map<string, Partial<Record<StagedSystem, unknown>>>();
  if (cprs.length === 0) return found;
  const { rows } = await db.query<{ cpr: string; system: StagedSystem; record: string }>(
    `SELECT cpr, system, record FROM screening_staged_records WHERE run_id = $1::bigint AND cpr = ANY($2::text[])`,
    [runId, [...new Set(cprs)]],
  );
  for (const row of rows) {
    const entry = found.get(row.cpr) ?? {};
    entry[row.system] = JSON.parse(row.record) as unknown;
    found.set(row.cpr, entry);
  }
  return found;
}

/**
 * Rows for the next register, checked as `replaceScreening` checks them (`offset`: the index of the first
 * row in the run, for the messages). A young person twice in one run is refused.
 */
export async function stageRows(db: Queryable, runId: number, rows: readonly ScreeningRow[], offset = 0): Promise<void> {
  if (rows.length === 0) return;
  const checked = rows.map((row, index) => checkScreeningRow(row, offset + index));
  try {
    await db.query(
      `INSERT INTO screening_staged_rows (run_id, youth_id, row)
       SELECT $1::bigint, staged.row->>'youth_id', staged.row FROM jsonb_array_elements($2::jsonb) AS staged(row)`,
      [runId, JSON.stringify(checked)],
    );
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'code' in error && error.code === '23505') {
      throw new StoreError('BAD_USER_INPUT', 'a young person appears twice in the run', { field: 'rows' });
    }
    throw translate(error);
  }
}

/** The register's columns as the rows carry them (checkScreeningRow), with their SQL types. */
const ROW_COLUMNS: readonly (readonly [string, string])[] = [
  ['youth_id', 'text'],
  ['birth_date', 'date'],
  ['school_id', 'text'],
  ['grade', 'integer'],
  ['indicators', 'text[]'],
  ['in_target_group', 'boolean'],
  ['contact_person_status', 'text'],
  ['institution_ids', 'text[]'],
  ['completed_youth_education', 'boolean'],
  ['childrens_case', 'boolean'],
  ['counsellor', 'text'],
  ['advisor_id', 'text'],
  ['caseworker_ids', 'text[]'],
  ['social_units', 'text[]'],
  ['record_units', 'text[]'],
  ['first_name', 'text'],
  ['last_name', 'text'],
  ['jobcenter_referred', 'date'],
  ['adults_case_opened', 'date'],
  ['open_social_cases', 'integer'],
  ['open_social_cases_education_goal', 'integer'],
  ['education_under_way', 'boolean'],
];
const names = ROW_COLUMNS.map(([name]) => name);
const content = names.filter((name) => name !== 'youth_id');

const SWAP_UPSERT = `
  INSERT INTO youth_screening (${names.join(', ')}, screened_at, run_id)
  SELECT ${names.map((name) => `r.${name}`).join(', ')}, $2::timestamptz, $1::bigint
    FROM screening_staged_rows staged
         CROSS JOIN LATERAL jsonb_to_record(staged.row) AS r(${ROW_COLUMNS.map(([name, type]) => `${name} ${type}`).join(', ')})
   WHERE staged.run_id = $1::bigint
  ON CONFLICT (youth_id) DO UPDATE SET ${[...content, 'screened_at', 'run_id'].map((name) => `${name} = excluded.${name}`).join(', ')}
   WHERE (${content.map((name) => `youth_screening.${name}`).join(', ')}) IS DISTINCT FROM (${content.map((name) => `excluded.${name}`).join(', ')})`;

const SWAP_DELETE_UNSEEN = `
  DELETE FROM youth_screening current
   WHERE NOT EXISTS (SELECT 1 FROM screening_staged_rows staged WHERE staged.run_id = $1::bigint AND staged.youth_id = current.youth_id)`;

export interface FinishOptions {
  /** An empty run deletes the whole register; refused unless said on purpose. */
  allowEmpty?: boolean | undefined;
  /**
   * The leader's lease the run started under (store/leaderLease.ts): checked in the swap transaction and
   * held until it commits, so a replica that lost the lead while it worked writes nothing.
   */
  fence?: LeaseFence | undefined;
}

/**
 * Swaps the run's next register in (one transaction) and records it SUCCEEDED; on any error records it
 * FAILED (the register stays as it was) and throws. The staged rows are deleted either way, after the swap.
 */
export async function finishScreeningRun(db: Database, run: StagedRun, options: FinishOptions = {}): Promise<ScreeningRun> {
  let swapped: { run: ScreeningRun; written: number };
  try {
    // Statistics for the swap's join with the register (the table was empty when it was last looked at).
    await db.query('ANALYZE screening_staged_rows');
    swapped = await db.transaction(async (tx) => {
      // Two runs at once would delete each other's rows: the later one waits for the earlier.
      await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_NAMESPACE, `screening:${db.schema}`]);
      const staged = single(
        (await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM screening_staged_rows WHERE run_id = $1::bigint`, [run.id])).rows,
      ).n;
      if (staged === 0 && options.allowEmpty !== true) {
        throw new StoreError(
          'BAD_USER_INPUT',
          'a screening run with no young people would empty the register; pass allowEmpty to mean it',
          {
            field: 'rows',
          },
        );
      }
      const upserted = await countWritten(tx, SWAP_UPSERT, [run.id, run.startedAt.toISOString()]);
      const deleted = await countWritten(tx, SWAP_DELETE_UNSEEN, [run.id]);
      await holdLeaseFence(tx, options.fence);
      const { rows } = await tx.query<RunRow>(
        `UPDATE screening_runs SET status = 'SUCCEEDED', finished_at = clock_timestamp(), youths = $2 WHERE id = $1::bigint RETURNING ${RUN_COLUMNS}`,
        [run.id, staged],
      );
      return { run: toRun(single(rows)), written: upserted + deleted };
    });
    forgetCounts(db);
    await clearStaging(db, run.id);
  } catch (error) {
    await failScreeningRun(db, run, error instanceof Error ? error.message : String(error));
    throw translate(error);
  }
  await analyzeRegisterAfter(db, swapped.written, swapped.run.youths ?? 0);
  return swapped.run;
}

/** Runs a write and says how many rows it wrote or deleted (the Queryable gives rows, not rowCount). */
async function countWritten(tx: Queryable, write: string, params: readonly unknown[]): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(`WITH written AS (${write} RETURNING 1) SELECT count(*)::int AS n FROM written`, params);
  return single(rows).n;
}

/**
 * Gathers the register's planner statistics when the swap changed a good part of it (REGISTER_ANALYZE_AFTER):
 * stale statistics cost every list page hundreds of milliseconds at a national register. The swap has
 * committed, so a failure here is not the run's: autovacuum gathers them later where it is on.
 */
async function analyzeRegisterAfter(db: Database, written: number, registerSize: number): Promise<void> {
  if (written < REGISTER_ANALYZE_AFTER.rows + REGISTER_ANALYZE_AFTER.share * registerSize) return;
  await db.query('ANALYZE youth_screening').catch(() => undefined);
}

/** Records the run FAILED with its error (cut to TEXT_MAX.runError) and deletes what it staged; the register is untouched. */
export async function failScreeningRun(db: Database, run: Pick<StagedRun, 'id'>, error: string): Promise<void> {
  const message = requiredText('error', error || 'unknown error', 100_000).slice(0, TEXT_MAX.runError);
  // The original error matters more than a failure to record it.
  await db
    .query(
      `UPDATE screening_runs SET status = 'FAILED', finished_at = clock_timestamp(), error = $2 WHERE id = $1::bigint AND status = 'RUNNING'`,
      [run.id, message],
    )
    .catch(() => undefined);
  await clearStaging(db, run.id).catch(() => undefined);
}

async function clearStaging(db: Database, runId: number): Promise<void> {
  await db.query('DELETE FROM screening_staged_records WHERE run_id = $1::bigint', [runId]);
  await db.query('DELETE FROM screening_staged_rows WHERE run_id = $1::bigint', [runId]);
}

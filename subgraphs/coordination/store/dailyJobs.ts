import type { Database } from '../../../platform/db/database.js';
import { LOCK_NAMESPACE } from '../../../platform/db/migrate.js';
import { endInTransaction } from './assignments.js';
import { DAILY_JOB_LEASE_MS, TEXT_MAX } from './limits.js';
import { ASSIGNMENT_COLUMNS, toAssignment, type AssignmentRow } from './rows.js';
import type { Assignment, DailyJobClaim, ReviewReason } from './types.js';
import { isoDate, requiredText } from './validate.js';

/**
 * Daily jobs run by one coordination replica at a time (issue 12 scales the coordination out). A replica
 * claims the day in a short transaction under `pg_try_advisory_xact_lock` (another replica claiming at
 * that instant is told no at once) and records the claim in `daily_job_runs` as a lease: the work that
 * follows reads the systems over HTTP, which no transaction should be held open for, and a session
 * lock would need a pinned connection and is re-entrant on PGlite's single session (two runners in one
 * process would both get it). The day is done once SUCCEEDED; a FAILED run, or a RUNNING one whose
 * lease has run out (its replica died), may be claimed again.
 */

export type DailyJob = DailyJobClaim['job'];

/** The day's claim, or null when another replica holds or has finished it. */
export async function claimDailyRun(
  db: Database,
  job: DailyJob,
  runDate: string,
  holder: string,
  leaseMs = DAILY_JOB_LEASE_MS,
): Promise<DailyJobClaim | null> {
  const day = isoDate('runDate', runDate);
  const who = requiredText('holder', holder, 200);
  return db.transaction(async (tx) => {
    const locked = (
      await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS locked', [
        LOCK_NAMESPACE,
        `daily-job:${job}:${db.schema}`,
      ])
    ).rows[0]?.locked;
    if (!locked) return null;
    const { rows } = await tx.query<{ attempts: number }>(
      `INSERT INTO daily_job_runs (job, run_date, status, holder, lease_until)
       VALUES ($1, $2::date, 'RUNNING', $3, now() + $4 * interval '1 millisecond')
       ON CONFLICT (job, run_date) DO UPDATE
          SET status = 'RUNNING', holder = EXCLUDED.holder, attempts = daily_job_runs.attempts + 1, started_at = now(),
              lease_until = EXCLUDED.lease_until, finished_at = NULL, summary = NULL
        WHERE daily_job_runs.status = 'FAILED' OR (daily_job_runs.status = 'RUNNING' AND daily_job_runs.lease_until < now())
       RETURNING attempts`,
      [job, day, who, leaseMs],
    );
    const row = rows[0];
    return row ? { job, runDate: day, holder: who, attempt: row.attempts } : null;
  });
}

/** Records how the claimed run ended (only while this holder still holds it). */
export async function finishDailyRun(db: Database, claim: DailyJobClaim, outcome: { succeeded: boolean; summary: string }): Promise<void> {
  await db.query(
    `UPDATE daily_job_runs SET status = $4, finished_at = now(), summary = $5
      WHERE job = $1 AND run_date = $2::date AND holder = $3 AND status = 'RUNNING'`,
    [claim.job, claim.runDate, claim.holder, outcome.succeeded ? 'SUCCEEDED' : 'FAILED', outcome.summary.slice(0, TEXT_MAX.runError)],
  );
}

export interface DailyRunRecord {
  job: DailyJob;
  runDate: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  holder: string;
  attempts: number;
  summary: string | null;
}

export async function dailyRuns(db: Database, job: DailyJob): Promise<DailyRunRecord[]> {
  const { rows } = await db.query<{
    job: DailyJob;
    run_date: string;
    status: DailyRunRecord['status'];
    holder: string;
    attempts: number;
    summary: string | null;
  }>('SELECT job, run_date::text AS run_date, status, holder, attempts, summary FROM daily_job_runs WHERE job = $1 ORDER BY run_date', [
    job,
  ]);
  return rows.map((row) => ({
    job: row.job,
    runDate: row.run_date,
    status: row.status,
    holder: row.holder,
    attempts: row.attempts,
    summary: row.summary,
  }));
}

// ------------------------------------------------------------------ the assignment review's writes

/** Every active assignment, oldest first (there are about 60: the funded capacity). */
export async function activeAssignmentList(db: Database): Promise<Assignment[]> {
  const { rows } = await db.query<AssignmentRow>(
    `SELECT ${ASSIGNMENT_COLUMNS} FROM contact_person_assignments WHERE ended_at IS NULL ORDER BY started_at, id`,
  );
  return rows.map(toAssignment);
}

/** Ends an assignment at 25 (TURNED_25) on `endedOn`; null when it had ended meanwhile (a caseworker was first). */
export async function endAtTwentyFive(db: Database, assignmentId: string, endedOn: string, endedBy: string): Promise<Assignment | null> {
  const day = isoDate('endedOn', endedOn);
  return db.transaction(async (tx) => {
    const active = await tx.query('SELECT 1 FROM contact_person_assignments WHERE id = $1::uuid AND ended_at IS NULL FOR UPDATE', [
      assignmentId,
    ]);
    if (active.rows.length === 0) return null;
    return endInTransaction(tx, {
      youthId: null,
      assignmentId,
      endCode: 'TURNED_25',
      reason: 'Turned 25: the scheme runs until the 25th birthday',
      outcome: null,
      endedBy,
      endedOn: day,
    });
  });
}

/** Marks (or, with null, clears) an active assignment as due for review; true when it changed anything. */
export async function setReview(db: Database, assignmentId: string, reason: ReviewReason | null, since: string): Promise<boolean> {
  const day = isoDate('since', since);
  const { rows } = await db.query(
    `UPDATE contact_person_assignments
        SET review_reason = $2, review_due_since = CASE WHEN $2::text IS NULL THEN NULL ELSE coalesce(review_due_since, $3::date) END
      WHERE id = $1::uuid AND ended_at IS NULL AND review_reason IS DISTINCT FROM $2
  RETURNING id`,
    [assignmentId, reason, day],
  );
  return rows.length > 0;
}

import type { Database, Queryable } from '../../../platform/db/database.js';
import { holdLeaseFence, type LeaseFence } from './leaderLease.js';
import { checkScreeningRow } from './screening.js';
import { LOCK_NAMESPACE } from '../../../platform/db/migrate.js';
import { StoreError } from './errors.js';
import { translate } from './rows.js';
import type { ScreeningRow } from './types.js';
import { integer, keyList, oneOf, requiredText } from './validate.js';

/**
 * The screening register kept current between full rebuilds (screening/changeFeed.ts): the rows of the
 * young people a batch of change events names, recomputed from the systems' current records, written
 * together with each feed's new position in one transaction, so the register never holds a change
 * its position does not cover, nor a position that skipped a change.
 */

export const FEED_SYSTEMS = ['school', 'guidance', 'jobcenter', 'social', 'benefits'] as const;
export type FeedSystem = (typeof FEED_SYSTEMS)[number];

/** How far the register has followed one system's feed: every event up to `sequence` of `stream` is in it. */
export interface FeedPosition {
  system: FeedSystem;
  stream: string;
  sequence: number;
}

export interface ScreeningChanges {
  /** The young people's rows as they are now (inserted or replaced). */
  rows: readonly ScreeningRow[];
  /** Young people UU no longer holds: their rows go. */
  removed: readonly string[];
  /** The feeds' positions these rows cover. */
  positions: readonly FeedPosition[];
}

/** Rows per statement (the register's own chunk size would do; a batch of changes is small). */
const CHUNK = 500;

export async function feedPositions(db: Queryable): Promise<FeedPosition[]> {
  const { rows } = await db.query<{ system: FeedSystem; stream: string; sequence: string | number }>(
    'SELECT system, stream, sequence FROM screening_feed_positions ORDER BY system',
  );
  return rows.map((row) => ({ system: row.system, stream: row.stream, sequence: Number(row.sequence) }));
}

/** Sets the feeds' positions without rows (after a full rebuild: the heads taken before it started). */
export async function setFeedPositions(db: Database, positions: readonly FeedPosition[]): Promise<void> {
  const checked = positions.map(checkPosition);
  await db.transaction(async (tx) => writePositions(tx, checked));
}

/**
 * Writes one batch of changes: the rows (upsert), the removals and the positions, in one transaction.
 * It takes the full rebuild's lock (store/screening.ts), so a batch never lands in the middle of one.
 * A row keeps the id of the last successful run (`run_id`): the next full rebuild replaces it as any other.
 */
export async function applyScreeningChanges(
  db: Database,
  changes: ScreeningChanges,
  fence?: LeaseFence,
): Promise<{ upserted: number; removed: number }> {
  // Checked as the full rebuild checks its rows.
  const rows = changes.rows.map(checkScreeningRow);
  const removed = changes.removed.length === 0 ? [] : keyList('removed', [...new Set(changes.removed)], 10_000);
  const positions = changes.positions.map(checkPosition);
  const ids = new Set<string>();
  for (const row of rows) {
    if (ids.has(row.youth_id))
      throw new StoreError('BAD_USER_INPUT', `youthId "${row.youth_id}" appears twice in the batch`, { field: 'rows' });
    ids.add(row.youth_id);
  }
  try {
    return await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_NAMESPACE, `screening:${db.schema}`]);
      // Only the leader follows the feeds: a deposed one's late batch is refused (store/leaderLease.ts).
      await holdLeaseFence(tx, fence);
      for (let start = 0; start < rows.length; start += CHUNK) {
        await tx.query(
          `INSERT INTO youth_screening (youth_id, birth_date, school_id, grade, indicators, in_target_group,
                                        contact_person_status, institution_ids, completed_youth_education, childrens_case,
                                        counsellor, advisor_id, caseworker_ids, social_units, record_units,
                                        first_name, last_name, jobcenter_referred, adults_case_opened,
                                        open_social_cases, open_social_cases_education_goal, education_under_way,
                                        screened_at, run_id)
           SELECT r.youth_id, r.birth_date, r.school_id, r.grade, r.indicators, r.in_target_group,
                  r.contact_person_status, r.institution_ids, r.completed_youth_education, r.childrens_case,
                  r.counsellor, r.advisor_id, r.caseworker_ids, r.social_units, r.record_units,
                  r.first_name, r.last_name, r.jobcenter_referred, r.adults_case_opened,
                  r.open_social_cases, r.open_social_cases_education_goal, r.education_under_way,
                  now(), (SELECT coalesce(max(id), 0) FROM screening_runs WHERE status = 'SUCCEEDED')
             FROM jsonb_to_recordset($1::jsonb) AS r(youth_id text, birth_date date, school_id text, grade integer,
                  indicators text[], in_target_group boolean, contact_person_status text, institution_ids text[],
                  completed_youth_education boolean, childrens_case boolean,
                  counsellor text, advisor_id text, caseworker_ids text[], social_units text[], record_units text[],
                  first_name text, last_name text, jobcenter_referred date, adults_case_opened date,
                  open_social_cases integer, open_social_cases_education_goal integer, education_under_way boolean)
           ON CONFLICT (youth_id) DO UPDATE SET
             birth_date = excluded.birth_date, school_id = excluded.school_id, grade = excluded.grade,
             indicators = excluded.indicators, in_target_group = excluded.in_target_group,
             contact_person_status = excluded.contact_person_status, institution_ids = excluded.institution_ids,
             completed_youth_education = excluded.completed_youth_education, childrens_case = excluded.childrens_case,
             counsellor = excluded.counsellor, advisor_id = excluded.advisor_id, caseworker_ids = excluded.caseworker_ids,
             social_units = excluded.social_units, record_units = excluded.record_units,
             first_name = excluded.first_name, last_name = excluded.last_name,
             jobcenter_referred = excluded.jobcenter_referred, adults_case_opened = excluded.adults_case_opened,
             open_social_cases = excluded.open_social_cases,
             open_social_cases_education_goal = excluded.open_social_cases_education_goal,
             education_under_way = excluded.education_under_way, screened_at = excluded.screened_at`,
          [JSON.stringify(rows.slice(start, start + CHUNK))],
        );
      }
      const deleted =
        removed.length === 0
          ? 0
          : (await tx.query('DELETE FROM youth_screening WHERE youth_id = ANY($1::text[]) RETURNING youth_id', [removed])).rows.length;
      await writePositions(tx, positions);
      return { upserted: rows.length, removed: deleted };
    });
  } catch (err) {
    throw translate(err);
  }
}

async function writePositions(tx: Queryable, positions: readonly FeedPosition[]): Promise<void> {
  if (positions.length === 0) return;
  await tx.query(
    `INSERT INTO screening_feed_positions (system, stream, sequence, updated_at)
     SELECT p.system, p.stream, p.sequence, now() FROM jsonb_to_recordset($1::jsonb) AS p(system text, stream text, sequence bigint)
     ON CONFLICT (system) DO UPDATE SET stream = excluded.stream, sequence = excluded.sequence, updated_at = excluded.updated_at`,
    [JSON.stringify(positions)],
  );
}

function checkPosition(position: FeedPosition, index: number): FeedPosition {
  const at = `positions[${index}]`;
  if (typeof position !== 'object' || position === null) throw new StoreError('BAD_USER_INPUT', `${at} must be an object`, { field: at });
  return {
    system: oneOf(`${at}.system`, position.system, FEED_SYSTEMS),
    stream: requiredText(`${at}.stream`, position.stream, 200),
    sequence: integer(`${at}.sequence`, position.sequence, 0, Number.MAX_SAFE_INTEGER),
  };
}

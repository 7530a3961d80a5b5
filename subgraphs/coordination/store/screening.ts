import type { Database } from '../../../platform/db/database.js';
import { StoreError } from './errors.js';
import { GRADE_RANGE, ID_MAX, INSTITUTIONS_PER_ROW_MAX, REGISTER_NAME_MAX, SCREENING_CHUNK, TEXT_MAX } from './limits.js';
import { RUN_COLUMNS, SCREENING_COLUMNS, single, toRun, toScreening, translate, type RunRow, type ScreeningDbRow } from './rows.js';
import {
  CONTACT_PERSON_STATUSES,
  INDICATORS,
  type ScreeningPage,
  type ScreeningQuery,
  type ScreeningRow,
  type ScreeningRun,
  type ScreeningRunInfo,
  type ScreeningStatus,
} from './types.js';
import { relationCondition } from './relations.js';
import type { LeaseFence } from './leaderLease.js';
import { beginScreeningRun, failScreeningRun, finishScreeningRun, stageRows } from './screeningStaging.js';
import { listCount } from './screeningCount.js';
import { sharingCondition } from './consents.js';
import { dueCondition, firstDueSql, mineCondition, nameCondition, planRelationCondition } from './worklist.js';
import {
  ageRange,
  boolean,
  integer,
  isoDate,
  nameFragment,
  oneOf,
  optionalIsoDate,
  optionalText,
  pageSize,
  requiredText,
  setOf,
  textSet,
  timestamp,
} from './validate.js';

/** A keyset position (`positions` of a page before): the youthId alone, or `[key..., youthId]` as JSON. */
function positionOf(after: unknown, keys: number): string[] {
  const text = requiredText('after', after, ID_MAX + 600);
  if (keys === 0) return [requiredText('after', text, ID_MAX)];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  if (!Array.isArray(parsed) || parsed.length !== keys + 1 || !parsed.every((v) => typeof v === 'string')) {
    throw new StoreError('BAD_USER_INPUT', 'after is not a position in this order', { field: 'after' });
  }
  return parsed;
}

/**
 * The screening register: every young person the batch job evaluated against the rules, replaced
 * whole by each run, and the paged, filtered list `youths` reads.
 */

/**
 * Replaces the register with one batch run's result held in memory (tests, small registers): stages the
 * rows in chunks and swaps them in (screeningStaging.ts), in one transaction that upserts and deletes
 * the young people the run did not see (readers see the old register or the new, never half).
 * The run is recorded: RUNNING while it works, then SUCCEEDED, or FAILED with the error.
 */
export async function replaceScreening(
  db: Database,
  rows: readonly ScreeningRow[],
  runInfo: ScreeningRunInfo = {},
  /** The leader's lease the run started under (store/leaderLease.ts): no write once another replica took it over. */
  fence?: LeaseFence,
): Promise<ScreeningRun> {
  // Checked through an `unknown` (callers from JSON may pass anything), so rows keeps its element type.
  const list: unknown = rows;
  if (!Array.isArray(list)) throw new StoreError('BAD_USER_INPUT', 'rows must be a list', { field: 'rows' });
  const startedAt = runInfo.startedAt === undefined ? new Date() : timestamp('startedAt', runInfo.startedAt);
  const asOf = optionalIsoDate('asOf', runInfo.asOf);
  const chunkSize = integer('chunkSize', runInfo.chunkSize ?? SCREENING_CHUNK.default, SCREENING_CHUNK.min, SCREENING_CHUNK.max);
  if (rows.length === 0 && runInfo.allowEmpty !== true) {
    throw new StoreError('BAD_USER_INPUT', 'a screening run with no young people would empty the register; pass allowEmpty to mean it', {
      field: 'rows',
    });
  }
  const checked = rows.map((row, index) => checkScreeningRow(row, index));
  const seen = new Set<string>();
  for (const row of checked) {
    if (seen.has(row.youth_id))
      throw new StoreError('BAD_USER_INPUT', `youthId "${row.youth_id}" appears twice in the run`, { field: 'rows' });
    seen.add(row.youth_id);
  }
  // Checked whole before anything is written; then the same path as the streamed run (screeningStaging.ts).
  const run = await beginScreeningRun(db, { startedAt, asOf });
  try {
    for (let start = 0; start < rows.length; start += chunkSize) await stageRows(db, run.id, rows.slice(start, start + chunkSize), start);
  } catch (error) {
    await failScreeningRun(db, run, error instanceof Error ? error.message : String(error));
    throw translate(error);
  }
  return finishScreeningRun(db, run, { allowEmpty: runInfo.allowEmpty, fence });
}

/** Records a run that failed before it had rows to write (an upstream system was down, say). */
export async function recordScreeningFailure(
  db: Database,
  error: string,
  runInfo: Pick<ScreeningRunInfo, 'startedAt' | 'asOf'> = {},
): Promise<ScreeningRun> {
  const message = requiredText('error', error, 100_000).slice(0, TEXT_MAX.runError);
  const startedAt = runInfo.startedAt === undefined ? new Date() : timestamp('startedAt', runInfo.startedAt);
  const asOf = optionalIsoDate('asOf', runInfo.asOf);
  const { rows } = await db.query<RunRow>(
    `INSERT INTO screening_runs (started_at, finished_at, as_of, status, error)
     VALUES ($1::timestamptz, now(), $2::date, 'FAILED', $3) RETURNING ${RUN_COLUMNS}`,
    [startedAt.toISOString(), asOf, message],
  );
  return toRun(single(rows));
}

/** One page of the register, ordered by youthId, with the count over the whole filter (screeningCount.ts). */
export async function queryScreening(db: Database, query: ScreeningQuery): Promise<ScreeningPage> {
  const asOf = isoDate('asOf', query.asOf);
  const first = pageSize('first', query.first);
  const params: unknown[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const where: string[] = [];
  if (query.inTargetGroup !== undefined && query.inTargetGroup !== null) {
    where.push(`in_target_group = ${param(boolean('inTargetGroup', query.inTargetGroup))}`);
  }
  if (query.indicator !== undefined && query.indicator !== null) {
    where.push(`indicators @> ARRAY[${param(oneOf('indicator', query.indicator, INDICATORS))}::text]`);
  }
  if (query.indicatorsAll !== undefined && query.indicatorsAll !== null) {
    const all = setOf('indicatorsAll', query.indicatorsAll, INDICATORS);
    if (all.length > 0) where.push(`indicators @> ${param(all)}::text[]`);
  }
  const { min: ageMin, max: ageMax } = ageRange(query.ageMin, query.ageMax);
  // Age in whole years at asOf >= n  <=>  born on or before asOf minus n years.
  if (ageMin !== undefined) {
    where.push(`birth_date <= (${param(asOf)}::date - make_interval(years => ${param(ageMin)}::int))::date`);
  }
  if (ageMax !== undefined) {
    where.push(`birth_date > (${param(asOf)}::date - make_interval(years => ${param(ageMax + 1)}::int))::date`);
  }
  if (query.contactPersonStatus !== undefined && query.contactPersonStatus !== null) {
    const statuses = Array.isArray(query.contactPersonStatus)
      ? setOf('contactPersonStatus', query.contactPersonStatus, CONTACT_PERSON_STATUSES)
      : [oneOf('contactPersonStatus', query.contactPersonStatus, CONTACT_PERSON_STATUSES)];
    if (statuses.length === 0)
      throw new StoreError('BAD_USER_INPUT', 'contactPersonStatus must name at least one status', { field: 'contactPersonStatus' });
    where.push(`contact_person_status = ANY(${param(statuses)}::text[])`);
  }
  if (query.schoolId !== undefined && query.schoolId !== null) {
    where.push(`school_id = ${param(requiredText('schoolId', query.schoolId, ID_MAX))}`);
  }
  if (query.institutionId !== undefined && query.institutionId !== null) {
    where.push(`institution_ids @> ARRAY[${param(requiredText('institutionId', query.institutionId, ID_MAX))}::text]`);
  }
  // Need to know: a municipal caller lists their relations only, in this same query (store/relations.ts).
  if (query.relation !== undefined) where.push(relationCondition(query.relation.caller, 'youth_screening', query.relation.today, param));
  // Consent: a filter on derived facts lists a 25-29-year-old only where the field itself would answer.
  if (query.sharing !== undefined) where.push(sharingCondition(query.sharing.units, 'youth_screening', asOf, param));
  // Worklists (store/worklist.ts): due within a window, "mine", part of a name.
  if (query.due !== undefined) {
    where.push(dueCondition(query.due, 'youth_screening', param));
    // The due dates are plan data: only where the caller's relation opens the coordinated plan.
    if (query.relation !== undefined)
      where.push(planRelationCondition(query.relation.caller, 'youth_screening', query.relation.today, param));
  }
  if (query.mine !== undefined) {
    const mine = mineCondition(query.mine.caller, 'youth_screening', param);
    where.push(boolean('mine', query.mine.value) ? mine : `NOT coalesce(${mine}, false)`);
  }
  if (query.nameContains !== undefined && query.nameContains !== null) {
    where.push(nameCondition(nameFragment('nameContains', query.nameContains), 'youth_screening', param));
  }
  const order = query.order ?? 'ID';
  if (order === 'DUE_DATE' && query.due === undefined) {
    throw new StoreError('BAD_USER_INPUT', 'the DUE_DATE order needs a due window (dueWithinDays)', { field: 'order' });
  }
  const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const countParams = [...params];
  // The order's key columns: the page is sorted and continued (keyset) on them, youth_id breaking ties.
  const keys =
    order === 'NAME'
      ? [`coalesce(lower(last_name), '')`, `coalesce(lower(first_name), '')`]
      : order === 'DUE_DATE' && query.due !== undefined
        ? [`(${firstDueSql(query.due, 'youth_screening', param)})`]
        : [];
  const casts = order === 'DUE_DATE' ? ['::date'] : ['::text', '::text'];
  const after = query.after === undefined || query.after === null ? null : positionOf(query.after, keys.length);
  const pageFilter =
    after === null
      ? filter
      : `${filter ? `${filter} AND` : 'WHERE'} (${[...keys, 'youth_id'].join(', ')}) > (${after.map((value, i) => `${param(value)}${casts[i] ?? '::text'}`).join(', ')})`;
  const limit = param(first + 1);
  const keyColumns = keys.map((key, i) => `, ${key}::text AS order_key_${i}`).join('');

  // One snapshot for page and count, so the two agree (a large count may be kept a while: screeningCount.ts).
  return db.transaction(
    async (tx) => {
      // The relation conditions' subqueries make the planner's estimate huge (63 million at a million rows) and
      // PostgreSQL then compiles the statement (JIT) for 250-450 ms, for a page that runs in a millisecond.
      await tx.query('SET LOCAL jit = off');
      const page = await tx.query<ScreeningDbRow & Record<`order_key_${number}`, string>>(
        `SELECT ${SCREENING_COLUMNS}${keyColumns} FROM youth_screening ${pageFilter}
          ORDER BY ${[...keys, 'youth_id'].join(', ')} LIMIT ${limit}::int`,
        params,
      );
      const totalCount = query.count === false ? null : await listCount(db, tx, filter, countParams);
      const kept = page.rows.slice(0, first);
      const rows = kept.map(toScreening);
      const positions = kept.map((row) =>
        keys.length === 0 ? row.youth_id : JSON.stringify([...keys.map((_, i) => row[`order_key_${i}`]), row.youth_id]),
      );
      return {
        rows,
        hasNextPage: page.rows.length > first,
        totalCount,
        endCursor: rows.at(-1)?.youthId ?? null,
        positions,
      };
    },
    { isolation: 'repeatable read', readOnly: true },
  );
}

export async function screeningStatus(db: Database): Promise<ScreeningStatus> {
  const { rows } = await db.query<RunRow & { latest_kind: 'last' | 'succeeded'; register_size: number }>(
    `SELECT * FROM (
       (SELECT ${RUN_COLUMNS}, 'last' AS latest_kind FROM screening_runs ORDER BY started_at DESC, id DESC LIMIT 1)
       UNION ALL
       (SELECT ${RUN_COLUMNS}, 'succeeded' AS latest_kind FROM screening_runs WHERE status = 'SUCCEEDED'
         ORDER BY started_at DESC, id DESC LIMIT 1)
     ) AS runs RIGHT JOIN (SELECT count(*)::int AS register_size FROM youth_screening) AS register ON true`,
  );
  const last = rows.find((row) => row.latest_kind === 'last');
  const succeeded = rows.find((row) => row.latest_kind === 'succeeded');
  return {
    lastRun: last ? toRun(last) : null,
    lastSucceededRun: succeeded ? toRun(succeeded) : null,
    youths: rows[0]?.register_size ?? 0,
  };
}

export type ScreeningInsertRow = Omit<ScreeningDbRow, 'screened_at'> & {
  counsellor: string | null;
  advisor_id: string | null;
  caseworker_ids: string[];
  social_units: string[];
  record_units: string[];
  first_name: string | null;
  last_name: string | null;
  jobcenter_referred: string | null;
  adults_case_opened: string | null;
  open_social_cases: number;
  open_social_cases_education_goal: number;
  education_under_way: boolean;
};

export function checkScreeningRow(row: ScreeningRow, index: number): ScreeningInsertRow {
  if (typeof row !== 'object' || row === null)
    throw new StoreError('BAD_USER_INPUT', `rows[${index}] must be an object`, { field: `rows[${index}]` });
  const at = (field: string) => `rows[${index}].${field}`;
  const indicators = setOf(at('indicators'), row.indicators, INDICATORS);
  const inTargetGroup = boolean(at('inTargetGroup'), row.inTargetGroup);
  if (inTargetGroup && indicators.length === 0) {
    throw new StoreError('BAD_USER_INPUT', `${at('inTargetGroup')} is true but no indicator applies`, { field: at('inTargetGroup') });
  }
  return {
    youth_id: requiredText(at('youthId'), row.youthId, ID_MAX),
    birth_date: isoDate(at('birthDate'), row.birthDate),
    school_id: optionalText(at('schoolId'), row.schoolId, ID_MAX),
    grade: row.grade === null || row.grade === undefined ? null : integer(at('grade'), row.grade, GRADE_RANGE.min, GRADE_RANGE.max),
    indicators,
    in_target_group: inTargetGroup,
    contact_person_status: oneOf(at('contactPersonStatus'), row.contactPersonStatus, CONTACT_PERSON_STATUSES),
    institution_ids: textSet(at('institutionIds'), row.institutionIds ?? [], ID_MAX, INSTITUTIONS_PER_ROW_MAX),
    completed_youth_education:
      row.completedYouthEducation === undefined ? false : boolean(at('completedYouthEducation'), row.completedYouthEducation),
    childrens_case: row.childrensCase === undefined ? false : boolean(at('childrensCase'), row.childrensCase),
    counsellor: optionalText(at('counsellor'), row.counsellor ?? null, ID_MAX),
    advisor_id: optionalText(at('advisorId'), row.advisorId ?? null, ID_MAX),
    caseworker_ids: textSet(at('caseworkerIds'), row.caseworkerIds ?? [], ID_MAX, INSTITUTIONS_PER_ROW_MAX),
    social_units: textSet(at('socialUnits'), row.socialUnits ?? [], ID_MAX, INSTITUTIONS_PER_ROW_MAX),
    record_units: textSet(at('recordUnits'), row.recordUnits ?? [], ID_MAX, INSTITUTIONS_PER_ROW_MAX),
    first_name: optionalText(at('firstName'), row.firstName ?? null, REGISTER_NAME_MAX),
    last_name: optionalText(at('lastName'), row.lastName ?? null, REGISTER_NAME_MAX),
    jobcenter_referred: optionalIsoDate(at('jobcenterReferred'), row.jobcenterReferred ?? null),
    adults_case_opened: optionalIsoDate(at('adultsCaseOpened'), row.adultsCaseOpened ?? null),
    ...socialCaseGoals(row, at),
    education_under_way: row.educationUnderWay === undefined ? false : boolean(at('educationUnderWay'), row.educationUnderWay),
  };
}

/** Migration 010: the open social cases and those with an education or work goal, the second within the first. */
function socialCaseGoals(
  row: ScreeningRow,
  at: (field: string) => string,
): Pick<ScreeningInsertRow, 'open_social_cases' | 'open_social_cases_education_goal'> {
  const open = integer(at('openSocialCases'), row.openSocialCases ?? 0, 0, 100);
  const withGoal = integer(at('openSocialCasesEducationGoal'), row.openSocialCasesEducationGoal ?? 0, 0, open);
  return { open_social_cases: open, open_social_cases_education_goal: withGoal };
}

/**
 * The seed's success measures, month by month (issue 15 s2; seeds/000, "Succesmål for en forstærket
 * sammenhængende ungeindsats i Uddannelseshuset", the national 90 % goal and the contact-person scheme):
 * - every case handed over on time at 18 (the handover report's TRANSFER_18 row for the month, done as
 *   the systems record it or by a completed plan action);
 * - the common goal written into every open case: open social cases whose goal points to education or work;
 * - meetings held in Uddannelseshuset: coordinating (16½) and handover meetings held there;
 * - a rising number of joint decisions across units: decisions made in the month;
 * - 90 % of a cohort with a youth education at 25, and the remaining 10 % under way;
 * - contact persons: active at the month's end, by rule and by judgement, caseload per person, use of the
 *   funded capacity, and assignments ended in the month by reason.
 *
 * Two steps, as in ./reports.ts: `monthFigures` counts with SQL aggregates in one read-only snapshot (the
 * raw figures are what ./snapshots.ts stores), `publishMonth` puts them through suppression and rounding
 * (./suppression.ts), one table per month, so a stored figure is published exactly as a live one is.
 * Figures the database only holds as they are now (the register's social-case goals and education at
 * 25) are null for a month computed after the fact: the register does not remember last year.
 */
import type { Queryable } from '../../../platform/db/database.js';
import type { CoordinationStore } from '../store/coordinationStore.js';
import { ASSIGNMENT_END_CODES, HANDOVER_TRANSITIONS, type AssignmentEndCode, type HandoverTransition } from '../store/types.js';
import {
  buildHandoverReport,
  handoverFigures,
  GOALS,
  HANDOVER_STATUSES,
  MUNICIPAL_TIME_ZONE,
  type HandoverCounts,
  type HandoverStatus,
} from './reports.js';
import { lastOfMonth } from './periods.js';
import { SuppressionTable, shareOf, type PublishedCount, type PublishedShare } from './suppression.js';

/** The meeting kinds the Uddannelseshuset measure counts (migration 009's `meetings.kind`). */
export const MEASURED_MEETING_KINDS = ['COORDINATING_MEETING_16_5', 'HANDOVER'] as const;

/** How a month's figures were got. */
export type MeasureSource = 'SNAPSHOT' | 'BACKFILLED' | 'COMPUTED' | 'LIVE';

/** The raw figures of one month (stored as JSON in `measure_snapshots.figures`, layout version 1). */
export interface MonthFigures {
  /** The first day of the month. */
  month: string;
  /** The day the figures are counted on: the month's last day, or today while the month runs. */
  asOf: string;
  /** Every handover transition due in the month, by status (the handover report's cells). */
  handovers: Record<HandoverTransition, Record<HandoverStatus, number>>;
  /** Null for a month the register cannot speak for (computed after the fact). */
  educationGoal: { openCases: number; withGoal: number } | null;
  /** Null when the meetings table is not there (before migration 009). */
  meetings: { total: number; inUddannelseshuset: number } | null;
  jointDecisions: number;
  /** Null for a month the register cannot speak for. */
  cohort25: { aged25: number; completed: number; underWay: number } | null;
  contactPersons: {
    funded: number;
    active: number;
    byJudgement: number;
    /** Contact persons (staff) with at least one active assignment. */
    withCaseload: number;
    ended: Record<AssignmentEndCode, number>;
  };
}

// ---------------------------------------------------------------- counting

/**
 * The month's figures from the database. `asOf` is the day counted on (the month's last day for a month
 * that is over); `registerState` says whether the register's present state speaks for that day (true
 * for the running month and for the month just ended, when the snapshot is taken).
 */
export async function monthFigures(
  tx: Queryable,
  month: string,
  asOf: string,
  options: { funded: number; registerState: boolean },
): Promise<MonthFigures> {
  const period = { from: month, to: lastOfMonth(month) };
  const handoverMap = await handoverFigures(tx, asOf, period);
  const handovers = Object.fromEntries(
    HANDOVER_TRANSITIONS.map((kind) => [kind, Object.fromEntries(HANDOVER_STATUSES.map((s) => [s, handoverMap.get(kind)?.get(s) ?? 0]))]),
  ) as MonthFigures['handovers'];

  const decisions = (
    await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM joint_decisions WHERE (decided_at AT TIME ZONE $3)::date BETWEEN $1::date AND $2::date`,
      [period.from, asOf, MUNICIPAL_TIME_ZONE],
    )
  ).rows[0]?.n;

  return {
    month,
    asOf,
    handovers,
    educationGoal: options.registerState ? await educationGoalFigures(tx) : null,
    meetings: await meetingFigures(tx, period.from, asOf),
    jointDecisions: decisions ?? 0,
    cohort25: options.registerState ? await cohortFigures(tx, asOf) : null,
    contactPersons: await contactPersonFigures(tx, period.from, asOf, options.funded),
  };
}

async function educationGoalFigures(tx: Queryable): Promise<MonthFigures['educationGoal']> {
  const row = (
    await tx.query<{ open: number; with_goal: number }>(
      `SELECT coalesce(sum(open_social_cases), 0)::int AS open, coalesce(sum(open_social_cases_education_goal), 0)::int AS with_goal
         FROM youth_screening WHERE open_social_cases > 0`,
    )
  ).rows[0];
  return { openCases: row?.open ?? 0, withGoal: row?.with_goal ?? 0 };
}

async function meetingFigures(tx: Queryable, from: string, to: string): Promise<MonthFigures['meetings']> {
  // Written against migration 009; a database without it (an older replica's schema) has no such measure.
  const exists = (await tx.query<{ present: boolean }>(`SELECT to_regclass('meetings') IS NOT NULL AS present`)).rows[0]?.present;
  if (!exists) return null;
  const row = (
    await tx.query<{ total: number; in_house: number }>(
      `SELECT count(*)::int AS total, (count(*) FILTER (WHERE place = 'UDDANNELSESHUSET'))::int AS in_house
         FROM meetings WHERE held_on BETWEEN $1::date AND $2::date AND kind = ANY($3::text[])`,
      [from, to, MEASURED_MEETING_KINDS],
    )
  ).rows[0];
  return { total: row?.total ?? 0, inUddannelseshuset: row?.in_house ?? 0 };
}

async function cohortFigures(tx: Queryable, asOf: string): Promise<MonthFigures['cohort25']> {
  // Aged exactly 25 on asOf, as the outcome report counts them.
  const row = (
    await tx.query<{ aged25: number; completed: number; under_way: number }>(
      `SELECT count(*)::int AS aged25, (count(*) FILTER (WHERE completed_youth_education))::int AS completed,
              (count(*) FILTER (WHERE NOT completed_youth_education AND education_under_way))::int AS under_way
         FROM youth_screening
        WHERE birth_date > ($1::date - make_interval(years => 26))::date
          AND birth_date <= ($1::date - make_interval(years => 25))::date`,
      [asOf],
    )
  ).rows[0];
  return { aged25: row?.aged25 ?? 0, completed: row?.completed ?? 0, underWay: row?.under_way ?? 0 };
}

async function contactPersonFigures(tx: Queryable, from: string, asOf: string, funded: number): Promise<MonthFigures['contactPersons']> {
  // Days on the municipality's calendar; started_on/ended_on where kept (migration 004), else the instants.
  const days = `coalesce(started_on, (started_at AT TIME ZONE $2)::date) AS start_day,
                CASE WHEN ended_at IS NULL THEN NULL ELSE coalesce(ended_on, (ended_at AT TIME ZONE $2)::date) END AS end_day`;
  const active = (
    await tx.query<{ active: number; by_judgement: number; persons: number }>(
      `SELECT count(*)::int AS active, (count(*) FILTER (WHERE basis = 'JUDGEMENT'))::int AS by_judgement,
              count(DISTINCT contact_person_id)::int AS persons
         FROM (SELECT basis, contact_person_id, ${days} FROM contact_person_assignments) AS a
        WHERE start_day <= $1::date AND (end_day IS NULL OR end_day > $1::date)`,
      [asOf, MUNICIPAL_TIME_ZONE],
    )
  ).rows[0];
  const ended = (
    await tx.query<{ code: AssignmentEndCode; n: number }>(
      `SELECT coalesce(end_code, 'OTHER') AS code, count(*)::int AS n
         FROM (SELECT end_code, ${days} FROM contact_person_assignments WHERE ended_at IS NOT NULL) AS a
        WHERE end_day BETWEEN $3::date AND $1::date GROUP BY 1`,
      [asOf, MUNICIPAL_TIME_ZONE, from],
    )
  ).rows;
  return {
    funded,
    active: active?.active ?? 0,
    byJudgement: active?.by_judgement ?? 0,
    withCaseload: active?.persons ?? 0,
    ended: Object.fromEntries(ASSIGNMENT_END_CODES.map((code) => [code, ended.find((r) => r.code === code)?.n ?? 0])) as Record<
      AssignmentEndCode,
      number
    >,
  };
}

/** The month's figures in one read-only snapshot of the store. */
export function computeMonth(
  store: CoordinationStore,
  month: string,
  asOf: string,
  options: { funded: number; registerState: boolean },
): Promise<MonthFigures> {
  return store.snapshot((tx) => monthFigures(tx, month, asOf, options));
}

// ---------------------------------------------------------------- publishing (mirrors the SDL)

export interface MonthlyMeasures {
  month: string;
  asOf: string;
  source: MeasureSource;
  takenAt: string;
  handoverAt18: HandoverCounts;
  educationGoalInOpenCases: {
    openCases: PublishedCount;
    withEducationGoal: PublishedCount;
    withoutEducationGoal: PublishedCount;
    share: PublishedShare;
  } | null;
  meetingsInUddannelseshuset: {
    meetings: PublishedCount;
    inUddannelseshuset: PublishedCount;
    elsewhere: PublishedCount;
    share: PublishedShare;
  } | null;
  jointDecisions: PublishedCount;
  youthEducationAt25: {
    aged25: PublishedCount;
    completed: PublishedCount;
    underWay: PublishedCount;
    neither: PublishedCount;
    completedShare: PublishedShare;
    underWayShare: PublishedShare;
  } | null;
  contactPersons: {
    funded: number;
    active: PublishedCount;
    byRule: PublishedCount;
    byJudgement: PublishedCount;
    contactPersonsWithCaseload: number;
    caseloadPerPerson: number | null;
    capacityUse: PublishedShare;
    ended: PublishedCount;
    endedByReason: { reason: AssignmentEndCode; count: PublishedCount }[];
  };
}

/**
 * One month's figures as published. The handover row is the handover report's own table for the month
 * (the same cells `handovers(from, to)` publishes for that month, so neither answer can undo the
 * other's suppression); the other measures form one table, each breakdown an equation with its total.
 */
export function publishMonth(figures: MonthFigures, source: MeasureSource, takenAt: string): MonthlyMeasures {
  const handoverMap = new Map(
    HANDOVER_TRANSITIONS.map((kind) => [kind, new Map(HANDOVER_STATUSES.map((s) => [s, figures.handovers[kind]?.[s] ?? 0]))]),
  );
  const handovers = buildHandoverReport(handoverMap, { from: figures.month, to: lastOfMonth(figures.month) });
  const at18 = handovers.transitions.find((t) => t.kind === 'TRANSFER_18')!;

  const table = new SuppressionTable();
  if (figures.educationGoal) {
    const { openCases, withGoal } = figures.educationGoal;
    table.add('goal:open', openCases);
    table.add('goal:with', withGoal);
    table.add('goal:without', openCases - withGoal);
    table.equation('goal:open', ['goal:with', 'goal:without']);
  }
  if (figures.meetings) {
    const { total, inUddannelseshuset } = figures.meetings;
    table.add('meetings:total', total);
    table.add('meetings:in', inUddannelseshuset);
    table.add('meetings:elsewhere', total - inUddannelseshuset);
    table.equation('meetings:total', ['meetings:in', 'meetings:elsewhere']);
  }
  table.add('decisions', figures.jointDecisions);
  if (figures.cohort25) {
    const { aged25, completed, underWay } = figures.cohort25;
    table.add('cohort:aged25', aged25);
    table.add('cohort:completed', completed);
    table.add('cohort:underWay', underWay);
    table.add('cohort:neither', aged25 - completed - underWay);
    table.equation('cohort:aged25', ['cohort:completed', 'cohort:underWay', 'cohort:neither']);
  }
  const cp = figures.contactPersons;
  table.add('cp:active', cp.active);
  table.add('cp:byRule', cp.active - cp.byJudgement);
  table.add('cp:byJudgement', cp.byJudgement);
  table.equation('cp:active', ['cp:byRule', 'cp:byJudgement']);
  const ended = table.breakdown('cp:ended', new Map(ASSIGNMENT_END_CODES.map((code) => [code, cp.ended[code] ?? 0])));
  const result = table.run();
  const c = (key: string) => result.cell(key);
  const funded = { value: cp.funded, suppressed: false };
  const active = c('cp:active');

  return {
    month: figures.month,
    asOf: figures.asOf,
    source,
    takenAt,
    handoverAt18: { ...at18 },
    educationGoalInOpenCases: figures.educationGoal && {
      openCases: c('goal:open'),
      withEducationGoal: c('goal:with'),
      withoutEducationGoal: c('goal:without'),
      share: shareOf(c('goal:with'), c('goal:open'), GOALS.EDUCATION_GOAL_IN_OPEN_CASES),
    },
    meetingsInUddannelseshuset: figures.meetings && {
      meetings: c('meetings:total'),
      inUddannelseshuset: c('meetings:in'),
      elsewhere: c('meetings:elsewhere'),
      share: shareOf(c('meetings:in'), c('meetings:total'), GOALS.MEETINGS_IN_UDDANNELSESHUSET),
    },
    jointDecisions: c('decisions'),
    youthEducationAt25: figures.cohort25 && {
      aged25: c('cohort:aged25'),
      completed: c('cohort:completed'),
      underWay: c('cohort:underWay'),
      neither: c('cohort:neither'),
      completedShare: shareOf(c('cohort:completed'), c('cohort:aged25'), GOALS.YOUTH_EDUCATION_AT_25),
      underWayShare: shareOf(c('cohort:underWay'), c('cohort:aged25'), GOALS.UNDER_WAY_AT_25),
    },
    contactPersons: {
      funded: cp.funded,
      active,
      byRule: c('cp:byRule'),
      byJudgement: c('cp:byJudgement'),
      contactPersonsWithCaseload: cp.withCaseload,
      // From the published (rounded) count, so it tells nothing the count does not.
      caseloadPerPerson:
        active.suppressed || active.value === null || cp.withCaseload === 0 ? null : Math.round((active.value / cp.withCaseload) * 10) / 10,
      capacityUse: shareOf(active, funded, null),
      ended: c(ended.total),
      endedByReason: ASSIGNMENT_END_CODES.map((reason) => ({ reason, count: c(`cp:ended:${reason}`) })),
    },
  };
}

/**
 * The reporting tools' aggregates (docs/access.md, scope `reporting:read`): the target group and its
 * indicators (the source's figure 1), the contact persons' capacity, the handovers from children's to
 * adults' services, and the outcomes against the goals. Each report counts with SQL aggregates (GROUP
 * BY) in one read-only snapshot of the store, never row by row, and publishes every count of young
 * people through the small-cell suppression and rounding (./suppression.ts); the handover periods are
 * the fixed shapes of ./periods.ts. Nothing here names a young person.
 */
import type { Queryable } from '../../../platform/db/database.js';
import type { CoordinationStore } from '../store/coordinationStore.js';
import { ASSIGNMENT_OUTCOMES, HANDOVER_TRANSITIONS, type AssignmentOutcome, type HandoverTransition } from '../store/coordinationStore.js';
import { TARGET_GROUP_INDICATORS, type TargetGroupIndicator } from '../rules/targetGroup.js';
import { addMonths, addMonthsSql } from '../rules/dates.js';
import { TRANSITION_MONTHS } from '../rules/transitions.js';
import { SuppressionTable, shareOf, type PublishedCount, type PublishedShare } from './suppression.js';
import { defaultPeriod, type ReportPeriod } from './periods.js';

export type { ReportPeriod } from './periods.js';

/** The municipality's calendar: a plan action completed at 00:30 Danish time was completed that day. */
export const MUNICIPAL_TIME_ZONE = 'Europe/Copenhagen';

/**
 * The goals the measures are held against (seeds/000, 2019). The 80/10/10 split is NOT among them: it
 * was the 2016-2018 social-fund project's success criterion for its own participants (seeds/003: the
 * more resourceful young people on education benefit, 1 January 2016 to 30 September 2018), not a goal
 * of the contact-person scheme, and the graph holds no record of that project's participants; the
 * contact persons' ended assignments are reported by category without a goal (docs/reporting.md).
 */
export const GOALS = {
  /** National goal: 90 % of a cohort have completed a youth education at 25 ... */
  YOUTH_EDUCATION_AT_25: 0.9,
  /** ... and the remaining 10 % are well under way (in education, or firmly attached to work). */
  UNDER_WAY_AT_25: 0.1,
  /** Every case handed over on time. */
  HANDOVER_ON_TIME: 1,
  /** The common goal written into every open case. */
  EDUCATION_GOAL_IN_OPEN_CASES: 1,
  /** Every meeting with the young person held in Uddannelseshuset. */
  MEETINGS_IN_UDDANNELSESHUSET: 1,
} as const;

// ---------------------------------------------------------------- shapes (mirroring the SDL)

export const AGE_BANDS = ['AGE_13_15', 'AGE_16_17', 'AGE_18_24', 'AGE_25_29', 'OTHER'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

export interface TargetGroupReport {
  screened: PublishedCount;
  inTargetGroup: PublishedCount;
  notInTargetGroup: PublishedCount;
  byIndicator: { indicator: TargetGroupIndicator; count: PublishedCount }[];
  /** Figure 1: each exact combination of indicators that occurs, fewest indicators first, then in figure-1 order. */
  combinations: { indicators: TargetGroupIndicator[]; count: PublishedCount }[];
  /** Every pair of indicators (in figure-1 order): young people with both, whatever else applies. */
  pairs: { first: TargetGroupIndicator; second: TargetGroupIndicator; count: PublishedCount }[];
  byAgeBand: { band: AgeBand; count: PublishedCount }[];
  bySchool: {
    /** Pupils in the target group. */
    pupils: PublishedCount;
    /** In the target group and not a pupil of the school system. */
    notPupils: PublishedCount;
    /** Every school with pupils in the register, by school id. */
    schools: { schoolId: string; count: PublishedCount }[];
  };
}

export interface CapacityReport {
  funded: number;
  active: PublishedCount;
  /** Issue 13: assignments by the candidate rules and by a professional's judgement (active = the two). */
  activeByRule: PublishedCount;
  activeByJudgement: PublishedCount;
  overCapacity: PublishedCount;
  isOverCapacity: boolean;
  available: PublishedCount;
  contactPersons: { contactPersonName: string; caseload: PublishedCount; caseloadLimit: number; overLimit: boolean; active: boolean }[];
}

export const HANDOVER_STATUSES = ['ON_TIME', 'LATE', 'MISSING', 'NOT_YET_DUE'] as const;
export type HandoverStatus = (typeof HANDOVER_STATUSES)[number];

export interface HandoverCounts {
  /** Transitions that fell in the period. */
  due: PublishedCount;
  /** Of those, the ones whose date is on or before `asOf` (on time, late or missing). */
  pastDue: PublishedCount;
  onTime: PublishedCount;
  late: PublishedCount;
  missing: PublishedCount;
  notYetDue: PublishedCount;
  /** onTime / pastDue against the goal of every handover on time. */
  onTimeShare: PublishedShare;
}

export interface HandoverReport {
  from: string;
  to: string;
  transitions: ({ kind: HandoverTransition } & HandoverCounts)[];
  total: HandoverCounts;
}

export interface OutcomeReport {
  endedAssignments: PublishedCount;
  withOutcome: PublishedCount;
  withoutOutcome: PublishedCount;
  byOutcome: { outcome: AssignmentOutcome; count: PublishedCount; share: PublishedShare }[];
  youthEducationAt25: { aged25: PublishedCount; completed: PublishedCount; notCompleted: PublishedCount; share: PublishedShare };
}

// ---------------------------------------------------------------- target group

interface TargetGroupFigures {
  screened: number;
  inTargetGroup: number;
  combinations: { indicators: TargetGroupIndicator[]; count: number }[];
  ageBands: Map<AgeBand, number>;
  schools: { schoolId: string; inTargetGroup: number }[];
}

async function targetGroupFigures(tx: Queryable, asOf: string): Promise<TargetGroupFigures> {
  const totals = (
    await tx.query<{ screened: number; in_target_group: number }>(
      `SELECT count(*)::int AS screened, (count(*) FILTER (WHERE in_target_group))::int AS in_target_group FROM youth_screening`,
    )
  ).rows[0] ?? { screened: 0, in_target_group: 0 };
  // Each young person's indicators in figure-1 order, so that one combination is one group.
  const combinations = (
    await tx.query<{ combination: TargetGroupIndicator[]; n: number }>(
      `SELECT combination, count(*)::int AS n
         FROM (SELECT ARRAY(SELECT i FROM unnest(indicators) AS i ORDER BY array_position($1::text[], i)) AS combination
                 FROM youth_screening WHERE in_target_group) AS combined
        GROUP BY combination`,
      [TARGET_GROUP_INDICATORS],
    )
  ).rows;
  const bands = (
    await tx.query<{ band: AgeBand; n: number }>(
      `SELECT band, count(*)::int AS n FROM (
         SELECT CASE WHEN age BETWEEN 13 AND 15 THEN 'AGE_13_15' WHEN age BETWEEN 16 AND 17 THEN 'AGE_16_17'
                     WHEN age BETWEEN 18 AND 24 THEN 'AGE_18_24' WHEN age BETWEEN 25 AND 29 THEN 'AGE_25_29'
                     ELSE 'OTHER' END AS band
           FROM (SELECT extract(year FROM age($1::date, birth_date))::int AS age FROM youth_screening WHERE in_target_group) AS ages
       ) AS banded GROUP BY band`,
      [asOf],
    )
  ).rows;
  const schools = (
    await tx.query<{ school_id: string; n: number }>(
      `SELECT school_id, (count(*) FILTER (WHERE in_target_group))::int AS n
         FROM youth_screening WHERE school_id IS NOT NULL GROUP BY school_id ORDER BY school_id COLLATE "C"`,
    )
  ).rows;
  return {
    screened: totals.screened,
    inTargetGroup: totals.in_target_group,
    combinations: combinations.map((row) => ({ indicators: row.combination, count: row.n })).sort(byCombination),
    ageBands: new Map(AGE_BANDS.map((band) => [band, bands.find((row) => row.band === band)?.n ?? 0])),
    schools: schools.map((row) => ({ schoolId: row.school_id, inTargetGroup: row.n })),
  };
}

function byCombination(a: { indicators: TargetGroupIndicator[] }, b: { indicators: TargetGroupIndicator[] }): number {
  if (a.indicators.length !== b.indicators.length) return a.indicators.length - b.indicators.length;
  for (let i = 0; i < a.indicators.length; i++) {
    const diff = TARGET_GROUP_INDICATORS.indexOf(a.indicators[i]!) - TARGET_GROUP_INDICATORS.indexOf(b.indicators[i]!);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** Every pair of indicators, in figure-1 order. */
export function indicatorPairs(): [TargetGroupIndicator, TargetGroupIndicator][] {
  const pairs: [TargetGroupIndicator, TargetGroupIndicator][] = [];
  TARGET_GROUP_INDICATORS.forEach((first, i) => TARGET_GROUP_INDICATORS.slice(i + 1).forEach((second) => pairs.push([first, second])));
  return pairs;
}

/**
 * One linked table: the combinations partition the target group, and every indicator's count and every
 * pair's count is a sum of combinations, so all of them are suppressed together (a hidden combination
 * must not be recoverable from an indicator's count either).
 */
export function buildTargetGroupReport(figures: TargetGroupFigures): TargetGroupReport {
  const table = new SuppressionTable();
  const screened = table.add('screened', figures.screened);
  const inTargetGroup = table.add('inTargetGroup', figures.inTargetGroup);
  const notInTargetGroup = table.add('notInTargetGroup', figures.screened - figures.inTargetGroup);
  table.equation(screened, [inTargetGroup, notInTargetGroup]);

  const comboKey = (indicators: readonly string[]) => `combination:${indicators.join('+')}`;
  for (const combination of figures.combinations) table.add(comboKey(combination.indicators), combination.count);
  table.equation(
    inTargetGroup,
    figures.combinations.map((c) => comboKey(c.indicators)),
  );

  const sumOver = (holds: (indicators: readonly TargetGroupIndicator[]) => boolean) => {
    const matching = figures.combinations.filter((c) => holds(c.indicators));
    return { keys: matching.map((c) => comboKey(c.indicators)), value: matching.reduce((acc, c) => acc + c.count, 0) };
  };
  for (const indicator of TARGET_GROUP_INDICATORS) {
    const { keys, value } = sumOver((indicators) => indicators.includes(indicator));
    table.add(`indicator:${indicator}`, value);
    if (keys.length > 0) table.equation(`indicator:${indicator}`, keys);
  }
  const pairs = indicatorPairs();
  for (const [first, second] of pairs) {
    const { keys, value } = sumOver((indicators) => indicators.includes(first) && indicators.includes(second));
    table.add(`pair:${first}+${second}`, value);
    if (keys.length > 0) table.equation(`pair:${first}+${second}`, keys);
  }

  table.breakdown('age', figures.ageBands, inTargetGroup);

  const pupilsInTargetGroup = figures.schools.reduce((acc, s) => acc + s.inTargetGroup, 0);
  const pupils = table.add('pupils', pupilsInTargetGroup);
  const notPupils = table.add('notPupils', figures.inTargetGroup - pupilsInTargetGroup);
  table.equation(inTargetGroup, [pupils, notPupils]);
  table.breakdown('school', new Map(figures.schools.map((s) => [s.schoolId, s.inTargetGroup])), pupils);

  const result = table.run();
  return {
    screened: result.cell(screened),
    inTargetGroup: result.cell(inTargetGroup),
    notInTargetGroup: result.cell(notInTargetGroup),
    byIndicator: TARGET_GROUP_INDICATORS.map((indicator) => ({ indicator, count: result.cell(`indicator:${indicator}`) })),
    combinations: figures.combinations.map((c) => ({ indicators: c.indicators, count: result.cell(comboKey(c.indicators)) })),
    pairs: pairs.map(([first, second]) => ({ first, second, count: result.cell(`pair:${first}+${second}`) })),
    byAgeBand: AGE_BANDS.map((band) => ({ band, count: result.cell(`age:${band}`) })),
    bySchool: {
      pupils: result.cell(pupils),
      notPupils: result.cell(notPupils),
      schools: figures.schools.map((s) => ({ schoolId: s.schoolId, count: result.cell(`school:${s.schoolId}`) })),
    },
  };
}

export async function targetGroupReport(store: CoordinationStore, asOf: string): Promise<TargetGroupReport> {
  return buildTargetGroupReport(await store.snapshot((tx) => targetGroupFigures(tx, asOf)));
}

// ---------------------------------------------------------------- contact-person capacity

interface CaseloadFigures {
  name: string;
  caseloadLimit: number;
  active: boolean;
  caseload: number;
  /** Of the caseload, assignments made by judgement (issue 13); absent counts as none. */
  byJudgement?: number;
}

async function caseloadFigures(tx: Queryable): Promise<CaseloadFigures[]> {
  const { rows } = await tx.query<{ name: string; caseload_limit: number; active: boolean; caseload: number; by_judgement: number }>(
    `SELECT cp.name, cp.caseload_limit, cp.active, count(a.id)::int AS caseload,
            (count(a.id) FILTER (WHERE a.basis = 'JUDGEMENT'))::int AS by_judgement
       FROM contact_persons cp
       LEFT JOIN contact_person_assignments a ON a.contact_person_id = cp.id AND a.ended_at IS NULL
      GROUP BY cp.id, cp.name, cp.caseload_limit, cp.active
     HAVING cp.active OR count(a.id) > 0
      ORDER BY cp.name, cp.id`,
  );
  return rows.map((row) => ({
    name: row.name,
    caseloadLimit: row.caseload_limit,
    active: row.active,
    caseload: row.caseload,
    byJudgement: row.by_judgement,
  }));
}

/**
 * Active assignments = the caseloads' sum = the part within the funded capacity + the part over it,
 * and funded = within + free places. Whether the capacity is exceeded is published as a yes/no (the
 * warning must show even when the count is hidden), which settles within = funded and free = 0 (when
 * exceeded) or over = 0 (when not): those cells are marked fixed, so that a hidden over-capacity
 * count is protected by hiding the active total and a caseload, not by cells everyone can infer.
 */
export function buildCapacityReport(people: readonly CaseloadFigures[], funded: number): CapacityReport {
  const active = people.reduce((acc, p) => acc + p.caseload, 0);
  const isOverCapacity = active > funded;
  const table = new SuppressionTable();
  table.add('funded', funded, { fixed: true });
  table.add('active', active);
  table.add('within', Math.min(active, funded), { fixed: isOverCapacity });
  table.add('over', Math.max(0, active - funded), { fixed: !isOverCapacity });
  table.add('available', Math.max(0, funded - active), { fixed: isOverCapacity });
  table.equation('active', ['within', 'over']);
  table.equation('funded', ['within', 'available']);
  // Issue 13: by rule and by judgement, suppressed and rounded like every count, in the same table.
  const byJudgement = people.reduce((acc, p) => acc + (p.byJudgement ?? 0), 0);
  table.add('byRule', active - byJudgement);
  table.add('byJudgement', byJudgement);
  table.equation('active', ['byRule', 'byJudgement']);
  people.forEach((person, i) => table.add(`caseload:${i}`, person.caseload));
  table.equation(
    'active',
    people.map((_, i) => `caseload:${i}`),
  );
  const result = table.run();
  return {
    funded,
    active: result.cell('active'),
    activeByRule: result.cell('byRule'),
    activeByJudgement: result.cell('byJudgement'),
    overCapacity: result.cell('over'),
    isOverCapacity,
    available: result.cell('available'),
    contactPersons: people.map((person, i) => ({
      contactPersonName: person.name,
      caseload: result.cell(`caseload:${i}`),
      caseloadLimit: person.caseloadLimit,
      overLimit: person.caseload > person.caseloadLimit,
      active: person.active,
    })),
  };
}

export async function capacityReport(store: CoordinationStore, fundedCapacity: number): Promise<CapacityReport> {
  return buildCapacityReport(await store.snapshot(caseloadFigures), fundedCapacity);
}

// ---------------------------------------------------------------- handovers

/** Months from birth to each handover transition (16½, 17, 18): the rules' own (rules/transitions.ts). */
export const HANDOVER_MONTHS: Readonly<Record<HandoverTransition, number>> = TRANSITION_MONTHS;

/** When a handover transition falls due for a young person born on `birthDate` (the rules' dates). */
export function handoverDue(kind: HandoverTransition, birthDate: string): string {
  return addMonths(birthDate, HANDOVER_MONTHS[kind]);
}

export async function handoverFigures(
  tx: Queryable,
  asOf: string,
  period: ReportPeriod,
): Promise<Map<HandoverTransition, Map<HandoverStatus, number>>> {
  // A young person's transitions count when a children's case is open, or when the plan already
  // names the transition (the children's case may have closed at the transfer itself).
  // Done is the earlier of a completed plan action naming the transition and, where the systems hold it,
  // their own record (issue 13 s4: not only what caseworkers remember to record): the jobcenter's
  // visitation date for the advisor at 17, the first case on the adults' side for the transfer at 18.
  const { rows } = await tx.query<{ kind: HandoverTransition; status: HandoverStatus; n: number }>(
    `WITH kinds(kind, months) AS (SELECT * FROM unnest($1::text[], $2::int[])),
          due AS (
            SELECT k.kind, y.youth_id, ${addMonthsSql('y.birth_date', 'k.months')} AS due
              FROM youth_screening y CROSS JOIN kinds k
             WHERE y.childrens_case
                OR EXISTS (SELECT 1 FROM plan_actions pa WHERE pa.youth_id = y.youth_id AND pa.transition = k.kind)
          ),
          recorded AS (
            SELECT youth_id, transition, min((completed_at AT TIME ZONE $6)::date) AS completed
              FROM plan_actions WHERE status = 'DONE' AND transition IS NOT NULL
             GROUP BY youth_id, transition
          ),
          done AS (
            SELECT d.youth_id, d.kind,
                   LEAST(r.completed,
                         CASE d.kind WHEN 'JOBCENTER_ADVISOR_17' THEN y.jobcenter_referred
                                     WHEN 'TRANSFER_18' THEN y.adults_case_opened END) AS completed
              FROM due d
              JOIN youth_screening y ON y.youth_id = d.youth_id
              LEFT JOIN recorded r ON r.youth_id = d.youth_id AND r.transition = d.kind
          )
     SELECT d.kind,
            CASE WHEN c.completed IS NULL THEN CASE WHEN d.due > $5::date THEN 'NOT_YET_DUE' ELSE 'MISSING' END
                 WHEN c.completed <= d.due THEN 'ON_TIME'
                 ELSE 'LATE' END AS status,
            count(*)::int AS n
       FROM due d LEFT JOIN done c ON c.youth_id = d.youth_id AND c.kind = d.kind
      WHERE d.due BETWEEN $3::date AND $4::date
      GROUP BY 1, 2`,
    [HANDOVER_TRANSITIONS, HANDOVER_TRANSITIONS.map((kind) => HANDOVER_MONTHS[kind]), period.from, period.to, asOf, MUNICIPAL_TIME_ZONE],
  );
  return new Map(
    HANDOVER_TRANSITIONS.map((kind) => [
      kind,
      new Map(HANDOVER_STATUSES.map((status) => [status, rows.find((r) => r.kind === kind && r.status === status)?.n ?? 0])),
    ]),
  );
}

/** A cross-tab transition × status with totals, plus "past due" (on time + late + missing) per row and in total. */
export function buildHandoverReport(figures: Map<HandoverTransition, Map<HandoverStatus, number>>, period: ReportPeriod): HandoverReport {
  const value = (kind: string, status: string) => figures.get(kind as HandoverTransition)?.get(status as HandoverStatus) ?? 0;
  const table = new SuppressionTable();
  const { key } = table.crossTab('handover', HANDOVER_TRANSITIONS, HANDOVER_STATUSES, value);
  const rows = [...HANDOVER_TRANSITIONS, 'total'] as const;
  for (const row of rows) {
    const pastDue = key(row, 'pastDue');
    const past = (['ON_TIME', 'LATE', 'MISSING'] as const).map((status) => key(row, status));
    const sum =
      row === 'total'
        ? HANDOVER_TRANSITIONS.reduce((acc, kind) => acc + value(kind, 'ON_TIME') + value(kind, 'LATE') + value(kind, 'MISSING'), 0)
        : value(row, 'ON_TIME') + value(row, 'LATE') + value(row, 'MISSING');
    table.add(pastDue, sum);
    table.equation(pastDue, past);
    table.equation(key(row, 'total'), [pastDue, key(row, 'NOT_YET_DUE')]);
  }
  table.equation(
    key('total', 'pastDue'),
    HANDOVER_TRANSITIONS.map((kind) => key(kind, 'pastDue')),
  );
  const result = table.run();
  const counts = (row: string): HandoverCounts => {
    const onTime = result.cell(key(row, 'ON_TIME'));
    const pastDue = result.cell(key(row, 'pastDue'));
    return {
      due: result.cell(key(row, 'total')),
      pastDue,
      onTime,
      late: result.cell(key(row, 'LATE')),
      missing: result.cell(key(row, 'MISSING')),
      notYetDue: result.cell(key(row, 'NOT_YET_DUE')),
      onTimeShare: shareOf(onTime, pastDue, GOALS.HANDOVER_ON_TIME),
    };
  };
  return {
    from: period.from,
    to: period.to,
    transitions: HANDOVER_TRANSITIONS.map((kind) => ({ kind, ...counts(kind) })),
    total: counts('total'),
  };
}

export async function handoverReport(
  store: CoordinationStore,
  asOf: string,
  period: ReportPeriod = defaultPeriod(asOf),
): Promise<HandoverReport> {
  return buildHandoverReport(await store.snapshot((tx) => handoverFigures(tx, asOf, period)), period);
}

// ---------------------------------------------------------------- outcomes

interface OutcomeFigures {
  /** Ended assignments by outcome; `null` for those ended before outcomes were recorded. */
  ended: Map<AssignmentOutcome | null, number>;
  aged25: number;
  completedAt25: number;
}

async function outcomeFigures(tx: Queryable, asOf: string): Promise<OutcomeFigures> {
  const ended = (
    await tx.query<{ outcome: AssignmentOutcome | null; n: number }>(
      `SELECT outcome, count(*)::int AS n FROM contact_person_assignments WHERE ended_at IS NOT NULL GROUP BY outcome`,
    )
  ).rows;
  // Aged exactly 25 on asOf: born after asOf - 26 years and on or before asOf - 25 years.
  const at25 = (
    await tx.query<{ aged25: number; completed: number }>(
      `SELECT count(*)::int AS aged25, (count(*) FILTER (WHERE completed_youth_education))::int AS completed
         FROM youth_screening
        WHERE birth_date > ($1::date - make_interval(years => 26))::date
          AND birth_date <= ($1::date - make_interval(years => 25))::date`,
      [asOf],
    )
  ).rows[0] ?? { aged25: 0, completed: 0 };
  return {
    ended: new Map([null, ...ASSIGNMENT_OUTCOMES].map((outcome) => [outcome, ended.find((row) => row.outcome === outcome)?.n ?? 0])),
    aged25: at25.aged25,
    completedAt25: at25.completed,
  };
}

export function buildOutcomeReport(figures: OutcomeFigures): OutcomeReport {
  const table = new SuppressionTable();
  const recorded = table.breakdown('outcome', new Map(ASSIGNMENT_OUTCOMES.map((o) => [o, figures.ended.get(o) ?? 0])));
  const withoutOutcome = table.add('withoutOutcome', figures.ended.get(null) ?? 0);
  const ended = table.add(
    'ended',
    ASSIGNMENT_OUTCOMES.reduce((acc, o) => acc + (figures.ended.get(o) ?? 0), 0) + (figures.ended.get(null) ?? 0),
  );
  table.equation(ended, [recorded.total, withoutOutcome]);
  const aged25 = table.add('aged25', figures.aged25);
  const completed = table.add('completed', figures.completedAt25);
  const notCompleted = table.add('notCompleted', figures.aged25 - figures.completedAt25);
  table.equation(aged25, [completed, notCompleted]);
  const result = table.run();
  const withOutcome = result.cell(recorded.total);
  return {
    endedAssignments: result.cell(ended),
    withOutcome,
    withoutOutcome: result.cell(withoutOutcome),
    byOutcome: ASSIGNMENT_OUTCOMES.map((outcome) => {
      const count = result.cell(`outcome:${outcome}`);
      return { outcome, count, share: shareOf(count, withOutcome, null) };
    }),
    youthEducationAt25: {
      aged25: result.cell(aged25),
      completed: result.cell(completed),
      notCompleted: result.cell(notCompleted),
      share: shareOf(result.cell(completed), result.cell(aged25), GOALS.YOUTH_EDUCATION_AT_25),
    },
  };
}

export async function outcomeReport(store: CoordinationStore, asOf: string): Promise<OutcomeReport> {
  return buildOutcomeReport(await store.snapshot((tx) => outcomeFigures(tx, asOf)));
}

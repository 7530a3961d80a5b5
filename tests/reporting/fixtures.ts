import type { Database } from '../../platform/db/database.js';
import type { CoordinationStore, ScreeningRow } from '../../subgraphs/coordination/store/coordinationStore.js';

/** The day the reporting suites count on. */
export const AS_OF = '2026-06-15';

let next = 0;

/** `n` rows of the screening register alike but for the id. */
export function youths(
  n: number,
  row: Omit<ScreeningRow, 'youthId' | 'contactPersonStatus' | 'institutionIds' | 'inTargetGroup'> & Partial<ScreeningRow>,
): ScreeningRow[] {
  return Array.from({ length: n }, () => ({
    contactPersonStatus: 'NOT_CANDIDATE',
    institutionIds: [],
    inTargetGroup: row.indicators.length > 0,
    ...row,
    youthId: `r-${String(next++).padStart(5, '0')}`,
  }));
}

/**
 * A hand-made register for 2026-06-15 (79 young people, 49 in the target group):
 *
 * | combination                              | n  | pupils         | age      |
 * |------------------------------------------|----|----------------|----------|
 * | ABSENCE_OVER_20                          | 12 | S-1 7, S-2 5   | 14       |
 * | ABSENCE_OVER_20 + CONCERNING_ABSENCE     |  6 | S-1            | 15       |
 * | NOT_EDUCATION_READY + SOCIAL_CASE        |  3 | S-2            | 15       |
 * | NOT_IN_EDUCATION                         | 20 | -              | 19 (10), 26 (10) |
 * | NEEDS_SUPPORT_IN_EDUCATION               |  8 | -              | 17       |
 * | not in the target group                  | 30 | S-3 5          | 13 (5), 25 (12: 10 completed), 20 (13, completed) |
 */
export function targetGroupRegister(): ScreeningRow[] {
  return [
    ...youths(7, { birthDate: '2012-03-01', schoolId: 'S-1', grade: 8, indicators: ['ABSENCE_OVER_20'] }),
    ...youths(5, { birthDate: '2012-03-01', schoolId: 'S-2', grade: 8, indicators: ['ABSENCE_OVER_20'] }),
    // Stored in another order than figure 1's: the report orders them.
    ...youths(6, { birthDate: '2011-03-01', schoolId: 'S-1', grade: 9, indicators: ['NOT_EDUCATION_READY', 'ABSENCE_OVER_20'] }),
    // The family-group indicator comes only with absence and not education-ready (rules/targetGroup.ts).
    ...youths(3, {
      birthDate: '2011-03-01',
      schoolId: 'S-2',
      grade: 9,
      indicators: ['SOCIAL_CASE', 'NOT_EDUCATION_READY', 'ABSENCE_OVER_20'],
      childrensCase: true,
    }),
    ...youths(10, { birthDate: '2007-03-01', schoolId: null, grade: null, indicators: ['NOT_IN_EDUCATION'] }),
    ...youths(10, { birthDate: '2000-03-01', schoolId: null, grade: null, indicators: ['NOT_IN_EDUCATION'] }),
    ...youths(8, { birthDate: '2009-03-01', schoolId: null, grade: null, indicators: ['NEEDS_SUPPORT_IN_EDUCATION'] }),
    ...youths(5, { birthDate: '2013-03-01', schoolId: 'S-3', grade: 7, indicators: [] }),
    ...youths(10, { birthDate: '2001-03-01', schoolId: null, grade: null, indicators: [], completedYouthEducation: true }),
    ...youths(2, { birthDate: '2001-03-01', schoolId: null, grade: null, indicators: [], completedYouthEducation: false }),
    ...youths(13, { birthDate: '2006-03-01', schoolId: null, grade: null, indicators: [], completedYouthEducation: true }),
  ];
}

/** Sets when plan actions were completed (the store stamps now(); the handover report needs the past). */
export async function setCompletedAt(db: Database, actionId: string, at: string): Promise<void> {
  await db.query('UPDATE plan_actions SET completed_at = $2::timestamptz WHERE id = $1::uuid', [actionId, at]);
}

/** Adds a handover plan action for `youthId` and, when `completedAt` is given, completes it then. */
export async function handoverAction(
  store: CoordinationStore,
  db: Database,
  youthId: string,
  transition: string,
  transitionDue: string,
  completedAt?: string,
): Promise<void> {
  const action = await store.addPlanAction({
    youthId,
    title: `Handover ${transition}`,
    ownerUnit: 'SOCIAL',
    createdBy: 'test',
    transition,
    transitionDue,
  });
  if (completedAt === undefined) return;
  await store.completePlanAction({ actionId: action.id, completedBy: 'test' });
  await setCompletedAt(db, action.id, completedAt);
}

/** `date` plus `days` (UTC calendar). */
export function plusDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

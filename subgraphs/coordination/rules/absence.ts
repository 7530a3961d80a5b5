import { schoolDayIndex } from './dates.js';
import type { SchoolYearAbsenceFacts } from './facts.js';

export type ConcerningAbsenceRule = 'CONSECUTIVE_5' | 'WITHIN_20_7' | 'WITHIN_60_15';

export interface ConcerningAbsence {
  concerning: boolean;
  /** The first rule that applies, in the order the schools state them; null when none does. */
  rule: ConcerningAbsenceRule | null;
}

/** At least `count` absent days within any `window` consecutive school days. */
interface WindowRule {
  rule: ConcerningAbsenceRule;
  count: number;
  window: number;
}

// 5 consecutive days is "5 within 5": the same window test covers all three rules.
const RULES: readonly WindowRule[] = [
  { rule: 'CONSECUTIVE_5', count: 5, window: 5 },
  { rule: 'WITHIN_20_7', count: 7, window: 20 },
  { rule: 'WITHIN_60_15', count: 15, window: 60 },
];

/** Distinct school-day numbers of the dates, ascending; weekend dates dropped. */
function sortedSchoolDays(dates: readonly string[]): number[] {
  const days = new Set<number>();
  for (const date of dates) {
    const index = schoolDayIndex(date);
    if (index !== null) days.add(index);
  }
  return [...days].sort((a, b) => a - b);
}

/**
 * Whether `count` of the sorted, distinct `days` fall within `window` consecutive school days:
 * a sliding window over the sorted list, so one pass.
 */
function hasCluster(days: readonly number[], { count, window }: WindowRule): boolean {
  for (let i = 0; i + count - 1 < days.length; i++) {
    if (days[i + count - 1]! - days[i]! < window) return true;
  }
  return false;
}

/**
 * The schools' early-warning rule (bekymrende fravær) on one school year's unlawful-absence dates:
 * at least 5 consecutive school days, or 7 within any 20 consecutive school days, or 15 within any 60.
 * The caller passes one school year at a time; duplicates and weekend dates are ignored.
 */
export function concerningAbsence(unlawfulDates: readonly string[]): ConcerningAbsence {
  const days = sortedSchoolDays(unlawfulDates);
  const applies = RULES.find((rule) => hasCluster(days, rule));
  return { concerning: applies !== undefined, rule: applies?.rule ?? null };
}

/** Too few school days say nothing yet: a rate is only counted from this many days into the year. */
export const MIN_SCHOOL_DAYS_FOR_RATE = 20;

/** Absence (any reason) over 20 % of a school year's school days, once the year has 20 school days. */
export function absenceOver20(year: Pick<SchoolYearAbsenceFacts, 'schoolDays' | 'absentDays'>): boolean {
  // absent / days > 1/5, multiplied out so that exactly 20 % (8 of 40) is never over by rounding.
  return year.schoolDays >= MIN_SCHOOL_DAYS_FOR_RATE && year.absentDays * 5 > year.schoolDays;
}

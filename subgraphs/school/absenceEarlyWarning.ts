import { schoolDayIndex } from '../kit/schoolDays.js';

/**
 * The schools' early warning on unlawful absence (bekymrende fravær), from the school administration's
 * procedure quoted in seeds/000_f9d4dc655f6ffb76.txt, note 2: unlawful absence of "mindst 5
 * sammenhængende fraværsdage" or "7 dage i en periode på 20 skoledage" or "15 dage i en periode på 60
 * skoledage". It is the schools' signal to act early, deliberately not an indicator of the youth effort's
 * target group (that one is over 20 % absence over a whole school year: coordination/rules/absence.ts),
 * so it lives with the school's data.
 *
 * Counted in school days (weekdays; holidays are not known here and count as school days), within one
 * school year: the latest the system records, i.e. the one in progress.
 */

export type ConcerningAbsenceRule = 'CONSECUTIVE_5' | 'SEVEN_IN_20' | 'FIFTEEN_IN_60';

export interface AbsenceEarlyWarning {
  concerning: boolean;
  /** The rule that fired first; when two fire on the same day, the one the schools state first. Null when none did. */
  rule: ConcerningAbsenceRule | null;
  /** The unlawful-absence day on which that rule was first met. */
  firedOn: string | null;
  /** The school year judged (`2025/26`); null when the record has no absence year. */
  schoolYear: string | null;
}

/** At least `count` unlawful days within any `window` consecutive school days. */
interface WindowRule {
  rule: ConcerningAbsenceRule;
  count: number;
  window: number;
}

// 5 consecutive days is "5 within 5": one window test covers all three rules. In the schools' order.
const RULES: readonly WindowRule[] = [
  { rule: 'CONSECUTIVE_5', count: 5, window: 5 },
  { rule: 'SEVEN_IN_20', count: 7, window: 20 },
  { rule: 'FIFTEEN_IN_60', count: 15, window: 60 },
];

interface SchoolDay {
  index: number;
  date: string;
}

/** Distinct school days of the dates, ascending; weekend dates dropped. Throws RangeError on a non-ISO date. */
function sortedSchoolDays(dates: readonly string[]): SchoolDay[] {
  const days = new Map<number, string>();
  for (const date of dates) {
    const index = schoolDayIndex(date);
    if (index !== null && !days.has(index)) days.set(index, date);
  }
  return [...days].map(([index, date]) => ({ index, date })).sort((a, b) => a.index - b.index);
}

/**
 * The first position at which `count` of the sorted days fall within `window` consecutive school days:
 * for each end position in turn, so the first hit is the day the rule was first met. Null when never.
 */
function firstFired(days: readonly SchoolDay[], { count, window }: WindowRule): SchoolDay | null {
  for (let end = count - 1; end < days.length; end++) {
    if (days[end]!.index - days[end - count + 1]!.index < window) return days[end]!;
  }
  return null;
}

/** The early warning on one school year's unlawful-absence dates, in any order; duplicates and weekend dates are ignored. */
export function concerningAbsence(unlawfulDates: readonly string[]): Omit<AbsenceEarlyWarning, 'schoolYear'> {
  const days = sortedSchoolDays(unlawfulDates);
  let fired: { rule: ConcerningAbsenceRule; day: SchoolDay } | null = null;
  for (const rule of RULES) {
    const day = firstFired(days, rule);
    // Strictly earlier only: on a tie the rule stated first stays.
    if (day && (fired === null || day.index < fired.day.index)) fired = { rule: rule.rule, day };
  }
  return { concerning: fired !== null, rule: fired?.rule ?? null, firedOn: fired?.day.date ?? null };
}

/** The early warning for the latest school year in the pupil's absence record. */
export function absenceEarlyWarning(
  years: readonly { schoolYear: string; unlawfulAbsenceDates: readonly string[] }[],
): AbsenceEarlyWarning {
  const latest = years.reduce<(typeof years)[number] | undefined>(
    (a, y) => (a === undefined || y.schoolYear > a.schoolYear ? y : a),
    undefined,
  );
  if (!latest) return { concerning: false, rule: null, firedOn: null, schoolYear: null };
  return { ...concerningAbsence(latest.unlawfulAbsenceDates), schoolYear: latest.schoolYear };
}

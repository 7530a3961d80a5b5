import type { SchoolYearAbsenceFacts } from './facts.js';

/**
 * The youth effort's absence indicator (seeds/000_f9d4dc655f6ffb76.txt, note 2): "Her skelnes ikke mellem
 * om fraværet skyldes sygdom, lovligt eller ulovligt fravær og her vurderes over en længere periode,
 * nemlig et helt skoleår. Er fraværet over 20 % ..." Any reason, judged over a whole school year.
 *
 * The school system keeps totals per school year (the current one so far and the one before), not the
 * days themselves, so a rolling last-12-months rate cannot be computed from it: the indicator reads the
 * latest **completed** school year. A year in progress never counts, however bad its first months are
 * (3 bad months of an autumn are not a school year); the schools' own early warning covers those
 * (subgraphs/school/absenceEarlyWarning.ts).
 */

const SCHOOL_YEAR = /^(\d{4})\/(\d{2})$/;

/**
 * The last day (30 June) of a school year written `2025/26`; null when the label is not of that form
 * (an unknown year never makes the rule apply).
 */
export function lastDayOfSchoolYear(schoolYear: string): string | null {
  const m = SCHOOL_YEAR.exec(schoolYear);
  if (!m) return null;
  const start = Number(m[1]);
  if ((start + 1) % 100 !== Number(m[2])) return null;
  return `${start + 1}-06-30`;
}

/** The school year has ended on `asOf` (a school year runs 1 August - 30 June). */
export function isCompletedSchoolYear(schoolYear: string, asOf: string): boolean {
  const lastDay = lastDayOfSchoolYear(schoolYear);
  return lastDay !== null && lastDay < asOf;
}

/** The latest school year in the record that has ended on `asOf`, or undefined. */
export function latestCompletedYear<T extends Pick<SchoolYearAbsenceFacts, 'schoolYear'>>(
  years: readonly T[],
  asOf: string,
): T | undefined {
  return years
    .filter((year) => isCompletedSchoolYear(year.schoolYear, asOf))
    .reduce<T | undefined>((latest, year) => (latest === undefined || year.schoolYear > latest.schoolYear ? year : latest), undefined);
}

/** Absence (any reason) over 20 % of one school year's school days. */
export function absenceRateOver20(year: Pick<SchoolYearAbsenceFacts, 'schoolDays' | 'absentDays'>): boolean {
  // absent / days > 1/5, multiplied out so that exactly 20 % (40 of 200) is never over by rounding.
  return year.schoolDays > 0 && year.absentDays * 5 > year.schoolDays;
}

/** The indicator: over 20 % absence, any reason, in the latest school year completed on `asOf`. */
export function absenceOver20(years: readonly SchoolYearAbsenceFacts[], asOf: string): boolean {
  const year = latestCompletedYear(years, asOf);
  return year !== undefined && absenceRateOver20(year);
}

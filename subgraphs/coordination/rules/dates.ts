/**
 * Calendar arithmetic on ISO `YYYY-MM-DD` dates, in whole days (no time zones involved: every rule
 * works on the municipality's calendar dates).
 */

import { daysInMonth, parseIsoDate, type CalendarDate } from '../../../platform/dates.js';

const DAY_MS = 86_400_000;

function format({ year, month, day }: CalendarDate): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * `date` plus whole months. When the day does not exist in the target month (31 Aug + 6 months, or
 * 29 Feb + 1 year), the result is the 1st of the following month: 2008-02-29 + 1 year = 2009-03-01.
 * That is the day `ageOn` (platform/dates.ts) counts the birthday on, so `ageOn(b, addYears(b, n)) === n` always holds.
 */
export function addMonths(date: string, months: number): string {
  const { year, month, day } = parseIsoDate(date);
  const monthIndex = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = monthIndex - targetYear * 12 + 1;
  if (day <= daysInMonth(targetYear, targetMonth)) return format({ year: targetYear, month: targetMonth, day });
  // December has 31 days, so a missing day is never in December and the next month is in the same year.
  return format({ year: targetYear, month: targetMonth + 1, day: 1 });
}

/** `date` plus whole years; see `addMonths` for 29 February. */
export function addYears(date: string, years: number): string {
  return addMonths(date, years * 12);
}

/** `date` plus whole days (negative: minus). */
export function addDays(date: string, days: number): string {
  const { year, month, day } = parseIsoDate(date);
  return new Date(Date.UTC(year, month - 1, day) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * `addMonths` in SQL (`months` a number or an SQL expression), with the same convention: where the day
 * does not exist in the target month, the 1st of the following month. PostgreSQL clamps to the month's
 * last day instead, so a clamped result moves on by one day.
 */
export function addMonthsSql(date: string, months: string | number): string {
  const shifted = `(${date} + make_interval(months => ${months}))`;
  return `(CASE WHEN extract(day FROM ${shifted}) = extract(day FROM ${date}) THEN ${shifted}::date ELSE ${shifted}::date + 1 END)`;
}

/** Days since 1970-01-01. */
function dayNumber(date: string): number {
  const { year, month, day } = parseIsoDate(date);
  return Math.round(Date.UTC(year, month - 1, day) / DAY_MS);
}

/**
 * The school-day (weekday) number of `date`, or null on a Saturday or Sunday. Weekdays are numbered
 * consecutively, so a Friday and the following Monday differ by exactly 1. Holidays are not known to
 * the rules and count as school days.
 */
export function schoolDayIndex(date: string): number | null {
  const sinceMonday = dayNumber(date) + 3; // 1970-01-01 was a Thursday: count from Monday 1969-12-29
  const week = Math.floor(sinceMonday / 7);
  const weekday = sinceMonday - week * 7; // 0 = Monday ... 6 = Sunday
  return weekday < 5 ? week * 5 + weekday : null;
}

/**
 * The last day (30 June) of the school year `date` falls in. A school year runs 1 August - 30 June;
 * July belongs to the school year that has just ended.
 */
export function endOfSchoolYear(date: string): string {
  const { year, month } = parseIsoDate(date);
  return format({ year: month >= 8 ? year + 1 : year, month: 6, day: 30 });
}

/**
 * ISO `YYYY-MM-DD` calendar dates and age, shared by every process: the coordination rules, the graph's
 * `age` field, the store's validation, the population generator, the report CLI and the upstream date
 * mapping. One definition, so the age a caseworker sees is the age the rules decided on, and a date one
 * part accepts is a date every other part accepts. Plain calendar arithmetic: no time zones involved.
 */

export interface CalendarDate {
  year: number;
  month: number; // 1-12
  day: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Gregorian leap years, by arithmetic (Date.UTC reads years 0-99 as 1900-1999). */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Written as `YYYY-MM-DD`, whether or not that day exists (for a message that tells the two apart). */
export function looksLikeIsoDate(text: string): boolean {
  return ISO_DATE.test(text);
}

/** The date `text` names, or undefined unless it is `YYYY-MM-DD` and a day that exists (no 2025-02-29). */
export function calendarDateOf(text: string): CalendarDate | undefined {
  const m = ISO_DATE.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

/** The one ISO-date check: `YYYY-MM-DD` and a day that exists. */
export function isIsoDate(text: string): boolean {
  return calendarDateOf(text) !== undefined;
}

/** Parses a `YYYY-MM-DD` date; throws `RangeError` for anything that is not a calendar date. */
export function parseIsoDate(text: string): CalendarDate {
  const date = calendarDateOf(text);
  if (!date) throw new RangeError(`not an ISO calendar date: "${text}"`);
  return date;
}

/**
 * Age in whole years on `day` (both ISO dates; `RangeError` otherwise): the birthday itself counts
 * (born 2010-03-15 is 16 on 2026-03-15), and someone born on 29 February is a year older on 1 March in
 * common years, on 29 February in leap years. This is the coordination rules' definition; the graph's
 * `age` field and the population generator use the same.
 */
export function ageOn(birthDate: string, day: string): number {
  const birth = parseIsoDate(birthDate);
  const on = parseIsoDate(day);
  const beforeBirthday = on.month < birth.month || (on.month === birth.month && on.day < birth.day);
  return on.year - birth.year - (beforeBirthday ? 1 : 0);
}

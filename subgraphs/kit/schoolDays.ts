/**
 * School days counted as weekdays, for the schools' absence windows ("7 dage i en periode på 20
 * skoledage"): shared here because the school subgraph's early warning counts them and no subgraph
 * folder imports another. Holidays are not known to the graph and count as school days.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Days since 1970-01-01; `RangeError` for anything that is not a `YYYY-MM-DD` calendar date. */
function dayNumber(date: string): number {
  const m = ISO_DATE.exec(date);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || new Date(ms).toISOString().slice(0, 10) !== date) throw new RangeError(`not an ISO calendar date: "${date}"`);
  return Math.round(ms / DAY_MS);
}

/**
 * The school-day (weekday) number of `date`, or null on a Saturday or Sunday. Weekdays are numbered
 * consecutively, so a Friday and the following Monday differ by exactly 1.
 */
export function schoolDayIndex(date: string): number | null {
  const sinceMonday = dayNumber(date) + 3; // 1970-01-01 was a Thursday: count from Monday 1969-12-29
  const week = Math.floor(sinceMonday / 7);
  const weekday = sinceMonday - week * 7; // 0 = Monday ... 6 = Sunday
  return weekday < 5 ? week * 5 + weekday : null;
}

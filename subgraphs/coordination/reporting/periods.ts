/**
 * The reporting periods a caller may ask for (docs/access.md, "Suppression across questions").
 *
 * Free day ranges let a caller difference two answers: `to: 2026-06-01` against `to: 2026-06-02`
 * gives the handovers of one day, which asking for that day alone suppresses. So a period is made of
 * whole calendar months, in a few fixed shapes, inside a bounded window: one month, a calendar
 * quarter, or 12 or 24 consecutive months (a calendar year is one of those; the monthly 12- and
 * 24-month series are too). That keeps the set of questions small (about 130 in the window), and
 * together with the rounding in ./suppression.ts no two of them can pin a suppressed count.
 */
import { parseIsoDate } from '../../../platform/dates.js';
import { addMonths } from '../rules/dates.js';

/** How far back a period may start: 36 whole months before the month of `asOf` (three years of reports). */
export const REPORT_HISTORY_MONTHS = 36;
/** How far ahead a period may end: 12 whole months after the month of `asOf` (handovers not yet due). */
export const REPORT_HORIZON_MONTHS = 12;
/** The lengths in months a period may have; 3 only as a calendar quarter. */
export const PERIOD_MONTHS = [1, 3, 12, 24] as const;

export interface ReportPeriod {
  /** First day of the first month. */
  from: string;
  /** Last day of the last month (inclusive). */
  to: string;
}

/** A period the rules refuse; `field` names the argument at fault. */
export class PeriodError extends Error {
  override name = 'PeriodError';
  constructor(
    message: string,
    readonly field: 'from' | 'to',
  ) {
    super(message);
  }
}

function firstOfMonth(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

/** The last day of the month `date` is in. */
export function lastOfMonth(date: string): string {
  const { year, month } = parseIsoDate(date);
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${date.slice(0, 7)}-${String(days).padStart(2, '0')}`;
}

/** Whole months from the month of `a` to the month of `b` (0 when the same month). */
function monthsBetween(a: string, b: string): number {
  const x = parseIsoDate(a);
  const y = parseIsoDate(b);
  return (y.year - x.year) * 12 + (y.month - x.month);
}

/** The window periods must lie in, for a report computed on `asOf`. */
export function periodWindow(asOf: string): ReportPeriod {
  const month = firstOfMonth(asOf);
  return { from: addMonths(month, -REPORT_HISTORY_MONTHS), to: lastOfMonth(addMonths(month, REPORT_HORIZON_MONTHS)) };
}

/** The default period: the 12 whole months ending with the month of `asOf`. */
export function defaultPeriod(asOf: string): ReportPeriod {
  const month = firstOfMonth(asOf);
  return { from: addMonths(month, -11), to: lastOfMonth(month) };
}

const ALLOWED = 'a period is whole calendar months: one month, a calendar quarter, or 12 or 24 consecutive months';

/**
 * The period for `from` and `to` (either may be left out: `from` alone means 12 months from it, `to`
 * alone the 12 months up to it, neither the default). Throws PeriodError saying what is allowed.
 */
export function reportPeriod(asOf: string, from: string | undefined, to: string | undefined): ReportPeriod {
  if (from === undefined && to === undefined) return defaultPeriod(asOf);
  if (from !== undefined && from !== firstOfMonth(from)) {
    throw new PeriodError(`from must be the first day of a month (${ALLOWED}), got ${from}; for example ${firstOfMonth(from)}`, 'from');
  }
  if (to !== undefined && to !== lastOfMonth(to)) {
    throw new PeriodError(`to must be the last day of a month (${ALLOWED}), got ${to}; for example ${lastOfMonth(to)}`, 'to');
  }
  const start = from ?? addMonths(firstOfMonth(to!), -11);
  const end = to ?? lastOfMonth(addMonths(start, 11));
  if (start > end) throw new PeriodError(`from (${start}) is after to (${end})`, 'from');
  const months = monthsBetween(start, end) + 1;
  if (!(PERIOD_MONTHS as readonly number[]).includes(months)) {
    throw new PeriodError(`${ALLOWED}; from ${start} to ${end} is ${months} months`, 'to');
  }
  if (months === 3 && (parseIsoDate(start).month - 1) % 3 !== 0) {
    throw new PeriodError(
      `3 months must be a calendar quarter (starting in January, April, July or October), got ${start} to ${end}`,
      'from',
    );
  }
  const window = periodWindow(asOf);
  if (start < window.from || end > window.to) {
    throw new PeriodError(
      `a period must lie between ${window.from} and ${window.to} (${REPORT_HISTORY_MONTHS} months back and ${REPORT_HORIZON_MONTHS} ahead of ${asOf}), got ${start} to ${end}`,
      start < window.from ? 'from' : 'to',
    );
  }
  return { from: start, to: end };
}

/**
 * Calendar arithmetic on day numbers (days since 1970-01-01, UTC) and the Danish school calendar the
 * generator places absence on. ISO `YYYY-MM-DD` strings in, ISO strings out.
 */
import { isIsoDate } from '../../platform/dates.js';

const DAY_MS = 86_400_000;

export function dayNumber(iso: string): number {
  if (!isIsoDate(iso)) throw new RangeError(`not an ISO date: "${iso}"`);
  return Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
}

const isoCache = new Map<number, string>();

export function isoOf(day: number): string {
  let iso = isoCache.get(day);
  if (iso === undefined) {
    iso = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (isoCache.size < 100_000) isoCache.set(day, iso);
  }
  return iso;
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function isWeekday(day: number): boolean {
  const w = weekday(day);
  return w >= 1 && w <= 5;
}

/** The same calendar day `years` later (29 February falls back to 28 February). */
export function addYears(iso: string, years: number): string {
  const y = Number(iso.slice(0, 4)) + years;
  const candidate = `${String(y).padStart(4, '0')}${iso.slice(4)}`;
  return isIsoDate(candidate) ? candidate : `${String(y).padStart(4, '0')}-02-28`;
}

/** The year the school year containing `iso` started (school years run 1 August to 31 July). */
export function schoolYearStartOf(iso: string): number {
  const year = Number(iso.slice(0, 4));
  return Number(iso.slice(5, 7)) >= 8 ? year : year - 1;
}

export function schoolYearLabel(startYear: number): string {
  return `${startYear}/${String((startYear + 1) % 100).padStart(2, '0')}`;
}

function easterSunday(year: number): number {
  // Anonymous Gregorian algorithm.
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dayNumber(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
}

/** Monday of ISO week `week` in `year`. */
function isoWeekMonday(year: number, week: number): number {
  const jan4 = dayNumber(`${year}-01-04`);
  const mondayOfWeek1 = jan4 - ((weekday(jan4) + 6) % 7);
  return mondayOfWeek1 + (week - 1) * 7;
}

const calendarCache = new Map<number, number[]>();

/**
 * Teaching days of the school year starting in August of `startYear`: weekdays from the second Monday
 * of August to the last Friday before 27 June, without the autumn (week 42), Christmas, winter (week 7)
 * and Easter breaks and the public holidays. About 200 days, as in a Danish school year.
 */
export function teachingDays(startYear: number): readonly number[] {
  const cached = calendarCache.get(startYear);
  if (cached) return cached;
  const aug8 = dayNumber(`${startYear}-08-08`);
  const first = aug8 + ((8 - weekday(aug8)) % 7);
  const jun26 = dayNumber(`${startYear + 1}-06-26`);
  const last = jun26 - ((weekday(jun26) + 2) % 7);
  const off = new Set<number>();
  const addRange = (from: number, to: number): void => {
    for (let d = from; d <= to; d++) off.add(d);
  };
  const autumn = isoWeekMonday(startYear, 42);
  addRange(autumn, autumn + 4);
  addRange(dayNumber(`${startYear}-12-21`), dayNumber(`${startYear + 1}-01-02`));
  const winter = isoWeekMonday(startYear + 1, 7);
  addRange(winter, winter + 4);
  const easter = easterSunday(startYear + 1);
  addRange(easter - 6, easter + 1); // Monday of Holy Week to Easter Monday
  addRange(easter + 39, easter + 40); // Ascension Day and the Friday after
  off.add(easter + 50); // Whit Monday
  off.add(dayNumber(`${startYear + 1}-06-05`)); // Constitution Day
  const days: number[] = [];
  for (let d = first; d <= last; d++) if (isWeekday(d) && !off.has(d)) days.push(d);
  calendarCache.set(startYear, days);
  return days;
}

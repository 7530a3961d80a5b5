/**
 * Each legacy system writes dates its own way; the graph speaks ISO `YYYY-MM-DD`. A date that does not
 * parse is a broken upstream record, not something to guess at.
 */
import { isIsoDate } from '../../platform/dates.js';

export class UpstreamFormatError extends Error {
  override name = 'UpstreamFormatError';
}

function iso(year: string, month: string, day: string, raw: string): string {
  const value = `${year}-${month}-${day}`;
  if (!isIsoDate(value)) throw new UpstreamFormatError(`not a calendar date: "${raw}"`);
  return value;
}

function match(pattern: RegExp, raw: string, format: string): RegExpExecArray {
  const m = pattern.exec(raw);
  if (!m) throw new UpstreamFormatError(`expected a date as ${format}, got "${raw}"`);
  return m;
}

/** `DD-MM-YYYY` (school administration). */
export function fromDayMonthYearDashed(raw: string): string {
  const m = match(/^(\d{2})-(\d{2})-(\d{4})$/, raw, 'DD-MM-YYYY');
  return iso(m[3]!, m[2]!, m[1]!, raw);
}

/** `DD.MM.YYYY` (social services). */
export function fromDayMonthYearDotted(raw: string): string {
  const m = match(/^(\d{2})\.(\d{2})\.(\d{4})$/, raw, 'DD.MM.YYYY');
  return iso(m[3]!, m[2]!, m[1]!, raw);
}

/** `YYYYMMDD` (jobcenter). */
export function fromCompact(raw: string): string {
  const m = match(/^(\d{4})(\d{2})(\d{2})$/, raw, 'YYYYMMDD');
  return iso(m[1]!, m[2]!, m[3]!, raw);
}

/** `YYYY-MM-DD` (UU), validated. */
export function fromIsoDate(raw: string): string {
  const m = match(/^(\d{4})-(\d{2})-(\d{2})$/, raw, 'YYYY-MM-DD');
  return iso(m[1]!, m[2]!, m[3]!, raw);
}

/** `YYYY-MM-DDT00:00:00Z` (benefits office): the calendar date in UTC. */
export function fromIsoDateTime(raw: string): string {
  const m = match(/^(\d{4})-(\d{2})-(\d{2})T[\d:.]+Z$/, raw, 'YYYY-MM-DDThh:mm:ssZ');
  return iso(m[1]!, m[2]!, m[3]!, raw);
}

export function optional<T>(raw: T | null | undefined, convert: (value: T) => string): string | null {
  return raw === null || raw === undefined ? null : convert(raw);
}

// Building an Intl.DateTimeFormat costs ~0.1 ms (profiled: 5% of a subgraph process's CPU in an
// extract, where resolvers ask for today once per record); one formatter serves every call.
const DANISH_DAY = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Copenhagen' });

/** The day last computed for the current time, and until when (wall clock, ms) it is rechecked. */
let currentDay: { day: string; recheckAt: number } | undefined;

/**
 * Today as `YYYY-MM-DD` in Danish time (the municipality's day). Without an argument, the answer is
 * reused for up to a second: resolvers ask for today dozens of times per request.
 */
export function todayIso(now?: Date): string {
  if (now) return DANISH_DAY.format(now);
  const at = Date.now();
  if (currentDay && at < currentDay.recheckAt && at >= currentDay.recheckAt - 1000) return currentDay.day;
  currentDay = { day: DANISH_DAY.format(at), recheckAt: at + 1000 };
  return currentDay.day;
}

/** Running on `day`: started on or before it and not ended before it. */
export function isActiveOn(day: string, from: string, to: string | null): boolean {
  return from <= day && (to === null || to >= day);
}

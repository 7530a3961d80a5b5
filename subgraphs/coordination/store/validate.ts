import { calendarDateOf, looksLikeIsoDate } from '../../../platform/dates.js';
import { StoreError } from './errors.js';
import { AGE_RANGE, DATE_YEAR_RANGE, IDEMPOTENCY_KEY_MAX, ID_MAX, KEY_LIST_MAX, NAME_CONTAINS, PAGE_SIZE } from './limits.js';

/**
 * Input checks shared by the store's methods and the resolvers. Each throws `BAD_USER_INPUT` naming
 * the field (in the message and in `details.field`) and what it wanted, before any statement runs, so
 * a refused call writes nothing. The bounds themselves live in limits.ts.
 */

/** `label` names the field in the message ("each of units"); the field itself is what a client sent. */
function bad(label: string, message: string): never {
  throw new StoreError('BAD_USER_INPUT', message, { field: label.replace(/^each of /, '') });
}

/** A non-empty string after trimming, at most `max` characters. */
export function requiredText(field: string, value: unknown, max: number): string {
  if (typeof value !== 'string') bad(field, `${field} must be text`);
  const trimmed = value.trim();
  if (trimmed === '') bad(field, `${field} must not be empty`);
  if (trimmed.length > max) bad(field, `${field} is too long: at most ${max} characters, got ${trimmed.length}`);
  if (trimmed.includes('\u0000')) bad(field, `${field} must not contain NUL characters`);
  return trimmed;
}

/** Part of a name to look for (`nameContains`), trimmed: NAME_CONTAINS characters. */
export function nameFragment(field: string, value: unknown): string {
  const text = requiredText(field, value, NAME_CONTAINS.max);
  if (text.length < NAME_CONTAINS.min) bad(field, `${field} must be ${NAME_CONTAINS.min}-${NAME_CONTAINS.max} characters`);
  return text;
}

/** Absent, null or blank means null; otherwise as `requiredText`. */
export function optionalText(field: string, value: unknown, max: number): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' && value.trim() === '') return null;
  return requiredText(field, value, max);
}

export function idempotencyKey(value: unknown): string | null {
  return optionalText('idempotencyKey', value, IDEMPOTENCY_KEY_MAX);
}

/** A calendar date `YYYY-MM-DD` that exists (no 2025-02-30). */
export function isoDate(field: string, value: unknown): string {
  if (typeof value !== 'string') bad(field, `${field} must be a date written YYYY-MM-DD`);
  const text = value.trim();
  if (!looksLikeIsoDate(text)) bad(field, `${field} must be a date written YYYY-MM-DD, got "${value}"`);
  const date = calendarDateOf(text);
  if (!date || date.year < DATE_YEAR_RANGE.min || date.year > DATE_YEAR_RANGE.max) {
    bad(field, `${field} is not a real date: "${value}"`);
  }
  return text;
}

export function optionalIsoDate(field: string, value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  return isoDate(field, value);
}

/** A point in time: a `Date` or an ISO 8601 date-time string with a zone (or a plain date, read as UTC midnight). */
export function timestamp(field: string, value: unknown): Date {
  let date: Date | undefined;
  if (value instanceof Date) date = value;
  else if (typeof value === 'string') {
    const text = value.trim();
    if (looksLikeIsoDate(text)) date = new Date(`${isoDate(field, text)}T00:00:00Z`);
    else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(text)) date = new Date(text);
  }
  if (!date || Number.isNaN(date.getTime())) bad(field, `${field} must be an ISO 8601 date-time with a time zone`);
  return date;
}

export function integer(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    bad(field, `${field} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value) ?? String(value)}`);
  }
  return value;
}

export function boolean(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') bad(field, `${field} must be true or false`);
  return value;
}

export function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    bad(field, `${field} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value) ?? String(value)}`);
  }
  return value as T;
}

/** A list of values from `allowed`, each once (duplicates are dropped, order kept). */
export function setOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T[] {
  if (!Array.isArray(value)) bad(field, `${field} must be a list`);
  const result: T[] = [];
  for (const item of value) {
    const checked = oneOf(`each of ${field}`, item, allowed);
    if (!result.includes(checked)) result.push(checked);
  }
  return result;
}

/** A list of non-empty strings, each once (duplicates are dropped, order kept). */
export function textSet(field: string, value: unknown, max: number, maxItems: number): string[] {
  if (!Array.isArray(value)) bad(field, `${field} must be a list`);
  if (value.length > maxItems) bad(field, `${field} has too many entries: at most ${maxItems}, got ${value.length}`);
  const result = new Set<string>();
  for (const item of value) result.add(requiredText(`each of ${field}`, item, max));
  return [...result];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Row ids are UUIDs; anything else cannot name a row. */
export function uuid(field: string, value: unknown): string {
  const text = requiredText(field, value, 36);
  if (!UUID.test(text)) bad(field, `${field} is not a valid id: "${text}"`);
  return text.toLowerCase();
}

/** Keys of a batched look-up (DataLoader): strings, not too many. */
export function keyList(field: string, value: unknown, maxItems = KEY_LIST_MAX): string[] {
  if (!Array.isArray(value)) bad(field, `${field} must be a list`);
  if (value.length > maxItems) bad(field, `${field} has too many entries: at most ${maxItems}, got ${value.length}`);
  return value.map((item) => requiredText(`each of ${field}`, item, ID_MAX));
}

/** A page size within `PAGE_SIZE`: the store's `first` and the graph's `youths(first:)` alike. */
export function pageSize(field: string, value: unknown): number {
  return integer(field, value, PAGE_SIZE.min, PAGE_SIZE.max);
}

/**
 * A filter's age bounds, each absent or within `AGE_RANGE`, the lower not above the upper. `fields`
 * names them as the caller knows them (the graph's `filter.ageMin`, the store's `ageMin`).
 */
export function ageRange(
  min: unknown,
  max: unknown,
  fields: { min: string; max: string } = { min: 'ageMin', max: 'ageMax' },
): { min: number | undefined; max: number | undefined } {
  const lower = min === undefined || min === null ? undefined : integer(fields.min, min, AGE_RANGE.min, AGE_RANGE.max);
  const upper = max === undefined || max === null ? undefined : integer(fields.max, max, AGE_RANGE.min, AGE_RANGE.max);
  if (lower !== undefined && upper !== undefined && lower > upper) {
    bad(fields.min, `${fields.min} (${lower}) must not be above ${fields.max} (${upper})`);
  }
  return { min: lower, max: upper };
}

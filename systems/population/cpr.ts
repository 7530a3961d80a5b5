import type { Rng } from './prng.js';
import type { Gender } from './model.js';
import { isIsoDate } from '../../platform/dates.js';

/**
 * Fictitious CPR numbers (personnummer), `DDMMYY-NNNN`.
 *
 * Format: birth date, then a four-digit serial whose first digit (the 7th digit of the number) tells the
 * century together with the year, and whose last digit is odd for men and even for women:
 *
 * | 7th digit | YY 00-36  | YY 37-57  | YY 58-99  |
 * |-----------|-----------|-----------|-----------|
 * | 0-3       | 1900s     | 1900s     | 1900s     |
 * | 4, 9      | 2000s     | 1900s     | 1900s     |
 * | 5-8       | 2000s     | 2000s     | 1800s     |
 *
 * How we keep them from being real people's numbers, honestly stated:
 * - Every serial is chosen so that the number FAILS the modulus-11 check (weights 4,3,2,7,6,5,4,3,2,1).
 *   Until 2007 the CPR office issued only numbers that pass it; since then it has issued numbers that
 *   fail it only for birth dates whose modulus-11 serials had run out. For the birth dates before 2007
 *   used here, a failing number is therefore very unlikely to belong to anyone, though not provably so.
 * - For births from 2007 on, failing modulus 11 proves nothing: those numbers are simply synthetic,
 *   unique within the population, and must never be used outside development and test.
 * There is no officially reserved range for test numbers that keeps the real format, so this is the best
 * a format-valid number can do. Nothing else in the data (names, addresses) points at a real person.
 */

const CPR_PATTERN = /^(\d{2})(\d{2})(\d{2})-?(\d)(\d{3})$/;
const WEIGHTS = [4, 3, 2, 7, 6, 5, 4, 3, 2, 1] as const;

export class CprError extends Error {
  override name = 'CprError';
}

/** Full birth year from the two-digit year and the 7th digit. */
export function centuryYear(yy: number, seventh: number): number {
  if (seventh <= 3) return 1900 + yy;
  if (seventh === 4 || seventh === 9) return yy <= 36 ? 2000 + yy : 1900 + yy;
  return yy <= 57 ? 2000 + yy : 1800 + yy;
}

/** The 7th digits that may encode a birth in `year`. */
export function seventhDigitsFor(year: number): number[] {
  const yy = year % 100;
  const digits: number[] = [];
  for (let d = 0; d <= 9; d++) if (centuryYear(yy, d) === year) digits.push(d);
  return digits;
}

export function satisfiesModulus11(cpr: string): boolean {
  const digits = cpr.replace('-', '');
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += Number(digits[i]) * (WEIGHTS[i] ?? 0);
  return sum % 11 === 0;
}

/** Birth date (ISO) encoded in a CPR number, with or without the dash; throws on a malformed number. */
export function birthDateFromCpr(cpr: string): string {
  const m = CPR_PATTERN.exec(cpr);
  if (!m) throw new CprError(`not a CPR number: "${cpr}"`);
  const [, dd, mm, yy, seventh] = m as unknown as [string, string, string, string, string];
  const year = centuryYear(Number(yy), Number(seventh));
  const iso = `${year}-${mm}-${dd}`;
  if (!isIsoDate(iso)) throw new CprError(`not a calendar date in CPR number: "${cpr}"`);
  return iso;
}

export function genderFromCpr(cpr: string): Gender {
  const last = Number(cpr.slice(-1));
  return last % 2 === 1 ? 'M' : 'F';
}

/** Format check only (shape, real calendar date): says nothing about whether anyone holds the number. */
export function isCprFormat(cpr: string): boolean {
  if (!/^\d{6}-\d{4}$/.test(cpr)) return false;
  try {
    birthDateFromCpr(cpr);
    return true;
  } catch {
    return false;
  }
}

/** The 10 digits without the dash (the jobcenter's form). */
export function cprDigits(cpr: string): string {
  return cpr.replace('-', '');
}

/** `0101124321` -> `010112-4321`. */
export function cprWithDash(digits: string): string {
  return digits.length === 10 ? `${digits.slice(0, 6)}-${digits.slice(6)}` : digits;
}

/**
 * A new fictitious CPR number for `birthDate` and `gender`, not in `taken` (which it joins), failing the
 * modulus-11 check (see above).
 */
export function generateCpr(birthDate: string, gender: Gender, rng: Rng, taken: Set<string>): string {
  const year = Number(birthDate.slice(0, 4));
  const prefix = `${birthDate.slice(8, 10)}${birthDate.slice(5, 7)}${birthDate.slice(2, 4)}`;
  const sevenths = seventhDigitsFor(year);
  if (sevenths.length === 0) throw new CprError(`no CPR century digit encodes the year ${year}`);
  for (let attempt = 0; attempt < 10_000; attempt++) {
    const seventh = rng.pick(sevenths);
    const middle = String(rng.int(100)).padStart(2, '0');
    const last = 2 * rng.int(5) + (gender === 'M' ? 1 : 0);
    const cpr = `${prefix}-${seventh}${middle}${last}`;
    if (satisfiesModulus11(cpr) || taken.has(cpr)) continue;
    taken.add(cpr);
    return cpr;
  }
  throw new CprError(`no free CPR serial left for ${birthDate}`);
}

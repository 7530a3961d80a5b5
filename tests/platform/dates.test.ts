import { describe, expect, it } from 'vitest';
import { ageOn, calendarDateOf, isIsoDate, looksLikeIsoDate, parseIsoDate } from '../../platform/dates.js';

describe("ageOn (the rules' age, also the graph's and the generator's)", () => {
  it.each([
    ['2010-03-16', '2026-03-15', 15],
    ['2010-03-16', '2026-03-16', 16], // the birthday itself counts
    ['2010-03-16', '2026-03-17', 16],
    ['2010-12-31', '2026-01-01', 15],
    ['2010-01-01', '2025-12-31', 15],
    ['2026-03-16', '2026-03-16', 0],
    // born on a leap day: a year older on 1 March in other years, on 29 February in leap years
    ['2008-02-29', '2009-02-28', 0],
    ['2008-02-29', '2009-03-01', 1],
    ['2008-02-29', '2012-02-28', 3],
    ['2008-02-29', '2012-02-29', 4],
    ['2008-02-29', '2026-02-28', 17],
    ['2008-02-29', '2026-03-01', 18],
  ])('born %s is %i on %s', (birth, on, age) => {
    expect(ageOn(birth, on)).toBe(age);
  });

  it('refuses a date that does not exist rather than guessing an age', () => {
    expect(() => ageOn('2009-02-29', '2026-01-01')).toThrow(RangeError);
    expect(() => ageOn('2010-03-16', '2026-3-16')).toThrow(RangeError);
  });
});

describe('the ISO-date check', () => {
  it.each(['2024-02-29', '2000-02-29', '2026-01-01', '2026-12-31', '2026-04-30', '1999-11-30'])('accepts %j', (value) => {
    expect(isIsoDate(value)).toBe(true);
    expect(parseIsoDate(value)).toEqual(calendarDateOf(value));
  });

  it('reads the parts', () => {
    expect(parseIsoDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
  });

  it.each([
    '2025-02-29', // not a leap year
    '1900-02-29', // a century that is not a leap year
    '2026-02-30',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '26-01-01',
    '2026-1-1',
    '01-02-2026',
    '2026-01-01T00:00:00Z',
    ' 2026-01-01',
    '2026/01/01',
    '',
  ])('refuses %j', (value) => {
    expect(isIsoDate(value)).toBe(false);
    expect(calendarDateOf(value)).toBeUndefined();
    expect(() => parseIsoDate(value)).toThrow(RangeError);
  });

  it('tells a malformed date from a day that does not exist', () => {
    expect(looksLikeIsoDate('2025-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(looksLikeIsoDate('2025-2-28')).toBe(false);
  });
});

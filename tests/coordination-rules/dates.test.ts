import { describe, expect, it } from 'vitest';
import { ageOn } from '../../platform/dates.js';
import { addDays, addMonths, addYears, endOfSchoolYear, schoolDayIndex } from '../../subgraphs/coordination/rules/dates.js';

describe('addMonths and addYears', () => {
  it.each([
    ['2010-01-15', 6, '2010-07-15'],
    ['2010-11-15', 3, '2011-02-15'],
    ['2010-05-15', -6, '2009-11-15'],
    ['2010-11-30', 1, '2010-12-30'],
    // a day missing from the target month becomes the 1st of the following month
    ['2009-08-31', 6, '2010-03-01'],
    ['2010-01-31', 1, '2010-03-01'],
    ['2010-10-31', 1, '2010-12-01'],
    ['2010-03-31', 1, '2010-05-01'],
    ['2008-01-31', 1, '2008-03-01'],
    ['2008-01-29', 1, '2008-02-29'],
  ])('%s + %i months = %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it.each([
    ['2010-03-16', 18, '2028-03-16'],
    ['2008-02-29', 1, '2009-03-01'], // 29 February + 1 year = 1 March
    ['2008-02-29', 4, '2012-02-29'],
    ['2008-02-29', 17, '2025-03-01'],
  ])('%s + %i years = %s', (date, years, expected) => {
    expect(addYears(date, years)).toBe(expected);
  });

  it.each(['2008-02-29', '2010-03-31', '2010-12-31', '2011-01-01'])(
    'the n-th birthday from addYears is the day ageOn turns n (born %s)',
    (birth) => {
      for (let n = 1; n <= 30; n++) {
        const birthday = addYears(birth, n);
        expect(ageOn(birth, birthday)).toBe(n);
        expect(ageOn(birth, addDays(birthday, -1))).toBe(n - 1);
      }
    },
  );
});

describe('schoolDayIndex', () => {
  it('numbers weekdays consecutively, Friday to Monday included', () => {
    const monday = schoolDayIndex('2026-03-16')!;
    expect([
      schoolDayIndex('2026-03-13'), // Friday
      schoolDayIndex('2026-03-16'),
      schoolDayIndex('2026-03-17'),
      schoolDayIndex('2026-03-18'),
      schoolDayIndex('2026-03-19'),
      schoolDayIndex('2026-03-20'), // Friday
      schoolDayIndex('2026-03-23'), // Monday
    ]).toEqual([monday - 1, monday, monday + 1, monday + 2, monday + 3, monday + 4, monday + 5]);
  });

  it.each(['2026-03-14', '2026-03-15', '1970-01-03', '1969-12-28'])('is null on the weekend day %s', (date) => {
    expect(schoolDayIndex(date)).toBeNull();
  });

  it('counts 5 per week over years, across 1970 and a year end', () => {
    expect(schoolDayIndex('1970-01-01')! - schoolDayIndex('1969-12-31')!).toBe(1);
    expect(schoolDayIndex('1970-01-05')! - schoolDayIndex('1970-01-02')!).toBe(1);
    expect(schoolDayIndex('2026-01-01')! - schoolDayIndex('2025-12-31')!).toBe(1);
    expect(schoolDayIndex('2026-03-16')! - schoolDayIndex('2025-03-17')!).toBe(52 * 5);
  });
});

describe('endOfSchoolYear', () => {
  it.each([
    ['2025-08-01', '2026-06-30'],
    ['2025-12-31', '2026-06-30'],
    ['2026-01-01', '2026-06-30'],
    ['2026-06-30', '2026-06-30'],
    ['2026-07-01', '2026-06-30'], // July belongs to the school year just ended
    ['2026-07-31', '2026-06-30'],
    ['2026-08-01', '2027-06-30'],
  ])('%s is in the school year ending %s', (date, end) => {
    expect(endOfSchoolYear(date)).toBe(end);
  });
});

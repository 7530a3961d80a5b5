import { describe, expect, it } from 'vitest';
import { absenceOver20, concerningAbsence } from '../../subgraphs/coordination/rules/absence.js';
import { range, weekdaysAt } from './fixtures.js';

const MONDAY = '2025-11-03';
/** Unlawful-absence dates at these school-day offsets from Monday 3 November 2025. */
const at = (...offsets: number[]): string[] => weekdaysAt(MONDAY, offsets);

describe('concerningAbsence', () => {
  it.each<[string, string[], ReturnType<typeof concerningAbsence>['rule']]>([
    ['no absence', [], null],
    ['one day', at(0), null],
    ['exactly 5 consecutive school days', at(0, 1, 2, 3, 4), 'CONSECUTIVE_5'],
    ['4 consecutive school days', at(0, 1, 2, 3), null],
    ['4 consecutive, a gap, 1 more', at(0, 1, 2, 3, 5), null],
    ['5 consecutive across a weekend (Wed-Tue)', ['2025-11-05', '2025-11-06', '2025-11-07', '2025-11-10', '2025-11-11'], 'CONSECUTIVE_5'],
    ['5 consecutive with the weekend days listed too', ['2025-11-06', '2025-11-07', '2025-11-08', '2025-11-09', '2025-11-10', '2025-11-11', '2025-11-12'], 'CONSECUTIVE_5'],
    ['4 weekdays and a Saturday (weekends ignored)', ['2025-11-05', '2025-11-06', '2025-11-07', '2025-11-08', '2025-11-10'], null],
    ['7 within exactly 20 school days', at(0, 3, 6, 9, 12, 15, 19), 'WITHIN_20_7'],
    ['7 spread over 21 school days', at(0, 3, 6, 9, 12, 15, 20), null],
    ['6 within 20 school days', at(0, 3, 6, 9, 12, 15), null],
    ['7 within 20 later in the year, after scattered days', [...at(0, 30), ...at(100, 102, 104, 106, 108, 110, 112)], 'WITHIN_20_7'],
    ['15 within exactly 60 school days', at(...range(0, 52, 4), 59), 'WITHIN_60_15'],
    ['15 spread over 61 school days', at(...range(0, 52, 4), 60), null],
    ['14 within 60 school days', at(...range(0, 52, 4)), null],
    ['15 within 60 in a longer, sparser series', at(...range(0, 200, 10), ...range(203, 259, 4)), 'WITHIN_60_15'],
    // when several rules apply, the first in the schools' order is reported
    ['5 consecutive and 7 within 20', at(0, 1, 2, 3, 4, 10, 15), 'CONSECUTIVE_5'],
    ['7 within 20 and 15 within 60', at(...range(0, 18, 3), ...range(25, 57, 4)), 'WITHIN_20_7'],
  ])('%s', (_name, dates, rule) => {
    expect(concerningAbsence(dates)).toEqual({ concerning: rule !== null, rule });
  });

  it('does not depend on the order of the dates', () => {
    expect(concerningAbsence(at(4, 0, 3, 1, 2))).toEqual({ concerning: true, rule: 'CONSECUTIVE_5' });
    expect(concerningAbsence(at(19, 0, 15, 3, 12, 6, 9))).toEqual({ concerning: true, rule: 'WITHIN_20_7' });
    expect(concerningAbsence(at(59, ...range(0, 52, 4).reverse()))).toEqual({ concerning: true, rule: 'WITHIN_60_15' });
  });

  it('counts a date listed twice once', () => {
    expect(concerningAbsence(at(0, 0, 1, 1, 2, 2, 3, 3))).toEqual({ concerning: false, rule: null });
    expect(concerningAbsence(at(0, 3, 6, 9, 12, 15, 15, 15))).toEqual({ concerning: false, rule: null });
    expect(concerningAbsence(at(2, 0, 1, 4, 2, 3, 0))).toEqual({ concerning: true, rule: 'CONSECUTIVE_5' });
  });

  it('rejects a date that is not ISO', () => {
    expect(() => concerningAbsence(['03-11-2025'])).toThrow(RangeError);
  });

  it('handles a full year of daily absence quickly', () => {
    const dates = at(...range(0, 199));
    expect(concerningAbsence(dates)).toEqual({ concerning: true, rule: 'CONSECUTIVE_5' });
  });
});

describe('absenceOver20', () => {
  it.each([
    [20, 4.5, true], // 22.5 %
    [20, 4, false], // exactly 20 % is not over
    [40, 8, false],
    [40, 8.5, true],
    [200, 40, false],
    [200, 40.5, true],
    [19, 10, false], // too few school days to count yet
    [0, 0, false],
    [130, 0, false],
  ])('%i school days, %d absent: %s', (schoolDays, absentDays, expected) => {
    expect(absenceOver20({ schoolDays, absentDays })).toBe(expected);
  });
});

import { describe, expect, it } from 'vitest';
import { absenceEarlyWarning, concerningAbsence, type ConcerningAbsenceRule } from '../../subgraphs/school/absenceEarlyWarning.js';
import { range, weekdaysAt } from '../coordination-rules/fixtures.js';

/**
 * The schools' early warning (bekymrende fravær), seeds/000_f9d4dc655f6ffb76.txt note 2: unlawful absence of
 * "mindst 5 sammenhængende fraværsdage" or "7 dage i en periode på 20 skoledage" or "15 dage i en periode
 * på 60 skoledage".
 */
const MONDAY = '2025-11-03';
/** Unlawful-absence dates at these school-day offsets from Monday 3 November 2025. */
const at = (...offsets: number[]): string[] => weekdaysAt(MONDAY, offsets);
/** The date at one school-day offset. */
const on = (offset: number): string => at(offset)[0]!;

describe('concerningAbsence (note 2, "bekymrende fravær")', () => {
  it.each<[string, string[], ConcerningAbsenceRule | null, string | null]>([
    ['no absence', [], null, null],
    ['one day', at(0), null, null],
    ['"mindst 5 sammenhængende fraværsdage": exactly 5 consecutive school days', at(0, 1, 2, 3, 4), 'CONSECUTIVE_5', on(4)],
    ['"mindst 5 sammenhængende": 4 consecutive school days', at(0, 1, 2, 3), null, null],
    ['"mindst 5 sammenhængende": 4 consecutive, a gap, 1 more', at(0, 1, 2, 3, 5), null, null],
    [
      '"5 sammenhængende" across a weekend (Wed-Tue)',
      ['2025-11-05', '2025-11-06', '2025-11-07', '2025-11-10', '2025-11-11'],
      'CONSECUTIVE_5',
      '2025-11-11',
    ],
    [
      '"5 sammenhængende" with the weekend days listed too',
      ['2025-11-06', '2025-11-07', '2025-11-08', '2025-11-09', '2025-11-10', '2025-11-11', '2025-11-12'],
      'CONSECUTIVE_5',
      '2025-11-12',
    ],
    ['4 weekdays and a Saturday (weekends ignored)', ['2025-11-05', '2025-11-06', '2025-11-07', '2025-11-08', '2025-11-10'], null, null],
    ['"7 dage i en periode på 20 skoledage": 7 within exactly 20', at(0, 3, 6, 9, 12, 15, 19), 'SEVEN_IN_20', on(19)],
    ['"7 dage ... 20 skoledage": 7 spread over 21 school days', at(0, 3, 6, 9, 12, 15, 20), null, null],
    ['"7 dage ... 20 skoledage": 6 within 20', at(0, 3, 6, 9, 12, 15), null, null],
    [
      '"7 dage ... 20 skoledage" later in the year, after scattered days',
      [...at(0, 30), ...at(100, 102, 104, 106, 108, 110, 112)],
      'SEVEN_IN_20',
      on(112),
    ],
    ['"15 dage i en periode på 60 skoledage": 15 within exactly 60', at(...range(0, 52, 4), 59), 'FIFTEEN_IN_60', on(59)],
    ['"15 dage ... 60 skoledage": 15 spread over 61', at(...range(0, 52, 4), 60), null, null],
    ['"15 dage ... 60 skoledage": 14 within 60', at(...range(0, 52, 4)), null, null],
    ['"15 dage ... 60 skoledage" in a longer, sparser series', at(...range(0, 200, 10), ...range(203, 259, 4)), 'FIFTEEN_IN_60', on(255)], // 200 and 203-255
    // the rule met first is reported, with the day it was met
    ['5 consecutive, then 7 within 20', at(0, 1, 2, 3, 4, 10, 15), 'CONSECUTIVE_5', on(4)],
    ['7 within 20 before 5 consecutive', at(0, 3, 6, 9, 12, 15, 16, 17, 18, 19), 'SEVEN_IN_20', on(16)],
    ['7 within 20 and 15 within 60', at(...range(0, 18, 3), ...range(25, 57, 4)), 'SEVEN_IN_20', on(18)],
    // on the same day, the rule the schools state first
    ['5 consecutive that is also the 7th within 20, on the same day', at(0, 3, 10, 11, 12, 13, 14), 'CONSECUTIVE_5', on(14)],
  ])('%s', (_name, dates, rule, firedOn) => {
    expect(concerningAbsence(dates)).toEqual({ concerning: rule !== null, rule, firedOn });
  });

  it('does not depend on the order of the dates, and counts a date listed twice once', () => {
    expect(concerningAbsence(at(4, 0, 3, 1, 2))).toEqual({ concerning: true, rule: 'CONSECUTIVE_5', firedOn: on(4) });
    expect(concerningAbsence(at(59, ...range(0, 52, 4).reverse()))).toEqual({ concerning: true, rule: 'FIFTEEN_IN_60', firedOn: on(59) });
    expect(concerningAbsence(at(0, 0, 1, 1, 2, 2, 3, 3)).concerning).toBe(false);
    expect(concerningAbsence(at(0, 3, 6, 9, 12, 15, 15, 15)).concerning).toBe(false);
  });

  it('rejects a date that is not ISO', () => {
    expect(() => concerningAbsence(['03-11-2025'])).toThrow(RangeError);
  });
});

describe('absenceEarlyWarning (the latest school year in the record)', () => {
  it('judges the year in progress, not the one before', () => {
    const years = [
      { schoolYear: '2024/25', unlawfulAbsenceDates: weekdaysAt('2025-03-03', [0, 1, 2, 3, 4]) },
      { schoolYear: '2025/26', unlawfulAbsenceDates: at(0, 1) },
    ];
    expect(absenceEarlyWarning(years)).toEqual({ concerning: false, rule: null, firedOn: null, schoolYear: '2025/26' });
    expect(absenceEarlyWarning([...years].reverse())).toEqual({ concerning: false, rule: null, firedOn: null, schoolYear: '2025/26' });
  });

  it('does not add up days across two school years', () => {
    const years = [
      { schoolYear: '2024/25', unlawfulAbsenceDates: at(0, 1, 2) },
      { schoolYear: '2025/26', unlawfulAbsenceDates: at(3, 4) },
    ];
    expect(absenceEarlyWarning(years).concerning).toBe(false);
  });

  it('says so when the record has no absence year', () => {
    expect(absenceEarlyWarning([])).toEqual({ concerning: false, rule: null, firedOn: null, schoolYear: null });
  });

  it('fires on the year in progress', () => {
    expect(absenceEarlyWarning([{ schoolYear: '2025/26', unlawfulAbsenceDates: at(0, 1, 2, 3, 4) }])).toEqual({
      concerning: true,
      rule: 'CONSECUTIVE_5',
      firedOn: on(4),
      schoolYear: '2025/26',
    });
  });
});

import { describe, expect, it } from 'vitest';
import {
  absenceOver20,
  absenceRateOver20,
  isCompletedSchoolYear,
  lastDayOfSchoolYear,
} from '../../subgraphs/coordination/rules/absence.js';

// seeds/000_f9d4dc655f6ffb76.txt, note 2: "Her skelnes ikke mellem om fraværet skyldes sygdom, lovligt eller
// ulovligt fravær og her vurderes over en længere periode, nemlig et helt skoleår. Er fraværet over 20 % ..."
describe('absenceRateOver20 (note 2, "Er fraværet over 20 %")', () => {
  it.each([
    [200, 40, false], // exactly 20 % is not over
    [200, 40.5, true],
    [190, 38.5, true],
    [20, 4.5, true],
    [0, 0, false],
    [200, 0, false],
  ])('%i school days, %d absent: %s', (schoolDays, absentDays, expected) => {
    expect(absenceRateOver20({ schoolDays, absentDays })).toBe(expected);
  });
});

describe('a whole school year (note 2, "nemlig et helt skoleår")', () => {
  it('ends on 30 June of its second calendar year', () => {
    expect(lastDayOfSchoolYear('2025/26')).toBe('2026-06-30');
    expect(lastDayOfSchoolYear('1999/00')).toBe('2000-06-30');
    expect(lastDayOfSchoolYear('2025/27')).toBeNull();
    expect(lastDayOfSchoolYear('2025-26')).toBeNull();
  });

  it('is completed from 1 July', () => {
    expect(isCompletedSchoolYear('2025/26', '2026-06-30')).toBe(false);
    expect(isCompletedSchoolYear('2025/26', '2026-07-01')).toBe(true);
    expect(isCompletedSchoolYear('nonsense', '2030-01-01')).toBe(false);
  });

  const years = [
    { schoolYear: '2024/25', schoolDays: 200, absentDays: 30 }, // 15 %
    { schoolYear: '2025/26', schoolDays: 200, absentDays: 45 }, // 22.5 %
    { schoolYear: '2026/27', schoolDays: 60, absentDays: 30 }, // 50 % of 3 months
  ];
  it.each([
    ['in 2026/27, the completed 2025/26 over 20 % counts; 3 bad months of 2026/27 do not', '2026-11-01', years, true],
    ['in 2025/26, only 2024/25 is complete (15 %)', '2026-03-16', years, false],
    ['a year in progress alone never counts', '2026-11-01', years.slice(2), false],
    [
      'an older completed year does not count over the latest one',
      '2027-11-01',
      [years[1]!, { schoolYear: '2026/27', schoolDays: 200, absentDays: 10 }],
      false,
    ],
    ['no record', '2026-11-01', [], false],
  ])('%s', (_name, asOf, record, expected) => {
    expect(absenceOver20(record, asOf)).toBe(expected);
  });
});

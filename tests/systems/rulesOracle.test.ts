import { describe, expect, it } from 'vitest';
import type { Person, SchoolYearAbsence } from '../../systems/population/model.js';
import { isAbsenceOver20 } from './rulesOracle.js';

/**
 * The oracle's absence indicator, checked on hand-made records so the population checks can trust it:
 * over 20 % over "et helt skoleår" (seeds/000_f9d4dc655f6ffb76.txt, note 2), the latest completed one.
 */
describe('rules oracle: absence over 20 % over a whole school year', () => {
  const year = (schoolYear: string, schoolDays: number, absentDays: number): SchoolYearAbsence => ({
    schoolYear,
    schoolDays,
    absentDays,
    unlawfulAbsenceDates: [],
  });
  const pupil = (...absence: SchoolYearAbsence[]): Person => ({ school: { absence } }) as unknown as Person;

  it('counts the completed school year, not the one in progress', () => {
    expect(isAbsenceOver20(pupil(year('2025/26', 200, 45), year('2026/27', 60, 2)), '2026-11-01')).toBe(true);
    expect(isAbsenceOver20(pupil(year('2025/26', 200, 10), year('2026/27', 60, 30)), '2026-11-01')).toBe(false);
  });

  it('counts a year from the day after 30 June, and only the latest completed one', () => {
    expect(isAbsenceOver20(pupil(year('2025/26', 200, 45)), '2026-06-30')).toBe(false);
    expect(isAbsenceOver20(pupil(year('2025/26', 200, 45)), '2026-07-01')).toBe(true);
    expect(isAbsenceOver20(pupil(year('2024/25', 200, 60), year('2025/26', 200, 10)), '2026-11-01')).toBe(false);
    expect(isAbsenceOver20(pupil(year('2025/26', 200, 40)), '2026-11-01')).toBe(false); // exactly 20 %
  });
});

import { describe, expect, it } from 'vitest';
import type { YouthFacts } from '../../subgraphs/coordination/rules/facts.js';
import { evaluateTargetGroup, type TargetGroupIndicator } from '../../subgraphs/coordination/rules/targetGroup.js';
import {
  AS_OF,
  NOT_READY,
  READY,
  absenceYear,
  bornAged,
  guidance,
  outsideEducation,
  pupil,
  school,
  socialCase,
  weekdaysAt,
  youth,
} from './fixtures.js';

const FIVE_IN_A_ROW = weekdaysAt('2025-11-03', [0, 1, 2, 3, 4]);
const overAbsence = absenceYear({ schoolDays: 130, absentDays: 30 });
const concerning = absenceYear({ unlawfulAbsenceDates: FIVE_IN_A_ROW });

const cases: [string, YouthFacts, TargetGroupIndicator[]][] = [
  ['an ordinary pupil', pupil(8), []],
  ['an ordinary young person in education', youth(), []],
  // ---- absence over 20 %
  ['absence over 20 % this year', pupil(8, { school: school(8, [overAbsence]) }), ['ABSENCE_OVER_20']],
  [
    'absence over 20 % only last year',
    pupil(8, { school: school(8, [absenceYear({ schoolYear: '2024/25', schoolDays: 200, absentDays: 45 }), absenceYear()]) }),
    ['ABSENCE_OVER_20'],
  ],
  ['exactly 20 %', pupil(8, { school: school(8, [absenceYear({ schoolDays: 100, absentDays: 20 })]) }), []],
  ['over 20 % of only 19 school days', pupil(8, { school: school(8, [absenceYear({ schoolDays: 19, absentDays: 10 })]) }), []],
  ['over 20 % of exactly 20 school days', pupil(8, { school: school(8, [absenceYear({ schoolDays: 20, absentDays: 5 })]) }), ['ABSENCE_OVER_20']],
  // ---- concerning absence
  ['5 consecutive days of unlawful absence', pupil(7, { school: school(7, [concerning]) }), ['CONCERNING_ABSENCE']],
  [
    '5 consecutive days split over two school years do not add up',
    pupil(8, {
      school: school(8, [
        absenceYear({ schoolYear: '2024/25', unlawfulAbsenceDates: FIVE_IN_A_ROW.slice(0, 3) }),
        absenceYear({ unlawfulAbsenceDates: FIVE_IN_A_ROW.slice(3) }),
      ]),
    }),
    [],
  ],
  ['4 consecutive days', pupil(8, { school: school(8, [absenceYear({ unlawfulAbsenceDates: FIVE_IN_A_ROW.slice(1) })]) }), []],
  // ---- not education-ready
  ['grade 8, not ready for either', pupil(8, { guidance: guidance({ currentEnrolment: null, readiness: NOT_READY }) }), ['NOT_EDUCATION_READY']],
  ['grade 10, not ready for either', pupil(10, { guidance: guidance({ currentEnrolment: null, readiness: NOT_READY }) }), ['NOT_EDUCATION_READY']],
  [
    'grade 9, ready for vocational only',
    pupil(9, { guidance: guidance({ currentEnrolment: null, readiness: { ...NOT_READY, vocational: 'READY' } }) }),
    [],
  ],
  [
    'grade 9, ready for upper-secondary only',
    pupil(9, { guidance: guidance({ currentEnrolment: null, readiness: { ...NOT_READY, upperSecondary: 'READY' } }) }),
    [],
  ],
  ['grade 9, ready', pupil(9, { guidance: guidance({ currentEnrolment: null, readiness: READY }) }), []],
  ['grade 9, not assessed', pupil(9), []],
  ['grade 7 with a not-ready assessment', pupil(7, { guidance: guidance({ currentEnrolment: null, readiness: NOT_READY }) }), []],
  ['not ready, but no longer a pupil', outsideEducation(17, { guidance: guidance({ readiness: NOT_READY }) }), []],
  // ---- social case: only alongside another indicator
  ['an open social case alone', pupil(8, { social: { cases: [socialCase('FAMILY_GROUP_2')] } }), []],
  ['an open case and absence', pupil(8, { school: school(8, [overAbsence]), social: { cases: [socialCase('FAMILY_GROUP_2')] } }), ['ABSENCE_OVER_20', 'SOCIAL_CASE']],
  [
    'an open case in the adults special group and not in education',
    outsideEducation(20, { social: { cases: [socialCase('SPECIAL_GROUP_ADULTS')] } }),
    ['SOCIAL_CASE', 'NOT_IN_EDUCATION'],
  ],
  [
    'a closed case and absence',
    pupil(8, { school: school(8, [overAbsence]), social: { cases: [socialCase('FAMILY_GROUP_1', { open: false })] } }),
    ['ABSENCE_OVER_20'],
  ],
  ['no social record', pupil(8, { school: school(8, [overAbsence]), social: null }), ['ABSENCE_OVER_20']],
  // ---- not in education
  ['15, outside school, education and work', outsideEducation(15), ['NOT_IN_EDUCATION']],
  ['14, outside school, education and work', outsideEducation(14), []],
  ['24 without a completed youth education', outsideEducation(24), ['NOT_IN_EDUCATION']],
  ['24 with a completed youth education', outsideEducation(24, { guidance: guidance({ currentEnrolment: null, activity: 'UNEMPLOYED', completedYouthEducation: true }) }), []],
  [
    '25 with a completed youth education but no vocational qualification',
    outsideEducation(25, { guidance: guidance({ currentEnrolment: null, activity: 'UNEMPLOYED', completedYouthEducation: true }) }),
    ['NOT_IN_EDUCATION'],
  ],
  [
    '25 with a vocational qualification',
    outsideEducation(25, {
      guidance: guidance({ currentEnrolment: null, activity: 'UNEMPLOYED', completedYouthEducation: true, vocationalQualification: true }),
    }),
    [],
  ],
  ['29 without a vocational qualification', outsideEducation(29), ['NOT_IN_EDUCATION']],
  ['in part-time work', outsideEducation(19, { guidance: guidance({ currentEnrolment: null, activity: 'PART_TIME_WORK' }) }), ['NOT_IN_EDUCATION']],
  ['in full-time work', outsideEducation(19, { guidance: guidance({ currentEnrolment: null, activity: 'FULL_TIME_WORK' }) }), []],
  ['enrolled', outsideEducation(19, { guidance: guidance({ activity: 'UNEMPLOYED' }) }), []],
  ['a pupil (grade 10, 16)', pupil(10), []],
  ['no UU record', outsideEducation(19, { guidance: null }), []],
  ['UU facts missing from the representation count as unknown', outsideEducation(19, { guidance: {} }), []],
  // ---- needs support in education
  ['enrolled and needing support', youth({ guidance: guidance({ currentEnrolment: { needsSupport: true } }) }), ['NEEDS_SUPPORT_IN_EDUCATION']],
  ['enrolled, no support need', youth({ guidance: guidance({ currentEnrolment: { needsSupport: false } }) }), []],
  // ---- order: figure 1
  [
    'every pupil indicator at once, in figure-1 order',
    pupil(9, {
      school: school(9, [absenceYear({ schoolDays: 130, absentDays: 40, unlawfulAbsenceDates: FIVE_IN_A_ROW })]),
      guidance: guidance({ readiness: NOT_READY, currentEnrolment: { needsSupport: true } }),
      social: { cases: [socialCase('SPECIAL_GROUP_CHILDREN')] },
    }),
    ['ABSENCE_OVER_20', 'CONCERNING_ABSENCE', 'NOT_EDUCATION_READY', 'SOCIAL_CASE', 'NEEDS_SUPPORT_IN_EDUCATION'],
  ],
];

describe('evaluateTargetGroup', () => {
  it.each(cases)('%s', (_name, facts, indicators) => {
    expect(evaluateTargetGroup(facts, AS_OF)).toEqual({ inTargetGroup: indicators.length > 0, indicators, asOf: AS_OF });
  });

  describe('age 13-29 only', () => {
    const absent = (birthDate: string): YouthFacts => ({ ...pupil(7, { school: school(7, [overAbsence]) }), birthDate });
    const idle = (birthDate: string): YouthFacts => ({ ...outsideEducation(20), birthDate });

    it.each([
      ['12 (13 tomorrow)', absent('2013-03-17'), []],
      ['13 today', absent('2013-03-16'), ['ABSENCE_OVER_20']],
      ['29 (30 tomorrow)', idle('1996-03-17'), ['NOT_IN_EDUCATION']],
      ['30 today', idle('1996-03-16'), []],
      ['35', idle(bornAged(35)), []],
    ] as const)('%s', (_name, facts, indicators) => {
      expect(evaluateTargetGroup(facts, AS_OF).indicators).toEqual(indicators);
    });
  });

  it('evaluates at the given date', () => {
    const facts = outsideEducation(14); // born 2012-01-10: 15 on 2027-01-10
    expect(evaluateTargetGroup(facts, '2027-01-09')).toEqual({ inTargetGroup: false, indicators: [], asOf: '2027-01-09' });
    expect(evaluateTargetGroup(facts, '2027-01-10')).toEqual({ inTargetGroup: true, indicators: ['NOT_IN_EDUCATION'], asOf: '2027-01-10' });
  });
});

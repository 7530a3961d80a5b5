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
  youth,
} from './fixtures.js';

// The seed is seeds/000_f9d4dc655f6ffb76.txt ("Målgruppen i tal", figure 1 and note 2); AS_OF is
// 2026-03-16, in school year 2025/26, so 2024/25 is the latest completed school year.
/** Over 20 % in the completed school year 2024/25. */
const overAbsence = absenceYear({ schoolYear: '2024/25', schoolDays: 200, absentDays: 45 });
const FAMILY_CASE = { cases: [socialCase('FAMILY_GROUP_2')] };
const notReadyGuidance = guidance({ currentEnrolment: null, readiness: NOT_READY });

const cases: [string, YouthFacts, TargetGroupIndicator[]][] = [
  ['an ordinary pupil', pupil(8), []],
  ['an ordinary young person in education', youth(), []],
  // ---- absence over 20 %: note 2, "her vurderes over en længere periode, nemlig et helt skoleår"
  [
    'note 2 "et helt skoleår": over 20 % in the completed school year',
    pupil(8, { school: school(8, [overAbsence, absenceYear()]) }),
    ['ABSENCE_OVER_20'],
  ],
  [
    'note 2 "et helt skoleår": 3 bad months of the year in progress (over 20 % so far) do not count',
    pupil(8, {
      school: school(8, [
        absenceYear({ schoolYear: '2024/25', schoolDays: 200, absentDays: 8 }),
        absenceYear({ schoolDays: 60, absentDays: 25 }),
      ]),
    }),
    [],
  ],
  [
    'note 2 "et helt skoleår": a whole year in progress over 20 % does not count before 30 June',
    pupil(8, { school: school(8, [absenceYear({ schoolDays: 190, absentDays: 60 })]) }),
    [],
  ],
  [
    'note 2 "et helt skoleår": only the latest completed year is judged, not an older one',
    pupil(9, {
      school: school(9, [
        absenceYear({ schoolYear: '2023/24', schoolDays: 200, absentDays: 60 }),
        absenceYear({ schoolYear: '2024/25', schoolDays: 200, absentDays: 10 }),
      ]),
    }),
    [],
  ],
  [
    'note 2 "over 20 %": exactly 20 % of the completed year is not over',
    pupil(8, { school: school(8, [absenceYear({ schoolYear: '2024/25', schoolDays: 200, absentDays: 40 })]) }),
    [],
  ],
  [
    'note 2 "over 20 %": 40.5 of 200 days is over',
    pupil(8, { school: school(8, [absenceYear({ schoolYear: '2024/25', schoolDays: 200, absentDays: 40.5 })]) }),
    ['ABSENCE_OVER_20'],
  ],
  [
    'an unreadable school-year label never counts',
    pupil(8, { school: school(8, [absenceYear({ schoolYear: '2024-25', schoolDays: 200, absentDays: 60 })]) }),
    [],
  ],
  // ---- concerning absence is the schools' early warning, not an indicator (note 2: "bekymrende fravær")
  [
    'note 2 "bekymrende fravær" is not an indicator: a pupil with no other indicator is not in the target group',
    pupil(7, { school: school(7, [absenceYear({ absentDays: 8 })]) }),
    [],
  ],
  // ---- not education-ready
  [
    'grade 8, not ready for either',
    pupil(8, { guidance: guidance({ currentEnrolment: null, readiness: NOT_READY }) }),
    ['NOT_EDUCATION_READY'],
  ],
  [
    'grade 10, not ready for either',
    pupil(10, { guidance: guidance({ currentEnrolment: null, readiness: NOT_READY }) }),
    ['NOT_EDUCATION_READY'],
  ],
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
  // ---- figure 1, "Indsats i familiegrupperne sammenkoblet med fravær og uddannelsesparathed", as written
  ['figure 1 "sammenkoblet": an open family-group case alone', pupil(8, { social: FAMILY_CASE }), []],
  [
    'figure 1 "familiegrupperne ... fravær og uddannelsesparathed": a family-group case with absence and not ready',
    pupil(8, { school: school(8, [overAbsence]), guidance: notReadyGuidance, social: FAMILY_CASE }),
    ['ABSENCE_OVER_20', 'NOT_EDUCATION_READY', 'SOCIAL_CASE'],
  ],
  [
    'figure 1 "fravær og uddannelsesparathed": a family-group case with absence only',
    pupil(8, { school: school(8, [overAbsence]), social: FAMILY_CASE }),
    ['ABSENCE_OVER_20'],
  ],
  [
    'figure 1 "fravær og uddannelsesparathed": a family-group case with not ready only',
    pupil(8, { guidance: notReadyGuidance, social: FAMILY_CASE }),
    ['NOT_EDUCATION_READY'],
  ],
  [
    'figure 1 "familiegrupperne": a case in the children\'s special group is not a family-group case',
    pupil(8, { school: school(8, [overAbsence]), guidance: notReadyGuidance, social: { cases: [socialCase('SPECIAL_GROUP_CHILDREN')] } }),
    ['ABSENCE_OVER_20', 'NOT_EDUCATION_READY'],
  ],
  [
    'figure 1 "fravær og uddannelsesparathed": an open case and not in education is no family-group indicator',
    outsideEducation(20, { social: { cases: [socialCase('FAMILY_GROUP_1')] } }),
    ['NOT_IN_EDUCATION'],
  ],
  [
    'a closed family-group case with absence and not ready',
    pupil(8, {
      school: school(8, [overAbsence]),
      guidance: notReadyGuidance,
      social: { cases: [socialCase('FAMILY_GROUP_1', { open: false })] },
    }),
    ['ABSENCE_OVER_20', 'NOT_EDUCATION_READY'],
  ],
  ['no social record', pupil(8, { school: school(8, [overAbsence]), social: null }), ['ABSENCE_OVER_20']],
  // ---- not in education
  ['15, outside school, education and work', outsideEducation(15), ['NOT_IN_EDUCATION']],
  ['14, outside school, education and work', outsideEducation(14), []],
  ['24 without a completed youth education', outsideEducation(24), ['NOT_IN_EDUCATION']],
  [
    '24 with a completed youth education',
    outsideEducation(24, { guidance: guidance({ currentEnrolment: null, activity: 'UNEMPLOYED', completedYouthEducation: true }) }),
    [],
  ],
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
  [
    'in part-time work',
    outsideEducation(19, { guidance: guidance({ currentEnrolment: null, activity: 'PART_TIME_WORK' }) }),
    ['NOT_IN_EDUCATION'],
  ],
  ['in full-time work', outsideEducation(19, { guidance: guidance({ currentEnrolment: null, activity: 'FULL_TIME_WORK' }) }), []],
  ['enrolled', outsideEducation(19, { guidance: guidance({ activity: 'UNEMPLOYED' }) }), []],
  ['a pupil (grade 10, 16)', pupil(10), []],
  ['no UU record', outsideEducation(19, { guidance: null }), []],
  ['UU facts missing from the representation count as unknown', outsideEducation(19, { guidance: {} }), []],
  // ---- needs support in education
  [
    'enrolled and needing support',
    youth({ guidance: guidance({ currentEnrolment: { needsSupport: true } }) }),
    ['NEEDS_SUPPORT_IN_EDUCATION'],
  ],
  ['enrolled, no support need', youth({ guidance: guidance({ currentEnrolment: { needsSupport: false } }) }), []],
  // ---- order: figure 1
  [
    'every pupil indicator at once, in figure-1 order',
    pupil(9, {
      school: school(9, [overAbsence]),
      guidance: guidance({ readiness: NOT_READY, currentEnrolment: { needsSupport: true } }),
      social: { cases: [socialCase('FAMILY_GROUP_3')] },
    }),
    ['ABSENCE_OVER_20', 'NOT_EDUCATION_READY', 'SOCIAL_CASE', 'NEEDS_SUPPORT_IN_EDUCATION'],
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

  it('note 2 "et helt skoleår": a school year counts from the day after it ends (30 June)', () => {
    const facts = pupil(8, { school: school(8, [absenceYear({ schoolYear: '2025/26', schoolDays: 200, absentDays: 50 })]) });
    expect(evaluateTargetGroup(facts, '2026-06-30').indicators).toEqual([]);
    expect(evaluateTargetGroup(facts, '2026-07-01').indicators).toEqual(['ABSENCE_OVER_20']);
  });
});

/** Whole young people through every rule at once, as the resolvers and the screening register see them. */
import { describe, expect, it } from 'vitest';
import { buildCoordinatedPlan } from '../../subgraphs/coordination/rules/coordinatedPlan.js';
import { evaluateEligibility } from '../../subgraphs/coordination/rules/eligibility.js';
import type { YouthFacts } from '../../subgraphs/coordination/rules/facts.js';
import { evaluateTargetGroup } from '../../subgraphs/coordination/rules/targetGroup.js';
import { AS_OF, absenceYear, guidance, socialCase } from './fixtures.js';

/** Grade 9, assessed not education-ready, with a case in family group 2 and a full plan across units. */
const gradeNinePupil: YouthFacts = {
  birthDate: '2010-09-30',
  school: {
    grade: 9,
    absence: [
      absenceYear({ schoolYear: '2024/25', schoolDays: 200, absentDays: 18 }),
      absenceYear({ schoolYear: '2025/26', schoolDays: 130, absentDays: 11.5 }),
    ],
  },
  guidance: guidance({
    readiness: { grade: 9, vocational: 'NOT_READY', upperSecondary: 'NOT_READY' },
    currentEnrolment: null,
    activity: 'EDUCATION',
    educationPlan: {
      goal: 'FGU, then a vocational education',
      track: 'FGU',
      updated: '2026-01-20',
      steps: [{ text: 'Bridge-building week at FGU Nordjylland', due: '2026-04-24', done: false }],
    },
  }),
  jobcenter: null,
  social: {
    cases: [
      socialCase('FAMILY_GROUP_2', {
        caseworker: { name: 'Mette Caseworker' },
        goal: { track: 'EUD', text: 'Finish grade 9 and start a vocational education' },
        measures: [{ type: 'FAMILY_TREATMENT', from: '2025-09-01', to: null, active: true }],
      }),
    ],
  },
};

const withContactPerson: YouthFacts = {
  ...gradeNinePupil,
  social: {
    cases: [
      socialCase('FAMILY_GROUP_2', {
        measures: [
          { type: 'FAMILY_TREATMENT', from: '2025-09-01', to: null, active: true },
          { type: 'CONTACT_PERSON', from: '2025-10-01', to: null, active: true },
        ],
      }),
    ],
  },
};

const unemployedTwentyOne: YouthFacts = {
  birthDate: '2004-11-02',
  school: null,
  guidance: guidance({ currentEnrolment: null, activity: 'UNEMPLOYED', completedYouthEducation: false }),
  jobcenter: { advisor: { name: 'Jens Advisor' }, goal: { track: 'EUD', text: 'Start as a kitchen apprentice' }, efforts: [] },
  social: { cases: [socialCase('SPECIAL_GROUP_ADULTS')] },
};

const twentySixWithoutQualification: YouthFacts = {
  birthDate: '1999-06-15',
  school: null,
  guidance: guidance({ currentEnrolment: null, activity: 'UNEMPLOYED', completedYouthEducation: true, vocationalQualification: false }),
  jobcenter: { advisor: { name: 'Jens Advisor' }, goal: { track: 'EUD', text: 'Adult apprenticeship' }, efforts: [] },
  social: null,
};

const thirty: YouthFacts = {
  birthDate: '1995-12-01',
  school: null,
  guidance: guidance({ currentEnrolment: null, activity: 'UNEMPLOYED' }),
  jobcenter: null,
  social: { cases: [socialCase('SPECIAL_GROUP_ADULTS')] },
};

/** Sixteen, no school record, enrolled at a technical college and needing support to complete. */
const sixteenInCollege: YouthFacts = {
  birthDate: '2009-05-20',
  school: null,
  guidance: guidance({ currentEnrolment: { needsSupport: true }, activity: 'EDUCATION' }),
  jobcenter: null,
  social: null,
};

/** Known to no system but the civil register. */
const unknownEverywhere: YouthFacts = { birthDate: '2007-04-01', school: null, guidance: null, jobcenter: null, social: null };

describe('whole young people', () => {
  it('a grade-9 pupil not education-ready with a family-group case: target group, eligible by rule (a)', () => {
    expect(evaluateTargetGroup(gradeNinePupil, AS_OF)).toEqual({
      inTargetGroup: true,
      // 9 % absence in 2024/25: figure 1's family-group indicator needs the case with absence *and*
      // readiness ("sammenkoblet med fravær og uddannelsesparathed", seeds/000_f9d4dc655f6ffb76.txt).
      indicators: ['NOT_EDUCATION_READY'],
      asOf: AS_OF,
    });
    expect(evaluateEligibility(gradeNinePupil, AS_OF)).toMatchObject({
      status: 'ELIGIBLE',
      candidateRule: 'PUPIL_NOT_READY_WITH_SOCIAL_CASE',
      reasons: [
        'Grade 9 pupil assessed not education-ready',
        'Open case in Family group 2',
        'No mentor or social-law contact person yet: a continuous contact person may be assigned',
      ],
      existingSupport: [],
    });
    expect(buildCoordinatedPlan(gradeNinePupil, AS_OF)).toEqual({
      educationGoal: { unit: 'GUIDANCE', track: 'FGU', text: 'FGU, then a vocational education' },
      goals: [
        { unit: 'GUIDANCE', track: 'FGU', text: 'FGU, then a vocational education' },
        { unit: 'SOCIAL', track: 'EUD', text: 'Finish grade 9 and start a vocational education' },
      ],
      conflicts: [],
      unitActions: [
        {
          unit: 'SOCIAL',
          title: 'Family treatment',
          name: { kind: 'MEASURE', type: 'FAMILY_TREATMENT' },
          start: '2025-09-01',
          due: null,
          done: false,
          owner: 'Mette Caseworker',
        },
        {
          unit: 'GUIDANCE',
          title: 'Bridge-building week at FGU Nordjylland',
          name: { kind: 'STEP', text: 'Bridge-building week at FGU Nordjylland' },
          start: null,
          due: '2026-04-24',
          done: false,
          owner: null,
        },
      ],
      nextTransitions: [
        { kind: 'LEAVING_COMPULSORY_SCHOOL', date: '2026-06-30', description: 'Leaves compulsory school at the end of grade 9', grade: 9 },
        {
          kind: 'COORDINATING_MEETING_16_5',
          date: '2027-03-30',
          description: "Coordinating meeting about and with the young person at 16½, before the handover to adults' services",
        },
        { kind: 'JOBCENTER_ADVISOR_17', date: '2027-09-30', description: 'The jobcenter assigns an advisor at 17' },
        {
          kind: 'TRANSFER_18',
          date: '2028-09-30',
          description: "Formal transfer of responsibility from children's to adults' services at 18",
        },
        {
          kind: 'TURNING_25',
          date: '2035-09-30',
          description: 'Turns 25: the end of the legal target group and of the continuous contact person',
        },
      ],
    });
  });

  it('the same pupil with a social-law contact person: coordinate, do not assign', () => {
    expect(evaluateTargetGroup(withContactPerson, AS_OF).indicators).toEqual(['NOT_EDUCATION_READY']);
    expect(evaluateEligibility(withContactPerson, AS_OF)).toMatchObject({
      status: 'HAS_EXISTING_SUPPORT',
      candidateRule: 'PUPIL_NOT_READY_WITH_SOCIAL_CASE',
      reasons: [
        'Grade 9 pupil assessed not education-ready',
        'Open case in Family group 2',
        'Already has a contact person from social services: coordinate with the contact person instead of assigning a second person',
      ],
      existingSupport: [{ kind: 'SOCIAL_CONTACT_PERSON', unit: 'SOCIAL' }],
    });
  });

  it("a 21-year-old unemployed without education, with an adults' special-group case: candidate (b)", () => {
    // An adults' special-group case is not "indsats i familiegrupperne ... fravær og uddannelsesparathed".
    expect(evaluateTargetGroup(unemployedTwentyOne, AS_OF).indicators).toEqual(['NOT_IN_EDUCATION']);
    expect(evaluateEligibility(unemployedTwentyOne, AS_OF)).toMatchObject({
      status: 'ELIGIBLE',
      candidateRule: 'YOUNG_ADULT_OUTSIDE_EDUCATION_WITH_SOCIAL_CASE',
      reasons: [
        'Aged 21, without a completed youth education',
        'Not enrolled in education and not in full-time work',
        "Open case in the adults' special group",
        'No mentor or social-law contact person yet: a continuous contact person may be assigned',
      ],
      existingSupport: [],
    });
    expect(buildCoordinatedPlan(unemployedTwentyOne, AS_OF).nextTransitions.map((t) => [t.kind, t.date])).toEqual([
      ['TURNING_25', '2029-11-02'],
    ]);
  });

  it('a 26-year-old with a youth education but no vocational qualification, unemployed: not in education', () => {
    expect(evaluateTargetGroup(twentySixWithoutQualification, AS_OF)).toEqual({
      inTargetGroup: true,
      indicators: ['NOT_IN_EDUCATION'],
      asOf: AS_OF,
    });
    expect(evaluateEligibility(twentySixWithoutQualification, AS_OF)).toMatchObject({
      status: 'NOT_CANDIDATE',
      candidateRule: null,
      reasons: ['Aged 26: a continuous contact person is possible until 25'],
      existingSupport: [],
    });
    expect(buildCoordinatedPlan(twentySixWithoutQualification, AS_OF).nextTransitions).toEqual([]);
  });

  it('a 30-year-old: nothing', () => {
    expect(evaluateTargetGroup(thirty, AS_OF)).toEqual({ inTargetGroup: false, indicators: [], asOf: AS_OF });
    expect(evaluateEligibility(thirty, AS_OF).status).toBe('NOT_CANDIDATE');
    expect(buildCoordinatedPlan(thirty, AS_OF).nextTransitions).toEqual([]);
  });

  it('a 16-year-old with no school record, at college and needing support', () => {
    expect(evaluateTargetGroup(sixteenInCollege, AS_OF).indicators).toEqual(['NEEDS_SUPPORT_IN_EDUCATION']);
    expect(evaluateEligibility(sixteenInCollege, AS_OF)).toMatchObject({
      status: 'NOT_CANDIDATE',
      candidateRule: null,
      reasons: [
        'Aged 16 and out of school: neither candidate rule covers 15-17-year-olds outside grades 8-10 (the rules count pupils in grades 8-10 and ages 18-24); assess the need, a contact person may be assigned by judgement',
        'Enrolled in education',
        "No open case in a family group or the adults' special group",
      ],
      existingSupport: [],
      // Out of school at 16: never silently excluded, a professional may assign by judgement.
      assignableBy: 'JUDGEMENT',
      hardLimit: null,
    });
  });

  it('a young person no system has a record of: nothing can be concluded', () => {
    expect(evaluateTargetGroup(unknownEverywhere, AS_OF)).toEqual({ inTargetGroup: false, indicators: [], asOf: AS_OF });
    expect(evaluateEligibility(unknownEverywhere, AS_OF)).toMatchObject({
      status: 'NOT_CANDIDATE',
      candidateRule: null,
      reasons: ['No record at youth guidance (UU)', "No open case in a family group or the adults' special group"],
      existingSupport: [],
    });
    expect(buildCoordinatedPlan(unknownEverywhere, AS_OF).goals).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { evaluateEligibility, type ContactPersonEligibility as Full } from '../../subgraphs/coordination/rules/eligibility.js';

/** The rules' advice without the assignment bounds (those have their own tests: contactPersonJudgement.test.ts). */
type ContactPersonEligibility = Omit<Full, 'assignableBy' | 'hardLimit' | 'reasonDetails'>;
import type { YouthFacts } from '../../subgraphs/coordination/rules/facts.js';
import { AS_OF, NOT_READY, READY, effort, guidance, outsideEducation, pupil, socialCase, youth } from './fixtures.js';

const MAY_ASSIGN = 'No mentor or social-law contact person yet: a continuous contact person may be assigned';
const HAS_MENTOR = 'Already has a mentor from the jobcenter: coordinate with the mentor instead of assigning a second person';
const HAS_CONTACT =
  'Already has a contact person from social services: coordinate with the contact person instead of assigning a second person';
const NO_CHILDREN_CASE = "No open case in a family group or the children's special group";
const OUT_OF_SCHOOL = (age: number) =>
  `Aged ${age} and out of school: neither candidate rule covers 15-17-year-olds outside grades 8-10 ` +
  '(the rules count pupils in grades 8-10 and ages 18-24); assess the need, a contact person may be assigned by judgement';
const NO_ADULT_CASE = "No open case in a family group or the adults' special group";

const notReadyPupil = (grade: number, overrides: Partial<YouthFacts> = {}): YouthFacts =>
  pupil(grade, { guidance: guidance({ currentEnrolment: null, readiness: NOT_READY }), ...overrides });
const cases = (...list: ReturnType<typeof socialCase>[]) => ({ social: { cases: list } });

const eligible = (candidateRule: ContactPersonEligibility['candidateRule'], reasons: string[]): ContactPersonEligibility => ({
  status: 'ELIGIBLE',
  candidateRule,
  reasons: [...reasons, MAY_ASSIGN],
  existingSupport: [],
});
const notCandidate = (reasons: string[]): ContactPersonEligibility => ({
  status: 'NOT_CANDIDATE',
  candidateRule: null,
  reasons,
  existingSupport: [],
});

const table: [string, YouthFacts, ContactPersonEligibility][] = [
  // ---- (a) pupils in grades 8-10
  [
    'grade 9, not ready, family-group case',
    notReadyPupil(9, cases(socialCase('FAMILY_GROUP_2'))),
    eligible('PUPIL_NOT_READY_WITH_SOCIAL_CASE', ['Grade 9 pupil assessed not education-ready', 'Open case in Family group 2']),
  ],
  [
    'grade 8, not ready, children special-group case',
    notReadyPupil(8, cases(socialCase('SPECIAL_GROUP_CHILDREN'))),
    eligible('PUPIL_NOT_READY_WITH_SOCIAL_CASE', [
      'Grade 8 pupil assessed not education-ready',
      "Open case in the children's special group",
    ]),
  ],
  [
    'grade 10, not ready, two family-group cases and a closed one',
    notReadyPupil(10, cases(socialCase('FAMILY_GROUP_3'), socialCase('FAMILY_GROUP_1', { open: false }), socialCase('FAMILY_GROUP_4'))),
    eligible('PUPIL_NOT_READY_WITH_SOCIAL_CASE', [
      'Grade 10 pupil assessed not education-ready',
      'Open case in Family group 3',
      'Open case in Family group 4',
    ]),
  ],
  [
    'grade 9, not ready, only a closed case',
    notReadyPupil(9, cases(socialCase('FAMILY_GROUP_2', { open: false }))),
    notCandidate([NO_CHILDREN_CASE]),
  ],
  [
    'grade 9, not ready, adults special-group case',
    notReadyPupil(9, cases(socialCase('SPECIAL_GROUP_ADULTS'))),
    notCandidate([NO_CHILDREN_CASE]),
  ],
  ['grade 9, not ready, no social record', notReadyPupil(9), notCandidate([NO_CHILDREN_CASE])],
  [
    'grade 7, not ready, family-group case',
    notReadyPupil(7, cases(socialCase('FAMILY_GROUP_1'))),
    notCandidate(['Grade 7 pupil: a continuous contact person is possible from grade 8']),
  ],
  [
    'grade 9, ready, family-group case',
    pupil(9, { guidance: guidance({ currentEnrolment: null, readiness: READY }), ...cases(socialCase('FAMILY_GROUP_1')) }),
    notCandidate(['Grade 9 pupil assessed education-ready']),
  ],
  [
    'grade 9, ready for vocational only',
    pupil(9, {
      guidance: guidance({ currentEnrolment: null, readiness: { ...NOT_READY, vocational: 'READY' } }),
      ...cases(socialCase('FAMILY_GROUP_1')),
    }),
    notCandidate(['Grade 9 pupil assessed education-ready']),
  ],
  ['grade 8, not assessed, no case', pupil(8), notCandidate(['Grade 8 pupil without a readiness assessment', NO_CHILDREN_CASE])],
  // ---- (b) young adults 18-24
  [
    '21, unemployed, no youth education, adults special-group case',
    outsideEducation(21, cases(socialCase('SPECIAL_GROUP_ADULTS'))),
    eligible('YOUNG_ADULT_OUTSIDE_EDUCATION_WITH_SOCIAL_CASE', [
      'Aged 21, without a completed youth education',
      'Not enrolled in education and not in full-time work',
      "Open case in the adults' special group",
    ]),
  ],
  [
    '18 with a family-group case (aftercare)',
    outsideEducation(18, cases(socialCase('FAMILY_GROUP_4'))),
    eligible('YOUNG_ADULT_OUTSIDE_EDUCATION_WITH_SOCIAL_CASE', [
      'Aged 18, without a completed youth education',
      'Not enrolled in education and not in full-time work',
      'Open case in Family group 4',
    ]),
  ],
  [
    '24 in part-time work',
    outsideEducation(24, {
      guidance: guidance({ currentEnrolment: null, activity: 'PART_TIME_WORK' }),
      ...cases(socialCase('SPECIAL_GROUP_ADULTS')),
    }),
    eligible('YOUNG_ADULT_OUTSIDE_EDUCATION_WITH_SOCIAL_CASE', [
      'Aged 24, without a completed youth education',
      'Not enrolled in education and not in full-time work',
      "Open case in the adults' special group",
    ]),
  ],
  ['17, outside school', outsideEducation(17, cases(socialCase('FAMILY_GROUP_1'))), notCandidate([OUT_OF_SCHOOL(17)])],
  [
    '25',
    outsideEducation(25, cases(socialCase('SPECIAL_GROUP_ADULTS'))),
    notCandidate(['Aged 25: a continuous contact person is possible until 25']),
  ],
  [
    '21 with only a children special-group case',
    outsideEducation(21, cases(socialCase('SPECIAL_GROUP_CHILDREN'))),
    notCandidate([NO_ADULT_CASE]),
  ],
  [
    '21 with a completed youth education',
    outsideEducation(21, {
      guidance: guidance({ currentEnrolment: null, activity: 'UNEMPLOYED', completedYouthEducation: true }),
      ...cases(socialCase('SPECIAL_GROUP_ADULTS')),
    }),
    notCandidate(['Has completed a youth education']),
  ],
  [
    '21 enrolled',
    outsideEducation(21, { guidance: guidance({ activity: 'UNEMPLOYED' }), ...cases(socialCase('SPECIAL_GROUP_ADULTS')) }),
    notCandidate(['Enrolled in education']),
  ],
  [
    '21 in full-time work',
    outsideEducation(21, {
      guidance: guidance({ currentEnrolment: null, activity: 'FULL_TIME_WORK' }),
      ...cases(socialCase('SPECIAL_GROUP_ADULTS')),
    }),
    notCandidate(['In full-time work']),
  ],
  [
    '21 with no UU record and no case',
    outsideEducation(21, { guidance: null }),
    notCandidate(['No record at youth guidance (UU)', NO_ADULT_CASE]),
  ],
  ['16 in education, no case', youth(), notCandidate([OUT_OF_SCHOOL(16), 'Enrolled in education', NO_ADULT_CASE])],
  [
    'an 18-year-old grade-10 pupil meeting both rules gets rule (a)',
    { ...notReadyPupil(10, cases(socialCase('FAMILY_GROUP_1'))), birthDate: '2008-01-10' },
    eligible('PUPIL_NOT_READY_WITH_SOCIAL_CASE', ['Grade 10 pupil assessed not education-ready', 'Open case in Family group 1']),
  ],
];

describe('evaluateEligibility', () => {
  it.each(table)('%s', (_name, facts, expected) => {
    expect(evaluateEligibility(facts, AS_OF)).toMatchObject(expected);
  });

  describe('existing support', () => {
    const pupilReasons = ['Grade 9 pupil assessed not education-ready', 'Open case in Family group 2'];
    const withSupport = (
      jobcenterEfforts: ReturnType<typeof effort>[],
      measures: { type: 'CONTACT_PERSON' | 'AFTERCARE'; active: boolean }[],
    ) =>
      notReadyPupil(9, {
        jobcenter: { advisor: { name: 'Jens Advisor' }, efforts: jobcenterEfforts },
        ...cases(socialCase('FAMILY_GROUP_2', { measures })),
      });

    it.each<[string, YouthFacts, ContactPersonEligibility]>([
      [
        'an active mentor',
        withSupport([effort({ type: 'MENTOR' })], []),
        {
          status: 'HAS_EXISTING_SUPPORT',
          candidateRule: 'PUPIL_NOT_READY_WITH_SOCIAL_CASE',
          reasons: [...pupilReasons, HAS_MENTOR],
          existingSupport: [{ kind: 'MENTOR', unit: 'JOBCENTER' }],
        },
      ],
      [
        'an active social contact person',
        withSupport([], [{ type: 'CONTACT_PERSON', active: true }]),
        {
          status: 'HAS_EXISTING_SUPPORT',
          candidateRule: 'PUPIL_NOT_READY_WITH_SOCIAL_CASE',
          reasons: [...pupilReasons, HAS_CONTACT],
          existingSupport: [{ kind: 'SOCIAL_CONTACT_PERSON', unit: 'SOCIAL' }],
        },
      ],
      [
        'both, each once',
        withSupport(
          [effort({ type: 'MENTOR' }), effort({ type: 'MENTOR', description: 'Second mentor' })],
          [{ type: 'CONTACT_PERSON', active: true }],
        ),
        {
          status: 'HAS_EXISTING_SUPPORT',
          candidateRule: 'PUPIL_NOT_READY_WITH_SOCIAL_CASE',
          reasons: [...pupilReasons, HAS_MENTOR, HAS_CONTACT],
          existingSupport: [
            { kind: 'MENTOR', unit: 'JOBCENTER' },
            { kind: 'SOCIAL_CONTACT_PERSON', unit: 'SOCIAL' },
          ],
        },
      ],
      [
        'an ended mentor',
        withSupport([effort({ type: 'MENTOR', active: false, end: '2026-01-31' })], []),
        eligible('PUPIL_NOT_READY_WITH_SOCIAL_CASE', pupilReasons),
      ],
      [
        'another active effort',
        withSupport([effort({ type: 'BRIDGE_BUILDING' })], []),
        eligible('PUPIL_NOT_READY_WITH_SOCIAL_CASE', pupilReasons),
      ],
      [
        'an ended contact person and active aftercare',
        withSupport(
          [],
          [
            { type: 'CONTACT_PERSON', active: false },
            { type: 'AFTERCARE', active: true },
          ],
        ),
        eligible('PUPIL_NOT_READY_WITH_SOCIAL_CASE', pupilReasons),
      ],
    ])('%s', (_name, facts, expected) => {
      expect(evaluateEligibility(facts, AS_OF)).toMatchObject(expected);
    });

    it('is not reported for a non-candidate', () => {
      const facts = outsideEducation(26, { jobcenter: { efforts: [effort({ type: 'MENTOR' })] } });
      expect(evaluateEligibility(facts, AS_OF)).toEqual({
        ...notCandidate(['Aged 26: a continuous contact person is possible until 25']),
        reasonDetails: [{ code: 'AGED_25_OR_OVER', age: 26 }],
        assignableBy: null,
        hardLimit: 'AGED_25_OR_OVER',
      });
    });
  });
});

import { describe, expect, it } from 'vitest';
import type { YouthFacts } from '../../subgraphs/coordination/rules/facts.js';
import { nextTransitions, type TransitionKind } from '../../subgraphs/coordination/rules/transitions.js';
import { AS_OF, outsideEducation, pupil, socialCase } from './fixtures.js';

const kindsAndDates = (facts: YouthFacts, asOf = AS_OF): [TransitionKind, string][] =>
  nextTransitions(facts, asOf).map((t) => [t.kind, t.date]);

const familyCase = { social: { cases: [socialCase('FAMILY_GROUP_1')] } };

describe('nextTransitions', () => {
  it('lists every transition of a grade-9 pupil with a family-group case, soonest first, with descriptions', () => {
    const facts = pupil(9, { birthDate: '2010-09-30', ...familyCase });
    expect(nextTransitions(facts, AS_OF)).toEqual([
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
    ]);
  });

  it.each<[string, YouthFacts, [TransitionKind, string][]]>([
    [
      'no social case',
      pupil(9, { birthDate: '2010-09-30' }),
      [
        ['LEAVING_COMPULSORY_SCHOOL', '2026-06-30'],
        ['TURNING_25', '2035-09-30'],
      ],
    ],
    [
      'a closed family-group case',
      pupil(9, { birthDate: '2010-09-30', social: { cases: [socialCase('FAMILY_GROUP_1', { open: false })] } }),
      [
        ['LEAVING_COMPULSORY_SCHOOL', '2026-06-30'],
        ['TURNING_25', '2035-09-30'],
      ],
    ],
    [
      "a case in the adults' special group only",
      pupil(9, { birthDate: '2010-09-30', social: { cases: [socialCase('SPECIAL_GROUP_ADULTS')] } }),
      [
        ['LEAVING_COMPULSORY_SCHOOL', '2026-06-30'],
        ['TURNING_25', '2035-09-30'],
      ],
    ],
    [
      "a case in the children's special group, grade 8",
      pupil(8, { birthDate: '2011-05-02', social: { cases: [socialCase('SPECIAL_GROUP_CHILDREN')] } }),
      [
        ['COORDINATING_MEETING_16_5', '2027-11-02'],
        ['JOBCENTER_ADVISOR_17', '2028-05-02'],
        ['TRANSFER_18', '2029-05-02'],
        ['TURNING_25', '2036-05-02'],
      ],
    ],
    [
      'grade 10',
      pupil(10, { birthDate: '2009-09-30' }),
      [
        ['LEAVING_COMPULSORY_SCHOOL', '2026-06-30'],
        ['TURNING_25', '2034-09-30'],
      ],
    ],
    ['grade 7', pupil(7, { birthDate: '2012-09-30' }), [['TURNING_25', '2037-09-30']]],
    [
      'past transitions are left out',
      outsideEducation(17, { birthDate: '2008-12-01', ...familyCase }),
      [
        ['TRANSFER_18', '2026-12-01'],
        ['TURNING_25', '2033-12-01'],
      ],
    ],
    [
      'a transition on asOf is still listed',
      outsideEducation(18, { birthDate: '2008-03-16', ...familyCase }),
      [
        ['TRANSFER_18', '2026-03-16'],
        ['TURNING_25', '2033-03-16'],
      ],
    ],
    ['turning 25 today', outsideEducation(25, { birthDate: '2001-03-16' }), [['TURNING_25', '2026-03-16']]],
    ['25 since yesterday', outsideEducation(25, { birthDate: '2001-03-15' }), []],
    ['26', outsideEducation(26), []],
    [
      'on the same day, in enum order',
      pupil(9, { birthDate: '2009-12-30', ...familyCase }),
      [
        ['COORDINATING_MEETING_16_5', '2026-06-30'],
        ['LEAVING_COMPULSORY_SCHOOL', '2026-06-30'],
        ['JOBCENTER_ADVISOR_17', '2026-12-30'],
        ['TRANSFER_18', '2027-12-30'],
        ['TURNING_25', '2034-12-30'],
      ],
    ],
  ])('%s', (_name, facts, expected) => {
    expect(kindsAndDates(facts)).toEqual(expected);
  });

  it.each([
    ['2025-08-01', '2026-06-30'],
    ['2026-06-30', '2026-06-30'],
    ['2026-08-15', '2027-06-30'],
  ])('a grade-9 pupil on %s leaves school on %s', (asOf, date) => {
    expect(kindsAndDates(pupil(9, { birthDate: '2010-09-30' }), asOf)[0]).toEqual(['LEAVING_COMPULSORY_SCHOOL', date]);
  });

  it('in July the school year has ended: no leaving date for a grade-9 pupil', () => {
    expect(kindsAndDates(pupil(9, { birthDate: '2010-09-30' }), '2026-07-10')).toEqual([['TURNING_25', '2035-09-30']]);
  });

  it('puts 16½ on the 1st of the next month when the month lacks the day (born 31 August)', () => {
    expect(kindsAndDates(outsideEducation(16, { birthDate: '2009-08-31', ...familyCase }), '2026-02-01')).toEqual([
      ['COORDINATING_MEETING_16_5', '2026-03-01'],
      ['JOBCENTER_ADVISOR_17', '2026-08-31'],
      ['TRANSFER_18', '2027-08-31'],
      ['TURNING_25', '2034-08-31'],
    ]);
  });

  it('handles a leap-day birth', () => {
    expect(kindsAndDates(outsideEducation(15, { birthDate: '2008-02-29', ...familyCase }), '2024-01-01')).toEqual([
      ['COORDINATING_MEETING_16_5', '2024-08-29'],
      ['JOBCENTER_ADVISOR_17', '2025-03-01'],
      ['TRANSFER_18', '2026-03-01'],
      ['TURNING_25', '2033-03-01'],
    ]);
  });
});

/**
 * Worklists (issue 13, section 4): what falls due for a young person within a window. Each rule cites
 * the passage of seeds/000_f9d4dc655f6ffb76.txt it implements, and the due dates are checked against the
 * coordinated plan's own transitions (rules/transitions.ts), so the worklist and the plan cannot disagree.
 */
import { describe, expect, it } from 'vitest';
import { addDays } from '../../subgraphs/coordination/rules/dates.js';
import { DUE_KINDS, dueItems, type DueFacts } from '../../subgraphs/coordination/rules/due.js';
import { dueReason } from '../../subgraphs/coordination/rules/dueTexts.js';
import { nextTransitions } from '../../subgraphs/coordination/rules/transitions.js';
import type { YouthFacts } from '../../subgraphs/coordination/rules/facts.js';
import { pupil, socialCase } from './fixtures.js';

const TODAY = '2026-11-01';

const facts = (over: Partial<DueFacts>): DueFacts => ({
  birthDate: '2010-05-14',
  childrensCase: false,
  grade: null,
  reviewDueSince: null,
  ...over,
});

describe('seeds/000 "forberedende koordinerende møder om og for den unge ved det 16½ år"', () => {
  it("a young person with a children's case turning 16½ within the window has the meeting due on that day", () => {
    // Born 2010-05-14: 16½ on 2026-11-14, 13 days after TODAY.
    const items = dueItems(facts({ childrensCase: true }), TODAY, 30, ['COORDINATING_MEETING_16_5']);
    expect(items).toEqual([{ kind: 'COORDINATING_MEETING_16_5', date: '2026-11-14' }]);
    expect(dueReason('COORDINATING_MEETING_16_5', '2026-11-14')).toBe('Koordinerende møde ved 16½ år: 2026-11-14');
    expect(dueReason('COORDINATING_MEETING_16_5', '2026-11-14', 'en')).toBe('Coordinating meeting at 16½: 2026-11-14');
  });

  it("only for a young person with a children's case (the handover from children's to adults' services)", () => {
    expect(dueItems(facts({ childrensCase: false }), TODAY, 30, ['COORDINATING_MEETING_16_5'])).toEqual([]);
  });

  it('the window is from today (inclusive) to today + N days (inclusive), nothing past', () => {
    const on = (birthDate: string, days: number) =>
      dueItems(facts({ birthDate, childrensCase: true }), TODAY, days, ['COORDINATING_MEETING_16_5']);
    expect(on('2010-05-01', 1)).toHaveLength(1); // 16½ today
    expect(on('2010-04-30', 30)).toEqual([]); // 16½ yesterday: past, not due
    expect(on('2010-06-01', 30)).toHaveLength(1); // 16½ on 2026-12-01 = today + 30
    expect(on('2010-06-02', 30)).toEqual([]); // one day beyond
  });
});

describe('seeds/000 "Jobcentret tildeler en rådgiver til familiegruppernes overdragelsessager ved det 17. år"', () => {
  it("the advisor at 17 is due on the 17th birthday, for the family groups' cases", () => {
    expect(dueItems(facts({ birthDate: '2009-11-20', childrensCase: true }), TODAY, 30, ['JOBCENTER_ADVISOR_17'])).toEqual([
      { kind: 'JOBCENTER_ADVISOR_17', date: '2026-11-20' },
    ]);
    expect(dueItems(facts({ birthDate: '2009-11-20' }), TODAY, 30, ['JOBCENTER_ADVISOR_17'])).toEqual([]);
  });
});

describe('seeds/000 "Alle ungesager overdrages rettidigt": the transfer at 18 is on the worklist before it falls due', () => {
  it('the transfer is due on the 18th birthday; 29 February counts on 1 March, as the rules count ages', () => {
    expect(dueItems(facts({ birthDate: '2008-12-24', childrensCase: true }), TODAY, 60, ['TRANSFER_18'])).toEqual([
      { kind: 'TRANSFER_18', date: '2026-12-24' },
    ]);
    expect(dueItems(facts({ birthDate: '2008-02-29', childrensCase: true }), '2026-02-20', 30, ['TRANSFER_18'])).toEqual([
      { kind: 'TRANSFER_18', date: '2026-03-01' },
    ]);
  });
});

describe('the other transitions and the contact-person review', () => {
  it('leaving compulsory school: 30 June for grades 9 and 10; turning 25 on the birthday; all soonest first', () => {
    const items = dueItems(facts({ birthDate: '2001-12-01', grade: 9 }), '2026-06-10', 366);
    expect(items).toEqual([
      { kind: 'LEAVING_COMPULSORY_SCHOOL', date: '2026-06-30' },
      { kind: 'TURNING_25', date: '2026-12-01' },
    ]);
    expect(dueItems(facts({ grade: 8 }), '2026-06-10', 366, ['LEAVING_COMPULSORY_SCHOOL'])).toEqual([]);
  });

  it('seeds/000 "indtil den unge er forankret": a review stays due from its mark until cleared, whatever the window', () => {
    expect(dueItems(facts({ reviewDueSince: '2026-09-03' }), TODAY, 1, ['CONTACT_PERSON_REVIEW'])).toEqual([
      { kind: 'CONTACT_PERSON_REVIEW', date: '2026-09-03' },
    ]);
    expect(dueItems(facts({}), TODAY, 366, ['CONTACT_PERSON_REVIEW'])).toEqual([]);
    expect(dueReason('CONTACT_PERSON_REVIEW', '2026-09-03')).toMatch(/revurderes.*2026-09-03$/);
  });
});

describe('the worklist agrees with the coordinated plan (rules/transitions.ts)', () => {
  // Birth dates across month ends and leap days, days of the school year, with and without a children's case.
  const births = ['2008-02-29', '2009-08-31', '2010-03-31', '2010-05-01', '2001-12-31', '2012-01-31', '2009-11-30', '2010-10-15'];
  const days = ['2026-11-01', '2026-02-28', '2026-06-30', '2026-07-31', '2027-08-31'];
  it.each(
    births.flatMap((birthDate) => days.flatMap((today) => [true, false].map((childrensCase) => ({ birthDate, today, childrensCase })))),
  )("born $birthDate, today $today, children's case $childrensCase", ({ birthDate, today, childrensCase }) => {
    const youth: YouthFacts = pupil(9, { birthDate, ...(childrensCase ? { social: { cases: [socialCase('FAMILY_GROUP_2')] } } : {}) });
    for (const within of [1, 30, 200, 366]) {
      const end = addDays(today, within);
      const fromPlan = nextTransitions(youth, today)
        .filter((t) => t.date <= end)
        .map((t) => ({ kind: t.kind, date: t.date }));
      const fromWorklist = dueItems({ birthDate, childrensCase, grade: 9, reviewDueSince: null }, today, within, DUE_KINDS);
      expect(fromWorklist).toEqual(fromPlan);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { evaluateEligibility } from '../../subgraphs/coordination/rules/eligibility.js';
import {
  assignmentAdvice,
  contactPersonEndDate,
  contactPersonLimit,
  isMeaningful,
} from '../../subgraphs/coordination/rules/assignmentBasis.js';
import { anchoring } from '../../subgraphs/coordination/rules/anchoring.js';
import { JUSTIFICATION_MIN } from '../../subgraphs/coordination/store/limits.js';
import { AS_OF, NOT_READY, bornAged, effort, guidance, outsideEducation, pupil, socialCase, youth } from './fixtures.js';

/**
 * Issue 13, section 1: the contact person is a professional judgement, not a gate. Each test names the
 * passage of seeds/000_f9d4dc655f6ffb76.txt it implements.
 */

const notReadyPupilWithCase = (grade: number) =>
  pupil(grade, { guidance: guidance({ currentEnrolment: null, readiness: NOT_READY }), social: { cases: [socialCase('FAMILY_GROUP_1')] } });

describe('seeds/000 "Gennemgående kontaktperson": assigned "når det vurderes" (a judgement), the rules advise', () => {
  it('"Målgruppen ...": rule (a) ELIGIBLE is an assignment by RULE', () => {
    const facts = notReadyPupilWithCase(9);
    const eligibility = evaluateEligibility(facts, AS_OF);
    expect(eligibility).toMatchObject({ status: 'ELIGIBLE', assignableBy: 'RULE', hardLimit: null });
    expect(assignmentAdvice(facts, eligibility, AS_OF)).toEqual({
      possible: true,
      basis: 'RULE',
      needsJustification: false,
      needsSupportCoordination: false,
    });
  });

  it('"tallet er et estimat": someone the rules do not mark may be assigned by JUDGEMENT, with a justification', () => {
    const facts = outsideEducation(20); // no social case: not a candidate by rule (b)
    const eligibility = evaluateEligibility(facts, AS_OF);
    expect(eligibility).toMatchObject({ status: 'NOT_CANDIDATE', assignableBy: 'JUDGEMENT', hardLimit: null });
    expect(assignmentAdvice(facts, eligibility, AS_OF)).toEqual({
      possible: true,
      basis: 'JUDGEMENT',
      needsJustification: true,
      needsSupportCoordination: false,
    });
  });

  it('"erstatter ikke de eksisterende støttemuligheder": existing support needs a justification and the coordination arranged', () => {
    const facts = { ...notReadyPupilWithCase(9), jobcenter: { efforts: [effort({ type: 'MENTOR' })] } };
    const eligibility = evaluateEligibility(facts, AS_OF);
    expect(eligibility).toMatchObject({ status: 'HAS_EXISTING_SUPPORT', assignableBy: 'JUDGEMENT' });
    expect(assignmentAdvice(facts, eligibility, AS_OF)).toMatchObject({
      basis: 'JUDGEMENT',
      needsJustification: true,
      needsSupportCoordination: true,
    });
  });

  it('15-17-year-olds out of school are assessed like everyone else, never silently excluded', () => {
    for (const age of [15, 16, 17]) {
      const facts = youth({
        birthDate: bornAged(age),
        school: null,
        guidance: guidance({ currentEnrolment: null, activity: 'UNEMPLOYED' }),
      });
      const eligibility = evaluateEligibility(facts, AS_OF);
      expect(eligibility.assignableBy, `aged ${age}`).toBe('JUDGEMENT');
      expect(eligibility.reasons[0]).toMatch(
        new RegExp(`Aged ${age} and out of school: neither candidate rule covers 15-17-year-olds.*may be assigned by judgement`),
      );
    }
  });
});

describe('seeds/000 "kan ske fra 8. klasse og frem til det 25. år": the only hard bounds', () => {
  it('a grade 7 pupil: NOT_YET_GRADE_8', () => {
    const facts = pupil(7);
    expect(contactPersonLimit(facts, AS_OF)?.limit).toBe('NOT_YET_GRADE_8');
    expect(evaluateEligibility(facts, AS_OF)).toMatchObject({ assignableBy: null, hardLimit: 'NOT_YET_GRADE_8' });
  });

  it('grade 8 is within; under 14 without a school record is not', () => {
    expect(contactPersonLimit(pupil(8), AS_OF)).toBeNull();
    expect(contactPersonLimit(youth({ birthDate: bornAged(13), school: null }), AS_OF)?.limit).toBe('NOT_YET_GRADE_8');
    expect(contactPersonLimit(youth({ birthDate: bornAged(14), school: null }), AS_OF)).toBeNull();
  });

  it('25 and over: AGED_25_OR_OVER, from the 25th birthday itself', () => {
    expect(contactPersonLimit(outsideEducation(24), AS_OF)).toBeNull();
    expect(contactPersonLimit(outsideEducation(25), AS_OF)?.limit).toBe('AGED_25_OR_OVER');
    expect(contactPersonEndDate('2002-03-16')).toBe('2027-03-16');
    expect(contactPersonLimit({ birthDate: '2001-03-16', school: null }, '2026-03-15')).toBeNull();
    expect(contactPersonLimit({ birthDate: '2001-03-16', school: null }, '2026-03-16')?.limit).toBe('AGED_25_OR_OVER');
    // 29 February: the birthday counts on 1 March in a common year (rules/dates.ts).
    expect(contactPersonEndDate('2004-02-29')).toBe('2029-03-01');
  });
});

describe('a justification must be meaningful (a decision: at least 40 characters and 6 words)', () => {
  it.each([
    ['', false],
    ['needs one', false],
    ['xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', false],
    ['Several units are involved and nobody holds the whole case today.', true],
    ['Flere enheder er inde over, og ingen har overblikket over forløbet.', true],
  ])('%j → %s', (text, ok) => {
    expect(isMeaningful(text, JUSTIFICATION_MIN)).toBe(ok);
  });
});

describe('seeds/000 "indtil den unge er forankret i en ungdomsuddannelse eller har fast tilknytning til arbejdsmarkedet": due for review', () => {
  it('enrolled for at least three months, or in full-time work', () => {
    expect(anchoring({ currentEnrolment: { needsSupport: false, start: '2025-12-16' }, activity: 'EDUCATION' }, AS_OF)).toBe(
      'ANCHORED_IN_EDUCATION',
    );
    expect(anchoring({ currentEnrolment: { needsSupport: false, start: '2025-12-17' }, activity: 'EDUCATION' }, AS_OF)).toBeNull();
    expect(anchoring({ currentEnrolment: null, activity: 'FULL_TIME_WORK' }, AS_OF)).toBe('ANCHORED_IN_WORK');
    expect(anchoring({ currentEnrolment: null, activity: 'PART_TIME_WORK' }, AS_OF)).toBeNull();
    expect(anchoring(null, AS_OF)).toBeNull();
  });
});

/**
 * Codes with their text (issue 15 s4): every reason the eligibility rules give is a code whose English
 * text is the sentence `reasons` has always served and whose Danish text differs; every indicator and
 * transition has a text in both languages.
 */
import { describe, expect, it } from 'vitest';
import { evaluateEligibility } from '../../subgraphs/coordination/rules/eligibility.js';
import { TARGET_GROUP_INDICATORS } from '../../subgraphs/coordination/rules/targetGroup.js';
import { TRANSITION_KINDS } from '../../subgraphs/coordination/rules/transitions.js';
import { eligibilityReasonText, indicatorText, transitionText } from '../../subgraphs/coordination/rules/texts.js';
import { dueText } from '../../subgraphs/coordination/rules/dueTexts.js';
import { AS_OF, NOT_READY, READY, effort, guidance, outsideEducation, pupil, socialCase } from './fixtures.js';

const people = {
  'eligible pupil': pupil(9, {
    guidance: guidance({ currentEnrolment: null, readiness: NOT_READY }),
    social: { cases: [socialCase('FAMILY_GROUP_2')] },
  }),
  'ready pupil without a case': pupil(9, { guidance: guidance({ currentEnrolment: null, readiness: READY }) }),
  'grade 7': pupil(7),
  'young adult with a mentor': outsideEducation(20, {
    social: { cases: [socialCase('SPECIAL_GROUP_ADULTS')] },
    jobcenter: { efforts: [effort({ type: 'MENTOR' })] },
  }),
  'aged 16 out of school': outsideEducation(16),
  'aged 26': outsideEducation(26),
};

describe('eligibility reasons as codes', () => {
  it.each(Object.entries(people))('%s: the English text of each code is the reason as served, the Danish text differs', (_name, facts) => {
    const { reasons, reasonDetails } = evaluateEligibility(facts, AS_OF);
    expect(reasonDetails.length).toBeGreaterThan(0);
    expect(reasonDetails.map((reason) => eligibilityReasonText(reason, 'EN'))).toEqual(reasons);
    for (const reason of reasonDetails) {
      const danish = eligibilityReasonText(reason, 'DA');
      expect(danish).not.toBe(eligibilityReasonText(reason, 'EN'));
      expect(danish).not.toMatch(/undefined|null/);
    }
  });

  it('names the grade, the age and the unit in Danish', () => {
    const pupilReasons = evaluateEligibility(people['eligible pupil'], AS_OF).reasonDetails;
    expect(pupilReasons.map((r) => eligibilityReasonText(r))).toEqual([
      'Elev i 9. klasse, vurderet ikke-uddannelsesparat',
      'Åben sag i Familiegruppe 2',
      'Endnu ingen mentor eller kontaktperson efter serviceloven: en gennemgående kontaktperson kan tildeles',
    ]);
    expect(evaluateEligibility(people['aged 26'], AS_OF).reasonDetails).toEqual([{ code: 'AGED_25_OR_OVER', age: 26 }]);
  });
});

describe('indicator, transition and due texts', () => {
  it('has a distinct Danish and English text for every indicator and transition', () => {
    for (const code of TARGET_GROUP_INDICATORS) expect(indicatorText(code, 'DA')).not.toBe(indicatorText(code, 'EN'));
    for (const kind of TRANSITION_KINDS) expect(transitionText(kind, 9, 'DA')).not.toBe(transitionText(kind, 9, 'EN'));
    expect(transitionText('LEAVING_COMPULSORY_SCHOOL', 10)).toBe('Afslutter grundskolen efter 10. klasse');
  });

  it('words a due item without its date', () => {
    expect(dueText('CONTACT_PERSON_REVIEW', 'da')).toBe('Kontaktpersonforløbet skal revurderes (forankret i uddannelse eller arbejde)');
    expect(dueText('TRANSFER_18', 'en')).toBe("Transfer to adults' services at 18");
  });
});

/**
 * Whether a continuous contact person (gennemgående kontaktperson) may be assigned, and on what basis.
 *
 * The note (seeds/000, "Gennemgående kontaktperson") says the municipality assigns one "når det vurderes,
 * at den unge af personlige eller sociale årsager har behov for støtte fra flere enheder": a professional
 * judgement. The candidate rules (a) and (b) of "Målgruppen for den gennemgående kontaktperson" are how
 * Aalborg *estimated* the number ("tallet er et estimat"), so here they advise (rules/eligibility.ts) and
 * only the scheme's own bounds refuse: "fra 8. klasse og frem til det 25. år". Everything between is
 * RULE when the rules mark the young person ELIGIBLE, JUDGEMENT otherwise, with the professional's
 * written reasons, and with existing support also how the coordination is arranged ("Ordningen ...
 * erstatter ikke de eksisterende støttemuligheder").
 */
import { addYears } from './dates.js';
import type { ContactPersonEligibility } from './eligibility.js';
import type { YouthFacts } from './facts.js';

export type AssignmentBasis = 'RULE' | 'JUDGEMENT';
/** The scheme's hard bounds, each its own refusal code. */
export type ContactPersonLimit = 'NOT_YET_GRADE_8' | 'AGED_25_OR_OVER';

/** Grade 8 starts in the school year a child turns 14: the age bound for someone the schools do not list. */
export const GRADE_8_AGE = 14;
/** "frem til det 25. år": the assignment ends on the 25th birthday. */
export const CONTACT_PERSON_END_AGE = 25;

export type AssignmentAdvice =
  | { possible: false; limit: ContactPersonLimit; reason: string }
  | {
      possible: true;
      basis: AssignmentBasis;
      /** JUDGEMENT needs the professional's written reasons. */
      needsJustification: boolean;
      /** An existing mentor or social-law contact person: say how the two work together. */
      needsSupportCoordination: boolean;
    };

/** The day the young person turns 25, when an assignment ends by itself (rules/dates.ts counts 29 February). */
export function contactPersonEndDate(birthDate: string): string {
  return addYears(birthDate, CONTACT_PERSON_END_AGE);
}

/** The hard bound a young person is outside on `asOf`, if any. */
export function contactPersonLimit(
  facts: Pick<YouthFacts, 'birthDate' | 'school'>,
  asOf: string,
): { limit: ContactPersonLimit; reason: string } | null {
  if (contactPersonEndDate(facts.birthDate) <= asOf) {
    return { limit: 'AGED_25_OR_OVER', reason: 'Aged 25 or over: the scheme runs until the 25th birthday' };
  }
  const grade = facts.school?.grade;
  if (grade !== undefined && grade < 8) {
    return { limit: 'NOT_YET_GRADE_8', reason: `Grade ${grade} pupil: a continuous contact person is possible from grade 8` };
  }
  if (facts.school === null && addYears(facts.birthDate, GRADE_8_AGE) > asOf) {
    return {
      limit: 'NOT_YET_GRADE_8',
      reason: `Under ${GRADE_8_AGE} and not in the schools' register: a continuous contact person is possible from grade 8`,
    };
  }
  return null;
}

/** What the rules advise for an assignment: refused by a bound, by rule, or by judgement. */
export function assignmentAdvice(
  facts: Pick<YouthFacts, 'birthDate' | 'school'>,
  eligibility: Pick<ContactPersonEligibility, 'status'>,
  asOf: string,
): AssignmentAdvice {
  const limit = contactPersonLimit(facts, asOf);
  if (limit) return { possible: false, ...limit };
  if (eligibility.status === 'ELIGIBLE')
    return { possible: true, basis: 'RULE', needsJustification: false, needsSupportCoordination: false };
  return {
    possible: true,
    basis: 'JUDGEMENT',
    needsJustification: true,
    needsSupportCoordination: eligibility.status === 'HAS_EXISTING_SUPPORT',
  };
}

/** Words in a text: runs of letters or digits (Danish letters included). */
export function wordCount(text: string): number {
  return text.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
}

/** Whether a written reason says enough to be followed later: at least `min` characters and words after trimming. */
export function isMeaningful(text: string | null | undefined, min: { characters: number; words: number }): boolean {
  if (typeof text !== 'string') return false;
  const trimmed = text.trim();
  return trimmed.length >= min.characters && wordCount(trimmed) >= min.words;
}

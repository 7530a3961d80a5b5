import {
  CHILDRENS_UNITS,
  FAMILY_GROUPS,
  isPupilInGrades8to10,
  isPupilNotReady,
  notEnrolled,
  notInFullTimeWork,
  openCases,
} from './conditions.js';
import { ageOn } from '../../../platform/dates.js';
import type { SocialUnit, Unit, YouthFacts } from './facts.js';
import { assignmentAdvice, type AssignmentBasis, type ContactPersonLimit } from './assignmentBasis.js';
import { eligibilityReasonText, type EligibilityReason, type EligibilityReasonCode } from './texts.js';

/** A reason: its code and the facts its sentence names (the grade, the age, the unit). */
function reason(code: EligibilityReasonCode, facts: Omit<EligibilityReason, 'code'> = {}): EligibilityReason {
  return { code, ...facts };
}

export type EligibilityStatus = 'NOT_CANDIDATE' | 'HAS_EXISTING_SUPPORT' | 'ELIGIBLE';
export type CandidateRule = 'PUPIL_NOT_READY_WITH_SOCIAL_CASE' | 'YOUNG_ADULT_OUTSIDE_EDUCATION_WITH_SOCIAL_CASE';
export type ExistingSupportKind = 'MENTOR' | 'SOCIAL_CONTACT_PERSON';

export interface ExistingSupport {
  kind: ExistingSupportKind;
  unit: Extract<Unit, 'JOBCENTER' | 'SOCIAL'>;
}

export interface ContactPersonEligibility {
  status: EligibilityStatus;
  candidateRule: CandidateRule | null;
  /** Plain-language reasons for the status, for the caseworker: `reasonDetails` in English (the field's words since the start). */
  reasons: string[];
  /** The reasons as codes with the facts they name; their text in Danish or English from rules/texts.ts. */
  reasonDetails: EligibilityReason[];
  /** Existing mentor or contact person of a candidate, to coordinate with; empty for non-candidates. */
  existingSupport: ExistingSupport[];
  /**
   * The status is advice (the rules are Aalborg's estimate of the numbers): RULE when the rules mark the
   * young person ELIGIBLE, JUDGEMENT when a professional may still assign with written reasons, null
   * when a hard bound (`hardLimit`) forbids it (rules/assignmentBasis.ts).
   */
  assignableBy: AssignmentBasis | null;
  hardLimit: ContactPersonLimit | null;
}

/** A continuous contact person is possible until the young person turns 25. */
export const CONTACT_PERSON_MAX_AGE = 24;
/** Rule (a): the family groups and the special group for children. */
const PUPIL_CASE_UNITS = CHILDRENS_UNITS;
/** Rule (b): the family groups (aftercare runs to 23) and the special group for adults. */
const YOUNG_ADULT_CASE_UNITS: readonly SocialUnit[] = [...FAMILY_GROUPS, 'SPECIAL_GROUP_ADULTS'];

/** "Open case in Family group 2", once per unit, in the order the cases come. */
function openCaseReasons(facts: YouthFacts, units: readonly SocialUnit[]): EligibilityReason[] {
  const caseUnits = new Set(openCases(facts, units).map((c) => c.unit));
  return [...caseUnits].map((socialUnit) => reason('OPEN_SOCIAL_CASE', { socialUnit }));
}

interface Candidacy {
  rule: CandidateRule;
  reasons: EligibilityReason[];
}

function pupilCandidacy(facts: YouthFacts): Candidacy | null {
  const cases = openCaseReasons(facts, PUPIL_CASE_UNITS);
  if (!isPupilNotReady(facts) || cases.length === 0) return null;
  return {
    rule: 'PUPIL_NOT_READY_WITH_SOCIAL_CASE',
    reasons: [reason('PUPIL_NOT_EDUCATION_READY', { grade: facts.school?.grade ?? null }), ...cases],
  };
}

function youngAdultCandidacy(facts: YouthFacts, age: number): Candidacy | null {
  const guidance = facts.guidance;
  const cases = openCaseReasons(facts, YOUNG_ADULT_CASE_UNITS);
  const outside = notEnrolled(guidance) && notInFullTimeWork(guidance);
  if (age < 18 || age > CONTACT_PERSON_MAX_AGE || guidance?.completedYouthEducation !== false || !outside) return null;
  if (cases.length === 0) return null;
  return {
    rule: 'YOUNG_ADULT_OUTSIDE_EDUCATION_WITH_SOCIAL_CASE',
    reasons: [reason('AGED_WITHOUT_YOUTH_EDUCATION', { age }), reason('NOT_ENROLLED_NOT_IN_WORK'), ...cases],
  };
}

function existingSupportOf(facts: YouthFacts): ExistingSupport[] {
  const support: ExistingSupport[] = [];
  if ((facts.jobcenter?.efforts ?? []).some((e) => e.type === 'MENTOR' && e.active)) {
    support.push({ kind: 'MENTOR', unit: 'JOBCENTER' });
  }
  const measures = (facts.social?.cases ?? []).flatMap((c) => c.measures ?? []);
  if (measures.some((m) => m.type === 'CONTACT_PERSON' && m.active)) {
    support.push({ kind: 'SOCIAL_CONTACT_PERSON', unit: 'SOCIAL' });
  }
  return support;
}

const SUPPORT_REASONS: Record<ExistingSupportKind, EligibilityReason> = {
  MENTOR: reason('HAS_MENTOR'),
  SOCIAL_CONTACT_PERSON: reason('HAS_SOCIAL_CONTACT_PERSON'),
};

/** Why a pupil does not meet rule (a). */
function pupilShortfalls(facts: YouthFacts): EligibilityReason[] {
  const grade = facts.school?.grade ?? null;
  const readiness = facts.guidance?.readiness;
  const reasons: EligibilityReason[] = [];
  if (!isPupilInGrades8to10(facts)) reasons.push(reason('BELOW_GRADE_8', { grade }));
  else if (!readiness) reasons.push(reason('NO_READINESS_ASSESSMENT', { grade }));
  else if (!isPupilNotReady(facts)) reasons.push(reason('PUPIL_EDUCATION_READY', { grade }));
  if (openCases(facts, PUPIL_CASE_UNITS).length === 0) reasons.push(reason('NO_CHILDRENS_CASE'));
  return reasons;
}

/** Why a young person outside school does not meet rule (b). */
function youngAdultShortfalls(facts: YouthFacts, age: number): EligibilityReason[] {
  const guidance = facts.guidance;
  const reasons: EligibilityReason[] = [];
  // 15-17-year-olds out of school (the handover group) fall between rule (a) and rule (b): said, never silent.
  if (age < 18) reasons.push(reason('OUT_OF_SCHOOL_UNDER_18', { age }));
  if (!guidance) reasons.push(reason('NO_GUIDANCE_RECORD'));
  else {
    if (guidance.completedYouthEducation !== false) reasons.push(reason('COMPLETED_YOUTH_EDUCATION'));
    if (!notEnrolled(guidance)) reasons.push(reason('ENROLLED_IN_EDUCATION'));
    if (!notInFullTimeWork(guidance)) reasons.push(reason('IN_FULL_TIME_WORK'));
  }
  if (openCases(facts, YOUNG_ADULT_CASE_UNITS).length === 0) reasons.push(reason('NO_ADULTS_CASE'));
  return reasons;
}

/** The advice with its reasons as codes (`reasonDetails`) and, as the field has always served them, in English. */
function withReasons(advice: Omit<RulesAdvice, 'reasons' | 'reasonDetails'>, reasons: EligibilityReason[]): RulesAdvice {
  return { ...advice, reasons: reasons.map((reason) => eligibilityReasonText(reason, 'EN')), reasonDetails: reasons };
}

function notCandidate(reasons: EligibilityReason[]): RulesAdvice {
  return withReasons({ status: 'NOT_CANDIDATE', candidateRule: null, existingSupport: [] }, reasons);
}

/**
 * Whether a continuous contact person (gennemgående kontaktperson) may be assigned on `asOf`:
 * candidates by rule (a) (pupils) or (b) (young adults); a candidate with a mentor or a social-law
 * contact person is coordinated with, not given a second person.
 */
export function evaluateEligibility(facts: YouthFacts, asOf: string): ContactPersonEligibility {
  const advice = rulesAdvice(facts, asOf);
  const assignment = assignmentAdvice(facts, advice, asOf);
  return {
    ...advice,
    assignableBy: assignment.possible ? assignment.basis : null,
    hardLimit: assignment.possible ? null : assignment.limit,
  };
}

type RulesAdvice = Omit<ContactPersonEligibility, 'assignableBy' | 'hardLimit'>;

function rulesAdvice(facts: YouthFacts, asOf: string): RulesAdvice {
  const age = ageOn(facts.birthDate, asOf);
  if (age > CONTACT_PERSON_MAX_AGE) {
    return notCandidate([reason('AGED_25_OR_OVER', { age })]);
  }
  const candidacy = pupilCandidacy(facts) ?? youngAdultCandidacy(facts, age);
  if (!candidacy) {
    return notCandidate(facts.school !== null ? pupilShortfalls(facts) : youngAdultShortfalls(facts, age));
  }
  const existingSupport = existingSupportOf(facts);
  if (existingSupport.length > 0) {
    return withReasons({ status: 'HAS_EXISTING_SUPPORT', candidateRule: candidacy.rule, existingSupport }, [
      ...candidacy.reasons,
      ...existingSupport.map((s) => SUPPORT_REASONS[s.kind]),
    ]);
  }
  return withReasons({ status: 'ELIGIBLE', candidateRule: candidacy.rule, existingSupport: [] }, [
    ...candidacy.reasons,
    reason('NO_EXISTING_SUPPORT'),
  ]);
}

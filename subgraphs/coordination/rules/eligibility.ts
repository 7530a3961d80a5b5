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
  /** Plain-language reasons for the status, for the caseworker. */
  reasons: string[];
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

const UNIT_NAMES: Record<SocialUnit, string> = {
  FAMILY_GROUP_1: 'Family group 1',
  FAMILY_GROUP_2: 'Family group 2',
  FAMILY_GROUP_3: 'Family group 3',
  FAMILY_GROUP_4: 'Family group 4',
  SPECIAL_GROUP_CHILDREN: "the children's special group",
  SPECIAL_GROUP_ADULTS: "the adults' special group",
};

/** "Open case in Family group 2", once per unit, in the order the cases come. */
function openCaseReasons(facts: YouthFacts, units: readonly SocialUnit[]): string[] {
  const caseUnits = new Set(openCases(facts, units).map((c) => c.unit));
  return [...caseUnits].map((unit) => `Open case in ${UNIT_NAMES[unit]}`);
}

interface Candidacy {
  rule: CandidateRule;
  reasons: string[];
}

function pupilCandidacy(facts: YouthFacts): Candidacy | null {
  const cases = openCaseReasons(facts, PUPIL_CASE_UNITS);
  if (!isPupilNotReady(facts) || cases.length === 0) return null;
  return {
    rule: 'PUPIL_NOT_READY_WITH_SOCIAL_CASE',
    reasons: [`Grade ${facts.school?.grade} pupil assessed not education-ready`, ...cases],
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
    reasons: [`Aged ${age}, without a completed youth education`, 'Not enrolled in education and not in full-time work', ...cases],
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

const SUPPORT_REASONS: Record<ExistingSupportKind, string> = {
  MENTOR: 'Already has a mentor from the jobcenter: coordinate with the mentor instead of assigning a second person',
  SOCIAL_CONTACT_PERSON:
    'Already has a contact person from social services: coordinate with the contact person instead of assigning a second person',
};

/** Why a pupil does not meet rule (a). */
function pupilShortfalls(facts: YouthFacts): string[] {
  const grade = facts.school?.grade;
  const readiness = facts.guidance?.readiness;
  const reasons: string[] = [];
  if (!isPupilInGrades8to10(facts)) reasons.push(`Grade ${grade} pupil: a continuous contact person is possible from grade 8`);
  else if (!readiness) reasons.push(`Grade ${grade} pupil without a readiness assessment`);
  else if (!isPupilNotReady(facts)) reasons.push(`Grade ${grade} pupil assessed education-ready`);
  if (openCases(facts, PUPIL_CASE_UNITS).length === 0) {
    reasons.push("No open case in a family group or the children's special group");
  }
  return reasons;
}

/** Why a young person outside school does not meet rule (b). */
function youngAdultShortfalls(facts: YouthFacts, age: number): string[] {
  const guidance = facts.guidance;
  const reasons: string[] = [];
  // 15-17-year-olds out of school (the handover group) fall between rule (a) and rule (b): said, never silent.
  if (age < 18) {
    reasons.push(
      `Aged ${age} and out of school: neither candidate rule covers 15-17-year-olds outside grades 8-10 ` +
        '(the rules count pupils in grades 8-10 and ages 18-24); assess the need, a contact person may be assigned by judgement',
    );
  }
  if (!guidance) reasons.push('No record at youth guidance (UU)');
  else {
    if (guidance.completedYouthEducation !== false) reasons.push('Has completed a youth education');
    if (!notEnrolled(guidance)) reasons.push('Enrolled in education');
    if (!notInFullTimeWork(guidance)) reasons.push('In full-time work');
  }
  if (openCases(facts, YOUNG_ADULT_CASE_UNITS).length === 0) {
    reasons.push("No open case in a family group or the adults' special group");
  }
  return reasons;
}

function notCandidate(reasons: string[]): RulesAdvice {
  return { status: 'NOT_CANDIDATE', candidateRule: null, reasons, existingSupport: [] };
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
    return notCandidate([`Aged ${age}: a continuous contact person is possible until 25`]);
  }
  const candidacy = pupilCandidacy(facts) ?? youngAdultCandidacy(facts, age);
  if (!candidacy) {
    return notCandidate(facts.school !== null ? pupilShortfalls(facts) : youngAdultShortfalls(facts, age));
  }
  const existingSupport = existingSupportOf(facts);
  if (existingSupport.length > 0) {
    return {
      status: 'HAS_EXISTING_SUPPORT',
      candidateRule: candidacy.rule,
      reasons: [...candidacy.reasons, ...existingSupport.map((s) => SUPPORT_REASONS[s.kind])],
      existingSupport,
    };
  }
  return {
    status: 'ELIGIBLE',
    candidateRule: candidacy.rule,
    reasons: [...candidacy.reasons, 'No mentor or social-law contact person yet: a continuous contact person may be assigned'],
    existingSupport: [],
  };
}

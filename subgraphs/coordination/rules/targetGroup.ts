import { absenceOver20 } from './absence.js';
import { FAMILY_GROUPS, isPupilNotReady, openCases, outsideEducationAndWork } from './conditions.js';
import { ageOn } from '../../../platform/dates.js';
import type { YouthFacts } from './facts.js';

/**
 * The indicators of the source's figure 1 (seeds/000_f9d4dc655f6ffb76.txt, "Målgruppen i tal"), in the
 * SDL's (and the figure's) order. `CONCERNING_ABSENCE` is no longer one: it stays in the SDL, deprecated,
 * and is never produced (the schools' early warning, shown as `SchoolRecord.absenceEarlyWarning`).
 */
export type TargetGroupIndicator =
  'ABSENCE_OVER_20' | 'NOT_EDUCATION_READY' | 'SOCIAL_CASE' | 'NOT_IN_EDUCATION' | 'NEEDS_SUPPORT_IN_EDUCATION';

export const TARGET_GROUP_INDICATORS: readonly TargetGroupIndicator[] = [
  'ABSENCE_OVER_20',
  'NOT_EDUCATION_READY',
  'SOCIAL_CASE',
  'NOT_IN_EDUCATION',
  'NEEDS_SUPPORT_IN_EDUCATION',
];

export interface TargetGroupStatus {
  inTargetGroup: boolean;
  /** The indicators that apply, in figure-1 order. */
  indicators: TargetGroupIndicator[];
  asOf: string;
}

export const TARGET_GROUP_MIN_AGE = 13;
/** Aalborg extends the legal target group (under 25) to under 30. */
export const TARGET_GROUP_MAX_AGE = 29;

/** "Unge med skolefravær på over 20%": any reason, over the latest completed school year (rules/absence.ts). */
function hasAbsenceOver20(facts: YouthFacts, asOf: string): boolean {
  return absenceOver20(facts.school?.absence ?? [], asOf);
}

/**
 * "Indsats i familiegrupperne sammenkoblet med fravær og uddannelsesparathed", read as written: an open
 * case in one of the family groups (1-4) together with both the absence indicator and the assessment
 * not education-ready. It adds nobody to the target group by itself; it marks the young people the
 * family groups and the schools both know.
 */
function hasFamilyGroupCaseWithAbsenceAndReadiness(facts: YouthFacts, absence: boolean, notReady: boolean): boolean {
  return absence && notReady && openCases(facts, FAMILY_GROUPS).length > 0;
}

/**
 * Outside school and youth education and not in full-time work, aged 15-29, and without a completed
 * youth education (under 25) or without a vocational qualification (25-29, Aalborg's extension).
 */
function isNotInEducation(facts: YouthFacts, age: number): boolean {
  const guidance = facts.guidance;
  if (age < 15 || facts.school !== null || !outsideEducationAndWork(guidance)) return false;
  return age < 25 ? guidance?.completedYouthEducation === false : guidance?.vocationalQualification === false;
}

function needsSupportInEducation(facts: YouthFacts): boolean {
  return facts.guidance?.currentEnrolment?.needsSupport === true;
}

/** Whether the young person is in the target group of the coordinated youth effort on `asOf`, and why. */
export function evaluateTargetGroup(facts: YouthFacts, asOf: string): TargetGroupStatus {
  const age = ageOn(facts.birthDate, asOf);
  if (age < TARGET_GROUP_MIN_AGE || age > TARGET_GROUP_MAX_AGE) return { inTargetGroup: false, indicators: [], asOf };

  const applies = new Set<TargetGroupIndicator>();
  const absence = hasAbsenceOver20(facts, asOf);
  const notReady = isPupilNotReady(facts);
  if (absence) applies.add('ABSENCE_OVER_20');
  if (notReady) applies.add('NOT_EDUCATION_READY');
  if (hasFamilyGroupCaseWithAbsenceAndReadiness(facts, absence, notReady)) applies.add('SOCIAL_CASE');
  if (isNotInEducation(facts, age)) applies.add('NOT_IN_EDUCATION');
  if (needsSupportInEducation(facts)) applies.add('NEEDS_SUPPORT_IN_EDUCATION');

  const indicators = TARGET_GROUP_INDICATORS.filter((indicator) => applies.has(indicator));
  return { inTargetGroup: indicators.length > 0, indicators, asOf };
}

import { absenceOver20, concerningAbsence } from './absence.js';
import { isPupilNotReady, openCases, outsideEducationAndWork } from './conditions.js';
import { ageOn } from '../../../platform/dates.js';
import type { YouthFacts } from './facts.js';

/** The indicators of the source's figure 1, in the SDL's (and the figure's) order. */
export type TargetGroupIndicator =
  | 'ABSENCE_OVER_20'
  | 'CONCERNING_ABSENCE'
  | 'NOT_EDUCATION_READY'
  | 'SOCIAL_CASE'
  | 'NOT_IN_EDUCATION'
  | 'NEEDS_SUPPORT_IN_EDUCATION';

export const TARGET_GROUP_INDICATORS: readonly TargetGroupIndicator[] = [
  'ABSENCE_OVER_20',
  'CONCERNING_ABSENCE',
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

function hasAbsenceOver20(facts: YouthFacts): boolean {
  return (facts.school?.absence ?? []).some(absenceOver20);
}

function hasConcerningAbsence(facts: YouthFacts): boolean {
  return (facts.school?.absence ?? []).some((year) => concerningAbsence(year.unlawfulAbsenceDates).concerning);
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
  if (hasAbsenceOver20(facts)) applies.add('ABSENCE_OVER_20');
  if (hasConcerningAbsence(facts)) applies.add('CONCERNING_ABSENCE');
  if (isPupilNotReady(facts)) applies.add('NOT_EDUCATION_READY');
  if (isNotInEducation(facts, age)) applies.add('NOT_IN_EDUCATION');
  if (needsSupportInEducation(facts)) applies.add('NEEDS_SUPPORT_IN_EDUCATION');
  // A social case alone is not an education concern: it only counts alongside another indicator.
  if (applies.size > 0 && openCases(facts).length > 0) applies.add('SOCIAL_CASE');

  const indicators = TARGET_GROUP_INDICATORS.filter((indicator) => applies.has(indicator));
  return { inTargetGroup: indicators.length > 0, indicators, asOf };
}

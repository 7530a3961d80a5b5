/**
 * Facts the target group, the contact-person rules and the transitions share. A fact missing from the
 * representation is unknown, and an unknown fact never makes a condition hold.
 */
import type { GuidanceFacts, SocialCaseFacts, SocialUnit, YouthFacts } from './facts.js';

export const FAMILY_GROUPS: readonly SocialUnit[] = ['FAMILY_GROUP_1', 'FAMILY_GROUP_2', 'FAMILY_GROUP_3', 'FAMILY_GROUP_4'];
/** Children's services: the family groups (aftercare runs to 23) and the special group for children. */
export const CHILDRENS_UNITS: readonly SocialUnit[] = [...FAMILY_GROUPS, 'SPECIAL_GROUP_CHILDREN'];

/** Open social cases, optionally only those of the given units. */
export function openCases(facts: YouthFacts, units?: readonly SocialUnit[]): SocialCaseFacts[] {
  return (facts.social?.cases ?? []).filter((c) => c.open && (units === undefined || units.includes(c.unit)));
}

export function isPupilInGrades8to10(facts: YouthFacts): boolean {
  const grade = facts.school?.grade;
  return grade !== undefined && grade >= 8 && grade <= 10;
}

/** The latest readiness assessment (UPV) finds the young person ready for neither vocational nor upper-secondary education. */
export function assessedNotReady(guidance: GuidanceFacts | null): boolean {
  const readiness = guidance?.readiness;
  return !!readiness && readiness.vocational === 'NOT_READY' && readiness.upperSecondary === 'NOT_READY';
}

/** A pupil in grade 8-10 assessed not education-ready (ikke-uddannelsesparat). */
export function isPupilNotReady(facts: YouthFacts): boolean {
  return isPupilInGrades8to10(facts) && assessedNotReady(facts.guidance);
}

/** Known not to be enrolled in a youth education. */
export function notEnrolled(guidance: GuidanceFacts | null): boolean {
  return guidance?.currentEnrolment === null;
}

/** Known not to be in full-time work. */
export function notInFullTimeWork(guidance: GuidanceFacts | null): boolean {
  return guidance?.activity !== undefined && guidance.activity !== 'FULL_TIME_WORK';
}

/** Known to be outside education (not enrolled) and outside full-time work. */
export function outsideEducationAndWork(guidance: GuidanceFacts | null): boolean {
  return notEnrolled(guidance) && notInFullTimeWork(guidance);
}

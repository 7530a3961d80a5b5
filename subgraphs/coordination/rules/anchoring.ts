/**
 * When the systems show a young person anchored, an assignment is due for review: the note lets the
 * scheme run "indtil den unge er forankret i en ungdomsuddannelse eller har fast tilknytning til
 * arbejdsmarkedet" (seeds/000, "Gennemgående kontaktperson"). The note does not say when someone is
 * anchored; this project's decision: enrolled in a youth education for at least three months (past the
 * first weeks, when most drop-outs happen), or in full-time work. Anchoring never ends an assignment by
 * itself: a professional reviews it and ends it (ANCHORED_IN_EDUCATION / ANCHORED_IN_WORK) or keeps it.
 */
import { addMonths } from './dates.js';
import type { GuidanceFacts } from './facts.js';

export type Anchoring = 'ANCHORED_IN_EDUCATION' | 'ANCHORED_IN_WORK';

/** Months of enrolment after which a young person counts as anchored in education. */
export const ANCHORED_ENROLMENT_MONTHS = 3;

/** What the guidance record shows on `asOf`; null when not anchored (or not known to be). */
export function anchoring(guidance: Pick<GuidanceFacts, 'currentEnrolment' | 'activity'> | null, asOf: string): Anchoring | null {
  const enrolment = guidance?.currentEnrolment;
  if (enrolment?.start !== undefined && enrolment.start <= addMonths(asOf, -ANCHORED_ENROLMENT_MONTHS)) return 'ANCHORED_IN_EDUCATION';
  if (guidance?.activity === 'FULL_TIME_WORK') return 'ANCHORED_IN_WORK';
  return null;
}

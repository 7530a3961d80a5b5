/** Facts derived from UU's record the same way wherever they are read: the guidance subgraph and the coordination's register. */
import type { GuidanceRecord, InstitutionLink, ReadinessAssessment } from './guidanceClient.js';

/** The latest readiness assessment (the history is kept newest first). */
export function latestReadiness(record: GuidanceRecord): ReadinessAssessment | null {
  return record.readinessHistory[0] ?? null;
}

/** The enrolment running on `day`, if any. */
export function currentEnrolment(record: GuidanceRecord, day: string): InstitutionLink | null {
  return (
    record.institutions.find((link) => link.status === 'ENROLLED' && link.start <= day && (link.end === null || link.end >= day)) ?? null
  );
}

import { isActiveOn } from '../../kit/dates.js';
import type { SchoolRecord } from '../../kit/systems/schoolClient.js';
import type { GuidanceYouth } from '../../kit/systems/guidanceClient.js';
import { currentEnrolment, latestReadiness } from '../../kit/systems/guidanceDerived.js';
import type { JobcenterRecord } from '../../kit/systems/jobcenterClient.js';
import type { SocialRecord } from '../../kit/systems/socialClient.js';
import type { YouthFacts } from '../rules/facts.js';

/**
 * The same facts the gateway hands over through `@requires`, built straight from the systems' records:
 * the screening register and the mutation checks then apply exactly the rules `Youth.targetGroup` does.
 */
export interface SystemRecords {
  youth: GuidanceYouth;
  school: SchoolRecord | null;
  jobcenter: JobcenterRecord | null;
  social: SocialRecord | null;
}

export function factsFromSystems(records: SystemRecords, today: string): YouthFacts {
  const { youth, school, jobcenter, social } = records;
  const guidance = youth.guidance;
  const readiness = latestReadiness(guidance);
  const enrolment = currentEnrolment(guidance, today);
  return {
    birthDate: youth.birthDate,
    school: school && { grade: school.grade, absence: school.absence },
    guidance: {
      readiness: readiness && { grade: readiness.grade, vocational: readiness.vocational, upperSecondary: readiness.upperSecondary },
      currentEnrolment: enrolment && { needsSupport: enrolment.needsSupport, start: enrolment.start },
      completedYouthEducation: guidance.completedYouthEducation,
      vocationalQualification: guidance.vocationalQualification,
      activity: guidance.activity,
      educationPlan: guidance.educationPlan,
    },
    jobcenter: jobcenter && {
      advisor: { name: jobcenter.advisor.name },
      goal: jobcenter.goal,
      efforts: jobcenter.efforts.map((e) => ({ ...e, active: isActiveOn(today, e.start, e.end) })),
    },
    social: social && {
      cases: social.cases.map((c) => ({
        unit: c.unit,
        open: isActiveOn(today, c.opened, c.closed),
        caseworker: { name: c.caseworker.name },
        goal: c.goal,
        measures: c.measures.map((m) => ({ ...m, active: isActiveOn(today, m.from, m.to) })),
      })),
    },
  };
}

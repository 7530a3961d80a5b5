/**
 * The young person as the gateway hands it to the coordination subgraph: the entity representation
 * built from the `@requires` selections on `targetGroup`, `contactPersonEligibility` and
 * `coordinatedPlan` (see ../schema.graphql). A field only some selections name is optional; a
 * system record (`school`, `guidance`, `jobcenter`, `social`) that is `null` means the young person
 * has no record there. Dates are ISO `YYYY-MM-DD` strings.
 *
 * The rules treat a missing (undefined) fact as unknown, and an unknown fact never makes a rule apply.
 */

import type { EffortType, MeasureType, SocialUnit, Track } from '../../kit/vocabulary.js';

// The graph's shared words (subgraphs/kit/vocabulary.ts), as the rules read them.
export type { EffortType, MeasureType, SocialUnit, Track };
export type Readiness = 'READY' | 'NOT_READY';
export type Activity = 'EDUCATION' | 'FULL_TIME_WORK' | 'PART_TIME_WORK' | 'UNEMPLOYED' | 'OTHER';
export type Unit = 'SCHOOL' | 'GUIDANCE' | 'JOBCENTER' | 'SOCIAL' | 'BENEFITS' | 'CONTACT_PERSON';

/** Every value of `Unit`, in SDL order (used to order units deterministically). */
export const UNITS: readonly Unit[] = ['SCHOOL', 'GUIDANCE', 'JOBCENTER', 'SOCIAL', 'BENEFITS', 'CONTACT_PERSON'];
/** Every value of `Track`, in SDL order. */
export const TRACKS: readonly Track[] = ['EUD', 'EUX', 'GYM', 'FGU', 'STU', 'HIGHER', 'JOB', 'OTHER'];

export interface SchoolYearAbsenceFacts {
  /** e.g. "2025/26" */
  schoolYear: string;
  schoolDays: number;
  /** Any reason; half days count 0.5. */
  absentDays: number;
}

export interface SchoolFacts {
  grade: number;
  absence?: SchoolYearAbsenceFacts[];
}

export interface ReadinessFacts {
  grade: number;
  vocational: Readiness;
  upperSecondary: Readiness;
}

export interface PlanStepFacts {
  text: string;
  due: string;
  done: boolean;
}

export interface EducationPlanFacts {
  goal: string;
  track: Track;
  updated: string;
  steps: PlanStepFacts[];
}

export interface GuidanceFacts {
  /** The latest readiness assessment (UPV); null before grade 8. */
  readiness?: ReadinessFacts | null;
  /** Null when not currently enrolled in a youth education. `start` only where the record was read from UU directly. */
  currentEnrolment?: { needsSupport: boolean; start?: string } | null;
  completedYouthEducation?: boolean;
  vocationalQualification?: boolean;
  activity?: Activity;
  educationPlan?: EducationPlanFacts | null;
}

export interface GoalFacts {
  track: Track;
  text: string;
}

export interface EffortFacts {
  type: EffortType;
  start?: string;
  end?: string | null;
  active: boolean;
  description?: string;
}

export interface JobcenterFacts {
  advisor?: { name: string };
  goal?: GoalFacts;
  efforts?: EffortFacts[];
}

export interface SocialMeasureFacts {
  type: MeasureType;
  from?: string;
  to?: string | null;
  active: boolean;
}

export interface SocialCaseFacts {
  unit: SocialUnit;
  open: boolean;
  caseworker?: { name: string };
  goal?: GoalFacts | null;
  measures?: SocialMeasureFacts[];
}

export interface SocialFacts {
  cases: SocialCaseFacts[];
}

export interface YouthFacts {
  birthDate: string;
  school: SchoolFacts | null;
  guidance: GuidanceFacts | null;
  /** Only the eligibility and plan selections name the jobcenter. */
  jobcenter?: JobcenterFacts | null;
  social: SocialFacts | null;
}

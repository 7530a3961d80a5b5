/**
 * The canonical synthetic population: one record per young person, in English, from which each
 * simulated legacy system derives its own (Danish, oddly formatted) view. Nothing outside `systems/`
 * may import this: the subgraphs only ever see the legacy systems' HTTP APIs.
 *
 * All dates are ISO `YYYY-MM-DD` here; each system reformats them.
 */

export type Gender = 'F' | 'M';

/** Education track a plan or goal aims at (shared vocabulary so the coordination can compare goals). */
export type Track = 'EUD' | 'EUX' | 'GYM' | 'FGU' | 'STU' | 'HIGHER' | 'JOB' | 'OTHER';

export interface Person {
  /** Fictitious CPR number, `DDMMYY-NNNN`; the serial is chosen so that no real person can hold it (see cpr.ts). */
  cpr: string;
  /** UU's own person key: opaque, stable, never derived from the CPR number. Also the graph's `Youth.id`. */
  uuId: string;
  firstName: string;
  lastName: string;
  birthDate: string;
  gender: Gender;
  school: SchoolFacts | null;
  guidance: GuidanceFacts;
  jobcenter: JobcenterFacts | null;
  social: SocialFacts | null;
  benefits: BenefitsFacts | null;
}

// ---------- School administration (grades 7-10 only) ----------
export interface SchoolFacts {
  schoolId: string;
  schoolName: string;
  grade: 7 | 8 | 9 | 10;
  className: string; // e.g. "8.B"
  absence: SchoolYearAbsence[]; // previous and current school year (the current one may be partial)
  pprInvolvedSince: string | null; // school psychology (PPR)
  wellbeingForum: boolean; // trivselsforum
}
export interface SchoolYearAbsence {
  schoolYear: string; // "2025/26"
  schoolDays: number; // school days so far in that year
  absentDays: number; // any reason (illness, lawful, unlawful); may be fractional (half days)
  unlawfulAbsenceDates: string[]; // ISO dates, each a weekday within the school year
}

// ---------- UU, youth guidance (everyone 13-29: UU holds the municipal youth register) ----------
export type Readiness = 'READY' | 'NOT_READY';
export interface ReadinessAssessment {
  date: string;
  kind: 'PRELIMINARY' | 'FINAL' | 'REASSESSMENT';
  grade: 8 | 9 | 10;
  vocational: Readiness; // EUD/EUX
  upperSecondary: Readiness; // gymnasial
  gradeAverage: number;
  academic: boolean;
  personal: boolean;
  social: boolean;
  practical: boolean;
}
export interface PlanStep {
  text: string;
  due: string;
  status: 'OPEN' | 'DONE';
}
export interface InstitutionLink {
  institutionId: string;
  institutionName: string;
  programme: string;
  status: 'ENROLLED' | 'APPLYING' | 'DROPPED_OUT' | 'COMPLETED';
  start: string;
  end: string | null;
  needsSupport: boolean; // in education and needing support to complete it
}
export type Activity = 'EDUCATION' | 'FULL_TIME_WORK' | 'PART_TIME_WORK' | 'UNEMPLOYED' | 'OTHER';
export interface GuidanceFacts {
  counsellor: { initials: string; name: string; email: string };
  assessments: ReadinessAssessment[]; // grade 8+ pupils; empty for the rest
  plan: { goal: string; track: Track; steps: PlanStep[]; updated: string } | null;
  institutions: InstitutionLink[]; // current and past enrolments and applications
  completedYouthEducation: boolean;
  vocationalQualification: boolean; // erhvervskompetencegivende uddannelse
  fguTargetGroup: boolean;
  activity: Activity;
  /** 15-17-year-olds' duty to be in education or work (uddannelsespligt); null outside the age band. */
  educationDuty: { fulfilled: boolean } | null;
}

// ---------- Jobcenter (18-29, exceptionally from 15) ----------
export type EffortType = 'COMPANY_INTERNSHIP' | 'WAGE_SUBSIDY' | 'PROJECT' | 'BRIDGE_BUILDING' | 'MENTOR';
export interface JobcenterFacts {
  advisor: { id: string; name: string };
  category: 'EDUCATION_READY' | 'ACTIVITY_READY';
  referred: string; // visitation date
  goal: { track: Track; text: string };
  efforts: { type: EffortType; start: string; end: string | null; description: string }[];
}

// ---------- Social services ----------
export type SocialUnit =
  'FAMILY_GROUP_1' | 'FAMILY_GROUP_2' | 'FAMILY_GROUP_3' | 'FAMILY_GROUP_4' | 'SPECIAL_GROUP_CHILDREN' | 'SPECIAL_GROUP_ADULTS';
export type MeasureType =
  | 'CONTACT_PERSON'
  | 'FAMILY_TREATMENT'
  | 'PLACEMENT_NETWORK'
  | 'PLACEMENT_FOSTER_FAMILY'
  | 'PLACEMENT_INSTITUTION'
  | 'AFTERCARE'
  | 'HOUSING_SUPPORT'
  | 'SUPPORTED_HOUSING';
export interface SocialCase {
  caseNumber: string;
  unit: SocialUnit;
  caseworker: { id: string; name: string };
  opened: string;
  closed: string | null;
  legalBasis: string; // e.g. "SEL § 52" / "BL § 32"
  measures: { type: MeasureType; from: string; to: string | null }[];
  goal: { track: Track; text: string } | null;
}
export interface SocialFacts {
  cases: SocialCase[];
}

// ---------- Benefits office (18+) ----------
export type BenefitType = 'EDUCATION_BENEFIT' | 'CASH_BENEFIT' | 'RESOURCE_COURSE_BENEFIT' | 'TRANSITION_BENEFIT';
export interface BenefitsFacts {
  payments: { type: BenefitType; from: string; to: string | null; monthlyAmountDkk: number }[];
  oneOff: { type: string; date: string; amountDkk: number }[];
}

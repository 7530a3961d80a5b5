/**
 * The coordination store's vocabulary: the enumerations the graph and the database share, the records
 * the store hands back, and the input each method takes. Timestamps are ISO 8601 strings, dates
 * `YYYY-MM-DD`. The actor of a write (`assignedBy`, `createdBy`, ...) is the caller's subject; it is
 * recorded, and it scopes the write's `idempotencyKey` (idempotency.ts).
 */
import type { RelationCaller } from '../../../platform/authorization/relation.js';
import type { DueWindow } from './worklist.js';

export const UNITS = ['SCHOOL', 'GUIDANCE', 'JOBCENTER', 'SOCIAL', 'BENEFITS', 'CONTACT_PERSON'] as const;
export type Unit = (typeof UNITS)[number];

export const INDICATORS = [
  'ABSENCE_OVER_20',
  'CONCERNING_ABSENCE',
  'NOT_EDUCATION_READY',
  'NOT_IN_EDUCATION',
  'NEEDS_SUPPORT_IN_EDUCATION',
  'SOCIAL_CASE',
] as const;
export type Indicator = (typeof INDICATORS)[number];

export const CONTACT_PERSON_STATUSES = ['NOT_CANDIDATE', 'HAS_EXISTING_SUPPORT', 'ELIGIBLE'] as const;
export type ContactPersonStatus = (typeof CONTACT_PERSON_STATUSES)[number];

/** CANCELLED (issue 15): cancelled with a reason; the action stays, with its history. */
export type PlanActionStatus = 'OPEN' | 'DONE' | 'CANCELLED';

/**
 * Who changes a plan action, beyond the subject recorded as `createdBy`, `completedBy`, ...: the token's
 * role and unit, kept in the action's history (store/planHistory.ts). Absent parts are recorded as unknown.
 */
export interface ChangeActor {
  actorRole?: string | null | undefined;
  actorUnit?: string | null | undefined;
}

/** The handover transitions a plan action may fulfil (children's to adults' services). */
export const HANDOVER_TRANSITIONS = ['COORDINATING_MEETING_16_5', 'JOBCENTER_ADVISOR_17', 'TRANSFER_18'] as const;
export type HandoverTransition = (typeof HANDOVER_TRANSITIONS)[number];

/** Where a young person went when the contact-person assignment ended (the social-fund project's 80/10/10). */
export const ASSIGNMENT_OUTCOMES = ['ORDINARY_EDUCATION', 'PREPARATORY_OR_UPSKILLING', 'OTHER'] as const;
export type AssignmentOutcome = (typeof ASSIGNMENT_OUTCOMES)[number];
export type ScreeningRunStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED';

/** On what an assignment rests: the candidate rules (the note's estimate) or a professional's judgement. */
export const ASSIGNMENT_BASES = ['RULE', 'JUDGEMENT'] as const;
export type AssignmentBasis = (typeof ASSIGNMENT_BASES)[number];

/**
 * Why an assignment ended. The note: "frem til det 25. år eller indtil den unge er forankret i en
 * ungdomsuddannelse eller har fast tilknytning til arbejdsmarkedet"; MOVED, DECLINED and OTHER (with
 * words) are the ends the note does not name but a caseworker meets.
 */
export const ASSIGNMENT_END_CODES = ['TURNED_25', 'ANCHORED_IN_EDUCATION', 'ANCHORED_IN_WORK', 'MOVED', 'DECLINED', 'OTHER'] as const;
export type AssignmentEndCode = (typeof ASSIGNMENT_END_CODES)[number];

/** What the daily job found that makes an assignment due for review (anchoring, rules/anchoring.ts). */
export const REVIEW_REASONS = ['ANCHORED_IN_EDUCATION', 'ANCHORED_IN_WORK'] as const;
export type ReviewReason = (typeof REVIEW_REASONS)[number];

export interface ContactPerson {
  id: string;
  name: string;
  email: string;
  unit: string;
  caseloadLimit: number;
  active: boolean;
  createdAt: string;
  /** Active assignments now. */
  activeCaseload: number;
}

export interface Capacity {
  funded: number;
  /** Active assignments across all contact persons. */
  active: number;
  /** max(0, active - funded): assignments beyond what is funded (an extra cost). */
  overCapacity: number;
  /** max(0, funded - active): assignments still within the funded capacity. */
  available: number;
  /** Free places on active contact persons' caseloads (the other limit an assignment meets). */
  caseloadAvailable: number;
}

export interface Assignment {
  id: string;
  youthId: string;
  contactPersonId: string;
  startedAt: string;
  endedAt: string | null;
  endReason: string | null;
  endedBy: string | null;
  assignedBy: string;
  note: string | null;
  /** Made while the funded capacity was used up. */
  overCapacity: boolean;
  /** Recorded when the assignment ended (null while active, and for assignments ended before outcomes were kept). */
  outcome: AssignmentOutcome | null;
  /** RULE: the candidate rules marked the young person ELIGIBLE; JUDGEMENT: a professional decided otherwise. */
  basis: AssignmentBasis;
  /** What the rules advised when the assignment was made (null for assignments made before 004). */
  eligibilityAtAssignment: ContactPersonStatus | null;
  candidateRuleAtAssignment: string | null;
  /** Why, in the professional's words; required for JUDGEMENT. */
  justification: string | null;
  /** How the contact person works with the existing mentor or social-law contact person. */
  supportCoordination: string | null;
  youthBirthDate: string | null;
  /** Calendar dates (`YYYY-MM-DD`) of the start and the end, as the rules count days. */
  startedOn: string | null;
  endCode: AssignmentEndCode | null;
  endedOn: string | null;
  /** Set while the systems show the young person anchored: a professional should decide whether to end. */
  reviewReason: ReviewReason | null;
  reviewDueSince: string | null;
}

export interface PlanAction {
  id: string;
  youthId: string;
  title: string;
  description: string | null;
  ownerUnit: Unit;
  due: string | null;
  status: PlanActionStatus;
  createdBy: string;
  createdAt: string;
  completedBy: string | null;
  completedAt: string | null;
  /** The handover transition the action fulfils, if any, and the day it falls due. */
  transition: HandoverTransition | null;
  transitionDue: string | null;
  /** Cancelled (issue 15): when, by whom and why; null unless CANCELLED. */
  cancelledAt: string | null;
  cancelledBy: string | null;
  cancelledReason: string | null;
  /** The meeting the action was agreed at (store/meetings.ts); null when none is recorded. */
  meetingId: string | null;
}

export interface JointDecision {
  id: string;
  youthId: string;
  decidedAt: string;
  summary: string;
  units: Unit[];
  recordedBy: string;
  recordedAt: string;
  /** The meeting the decision was taken at (store/meetings.ts); null when none is recorded. */
  meetingId: string | null;
}

/**
 * One young person as the screening batch job evaluated them. Enumerated fields are plain strings
 * here (they arrive from the rules and GraphQL); the store checks them against the known values.
 */
export interface ScreeningRow {
  youthId: string;
  /** `YYYY-MM-DD` */
  birthDate: string;
  schoolId: string | null;
  grade: number | null;
  /** Values of `INDICATORS`. */
  indicators: readonly string[];
  inTargetGroup: boolean;
  /** One of `CONTACT_PERSON_STATUSES`. */
  contactPersonStatus: string;
  institutionIds: readonly string[];
  /** UU records a completed youth education. Default false. */
  completedYouthEducation?: boolean | undefined;
  /** An open case in a family group (1-4) or the special group for children. Default false. */
  childrensCase?:
    | boolean
    | undefined; /** Need to know: who the systems name and which systems hold a record (platform/authorization/relation.ts). Default none. */
  counsellor?: string | null | undefined;
  advisorId?: string | null | undefined;
  caseworkerIds?: readonly string[] | undefined;
  socialUnits?: readonly string[] | undefined;
  recordUnits?: readonly string[] | undefined;
  /** Worklists (migration 008): the name UU's register holds, for `nameContains` and the NAME order. */
  firstName?: string | null | undefined;
  lastName?: string | null | undefined;
  /** The jobcenter's visitation date (its advisor takes the young person on), `YYYY-MM-DD`. */
  jobcenterReferred?: string | null | undefined;
  /** The earliest case on the adults' side (special group for adults, or aftercare from 18), `YYYY-MM-DD`. */
  adultsCaseOpened?: string | null | undefined;
  /** Migration 010 (reporting/measures.ts): open social cases, and of them those whose goal points to education or work. Default 0. */
  openSocialCases?: number | undefined;
  openSocialCasesEducationGoal?: number | undefined;
  /** Migration 010: without a completed youth education, but enrolled in education or in full-time work. Default false. */
  educationUnderWay?: boolean | undefined;
}

/** A row of the screening register as read back. */
export interface ScreeningRecord {
  youthId: string;
  birthDate: string;
  schoolId: string | null;
  grade: number | null;
  indicators: Indicator[];
  inTargetGroup: boolean;
  contactPersonStatus: ContactPersonStatus;
  institutionIds: string[];
  completedYouthEducation: boolean;
  childrensCase: boolean;
  screenedAt: string;
}

export interface ScreeningRun {
  id: number;
  startedAt: string;
  finishedAt: string | null;
  asOf: string | null;
  youths: number | null;
  status: ScreeningRunStatus;
  error: string | null;
}

export interface ScreeningStatus {
  lastRun: ScreeningRun | null;
  lastSucceededRun: ScreeningRun | null;
  /** Young people in the register now. */
  youths: number;
}

export interface AssignContactPersonInput {
  youthId: string;
  contactPersonId: string;
  assignedBy: string;
  note?: string | null | undefined;
  /** The municipality's funded capacity (`CONTACT_PERSON_FUNDED_CAPACITY`). */
  fundedCapacity: number;
  /** Assign even when the funded capacity is used up (recorded as over capacity). */
  acceptOverCapacity: boolean;
  /** Default RULE. JUDGEMENT needs `justification` (JUSTIFICATION_MIN). */
  basis?: string | undefined;
  /** What the rules advised (one of `CONTACT_PERSON_STATUSES`); HAS_EXISTING_SUPPORT needs `supportCoordination`. */
  eligibilityStatus?: string | null | undefined;
  candidateRule?: string | null | undefined;
  justification?: string | null | undefined;
  supportCoordination?: string | null | undefined;
  /** `YYYY-MM-DD`: kept so the daily job can end the assignment at 25. */
  youthBirthDate?: string | null | undefined;
  /** `YYYY-MM-DD`: the day the assignment starts (the rules' today). */
  startedOn?: string | null | undefined;
  /** The same key from the same actor for the same operation returns the first result (idempotency.ts). */
  idempotencyKey?: string | null | undefined;
}

export interface EndAssignmentInput {
  /** Whose active assignment ends; or name the assignment itself (`assignmentId`). One of the two. */
  youthId?: string | null | undefined;
  assignmentId?: string | null | undefined;
  /** One of `ASSIGNMENT_END_CODES`; absent means OTHER (the words in `reason` say why). */
  endCode?: string | null | undefined;
  /** The words: required for OTHER (and when `endCode` is absent), optional otherwise. */
  reason?: string | null | undefined;
  /** `YYYY-MM-DD`: the day it ended; default `today`; not after `today`, not before the start. */
  endedOn?: string | null | undefined;
  /** `YYYY-MM-DD`: the rules' today; default the municipality's calendar day now. */
  today?: string | undefined;
  /** One of `ASSIGNMENT_OUTCOMES`; the graph requires it, the store accepts its absence (null). */
  outcome?: string | null | undefined;
  endedBy: string;
  /** The same key from the same actor for the same operation returns the first result (idempotency.ts). */
  idempotencyKey?: string | null | undefined;
}

export interface CreateContactPersonInput {
  /** Default: derived from the name (`gkp-` + letters). */
  id?: string | null | undefined;
  name: string;
  email: string;
  unit?: string | null | undefined;
  /** Default `CASELOAD_LIMIT.default` (or the configured CONTACT_PERSON_CASELOAD). */
  caseloadLimit?: number | null | undefined;
  changedBy: string;
  idempotencyKey?: string | null | undefined;
}

export interface ContactPersonChangeInput {
  contactPersonId: string;
  changedBy: string;
  idempotencyKey?: string | null | undefined;
}

export interface DailyJobClaim {
  /** The day's assignment review, or the month's measure snapshot (run date the 1st; migration 010). */
  job: 'assignment-review' | 'measure-snapshot';
  runDate: string;
  holder: string;
  attempt: number;
}

export interface AddPlanActionInput extends ChangeActor {
  youthId: string;
  title: string;
  description?: string | null | undefined;
  /** One of `UNITS`. */
  ownerUnit: string;
  /** `YYYY-MM-DD` */
  due?: string | null | undefined;
  /** One of `HANDOVER_TRANSITIONS`; needs `transitionDue`. */
  transition?: string | null | undefined;
  /** `YYYY-MM-DD`: when the transition falls due; given exactly when `transition` is. */
  transitionDue?: string | null | undefined;
  /** The meeting it was agreed at: a meeting of the same young person. */
  meetingId?: string | null | undefined;
  createdBy: string;
  /** The same key from the same actor for the same operation returns the first result (idempotency.ts). */
  idempotencyKey?: string | null | undefined;
}

export interface CompletePlanActionInput extends ChangeActor {
  actionId: string;
  completedBy: string;
  /** The same key from the same actor for the same operation returns the first result (idempotency.ts). */
  idempotencyKey?: string | null | undefined;
}

export interface RecordJointDecisionInput {
  youthId: string;
  summary: string;
  /** At least two different `UNITS`. */
  units: readonly string[];
  recordedBy: string;
  /** When the decision was made (ISO date or date-time); default now. Not in the future. */
  decidedAt?: string | Date | null | undefined;
  /** The meeting it was taken at: a meeting of the same young person. */
  meetingId?: string | null | undefined;
  /** The same key from the same actor for the same operation returns the first result (idempotency.ts). */
  idempotencyKey?: string | null | undefined;
}

export interface ScreeningRunInfo {
  /** Accepted for the batch job's convenience; the store stamps its own finish time. */
  finishedAt?: string | Date | undefined;
  /** When the batch job began reading the systems; stamps every row. Default now. */
  startedAt?: string | Date | undefined;
  /** The date the rules were evaluated at. */
  asOf?: string | undefined;
  /** An empty run deletes the whole register; refused unless said on purpose. */
  allowEmpty?: boolean | undefined;
  /** Rows per statement. Default 1000. */
  chunkSize?: number | undefined;
}

export interface ScreeningQuery {
  /** False: the page only, without the count over the whole filter (a list not asked for its `totalCount`). */
  count?: boolean | undefined;
  inTargetGroup?: boolean | undefined;
  /** Rows with this indicator (one of `INDICATORS`). */
  indicator?: string | undefined;
  /** Rows with every one of these indicators. */
  indicatorsAll?: readonly string[] | undefined;
  /** Age in whole years at `asOf`, inclusive bounds. */
  ageMin?: number | undefined;
  ageMax?: number | undefined;
  /** `YYYY-MM-DD`: the date ages are counted at. */
  asOf: string;
  /** One status, or a list meaning any of them (candidates: ELIGIBLE and HAS_EXISTING_SUPPORT). */
  contactPersonStatus?: string | readonly string[] | undefined;
  schoolId?: string | undefined;
  /** Rows linked to this partner institution (the row-level scope of institution tokens). */
  institutionId?: string | undefined;
  /** Need to know: only the young people this municipal caller has a relation to (store/relations.ts). */
  relation?: { caller: RelationCaller; today: string } | undefined;
  /**
   * Consent (issue 14): filtering on facts derived from other units' data lists a 25-29-year-old only
   * when each of these units (those not the caller's own) is covered by their active consent, so that a
   * filter never says what the field itself would withhold (store/consents.ts `sharingCondition`).
   */
  sharing?: { units: readonly string[] } | undefined;
  /** Worklists: something of these kinds is due within the window (store/worklist.ts `dueWindow`). */
  due?: DueWindow | undefined;
  /** Worklists: only the young people the systems name this caller for (or not, when false). */
  mine?: { caller: RelationCaller; value: boolean } | undefined;
  /** Worklists: a case-insensitive part of the first or last name, 2-100 characters. */
  nameContains?: string | undefined;
  /** ID (the register's order, by youthId; default), NAME (last name, first name) or DUE_DATE (needs `due`). */
  order?: ScreeningOrder | undefined;
  /** Keyset cursor: the previous page's last `positions` entry (for ID, its youthId). */
  after?: string | undefined;
  /** Page size, `PAGE_SIZE` (limits.ts). */
  first: number;
}

export type ScreeningOrder = 'ID' | 'NAME' | 'DUE_DATE';

export interface ScreeningPage {
  rows: ScreeningRecord[];
  hasNextPage: boolean;
  /** Rows matching the filter, all pages; null when not counted (`ScreeningQuery.count` false). */
  totalCount: number | null;
  /** The last row's youthId, to pass as `after`. */
  endCursor: string | null;
  /** Each row's keyset position in the page's order (youthId for ID; an opaque string otherwise), for `after`. */
  positions: string[];
}

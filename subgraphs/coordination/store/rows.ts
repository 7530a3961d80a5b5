import { constraintName, sqlState } from '../../../platform/db/database.js';
import { StoreError } from './errors.js';
import type {
  Assignment,
  AssignmentBasis,
  AssignmentEndCode,
  AssignmentOutcome,
  ReviewReason,
  ContactPerson,
  ContactPersonStatus,
  HandoverTransition,
  Indicator,
  JointDecision,
  PlanAction,
  PlanActionStatus,
  ScreeningRecord,
  ScreeningRun,
  ScreeningRunStatus,
  Unit,
} from './types.js';

/**
 * The tables' rows as the driver returns them, the column lists that select them, and the mappers
 * to the store's records; plus the few helpers every aggregate's module shares (errors a constraint
 * raised, one-row results, DataLoader's key order). Only the store's modules import this file.
 */

export const ASSIGNMENT_COLUMNS = `id::text AS id, youth_id, contact_person_id, started_at, ended_at, end_reason, ended_by,
  assigned_by, note, over_capacity, outcome, basis, eligibility_status, candidate_rule, justification, support_coordination,
  youth_birth_date::text AS youth_birth_date, started_on::text AS started_on, end_code, ended_on::text AS ended_on,
  review_reason, review_due_since::text AS review_due_since`;
export const PLAN_ACTION_COLUMNS = `id::text AS id, youth_id, title, description, owner_unit, due::text AS due, status, created_by,
  created_at, completed_by, completed_at, transition, transition_due::text AS transition_due, cancelled_at, cancelled_by,
  cancelled_reason, meeting_id::text AS meeting_id`;
export const JOINT_DECISION_COLUMNS = `id::text AS id, youth_id, decided_at, summary, units, recorded_by, recorded_at,
  meeting_id::text AS meeting_id`;
export const SCREENING_COLUMNS = `youth_id, birth_date::text AS birth_date, school_id, grade, indicators, in_target_group,
  contact_person_status, institution_ids, completed_youth_education, childrens_case, screened_at`;
export const RUN_COLUMNS = `id::int AS id, started_at, finished_at, as_of::text AS as_of, youths, status, error`;
export const CONTACT_PERSON_SELECT = `
  SELECT cp.id, cp.name, cp.email, cp.unit, cp.caseload_limit, cp.active, cp.created_at,
         (SELECT count(*)::int FROM contact_person_assignments a WHERE a.contact_person_id = cp.id AND a.ended_at IS NULL)
           AS active_caseload
    FROM contact_persons cp`;

export interface AssignmentRow {
  id: string;
  youth_id: string;
  contact_person_id: string;
  started_at: Date | string;
  ended_at: Date | string | null;
  end_reason: string | null;
  ended_by: string | null;
  assigned_by: string;
  note: string | null;
  over_capacity: boolean;
  outcome: AssignmentOutcome | null;
  basis: AssignmentBasis;
  eligibility_status: ContactPersonStatus | null;
  candidate_rule: string | null;
  justification: string | null;
  support_coordination: string | null;
  youth_birth_date: string | null;
  started_on: string | null;
  end_code: AssignmentEndCode | null;
  ended_on: string | null;
  review_reason: ReviewReason | null;
  review_due_since: string | null;
}

export interface PlanActionRow {
  id: string;
  youth_id: string;
  title: string;
  description: string | null;
  owner_unit: Unit;
  due: string | null;
  status: PlanActionStatus;
  created_by: string;
  created_at: Date | string;
  completed_by: string | null;
  completed_at: Date | string | null;
  transition: HandoverTransition | null;
  transition_due: string | null;
  cancelled_at: Date | string | null;
  cancelled_by: string | null;
  cancelled_reason: string | null;
  meeting_id: string | null;
}

export interface JointDecisionRow {
  id: string;
  youth_id: string;
  decided_at: Date | string;
  summary: string;
  units: Unit[];
  recorded_by: string;
  recorded_at: Date | string;
  meeting_id: string | null;
}

export interface ContactPersonRow {
  id: string;
  name: string;
  email: string;
  unit: string;
  caseload_limit: number;
  active: boolean;
  created_at: Date | string;
  active_caseload: number;
}

export interface ScreeningDbRow {
  youth_id: string;
  birth_date: string;
  school_id: string | null;
  grade: number | null;
  indicators: Indicator[];
  in_target_group: boolean;
  contact_person_status: ContactPersonStatus;
  institution_ids: string[];
  completed_youth_education: boolean;
  childrens_case: boolean;
  screened_at: Date | string;
}

export interface RunRow {
  id: number;
  started_at: Date | string;
  finished_at: Date | string | null;
  as_of: string | null;
  youths: number | null;
  status: ScreeningRunStatus;
  error: string | null;
}

// ------------------------------------------------------------------ shared helpers

export function alreadyAssigned(contactPersonName: string | null): StoreError {
  return new StoreError(
    'ALREADY_ASSIGNED',
    contactPersonName
      ? `the young person already has an active contact person (${contactPersonName}); end that assignment first`
      : 'the young person already has an active contact person; end that assignment first',
  );
}

/** Maps what a constraint refused to the store's codes; anything else is a fault and passes as is. */
export function translate(err: unknown): unknown {
  if (err instanceof StoreError) return err;
  const code = sqlState(err);
  const constraint = constraintName(err);
  if (code === '23505' && constraint === 'contact_person_assignments_one_active_per_youth') return alreadyAssigned(null);
  if (code === '23503') return new StoreError('NOT_FOUND', 'a referenced record does not exist');
  if (code === '23514' || code === '23502' || code === '22001' || code === '22007' || code === '22008') {
    return new StoreError('BAD_USER_INPUT', `the input was refused by the rule ${constraint ?? code}`);
  }
  return err;
}

export function single<T>(rows: T[]): T {
  const row = rows[0];
  if (row === undefined) throw new Error('expected one row, got none');
  return row;
}

export function unique(keys: string[]): string[] {
  return [...new Set(keys)];
}

export function groupInKeyOrder<R extends { youth_id: string }, T>(keys: string[], rows: R[], map: (row: R) => T): T[][] {
  const byYouth = new Map<string, T[]>();
  for (const row of rows) {
    const list = byYouth.get(row.youth_id);
    if (list) list.push(map(row));
    else byYouth.set(row.youth_id, [map(row)]);
  }
  // Each key gets its own array: DataLoader callers may mutate what they receive.
  return keys.map((key) => [...(byYouth.get(key) ?? [])]);
}

export function iso(value: Date | string): string;
export function iso(value: Date | string | null): string | null;
export function iso(value: Date | string | null): string | null {
  if (value === null) return null;
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

// ------------------------------------------------------------------ mappers

export function toContactPerson(row: ContactPersonRow): ContactPerson {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    unit: row.unit,
    caseloadLimit: row.caseload_limit,
    active: row.active,
    createdAt: iso(row.created_at),
    activeCaseload: row.active_caseload,
  };
}

export function toAssignment(row: AssignmentRow): Assignment {
  return {
    id: row.id,
    youthId: row.youth_id,
    contactPersonId: row.contact_person_id,
    startedAt: iso(row.started_at),
    endedAt: iso(row.ended_at),
    endReason: row.end_reason,
    endedBy: row.ended_by,
    assignedBy: row.assigned_by,
    note: row.note,
    overCapacity: row.over_capacity,
    outcome: row.outcome,
    basis: row.basis,
    eligibilityAtAssignment: row.eligibility_status,
    candidateRuleAtAssignment: row.candidate_rule,
    justification: row.justification,
    supportCoordination: row.support_coordination,
    youthBirthDate: row.youth_birth_date,
    startedOn: row.started_on,
    endCode: row.end_code,
    endedOn: row.ended_on,
    reviewReason: row.review_reason,
    reviewDueSince: row.review_due_since,
  };
}

export function toPlanAction(row: PlanActionRow): PlanAction {
  return {
    id: row.id,
    youthId: row.youth_id,
    title: row.title,
    description: row.description,
    ownerUnit: row.owner_unit,
    due: row.due,
    status: row.status,
    createdBy: row.created_by,
    createdAt: iso(row.created_at),
    completedBy: row.completed_by,
    completedAt: iso(row.completed_at),
    transition: row.transition,
    transitionDue: row.transition_due,
    cancelledAt: iso(row.cancelled_at),
    cancelledBy: row.cancelled_by,
    cancelledReason: row.cancelled_reason,
    meetingId: row.meeting_id,
  };
}

export function toJointDecision(row: JointDecisionRow): JointDecision {
  return {
    id: row.id,
    youthId: row.youth_id,
    decidedAt: iso(row.decided_at),
    summary: row.summary,
    units: row.units,
    recordedBy: row.recorded_by,
    recordedAt: iso(row.recorded_at),
    meetingId: row.meeting_id,
  };
}

export function toScreening(row: ScreeningDbRow): ScreeningRecord {
  return {
    youthId: row.youth_id,
    birthDate: row.birth_date,
    schoolId: row.school_id,
    grade: row.grade,
    indicators: row.indicators,
    inTargetGroup: row.in_target_group,
    contactPersonStatus: row.contact_person_status,
    institutionIds: row.institution_ids,
    completedYouthEducation: row.completed_youth_education,
    childrensCase: row.childrens_case,
    screenedAt: iso(row.screened_at),
  };
}

export function toRun(row: RunRow): ScreeningRun {
  return {
    id: row.id,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    asOf: row.as_of,
    youths: row.youths,
    status: row.status,
    error: row.error,
  };
}

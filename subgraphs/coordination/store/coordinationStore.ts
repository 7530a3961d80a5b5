import { constraintName, sqlState, type Database, type Queryable } from '../../../platform/db/database.js';
import { StoreError } from './errors.js';
import { LOCK_NAMESPACE } from '../../../platform/db/migrate.js';
import {
  ACTOR_MAX,
  ID_MAX,
  boolean,
  idempotencyKey,
  integer,
  isoDate,
  keyList,
  oneOf,
  optionalIsoDate,
  optionalText,
  requiredText,
  setOf,
  textSet,
  timestamp,
  uuid,
} from './validate.js';

export { StoreError, isStoreError, type StoreErrorCode } from './errors.js';

/**
 * The coordination subgraph's repository: contact-person assignments under the capacity rules, the
 * coordinated plan's actions, joint decisions, and the screening register. Every method validates its
 * input first (`BAD_USER_INPUT`) and writes in one transaction, so a refused call writes nothing.
 * Timestamps come back as ISO 8601 strings, dates as `YYYY-MM-DD`.
 */

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

export type PlanActionStatus = 'OPEN' | 'DONE';

/** The handover transitions a plan action may fulfil (children's to adults' services). */
export const HANDOVER_TRANSITIONS = ['COORDINATING_MEETING_16_5', 'JOBCENTER_ADVISOR_17', 'TRANSFER_18'] as const;
export type HandoverTransition = (typeof HANDOVER_TRANSITIONS)[number];

/** Where a young person went when the contact-person assignment ended (the social-fund project's 80/10/10). */
export const ASSIGNMENT_OUTCOMES = ['ORDINARY_EDUCATION', 'PREPARATORY_OR_UPSKILLING', 'OTHER'] as const;
export type AssignmentOutcome = (typeof ASSIGNMENT_OUTCOMES)[number];
export type ScreeningRunStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED';

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
}

export interface JointDecision {
  id: string;
  youthId: string;
  decidedAt: string;
  summary: string;
  units: Unit[];
  recordedBy: string;
  recordedAt: string;
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
  childrensCase?: boolean | undefined;
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
  idempotencyKey?: string | null | undefined;
}

export interface EndAssignmentInput {
  youthId: string;
  reason: string;
  /** One of `ASSIGNMENT_OUTCOMES`; the graph requires it, the store accepts its absence (null). */
  outcome?: string | null | undefined;
  endedBy: string;
  idempotencyKey?: string | null | undefined;
}

export interface AddPlanActionInput {
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
  createdBy: string;
  idempotencyKey?: string | null | undefined;
}

export interface CompletePlanActionInput {
  actionId: string;
  completedBy: string;
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
  /** Keyset cursor: the last youthId of the previous page. */
  after?: string | undefined;
  /** Page size, 1 to 1000. */
  first: number;
}

export interface ScreeningPage {
  rows: ScreeningRecord[];
  hasNextPage: boolean;
  /** Rows matching the filter, all pages. */
  totalCount: number;
  /** The last row's youthId, to pass as `after`. */
  endCursor: string | null;
}

const MAX_PAGE = 1000;
const MAX_AGE = 150;

const ASSIGNMENT_COLUMNS = `id::text AS id, youth_id, contact_person_id, started_at, ended_at, end_reason, ended_by,
  assigned_by, note, over_capacity, idempotency_key, end_idempotency_key, outcome`;
const PLAN_ACTION_COLUMNS = `id::text AS id, youth_id, title, description, owner_unit, due::text AS due, status, created_by,
  created_at, completed_by, completed_at, idempotency_key, complete_idempotency_key, transition, transition_due::text AS transition_due`;
const JOINT_DECISION_COLUMNS = `id::text AS id, youth_id, decided_at, summary, units, recorded_by, recorded_at, idempotency_key`;
const SCREENING_COLUMNS = `youth_id, birth_date::text AS birth_date, school_id, grade, indicators, in_target_group,
  contact_person_status, institution_ids, completed_youth_education, childrens_case, screened_at`;
const RUN_COLUMNS = `id::int AS id, started_at, finished_at, as_of::text AS as_of, youths, status, error`;

interface AssignmentRow {
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
  idempotency_key: string | null;
  end_idempotency_key: string | null;
  outcome: AssignmentOutcome | null;
}

interface PlanActionRow {
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
  idempotency_key: string | null;
  complete_idempotency_key: string | null;
  transition: HandoverTransition | null;
  transition_due: string | null;
}

interface JointDecisionRow {
  id: string;
  youth_id: string;
  decided_at: Date | string;
  summary: string;
  units: Unit[];
  recorded_by: string;
  recorded_at: Date | string;
  idempotency_key: string | null;
}

interface ContactPersonRow {
  id: string;
  name: string;
  email: string;
  unit: string;
  caseload_limit: number;
  active: boolean;
  created_at: Date | string;
  active_caseload: number;
}

interface ScreeningDbRow {
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

interface RunRow {
  id: number;
  started_at: Date | string;
  finished_at: Date | string | null;
  as_of: string | null;
  youths: number | null;
  status: ScreeningRunStatus;
  error: string | null;
}

export class CoordinationStore {
  constructor(private readonly db: Database) {}

  // ---------------------------------------------------------------- contact persons and capacity

  async listContactPersons(options: { includeInactive?: boolean } = {}): Promise<ContactPerson[]> {
    const { rows } = await this.db.query<ContactPersonRow>(
      `${CONTACT_PERSON_SELECT} WHERE cp.active OR $1 ORDER BY cp.name, cp.id`,
      [options.includeInactive === true],
    );
    return rows.map(toContactPerson);
  }

  async getContactPerson(id: string): Promise<ContactPerson | null> {
    const contactPersonId = requiredText('id', id, ID_MAX);
    const { rows } = await this.db.query<ContactPersonRow>(`${CONTACT_PERSON_SELECT} WHERE cp.id = $1`, [contactPersonId]);
    return rows[0] ? toContactPerson(rows[0]) : null;
  }

  /** Batched for DataLoader: one result per id, in key order, null for an unknown id (inactive ones included). */
  async getContactPersons(ids: readonly string[]): Promise<(ContactPerson | null)[]> {
    const keys = keyList('ids', ids);
    if (keys.length === 0) return [];
    const { rows } = await this.db.query<ContactPersonRow>(`${CONTACT_PERSON_SELECT} WHERE cp.id = ANY($1::text[])`, [unique(keys)]);
    const byId = new Map(rows.map((row) => [row.id, toContactPerson(row)]));
    return keys.map((key) => byId.get(key) ?? null);
  }

  async capacity(fundedCapacity: number): Promise<Capacity> {
    const funded = integer('fundedCapacity', fundedCapacity, 0, 1_000_000);
    const { rows } = await this.db.query<{ active: number; caseload_available: number }>(
      `SELECT
         (SELECT count(*)::int FROM contact_person_assignments WHERE ended_at IS NULL) AS active,
         (SELECT coalesce(sum(greatest(0, cp.caseload_limit - (
            SELECT count(*) FROM contact_person_assignments a WHERE a.contact_person_id = cp.id AND a.ended_at IS NULL
          ))), 0)::int FROM contact_persons cp WHERE cp.active) AS caseload_available`,
    );
    const active = rows[0]?.active ?? 0;
    return {
      funded,
      active,
      overCapacity: Math.max(0, active - funded),
      available: Math.max(0, funded - active),
      caseloadAvailable: rows[0]?.caseload_available ?? 0,
    };
  }

  // ---------------------------------------------------------------- assignments

  /**
   * Assigns a contact person to a young person. All assignments queue on one transaction-scoped
   * advisory lock (the capacity guard), so each one counts what every earlier one committed: neither
   * the contact person's caseload limit nor the funded capacity can be overrun by concurrent calls.
   */
  async assignContactPerson(input: AssignContactPersonInput): Promise<Assignment> {
    const youthId = requiredText('youthId', input.youthId, ID_MAX);
    const contactPersonId = requiredText('contactPersonId', input.contactPersonId, ID_MAX);
    const assignedBy = requiredText('assignedBy', input.assignedBy, ACTOR_MAX);
    const note = optionalText('note', input.note, 2000);
    const funded = integer('fundedCapacity', input.fundedCapacity, 0, 1_000_000);
    const acceptOverCapacity = boolean('acceptOverCapacity', input.acceptOverCapacity);
    const key = idempotencyKey(input.idempotencyKey);

    const sameRequest = (row: AssignmentRow): Assignment => {
      if (row.youth_id !== youthId || row.contact_person_id !== contactPersonId) throw keyReused(key);
      return toAssignment(row);
    };

    try {
      return await this.db.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_NAMESPACE, `capacity:${this.db.schema}`]);
        if (key) {
          const earlier = await assignmentWhere(tx, 'idempotency_key = $1', [key]);
          if (earlier) return sameRequest(earlier);
        }
        const person = (
          await tx.query<{ name: string; active: boolean; caseload_limit: number }>(
            'SELECT name, active, caseload_limit FROM contact_persons WHERE id = $1 FOR UPDATE',
            [contactPersonId],
          )
        ).rows[0];
        if (!person || !person.active) {
          throw new StoreError('NOT_FOUND', `no active contact person with id "${contactPersonId}"`, { contactPersonId });
        }
        const current = (
          await tx.query<{ contact_person_id: string; name: string }>(
            `SELECT a.contact_person_id, cp.name FROM contact_person_assignments a
               JOIN contact_persons cp ON cp.id = a.contact_person_id
              WHERE a.youth_id = $1 AND a.ended_at IS NULL`,
            [youthId],
          )
        ).rows[0];
        if (current) throw alreadyAssigned(current.name);
        const counts = (
          await tx.query<{ total: number; mine: number }>(
            `SELECT count(*)::int AS total, (count(*) FILTER (WHERE contact_person_id = $1))::int AS mine
               FROM contact_person_assignments WHERE ended_at IS NULL`,
            [contactPersonId],
          )
        ).rows[0] ?? { total: 0, mine: 0 };
        if (counts.mine >= person.caseload_limit) {
          throw new StoreError(
            'CAPACITY_EXCEEDED',
            `${person.name} already has ${counts.mine} young people, the caseload limit of ${person.caseload_limit}`,
            { limit: 'CASELOAD', limitValue: person.caseload_limit, active: counts.mine, contactPersonId },
          );
        }
        const overCapacity = counts.total >= funded;
        if (overCapacity && !acceptOverCapacity) {
          throw new StoreError(
            'CAPACITY_EXCEEDED',
            `the funded capacity of ${funded} contact-person assignments is used up (${counts.total} active); ` +
              'assign with acceptOverCapacity to exceed it at extra cost',
            { limit: 'FUNDED_CAPACITY', limitValue: funded, active: counts.total },
          );
        }
        const { rows } = await tx.query<AssignmentRow>(
          `INSERT INTO contact_person_assignments (youth_id, contact_person_id, assigned_by, note, over_capacity, idempotency_key)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${ASSIGNMENT_COLUMNS}`,
          [youthId, contactPersonId, assignedBy, note, overCapacity, key],
        );
        return toAssignment(single(rows));
      });
    } catch (err) {
      if (constraintName(err) === 'contact_person_assignments_one_active_per_youth') throw alreadyAssigned(null);
      if (key && constraintName(err) === 'contact_person_assignments_idempotency_key_unique') {
        const earlier = await assignmentWhere(this.db, 'idempotency_key = $1', [key]);
        if (earlier) return sameRequest(earlier);
      }
      throw translate(err);
    }
  }

  async endAssignment(input: EndAssignmentInput): Promise<Assignment> {
    const youthId = requiredText('youthId', input.youthId, ID_MAX);
    const reason = requiredText('reason', input.reason, 500);
    const outcome = input.outcome === undefined || input.outcome === null ? null : oneOf('outcome', input.outcome, ASSIGNMENT_OUTCOMES);
    const endedBy = requiredText('endedBy', input.endedBy, ACTOR_MAX);
    const key = idempotencyKey(input.idempotencyKey);

    const sameRequest = (row: AssignmentRow): Assignment => {
      if (row.youth_id !== youthId) throw keyReused(key);
      return toAssignment(row);
    };

    try {
      return await this.db.transaction(async (tx) => {
        if (key) {
          const earlier = await assignmentWhere(tx, 'end_idempotency_key = $1', [key]);
          if (earlier) return sameRequest(earlier);
        }
        const { rows } = await tx.query<AssignmentRow>(
          `UPDATE contact_person_assignments
              SET ended_at = greatest(now(), started_at), end_reason = $2, ended_by = $3, end_idempotency_key = $4, outcome = $5
            WHERE youth_id = $1 AND ended_at IS NULL
        RETURNING ${ASSIGNMENT_COLUMNS}`,
          [youthId, reason, endedBy, key, outcome],
        );
        if (rows[0]) return toAssignment(rows[0]);
        if (key) {
          // A concurrent call with the same key may have ended it while this one waited for the row.
          const earlier = await assignmentWhere(tx, 'end_idempotency_key = $1', [key]);
          if (earlier) return sameRequest(earlier);
        }
        throw new StoreError('NOT_ASSIGNED', `young person "${youthId}" has no active contact person`, { youthId });
      });
    } catch (err) {
      if (key && constraintName(err) === 'contact_person_assignments_end_idempotency_key_unique') {
        const earlier = await assignmentWhere(this.db, 'end_idempotency_key = $1', [key]);
        if (earlier) return sameRequest(earlier);
      }
      throw translate(err);
    }
  }

  async activeAssignment(youthId: string): Promise<Assignment | null> {
    const [assignment] = await this.activeAssignments([youthId]);
    return assignment ?? null;
  }

  /** Batched for DataLoader: one result per key, in key order, null where none is active. */
  async activeAssignments(youthIds: readonly string[]): Promise<(Assignment | null)[]> {
    const keys = keyList('youthIds', youthIds);
    if (keys.length === 0) return [];
    const { rows } = await this.db.query<AssignmentRow>(
      `SELECT ${ASSIGNMENT_COLUMNS} FROM contact_person_assignments WHERE youth_id = ANY($1::text[]) AND ended_at IS NULL`,
      [unique(keys)],
    );
    const byYouth = new Map(rows.map((row) => [row.youth_id, toAssignment(row)]));
    return keys.map((key) => byYouth.get(key) ?? null);
  }

  /** A young person's assignments, active and ended, newest first. */
  async assignmentHistory(youthId: string): Promise<Assignment[]> {
    const id = requiredText('youthId', youthId, ID_MAX);
    const { rows } = await this.db.query<AssignmentRow>(
      `SELECT ${ASSIGNMENT_COLUMNS} FROM contact_person_assignments WHERE youth_id = $1 ORDER BY started_at DESC, id`,
      [id],
    );
    return rows.map(toAssignment);
  }

  /** A contact person's assignments, newest first; ended ones too unless `activeOnly`. */
  async assignmentsFor(contactPersonId: string, options: { activeOnly?: boolean } = {}): Promise<Assignment[]> {
    const id = requiredText('contactPersonId', contactPersonId, ID_MAX);
    const { rows } = await this.db.query<AssignmentRow>(
      `SELECT ${ASSIGNMENT_COLUMNS} FROM contact_person_assignments
        WHERE contact_person_id = $1 AND (ended_at IS NULL OR NOT $2)
        ORDER BY started_at DESC, id`,
      [id, options.activeOnly === true],
    );
    return rows.map(toAssignment);
  }

  // ---------------------------------------------------------------- plan actions

  async addPlanAction(input: AddPlanActionInput): Promise<PlanAction> {
    const youthId = requiredText('youthId', input.youthId, ID_MAX);
    const title = requiredText('title', input.title, 200);
    const description = optionalText('description', input.description, 4000);
    const ownerUnit = oneOf('ownerUnit', input.ownerUnit, UNITS);
    const due = optionalIsoDate('due', input.due);
    const transition =
      input.transition === undefined || input.transition === null ? null : oneOf('transition', input.transition, HANDOVER_TRANSITIONS);
    const transitionDue = optionalIsoDate('transitionDue', input.transitionDue);
    if ((transition === null) !== (transitionDue === null)) {
      throw new StoreError('BAD_USER_INPUT', 'transition and transitionDue go together: give both or neither');
    }
    const createdBy = requiredText('createdBy', input.createdBy, ACTOR_MAX);
    const key = idempotencyKey(input.idempotencyKey);

    try {
      return await this.db.transaction(async (tx) => {
        const { rows } = await tx.query<PlanActionRow>(
          `INSERT INTO plan_actions (youth_id, title, description, owner_unit, due, created_by, idempotency_key, transition, transition_due)
           VALUES ($1, $2, $3, $4, $5::date, $6, $7, $8, $9::date)
           ON CONFLICT (idempotency_key) DO NOTHING
           RETURNING ${PLAN_ACTION_COLUMNS}`,
          [youthId, title, description, ownerUnit, due, createdBy, key, transition, transitionDue],
        );
        if (rows[0]) return toPlanAction(rows[0]);
        const earlier = (
          await tx.query<PlanActionRow>(`SELECT ${PLAN_ACTION_COLUMNS} FROM plan_actions WHERE idempotency_key = $1`, [key])
        ).rows[0];
        if (!earlier || earlier.youth_id !== youthId || earlier.title !== title || earlier.owner_unit !== ownerUnit) {
          throw keyReused(key);
        }
        return toPlanAction(earlier);
      });
    } catch (err) {
      throw translate(err);
    }
  }

  async getPlanAction(actionId: string): Promise<PlanAction | null> {
    const id = uuid('actionId', actionId);
    const { rows } = await this.db.query<PlanActionRow>(`SELECT ${PLAN_ACTION_COLUMNS} FROM plan_actions WHERE id = $1::uuid`, [id]);
    return rows[0] ? toPlanAction(rows[0]) : null;
  }

  async completePlanAction(input: CompletePlanActionInput): Promise<PlanAction> {
    const actionId = uuid('actionId', input.actionId);
    const completedBy = requiredText('completedBy', input.completedBy, ACTOR_MAX);
    const key = idempotencyKey(input.idempotencyKey);

    try {
      return await this.db.transaction(async (tx) => {
        const { rows } = await tx.query<PlanActionRow>(
          `UPDATE plan_actions
              SET status = 'DONE', completed_by = $2, completed_at = now(), complete_idempotency_key = $3
            WHERE id = $1::uuid AND status = 'OPEN'
        RETURNING ${PLAN_ACTION_COLUMNS}`,
          [actionId, completedBy, key],
        );
        if (rows[0]) return toPlanAction(rows[0]);
        const action = (
          await tx.query<PlanActionRow>(`SELECT ${PLAN_ACTION_COLUMNS} FROM plan_actions WHERE id = $1::uuid`, [actionId])
        ).rows[0];
        if (!action) throw new StoreError('NOT_FOUND', `no plan action with id "${actionId}"`, { actionId });
        if (key && action.complete_idempotency_key === key) return toPlanAction(action);
        throw new StoreError(
          'ALREADY_DONE',
          `plan action "${action.title}" was already completed by ${action.completed_by ?? 'someone'} at ${iso(action.completed_at)}`,
          { actionId },
        );
      });
    } catch (err) {
      throw translate(err);
    }
  }

  /** Batched for DataLoader: each young person's actions (oldest first), in key order, [] where none. */
  async planActions(youthIds: readonly string[]): Promise<PlanAction[][]> {
    const keys = keyList('youthIds', youthIds);
    if (keys.length === 0) return [];
    const { rows } = await this.db.query<PlanActionRow>(
      `SELECT ${PLAN_ACTION_COLUMNS} FROM plan_actions WHERE youth_id = ANY($1::text[]) ORDER BY created_at, id`,
      [unique(keys)],
    );
    return groupInKeyOrder(keys, rows, toPlanAction);
  }

  // ---------------------------------------------------------------- joint decisions

  async recordJointDecision(input: RecordJointDecisionInput): Promise<JointDecision> {
    const youthId = requiredText('youthId', input.youthId, ID_MAX);
    const summary = requiredText('summary', input.summary, 4000);
    const units = setOf('units', input.units, UNITS);
    if (units.length < 2) {
      throw new StoreError('BAD_USER_INPUT', `a joint decision needs at least two different units, got ${units.length}`);
    }
    const recordedBy = requiredText('recordedBy', input.recordedBy, ACTOR_MAX);
    const decidedAt =
      input.decidedAt === undefined || input.decidedAt === null ? new Date() : timestamp('decidedAt', input.decidedAt);
    if (decidedAt.getTime() > Date.now() + 5 * 60_000) {
      throw new StoreError('BAD_USER_INPUT', `decidedAt lies in the future: ${decidedAt.toISOString()}`);
    }
    const key = idempotencyKey(input.idempotencyKey);

    try {
      return await this.db.transaction(async (tx) => {
        const { rows } = await tx.query<JointDecisionRow>(
          `INSERT INTO joint_decisions (youth_id, decided_at, summary, units, recorded_by, idempotency_key)
           VALUES ($1, $2::timestamptz, $3, $4::text[], $5, $6)
           ON CONFLICT (idempotency_key) DO NOTHING
           RETURNING ${JOINT_DECISION_COLUMNS}`,
          [youthId, decidedAt.toISOString(), summary, units, recordedBy, key],
        );
        if (rows[0]) return toJointDecision(rows[0]);
        const earlier = (
          await tx.query<JointDecisionRow>(`SELECT ${JOINT_DECISION_COLUMNS} FROM joint_decisions WHERE idempotency_key = $1`, [
            key,
          ])
        ).rows[0];
        if (!earlier || earlier.youth_id !== youthId || earlier.summary !== summary) throw keyReused(key);
        return toJointDecision(earlier);
      });
    } catch (err) {
      throw translate(err);
    }
  }

  /** Batched for DataLoader: each young person's joint decisions (oldest first), in key order. */
  async jointDecisions(youthIds: readonly string[]): Promise<JointDecision[][]> {
    const keys = keyList('youthIds', youthIds);
    if (keys.length === 0) return [];
    const { rows } = await this.db.query<JointDecisionRow>(
      `SELECT ${JOINT_DECISION_COLUMNS} FROM joint_decisions WHERE youth_id = ANY($1::text[]) ORDER BY decided_at, id`,
      [unique(keys)],
    );
    return groupInKeyOrder(keys, rows, toJointDecision);
  }

  // ---------------------------------------------------------------- screening register

  /**
   * Replaces the register with one batch run's result: upserts in chunks and deletes the young people
   * the run did not see, all in one transaction (readers see the old register or the new, never half).
   * The run is recorded: RUNNING while it works, then SUCCEEDED, or FAILED with the error.
   */
  async replaceScreening(rows: readonly ScreeningRow[], runInfo: ScreeningRunInfo = {}): Promise<ScreeningRun> {
    if (!Array.isArray(rows)) throw new StoreError('BAD_USER_INPUT', 'rows must be a list');
    const startedAt = runInfo.startedAt === undefined ? new Date() : timestamp('startedAt', runInfo.startedAt);
    const asOf = optionalIsoDate('asOf', runInfo.asOf);
    const chunkSize = integer('chunkSize', runInfo.chunkSize ?? 1000, 1, 10_000);
    if (rows.length === 0 && runInfo.allowEmpty !== true) {
      throw new StoreError('BAD_USER_INPUT', 'a screening run with no young people would empty the register; pass allowEmpty to mean it');
    }
    const checked = rows.map((row, index) => checkScreeningRow(row, index));
    const seen = new Set<string>();
    for (const row of checked) {
      if (seen.has(row.youth_id)) throw new StoreError('BAD_USER_INPUT', `youthId "${row.youth_id}" appears twice in the run`);
      seen.add(row.youth_id);
    }

    const run = single(
      (
        await this.db.query<{ id: number }>(
          `INSERT INTO screening_runs (started_at, as_of, status) VALUES ($1::timestamptz, $2::date, 'RUNNING') RETURNING id::int AS id`,
          [startedAt.toISOString(), asOf],
        )
      ).rows,
    );
    try {
      return await this.db.transaction(async (tx) => {
        // Two runs at once would delete each other's rows: the later one waits for the earlier.
        await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_NAMESPACE, `screening:${this.db.schema}`]);
        for (let start = 0; start < checked.length; start += chunkSize) {
          await tx.query(
            `INSERT INTO youth_screening (youth_id, birth_date, school_id, grade, indicators, in_target_group,
                                          contact_person_status, institution_ids, completed_youth_education, childrens_case,
                                          screened_at, run_id)
             SELECT r.youth_id, r.birth_date, r.school_id, r.grade, r.indicators, r.in_target_group,
                    r.contact_person_status, r.institution_ids, r.completed_youth_education, r.childrens_case,
                    $2::timestamptz, $3::bigint
               FROM jsonb_to_recordset($1::jsonb) AS r(youth_id text, birth_date date, school_id text, grade integer,
                    indicators text[], in_target_group boolean, contact_person_status text, institution_ids text[],
                    completed_youth_education boolean, childrens_case boolean)
             ON CONFLICT (youth_id) DO UPDATE SET
               birth_date = excluded.birth_date, school_id = excluded.school_id, grade = excluded.grade,
               indicators = excluded.indicators, in_target_group = excluded.in_target_group,
               contact_person_status = excluded.contact_person_status, institution_ids = excluded.institution_ids,
               completed_youth_education = excluded.completed_youth_education, childrens_case = excluded.childrens_case,
               screened_at = excluded.screened_at, run_id = excluded.run_id`,
            [JSON.stringify(checked.slice(start, start + chunkSize)), startedAt.toISOString(), run.id],
          );
        }
        await tx.query('DELETE FROM youth_screening WHERE run_id <> $1::bigint', [run.id]);
        const { rows: finished } = await tx.query<RunRow>(
          `UPDATE screening_runs SET status = 'SUCCEEDED', finished_at = now(), youths = $2 WHERE id = $1::bigint
           RETURNING ${RUN_COLUMNS}`,
          [run.id, checked.length],
        );
        return toRun(single(finished));
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await this.db
        .query(`UPDATE screening_runs SET status = 'FAILED', finished_at = now(), error = $2 WHERE id = $1::bigint`, [
          run.id,
          message.slice(0, 2000),
        ])
        .catch(() => undefined); // the original error matters more than a failure to record it
      throw translate(err);
    }
  }

  /** Records a run that failed before it had rows to write (an upstream system was down, say). */
  async recordScreeningFailure(error: string, runInfo: Pick<ScreeningRunInfo, 'startedAt' | 'asOf'> = {}): Promise<ScreeningRun> {
    const message = requiredText('error', error, 100_000).slice(0, 2000);
    const startedAt = runInfo.startedAt === undefined ? new Date() : timestamp('startedAt', runInfo.startedAt);
    const asOf = optionalIsoDate('asOf', runInfo.asOf);
    const { rows } = await this.db.query<RunRow>(
      `INSERT INTO screening_runs (started_at, finished_at, as_of, status, error)
       VALUES ($1::timestamptz, now(), $2::date, 'FAILED', $3) RETURNING ${RUN_COLUMNS}`,
      [startedAt.toISOString(), asOf, message],
    );
    return toRun(single(rows));
  }

  /** One page of the register, ordered by youthId, with the count over the whole filter. */
  async queryScreening(query: ScreeningQuery): Promise<ScreeningPage> {
    const asOf = isoDate('asOf', query.asOf);
    const first = integer('first', query.first, 1, MAX_PAGE);
    const params: unknown[] = [];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    const where: string[] = [];
    if (query.inTargetGroup !== undefined && query.inTargetGroup !== null) {
      where.push(`in_target_group = ${param(boolean('inTargetGroup', query.inTargetGroup))}`);
    }
    if (query.indicator !== undefined && query.indicator !== null) {
      where.push(`indicators @> ARRAY[${param(oneOf('indicator', query.indicator, INDICATORS))}::text]`);
    }
    if (query.indicatorsAll !== undefined && query.indicatorsAll !== null) {
      const all = setOf('indicatorsAll', query.indicatorsAll, INDICATORS);
      if (all.length > 0) where.push(`indicators @> ${param(all)}::text[]`);
    }
    const ageMin = query.ageMin === undefined || query.ageMin === null ? undefined : integer('ageMin', query.ageMin, 0, MAX_AGE);
    const ageMax = query.ageMax === undefined || query.ageMax === null ? undefined : integer('ageMax', query.ageMax, 0, MAX_AGE);
    if (ageMin !== undefined && ageMax !== undefined && ageMin > ageMax) {
      throw new StoreError('BAD_USER_INPUT', `ageMin (${ageMin}) must not be above ageMax (${ageMax})`);
    }
    // Age in whole years at asOf >= n  <=>  born on or before asOf minus n years.
    if (ageMin !== undefined) {
      where.push(`birth_date <= (${param(asOf)}::date - make_interval(years => ${param(ageMin)}::int))::date`);
    }
    if (ageMax !== undefined) {
      where.push(`birth_date > (${param(asOf)}::date - make_interval(years => ${param(ageMax + 1)}::int))::date`);
    }
    if (query.contactPersonStatus !== undefined && query.contactPersonStatus !== null) {
      const statuses = Array.isArray(query.contactPersonStatus)
        ? setOf('contactPersonStatus', query.contactPersonStatus, CONTACT_PERSON_STATUSES)
        : [oneOf('contactPersonStatus', query.contactPersonStatus, CONTACT_PERSON_STATUSES)];
      if (statuses.length === 0) throw new StoreError('BAD_USER_INPUT', 'contactPersonStatus must name at least one status');
      where.push(`contact_person_status = ANY(${param(statuses)}::text[])`);
    }
    if (query.schoolId !== undefined && query.schoolId !== null) {
      where.push(`school_id = ${param(requiredText('schoolId', query.schoolId, ID_MAX))}`);
    }
    if (query.institutionId !== undefined && query.institutionId !== null) {
      where.push(`institution_ids @> ARRAY[${param(requiredText('institutionId', query.institutionId, ID_MAX))}::text]`);
    }
    const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const countParams = [...params];
    const after = query.after === undefined || query.after === null ? null : requiredText('after', query.after, ID_MAX);
    const pageFilter = after === null ? filter : `${filter ? `${filter} AND` : 'WHERE'} youth_id > ${param(after)}`;
    const limit = param(first + 1);

    // One snapshot for page and count, so the two agree.
    return this.db.transaction(
      async (tx) => {
        const page = await tx.query<ScreeningDbRow>(
          `SELECT ${SCREENING_COLUMNS} FROM youth_screening ${pageFilter} ORDER BY youth_id LIMIT ${limit}::int`,
          params,
        );
        const count = await tx.query<{ total: number }>(`SELECT count(*)::int AS total FROM youth_screening ${filter}`, countParams);
        const rows = page.rows.slice(0, first).map(toScreening);
        return {
          rows,
          hasNextPage: page.rows.length > first,
          totalCount: count.rows[0]?.total ?? 0,
          endCursor: rows.at(-1)?.youthId ?? null,
        };
      },
      { isolation: 'repeatable read', readOnly: true },
    );
  }

  /**
   * Runs read-only queries in one snapshot (repeatable read), so that figures computed by several
   * statements agree with each other. For the reporting aggregates (../reporting/reports.ts).
   */
  snapshot<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.db.transaction(work, { isolation: 'repeatable read', readOnly: true });
  }

  async screeningStatus(): Promise<ScreeningStatus> {
    const { rows } = await this.db.query<RunRow & { latest_kind: 'last' | 'succeeded'; register_size: number }>(
      `SELECT * FROM (
         (SELECT ${RUN_COLUMNS}, 'last' AS latest_kind FROM screening_runs ORDER BY started_at DESC, id DESC LIMIT 1)
         UNION ALL
         (SELECT ${RUN_COLUMNS}, 'succeeded' AS latest_kind FROM screening_runs WHERE status = 'SUCCEEDED'
           ORDER BY started_at DESC, id DESC LIMIT 1)
       ) AS runs RIGHT JOIN (SELECT count(*)::int AS register_size FROM youth_screening) AS register ON true`,
    );
    const last = rows.find((row) => row.latest_kind === 'last');
    const succeeded = rows.find((row) => row.latest_kind === 'succeeded');
    return {
      lastRun: last ? toRun(last) : null,
      lastSucceededRun: succeeded ? toRun(succeeded) : null,
      youths: rows[0]?.register_size ?? 0,
    };
  }
}

// ------------------------------------------------------------------ helpers

const CONTACT_PERSON_SELECT = `
  SELECT cp.id, cp.name, cp.email, cp.unit, cp.caseload_limit, cp.active, cp.created_at,
         (SELECT count(*)::int FROM contact_person_assignments a WHERE a.contact_person_id = cp.id AND a.ended_at IS NULL)
           AS active_caseload
    FROM contact_persons cp`;

async function assignmentWhere(db: Queryable, condition: string, params: unknown[]): Promise<AssignmentRow | undefined> {
  const { rows } = await db.query<AssignmentRow>(`SELECT ${ASSIGNMENT_COLUMNS} FROM contact_person_assignments WHERE ${condition}`, params);
  return rows[0];
}

function alreadyAssigned(contactPersonName: string | null): StoreError {
  return new StoreError(
    'ALREADY_ASSIGNED',
    contactPersonName
      ? `the young person already has an active contact person (${contactPersonName}); end that assignment first`
      : 'the young person already has an active contact person; end that assignment first',
  );
}

function keyReused(key: string | null): StoreError {
  return new StoreError('BAD_USER_INPUT', `idempotencyKey "${key ?? ''}" was already used for a different request`);
}

/** Maps what a constraint refused to the store's codes; anything else is a fault and passes as is. */
function translate(err: unknown): unknown {
  if (err instanceof StoreError) return err;
  const code = sqlState(err);
  const constraint = constraintName(err);
  if (code === '23505' && constraint?.endsWith('idempotency_key_unique')) {
    return new StoreError('BAD_USER_INPUT', 'idempotencyKey was already used for a different request');
  }
  if (code === '23505' && constraint === 'contact_person_assignments_one_active_per_youth') return alreadyAssigned(null);
  if (code === '23503') return new StoreError('NOT_FOUND', 'a referenced record does not exist');
  if (code === '23514' || code === '23502' || code === '22001' || code === '22007' || code === '22008') {
    return new StoreError('BAD_USER_INPUT', `the input was refused by the rule ${constraint ?? code}`);
  }
  return err;
}

function single<T>(rows: T[]): T {
  const row = rows[0];
  if (row === undefined) throw new Error('expected one row, got none');
  return row;
}

function unique(keys: string[]): string[] {
  return [...new Set(keys)];
}

function groupInKeyOrder<R extends { youth_id: string }, T>(keys: string[], rows: R[], map: (row: R) => T): T[][] {
  const byYouth = new Map<string, T[]>();
  for (const row of rows) {
    const list = byYouth.get(row.youth_id);
    if (list) list.push(map(row));
    else byYouth.set(row.youth_id, [map(row)]);
  }
  // Each key gets its own array: DataLoader callers may mutate what they receive.
  return keys.map((key) => [...(byYouth.get(key) ?? [])]);
}

function iso(value: Date | string): string;
function iso(value: Date | string | null): string | null;
function iso(value: Date | string | null): string | null {
  if (value === null) return null;
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

function toContactPerson(row: ContactPersonRow): ContactPerson {
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

function toAssignment(row: AssignmentRow): Assignment {
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
  };
}

function toPlanAction(row: PlanActionRow): PlanAction {
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
  };
}

function toJointDecision(row: JointDecisionRow): JointDecision {
  return {
    id: row.id,
    youthId: row.youth_id,
    decidedAt: iso(row.decided_at),
    summary: row.summary,
    units: row.units,
    recordedBy: row.recorded_by,
    recordedAt: iso(row.recorded_at),
  };
}

function toScreening(row: ScreeningDbRow): ScreeningRecord {
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

function toRun(row: RunRow): ScreeningRun {
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

type ScreeningInsertRow = Omit<ScreeningDbRow, 'screened_at'>;

function checkScreeningRow(row: ScreeningRow, index: number): ScreeningInsertRow {
  if (typeof row !== 'object' || row === null) throw new StoreError('BAD_USER_INPUT', `rows[${index}] must be an object`);
  const at = (field: string) => `rows[${index}].${field}`;
  const indicators = setOf(at('indicators'), row.indicators, INDICATORS);
  const inTargetGroup = boolean(at('inTargetGroup'), row.inTargetGroup);
  if (inTargetGroup && indicators.length === 0) {
    throw new StoreError('BAD_USER_INPUT', `${at('inTargetGroup')} is true but no indicator applies`);
  }
  return {
    youth_id: requiredText(at('youthId'), row.youthId, ID_MAX),
    birth_date: isoDate(at('birthDate'), row.birthDate),
    school_id: optionalText(at('schoolId'), row.schoolId, ID_MAX),
    grade: row.grade === null || row.grade === undefined ? null : integer(at('grade'), row.grade, 0, 10),
    indicators,
    in_target_group: inTargetGroup,
    contact_person_status: oneOf(at('contactPersonStatus'), row.contactPersonStatus, CONTACT_PERSON_STATUSES),
    institution_ids: textSet(at('institutionIds'), row.institutionIds ?? [], ID_MAX, 100),
    completed_youth_education: row.completedYouthEducation === undefined ? false : boolean(at('completedYouthEducation'), row.completedYouthEducation),
    childrens_case: row.childrensCase === undefined ? false : boolean(at('childrensCase'), row.childrensCase),
  };
}

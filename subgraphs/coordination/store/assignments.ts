import type { Database, Queryable } from '../../../platform/db/database.js';
import { LOCK_NAMESPACE } from '../../../platform/db/migrate.js';
import { StoreError } from './errors.js';
import { idempotentWrite } from './idempotency.js';
import { ACTOR_MAX, FUNDED_CAPACITY_MAX, ID_MAX, JUSTIFICATION_MIN, SUPPORT_COORDINATION_MIN, TEXT_MAX } from './limits.js';
import {
  ASSIGNMENT_COLUMNS,
  CONTACT_PERSON_SELECT,
  alreadyAssigned,
  single,
  toAssignment,
  toContactPerson,
  translate,
  unique,
  type AssignmentRow,
  type ContactPersonRow,
} from './rows.js';
import {
  ASSIGNMENT_BASES,
  ASSIGNMENT_END_CODES,
  ASSIGNMENT_OUTCOMES,
  CONTACT_PERSON_STATUSES,
  type AssignContactPersonInput,
  type Assignment,
  type AssignmentEndCode,
  type ContactPerson,
  type EndAssignmentInput,
} from './types.js';
import { boolean, integer, isoDate, keyList, oneOf, optionalIsoDate, optionalText, requiredText, uuid } from './validate.js';
import { isMeaningful } from '../rules/assignmentBasis.js';
import { todayIso } from '../../kit/dates.js';

const CANDIDATE_RULES = ['PUPIL_NOT_READY_WITH_SOCIAL_CASE', 'YOUNG_ADULT_OUTSIDE_EDUCATION_WITH_SOCIAL_CASE'] as const;

/** The words an ended assignment records when the caller gave none (the code says it all). */
const END_WORDS: Record<AssignmentEndCode, string> = {
  TURNED_25: 'Turned 25: the scheme runs until the 25th birthday',
  ANCHORED_IN_EDUCATION: 'Anchored in a youth education',
  ANCHORED_IN_WORK: 'Anchored in work',
  MOVED: 'Moved away from the municipality',
  DECLINED: 'The young person declined the contact person',
  OTHER: 'Other',
};

/**
 * The record a judgement assignment needs (the store checks it too, whatever the caller): written
 * reasons of a meaningful length, and with existing support how the coordination is arranged.
 */
function judgementRecord(input: AssignContactPersonInput) {
  const basis = input.basis === undefined ? 'RULE' : oneOf('basis', input.basis, ASSIGNMENT_BASES);
  const eligibilityStatus =
    input.eligibilityStatus === undefined || input.eligibilityStatus === null
      ? null
      : oneOf('eligibilityStatus', input.eligibilityStatus, CONTACT_PERSON_STATUSES);
  const candidateRule =
    input.candidateRule === undefined || input.candidateRule === null ? null : oneOf('candidateRule', input.candidateRule, CANDIDATE_RULES);
  const justification = optionalText('justification', input.justification, TEXT_MAX.justification);
  const supportCoordination = optionalText('supportCoordination', input.supportCoordination, TEXT_MAX.supportCoordination);
  if (basis === 'RULE' && eligibilityStatus !== null && eligibilityStatus !== 'ELIGIBLE') {
    throw new StoreError('BAD_USER_INPUT', `an assignment by rule needs the rules' ELIGIBLE, got ${eligibilityStatus}`, { field: 'basis' });
  }
  if (basis === 'JUDGEMENT' && !isMeaningful(justification, JUSTIFICATION_MIN)) {
    throw new StoreError(
      'JUSTIFICATION_REQUIRED',
      `the rules do not mark this young person (${eligibilityStatus ?? 'not assessed'}): assigning by judgement needs a written justification ` +
        `of at least ${JUSTIFICATION_MIN.characters} characters and ${JUSTIFICATION_MIN.words} words saying why several units' support is needed`,
      { field: 'justification' },
    );
  }
  if (justification !== null && !isMeaningful(justification, JUSTIFICATION_MIN)) {
    throw new StoreError(
      'JUSTIFICATION_REQUIRED',
      `a justification, when given, needs at least ${JUSTIFICATION_MIN.characters} characters and ${JUSTIFICATION_MIN.words} words`,
      { field: 'justification' },
    );
  }
  if (eligibilityStatus === 'HAS_EXISTING_SUPPORT' && !isMeaningful(supportCoordination, SUPPORT_COORDINATION_MIN)) {
    throw new StoreError(
      'COORDINATION_REQUIRED',
      'the young person already has a mentor or a social-law contact person, and the scheme replaces neither: say how the contact person ' +
        `and that person coordinate (supportCoordination, at least ${SUPPORT_COORDINATION_MIN.characters} characters and ${SUPPORT_COORDINATION_MIN.words} words)`,
      { field: 'supportCoordination' },
    );
  }
  if (supportCoordination !== null && !isMeaningful(supportCoordination, SUPPORT_COORDINATION_MIN)) {
    throw new StoreError(
      'COORDINATION_REQUIRED',
      `supportCoordination, when given, needs at least ${SUPPORT_COORDINATION_MIN.characters} characters and ${SUPPORT_COORDINATION_MIN.words} words`,
      { field: 'supportCoordination' },
    );
  }
  return { basis, eligibilityStatus, candidateRule, justification, supportCoordination };
}

/** Contact-person assignments: made under the capacity rules, ended with a reason and an outcome. */

/**
 * Assigns a contact person to a young person. All assignments queue on one transaction-scoped
 * advisory lock (the capacity guard), so each one counts what every earlier one committed: neither
 * the contact person's caseload limit nor the funded capacity can be overrun by concurrent calls.
 */
export async function assignContactPerson(db: Database, input: AssignContactPersonInput): Promise<Assignment> {
  const youthId = requiredText('youthId', input.youthId, ID_MAX);
  const contactPersonId = requiredText('contactPersonId', input.contactPersonId, ID_MAX);
  const assignedBy = requiredText('assignedBy', input.assignedBy, ACTOR_MAX);
  const note = optionalText('note', input.note, TEXT_MAX.note);
  const funded = integer('fundedCapacity', input.fundedCapacity, 0, FUNDED_CAPACITY_MAX);
  const acceptOverCapacity = boolean('acceptOverCapacity', input.acceptOverCapacity);
  const record = judgementRecord(input);
  const youthBirthDate = optionalIsoDate('youthBirthDate', input.youthBirthDate);
  const startedOn = optionalIsoDate('startedOn', input.startedOn);

  try {
    return await idempotentWrite(db, {
      operation: 'assignContactPerson',
      caller: assignedBy,
      key: input.idempotencyKey,
      load: assignmentById,
      sameRequest: (earlier) =>
        earlier.youthId === youthId && earlier.contactPersonId === contactPersonId && earlier.basis === record.basis,
      async write(tx) {
        await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_NAMESPACE, `capacity:${db.schema}`]);
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
            'CASELOAD_FULL',
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
          `INSERT INTO contact_person_assignments (youth_id, contact_person_id, assigned_by, note, over_capacity, basis,
             eligibility_status, candidate_rule, justification, support_coordination, youth_birth_date, started_on)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::date, $12::date) RETURNING ${ASSIGNMENT_COLUMNS}`,
          [
            youthId,
            contactPersonId,
            assignedBy,
            note,
            overCapacity,
            record.basis,
            record.eligibilityStatus,
            record.candidateRule,
            record.justification,
            record.supportCoordination,
            youthBirthDate,
            startedOn,
          ],
        );
        return toAssignment(single(rows));
      },
    });
  } catch (err) {
    throw translate(err);
  }
}

/**
 * Ends an assignment with a reason code (`ASSIGNMENT_END_CODES`; OTHER needs words) and the day it ended.
 * Named by the young person (their active assignment; NOT_ASSIGNED when none) or by the assignment's id
 * (ALREADY_ENDED when it has ended: an end is recorded once).
 */
export async function endAssignment(db: Database, input: EndAssignmentInput): Promise<Assignment> {
  const youthId = optionalText('youthId', input.youthId, ID_MAX);
  const assignmentId = input.assignmentId === undefined || input.assignmentId === null ? null : uuid('assignmentId', input.assignmentId);
  if ((youthId === null) === (assignmentId === null)) {
    throw new StoreError('BAD_USER_INPUT', 'name the assignment to end by youthId or by assignmentId (one of the two)', {
      field: 'youthId',
    });
  }
  const endCode: AssignmentEndCode =
    input.endCode === undefined || input.endCode === null ? 'OTHER' : oneOf('endCode', input.endCode, ASSIGNMENT_END_CODES);
  const words = optionalText('reason', input.reason, TEXT_MAX.endReason);
  if (endCode === 'OTHER' && words === null) {
    throw new StoreError('BAD_USER_INPUT', 'an end for another reason (OTHER) needs the reason in words', { field: 'reason' });
  }
  const reason = words ?? END_WORDS[endCode];
  const outcome = input.outcome === undefined || input.outcome === null ? null : oneOf('outcome', input.outcome, ASSIGNMENT_OUTCOMES);
  const endedBy = requiredText('endedBy', input.endedBy, ACTOR_MAX);
  const today = isoDate('today', input.today ?? todayIso());
  const endedOn = optionalIsoDate('endedOn', input.endedOn) ?? today;
  if (endedOn > today)
    throw new StoreError('BAD_USER_INPUT', `endedOn (${endedOn}) is in the future (today is ${today})`, { field: 'endedOn' });

  try {
    return await idempotentWrite(db, {
      operation: 'endContactPersonAssignment',
      caller: endedBy,
      key: input.idempotencyKey,
      load: assignmentById,
      // The key names the end it made, even after a new assignment started.
      sameRequest: (earlier) =>
        (assignmentId === null ? earlier.youthId === youthId : earlier.id === assignmentId) && earlier.endCode === endCode,
      write: (tx) => endInTransaction(tx, { youthId, assignmentId, endCode, reason, outcome, endedBy, endedOn }),
    });
  } catch (err) {
    throw translate(err);
  }
}

interface EndRecord {
  youthId: string | null;
  assignmentId: string | null;
  endCode: AssignmentEndCode;
  reason: string;
  outcome: string | null;
  endedBy: string;
  endedOn: string;
}

/** The end itself, in the caller's transaction (also the daily job's end at 25). */
export async function endInTransaction(tx: Queryable, end: EndRecord): Promise<Assignment> {
  const target = (
    await tx.query<{ id: string; youth_id: string; ended: boolean; started_on: string | null }>(
      `SELECT id::text AS id, youth_id, ended_at IS NOT NULL AS ended, started_on::text AS started_on FROM contact_person_assignments
        WHERE ${end.assignmentId === null ? 'youth_id = $1 AND ended_at IS NULL' : 'id = $1::uuid'} FOR UPDATE`,
      [end.assignmentId ?? end.youthId],
    )
  ).rows[0];
  if (!target) {
    if (end.assignmentId !== null)
      throw new StoreError('NOT_FOUND', `no contact-person assignment has the id "${end.assignmentId}"`, { field: 'assignmentId' });
    throw new StoreError('NOT_ASSIGNED', `young person "${end.youthId}" has no active contact person`, { youthId: end.youthId });
  }
  if (target.ended)
    throw new StoreError('ALREADY_ENDED', 'the assignment has already ended; an end is recorded once', { field: 'assignmentId' });
  if (target.started_on !== null && end.endedOn < target.started_on) {
    throw new StoreError('BAD_USER_INPUT', `endedOn (${end.endedOn}) is before the assignment started (${target.started_on})`, {
      field: 'endedOn',
    });
  }
  const { rows } = await tx.query<AssignmentRow>(
    `UPDATE contact_person_assignments
        SET ended_at = greatest(now(), started_at), end_reason = $2, ended_by = $3, outcome = $4, end_code = $5, ended_on = $6::date,
            review_reason = NULL, review_due_since = NULL
      WHERE id = $1::uuid AND ended_at IS NULL
  RETURNING ${ASSIGNMENT_COLUMNS}`,
    [target.id, end.reason, end.endedBy, end.outcome, end.endCode, end.endedOn],
  );
  return toAssignment(single(rows));
}

/** Batched for DataLoader: one result per key, in key order, null where none is active. */
export async function activeAssignments(db: Database, youthIds: readonly string[]): Promise<(Assignment | null)[]> {
  return activeByYouth(db, youthIds, '', toAssignment);
}

/** An active assignment as a dossier shows it: with its contact person, read in the same query. */
export interface AssignmentWithContactPerson extends Assignment {
  contactPerson: ContactPerson | null;
}

/**
 * `activeAssignments` with each assignment's contact person in the same round trip: the dossier asked for
 * the assignment, then for its contact person by id, two PostgreSQL round trips in sequence on the
 * first coordination call, which every other call of the dossier waits for (issue 16).
 */
export async function activeAssignmentsWithContactPersons(
  db: Database,
  youthIds: readonly string[],
): Promise<(AssignmentWithContactPerson | null)[]> {
  return activeByYouth(
    db,
    youthIds,
    `, (SELECT row_to_json(person) FROM (${CONTACT_PERSON_SELECT} WHERE cp.id = assignment.contact_person_id) person) AS contact_person`,
    (row: AssignmentRow & { contact_person?: ContactPersonRow | null }) => ({
      ...toAssignment(row),
      contactPerson: row.contact_person ? toContactPerson(row.contact_person) : null,
    }),
  );
}

/** The active assignment of each young person (one query), mapped, in key order, null where none. */
async function activeByYouth<T>(
  db: Database,
  youthIds: readonly string[],
  extraColumns: string,
  map: (row: AssignmentRow & { contact_person?: ContactPersonRow | null }) => T,
): Promise<(T | null)[]> {
  const keys = keyList('youthIds', youthIds);
  if (keys.length === 0) return [];
  const { rows } = await db.query<AssignmentRow & { contact_person?: ContactPersonRow | null }>(
    `SELECT ${ASSIGNMENT_COLUMNS}${extraColumns}
       FROM contact_person_assignments assignment
      WHERE assignment.youth_id = ANY($1::text[]) AND assignment.ended_at IS NULL`,
    [unique(keys)],
  );
  const byYouth = new Map(rows.map((row) => [row.youth_id, map(row)]));
  return keys.map((key) => byYouth.get(key) ?? null);
}

/** A young person's assignments, active and ended, newest first. */
export async function assignmentHistory(db: Database, youthId: string): Promise<Assignment[]> {
  const id = requiredText('youthId', youthId, ID_MAX);
  const { rows } = await db.query<AssignmentRow>(
    `SELECT ${ASSIGNMENT_COLUMNS} FROM contact_person_assignments WHERE youth_id = $1 ORDER BY started_at DESC, id`,
    [id],
  );
  return rows.map(toAssignment);
}

/** A contact person's assignments, newest first; ended ones too unless `activeOnly`. */
export async function assignmentsFor(db: Database, contactPersonId: string, options: { activeOnly?: boolean } = {}): Promise<Assignment[]> {
  const id = requiredText('contactPersonId', contactPersonId, ID_MAX);
  const { rows } = await db.query<AssignmentRow>(
    `SELECT ${ASSIGNMENT_COLUMNS} FROM contact_person_assignments
      WHERE contact_person_id = $1 AND (ended_at IS NULL OR NOT $2)
      ORDER BY started_at DESC, id`,
    [id, options.activeOnly === true],
  );
  return rows.map(toAssignment);
}

async function assignmentById(tx: Queryable, id: string): Promise<Assignment | undefined> {
  const { rows } = await tx.query<AssignmentRow>(`SELECT ${ASSIGNMENT_COLUMNS} FROM contact_person_assignments WHERE id = $1::uuid`, [id]);
  return rows[0] && toAssignment(rows[0]);
}

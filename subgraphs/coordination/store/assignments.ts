import type { Database, Queryable } from '../../../platform/db/database.js';
import { LOCK_NAMESPACE } from '../../../platform/db/migrate.js';
import { StoreError } from './errors.js';
import { idempotentWrite } from './idempotency.js';
import { ACTOR_MAX, FUNDED_CAPACITY_MAX, ID_MAX, TEXT_MAX } from './limits.js';
import { ASSIGNMENT_COLUMNS, alreadyAssigned, single, toAssignment, translate, unique, type AssignmentRow } from './rows.js';
import { ASSIGNMENT_OUTCOMES, type AssignContactPersonInput, type Assignment, type EndAssignmentInput } from './types.js';
import { boolean, integer, keyList, oneOf, optionalText, requiredText } from './validate.js';

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

  try {
    return await idempotentWrite(db, {
      operation: 'assignContactPerson',
      caller: assignedBy,
      key: input.idempotencyKey,
      load: assignmentById,
      sameRequest: (earlier) => earlier.youthId === youthId && earlier.contactPersonId === contactPersonId,
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
          `INSERT INTO contact_person_assignments (youth_id, contact_person_id, assigned_by, note, over_capacity)
           VALUES ($1, $2, $3, $4, $5) RETURNING ${ASSIGNMENT_COLUMNS}`,
          [youthId, contactPersonId, assignedBy, note, overCapacity],
        );
        return toAssignment(single(rows));
      },
    });
  } catch (err) {
    throw translate(err);
  }
}

export async function endAssignment(db: Database, input: EndAssignmentInput): Promise<Assignment> {
  const youthId = requiredText('youthId', input.youthId, ID_MAX);
  const reason = requiredText('reason', input.reason, TEXT_MAX.endReason);
  const outcome = input.outcome === undefined || input.outcome === null ? null : oneOf('outcome', input.outcome, ASSIGNMENT_OUTCOMES);
  const endedBy = requiredText('endedBy', input.endedBy, ACTOR_MAX);

  try {
    return await idempotentWrite(db, {
      operation: 'endContactPersonAssignment',
      caller: endedBy,
      key: input.idempotencyKey,
      load: assignmentById,
      // The key names the end it made, even after a new assignment started.
      sameRequest: (earlier) => earlier.youthId === youthId,
      async write(tx) {
        const { rows } = await tx.query<AssignmentRow>(
          `UPDATE contact_person_assignments
              SET ended_at = greatest(now(), started_at), end_reason = $2, ended_by = $3, outcome = $4
            WHERE youth_id = $1 AND ended_at IS NULL
        RETURNING ${ASSIGNMENT_COLUMNS}`,
          [youthId, reason, endedBy, outcome],
        );
        if (rows[0]) return toAssignment(rows[0]);
        throw new StoreError('NOT_ASSIGNED', `young person "${youthId}" has no active contact person`, { youthId });
      },
    });
  } catch (err) {
    throw translate(err);
  }
}

/** Batched for DataLoader: one result per key, in key order, null where none is active. */
export async function activeAssignments(db: Database, youthIds: readonly string[]): Promise<(Assignment | null)[]> {
  const keys = keyList('youthIds', youthIds);
  if (keys.length === 0) return [];
  const { rows } = await db.query<AssignmentRow>(
    `SELECT ${ASSIGNMENT_COLUMNS} FROM contact_person_assignments WHERE youth_id = ANY($1::text[]) AND ended_at IS NULL`,
    [unique(keys)],
  );
  const byYouth = new Map(rows.map((row) => [row.youth_id, toAssignment(row)]));
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

import type { Database, Queryable } from '../../../platform/db/database.js';
import { StoreError } from './errors.js';
import { idempotentWrite } from './idempotency.js';
import { requireMeetingOf } from './meetings.js';
import { ACTOR_MAX, DECIDED_AT_FUTURE_TOLERANCE_MS, ID_MAX, TEXT_MAX } from './limits.js';
import { JOINT_DECISION_COLUMNS, groupInKeyOrder, single, toJointDecision, translate, unique, type JointDecisionRow } from './rows.js';
import { UNITS, type JointDecision, type RecordJointDecisionInput } from './types.js';
import { keyList, requiredText, setOf, timestamp, uuid } from './validate.js';

/** Joint decisions across units (a success measure of the handover: their number should rise). */

export async function recordJointDecision(db: Database, input: RecordJointDecisionInput): Promise<JointDecision> {
  const youthId = requiredText('youthId', input.youthId, ID_MAX);
  const summary = requiredText('summary', input.summary, TEXT_MAX.summary);
  const units = setOf('units', input.units, UNITS);
  if (units.length < 2) {
    throw new StoreError('BAD_USER_INPUT', `a joint decision needs at least two different units, got ${units.length}`, { field: 'units' });
  }
  const recordedBy = requiredText('recordedBy', input.recordedBy, ACTOR_MAX);
  const decidedAt = input.decidedAt === undefined || input.decidedAt === null ? new Date() : timestamp('decidedAt', input.decidedAt);
  if (decidedAt.getTime() > Date.now() + DECIDED_AT_FUTURE_TOLERANCE_MS) {
    throw new StoreError('BAD_USER_INPUT', `decidedAt lies in the future: ${decidedAt.toISOString()}`, { field: 'decidedAt' });
  }
  const meetingId = input.meetingId === undefined || input.meetingId === null ? null : uuid('meetingId', input.meetingId);

  try {
    return await idempotentWrite(db, {
      operation: 'recordJointDecision',
      caller: recordedBy,
      key: input.idempotencyKey,
      load: jointDecisionById,
      sameRequest: (earlier) => earlier.youthId === youthId && earlier.summary === summary && earlier.meetingId === meetingId,
      async write(tx) {
        if (meetingId !== null) await requireMeetingOf(tx, meetingId, youthId);
        const { rows } = await tx.query<JointDecisionRow>(
          `INSERT INTO joint_decisions (youth_id, decided_at, summary, units, recorded_by, meeting_id)
           VALUES ($1, $2::timestamptz, $3, $4::text[], $5, $6::uuid)
           RETURNING ${JOINT_DECISION_COLUMNS}`,
          [youthId, decidedAt.toISOString(), summary, units, recordedBy, meetingId],
        );
        return toJointDecision(single(rows));
      },
    });
  } catch (err) {
    throw translate(err);
  }
}

/** Batched for DataLoader: each young person's joint decisions (oldest first), in key order. */
export async function jointDecisions(db: Database, youthIds: readonly string[]): Promise<JointDecision[][]> {
  const keys = keyList('youthIds', youthIds);
  if (keys.length === 0) return [];
  const { rows } = await db.query<JointDecisionRow>(
    `SELECT ${JOINT_DECISION_COLUMNS} FROM joint_decisions WHERE youth_id = ANY($1::text[]) ORDER BY decided_at, id`,
    [unique(keys)],
  );
  return groupInKeyOrder(keys, rows, toJointDecision);
}

async function jointDecisionById(db: Queryable, id: string): Promise<JointDecision | undefined> {
  const { rows } = await db.query<JointDecisionRow>(`SELECT ${JOINT_DECISION_COLUMNS} FROM joint_decisions WHERE id = $1::uuid`, [id]);
  return rows[0] && toJointDecision(rows[0]);
}

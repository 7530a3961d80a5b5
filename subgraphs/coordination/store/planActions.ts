import type { Database, Queryable } from '../../../platform/db/database.js';
import { StoreError } from './errors.js';
import { idempotentWrite } from './idempotency.js';
import { ACTOR_MAX, ID_MAX, TEXT_MAX } from './limits.js';
import { PLAN_ACTION_COLUMNS, groupInKeyOrder, iso, single, toPlanAction, translate, unique, type PlanActionRow } from './rows.js';
import { HANDOVER_TRANSITIONS, UNITS, type AddPlanActionInput, type CompletePlanActionInput, type PlanAction } from './types.js';
import { keyList, oneOf, optionalIsoDate, optionalText, requiredText, uuid } from './validate.js';

/** The coordinated plan's actions: who does what by when, across units, and when it was done. */

export async function addPlanAction(db: Database, input: AddPlanActionInput): Promise<PlanAction> {
  const youthId = requiredText('youthId', input.youthId, ID_MAX);
  const title = requiredText('title', input.title, TEXT_MAX.title);
  const description = optionalText('description', input.description, TEXT_MAX.description);
  const ownerUnit = oneOf('ownerUnit', input.ownerUnit, UNITS);
  const due = optionalIsoDate('due', input.due);
  const transition =
    input.transition === undefined || input.transition === null ? null : oneOf('transition', input.transition, HANDOVER_TRANSITIONS);
  const transitionDue = optionalIsoDate('transitionDue', input.transitionDue);
  if ((transition === null) !== (transitionDue === null)) {
    throw new StoreError('BAD_USER_INPUT', 'transition and transitionDue go together: give both or neither', { field: 'transition' });
  }
  const createdBy = requiredText('createdBy', input.createdBy, ACTOR_MAX);

  try {
    return await idempotentWrite(db, {
      operation: 'addPlanAction',
      caller: createdBy,
      key: input.idempotencyKey,
      load: planActionById,
      sameRequest: (earlier) => earlier.youthId === youthId && earlier.title === title && earlier.ownerUnit === ownerUnit,
      async write(tx) {
        const { rows } = await tx.query<PlanActionRow>(
          `INSERT INTO plan_actions (youth_id, title, description, owner_unit, due, created_by, transition, transition_due)
           VALUES ($1, $2, $3, $4, $5::date, $6, $7, $8::date)
           RETURNING ${PLAN_ACTION_COLUMNS}`,
          [youthId, title, description, ownerUnit, due, createdBy, transition, transitionDue],
        );
        return toPlanAction(single(rows));
      },
    });
  } catch (err) {
    throw translate(err);
  }
}

export async function getPlanAction(db: Database, actionId: string): Promise<PlanAction | null> {
  return (await planActionById(db, uuid('actionId', actionId))) ?? null;
}

export async function completePlanAction(db: Database, input: CompletePlanActionInput): Promise<PlanAction> {
  const actionId = uuid('actionId', input.actionId);
  const completedBy = requiredText('completedBy', input.completedBy, ACTOR_MAX);

  try {
    return await idempotentWrite(db, {
      operation: 'completePlanAction',
      caller: completedBy,
      key: input.idempotencyKey,
      load: planActionById,
      sameRequest: (earlier) => earlier.id === actionId,
      async write(tx) {
        const { rows } = await tx.query<PlanActionRow>(
          `UPDATE plan_actions SET status = 'DONE', completed_by = $2, completed_at = now()
            WHERE id = $1::uuid AND status = 'OPEN'
        RETURNING ${PLAN_ACTION_COLUMNS}`,
          [actionId, completedBy],
        );
        if (rows[0]) return toPlanAction(rows[0]);
        const action = (await tx.query<PlanActionRow>(`SELECT ${PLAN_ACTION_COLUMNS} FROM plan_actions WHERE id = $1::uuid`, [actionId]))
          .rows[0];
        if (!action) throw new StoreError('NOT_FOUND', `no plan action with id "${actionId}"`, { actionId });
        throw new StoreError(
          'ALREADY_DONE',
          `plan action "${action.title}" was already completed by ${action.completed_by ?? 'someone'} at ${iso(action.completed_at)}`,
          { actionId },
        );
      },
    });
  } catch (err) {
    throw translate(err);
  }
}

/** Batched for DataLoader: each young person's actions (oldest first), in key order, [] where none. */
export async function planActions(db: Database, youthIds: readonly string[]): Promise<PlanAction[][]> {
  const keys = keyList('youthIds', youthIds);
  if (keys.length === 0) return [];
  const { rows } = await db.query<PlanActionRow>(
    `SELECT ${PLAN_ACTION_COLUMNS} FROM plan_actions WHERE youth_id = ANY($1::text[]) ORDER BY created_at, id`,
    [unique(keys)],
  );
  return groupInKeyOrder(keys, rows, toPlanAction);
}

async function planActionById(db: Queryable, id: string): Promise<PlanAction | undefined> {
  const { rows } = await db.query<PlanActionRow>(`SELECT ${PLAN_ACTION_COLUMNS} FROM plan_actions WHERE id = $1::uuid`, [id]);
  return rows[0] && toPlanAction(rows[0]);
}

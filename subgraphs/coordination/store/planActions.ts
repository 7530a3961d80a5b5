import type { Database, Queryable } from '../../../platform/db/database.js';
import { StoreError } from './errors.js';
import { idempotentWrite } from './idempotency.js';
import { ACTOR_MAX, ID_MAX, TEXT_MAX } from './limits.js';
import { requireMeetingOf } from './meetings.js';
import {
  changeActor,
  changeById,
  changeReason,
  createdValues,
  recordChange,
  type FieldValues,
  type PlanActionChange,
  type PlanActionField,
} from './planHistory.js';
import { PLAN_ACTION_COLUMNS, groupInKeyOrder, iso, single, toPlanAction, translate, unique, type PlanActionRow } from './rows.js';
import {
  HANDOVER_TRANSITIONS,
  UNITS,
  type AddPlanActionInput,
  type ChangeActor,
  type CompletePlanActionInput,
  type PlanAction,
} from './types.js';
import { keyList, oneOf, optionalIsoDate, optionalText, requiredText, uuid } from './validate.js';

/**
 * The coordinated plan's actions: who does what by when, across units, when it was done or why it was
 * cancelled. Every write appends to the action's history (planHistory.ts) in its own transaction, and
 * nothing is deleted: a cancelled action stays, with its status.
 */

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
  const meetingId = input.meetingId === undefined || input.meetingId === null ? null : uuid('meetingId', input.meetingId);
  const createdBy = requiredText('createdBy', input.createdBy, ACTOR_MAX);
  const actor = changeActor(input);

  try {
    return await idempotentWrite(db, {
      operation: 'addPlanAction',
      caller: createdBy,
      key: input.idempotencyKey,
      load: planActionById,
      sameRequest: (earlier) =>
        earlier.youthId === youthId && earlier.title === title && earlier.ownerUnit === ownerUnit && earlier.meetingId === meetingId,
      async write(tx) {
        if (meetingId !== null) await requireMeetingOf(tx, meetingId, youthId);
        const { rows } = await tx.query<PlanActionRow>(
          `INSERT INTO plan_actions (youth_id, title, description, owner_unit, due, created_by, transition, transition_due, meeting_id)
           VALUES ($1, $2, $3, $4, $5::date, $6, $7, $8::date, $9::uuid)
           RETURNING ${PLAN_ACTION_COLUMNS}`,
          [youthId, title, description, ownerUnit, due, createdBy, transition, transitionDue, meetingId],
        );
        const action = toPlanAction(single(rows));
        await recordChange(tx, {
          actionId: action.id,
          kind: 'CREATED',
          changedBy: createdBy,
          actor,
          before: null,
          after: createdValues(action),
        });
        return action;
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
  const actor = changeActor(input);

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
        if (rows[0]) {
          await recordChange(tx, {
            actionId,
            kind: 'COMPLETED',
            changedBy: completedBy,
            actor,
            before: { status: 'OPEN' },
            after: { status: 'DONE' },
          });
          return toPlanAction(rows[0]);
        }
        throw refusal(await lockedAction(tx, actionId));
      },
    });
  } catch (err) {
    throw translate(err);
  }
}

/** The fields an edit may change; absent (undefined) leaves a field as it is, null clears an optional one. */
export interface PlanActionEdits {
  title?: string | null | undefined;
  description?: string | null | undefined;
  ownerUnit?: string | null | undefined;
  due?: string | null | undefined;
}

export interface EditPlanActionInput extends PlanActionEdits, ChangeActor {
  actionId: string;
  /** Why (CHANGE_REASON_MIN), else REASON_REQUIRED. */
  reason: string;
  changedBy: string;
  idempotencyKey?: string | null | undefined;
}

export interface CancelPlanActionInput extends ChangeActor {
  actionId: string;
  /** Why (CHANGE_REASON_MIN), else REASON_REQUIRED. */
  reason: string;
  cancelledBy: string;
  idempotencyKey?: string | null | undefined;
}

/** The edits, checked: only the fields given, each as the store keeps it. */
function checkedEdits(edits: PlanActionEdits): FieldValues {
  const values: FieldValues = {};
  if (edits.title !== undefined) values.title = requiredText('title', edits.title, TEXT_MAX.title);
  if (edits.description !== undefined) values.description = optionalText('description', edits.description, TEXT_MAX.description);
  if (edits.ownerUnit !== undefined) values.ownerUnit = oneOf('ownerUnit', edits.ownerUnit, UNITS);
  if (edits.due !== undefined) values.due = optionalIsoDate('due', edits.due);
  if (Object.keys(values).length === 0) {
    throw new StoreError('BAD_USER_INPUT', 'nothing to change: give at least one of title, description, ownerUnit, due', {
      field: 'title',
    });
  }
  return values;
}

const EDITABLE_COLUMNS: Record<keyof PlanActionEdits, string> = {
  title: 'title',
  description: 'description',
  ownerUnit: 'owner_unit',
  due: 'due',
};

/**
 * Changes an action's title, description, owner unit or due date, with a reason; OPEN and DONE actions
 * (a completed one may be corrected), not CANCELLED ones (ALREADY_CANCELLED). Values equal to the
 * action's are not changes; an edit that changes nothing is refused (BAD_USER_INPUT).
 */
export async function editPlanAction(db: Database, input: EditPlanActionInput): Promise<PlanAction> {
  const actionId = uuid('actionId', input.actionId);
  const requested = checkedEdits(input);
  const reason = changeReason(input.reason);
  const changedBy = requiredText('changedBy', input.changedBy, ACTOR_MAX);
  const actor = changeActor(input);
  try {
    const change = await idempotentWrite<PlanActionChange>(db, {
      operation: 'editPlanAction',
      caller: changedBy,
      key: input.idempotencyKey,
      load: changeById,
      // The same edit: same action and reason, and every field it changed asked for with the same value.
      sameRequest: (earlier) =>
        earlier.kind === 'EDITED' &&
        earlier.actionId === actionId &&
        earlier.reason === reason &&
        Object.entries(earlier.after).every(([field, value]) => requested[field as PlanActionField] === value),
      async write(tx) {
        const action = await lockedAction(tx, actionId);
        if (action.status === 'CANCELLED') throw refusal(action);
        const before: FieldValues = {};
        const after: FieldValues = {};
        for (const [field, value] of Object.entries(requested) as [keyof PlanActionEdits, string | null][]) {
          if (action[field] === value) continue;
          before[field] = action[field];
          after[field] = value;
        }
        if (Object.keys(after).length === 0) {
          throw new StoreError('BAD_USER_INPUT', `nothing to change: plan action "${action.title}" already has these values`, {
            field: Object.keys(requested)[0] ?? 'title',
          });
        }
        const fields = Object.keys(after) as (keyof PlanActionEdits)[];
        const assignments = fields.map((field, index) => `${EDITABLE_COLUMNS[field]} = $${index + 2}${field === 'due' ? '::date' : ''}`);
        await tx.query(`UPDATE plan_actions SET ${assignments.join(', ')} WHERE id = $1::uuid`, [
          actionId,
          ...fields.map((field) => after[field]),
        ]);
        return recordChange(tx, { actionId, kind: 'EDITED', changedBy, actor, before, after, reason });
      },
    });
    return await loadAction(db, change.actionId);
  } catch (err) {
    throw translate(err);
  }
}

/** Cancels an OPEN action with a reason: it stays, CANCELLED. ALREADY_CANCELLED, ALREADY_DONE otherwise. */
export async function cancelPlanAction(db: Database, input: CancelPlanActionInput): Promise<PlanAction> {
  const actionId = uuid('actionId', input.actionId);
  const reason = changeReason(input.reason);
  const cancelledBy = requiredText('cancelledBy', input.cancelledBy, ACTOR_MAX);
  const actor = changeActor(input);
  try {
    const change = await idempotentWrite<PlanActionChange>(db, {
      operation: 'cancelPlanAction',
      caller: cancelledBy,
      key: input.idempotencyKey,
      load: changeById,
      sameRequest: (earlier) => earlier.kind === 'CANCELLED' && earlier.actionId === actionId && earlier.reason === reason,
      async write(tx) {
        const { rows } = await tx.query<PlanActionRow>(
          `UPDATE plan_actions SET status = 'CANCELLED', cancelled_at = now(), cancelled_by = $2, cancelled_reason = $3
            WHERE id = $1::uuid AND status = 'OPEN'
        RETURNING ${PLAN_ACTION_COLUMNS}`,
          [actionId, cancelledBy, reason],
        );
        if (!rows[0]) throw refusal(await lockedAction(tx, actionId));
        return recordChange(tx, {
          actionId,
          kind: 'CANCELLED',
          changedBy: cancelledBy,
          actor,
          before: { status: 'OPEN' },
          after: { status: 'CANCELLED' },
          reason,
        });
      },
    });
    return await loadAction(db, change.actionId);
  } catch (err) {
    throw translate(err);
  }
}

/** Batched for DataLoader: each young person's actions (oldest first, cancelled ones too), in key order, [] where none. */
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

async function loadAction(db: Queryable, id: string): Promise<PlanAction> {
  const action = await planActionById(db, id);
  if (!action) throw new StoreError('NOT_FOUND', `no plan action with id "${id}"`, { actionId: id });
  return action;
}

/** The action, locked for the rest of the transaction; NOT_FOUND when there is none. */
async function lockedAction(tx: Queryable, actionId: string): Promise<PlanAction> {
  const { rows } = await tx.query<PlanActionRow>(`SELECT ${PLAN_ACTION_COLUMNS} FROM plan_actions WHERE id = $1::uuid FOR UPDATE`, [
    actionId,
  ]);
  if (!rows[0]) throw new StoreError('NOT_FOUND', `no plan action with id "${actionId}"`, { actionId, field: 'actionId' });
  return toPlanAction(rows[0]);
}

/** Why a change of a finished action is refused: it was completed or cancelled before. */
function refusal(action: PlanAction): StoreError {
  if (action.status === 'CANCELLED') {
    return new StoreError(
      'ALREADY_CANCELLED',
      `plan action "${action.title}" was cancelled by ${action.cancelledBy ?? 'someone'} at ${action.cancelledAt ?? iso(new Date())}: ${action.cancelledReason ?? ''}`,
      { actionId: action.id },
    );
  }
  return new StoreError(
    'ALREADY_DONE',
    `plan action "${action.title}" was already completed by ${action.completedBy ?? 'someone'} at ${action.completedAt ?? iso(new Date())}`,
    { actionId: action.id },
  );
}

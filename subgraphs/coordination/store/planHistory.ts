import type { Database, Queryable } from '../../../platform/db/database.js';
import { isMeaningful } from '../rules/assignmentBasis.js';
import { StoreError } from './errors.js';
import { ACTOR_MAX, CHANGE_REASON_MIN, TEXT_MAX } from './limits.js';
import { iso, single } from './rows.js';
import type { ChangeActor, PlanAction } from './types.js';
import { keyList, optionalText, requiredText, uuid } from './validate.js';

/**
 * A plan action's history (issue 15): every change (created, edited, completed, cancelled, linked to a
 * meeting) as a row of `plan_action_changes`, written in the transaction of the change itself, never
 * updated or deleted. A change keeps who (subject, role, unit), when, the changed fields before and
 * after (keyed by the graph's field names: `title`, `description`, `ownerUnit`, `due`, `status`,
 * `transition`, `meetingId`) and, for an edit or a cancellation, why.
 */

export const PLAN_ACTION_CHANGE_KINDS = ['CREATED', 'EDITED', 'COMPLETED', 'CANCELLED', 'LINKED_TO_MEETING'] as const;
export type PlanActionChangeKind = (typeof PLAN_ACTION_CHANGE_KINDS)[number];

/** The fields of a plan action a change records, as the graph names them. */
export const PLAN_ACTION_FIELDS = ['title', 'description', 'ownerUnit', 'due', 'status', 'transition', 'meetingId'] as const;
export type PlanActionField = (typeof PLAN_ACTION_FIELDS)[number];
/** Field values as recorded: text, or null for a cleared field. */
export type FieldValues = Partial<Record<PlanActionField, string | null>>;

export interface PlanActionChange {
  id: string;
  actionId: string;
  kind: PlanActionChangeKind;
  changedAt: string;
  changedBy: string;
  changedByRole: string | null;
  changedByUnit: string | null;
  /** The changed fields' values before the change; empty for CREATED. */
  before: FieldValues;
  /** The changed fields' values after it (for CREATED: every field that was set). */
  after: FieldValues;
  reason: string | null;
}

interface ChangeRow {
  id: string;
  action_id: string;
  change: PlanActionChangeKind;
  changed_at: Date | string;
  changed_by: string;
  changed_by_role: string | null;
  changed_by_unit: string | null;
  before: FieldValues | string | null;
  after: FieldValues | string;
  reason: string | null;
}

const CHANGE_COLUMNS = `id::text AS id, action_id::text AS action_id, change, changed_at, changed_by, changed_by_role, changed_by_unit,
  before, after, reason`;

/** PGlite hands jsonb back parsed, a text protocol may not: either way an object. */
function fieldValues(value: FieldValues | string | null): FieldValues {
  if (value === null) return {};
  return typeof value === 'string' ? (JSON.parse(value) as FieldValues) : value;
}

function toChange(row: ChangeRow): PlanActionChange {
  return {
    id: row.id,
    actionId: row.action_id,
    kind: row.change,
    changedAt: iso(row.changed_at),
    changedBy: row.changed_by,
    changedByRole: row.changed_by_role,
    changedByUnit: row.changed_by_unit,
    before: fieldValues(row.before),
    after: fieldValues(row.after),
    reason: row.reason,
  };
}

/** The caller's role and unit for the record, checked (absent or blank: unknown). */
export function changeActor(input: ChangeActor): { role: string | null; unit: string | null } {
  return {
    role: optionalText('actorRole', input.actorRole, TEXT_MAX.actorDetail),
    unit: optionalText('actorUnit', input.actorUnit, TEXT_MAX.actorDetail),
  };
}

/** Why an action is edited or cancelled: required, CHANGE_REASON_MIN, else REASON_REQUIRED (nothing is written). */
export function changeReason(value: unknown): string {
  const reason = typeof value === 'string' ? value.trim() : '';
  if (!isMeaningful(reason, CHANGE_REASON_MIN)) {
    throw new StoreError(
      'REASON_REQUIRED',
      `say why, in at least ${CHANGE_REASON_MIN.characters} characters and ${CHANGE_REASON_MIN.words} words (reason)`,
      { field: 'reason' },
    );
  }
  return requiredText('reason', reason, TEXT_MAX.changeReason);
}

/** The values a newly created action records as its first change: every field that is set. */
export function createdValues(action: PlanAction): FieldValues {
  const values: FieldValues = { title: action.title, ownerUnit: action.ownerUnit, status: action.status };
  if (action.description !== null) values.description = action.description;
  if (action.due !== null) values.due = action.due;
  if (action.transition !== null) values.transition = action.transition;
  if (action.meetingId !== null) values.meetingId = action.meetingId;
  return values;
}

export interface ChangeRecord {
  actionId: string;
  kind: PlanActionChangeKind;
  changedBy: string;
  actor: { role: string | null; unit: string | null };
  before: FieldValues | null;
  after: FieldValues;
  reason?: string | null;
}

/** Appends a change, in the caller's transaction. */
export async function recordChange(tx: Queryable, change: ChangeRecord): Promise<PlanActionChange> {
  const changedBy = requiredText('changedBy', change.changedBy, ACTOR_MAX);
  const { rows } = await tx.query<ChangeRow>(
    `INSERT INTO plan_action_changes (action_id, change, changed_by, changed_by_role, changed_by_unit, before, after, reason)
     VALUES ($1::uuid, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8)
     RETURNING ${CHANGE_COLUMNS}`,
    [
      change.actionId,
      change.kind,
      changedBy,
      change.actor.role,
      change.actor.unit,
      change.before === null ? null : JSON.stringify(change.before),
      JSON.stringify(change.after),
      change.reason ?? null,
    ],
  );
  return toChange(single(rows));
}

/** One change by its id (an idempotent edit's or cancellation's result). */
export async function changeById(db: Queryable, id: string): Promise<PlanActionChange | undefined> {
  const { rows } = await db.query<ChangeRow>(`SELECT ${CHANGE_COLUMNS} FROM plan_action_changes WHERE id = $1::uuid`, [id]);
  return rows[0] && toChange(rows[0]);
}

/** Batched for DataLoader: each action's changes, oldest first, in key order; [] for an action without any. */
export async function planActionHistory(db: Database, actionIds: readonly string[]): Promise<PlanActionChange[][]> {
  const keys = keyList('actionIds', actionIds).map((id) => uuid('each of actionIds', id));
  if (keys.length === 0) return [];
  const { rows } = await db.query<ChangeRow>(
    `SELECT ${CHANGE_COLUMNS} FROM plan_action_changes WHERE action_id = ANY($1::uuid[]) ORDER BY changed_at, seq`,
    [[...new Set(keys)]],
  );
  const byAction = new Map<string, PlanActionChange[]>();
  for (const row of rows) {
    const list = byAction.get(row.action_id) ?? [];
    list.push(toChange(row));
    byAction.set(row.action_id, list);
  }
  return keys.map((key) => [...(byAction.get(key) ?? [])]);
}

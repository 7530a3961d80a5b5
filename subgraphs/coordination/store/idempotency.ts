import type { Database, Queryable } from '../../../platform/db/database.js';
import { StoreError } from './errors.js';
import { idempotencyKey } from './validate.js';

/**
 * The one way the store makes a write idempotent. A key is claimed under (caller, operation, key) in
 * `idempotent_requests` in the same transaction as the write, before it: a second request with the
 * same key from the same caller waits for the first (the claim's primary key) and then gets the first
 * one's result, or an error when it asks for something else with the key. Another caller's key never
 * meets this one: their request is their own (issue 11: keys used to be global, so a caller replaying
 * someone else's key got that person's result). A refused write rolls its claim back with it.
 */

export const IDEMPOTENT_OPERATIONS = [
  'assignContactPerson',
  'endContactPersonAssignment',
  'addPlanAction',
  'completePlanAction',
  'recordJointDecision',
  // Issue 13: the coordinator's administration of contact persons.
  'createContactPerson',
  'deactivateContactPerson',
  'setContactPersonCaseloadLimit',
  'recordConsent',
  'withdrawConsent',
  // Issue 15: meetings, and plan actions edited and cancelled.
  'recordMeeting',
  'editPlanAction',
  'cancelPlanAction',
] as const;
export type IdempotentOperation = (typeof IDEMPOTENT_OPERATIONS)[number];

export interface IdempotentWrite<T extends { id: string }> {
  operation: IdempotentOperation;
  /** Who asks: the caller's subject (the actor the write is recorded under), already checked. */
  caller: string;
  /** As the caller sent it (checked here); absent or blank means the write is not idempotent. */
  key: string | null | undefined;
  /** The write itself, in the transaction that holds the claim. */
  write(tx: Queryable): Promise<T>;
  /** Reads back the row a first request wrote (by the id it returned). */
  load(tx: Queryable, id: string): Promise<T | undefined>;
  /** Whether the first request asked for the same as this one (else the key was reused: an error). */
  sameRequest(earlier: T): boolean;
}

export async function idempotentWrite<T extends { id: string }>(db: Database, request: IdempotentWrite<T>): Promise<T> {
  const key = idempotencyKey(request.key);
  if (key === null) return db.transaction((tx) => request.write(tx));
  const scope = [request.caller, request.operation, key];
  return db.transaction(async (tx) => {
    const claimed = await tx.query(
      'INSERT INTO idempotent_requests (caller, operation, key) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING key',
      scope,
    );
    if (claimed.rows.length === 0) {
      const { rows } = await tx.query<{ result_id: string | null }>(
        'SELECT result_id::text AS result_id FROM idempotent_requests WHERE caller = $1 AND operation = $2 AND key = $3',
        scope,
      );
      const resultId = rows[0]?.result_id;
      const earlier = resultId ? await request.load(tx, resultId) : undefined;
      if (earlier === undefined || !request.sameRequest(earlier)) throw keyReused(key);
      return earlier;
    }
    const result = await request.write(tx);
    await tx.query('UPDATE idempotent_requests SET result_id = $4::uuid WHERE caller = $1 AND operation = $2 AND key = $3', [
      ...scope,
      result.id,
    ]);
    return result;
  });
}

function keyReused(key: string): StoreError {
  return new StoreError('BAD_USER_INPUT', `idempotencyKey "${key}" was already used for a different request`, { field: 'idempotencyKey' });
}

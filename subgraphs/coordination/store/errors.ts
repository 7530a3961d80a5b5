/**
 * The store's refusals. Each has a stable `code` the resolvers put into `extensions.code`, and a
 * message written for the caseworker who hit it (it names what was wrong, never SQL). The codes are the
 * store's share of the one registry (platform/errorCodes.ts): a code not registered there is no code here.
 */
import type { ErrorCode } from '../../../platform/errorCodes.js';

export type StoreErrorCode = Extract<
  ErrorCode,
  | 'NOT_FOUND'
  | 'CAPACITY_EXCEEDED'
  | 'ALREADY_ASSIGNED'
  | 'NOT_ASSIGNED'
  | 'ALREADY_DONE'
  | 'BAD_USER_INPUT'
  // Issue 13: the contact person's hard limits and judgement, and the assignment's lifecycle.
  | 'CASELOAD_FULL'
  | 'JUSTIFICATION_REQUIRED'
  | 'COORDINATION_REQUIRED'
  | 'ALREADY_ENDED'
  | 'ALREADY_EXISTS'
  | 'ALREADY_INACTIVE'
  // Issue 15: plan actions edited and cancelled with a reason; meetings with parents only for under-18s.
  | 'ALREADY_CANCELLED'
  | 'REASON_REQUIRED'
  | 'AGED_18_OR_OVER'
>;

export class StoreError extends Error {
  override name = 'StoreError';

  constructor(
    readonly code: StoreErrorCode,
    message: string,
    /** Machine-readable facts behind the refusal (for example which limit was hit). */
    readonly details?: Readonly<Record<string, string | number | boolean | null>>,
  ) {
    super(message);
  }
}

export function isStoreError(err: unknown, code?: StoreErrorCode): err is StoreError {
  return err instanceof StoreError && (code === undefined || err.code === code);
}

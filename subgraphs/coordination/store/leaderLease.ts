import { AsyncLocalStorage } from 'node:async_hooks';
import type { Queryable } from '../../../platform/db/database.js';
import { integer, requiredText } from './validate.js';

/**
 * Leader leases (migration 011): which coordination replica runs the jobs. A lease row per name holds
 * the holder, a fencing epoch and `lease_until`, all compared with the database's `now()`, so the
 * replicas' clocks never matter. Every statement is one conditional INSERT ... ON CONFLICT or UPDATE: a
 * row, not an advisory session lock, because a session lock needs a pinned connection and is
 * re-entrant on PGlite's single session (two replicas in one process would both hold it; see
 * dailyJobs.ts). Two replicas trying at once are ordered by the row lock: one wins, the other sees the
 * winner's row and gets nothing.
 *
 * The epoch rises at every change of holder. A leader's job that writes something only the leader may
 * write (the screening register) checks in its own transaction that the row still names its holder and
 * epoch (`holdLeaseFence`), so a deposed leader that was hung while another took over cannot overwrite
 * the new leader's work when it wakes.
 */

/** The lease every coordination job runs under (screening/leadership.ts). */
export const COORDINATION_JOBS_LEASE = 'coordination-jobs';

const NAME_MAX = 100;
const HOLDER_MAX = 200;
/** A lease shorter than a second would be renewed faster than a database answers under load. */
export const LEASE_MS_RANGE = { min: 1_000, max: 3_600_000 } as const;

/** A lease as held: its name, the holder, and the epoch it was taken in. */
export interface LeaseFence {
  lease: string;
  holder: string;
  epoch: number;
}

/** The lease row as anyone reads it (health, logs, tests). */
export interface LeaseState extends LeaseFence {
  /** False once `lease_until` has passed: anyone may take it. */
  live: boolean;
}

/**
 * Takes the lease for `holder` or renews it: granted when the row is free, its lease ran out or was
 * released, or `holder` already holds it (then the epoch stays). Null when another holder's lease is
 * still live. `leaseMs` counts from the database's `now()`.
 */
export async function acquireLease(db: Queryable, name: string, holder: string, leaseMs: number): Promise<LeaseFence | null> {
  const lease = requiredText('lease', name, NAME_MAX);
  const who = requiredText('holder', holder, HOLDER_MAX);
  const ms = integer('leaseMs', leaseMs, LEASE_MS_RANGE.min, LEASE_MS_RANGE.max);
  // Every SET expression reads the row as it was, so `epoch` and `acquired_at` compare the old holder.
  const { rows } = await db.query<{ holder: string; epoch: number }>(
    `INSERT INTO leader_leases AS lease (name, holder, epoch, lease_until)
     VALUES ($1, $2, 1, now() + $3::int * interval '1 millisecond')
     ON CONFLICT (name) DO UPDATE
        SET epoch = CASE WHEN lease.holder = EXCLUDED.holder THEN lease.epoch ELSE lease.epoch + 1 END,
            acquired_at = CASE WHEN lease.holder = EXCLUDED.holder THEN lease.acquired_at ELSE now() END,
            holder = EXCLUDED.holder,
            renewed_at = now(),
            lease_until = EXCLUDED.lease_until
      WHERE lease.holder = EXCLUDED.holder OR lease.lease_until <= now()
     RETURNING holder, epoch`,
    [lease, who, ms],
  );
  const row = rows[0];
  return row ? { lease, holder: row.holder, epoch: Number(row.epoch) } : null;
}

/** Ends the lease at once (an orderly shutdown), so the next replica to try takes over; false when it was no longer held. */
export async function releaseLease(db: Queryable, fence: LeaseFence): Promise<boolean> {
  const { rows } = await db.query(
    `UPDATE leader_leases SET lease_until = now()
      WHERE name = $1 AND holder = $2 AND epoch = $3::int AND lease_until > now()
  RETURNING 1`,
    [fence.lease, fence.holder, fence.epoch],
  );
  return rows.length > 0;
}

/** Who holds the lease now (null when nobody ever took it). */
export async function leaseState(db: Queryable, name: string): Promise<LeaseState | null> {
  const { rows } = await db.query<{ holder: string; epoch: number; live: boolean }>(
    'SELECT holder, epoch, lease_until > now() AS live FROM leader_leases WHERE name = $1',
    [requiredText('lease', name, NAME_MAX)],
  );
  const row = rows[0];
  return row ? { lease: name, holder: row.holder, epoch: Number(row.epoch), live: row.live } : null;
}

/** A leader's write refused: another replica has taken the lease over since `fence` was granted. */
export class LeadershipLostError extends Error {
  override name = 'LeadershipLostError';

  constructor(readonly fence: LeaseFence) {
    // No holder in the message: it names a host, and the message is recorded with the failed run.
    super(
      `this replica no longer leads the coordination's jobs (lease ${fence.lease}, epoch ${fence.epoch} is over): its write is refused`,
    );
  }
}

/**
 * Inside a writer's transaction: refuses (rolls the transaction back) unless the lease still names
 * `fence`'s holder and epoch, and holds the row until the transaction ends. A takeover updates that
 * row, so it waits for this commit: the write lands before the new leader's epoch or not at all.
 * Nothing to check without a fence (a store used without leadership: tests, scripts).
 */
export async function holdLeaseFence(tx: Queryable, fence: LeaseFence | undefined): Promise<void> {
  if (fence === undefined) return;
  const { rows } = await tx.query('SELECT 1 FROM leader_leases WHERE name = $1 AND holder = $2 AND epoch = $3::int FOR SHARE', [
    fence.lease,
    fence.holder,
    fence.epoch,
  ]);
  if (rows.length === 0) throw new LeadershipLostError(fence);
}

/**
 * The fence a leader's job runs under, carried with its asynchronous work: the screening is started in
 * server.ts and writes through the store many awaits later, so the epoch it started in travels with it
 * instead of being read (newer) when it writes.
 */
const runningUnder = new AsyncLocalStorage<LeaseFence>();

export function withLeaseFence<T>(fence: LeaseFence, work: () => Promise<T>): Promise<T> {
  return runningUnder.run(fence, work);
}

/** The fence of the job this call is part of, if any (`withLeaseFence`). */
export function currentLeaseFence(): LeaseFence | undefined {
  return runningUnder.getStore();
}

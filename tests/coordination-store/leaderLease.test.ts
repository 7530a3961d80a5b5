import { describe, expect, it } from 'vitest';
import type { Database } from '../../platform/db/database.js';
import type { CoordinationStore, ScreeningRow } from '../../subgraphs/coordination/store/coordinationStore.js';
import {
  COORDINATION_JOBS_LEASE as LEASE,
  holdLeaseFence,
  LeadershipLostError,
  withLeaseFence,
  type LeaseFence,
} from '../../subgraphs/coordination/store/leaderLease.js';
import { backends, refusal, useMigratedStore } from './backends.js';

/**
 * The leader's lease (store/leaderLease.ts, migration 011) on each backend: one holder at a time, judged
 * by the database's clock; a new epoch at every change of holder; an orderly release; and the fence that
 * refuses a deposed leader's register write.
 */

const row = (i: number): ScreeningRow => ({
  youthId: `y-${i}`,
  birthDate: '2008-03-14',
  schoolId: null,
  grade: null,
  indicators: [],
  inTargetGroup: false,
  contactPersonStatus: 'NOT_CANDIDATE',
  institutionIds: [],
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(backends)('the leader lease on $name', (backend) => {
  let db: Database;
  let store: CoordinationStore;
  useMigratedStore(backend, (opened) => ({ db, store } = opened));

  /** The lease runs out now, as if its holder had died a lease ago (the database's clock, not ours). */
  const runOut = () => db.query(`UPDATE leader_leases SET lease_until = now() - interval '1 second'`);

  it('takes a free lease at epoch 1, renews it in the same epoch, and refuses another holder while it is live', async () => {
    expect(await store.leaseState(LEASE)).toBeNull();
    expect(await store.acquireLease(LEASE, 'replica-a', 30_000)).toEqual({ lease: LEASE, holder: 'replica-a', epoch: 1 });
    const { rows: before } = await db.query<{ until: string }>('SELECT lease_until::text AS until FROM leader_leases');
    await sleep(20);
    expect(await store.acquireLease(LEASE, 'replica-a', 30_000)).toEqual({ lease: LEASE, holder: 'replica-a', epoch: 1 });
    const { rows: after } = await db.query<{ until: string }>('SELECT lease_until::text AS until FROM leader_leases');
    expect(after[0]!.until > before[0]!.until).toBe(true); // renewed: it runs a lease from now
    expect(await store.acquireLease(LEASE, 'replica-b', 30_000)).toBeNull();
    expect(await store.leaseState(LEASE)).toEqual({ lease: LEASE, holder: 'replica-a', epoch: 1, live: true });
  });

  it('goes to the next replica to try once the lease ran out, one epoch higher; the old holder then gets nothing', async () => {
    await store.acquireLease(LEASE, 'replica-a', 30_000);
    await runOut();
    expect((await store.leaseState(LEASE))?.live).toBe(false);
    expect(await store.acquireLease(LEASE, 'replica-b', 30_000)).toEqual({ lease: LEASE, holder: 'replica-b', epoch: 2 });
    expect(await store.acquireLease(LEASE, 'replica-a', 30_000)).toBeNull();
    // The database's clock decides: a lease of one second is over a second later, whatever the replicas think.
    expect(await store.acquireLease(LEASE, 'replica-b', 1_000)).toEqual({ lease: LEASE, holder: 'replica-b', epoch: 2 });
    expect(await store.acquireLease(LEASE, 'replica-a', 30_000)).toBeNull();
    await sleep(1_100);
    expect(await store.acquireLease(LEASE, 'replica-a', 30_000)).toEqual({ lease: LEASE, holder: 'replica-a', epoch: 3 });
  });

  it('an orderly release lets the next replica take over at once; a deposed holder cannot release the new lease', async () => {
    const a = (await store.acquireLease(LEASE, 'replica-a', 30_000))!;
    expect(await store.releaseLease(a)).toBe(true);
    expect(await store.releaseLease(a)).toBe(false); // already released
    const b = (await store.acquireLease(LEASE, 'replica-b', 30_000))!;
    expect(b.epoch).toBe(2);
    expect(await store.releaseLease(a)).toBe(false);
    expect(await store.releaseLease({ ...a, holder: 'replica-b' })).toBe(false); // the right holder, an old epoch
    expect(await store.leaseState(LEASE)).toEqual({ lease: LEASE, holder: 'replica-b', epoch: 2, live: true });
  });

  it('grants a free lease to exactly one of many replicas trying at once', async () => {
    const tries = await Promise.all(Array.from({ length: 8 }, (_, i) => store.acquireLease(LEASE, `replica-${i}`, 30_000)));
    const granted = tries.filter((t) => t !== null);
    expect(granted).toHaveLength(1);
    await runOut();
    const again = await Promise.all(Array.from({ length: 8 }, (_, i) => store.acquireLease(LEASE, `other-${i}`, 30_000)));
    expect(again.filter((t) => t !== null)).toEqual([expect.objectContaining({ epoch: 2 })]);
  });

  it('keeps leases apart by name', async () => {
    await store.acquireLease(LEASE, 'replica-a', 30_000);
    expect(await store.acquireLease('another-job', 'replica-b', 30_000)).toEqual({ lease: 'another-job', holder: 'replica-b', epoch: 1 });
  });

  it('refuses a lease out of bounds or without a holder', async () => {
    expect((await refusal(store.acquireLease(LEASE, 'replica-a', 10))).code).toBe('BAD_USER_INPUT');
    expect((await refusal(store.acquireLease(LEASE, '', 30_000))).code).toBe('BAD_USER_INPUT');
    expect((await refusal(store.acquireLease('', 'replica-a', 30_000))).code).toBe('BAD_USER_INPUT');
    expect(await store.leaseState(LEASE)).toBeNull();
  });

  describe('the fence on the screening register', () => {
    it("refuses a deposed leader's late write and keeps the new leader's register; the leader's own write lands", async () => {
      const a = (await store.acquireLease(LEASE, 'replica-a', 30_000))!;
      await withLeaseFence(a, () => store.replaceScreening([row(1), row(2)], { asOf: '2026-11-01' }));
      await runOut();
      const b = (await store.acquireLease(LEASE, 'replica-b', 30_000))!;
      await withLeaseFence(b, () => store.replaceScreening([row(3)], { asOf: '2026-11-01' }));

      const late = await withLeaseFence(a, () => store.replaceScreening([row(4), row(5), row(6)], { asOf: '2026-11-01' })).then(
        () => null,
        (error: unknown) => error,
      );
      expect(late).toBeInstanceOf(LeadershipLostError);
      expect((late as Error).message).not.toContain('replica-a'); // the holder names a host: not in a recorded message
      const status = await store.screeningStatus();
      expect(status.youths).toBe(1);
      expect(status.lastSucceededRun?.youths).toBe(1);
      expect(status.lastRun).toMatchObject({ status: 'FAILED', error: expect.stringContaining('no longer leads') as unknown });
      expect((await store.registerEntries(['y-3', 'y-4'])).map((entry) => entry !== null)).toEqual([true, false]);
    });

    it('refuses a write under an epoch the replica never held (a follower), and writes without a fence as before', async () => {
      await store.acquireLease(LEASE, 'replica-a', 30_000);
      const follower: LeaseFence = { lease: LEASE, holder: 'replica-b', epoch: 0 };
      await expect(withLeaseFence(follower, () => store.replaceScreening([row(1)], {}))).rejects.toBeInstanceOf(LeadershipLostError);
      // A store used without leadership (scripts, these tests) is not fenced.
      expect((await store.replaceScreening([row(1)], {})).status).toBe('SUCCEEDED');
    });

    it('makes a takeover wait for a fenced write in progress, so the write lands before the new epoch begins', async () => {
      const a = (await store.acquireLease(LEASE, 'replica-a', 30_000))!;
      await runOut();
      let entered!: () => void;
      const inside = new Promise<void>((resolve) => (entered = resolve));
      let finish!: () => void;
      const gate = new Promise<void>((resolve) => (finish = resolve));
      const write = db.transaction(async (tx) => {
        await holdLeaseFence(tx, a); // the lease ran out, but nobody took it over yet: still a's
        entered();
        await gate;
      });
      await inside;
      let takenOver = false;
      const takeover = store.acquireLease(LEASE, 'replica-b', 30_000).then((granted) => {
        takenOver = true;
        return granted;
      });
      await sleep(300);
      expect(takenOver).toBe(false);
      finish();
      await write;
      expect(await takeover).toEqual({ lease: LEASE, holder: 'replica-b', epoch: 2 });
      await expect(db.transaction((tx) => holdLeaseFence(tx, a))).rejects.toBeInstanceOf(LeadershipLostError);
    });
  });
});

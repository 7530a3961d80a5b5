import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../platform/db/database.js';
import { migrate } from '../../platform/db/migrate.js';
import { MIGRATIONS_DIR } from '../../subgraphs/coordination/store/index.js';
import { CoordinationStore } from '../../subgraphs/coordination/store/coordinationStore.js';
import { backends, dropSchema, JONAS, logger, METTE, openFresh, refusal, tableCounts, useMigratedStore } from './backends.js';

/**
 * Idempotency keys belong to the caller who sent them (store/idempotency.ts): the same key from
 * another caller is another request. Same caller: one effect however often and however concurrently
 * the key is sent, and an error when the key is reused for something else.
 */
describe.each(backends)('idempotency keys per caller on $name', (backend) => {
  let db: Database;
  let store: CoordinationStore;
  useMigratedStore(backend, (opened) => ({ db, store } = opened));

  const action = (createdBy: string, description: string) => ({
    youthId: 'y-1',
    title: 'Meeting with the school',
    ownerUnit: 'GUIDANCE',
    description,
    createdBy,
    idempotencyKey: 'shared-key',
  });

  it("another caller's key does not return the first caller's result", async () => {
    const alice = await store.addPlanAction(action('alice', "Alice's notes"));
    const bob = await store.addPlanAction(action('bob', "Bob's notes"));
    expect(bob.id).not.toBe(alice.id);
    expect(bob).toMatchObject({ createdBy: 'bob', description: "Bob's notes" });
    // Bob's key is his own from now on too; Alice's replay still gets hers.
    expect((await store.addPlanAction(action('bob', "Bob's notes"))).id).toBe(bob.id);
    expect(await store.addPlanAction(action('alice', "Alice's notes"))).toEqual(alice);
    expect((await tableCounts(db)).plan_actions).toBe(2);
  });

  it('another caller reusing a key for a different request is not refused', async () => {
    await store.assignContactPerson({
      youthId: 'a-1',
      contactPersonId: METTE,
      assignedBy: 'alice',
      fundedCapacity: 60,
      acceptOverCapacity: false,
      idempotencyKey: 'k',
    });
    const bobs = await store.assignContactPerson({
      youthId: 'b-1',
      contactPersonId: JONAS,
      assignedBy: 'bob',
      fundedCapacity: 60,
      acceptOverCapacity: false,
      idempotencyKey: 'k',
    });
    expect(bobs).toMatchObject({ youthId: 'b-1', assignedBy: 'bob' });
    // Ending: Bob's key "k" for ending does not name Alice's end either.
    const aliceEnd = await store.endAssignment({ youthId: 'a-1', reason: 'done', endedBy: 'alice', idempotencyKey: 'end' });
    const bobEnd = await store.endAssignment({ youthId: 'b-1', reason: 'done', endedBy: 'bob', idempotencyKey: 'end' });
    expect(bobEnd.id).toBe(bobs.id);
    expect(aliceEnd.id).not.toBe(bobEnd.id);
  });

  it('one caller: a replay gets the same result once, a reuse for something else is refused and writes nothing', async () => {
    const first = await store.recordJointDecision({
      youthId: 'y-2',
      summary: 'Agreed',
      units: ['SCHOOL', 'GUIDANCE'],
      recordedBy: 'alice',
      idempotencyKey: 'jd',
    });
    expect(
      await store.recordJointDecision({
        youthId: 'y-2',
        summary: 'Agreed',
        units: ['SCHOOL', 'GUIDANCE'],
        recordedBy: 'alice',
        idempotencyKey: 'jd',
      }),
    ).toEqual(first);
    const before = await tableCounts(db);
    const error = await refusal(
      store.recordJointDecision({
        youthId: 'y-3',
        summary: 'Other',
        units: ['SCHOOL', 'SOCIAL'],
        recordedBy: 'alice',
        idempotencyKey: 'jd',
      }),
    );
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(/idempotencyKey "jd" was already used for a different request/);
    expect(error.details).toMatchObject({ field: 'idempotencyKey' });
    expect(await tableCounts(db)).toEqual(before);
  });

  it('concurrent submissions of one key by one caller take effect once, while another caller with the key gets their own', async () => {
    const results = await Promise.all([
      ...Array.from({ length: 6 }, () => store.addPlanAction(action('alice', 'same'))),
      store.addPlanAction(action('bob', 'same')),
    ]);
    const alices = results.slice(0, 6);
    expect(new Set(alices.map((r) => r.id)).size).toBe(1);
    expect(results[6]!.id).not.toBe(alices[0]!.id);
    expect((await tableCounts(db)).plan_actions).toBe(2);
    expect((await tableCounts(db)).idempotent_requests).toBe(2);
  });

  it('a refused write does not keep its key: the corrected retry goes through', async () => {
    const input = {
      youthId: 'y-4',
      contactPersonId: 'nobody-here',
      assignedBy: 'alice',
      fundedCapacity: 60,
      acceptOverCapacity: false,
      idempotencyKey: 'retry',
    };
    expect((await refusal(store.assignContactPerson(input))).code).toBe('NOT_FOUND');
    expect((await tableCounts(db)).idempotent_requests).toBe(0);
    expect(await store.assignContactPerson({ ...input, contactPersonId: METTE })).toMatchObject({ youthId: 'y-4', contactPersonId: METTE });
  });
});

describe.each(backends)('migration 003 on $name', (backend) => {
  it('keeps the keys written before it working for the caller who wrote them, and only for them', async () => {
    const before003 = mkdtempSync(join(tmpdir(), 'coord-migrations-'));
    for (const file of ['001_init.sql', '002_reporting.sql']) cpSync(join(MIGRATIONS_DIR, file), join(before003, file));
    const db = await openFresh(backend);
    try {
      await migrate(db, { logger, dir: before003 });
      // What the previous version wrote: keys in the tables' own columns.
      await db.query(
        `INSERT INTO plan_actions (youth_id, title, owner_unit, created_by, idempotency_key) VALUES ('y-old', 'Old action', 'GUIDANCE', 'alice', 'old-key')`,
      );
      expect((await migrate(db, { logger, dir: MIGRATIONS_DIR })).applied).toContain(3);
      const store = new CoordinationStore(db);
      const old = { youthId: 'y-old', title: 'Old action', ownerUnit: 'GUIDANCE', idempotencyKey: 'old-key' };
      const replay = await store.addPlanAction({ ...old, createdBy: 'alice' });
      expect(replay.createdBy).toBe('alice');
      const bobs = await store.addPlanAction({ ...old, createdBy: 'bob' });
      expect(bobs.id).not.toBe(replay.id);
      expect((await store.planActions(['y-old']))[0]).toHaveLength(2);
    } finally {
      await db.close();
      if (backend.url) await dropSchema(backend.url, db.schema);
      rmSync(before003, { recursive: true, force: true });
    }
  });
});

import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../platform/db/database.js';
import { type CoordinationStore, StoreError, type AssignContactPersonInput } from '../../subgraphs/coordination/store/coordinationStore.js';
import { backends, JONAS, METTE, SARA, tableCounts, refusal, useMigratedStore } from './backends.js';

function assignInput(youthId: string, contactPersonId = METTE, extra: Partial<AssignContactPersonInput> = {}): AssignContactPersonInput {
  return { youthId, contactPersonId, assignedBy: 'uu-counsellor-1', fundedCapacity: 60, acceptOverCapacity: false, ...extra };
}

describe.each(backends)('contact-person assignments on $name', (backend) => {
  let db: Database;
  let store: CoordinationStore;
  useMigratedStore(backend, (opened) => ({ db, store } = opened));

  it('assigns, shows the caseload, and ends', async () => {
    const assignment = await store.assignContactPerson(assignInput('y-1', METTE, { note: '  first meeting booked  ' }));
    expect(assignment).toMatchObject({
      youthId: 'y-1',
      contactPersonId: METTE,
      assignedBy: 'uu-counsellor-1',
      note: 'first meeting booked',
      endedAt: null,
      overCapacity: false,
    });
    expect(assignment.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(assignment.startedAt).toISOString()).toBe(assignment.startedAt);
    expect(await store.activeAssignment('y-1')).toEqual(assignment);
    expect((await store.getContactPerson(METTE))?.activeCaseload).toBe(1);
    expect(await store.capacity(60)).toEqual({ funded: 60, active: 1, overCapacity: 0, available: 59, caseloadAvailable: 74 });

    const ended = await store.endAssignment({ youthId: 'y-1', reason: 'Anchored in youth education', endedBy: 'gkp-1' });
    expect(ended).toMatchObject({ id: assignment.id, endReason: 'Anchored in youth education', endedBy: 'gkp-1' });
    expect(ended.endedAt).not.toBeNull();
    expect(await store.activeAssignment('y-1')).toBeNull();
    expect(await store.assignmentsFor(METTE)).toEqual([ended]);
    expect(await store.assignmentsFor(METTE, { activeOnly: true })).toEqual([]);

    // After the end, a new assignment may start; the history keeps both, newest first.
    const again = await store.assignContactPerson(assignInput('y-1', JONAS));
    expect((await store.assignmentHistory('y-1')).map((a) => a.id)).toEqual([again.id, assignment.id]);
  });

  it('lets exactly 25 of 40 concurrent assignments to one contact person through', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) => store.assignContactPerson(assignInput(`concurrent-${i}`, METTE))),
    );
    const succeeded = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as StoreError);
    expect(succeeded).toHaveLength(25);
    expect(refused).toHaveLength(15);
    for (const error of refused) {
      expect(error).toBeInstanceOf(StoreError);
      // Its own code since issue 13 (a hard limit each): seeds/000 "en gennemgående kontaktperson kan have ca. 25 unge".
      expect(error.code).toBe('CASELOAD_FULL');
      expect(error.message).toMatch(/Mette Kjær .*caseload limit of 25/);
      expect(error.details).toMatchObject({ limit: 'CASELOAD', limitValue: 25 });
    }
    expect((await store.getContactPerson(METTE))?.activeCaseload).toBe(25);
    expect((await tableCounts(db)).assignments).toBe(25);
  });

  it('refuses past the funded capacity unless over-capacity is accepted, and records it', async () => {
    const funded = 3;
    for (const [i, person] of [METTE, JONAS, SARA].entries()) {
      await store.assignContactPerson(assignInput(`funded-${i}`, person, { fundedCapacity: funded }));
    }
    const error = await refusal(store.assignContactPerson(assignInput('funded-3', SARA, { fundedCapacity: funded })));
    expect(error.code).toBe('CAPACITY_EXCEEDED');
    expect(error.message).toMatch(/funded capacity of 3/);
    expect(error.details).toMatchObject({ limit: 'FUNDED_CAPACITY', limitValue: 3, active: 3 });
    expect(await store.activeAssignment('funded-3')).toBeNull();

    const over = await store.assignContactPerson(assignInput('funded-3', SARA, { fundedCapacity: funded, acceptOverCapacity: true }));
    expect(over.overCapacity).toBe(true);
    expect(await store.capacity(funded)).toMatchObject({ funded: 3, active: 4, overCapacity: 1, available: 0 });
    // Within capacity, acceptOverCapacity changes nothing and nothing is flagged.
    expect(await store.capacity(10)).toMatchObject({ active: 4, overCapacity: 0, available: 6 });
  });

  it('holds the funded capacity under concurrency too', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) =>
        store.assignContactPerson(assignInput(`fc-${i}`, [METTE, JONAS, SARA][i % 3], { fundedCapacity: 12 })),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(12);
    expect((await store.capacity(12)).active).toBe(12);
  });

  it('the caseload limit holds even when over-capacity is accepted', async () => {
    await db.query(`UPDATE contact_persons SET caseload_limit = 2 WHERE id = $1`, [SARA]);
    await store.assignContactPerson(assignInput('cl-1', SARA));
    await store.assignContactPerson(assignInput('cl-2', SARA));
    const error = await refusal(store.assignContactPerson(assignInput('cl-3', SARA, { acceptOverCapacity: true })));
    expect(error.code).toBe('CASELOAD_FULL');
    expect(error.message).toMatch(/Sara Holm already has 2 young people, the caseload limit of 2/);
  });

  it('gives a young person assigned twice at once exactly one assignment', async () => {
    const results = await Promise.allSettled([
      store.assignContactPerson(assignInput('twice', METTE)),
      store.assignContactPerson(assignInput('twice', JONAS)),
      store.assignContactPerson(assignInput('twice', SARA)),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) {
      expect(r.reason).toMatchObject({ code: 'ALREADY_ASSIGNED' });
    }
    expect((await tableCounts(db)).assignments).toBe(1);
  });

  it('refuses a second active assignment, naming the contact person', async () => {
    await store.assignContactPerson(assignInput('held', METTE));
    const error = await refusal(store.assignContactPerson(assignInput('held', JONAS)));
    expect(error.code).toBe('ALREADY_ASSIGNED');
    expect(error.message).toMatch(/Mette Kjær/);
  });

  it('has the one-active-per-youth index as the last line of defence', async () => {
    const insert = `INSERT INTO contact_person_assignments (youth_id, contact_person_id, assigned_by) VALUES ('bypass', $1, 'x')`;
    await db.query(insert, [JONAS]);
    const error = await db.query(insert, [METTE]).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toMatchObject({ code: '23505', constraint: 'contact_person_assignments_one_active_per_youth' });
  });

  it.runIf(backend.url !== undefined)(
    'maps the index violation to ALREADY_ASSIGNED when another writer slips past the checks',
    async () => {
      // Another connection inserts without the store's lock and has not committed yet: the store's check
      // cannot see that row, its insert waits on the index, and fails once the other commits.
      const other = new pg.Client({ connectionString: backend.url, options: `-c search_path=${db.schema}` });
      await other.connect();
      try {
        await other.query('BEGIN');
        await other.query(`INSERT INTO contact_person_assignments (youth_id, contact_person_id, assigned_by) VALUES ('race', $1, 'x')`, [
          JONAS,
        ]);
        const pending = refusal(store.assignContactPerson(assignInput('race', METTE)));
        await new Promise((resolve) => setTimeout(resolve, 300));
        await other.query('COMMIT');
        const error = await pending;
        expect(error.code).toBe('ALREADY_ASSIGNED');
      } finally {
        await other.end();
      }
      expect((await store.activeAssignment('race'))?.contactPersonId).toBe(JONAS);
    },
  );

  it('answers NOT_FOUND for an unknown or inactive contact person', async () => {
    expect((await refusal(store.assignContactPerson(assignInput('nf', 'gkp-nobody')))).code).toBe('NOT_FOUND');
    await db.query('UPDATE contact_persons SET active = false WHERE id = $1', [JONAS]);
    const error = await refusal(store.assignContactPerson(assignInput('nf', JONAS)));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toMatch(/no active contact person with id "gkp-jonas-brandt"/);
    expect((await store.listContactPersons()).map((p) => p.id)).not.toContain(JONAS);
    expect((await store.listContactPersons({ includeInactive: true })).map((p) => p.id)).toContain(JONAS);
    expect(await store.getContactPerson('gkp-nobody')).toBeNull();
  });

  it('replays an assignment with the same idempotency key: one row, same result', async () => {
    const first = await store.assignContactPerson(assignInput('idem', METTE, { idempotencyKey: 'req-1' }));
    const second = await store.assignContactPerson(assignInput('idem', METTE, { idempotencyKey: 'req-1' }));
    expect(second).toEqual(first);
    const concurrent = await Promise.all(
      Array.from({ length: 5 }, () => store.assignContactPerson(assignInput('idem-c', JONAS, { idempotencyKey: 'req-2' }))),
    );
    expect(new Set(concurrent.map((a) => a.id)).size).toBe(1);
    expect((await tableCounts(db)).assignments).toBe(2);
    // Even once the assignment has ended, the key still answers with it rather than assigning again.
    await store.endAssignment({ youthId: 'idem', reason: 'moved away', endedBy: 'x' });
    const replay = await store.assignContactPerson(assignInput('idem', METTE, { idempotencyKey: 'req-1' }));
    expect(replay.id).toBe(first.id);
    expect(replay.endedAt).not.toBeNull();
    // The same key for a different request is a mistake the caller must hear about.
    const error = await refusal(store.assignContactPerson(assignInput('someone-else', METTE, { idempotencyKey: 'req-1' })));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(/idempotencyKey "req-1" was already used/);
  });

  it('ends idempotently: the same key returns the same ended assignment', async () => {
    await store.assignContactPerson(assignInput('end-idem', METTE));
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        store.endAssignment({ youthId: 'end-idem', reason: 'turned 25', endedBy: 'x', idempotencyKey: 'end-1' }),
      ),
    );
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(results[0]?.endedAt).not.toBeNull();
    // Without a key, a second end is an error: nothing is active any more.
    const error = await refusal(store.endAssignment({ youthId: 'end-idem', reason: 'again', endedBy: 'x' }));
    expect(error.code).toBe('NOT_ASSIGNED');
    // Even after a new assignment starts, the old key still names the old end and does not end the new one.
    const next = await store.assignContactPerson(assignInput('end-idem', JONAS));
    const replay = await store.endAssignment({ youthId: 'end-idem', reason: 'turned 25', endedBy: 'x', idempotencyKey: 'end-1' });
    expect(replay.id).toBe(results[0]?.id);
    expect((await store.activeAssignment('end-idem'))?.id).toBe(next.id);
  });

  it('NOT_ASSIGNED for a young person without an active assignment', async () => {
    const error = await refusal(store.endAssignment({ youthId: 'nobody', reason: 'x', endedBy: 'x' }));
    expect(error.code).toBe('NOT_ASSIGNED');
  });

  it('refuses bad input with a message naming the field, and writes nothing', async () => {
    await store.assignContactPerson(assignInput('existing', METTE));
    const before = await tableCounts(db);
    const cases: [() => Promise<unknown>, RegExp][] = [
      [() => store.assignContactPerson(assignInput('  ')), /youthId must not be empty/],
      [() => store.assignContactPerson(assignInput('y', '')), /contactPersonId must not be empty/],
      [() => store.assignContactPerson(assignInput('y', METTE, { assignedBy: '' })), /assignedBy must not be empty/],
      [() => store.assignContactPerson(assignInput('x'.repeat(129))), /youthId is too long: at most 128 characters, got 129/],
      [() => store.assignContactPerson(assignInput('y', METTE, { note: 'n'.repeat(2001) })), /note is too long/],
      [() => store.assignContactPerson(assignInput('y', METTE, { fundedCapacity: -1 })), /fundedCapacity must be a whole number/],
      [() => store.assignContactPerson(assignInput('y', METTE, { fundedCapacity: 1.5 })), /fundedCapacity must be a whole number/],
      [() => store.assignContactPerson(assignInput('y', METTE, { idempotencyKey: 'k'.repeat(201) })), /idempotencyKey is too long/],
      [() => store.endAssignment({ youthId: 'existing', reason: '', endedBy: 'x' }), /OTHER\) needs the reason in words/],
      [() => store.endAssignment({ youthId: 'existing', reason: 'r'.repeat(501), endedBy: 'x' }), /reason is too long/],
      [() => store.endAssignment({ youthId: 'existing', reason: 'ok', endedBy: ' ' }), /endedBy must not be empty/],
      [() => store.activeAssignments(['ok', '']), /each of youthIds must not be empty/],
    ];
    for (const [call, message] of cases) {
      const error = await refusal(call());
      expect(error.code).toBe('BAD_USER_INPUT');
      expect(error.message).toMatch(message);
    }
    expect(await tableCounts(db)).toEqual(before);
    expect((await store.activeAssignment('existing'))?.endedAt).toBeNull();
  });

  it('answers batched look-ups in key order, with nulls and repeats', async () => {
    const a = await store.assignContactPerson(assignInput('batch-a', METTE));
    const c = await store.assignContactPerson(assignInput('batch-c', JONAS));
    expect(await store.activeAssignments(['batch-c', 'unknown', 'batch-a', 'batch-c'])).toEqual([c, null, a, c]);
    expect(await store.activeAssignments([])).toEqual([]);
    const people = await store.getContactPersons([SARA, 'nobody', METTE]);
    expect(people.map((p) => p?.id ?? null)).toEqual([SARA, null, METTE]);
    expect(people[2]?.activeCaseload).toBe(1);
  });

  it('reads active assignments with their contact persons in one query, the same as read one by one', async () => {
    const a = await store.assignContactPerson(assignInput('joined-a', METTE));
    const c = await store.assignContactPerson(assignInput('joined-c', JONAS));
    await store.assignContactPerson(assignInput('joined-d', METTE));
    const [mette, jonas] = await store.getContactPersons([METTE, JONAS]);
    expect(mette?.activeCaseload).toBe(2);
    expect(await store.activeAssignmentsWithContactPersons(['joined-c', 'unknown', 'joined-a'])).toEqual([
      { ...c, contactPerson: jonas },
      null,
      { ...a, contactPerson: mette },
    ]);
    await expect(store.activeAssignmentsWithContactPersons(['ok', ''])).rejects.toThrow(/each of youthIds must not be empty/);
  });
});

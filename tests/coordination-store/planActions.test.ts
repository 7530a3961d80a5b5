import { describe, expect, it } from 'vitest';
import type { Database } from '../../platform/db/database.js';
import type { CoordinationStore, AddPlanActionInput } from '../../subgraphs/coordination/store/coordinationStore.js';
import { backends, tableCounts, refusal, useMigratedStore } from './backends.js';

function action(youthId: string, extra: Partial<AddPlanActionInput> = {}): AddPlanActionInput {
  return { youthId, title: 'Visit the vocational college', ownerUnit: 'GUIDANCE', createdBy: 'uu-1', ...extra };
}

describe.each(backends)('plan actions and joint decisions on $name', (backend) => {
  let db: Database;
  let store: CoordinationStore;
  useMigratedStore(backend, (opened) => ({ db, store } = opened));

  it('adds an action and completes it', async () => {
    const added = await store.addPlanAction(action('y-1', { description: 'Bring the education plan', due: '2026-03-01' }));
    expect(added).toMatchObject({
      youthId: 'y-1',
      title: 'Visit the vocational college',
      description: 'Bring the education plan',
      ownerUnit: 'GUIDANCE',
      due: '2026-03-01',
      status: 'OPEN',
      createdBy: 'uu-1',
      completedBy: null,
      completedAt: null,
    });
    expect(await store.getPlanAction(added.id)).toEqual(added);
    const done = await store.completePlanAction({ actionId: added.id, completedBy: 'gkp-1' });
    expect(done).toMatchObject({ id: added.id, status: 'DONE', completedBy: 'gkp-1' });
    expect(done.completedAt).not.toBeNull();
  });

  it('ALREADY_DONE for a second completion; the same key replays the first', async () => {
    const added = await store.addPlanAction(action('y-2'));
    const results = await Promise.all(
      Array.from({ length: 4 }, () => store.completePlanAction({ actionId: added.id, completedBy: 'a', idempotencyKey: 'done-1' })),
    );
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    const error = await refusal(store.completePlanAction({ actionId: added.id, completedBy: 'b' }));
    expect(error.code).toBe('ALREADY_DONE');
    expect(error.message).toMatch(/"Visit the vocational college" was already completed by a/);
    const other = await refusal(store.completePlanAction({ actionId: added.id, completedBy: 'b', idempotencyKey: 'done-2' }));
    expect(other.code).toBe('ALREADY_DONE');
    // The key that completed one action cannot complete another.
    const second = await store.addPlanAction(action('y-2', { title: 'Second' }));
    const reused = await refusal(store.completePlanAction({ actionId: second.id, completedBy: 'a', idempotencyKey: 'done-1' }));
    expect(reused.code).toBe('BAD_USER_INPUT');
    expect((await store.getPlanAction(second.id))?.status).toBe('OPEN');
  });

  it('NOT_FOUND for an unknown action, BAD_USER_INPUT for a malformed id', async () => {
    const missing = await refusal(store.completePlanAction({ actionId: '00000000-0000-4000-8000-000000000000', completedBy: 'a' }));
    expect(missing.code).toBe('NOT_FOUND');
    const malformed = await refusal(store.completePlanAction({ actionId: 'not-a-uuid', completedBy: 'a' }));
    expect(malformed.code).toBe('BAD_USER_INPUT');
    expect(malformed.message).toMatch(/actionId is not a valid id/);
  });

  it('adds once per idempotency key, also concurrently', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => store.addPlanAction(action('y-3', { idempotencyKey: 'add-1' }))));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect((await tableCounts(db)).plan_actions).toBe(1);
    const error = await refusal(store.addPlanAction(action('y-3', { title: 'Something else', idempotencyKey: 'add-1' })));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(/already used for a different request/);
  });

  it('returns actions batched in key order, each young person in creation order', async () => {
    const a1 = await store.addPlanAction(action('a', { title: 'a1' }));
    const b1 = await store.addPlanAction(action('b', { title: 'b1', ownerUnit: 'JOBCENTER' }));
    const a2 = await store.addPlanAction(action('a', { title: 'a2', ownerUnit: 'SOCIAL' }));
    const batches = await store.planActions(['b', 'none', 'a', 'b']);
    expect(batches.map((list) => list.map((x) => x.id))).toEqual([[b1.id], [], [a1.id, a2.id], [b1.id]]);
    expect(batches[0]).not.toBe(batches[3]); // separate arrays for repeated keys
    expect(await store.planActions([])).toEqual([]);
  });

  it('records joint decisions across at least two units', async () => {
    const decision = await store.recordJointDecision({
      youthId: 'jd-1',
      summary: 'Bridge-building course from August; jobcenter keeps the mentor',
      units: ['GUIDANCE', 'JOBCENTER', 'GUIDANCE'],
      recordedBy: 'gkp-1',
      decidedAt: '2026-01-15',
    });
    expect(decision).toMatchObject({ youthId: 'jd-1', units: ['GUIDANCE', 'JOBCENTER'], decidedAt: '2026-01-15T00:00:00.000Z' });
    const second = await store.recordJointDecision({
      youthId: 'jd-1',
      summary: 'Second',
      units: ['SOCIAL', 'SCHOOL'],
      recordedBy: 'gkp-1',
      decidedAt: '2026-02-01T10:00:00+01:00',
      idempotencyKey: 'jd-key',
    });
    const replay = await store.recordJointDecision({
      youthId: 'jd-1',
      summary: 'Second',
      units: ['SOCIAL', 'SCHOOL'],
      recordedBy: 'gkp-1',
      idempotencyKey: 'jd-key',
    });
    expect(replay).toEqual(second);
    expect((await store.jointDecisions(['none', 'jd-1'])).map((l) => l.map((d) => d.id))).toEqual([[], [decision.id, second.id]]);
  });

  it('the database itself refuses a joint decision of one unit', async () => {
    const error = await db
      .query(`INSERT INTO joint_decisions (youth_id, decided_at, summary, units, recorded_by) VALUES ('x', now(), 's', $1, 'r')`, [
        ['SCHOOL', 'SCHOOL'],
      ])
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(error).toMatchObject({ code: '23514', constraint: 'joint_decisions_units_joint' });
  });

  it('refuses bad input with a message naming the field, and writes nothing', async () => {
    const open = await store.addPlanAction(action('ok'));
    const before = await tableCounts(db);
    const cases: [() => Promise<unknown>, RegExp][] = [
      [() => store.addPlanAction(action('y', { title: '   ' })), /title must not be empty/],
      [() => store.addPlanAction(action('y', { title: 't'.repeat(201) })), /title is too long: at most 200/],
      [() => store.addPlanAction(action('y', { ownerUnit: 'POLICE' })), /ownerUnit must be one of SCHOOL, GUIDANCE/],
      [() => store.addPlanAction(action('y', { due: '2026-02-30' })), /due is not a real date/],
      [() => store.addPlanAction(action('y', { due: '01-03-2026' })), /due must be a date written YYYY-MM-DD/],
      [() => store.addPlanAction(action('y', { description: 'd'.repeat(4001) })), /description is too long/],
      [() => store.addPlanAction(action('', {})), /youthId must not be empty/],
      [() => store.completePlanAction({ actionId: open.id, completedBy: '' }), /completedBy must not be empty/],
      [
        () => store.recordJointDecision({ youthId: 'y', summary: 's', units: ['SCHOOL'], recordedBy: 'r' }),
        /at least two different units, got 1/,
      ],
      [
        () => store.recordJointDecision({ youthId: 'y', summary: 's', units: ['SCHOOL', 'SCHOOL'], recordedBy: 'r' }),
        /at least two different units/,
      ],
      [
        () => store.recordJointDecision({ youthId: 'y', summary: 's', units: ['SCHOOL', 'MARS'], recordedBy: 'r' }),
        /each of units must be one of/,
      ],
      [
        () => store.recordJointDecision({ youthId: 'y', summary: '', units: ['SCHOOL', 'SOCIAL'], recordedBy: 'r' }),
        /summary must not be empty/,
      ],
      [
        () =>
          store.recordJointDecision({ youthId: 'y', summary: 's', units: ['SCHOOL', 'SOCIAL'], recordedBy: 'r', decidedAt: '2199-01-01' }),
        /decidedAt lies in the future/,
      ],
      [
        () =>
          store.recordJointDecision({ youthId: 'y', summary: 's', units: ['SCHOOL', 'SOCIAL'], recordedBy: 'r', decidedAt: 'yesterday' }),
        /decidedAt must be an ISO 8601 date-time/,
      ],
      [() => store.planActions(['a', 'x'.repeat(200)]), /each of youthIds is too long/],
    ];
    for (const [call, message] of cases) {
      const error = await refusal(call());
      expect(error.code).toBe('BAD_USER_INPUT');
      expect(error.message).toMatch(message);
    }
    expect(await tableCounts(db)).toEqual(before);
    expect((await store.getPlanAction(open.id))?.status).toBe('OPEN');
  });
});

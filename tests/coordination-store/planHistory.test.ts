/**
 * Issue 15: plan actions edited and cancelled with a reason; each change kept (who, when, what, why) as
 * the action's history, nothing deleted, bad input refused with a code and nothing written.
 */
import { describe, expect, it } from 'vitest';
import type { Database } from '../../platform/db/database.js';
import type { AddPlanActionInput, CoordinationStore, PlanAction } from '../../subgraphs/coordination/store/coordinationStore.js';
import { backends, refusal, useMigratedStore } from './backends.js';

const REASON = 'The college has no place before January';
const UU = { actorRole: 'uu-counsellor', actorUnit: 'UU' };

function action(youthId: string, extra: Partial<AddPlanActionInput> = {}): AddPlanActionInput {
  return { youthId, title: 'Visit the vocational college', ownerUnit: 'GUIDANCE', createdBy: 'uu-1', ...UU, ...extra };
}

/** What a refused call must leave as it was: the action, its history, and the keys claimed. */
async function snapshot(db: Database, store: CoordinationStore, added: PlanAction) {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM idempotent_requests');
  return { action: await store.getPlanAction(added.id), history: await store.planActionHistory([added.id]), keys: rows[0]?.n };
}

describe.each(backends)('plan action history on $name', (backend) => {
  let db: Database;
  let store: CoordinationStore;
  useMigratedStore(backend, (opened) => ({ db, store } = opened));

  it('an action edited then cancelled has three changes in order: who, when, what and why', async () => {
    const added = await store.addPlanAction(action('y-1', { due: '2026-12-01' }));
    const edited = await store.editPlanAction({
      actionId: added.id,
      due: '2027-01-15',
      title: 'Visit the vocational college', // unchanged: not recorded as a change
      description: 'Bring the education plan',
      reason: REASON,
      changedBy: 'sb-7',
      actorRole: 'social-caseworker',
      actorUnit: 'FAMILY_GROUP_2',
    });
    expect(edited).toMatchObject({ id: added.id, status: 'OPEN', due: '2027-01-15', description: 'Bring the education plan' });
    const cancelled = await store.cancelPlanAction({ actionId: added.id, reason: 'He started at FGU instead', cancelledBy: 'uu-2' });
    expect(cancelled).toMatchObject({ status: 'CANCELLED', cancelledBy: 'uu-2', cancelledReason: 'He started at FGU instead' });
    expect(cancelled.cancelledAt).not.toBeNull();

    const [history] = await store.planActionHistory([added.id]);
    expect(history!.map((c) => c.kind)).toEqual(['CREATED', 'EDITED', 'CANCELLED']);
    expect(history![0]).toMatchObject({
      changedBy: 'uu-1',
      changedByRole: 'uu-counsellor',
      changedByUnit: 'UU',
      before: {},
      after: { title: 'Visit the vocational college', ownerUnit: 'GUIDANCE', due: '2026-12-01', status: 'OPEN' },
      reason: null,
    });
    expect(history![1]).toMatchObject({
      changedBy: 'sb-7',
      changedByRole: 'social-caseworker',
      changedByUnit: 'FAMILY_GROUP_2',
      before: { due: '2026-12-01', description: null },
      after: { due: '2027-01-15', description: 'Bring the education plan' },
      reason: REASON,
    });
    expect(history![2]).toMatchObject({
      changedBy: 'uu-2',
      changedByRole: null,
      before: { status: 'OPEN' },
      after: { status: 'CANCELLED' },
      reason: 'He started at FGU instead',
    });
    const times = history!.map((c) => c.changedAt);
    expect(times).toEqual([...times].sort());
    // Nothing deleted: the cancelled action is still listed with its status.
    const [listed] = await store.planActions(['y-1']);
    expect(listed!.map((a) => [a.id, a.status])).toEqual([[added.id, 'CANCELLED']]);
  });

  it('completing records a change; an edit of a completed action is kept, its cancellation refused', async () => {
    const added = await store.addPlanAction(action('y-2'));
    await store.completePlanAction({ actionId: added.id, completedBy: 'jc-1', actorRole: 'jobcenter-advisor', actorUnit: 'JOBCENTER' });
    await store.editPlanAction({
      actionId: added.id,
      ownerUnit: 'JOBCENTER',
      reason: 'The jobcenter did it in the end',
      changedBy: 'jc-1',
    });
    const error = await refusal(store.cancelPlanAction({ actionId: added.id, reason: REASON, cancelledBy: 'jc-1' }));
    expect(error.code).toBe('ALREADY_DONE');
    const [history] = await store.planActionHistory([added.id]);
    expect(history!.map((c) => [c.kind, c.before, c.after])).toEqual([
      ['CREATED', {}, { title: 'Visit the vocational college', ownerUnit: 'GUIDANCE', status: 'OPEN' }],
      ['COMPLETED', { status: 'OPEN' }, { status: 'DONE' }],
      ['EDITED', { ownerUnit: 'GUIDANCE' }, { ownerUnit: 'JOBCENTER' }],
    ]);
  });

  it('refuses with a code and writes nothing: cancelled, unknown, no reason, nothing to change, bad values', async () => {
    const added = await store.addPlanAction(action('y-3', { due: '2026-12-01' }));
    const open = await store.addPlanAction(action('y-3', { title: 'Second' }));
    await store.cancelPlanAction({ actionId: added.id, reason: REASON, cancelledBy: 'uu-1' });
    const before = await snapshot(db, store, added);
    const beforeOpen = await snapshot(db, store, open);

    // Thunks: each call starts when its turn comes (a promise made early and awaited late is an unhandled rejection).
    const cases: [() => Promise<unknown>, string, string | undefined][] = [
      [() => store.cancelPlanAction({ actionId: added.id, reason: REASON, cancelledBy: 'uu-2' }), 'ALREADY_CANCELLED', undefined],
      [() => store.editPlanAction({ actionId: added.id, title: 'New', reason: REASON, changedBy: 'uu-2' }), 'ALREADY_CANCELLED', undefined],
      [() => store.completePlanAction({ actionId: added.id, completedBy: 'uu-2' }), 'ALREADY_CANCELLED', undefined],
      [
        () => store.editPlanAction({ actionId: '00000000-0000-4000-8000-000000000000', title: 'x', reason: REASON, changedBy: 'a' }),
        'NOT_FOUND',
        'actionId',
      ],
      [() => store.cancelPlanAction({ actionId: 'not-an-id', reason: REASON, cancelledBy: 'a' }), 'BAD_USER_INPUT', 'actionId'],
      [() => store.cancelPlanAction({ actionId: open.id, reason: '  ', cancelledBy: 'a' }), 'REASON_REQUIRED', 'reason'],
      [() => store.cancelPlanAction({ actionId: open.id, reason: 'mistake', cancelledBy: 'a' }), 'REASON_REQUIRED', 'reason'],
      [() => store.editPlanAction({ actionId: open.id, title: 'New', reason: 'typo', changedBy: 'a' }), 'REASON_REQUIRED', 'reason'],
      [() => store.editPlanAction({ actionId: open.id, reason: REASON, changedBy: 'a' }), 'BAD_USER_INPUT', 'title'],
      [() => store.editPlanAction({ actionId: open.id, title: 'Second', reason: REASON, changedBy: 'a' }), 'BAD_USER_INPUT', 'title'],
      [() => store.editPlanAction({ actionId: open.id, title: null, reason: REASON, changedBy: 'a' }), 'BAD_USER_INPUT', 'title'],
      [() => store.editPlanAction({ actionId: open.id, ownerUnit: 'MARS', reason: REASON, changedBy: 'a' }), 'BAD_USER_INPUT', 'ownerUnit'],
      [() => store.editPlanAction({ actionId: open.id, due: '2026-02-30', reason: REASON, changedBy: 'a' }), 'BAD_USER_INPUT', 'due'],
      [
        () => store.editPlanAction({ actionId: open.id, title: 'x'.repeat(201), reason: REASON, changedBy: 'a' }),
        'BAD_USER_INPUT',
        'title',
      ],
    ];
    for (const [call, code, field] of cases) {
      const error = await refusal(call());
      expect(error.code, error.message).toBe(code);
      if (field) expect(error.details?.['field'], error.message).toBe(field);
    }
    expect(await snapshot(db, store, added)).toEqual(before);
    expect(await snapshot(db, store, open)).toEqual(beforeOpen);
  });

  it('an edit or cancellation takes effect once per idempotency key; the key for something else is refused', async () => {
    const added = await store.addPlanAction(action('y-4'));
    const edit = { actionId: added.id, due: '2027-02-01', reason: REASON, changedBy: 'uu-1', idempotencyKey: 'edit-1' };
    const results = await Promise.all(Array.from({ length: 3 }, () => store.editPlanAction(edit)));
    expect(new Set(results.map((r) => r.due))).toEqual(new Set(['2027-02-01']));
    const other = await refusal(store.editPlanAction({ ...edit, due: '2027-03-01' }));
    expect(other.code).toBe('BAD_USER_INPUT');
    expect(other.message).toMatch(/already used for a different request/);

    const cancel = { actionId: added.id, reason: REASON, cancelledBy: 'uu-1', idempotencyKey: 'cancel-1' };
    const first = await store.cancelPlanAction(cancel);
    expect(await store.cancelPlanAction(cancel)).toEqual(first);
    const [history] = await store.planActionHistory([added.id]);
    expect(history!.map((c) => c.kind)).toEqual(['CREATED', 'EDITED', 'CANCELLED']);
    expect((await store.getPlanAction(added.id))?.due).toBe('2027-02-01');
  });

  it('returns histories batched in key order', async () => {
    const a = await store.addPlanAction(action('y-5'));
    const b = await store.addPlanAction(action('y-6'));
    await store.completePlanAction({ actionId: b.id, completedBy: 'x' });
    const batches = await store.planActionHistory([b.id, a.id, '00000000-0000-4000-8000-000000000000']);
    expect(batches.map((list) => list.map((c) => c.kind))).toEqual([['CREATED', 'COMPLETED'], ['CREATED'], []]);
  });

  it('the database itself refuses a cancellation without a reason and a history row without one', async () => {
    const added = await store.addPlanAction(action('y-7'));
    const update = await db
      .query(`UPDATE plan_actions SET status = 'CANCELLED', cancelled_at = now(), cancelled_by = 'x' WHERE id = $1::uuid`, [added.id])
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(update).toMatchObject({ code: '23514', constraint: 'plan_actions_cancellation_consistent' });
    const insert = await db
      .query(`INSERT INTO plan_action_changes (action_id, change, changed_by, after) VALUES ($1::uuid, 'EDITED', 'x', '{}')`, [added.id])
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(insert).toMatchObject({ code: '23514', constraint: 'plan_action_changes_reason_given' });
  });
});

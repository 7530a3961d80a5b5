/**
 * Issue 15: meetings about a young person (day, kind, place, units, participants by role) and the joint
 * decisions and plan actions they made; bad input refused with a code and nothing written.
 */
import { describe, expect, it } from 'vitest';
import type { Database } from '../../platform/db/database.js';
import type { CoordinationStore } from '../../subgraphs/coordination/store/coordinationStore.js';
import type { RecordMeetingInput } from '../../subgraphs/coordination/store/meetings.js';
import { backends, refusal, useMigratedStore } from './backends.js';

const BORN = '2010-03-15'; // 16 on the meeting day below, 18 on 2028-03-15
const TODAY = '2026-11-01';

function meeting(youthId: string, extra: Partial<RecordMeetingInput> = {}): RecordMeetingInput {
  return {
    youthId,
    heldOn: '2026-10-28',
    kind: 'COORDINATING_MEETING_16_5',
    place: 'UDDANNELSESHUSET',
    units: ['GUIDANCE', 'SOCIAL'],
    participants: ['UU_COUNSELLOR', 'YOUNG_PERSON', 'PARENT_OR_GUARDIAN', 'SOCIAL_CASEWORKER', 'PARENT_OR_GUARDIAN'],
    youthBirthDate: BORN,
    today: TODAY,
    recordedBy: 'uu-1',
    actorRole: 'uu-counsellor',
    actorUnit: 'UU',
    ...extra,
  };
}

async function counts(db: Database) {
  const { rows } = await db.query<Record<string, number>>(`
    SELECT (SELECT count(*)::int FROM meetings) AS meetings,
           (SELECT count(*)::int FROM joint_decisions WHERE meeting_id IS NOT NULL) AS linked_decisions,
           (SELECT count(*)::int FROM plan_actions WHERE meeting_id IS NOT NULL) AS linked_actions,
           (SELECT count(*)::int FROM plan_action_changes) AS changes,
           (SELECT count(*)::int FROM idempotent_requests) AS keys`);
  return rows[0];
}

describe.each(backends)('meetings on $name', (backend) => {
  let db: Database;
  let store: CoordinationStore;
  useMigratedStore(backend, (opened) => ({ db, store } = opened));

  it('records a meeting with roles only, links existing decisions and actions, and lists newest first', async () => {
    const decision = await store.recordJointDecision({
      youthId: 'y-1',
      summary: 'FGU from August',
      units: ['GUIDANCE', 'SOCIAL'],
      recordedBy: 'uu-1',
    });
    const action = await store.addPlanAction({ youthId: 'y-1', title: 'Visit FGU', ownerUnit: 'GUIDANCE', createdBy: 'uu-1' });
    const first = await store.recordMeeting(
      meeting('y-1', { jointDecisionIds: [decision.id], planActionIds: [action.id, action.id.toUpperCase()] }),
    );
    expect(first).toMatchObject({
      youthId: 'y-1',
      heldOn: '2026-10-28',
      kind: 'COORDINATING_MEETING_16_5',
      place: 'UDDANNELSESHUSET',
      placeNote: null,
      units: ['GUIDANCE', 'SOCIAL'],
      // In the role order, one entry per person: two parents are two.
      participants: ['YOUNG_PERSON', 'PARENT_OR_GUARDIAN', 'PARENT_OR_GUARDIAN', 'UU_COUNSELLOR', 'SOCIAL_CASEWORKER'],
      jointDecisionIds: [decision.id],
      planActionIds: [action.id],
      recordedBy: 'uu-1',
    });
    expect((await store.getPlanAction(action.id))?.meetingId).toBe(first.id);
    expect((await store.jointDecisions(['y-1']))[0]![0]!.meetingId).toBe(first.id);
    const [history] = await store.planActionHistory([action.id]);
    expect(history!.map((c) => [c.kind, c.after])).toEqual([
      ['CREATED', { title: 'Visit FGU', ownerUnit: 'GUIDANCE', status: 'OPEN' }],
      ['LINKED_TO_MEETING', { meetingId: first.id }],
    ]);

    // A plan action and a decision made at the meeting, recorded afterwards with its id.
    const later = await store.addPlanAction({
      youthId: 'y-1',
      title: 'Apply',
      ownerUnit: 'GUIDANCE',
      createdBy: 'uu-1',
      meetingId: first.id,
    });
    const laterDecision = await store.recordJointDecision({
      youthId: 'y-1',
      summary: 'Mentor stays',
      units: ['JOBCENTER', 'SOCIAL'],
      recordedBy: 'uu-1',
      meetingId: first.id,
    });
    expect(later.meetingId).toBe(first.id);
    expect(laterDecision.meetingId).toBe(first.id);
    const second = await store.recordMeeting(meeting('y-1', { heldOn: '2026-10-30', kind: 'OTHER', place: 'OTHER', placeNote: 'Café' }));
    const older = await store.recordMeeting(meeting('y-1', { heldOn: '2026-09-01', kind: 'WELL_BEING_FORUM', place: 'SCHOOL' }));
    const [list, none] = await store.meetings(['y-1', 'y-none']);
    expect(list!.map((m) => m.id)).toEqual([second.id, first.id, older.id]);
    expect(list![1]).toMatchObject({ planActionIds: [action.id, later.id], jointDecisionIds: [decision.id, laterDecision.id] });
    expect(none).toEqual([]);
  });

  it('refuses bad input with a code naming the field, and writes nothing', async () => {
    const other = await store.addPlanAction({ youthId: 'y-other', title: 'Theirs', ownerUnit: 'GUIDANCE', createdBy: 'uu-1' });
    const linked = await store.addPlanAction({ youthId: 'y-2', title: 'Mine', ownerUnit: 'GUIDANCE', createdBy: 'uu-1' });
    await store.recordMeeting(meeting('y-2', { planActionIds: [linked.id] }));
    const before = await counts(db);
    const cases: [Partial<RecordMeetingInput>, string, string][] = [
      [{ heldOn: '2026-11-02' }, 'BAD_USER_INPUT', 'heldOn'], // tomorrow
      [{ heldOn: '2023-03-14' }, 'BAD_USER_INPUT', 'heldOn'], // the day before the 13th birthday
      [{ heldOn: '2026-13-01' }, 'BAD_USER_INPUT', 'heldOn'],
      [{ youthBirthDate: '2008-03-15' }, 'AGED_18_OR_OVER', 'participants'], // 18 on the meeting day
      [{ units: [] }, 'BAD_USER_INPUT', 'units'],
      [{ units: ['GUIDANCE', 'UNKNOWN_UNIT'] }, 'BAD_USER_INPUT', 'units'],
      [{ participants: [] }, 'BAD_USER_INPUT', 'participants'],
      [{ participants: Array.from({ length: 31 }, () => 'SCHOOL') }, 'BAD_USER_INPUT', 'participants'],
      [{ participants: ['YOUNG_PERSON', 'YOUNG_PERSON'] }, 'BAD_USER_INPUT', 'participants'],
      [{ participants: ['MOTHER'] }, 'BAD_USER_INPUT', 'participants'],
      [{ kind: 'PARTY' }, 'BAD_USER_INPUT', 'kind'],
      [{ place: 'OTHER' }, 'BAD_USER_INPUT', 'placeNote'],
      [{ place: 'MOON' }, 'BAD_USER_INPUT', 'place'],
      [{ placeNote: 'x'.repeat(201) }, 'BAD_USER_INPUT', 'placeNote'],
      [{ planActionIds: [other.id] }, 'NOT_FOUND', 'planActionIds'], // another young person's
      [{ planActionIds: [linked.id] }, 'BAD_USER_INPUT', 'planActionIds'], // already linked
      [{ jointDecisionIds: ['00000000-0000-4000-8000-000000000000'] }, 'NOT_FOUND', 'jointDecisionIds'],
      [{ jointDecisionIds: ['nope'] }, 'BAD_USER_INPUT', 'jointDecisionIds'],
    ];
    for (const [extra, code, field] of cases) {
      const error = await refusal(store.recordMeeting(meeting('y-2', { ...extra, idempotencyKey: `k-${field}-${code}` })));
      expect(error.code, `${JSON.stringify(extra)}: ${error.message}`).toBe(code);
      expect(error.details?.['field'], error.message).toBe(field);
    }
    // A parent at 17 (the day before the 18th birthday) is allowed.
    await store.recordMeeting(meeting('y-3', { youthBirthDate: '2008-10-29' }));
    // A plan action or decision for another young person's meeting answers as unknown.
    const theirs = await store.recordMeeting(meeting('y-4'));
    const error = await refusal(
      store.addPlanAction({ youthId: 'y-2', title: 'x', ownerUnit: 'GUIDANCE', createdBy: 'a', meetingId: theirs.id }),
    );
    expect(error).toMatchObject({ code: 'NOT_FOUND', details: { field: 'meetingId' } });
    const decisionError = await refusal(
      store.recordJointDecision({ youthId: 'y-2', summary: 's', units: ['SCHOOL', 'SOCIAL'], recordedBy: 'a', meetingId: theirs.id }),
    );
    expect(decisionError).toMatchObject({ code: 'NOT_FOUND', details: { field: 'meetingId' } });
    expect(await counts(db)).toEqual({ ...before, meetings: before!.meetings! + 2, keys: before!.keys });
  });

  it('records once per idempotency key, also concurrently; the key for another meeting is refused', async () => {
    const input = meeting('y-5', { idempotencyKey: 'meeting-1' });
    const results = await Promise.all(Array.from({ length: 4 }, () => store.recordMeeting(input)));
    expect(new Set(results.map((m) => m.id)).size).toBe(1);
    // The same meeting with the participants in another order is the same request.
    const replay = await store.recordMeeting({ ...input, participants: [...input.participants].reverse() });
    expect(replay.id).toBe(results[0]!.id);
    const error = await refusal(store.recordMeeting({ ...input, heldOn: '2026-10-27' }));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(/already used for a different request/);
    expect((await store.meetings(['y-5']))[0]).toHaveLength(1);
  });
});

import { describe, expect, it } from 'vitest';
import type { Database } from '../../platform/db/database.js';
import { openDatabase } from '../../platform/db/database.js';
import { CoordinationStore, type AssignContactPersonInput } from '../../subgraphs/coordination/store/coordinationStore.js';
import { runAssignmentReview } from '../../subgraphs/coordination/screening/assignmentReview.js';
import type { YouthFacts } from '../../subgraphs/coordination/rules/facts.js';
import { backends, logger, METTE, SARA, refusal, tableCounts, useMigratedStore } from './backends.js';

/**
 * Issue 13 in the store: an assignment records its basis (seeds/000 "når det vurderes"), the written
 * justification and the coordination with existing support ("erstatter ikke de eksisterende
 * støttemuligheder"); it ends with a code and a day ("frem til det 25. år eller indtil den unge er
 * forankret"); the daily review runs once however many replicas tick; contact persons are administered.
 */

const JUSTIFICATION = 'Several units are involved and nobody holds the whole case today.';
const COORDINATION = 'The mentor keeps the job search; the contact person holds the education plan.';

function assignInput(youthId: string, extra: Partial<AssignContactPersonInput> = {}): AssignContactPersonInput {
  return {
    youthId,
    contactPersonId: METTE,
    assignedBy: 'uu-1',
    fundedCapacity: 60,
    acceptOverCapacity: false,
    startedOn: '2026-11-01',
    ...extra,
  };
}

describe.each(backends)('contact-person lifecycle on $name', (backend) => {
  let db: Database;
  let store: CoordinationStore;
  useMigratedStore(backend, (opened) => ({ db, store } = opened));

  it('"når det vurderes": a judgement without a meaningful justification is refused and writes nothing', async () => {
    const before = await tableCounts(db);
    for (const justification of [undefined, '', 'needs one']) {
      const error = await refusal(
        store.assignContactPerson(assignInput('j-1', { basis: 'JUDGEMENT', eligibilityStatus: 'NOT_CANDIDATE', justification })),
      );
      expect(error.code).toBe('JUSTIFICATION_REQUIRED');
      expect(error.details).toMatchObject({ field: 'justification' });
    }
    expect(await tableCounts(db)).toEqual(before);
    const made = await store.assignContactPerson(
      assignInput('j-1', { basis: 'JUDGEMENT', eligibilityStatus: 'NOT_CANDIDATE', justification: JUSTIFICATION }),
    );
    expect(made).toMatchObject({
      basis: 'JUDGEMENT',
      eligibilityAtAssignment: 'NOT_CANDIDATE',
      justification: JUSTIFICATION,
      startedOn: '2026-11-01',
    });
  });

  it('"erstatter ikke de eksisterende støttemuligheder": with existing support the coordination must be arranged', async () => {
    const base = { basis: 'JUDGEMENT', eligibilityStatus: 'HAS_EXISTING_SUPPORT', justification: JUSTIFICATION } as const;
    const error = await refusal(store.assignContactPerson(assignInput('s-1', base)));
    expect(error.code).toBe('COORDINATION_REQUIRED');
    expect((await tableCounts(db)).assignments).toBe(0);
    const made = await store.assignContactPerson(assignInput('s-1', { ...base, supportCoordination: COORDINATION }));
    expect(made.supportCoordination).toBe(COORDINATION);
  });

  it('a caseload full is CASELOAD_FULL, its own code, and counts active assignments only', async () => {
    await db.query('UPDATE contact_persons SET caseload_limit = 1 WHERE id = $1', [SARA]);
    await store.assignContactPerson(assignInput('c-1', { contactPersonId: SARA }));
    expect((await refusal(store.assignContactPerson(assignInput('c-2', { contactPersonId: SARA })))).code).toBe('CASELOAD_FULL');
    await store.endAssignment({ youthId: 'c-1', endCode: 'MOVED', endedBy: 'uu-1', today: '2026-11-02' });
    await store.assignContactPerson(assignInput('c-2', { contactPersonId: SARA }));
  });

  it('"frem til det 25. år eller indtil ... forankret": ends with a code and a day, once', async () => {
    const made = await store.assignContactPerson(assignInput('e-1'));
    const bad = [
      [{ youthId: 'e-1', endCode: 'GRADUATED' }, 'BAD_USER_INPUT'],
      [{ youthId: 'e-1', endCode: 'OTHER' }, 'BAD_USER_INPUT'],
      [{ youthId: 'e-1', endCode: 'MOVED', endedOn: '2026-11-03' }, 'BAD_USER_INPUT'], // after today
      [{ youthId: 'e-1', endCode: 'MOVED', endedOn: '2026-10-31' }, 'BAD_USER_INPUT'], // before the start
      [{ endCode: 'MOVED' }, 'BAD_USER_INPUT'],
      [{ youthId: 'nobody', endCode: 'MOVED' }, 'NOT_ASSIGNED'],
    ] as const;
    for (const [input, code] of bad) {
      expect((await refusal(store.endAssignment({ ...input, endedBy: 'uu-1', today: '2026-11-02' }))).code, JSON.stringify(input)).toBe(
        code,
      );
    }
    expect((await tableCounts(db)).ended_assignments).toBe(0);
    const first = await store.endAssignment({
      assignmentId: made.id,
      endCode: 'ANCHORED_IN_WORK',
      endedBy: 'uu-1',
      today: '2026-11-02',
      idempotencyKey: 'end-1',
    });
    expect(first).toMatchObject({ endCode: 'ANCHORED_IN_WORK', endedOn: '2026-11-02', endReason: 'Anchored in work' });
    const replay = await store.endAssignment({
      assignmentId: made.id,
      endCode: 'ANCHORED_IN_WORK',
      endedBy: 'uu-1',
      today: '2026-11-02',
      idempotencyKey: 'end-1',
    });
    expect(replay).toEqual(first);
    const again = await refusal(store.endAssignment({ assignmentId: made.id, endCode: 'MOVED', endedBy: 'uu-1', today: '2026-11-02' }));
    expect(again.code).toBe('ALREADY_ENDED');
    const other = await store.assignContactPerson(assignInput('e-2'));
    const ended = await store.endAssignment({
      youthId: 'e-2',
      endCode: 'OTHER',
      reason: 'Started at a school abroad',
      endedBy: 'uu-1',
      today: '2026-11-02',
    });
    expect(ended).toMatchObject({ id: other.id, endCode: 'OTHER', endReason: 'Started at a school abroad' });
  });

  it('the coordinator administers contact persons: create, caseload, deactivate, each idempotent and coded', async () => {
    const created = await store.createContactPerson(
      { name: 'Ida Søndergaard', email: 'ida@ungegraf.example', changedBy: 'coord-1', idempotencyKey: 'k1' },
      20,
    );
    expect(created).toMatchObject({ id: 'gkp-ida-soendergaard', caseloadLimit: 20, active: true });
    expect(
      await store.createContactPerson(
        { name: 'Ida Søndergaard', email: 'ida@ungegraf.example', changedBy: 'coord-1', idempotencyKey: 'k1' },
        20,
      ),
    ).toEqual(created);
    expect(
      (await refusal(store.createContactPerson({ name: 'Ida Søndergaard', email: 'ida2@ungegraf.example', changedBy: 'coord-1' }))).code,
    ).toBe('ALREADY_EXISTS');
    expect((await refusal(store.createContactPerson({ name: 'X', email: 'not-an-address', changedBy: 'coord-1' }))).code).toBe(
      'BAD_USER_INPUT',
    );
    expect((await refusal(store.setCaseloadLimit({ contactPersonId: created.id, caseloadLimit: -1, changedBy: 'coord-1' }))).code).toBe(
      'BAD_USER_INPUT',
    );
    expect((await store.setCaseloadLimit({ contactPersonId: created.id, caseloadLimit: 25, changedBy: 'coord-1' })).caseloadLimit).toBe(25);
    expect((await store.deactivateContactPerson({ contactPersonId: created.id, changedBy: 'coord-1' })).active).toBe(false);
    expect((await refusal(store.deactivateContactPerson({ contactPersonId: created.id, changedBy: 'coord-1' }))).code).toBe(
      'ALREADY_INACTIVE',
    );
    expect((await refusal(store.assignContactPerson(assignInput('a-1', { contactPersonId: created.id })))).code).toBe('NOT_FOUND');
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM contact_person_changes WHERE contact_person_id = $1', [
      created.id,
    ]);
    expect(rows[0]?.n).toBe(3);
  });

  it('the daily review runs once with two runners on the same database, ends at 25 and marks anchoring', async () => {
    // Born 2001-11-15: 25 on 2026-11-15. Born 2004-05-01: enrolled since 2026-06-01 (over three months by 2026-11-20).
    await store.assignContactPerson(assignInput('r-25', { youthBirthDate: '2001-11-15' }));
    await store.assignContactPerson(assignInput('r-school', { youthBirthDate: '2004-05-01' }));
    const facts: Record<string, YouthFacts> = {
      'r-school': {
        birthDate: '2004-05-01',
        school: null,
        social: null,
        guidance: { currentEnrolment: { needsSupport: false, start: '2026-06-01' }, activity: 'EDUCATION' },
      },
    };
    let reads = 0;
    const factsFor = async (youthId: string) => {
      reads += 1;
      return facts[youthId] ?? null;
    };
    // A second runner: on PostgreSQL its own connection pool, on PGlite the same single session.
    const second = backend.url ? await openDatabase({ url: backend.url, dataDir: 'memory://', logger, schema: db.schema }) : db;
    try {
      const runners = [new CoordinationStore(db), new CoordinationStore(second)].map((runnerStore, i) =>
        runAssignmentReview({ store: runnerStore, factsFor, today: '2026-11-20', holder: `replica-${i}`, logger }),
      );
      const results = await Promise.all(runners);
      expect(results.filter((r) => r.ran)).toHaveLength(1);
      expect(results.find((r) => r.ran)).toMatchObject({ endedAt25: 1, markedForReview: 1, unreadable: 0 });
      expect(reads).toBe(1); // the 25-year-old needs no system: the birth date is on the assignment
    } finally {
      if (second !== db) await second.close();
    }
    const history = await store.assignmentHistory('r-25');
    expect(history[0]).toMatchObject({ endCode: 'TURNED_25', endedOn: '2026-11-15', endedBy: 'system:assignment-review' });
    expect(await store.activeAssignment('r-school')).toMatchObject({ reviewReason: 'ANCHORED_IN_EDUCATION', reviewDueSince: '2026-11-20' });
    // The same day again: nothing to do; the next day it runs again.
    expect((await runAssignmentReview({ store, factsFor, today: '2026-11-20', holder: 'replica-0', logger })).ran).toBe(false);
    expect((await runAssignmentReview({ store, factsFor, today: '2026-11-21', holder: 'replica-1', logger })).ran).toBe(true);
    expect((await store.dailyRuns('assignment-review')).map((r) => [r.runDate, r.status])).toEqual([
      ['2026-11-20', 'SUCCEEDED'],
      ['2026-11-21', 'SUCCEEDED'],
    ]);
    // Capacity counts active assignments only.
    expect((await store.capacity(60)).active).toBe(1);
  });
});

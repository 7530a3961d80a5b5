import { describe, expect, it } from 'vitest';
import { ageOn } from '../../platform/dates.js';
import type { Database } from '../../platform/db/database.js';
import type {
  CoordinationStore,
  ScreeningQuery,
  ScreeningRecord,
  ScreeningRow,
} from '../../subgraphs/coordination/store/coordinationStore.js';
import { backends, tableCounts, refusal, useMigratedStore } from './backends.js';

const AS_OF = '2026-06-15';

function row(i: number): ScreeningRow {
  const indicators = i % 3 === 0 ? ['ABSENCE_OVER_20', 'SOCIAL_CASE'] : i % 3 === 1 ? ['NOT_IN_EDUCATION'] : [];
  return {
    youthId: `y-${String(i).padStart(3, '0')}`,
    birthDate: `${2000 + (i % 14)}-0${1 + (i % 9)}-1${i % 10}`,
    schoolId: i % 2 === 0 ? 'S-0012' : null,
    grade: i % 2 === 0 ? 7 + (i % 4) : null,
    indicators,
    inTargetGroup: indicators.length > 0,
    contactPersonStatus: i % 5 === 0 ? 'ELIGIBLE' : i % 5 === 1 ? 'HAS_EXISTING_SUPPORT' : 'NOT_CANDIDATE',
    institutionIds: i % 4 === 0 ? ['I-104'] : i % 4 === 1 ? ['I-104', 'I-200'] : [],
  };
}

const ROWS = Array.from({ length: 25 }, (_, i) => row(i));

describe.each(backends)('screening register on $name', (backend) => {
  let db: Database;
  let store: CoordinationStore;
  useMigratedStore(backend, (opened) => ({ db, store } = opened));

  async function all(query: Omit<ScreeningQuery, 'first' | 'after'>): Promise<{ ids: string[]; totalCount: number }> {
    const ids: string[] = [];
    let after: string | undefined;
    let totalCount = -1;
    for (;;) {
      const page = await store.queryScreening({ ...query, first: 4, after });
      expect(page.rows.length).toBeLessThanOrEqual(4);
      if (totalCount >= 0) expect(page.totalCount).toBe(totalCount); // the count ignores the cursor
      totalCount = page.totalCount!;
      ids.push(...page.rows.map((r) => r.youthId));
      if (!page.hasNextPage) break;
      expect(page.endCursor).toBe(page.rows.at(-1)?.youthId);
      after = page.endCursor ?? undefined;
    }
    return { ids, totalCount };
  }

  function expected(filter: (r: ScreeningRow) => boolean): { ids: string[]; totalCount: number } {
    const ids = ROWS.filter(filter)
      .map((r) => r.youthId)
      .sort();
    return { ids, totalCount: ids.length };
  }

  it('stores a run and pages through it by youthId with a total count', async () => {
    const run = await store.replaceScreening(ROWS, { startedAt: '2026-06-15T02:00:00Z', asOf: AS_OF });
    expect(run).toMatchObject({ status: 'SUCCEEDED', youths: 25, asOf: AS_OF, startedAt: '2026-06-15T02:00:00.000Z', error: null });
    const first = await store.queryScreening({ asOf: AS_OF, first: 10 });
    expect(first.rows).toHaveLength(10);
    expect(first).toMatchObject({ hasNextPage: true, totalCount: 25, endCursor: 'y-009' });
    const record = first.rows[1] as ScreeningRecord;
    const { youthId: _id, ...rest } = ROWS[1] as ScreeningRow;
    // Rows that leave out the reporting facts store them as false.
    expect(record).toEqual({
      youthId: 'y-001',
      completedYouthEducation: false,
      childrensCase: false,
      ...rest,
      screenedAt: '2026-06-15T02:00:00.000Z',
    });
    const last = await store.queryScreening({ asOf: AS_OF, first: 10, after: 'y-019' });
    expect(last.rows.map((r) => r.youthId)).toEqual(['y-020', 'y-021', 'y-022', 'y-023', 'y-024']);
    expect(last).toMatchObject({ hasNextPage: false, totalCount: 25 });
    expect(await all({ asOf: AS_OF })).toEqual(expected(() => true));
    const empty = await store.queryScreening({ asOf: AS_OF, first: 10, after: 'y-024' });
    expect(empty).toEqual({ rows: [], hasNextPage: false, totalCount: 25, endCursor: null, positions: [] });
  });

  it('pages without counting when the count is not asked for: the same rows, no total', async () => {
    await store.replaceScreening(ROWS, { asOf: AS_OF });
    const counted = await store.queryScreening({ asOf: AS_OF, inTargetGroup: true, first: 5 });
    const uncounted = await store.queryScreening({ asOf: AS_OF, inTargetGroup: true, first: 5, count: false });
    expect(uncounted).toEqual({ ...counted, totalCount: null });
    expect(counted.totalCount).toBe(ROWS.filter((r) => r.inTargetGroup).length);
  });

  it('filters by every criterion, alone and combined', async () => {
    await store.replaceScreening(ROWS, { asOf: AS_OF });
    expect(await all({ asOf: AS_OF, inTargetGroup: true })).toEqual(expected((r) => r.inTargetGroup));
    expect(await all({ asOf: AS_OF, inTargetGroup: false })).toEqual(expected((r) => !r.inTargetGroup));
    expect(await all({ asOf: AS_OF, indicator: 'SOCIAL_CASE' })).toEqual(expected((r) => r.indicators.includes('SOCIAL_CASE')));
    expect(await all({ asOf: AS_OF, indicatorsAll: ['SOCIAL_CASE', 'ABSENCE_OVER_20'] })).toEqual(
      expected((r) => r.indicators.includes('SOCIAL_CASE') && r.indicators.includes('ABSENCE_OVER_20')),
    );
    expect(await all({ asOf: AS_OF, indicatorsAll: ['SOCIAL_CASE', 'NOT_IN_EDUCATION'] })).toEqual({ ids: [], totalCount: 0 });
    expect(await all({ asOf: AS_OF, contactPersonStatus: 'ELIGIBLE' })).toEqual(expected((r) => r.contactPersonStatus === 'ELIGIBLE'));
    expect(await all({ asOf: AS_OF, contactPersonStatus: ['ELIGIBLE', 'HAS_EXISTING_SUPPORT'] })).toEqual(
      expected((r) => r.contactPersonStatus !== 'NOT_CANDIDATE'),
    );
    expect(await all({ asOf: AS_OF, schoolId: 'S-0012' })).toEqual(expected((r) => r.schoolId === 'S-0012'));
    expect(await all({ asOf: AS_OF, institutionId: 'I-200' })).toEqual(expected((r) => r.institutionIds.includes('I-200')));
    expect(await all({ asOf: AS_OF, ageMin: 16, ageMax: 20 })).toEqual(
      expected((r) => ageOn(r.birthDate, AS_OF) >= 16 && ageOn(r.birthDate, AS_OF) <= 20),
    );
    expect(await all({ asOf: AS_OF, inTargetGroup: true, institutionId: 'I-104', ageMax: 22, contactPersonStatus: 'ELIGIBLE' })).toEqual(
      expected(
        (r) =>
          r.inTargetGroup && r.institutionIds.includes('I-104') && ageOn(r.birthDate, AS_OF) <= 22 && r.contactPersonStatus === 'ELIGIBLE',
      ),
    );
  });

  it('counts age in whole years at asOf, birthdays and leap days included', async () => {
    const base = {
      schoolId: null,
      grade: null,
      indicators: [],
      inTargetGroup: false,
      contactPersonStatus: 'NOT_CANDIDATE',
      institutionIds: [],
    };
    await store.replaceScreening([
      { ...base, youthId: 'turns-16-today', birthDate: '2010-06-15' },
      { ...base, youthId: 'turns-16-tomorrow', birthDate: '2010-06-16' },
      { ...base, youthId: 'leap-day', birthDate: '2008-02-29' },
    ]);
    const ids = async (q: Partial<ScreeningQuery> & { asOf: string }) =>
      (await store.queryScreening({ first: 10, ...q })).rows.map((r) => r.youthId);
    expect(await ids({ asOf: '2026-06-15', ageMin: 16, ageMax: 16 })).toEqual(['turns-16-today']);
    expect(await ids({ asOf: '2026-06-15', ageMin: 15, ageMax: 15 })).toEqual(['turns-16-tomorrow']);
    expect(await ids({ asOf: '2026-02-28', ageMin: 18 })).toEqual([]);
    expect(await ids({ asOf: '2026-03-01', ageMin: 18 })).toEqual(['leap-day']);
    expect(await ids({ asOf: '2026-02-28', ageMax: 17, ageMin: 17 })).toEqual(['leap-day']);
  });

  it('a new run upserts, deletes the young people it did not see, and reports its status', async () => {
    expect(await store.screeningStatus()).toEqual({ lastRun: null, lastSucceededRun: null, youths: 0 });
    const firstRun = await store.replaceScreening(ROWS, { asOf: AS_OF });
    const changed: ScreeningRow = {
      ...(ROWS[2] as ScreeningRow),
      indicators: ['NOT_IN_EDUCATION'],
      inTargetGroup: true,
      institutionIds: [],
    };
    const secondRun = await store.replaceScreening([changed, ROWS[5] as ScreeningRow, row(99)], { asOf: '2026-06-16' });
    expect(secondRun.id).toBeGreaterThan(firstRun.id);
    const page = await store.queryScreening({ asOf: AS_OF, first: 100 });
    expect(page.rows.map((r) => r.youthId)).toEqual(['y-002', 'y-005', 'y-099']);
    expect(page.rows[0]).toMatchObject({ indicators: ['NOT_IN_EDUCATION'], inTargetGroup: true, institutionIds: [] });
    const status = await store.screeningStatus();
    expect(status.youths).toBe(3);
    expect(status.lastRun).toEqual(secondRun);
    expect(status.lastSucceededRun).toEqual(secondRun);
  });

  it('writes in chunks inside one transaction', async () => {
    const many = Array.from({ length: 2500 }, (_, i) => row(i));
    const run = await store.replaceScreening(many, { asOf: AS_OF, chunkSize: 1000 });
    expect(run.youths).toBe(2500);
    expect((await store.queryScreening({ asOf: AS_OF, first: 1, inTargetGroup: true })).totalCount).toBe(
      many.filter((r) => r.inTargetGroup).length,
    );
  });

  it("gathers the register's planner statistics after a rebuild that changed a good part of it, not after a small one", async () => {
    // pg_class.reltuples is what ANALYZE last counted (writes alone leave it); the first run below writes every row.
    const counted = async (): Promise<number> =>
      (await db.query<{ n: number }>(`SELECT reltuples::int AS n FROM pg_class WHERE oid = 'youth_screening'::regclass`)).rows[0]!.n;
    const people = (n: number): ScreeningRow[] => Array.from({ length: n }, (_, i) => row(i));
    await store.replaceScreening(people(300), { asOf: AS_OF });
    expect(await counted()).toBe(300);
    // 10 rows written of 310: below 50 + 10% of the register, left to autovacuum.
    await store.replaceScreening(people(310), { asOf: AS_OF });
    expect(await counted()).toBe(300);
    await store.replaceScreening(people(600), { asOf: AS_OF });
    expect(await counted()).toBe(600);
  });

  it('a run that fails in the database keeps the old register and is recorded as FAILED', async () => {
    const good = await store.replaceScreening(ROWS, { asOf: AS_OF });
    await db.query(`ALTER TABLE youth_screening ADD CONSTRAINT test_refuses_boom CHECK (youth_id <> 'boom')`);
    try {
      const boom = { ...(ROWS[0] as ScreeningRow), youthId: 'boom' };
      await expect(store.replaceScreening([...ROWS.slice(0, 10), boom], { chunkSize: 5 })).rejects.toThrow();
    } finally {
      await db.query('ALTER TABLE youth_screening DROP CONSTRAINT test_refuses_boom');
    }
    expect((await store.queryScreening({ asOf: AS_OF, first: 1 })).totalCount).toBe(25);
    const status = await store.screeningStatus();
    expect(status.lastRun).toMatchObject({ status: 'FAILED', youths: null });
    expect(status.lastRun?.error).toMatch(/test_refuses_boom/);
    expect(status.lastSucceededRun).toEqual(good);

    const upstream = await store.recordScreeningFailure('guidance system answered 503', { asOf: AS_OF });
    expect(upstream).toMatchObject({ status: 'FAILED', error: 'guidance system answered 503' });
    expect((await store.screeningStatus()).lastRun).toEqual(upstream);
  });

  it('refuses bad rows and bad queries, naming what was wrong, and writes nothing', async () => {
    await store.replaceScreening(ROWS, { asOf: AS_OF });
    const before = await tableCounts(db);
    const bad = (patch: Partial<ScreeningRow>) => [...ROWS.slice(0, 3), { ...(ROWS[3] as ScreeningRow), ...patch }];
    const cases: [() => Promise<unknown>, RegExp][] = [
      [() => store.replaceScreening(bad({ youthId: 'y-000' })), /youthId "y-000" appears twice/],
      [() => store.replaceScreening(bad({ birthDate: '2010-13-01' })), /rows\[3\]\.birthDate is not a real date/],
      [() => store.replaceScreening(bad({ indicators: ['LAZY'] })), /each of rows\[3\]\.indicators must be one of/],
      [
        () => store.replaceScreening(bad({ indicators: [], inTargetGroup: true })),
        /rows\[3\]\.inTargetGroup is true but no indicator applies/,
      ],
      [() => store.replaceScreening(bad({ contactPersonStatus: 'MAYBE' })), /rows\[3\]\.contactPersonStatus must be one of/],
      [() => store.replaceScreening(bad({ grade: 11 })), /rows\[3\]\.grade must be a whole number from 0 to 10/],
      [() => store.replaceScreening(bad({ youthId: '' })), /rows\[3\]\.youthId must not be empty/],
      [() => store.replaceScreening([]), /would empty the register/],
      [() => store.replaceScreening(ROWS, { asOf: '15-06-2026' }), /asOf must be a date written YYYY-MM-DD/],
      [() => store.queryScreening({ asOf: AS_OF, first: 0 }), /first must be a whole number from 1 to 500/],
      [() => store.queryScreening({ asOf: AS_OF, first: 501 }), /first must be a whole number from 1 to 500/],
      [() => store.queryScreening({ asOf: 'today', first: 10 }), /asOf must be a date/],
      [() => store.queryScreening({ asOf: AS_OF, first: 10, ageMin: 20, ageMax: 16 }), /ageMin \(20\) must not be above ageMax \(16\)/],
      [() => store.queryScreening({ asOf: AS_OF, first: 10, indicator: 'LAZY' }), /indicator must be one of/],
      [() => store.queryScreening({ asOf: AS_OF, first: 10, contactPersonStatus: [] }), /at least one status/],
    ];
    for (const [call, message] of cases) {
      const error = await refusal(call());
      expect(error.code).toBe('BAD_USER_INPUT');
      expect(error.message).toMatch(message);
    }
    expect(await tableCounts(db)).toEqual(before);
  });

  it('an empty run on purpose empties the register', async () => {
    await store.replaceScreening(ROWS);
    expect((await store.replaceScreening([], { allowEmpty: true })).youths).toBe(0);
    expect((await store.screeningStatus()).youths).toBe(0);
  });
});

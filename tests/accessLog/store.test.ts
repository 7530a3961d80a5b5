import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { migrate } from '../../platform/db/migrate.js';
import { AccessLogEntryError, AccessLogQueryError, MIGRATIONS_DIR, type AccessLogStore } from '../../gateway/accessLog/store.js';
import { backends, entry, logger, openTestLog } from './backends.js';

describe.each(backends)('AccessLogStore on $name', (backend) => {
  let store: AccessLogStore;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ store, cleanup } = await openTestLog(backend));
  });

  afterAll(async () => {
    await cleanup?.();
  });

  beforeEach(async () => {
    await store.db.query('DELETE FROM access_log');
  });

  async function count(where = 'true', params: unknown[] = []): Promise<number> {
    const { rows } = await store.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM access_log WHERE ${where}`, params);
    return rows[0]?.n ?? -1;
  }

  /** Inserts a row at a chosen time (the store itself always stamps now()). */
  async function insertAt(youthId: string, at: string, requestId = 'old'): Promise<void> {
    await store.db.query(
      `INSERT INTO access_log (at, request_id, subject, youth_id, purpose, outcome) VALUES ($1::timestamptz, $2, 'someone', $3, 'test', 'ALLOWED')`,
      [at, requestId, youthId],
    );
  }

  it('migrates once: a second run applies nothing', async () => {
    const again = await migrate(store.db, { logger, dir: MIGRATIONS_DIR });
    // As many as gateway/accessLog/migrations holds (001 access log ... 004 legal basis).
    expect(again).toEqual({ applied: [], current: readdirSync(MIGRATIONS_DIR).filter((name) => name.endsWith('.sql')).length });
  });

  it('stores entries and reads them back per young person', async () => {
    await store.record([
      entry({ youthId: 'Y-0001', categories: ['identity', 'school'], fields: ['Youth.firstName', 'SchoolRecord.grade'] }),
      entry({ youthId: 'Y-0002' }),
      entry({ youthId: 'Y-0001', requestId: 'req-2', outcome: 'FILTERED', reason: 'withheld: Youth.cprNumber', purpose: '  spaced  ' }),
    ]);
    const page = await store.forYouth({ youthId: 'Y-0001', first: 10 });
    expect(page.entries).toHaveLength(2);
    const [newest, oldest] = page.entries;
    // One INSERT: same transaction time, so the later row (higher id) comes first.
    expect(newest).toMatchObject({ requestId: 'req-2', outcome: 'FILTERED', reason: 'withheld: Youth.cprNumber', purpose: 'spaced' });
    expect(oldest).toEqual({
      id: expect.stringMatching(/^\d+$/) as unknown,
      at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/) as unknown,
      requestId: 'req-1',
      subject: 'mette.kjaer',
      organisation: 'aalborg/uu',
      role: 'uu-counsellor',
      youthId: 'Y-0001',
      categories: ['identity', 'school'],
      fields: ['Youth.firstName', 'SchoolRecord.grade'],
      operationName: 'Dossier',
      operationHash: 'a'.repeat(64),
      purpose: 'guidance',
      outcome: 'ALLOWED',
      reason: null,
      relation: null,
      breakTheGlassReason: null,
      legalBases: null,
    });
    expect(Math.abs(Date.parse(oldest?.at ?? '') - Date.now())).toBeLessThan(60_000);
    expect(page.pageInfo.hasNextPage).toBe(false);
  });

  it('stores the legal basis of each category and reads it back (issue 14, migration 004)', async () => {
    await store.record([
      entry({ youthId: 'Y-0100', categories: ['school', 'jobcenter'], legalBases: { school: 'CONSENT', jobcenter: 'OWN_UNIT' } }),
    ]);
    const [stored] = (await store.forYouth({ youthId: 'Y-0100', first: 1 })).entries;
    expect(stored?.legalBases).toEqual({ school: 'CONSENT', jobcenter: 'OWN_UNIT' });
  });

  it('stores a denial without a young person, and refuses an allowed entry without one', async () => {
    await store.record([
      entry({ youthId: null, subject: null, organisation: null, role: null, outcome: 'DENIED', reason: 'token expired' }),
    ]);
    expect(await count('youth_id IS NULL AND outcome = $1', ['DENIED'])).toBe(1);
    await expect(store.record([entry({ youthId: null })])).rejects.toThrow(AccessLogEntryError);
    expect(await count()).toBe(1);
  });

  it('is all or nothing: one bad row stores none of the batch', async () => {
    await expect(store.record([entry({ youthId: 'Y-1' }), entry({ youthId: 'Y-2', categories: ['bad\u0000byte'] })])).rejects.toThrow();
    expect(await count()).toBe(0);
    // The database's own checks hold too (a bypass of the store's validation).
    await expect(
      store.db.query(`INSERT INTO access_log (request_id, youth_id, purpose, outcome) VALUES ('r', 'Y', 'p', 'MAYBE')`),
    ).rejects.toThrow(/access_log_outcome_known/);
    await expect(store.db.query(`INSERT INTO access_log (request_id, purpose, outcome) VALUES ('r', 'p', 'ALLOWED')`)).rejects.toThrow(
      /access_log_youth_unless_denied/,
    );
  });

  it('records a large batch in one statement', async () => {
    const many = Array.from({ length: 6000 }, (_, i) => entry({ youthId: `Y-${i}` }));
    await store.record(many);
    expect(await count()).toBe(6000);
  });

  it('cuts over-long free text instead of refusing it', async () => {
    await store.record([entry({ subject: 's'.repeat(500), purpose: 'p'.repeat(500), reason: 'r'.repeat(5000) })]);
    const [row] = (await store.forYouth({ youthId: 'Y-0001', first: 1 })).entries;
    expect(row?.subject).toHaveLength(200);
    expect(row?.purpose).toHaveLength(200);
    expect(row?.reason).toHaveLength(2000);
  });

  it('is append-only: rows cannot be changed', async () => {
    await store.record([entry()]);
    await expect(store.db.query(`UPDATE access_log SET subject = 'someone else'`)).rejects.toThrow(/append-only/);
  });

  it('pages newest first without gaps or repeats, also through rows with the same time', async () => {
    await insertAt('Y-P', '2025-01-01T10:00:00.000001Z', 'r1');
    await insertAt('Y-P', '2025-01-01T10:00:00.000002Z', 'r2');
    await insertAt('Y-P', '2025-01-02T10:00:00Z', 'r3');
    await insertAt('Y-P', '2025-01-02T10:00:00Z', 'r4');
    await insertAt('Y-P', '2025-01-02T10:00:00Z', 'r5');
    await insertAt('Y-P', '2025-01-03T10:00:00Z', 'r6');
    await insertAt('Y-OTHER', '2025-01-03T10:00:00Z', 'other');
    await store.record([entry({ youthId: 'Y-P', requestId: 'r7' }), entry({ youthId: 'Y-P', requestId: 'r8' })]);

    const seen: string[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await store.forYouth({ youthId: 'Y-P', first: 3, after });
      seen.push(...page.entries.map((e) => e.requestId));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor ?? undefined;
    }
    expect(seen).toEqual(['r8', 'r7', 'r6', 'r5', 'r4', 'r3', 'r2', 'r1']);
  });

  it('filters by time: from inclusive, to exclusive', async () => {
    await insertAt('Y-T', '2025-01-01T00:00:00Z', 'jan1');
    await insertAt('Y-T', '2025-01-02T00:00:00Z', 'jan2');
    await insertAt('Y-T', '2025-01-03T00:00:00Z', 'jan3');
    const page = await store.forYouth({
      youthId: 'Y-T',
      first: 10,
      from: new Date('2025-01-02T00:00:00Z'),
      to: new Date('2025-01-03T00:00:00Z'),
    });
    expect(page.entries.map((e) => e.requestId)).toEqual(['jan2']);
  });

  it('refuses bad page sizes, cursors and ranges, naming the parameter', async () => {
    const refusal = (query: Parameters<AccessLogStore['forYouth']>[0]) => store.forYouth(query).catch((err: unknown) => err);
    for (const [query, parameter] of [
      [{ youthId: 'Y', first: 0 }, 'first'],
      [{ youthId: 'Y', first: 501 }, 'first'],
      [{ youthId: 'Y', first: 1.5 }, 'first'],
      [{ youthId: '', first: 1 }, 'youthId'],
      [{ youthId: 'Y', first: 1, after: 'not-a-cursor' }, 'after'],
      [{ youthId: 'Y', first: 1, after: Buffer.from('a1:2025-01-01|1').toString('base64url') }, 'after'],
      [{ youthId: 'Y', first: 1, from: new Date('nonsense') }, 'from'],
      [{ youthId: 'Y', first: 1, from: new Date('2025-02-01'), to: new Date('2025-01-01') }, 'from'],
    ] as const) {
      const err = await refusal(query);
      expect(err, JSON.stringify(query)).toBeInstanceOf(AccessLogQueryError);
      expect((err as AccessLogQueryError).parameter).toBe(parameter);
    }
  });

  it('retention deletes only entries older than the period, and says how many', async () => {
    await store.db.query(
      `INSERT INTO access_log (at, request_id, youth_id, purpose, outcome)
       SELECT now() - interval '400 days', 'bulk-' || g, 'Y-OLD', 'test', 'ALLOWED' FROM generate_series(1, 5200) AS g`,
    );
    await store.db.query(
      `INSERT INTO access_log (at, request_id, youth_id, purpose, outcome) VALUES (now() - interval '364 days', 'recent', 'Y-OLD', 'test', 'ALLOWED')`,
    );
    await store.record([entry({ youthId: 'Y-OLD', requestId: 'today' })]);
    expect(await store.deleteOlderThan(365)).toBe(5200);
    const left = await store.forYouth({ youthId: 'Y-OLD', first: 10 });
    expect(left.entries.map((e) => e.requestId)).toEqual(['today', 'recent']);
    expect(await store.deleteOlderThan(365)).toBe(0);
    await expect(store.deleteOlderThan(0)).rejects.toThrow(RangeError);
  });
});
